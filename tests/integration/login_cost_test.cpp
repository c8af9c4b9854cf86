// What a failed login costs and whom it slows down (issue "hardening" defects 10 and 11): an
// unknown username must cost what a known one with a wrong password costs, and a flood of bad
// logins must not slow unrelated requests (password hashing runs on a bounded pool, off the I/O
// threads). Both compare medians of interleaved timings, so that a loaded machine slows both
// sides alike.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

double Median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

template <class F>
double TimeMs(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

/// An org on disk (commits cost an fsync, as in `sfkit serve`), lockout off so that a known
/// user's failures keep taking the same path.
class LoginCostTest : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string def = dir_.Path() + "/org-def.json";
        std::ofstream(def) << R"({"users": [{"username": "known@acme.test", "password": "Passw0rd!",
            "securityToken": "TOK"}],
          "connectedApps": [{"name": "App", "consumerKey": "cost.key", "consumerSecret": "cost-secret",
            "flows": ["password"]}],
          "lockoutThreshold": 0})";
        auto options = TestOrg::DefaultOptions();
        options.in_memory = false;
        options.data_dir = dir_.Path() + "/org";
        options.org_def_file = def;
        org_ = std::make_unique<TestOrg>(options);
    }
    void TearDown() override { org_.reset(); }
    RawResponse Login(const std::string& username, const std::string& password) {
        return Fetch(org_->Port(),
                     "POST",
                     "/services/oauth2/token",
                     {kForm},
                     "grant_type=password&client_id=cost.key&client_secret=cost-secret&username=" +
                         username + "&password=" + password);
    }
    TempDir dir_;  // outlives org_ (declared first)
    std::unique_ptr<TestOrg> org_;
};

TEST_F(LoginCostTest, UnknownUsernameCostsWhatAWrongPasswordCosts) {
    // Pairs taken back to back see the same load; the median of their ratios is robust to the
    // spikes a shared 2-core machine produces. Before the fix a known username cost one committed
    // write more (an fsync: +10-15 %); the tolerance is below that.
    constexpr int kRounds = 61;
    std::vector<double> ratios;
    std::vector<double> unknown;
    std::vector<double> known;
    // Warm-up: the dummy hash, prepared statements.
    Login("nobody%40acme.test", "x");
    Login("known%40acme.test", "x");
    for (int i = 0; i < kRounds; ++i) {
        const std::string bad = "wrong" + std::to_string(i);
        RawResponse a;
        RawResponse b;
        // Alternate which goes first, so that neither always follows the other's fsync.
        const auto time_unknown = [&] {
            return TimeMs([&] { a = Login("nobody" + std::to_string(i) + "%40acme.test", bad); });
        };
        const auto time_known = [&] {
            return TimeMs([&] { b = Login("known%40acme.test", bad); });
        };
        double u = 0;
        double k = 0;
        if (i % 2 == 0) {
            u = time_unknown();
            k = time_known();
        } else {
            k = time_known();
            u = time_unknown();
        }
        unknown.push_back(u);
        known.push_back(k);
        ratios.push_back(k / u);
        ASSERT_EQ(a.body, b.body);
        ASSERT_EQ(a.status, 400);
    }
    const double ratio = Median(ratios);
    const std::string figures = "median ratio " + std::to_string(ratio) + ", known " +
                                std::to_string(Median(known)) + " ms, unknown " +
                                std::to_string(Median(unknown)) + " ms";
    RecordProperty("figures", figures);
    EXPECT_GT(ratio, 0.92) << figures;
    EXPECT_LT(ratio, 1.08) << figures;
}

TEST_F(LoginCostTest, AFloodOfBadLoginsDoesNotStallOtherRequests) {
    const RawResponse ok = Login("known%40acme.test", "Passw0rd%21TOK");
    ASSERT_EQ(ok.status, 200) << ok.body;
    const auto get = [&] {
        const RawResponse r = Fetch(org_->Port(), "GET", "/services/data");
        ASSERT_EQ(r.status, 200);
    };
    constexpr int kSamples = 40;
    std::vector<double> idle;
    for (int i = 0; i < kSamples; ++i) {
        idle.push_back(TimeMs(get));
    }
    std::atomic<bool> stop{false};
    std::atomic<int> refused{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> flood;
    for (int t = 0; t < 16; ++t) {
        flood.emplace_back([&, t] {
            int n = 0;
            while (!stop.load()) {
                ++n;
                const RawResponse r = Login(
                    (t % 2 ? "known" : "nobody" + std::to_string(n)) + std::string("%40acme.test"),
                    "bad" + std::to_string(n));
                (r.body.find("login rate exceeded") != std::string::npos ? refused : failed)++;
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::vector<double> busy;
    for (int i = 0; i < kSamples; ++i) {
        busy.push_back(TimeMs(get));
    }
    stop = true;
    for (auto& t : flood) {
        t.join();
    }
    // A floor under the idle median: sub-millisecond figures make the ratio noise.
    const double base = std::max(Median(idle), 1.0);
    RecordProperty("figures",
                   "idle median " + std::to_string(Median(idle)) + " ms, under the flood " +
                       std::to_string(Median(busy)) + " ms, " + std::to_string(failed.load()) +
                       " failed logins answered, " + std::to_string(refused.load()) + " refused");
    EXPECT_LT(Median(busy) / base, 10.0)
        << "idle median " << Median(idle) << " ms, under the flood " << Median(busy) << " ms ("
        << failed.load() << " failed logins answered, " << refused.load() << " refused)";
    EXPECT_GT(failed.load(), 0);
    // The server still logs people in afterwards.
    EXPECT_EQ(Login("known%40acme.test", "Passw0rd%21TOK").status, 200);
}

TEST_F(LoginCostTest, LoginsBeyondTheQueueGetSalesforcesRateLimitAnswer) {
    // 48 logins at once: at most 16 wait for the hashing pool, the rest are answered at once.
    std::vector<std::thread> burst;
    std::atomic<int> refused{0};
    std::atomic<int> failed{0};
    std::atomic<int> other{0};
    for (int t = 0; t < 48; ++t) {
        burst.emplace_back([&, t] {
            const RawResponse r = Login("nobody" + std::to_string(t) + "%40acme.test", "bad");
            if (r.status == 400 &&
                r.body ==
                    R"({"error":"invalid_grant","error_description":"login rate exceeded"})") {
                ++refused;
            } else if (r.status == 400 && r.body ==
                                              R"({"error":"invalid_grant",)"
                                              R"("error_description":"authentication failure"})") {
                ++failed;
            } else {
                ++other;
            }
        });
    }
    for (auto& t : burst) {
        t.join();
    }
    EXPECT_GT(refused.load(), 0);
    EXPECT_GE(failed.load(), 16);
    EXPECT_EQ(other.load(), 0);
    // Once the queue drains, logins are answered again.
    EXPECT_EQ(Login("known%40acme.test", "Passw0rd%21TOK").status, 200);
}

}  // namespace
}  // namespace sfkit::test
