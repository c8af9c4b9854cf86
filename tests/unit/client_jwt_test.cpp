// JwtBearerFlow against a scripted transport: the token request, the assertion's header, claims
// and RS256 signature (checked with the certificate, independently of the client's code), the
// default audience, and key errors (§A.3.4).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"

#include "support/fake_transport.hpp"
#include "support/rsa_test_keys.hpp"

namespace sfkit::client {
namespace {

namespace json = boost::json;
using test::FakeTransport;

const test::RsaTestKey& Key() {
    static const test::RsaTestKey key = test::MakeRsaTestKey();
    return key;
}

JwtBearerFlow Flow() {
    JwtBearerFlow f;
    f.client_id = "3MVG9jwt.key";
    f.username = "ci@acme.test";
    f.private_key_pem = Key().private_key_pem;
    return f;
}

std::string FormValue(const std::string& body, const std::string& name) {
    const std::string needle = name + "=";
    std::size_t pos = 0;
    while ((pos = body.find(needle, pos)) != std::string::npos) {
        if (pos == 0 || body[pos - 1] == '&') {
            const std::size_t end = body.find('&', pos);
            return body.substr(
                pos + needle.size(),
                end == std::string::npos ? std::string::npos : end - pos - needle.size());
        }
        ++pos;
    }
    return {};
}

std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TEST(ClientJwtBearer, SendsASignedAssertionAndParsesTheJwtAnswer) {
    FakeTransport t;
    t.Reply(
        200,
        R"({"access_token":"00Dxx0000001gPL!AR8AQtoken","scope":"web openid api id",)"
        R"("instance_url":"https://acme.my.salesforce.com","id":"https://acme.my.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS","token_type":"Bearer"})");
    auto flow = Flow();
    flow.login_url = "https://login.salesforce.com/";
    const std::int64_t before = Now();
    auto token = flow.Authenticate(t);
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(token->access_token, "00Dxx0000001gPL!AR8AQtoken");
    EXPECT_EQ(token->instance_url, "https://acme.my.salesforce.com");
    EXPECT_EQ(token->user_id, "005xx000001SwiUAAS");
    EXPECT_TRUE(token->signature.empty());

    ASSERT_EQ(t.requests.size(), 1U);
    const auto& req = t.requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://login.salesforce.com/services/oauth2/token");
    EXPECT_EQ(FormValue(req.body, "grant_type"),
              "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
    EXPECT_EQ(FormValue(req.body, "client_secret"), "");
    const std::string assertion = FormValue(req.body, "assertion");
    // base64url has no characters a form encoder would escape.
    ASSERT_EQ(std::count(assertion.begin(), assertion.end(), '.'), 2) << assertion;
    const auto dot1 = assertion.find('.');
    const auto dot2 = assertion.rfind('.');
    EXPECT_EQ(test::FromBase64Url(assertion.substr(0, dot1)), R"({"alg":"RS256"})");
    const json::object claims =
        json::parse(test::FromBase64Url(assertion.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
    EXPECT_EQ(claims.at("iss").as_string(), "3MVG9jwt.key");
    EXPECT_EQ(claims.at("sub").as_string(), "ci@acme.test");
    EXPECT_EQ(claims.at("aud").as_string(), "https://login.salesforce.com");
    const std::int64_t exp = claims.at("exp").as_int64();
    EXPECT_GE(exp, before + 180);
    EXPECT_LE(exp, Now() + 180);
    EXPECT_TRUE(test::VerifyRs256WithCertificate(assertion.substr(0, dot2),
                                                 test::FromBase64Url(assertion.substr(dot2 + 1)),
                                                 Key().certificate_pem));
    // Another key's certificate does not verify it.
    EXPECT_FALSE(test::VerifyRs256WithCertificate(assertion.substr(0, dot2),
                                                  test::FromBase64Url(assertion.substr(dot2 + 1)),
                                                  test::MakeRsaTestKey().certificate_pem));
}

TEST(ClientJwtBearer, AudienceDefaultsAndOverride) {
    EXPECT_EQ(DefaultJwtAudience("https://login.salesforce.com"), "https://login.salesforce.com");
    EXPECT_EQ(DefaultJwtAudience("test.salesforce.com/"), "https://test.salesforce.com");
    EXPECT_EQ(DefaultJwtAudience("https://acme.my.salesforce.com"), "https://login.salesforce.com");
    EXPECT_EQ(DefaultJwtAudience("https://acme--dev.sandbox.my.salesforce.com"),
              "https://test.salesforce.com");
    EXPECT_EQ(DefaultJwtAudience("http://127.0.0.1:8443/"), "http://127.0.0.1:8443");

    auto flow = Flow();
    flow.audience = "https://community.example.com";
    flow.lifetime = std::chrono::seconds(60);
    auto a = flow.MakeAssertion(1'700'000'000);
    ASSERT_TRUE(a) << a.error().message;
    const auto dot1 = a->find('.');
    const json::object claims =
        json::parse(test::FromBase64Url(a->substr(dot1 + 1, a->rfind('.') - dot1 - 1))).as_object();
    EXPECT_EQ(claims.at("aud").as_string(), "https://community.example.com");
    EXPECT_EQ(claims.at("exp").as_int64(), 1'700'000'060);
}

TEST(ClientJwtBearer, KeyFromFileAndKeyErrors) {
    const auto dir = std::filesystem::temp_directory_path() / "sfkit-jwt-unit-key";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "key.pem").string();
    std::ofstream(path) << Key().private_key_pem;
    auto flow = Flow();
    flow.private_key_pem.clear();
    flow.private_key_file = path;
    EXPECT_TRUE(flow.MakeAssertion(Now()));

    flow.private_key_file = (dir / "missing.pem").string();
    auto missing = flow.MakeAssertion(Now());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::kIo);

    flow.private_key_pem = Key().certificate_pem;  // a certificate is not a private key
    auto bad = flow.MakeAssertion(Now());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "KEY_INVALID");
    EXPECT_EQ(bad.error().message.find("BEGIN"), std::string::npos);

    FakeTransport t;
    auto no_user = Flow();
    no_user.username.clear();
    EXPECT_FALSE(no_user.Authenticate(t));
    EXPECT_TRUE(t.requests.empty());
    std::filesystem::remove_all(dir);
}

TEST(ClientJwtBearer, RefusalBecomesAnAuthError) {
    FakeTransport t;
    t.Reply(
        400,
        R"({"error":"invalid_grant","error_description":"user hasn't approved this consumer"})");
    auto r = Flow().Authenticate(t);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(r.error().code, "invalid_grant");
    EXPECT_EQ(r.error().message, "user hasn't approved this consumer");
}

}  // namespace
}  // namespace sfkit::client
