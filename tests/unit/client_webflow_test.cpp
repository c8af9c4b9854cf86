// Client side of the web-server flow and the refresh-token flow on a scripted transport: PKCE
// generation, the authorize URL, the code exchange and refresh forms (§A.3.3, §A.3.5).
#include <set>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"

#include "support/fake_transport.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

constexpr const char* kAnswer =
    R"({"access_token":"00D5e000000XXXX!AQ8AQtoken","refresh_token":"5Aep861abc",)"
    R"("scope":"api refresh_token","instance_url":"https://acme.my.salesforce.com",)"
    R"("id":"https://login.salesforce.com/id/00D5e000000XXXXEAA/0055e000001YYYYAAA",)"
    R"("token_type":"Bearer","issued_at":"1699999999999"})";

AuthorizationCodeFlow Flow() {
    AuthorizationCodeFlow f;
    f.login_url = "http://127.0.0.1:8080/";
    f.client_id = "3MVG9local.key";
    f.redirect_uri = "http://localhost:1717/OauthRedirect";
    f.scope = "api refresh_token";
    return f;
}

TEST(ClientWebFlow, PkceChallengeIsUnpaddedBase64UrlOfSha256) {
    // Expected value computed independently with Python hashlib/base64.
    EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk"),
              "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs");
}

TEST(ClientWebFlow, GeneratedVerifiersAreUnreservedAndFresh) {
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
        auto p = GeneratePkce();
        ASSERT_TRUE(p);
        EXPECT_EQ(p->verifier.size(), 64u);
        EXPECT_EQ(p->verifier.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"),
                  std::string::npos);
        EXPECT_EQ(p->challenge, PkceChallenge(p->verifier));
        EXPECT_EQ(p->challenge.size(), 43u);
        seen.insert(p->verifier);
    }
    EXPECT_EQ(seen.size(), 20u);
}

TEST(ClientWebFlow, AuthorizeUrlCarriesTheRequestAndTheChallenge) {
    auto f = Flow();
    auto url = f.AuthorizeUrl("a b&c");
    ASSERT_TRUE(url);
    EXPECT_EQ(*url,
              "http://127.0.0.1:8080/services/oauth2/authorize?response_type=code&client_id="
              "3MVG9local.key&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&scope="
              "api%20refresh_token&state=a%20b%26c");
    f.code_verifier = "dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk";
    f.login_hint = "admin@acme.test";
    url = f.AuthorizeUrl();
    ASSERT_TRUE(url);
    EXPECT_NE(url->find("&code_challenge=sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs&code_"
                        "challenge_method=S256&login_hint=admin%40acme.test"),
              std::string::npos)
        << *url;
    f.redirect_uri.clear();
    EXPECT_FALSE(f.AuthorizeUrl());
}

TEST(ClientWebFlow, ExchangeCodeSendsTheFormAndKeepsTheRefreshToken) {
    FakeTransport t;
    t.Reply(200, kAnswer);
    auto f = Flow();
    f.code_verifier = "verifier-1";
    auto token = f.ExchangeCode(t, "aPrx+/==");
    ASSERT_TRUE(token) << token.error().ToString();
    ASSERT_EQ(t.requests.size(), 1u);
    EXPECT_EQ(t.requests[0].url, "http://127.0.0.1:8080/services/oauth2/token");
    const std::string& body = t.requests[0].body;
    EXPECT_EQ(body.find("client_secret"), std::string::npos) << "a PKCE client without secret";
    EXPECT_EQ(body.rfind("grant_type=authorization_code&code=aPrx%2B%2F%3D%3D&", 0), 0u) << body;
    EXPECT_NE(body.find("&code_verifier=verifier-1"), std::string::npos) << body;
    EXPECT_NE(body.find("&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect"),
              std::string::npos);
    EXPECT_EQ(token->refresh_token, "5Aep861abc");
    EXPECT_EQ(token->scope, "api refresh_token");

    t.Reply(400, R"({"error":"invalid_grant","error_description":"expired authorization code"})");
    auto again = f.ExchangeCode(t, "aPrx+/==");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(again.error().code, "invalid_grant");
    EXPECT_EQ(again.error().message, "expired authorization code");
}

TEST(ClientWebFlow, RefreshKeepsThePresentedRefreshTokenAndReportsErrors) {
    FakeTransport t;
    t.Reply(200,
            R"({"access_token":"00D5e000000XXXX!AQ8AQnew","scope":"api",)"
            R"("instance_url":"https://acme.my.salesforce.com",)"
            R"("id":"https://login.salesforce.com/id/00D5e000000XXXXEAA/0055e000001YYYYAAA",)"
            R"("token_type":"Bearer","issued_at":"1699999999999"})");
    RefreshTokenFlow r;
    r.login_url = "https://login.salesforce.com";
    r.client_id = "3MVG9local.key";
    r.refresh_token = "5Aep861old";
    auto token = r.Authenticate(t);
    ASSERT_TRUE(token) << token.error().ToString();
    EXPECT_EQ(t.requests[0].body,
              "grant_type=refresh_token&refresh_token=5Aep861old&client_id=3MVG9local.key");
    EXPECT_EQ(token->access_token, "00D5e000000XXXX!AQ8AQnew");
    EXPECT_EQ(token->refresh_token, "5Aep861old");

    t.Reply(400, R"({"error":"invalid_grant","error_description":"expired access/refresh token"})");
    auto dead = r.Authenticate(t);
    ASSERT_FALSE(dead);
    EXPECT_EQ(dead.error().code, "invalid_grant");
    EXPECT_EQ(dead.error().message, "expired access/refresh token");
}

}  // namespace
}  // namespace sfkit::client
