// OAuth flows against a scripted transport: request shape, token parsing, signature
// verification (§A.4) and error mapping (§A.5).
#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"

#include "support/fake_transport.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

constexpr const char* kId = "https://login.salesforce.com/id/00D5e000000XXXXEAA/0055e000001YYYYAAA";
constexpr const char* kIssuedAt = "1699999999999";
// Computed independently:
//   printf '%s' "$ID$ISSUED_AT" | openssl dgst -sha256 -hmac 'local-secret' -binary | base64
constexpr const char* kSignature = "bfnvVHi233tvdj/XYsvjLGwIKXJOycEpoohwlhaDHew=";

std::string TokenBody(const std::string& signature = kSignature) {
    return std::string(R"({"access_token":"00D5e000000XXXX!AQ8AQtoken","signature":")") +
           signature +
           R"(","scope":"api","instance_url":"https://acme.my.salesforce.com/","id":")" + kId +
           R"(","token_type":"Bearer","issued_at":")" + kIssuedAt + R"("})";
}

PasswordFlow Flow(const std::string& url = "https://login.salesforce.com") {
    PasswordFlow f;
    f.login_url = url;
    f.client_id = "3MVG9local.key";
    f.client_secret = "local-secret";
    f.username = "admin@acme.test";
    f.password = "Passw0rd!";
    f.security_token = "TOKEN123";
    return f;
}

TEST(ClientOAuth, SignatureMatchesOpensslVector) {
    EXPECT_EQ(TokenSignature("local-secret", kId, kIssuedAt), kSignature);
    // Another independently computed vector: empty key, message "x".
    EXPECT_EQ(TokenSignature("", "x", ""), "TLyWCZpkZ84AJGHxBUm0iYJl6+YYi0XvrMRCk1FuYsQ=");
}

TEST(ClientOAuth, PasswordFlowSendsFormAndParsesToken) {
    FakeTransport t;
    t.Reply(200, TokenBody(), {{"Content-Type", "application/json;charset=UTF-8"}});
    auto token = Flow("https://login.salesforce.com/").Authenticate(t);
    ASSERT_TRUE(token) << token.error().ToString();

    ASSERT_EQ(t.requests.size(), 1u);
    const auto& req = t.requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://login.salesforce.com/services/oauth2/token");
    ASSERT_NE(req.Header("content-type"), nullptr);
    EXPECT_EQ(*req.Header("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(req.body,
              "grant_type=password&client_id=3MVG9local.key&client_secret=local-secret"
              "&username=admin%40acme.test&password=Passw0rd%21TOKEN123");

    EXPECT_EQ(token->access_token, "00D5e000000XXXX!AQ8AQtoken");
    EXPECT_EQ(token->instance_url, "https://acme.my.salesforce.com");  // trailing slash dropped
    EXPECT_EQ(token->id, kId);
    EXPECT_EQ(token->org_id, "00D5e000000XXXXEAA");
    EXPECT_EQ(token->user_id, "0055e000001YYYYAAA");
    EXPECT_EQ(token->issued_at, kIssuedAt);
    EXPECT_EQ(token->scope, "api");
    EXPECT_EQ(token->token_type, "Bearer");
    EXPECT_EQ(token->signature, kSignature);
}

TEST(ClientOAuth, KeyOrderOfTheAnswerDoesNotMatter) {
    // The 2017 capture order (§A.3): no scope, signature last.
    FakeTransport t;
    t.Reply(200,
            std::string(
                R"({"access_token":"tok","instance_url":"https://cs52.salesforce.com","id":")") +
                kId + R"(","token_type":"Bearer","issued_at":")" + kIssuedAt +
                R"(","signature":")" + kSignature + R"("})");
    auto token = Flow().Authenticate(t);
    ASSERT_TRUE(token) << token.error().ToString();
    EXPECT_EQ(token->scope, "");
    EXPECT_EQ(token->user_id, "0055e000001YYYYAAA");
}

TEST(ClientOAuth, SignatureMismatchIsAnAuthError) {
    FakeTransport t;
    t.Reply(200, TokenBody("AAAAVHi233tvdj/XYsvjLGwIKXJOycEpoohwlhaDHew="));
    auto token = Flow().Authenticate(t);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(token.error().code, "SIGNATURE_MISMATCH");
}

TEST(ClientOAuth, SignatureIsNotCheckedWithoutSecret) {
    FakeTransport t;
    t.Reply(200, TokenBody("not-a-real-signature"));
    auto f = Flow();
    f.client_secret.clear();
    auto token = f.Authenticate(t);
    ASSERT_TRUE(token) << token.error().ToString();
    // Without a secret, client_secret is left out of the form (ForceCLI does the same).
    EXPECT_EQ(t.requests[0].body.find("client_secret"), std::string::npos);
}

TEST(ClientOAuth, OAuthErrorBodyBecomesAuthError) {
    FakeTransport t;
    t.Reply(400, R"({"error":"invalid_grant","error_description":"authentication failure"})");
    auto token = Flow().Authenticate(t);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(token.error().code, "invalid_grant");
    EXPECT_EQ(token.error().message, "authentication failure");
    EXPECT_EQ(token.error().http_status, 400);
}

TEST(ClientOAuth, ErrorKeysInOtherOrderAndStatus401) {
    FakeTransport t;
    t.Reply(401, R"({"error_description":"invalid client credentials","error":"invalid_client"})");
    auto token = Flow().Authenticate(t);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, "invalid_client");
    EXPECT_EQ(token.error().message, "invalid client credentials");
    EXPECT_EQ(token.error().http_status, 401);
}

TEST(ClientOAuth, NonOAuthAnswersAreProtocolErrors) {
    FakeTransport t;
    t.Reply(404, "<html><body>Not Found</body></html>", {{"Content-Type", "text/html"}});
    t.Reply(302, "", {{"Location", "https://acme.my.salesforce.com/services/oauth2/token"}});
    t.Reply(200, R"({"token_type":"Bearer"})");
    auto a = Flow().Authenticate(t);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(a.error().http_status, 404);
    EXPECT_NE(a.error().message.find("Not Found"), std::string::npos);
    auto b = Flow().Authenticate(t);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, "LOGIN_REDIRECTED");
    EXPECT_NE(b.error().message.find("acme.my.salesforce.com"), std::string::npos);
    auto c = Flow().Authenticate(t);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().kind, ErrorKind::kProtocol);
}

TEST(ClientOAuth, TransportErrorsPassThrough) {
    FakeTransport t;
    t.Fail(MakeError(ErrorKind::kTimeout, "TIMEOUT", "Operation timed out"));
    auto token = Flow().Authenticate(t);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().kind, ErrorKind::kTimeout);
}

TEST(ClientOAuth, ClientCredentialsInBodyOrBasicHeader) {
    FakeTransport t;
    t.Reply(200, TokenBody()).Reply(200, TokenBody());
    ClientCredentialsFlow f;
    f.login_url = "http://127.0.0.1:8080";
    f.client_id = "3MVG9local.key";
    f.client_secret = "local-secret";
    ASSERT_TRUE(f.Authenticate(t));
    EXPECT_EQ(t.requests[0].url, "http://127.0.0.1:8080/services/oauth2/token");
    EXPECT_EQ(t.requests[0].body,
              "grant_type=client_credentials&client_id=3MVG9local.key&client_secret=local-secret");
    EXPECT_EQ(t.requests[0].Header("Authorization"), nullptr);

    f.use_basic_auth = true;
    ASSERT_TRUE(f.Authenticate(t));
    EXPECT_EQ(t.requests[1].body, "grant_type=client_credentials");
    ASSERT_NE(t.requests[1].Header("Authorization"), nullptr);
    // printf '3MVG9local.key:local-secret' | base64
    EXPECT_EQ(*t.requests[1].Header("Authorization"), "Basic M01WRzlsb2NhbC5rZXk6bG9jYWwtc2VjcmV0");
}

TEST(ClientOAuth, LoginUrlNormalisation) {
    EXPECT_EQ(*NormalizeLoginUrl("test.salesforce.com/"), "https://test.salesforce.com");
    EXPECT_EQ(*NormalizeLoginUrl("http://127.0.0.1:8080//"), "http://127.0.0.1:8080");
    EXPECT_FALSE(NormalizeLoginUrl(""));
    EXPECT_FALSE(NormalizeLoginUrl("ftp://x"));
}

TEST(ClientOAuth, FormEncodingKeepsPlusAndSpaces) {
    EXPECT_EQ(FormEncode({{"password", "a+b c&d=e"}}), "password=a%2Bb%20c%26d%3De");
}

}  // namespace
}  // namespace sfkit::client
