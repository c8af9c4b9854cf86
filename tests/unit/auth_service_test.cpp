// AuthService without HTTP: bootstrap of a fresh org, Authenticate's header and query-token rules,
// and the Session it returns.
#include "server/auth/auth_service.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/core/id.hpp"

#include "server/auth/crypto.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

std::string Encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

class AuthServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        options_.in_memory = true;
        options_.session_timeout = std::chrono::seconds(600);
        auth_ = std::make_unique<AuthService>(db_, options_);
        creds_ = auth_->Bootstrap();
        auth_->RegisterRoutes(router_);
    }

    /// Runs the token route directly and returns the parsed answer.
    boost::json::object Login() {
        Request req;
        req.method = "POST";
        req.path = "/services/oauth2/token";
        req.remote_ip = "127.0.0.1";
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        req.body = "grant_type=password&client_id=" + Encode(creds_.consumer_key) +
                   "&client_secret=" + Encode(creds_.consumer_secret) +
                   "&username=" + Encode(creds_.username) +
                   "&password=" + Encode(creds_.password + creds_.security_token);
        RouteMatch m = router_.Match(req.method, req.path);
        EXPECT_NE(m.route, nullptr);
        Call call{req, m.params, nullptr, Format::kJson, false, {}, "http://local:1"};
        Response r = m.route->handler(call);
        // A password check is deferred work the HTTP server runs on its blocking pool; here it
        // runs in place.
        EXPECT_TRUE(r.deferred);
        if (r.deferred) {
            r = r.deferred();
        }
        EXPECT_EQ(r.status, 200) << r.body;
        return boost::json::parse(r.body).as_object();
    }

    Database db_{":memory:"};
    LocalOrgOptions options_;
    std::unique_ptr<AuthService> auth_;
    FirstStartCredentials creds_;
    Router router_;
};

TEST_F(AuthServiceTest, FreshOrgWithoutDefinitionGetsGeneratedAdminAndApp) {
    EXPECT_TRUE(creds_.created);
    EXPECT_EQ(creds_.username, "admin@sfkit.local");
    EXPECT_TRUE(creds_.credentials_file.empty()) << "in memory: nothing written";
    const OrgInfo& org = auth_->Org();
    EXPECT_TRUE(Id::IsValid(org.org_id));
    EXPECT_EQ(org.org_id.substr(0, 3), "00D");
    EXPECT_EQ(org.org_id.substr(3, 2), org.pod);
    EXPECT_EQ(org.admin_user_id.substr(0, 5), "005" + org.pod);
    EXPECT_EQ(org.name, "sfkit local org");
    EXPECT_EQ(auth_->SessionTimeoutSeconds(), 600);
}

TEST_F(AuthServiceTest, AuthenticateAcceptsBearerAndOAuthSchemes) {
    const auto answer = Login();
    const std::string token(answer.at("access_token").as_string());
    for (const std::string scheme : {"Bearer ", "OAuth ", "bearer "}) {
        Request req;
        req.headers = {{"Authorization", scheme + token}};
        const Session s = auth_->Authenticate(req);
        EXPECT_EQ(s.org_id, auth_->Org().org_id);
        EXPECT_EQ(s.user_id, auth_->Org().admin_user_id);
        EXPECT_EQ(s.username, creds_.username);
        EXPECT_EQ(s.app_name, "sfkit");
        EXPECT_EQ(s.app_id.substr(0, 3), "0H4");
        EXPECT_EQ(s.scopes,
                  (std::vector<std::string>{"api", "id", "web", "openid", "refresh_token"}));
        EXPECT_EQ(s.expires_at_ms - s.issued_at_ms, 600'000);
        EXPECT_EQ(std::to_string(s.issued_at_ms), std::string(answer.at("issued_at").as_string()));
        EXPECT_EQ(s.token_hash, crypto::Sha256Hex(token));
    }
}

TEST_F(AuthServiceTest, QueryTokenOnlyWhereAllowed) {
    const std::string token(Login().at("access_token").as_string());
    Request req;
    req.query = "oauth_token=" + Encode(token) + "&format=json";
    try {
        auth_->Authenticate(req);
        FAIL() << "a query token must not authenticate REST calls";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 401);
        EXPECT_EQ(e.items.at(0).code, "INVALID_SESSION_ID");
        EXPECT_EQ(e.items.at(0).message, "Session expired or invalid");
    }
    EXPECT_EQ(auth_->Authenticate(req, /*allow_query_token=*/true).user_id,
              auth_->Org().admin_user_id);
}

TEST_F(AuthServiceTest, GarbageIsRefused) {
    for (const std::string header : {"", "Bearer", "Bearer x", "Basic abc", "Token abc"}) {
        Request req;
        if (!header.empty()) {
            req.headers = {{"Authorization", header}};
        }
        EXPECT_THROW(auth_->Authenticate(req, true), ApiError) << header;
    }
}

}  // namespace
}  // namespace sfkit::server
