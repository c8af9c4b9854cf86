// RestClient's refresh on expiry against the in-process local org with a one-second session:
// the call that meets 401 INVALID_SESSION_ID runs the refresher once, installs the new token,
// is sent again and succeeds; the new token is handed to the persisting callback.
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/client_login.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

test::TestOrg& ShortSessionOrg() {
    static test::TestOrg org([] {
        auto o = test::TestOrg::DefaultOptions();
        o.session_timeout = std::chrono::seconds(1);
        return o;
    }());
    return org;
}

TEST(ClientRefreshE2E, AnExpiredSessionIsRenewedOnceAndTheCallSucceeds) {
    auto& org = ShortSessionOrg();
    auto transport = std::make_shared<CurlTransport>();
    const client::PasswordFlow flow = test::AdminPasswordFlow(org);
    auto token = flow.Authenticate(*transport);
    ASSERT_TRUE(token) << token.error().ToString();

    RestClient rest(transport, *token);
    std::vector<std::string> persisted;
    rest.SetSessionRefresher(SessionRefresher(
        transport,
        [flow](Transport& t) { return flow.Authenticate(t); },
        [&persisted](const Token& t) { persisted.push_back(t.access_token); }));
    ASSERT_TRUE(rest.Limits()) << "the fresh token works";
    EXPECT_TRUE(persisted.empty());

    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    auto limits = rest.Limits();
    ASSERT_TRUE(limits) << limits.error().ToString();
    ASSERT_EQ(persisted.size(), 1u) << "one refresh for the expired session";
    EXPECT_NE(persisted[0], token->access_token);
    EXPECT_EQ(rest.GetToken().access_token, persisted[0]) << "the new token is installed";
}

TEST(ClientRefreshE2E, AFailedRefreshLeavesTheSessionError) {
    auto& org = ShortSessionOrg();
    auto transport = std::make_shared<CurlTransport>();
    auto token = test::AdminPasswordFlow(org).Authenticate(*transport);
    ASSERT_TRUE(token) << token.error().ToString();

    RestClient rest(transport, *token);
    RefreshTokenFlow revoked;
    revoked.login_url = org.BaseUrl();
    revoked.client_id = test::kClientId;
    revoked.refresh_token = "5Aep-not-a-refresh-token";
    int refreshed = 0;
    rest.SetSessionRefresher(
        RefreshTokenRefresher(transport, revoked, [&refreshed](const Token&) { ++refreshed; }));

    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    auto limits = rest.Limits();
    ASSERT_FALSE(limits);
    EXPECT_EQ(limits.error().kind, ErrorKind::kSession);
    EXPECT_EQ(limits.error().code, "INVALID_SESSION_ID");
    EXPECT_EQ(refreshed, 0);
    EXPECT_EQ(rest.GetToken().access_token, token->access_token);
}

}  // namespace
}  // namespace sfkit::client
