// Several threads, each with its own RestClient, sharing one CurlTransport against the
// in-process local org: every call succeeds, and the pool never holds more connections than
// there were calls in flight.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/client_login.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

TEST(ClientThreadsE2E, RestClientsOnSeveralThreadsShareOneTransport) {
    constexpr int kThreads = 6;
    constexpr int kCallsEach = 10;
    test::TestOrg org;
    auto transport = std::make_shared<CurlTransport>();
    auto token = test::AdminPasswordFlow(org).Authenticate(*transport);
    ASSERT_TRUE(token) << token.error().ToString();

    std::atomic<int> ok{0};
    std::vector<std::string> failures(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            RestClient rest(transport, *token);  // one RestClient per thread
            for (int n = 0; n < kCallsEach; ++n) {
                const std::string name =
                    "thread " + std::to_string(i) + " call " + std::to_string(n);
                Record r;
                r.Set("Name", name);
                auto saved = rest.Create("Account", r);
                if (!saved) {
                    failures[i] = saved.error().ToString();
                    return;
                }
                auto got = rest.Get("Account", saved->id, {"Name"});
                if (!got) {
                    failures[i] = got.error().ToString();
                    return;
                }
                if (auto got_name = got->GetString("Name"); !got_name || *got_name != name) {
                    failures[i] = "wrong record";
                    return;
                }
                ++ok;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const auto& f : failures) {
        EXPECT_EQ(f, "");
    }
    EXPECT_EQ(ok.load(), kThreads * kCallsEach);
    EXPECT_GE(transport->ConnectionsOpened(), 1);
    EXPECT_LE(transport->ConnectionsOpened(), kThreads)
        << "a connection per call in flight at most: the login's and idle ones are reused";
}

}  // namespace
}  // namespace sfkit::client
