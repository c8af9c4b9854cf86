// The OAuth 2.0 JWT bearer grant of the local org over real HTTP (wire reference §A.3.4, §A.5):
// connected-app certificates in the org definition, the success answer, every refusal with
// Salesforce's texts, and the certificate surviving a restart.
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"

#include "server/org/org_def.hpp"
#include "support/raw_http.hpp"
#include "support/rsa_test_keys.hpp"
#include "support/stored_values.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kJwtKey = "3MVG9jwt.key";
constexpr const char* kPlainKey = "3MVG9plain.key";
constexpr const char* kGrant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

const RsaTestKey& Key() {
    static const RsaTestKey key = MakeRsaTestKey();
    return key;
}
const RsaTestKey& OtherKey() {
    static const RsaTestKey key = MakeRsaTestKey();
    return key;
}

std::string WriteFile(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

/// The org definition: the app's certificate comes from a file next to it.
std::string OrgDef() {
    return R"({
  "orgName": "Acme JWT",
  "users": [
    {"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"},
    {"username": "ci@acme.test", "password": "Ci-Passw0rd!"},
    {"username": "locked@acme.test", "password": "L0cked-pw!"},
    {"username": "gone@acme.test", "password": "G0ne-pw!", "active": false}
  ],
  "connectedApps": [
    {"name": "Seed App", "consumerKey": "3MVG9local.key", "consumerSecret": "local-secret",
     "scopes": ["api", "refresh_token"]},
    {"name": "CI App", "consumerKey": "3MVG9jwt.key", "consumerSecret": "jwt-secret",
     "scopes": ["api", "web"], "certificateFile": "certs/ci.crt"},
    {"name": "Plain App", "consumerKey": "3MVG9plain.key", "consumerSecret": "plain-secret"}
  ],
  "lockoutThreshold": 1,
  "lockoutMinutes": 5
})";
}

server::LocalOrgOptions Options(const TempDir& dir) {
    std::filesystem::create_directories(dir.Path() + "/certs");
    WriteFile(dir.Path() + "/certs/ci.crt", Key().certificate_pem);
    auto o = TestOrg::DefaultOptions();
    o.org_def_file = WriteFile(dir.Path() + "/org-def.json", OrgDef());
    return o;
}

std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Claims {
    std::string iss = kJwtKey;
    std::string sub = "ci@acme.test";
    std::string aud = "\"https://login.salesforce.com\"";  ///< JSON text
    std::string exp = std::to_string(Now() + 180);         ///< JSON text, "" = absent

    std::string Json() const {
        std::string s = R"({"iss":")" + iss + R"(","sub":")" + sub + R"(","aud":)" + aud;
        if (!exp.empty()) {
            s += R"(,"exp":)" + exp;
        }
        return s + "}";
    }
};

std::string Assertion(const Claims& c = {}, const std::string& key_pem = Key().private_key_pem) {
    return SignedJwt(R"({"alg":"RS256"})", c.Json(), key_pem);
}

std::string Error(const std::string& error, const std::string& description) {
    return R"({"error":")" + error + R"(","error_description":")" + description + R"("})";
}

class JwtBearerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        org_ = new TestOrg(Options(*dir_));
    }
    static void TearDownTestSuite() {
        delete org_;
        delete dir_;
        org_ = nullptr;
        dir_ = nullptr;
    }
    static RawResponse Token(const std::string& assertion,
                             std::vector<std::string> headers = {kForm},
                             const std::string& extra = "") {
        return Fetch(org_->Port(),
                     "POST",
                     "/services/oauth2/token",
                     headers,
                     std::string("grant_type=") + kGrant + "&assertion=" + assertion + extra);
    }
    static TestOrg* org_;
    static TempDir* dir_;
};

TestOrg* JwtBearerTest::org_ = nullptr;
TempDir* JwtBearerTest::dir_ = nullptr;

TEST_F(JwtBearerTest, SignedAssertionLogsInWithSalesforcesJwtAnswer) {
    const RawResponse r = Token(Assertion());
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    // §A.3.4: these keys in this order; no refresh_token, signature or issued_at.
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    EXPECT_EQ(
        keys,
        (std::vector<std::string>{"access_token", "scope", "instance_url", "id", "token_type"}));
    const std::string token(o.at("access_token").as_string());
    EXPECT_EQ(token.size(), 112U);
    EXPECT_EQ(token.substr(0, 15), org_->Org().Org().org_id.substr(0, 15));
    EXPECT_EQ(o.at("scope").as_string(), "api web");
    EXPECT_EQ(o.at("instance_url").as_string(), org_->BaseUrl());
    EXPECT_EQ(o.at("token_type").as_string(), "Bearer");
    const std::string id(o.at("id").as_string());
    EXPECT_EQ(id.rfind(org_->BaseUrl() + "/id/" + org_->Org().Org().org_id + "/005", 0), 0U) << id;

    // The token works on REST, and the login set the user's LastLoginDate (same session path
    // as the password grant).
    const std::string user_id = id.substr(id.rfind('/') + 1);
    const RawResponse u =
        Fetch(org_->Port(),
              "GET",
              "/services/data/v60.0/sobjects/User/" + user_id + "?fields=Username,LastLoginDate",
              {"Authorization: Bearer " + token});
    ASSERT_EQ(u.status, 200) << u.body;
    const json::object user = json::parse(u.body).as_object();
    EXPECT_EQ(user.at("Username").as_string(), "ci@acme.test");
    EXPECT_TRUE(user.at("LastLoginDate").is_string()) << u.body;
}

TEST_F(JwtBearerTest, AcceptedAudiencesAndCaseInsensitiveUsername) {
    for (const std::string& aud : {std::string("https://login.salesforce.com"),
                                   std::string("https://test.salesforce.com"),
                                   org_->BaseUrl()}) {
        Claims c;
        c.aud = "\"" + aud + "\"";
        const RawResponse r = Token(Assertion(c));
        EXPECT_EQ(r.status, 200) << aud << " " << r.body;
    }
    Claims c;
    c.sub = "CI@Acme.TEST";
    EXPECT_EQ(Token(Assertion(c)).status, 200);
    // A fractional NumericDate (RFC 7519 §2) is a valid exp.
    c.exp = std::to_string(Now() + 100) + ".5";
    EXPECT_EQ(Token(Assertion(c)).status, 200);
}

TEST_F(JwtBearerTest, RefusalsUseSalesforcesTexts) {
    const std::string invalid_assertion = Error("invalid_grant", "invalid assertion");
    const std::string audience = Error("invalid_grant", "Audience validation failed");
    const std::string expired = Error("invalid_grant", "expired authorization code");
    const std::string not_approved = Error("invalid_grant", "user hasn't approved this consumer");
    const std::string good = Assertion();
    const std::string signing_input = good.substr(0, good.rfind('.'));
    const std::string claims_json = Claims{}.Json();

    struct Case {
        const char* name;
        std::string assertion;
        std::string expected;
    };
    std::vector<Case> cases;
    cases.push_back(
        {"signed by another key", Assertion({}, OtherKey().private_key_pem), invalid_assertion});
    std::string flipped = good;
    flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
    cases.push_back({"bad signature", flipped, invalid_assertion});
    cases.push_back({"claims changed after signing",
                     Base64Url(R"({"alg":"RS256"})") + "." +
                         Base64Url(Claims{.sub = "admin@acme.test"}.Json()) +
                         good.substr(good.rfind('.')),
                     invalid_assertion});
    cases.push_back({"alg none, no signature",
                     Base64Url(R"({"alg":"none"})") + "." + Base64Url(claims_json) + ".",
                     invalid_assertion});
    cases.push_back({"alg none with the RS256 signature",
                     Base64Url(R"({"alg":"none"})") + "." + Base64Url(claims_json) +
                         good.substr(good.rfind('.')),
                     invalid_assertion});
    cases.push_back(
        {"alg HS256",
         SignedJwt(R"({"alg":"HS256","typ":"JWT"})", claims_json, Key().private_key_pem),
         invalid_assertion});
    cases.push_back({"no alg",
                     SignedJwt(R"({"typ":"JWT"})", claims_json, Key().private_key_pem),
                     invalid_assertion});
    cases.push_back({"two parts", signing_input, invalid_assertion});
    cases.push_back({"four parts", good + ".x", invalid_assertion});
    cases.push_back(
        {"not base64url", "%25%25%25." + good.substr(good.find('.') + 1), invalid_assertion});
    cases.push_back({"claims not JSON",
                     SignedJwt(R"({"alg":"RS256"})", "not json", Key().private_key_pem),
                     invalid_assertion});
    cases.push_back({"empty assertion", "", invalid_assertion});
    cases.push_back({"unknown issuer",
                     Assertion(Claims{.iss = "3MVG9nobody"}),
                     Error("invalid_client_id", "client identifier invalid")});
    cases.push_back(
        {"app without certificate", Assertion(Claims{.iss = kPlainKey}), invalid_assertion});
    cases.push_back(
        {"wrong audience", Assertion(Claims{.aud = "\"https://login.example.com\""}), audience});
    cases.push_back({"audience with a trailing slash",
                     Assertion(Claims{.aud = "\"https://login.salesforce.com/\""}),
                     audience});
    cases.push_back({"audience as an array",
                     Assertion(Claims{.aud = "[\"https://login.salesforce.com\"]"}),
                     audience});
    cases.push_back({"expired beyond the skew",
                     Assertion(Claims{.exp = std::to_string(Now() - 200)}),
                     expired});
    cases.push_back({"no exp", Assertion(Claims{.exp = ""}), expired});
    cases.push_back(
        {"unknown subject", Assertion(Claims{.sub = "nobody@acme.test"}), not_approved});
    cases.push_back({"inactive subject",
                     Assertion(Claims{.sub = "gone@acme.test"}),
                     Error("invalid_grant", "inactive user")});
    for (const Case& c : cases) {
        const RawResponse r = Token(c.assertion);
        EXPECT_EQ(r.status, 400) << c.name;
        EXPECT_EQ(r.body, c.expected) << c.name;
    }
    // Within the clock-skew allowance an assertion just past its exp still logs in.
    EXPECT_EQ(Token(Assertion(Claims{.exp = std::to_string(Now() - 60)})).status, 200);
}

TEST_F(JwtBearerTest, ErrorsFollowTheTokenEndpointsFormatNegotiation) {
    const std::string bad = Assertion(Claims{.sub = "nobody@acme.test"});
    RawResponse r = Token(bad, {kForm}, "&format=urlencoded");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "error=invalid_grant&error_description=user+hasn%27t+approved+this+consumer")
        << r.body;
    r = Token(bad, {kForm, "Accept: application/xml"});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("<error>invalid_grant</error>"), std::string::npos) << r.body;
}

TEST_F(JwtBearerTest, LockedOutUserIsRefused) {
    // lockoutThreshold 1: one wrong password locks the user for every kind of login.
    const RawResponse p = Fetch(org_->Port(),
                                "POST",
                                "/services/oauth2/token",
                                {kForm},
                                "grant_type=password&client_id=3MVG9local.key&client_secret="
                                "local-secret&username=locked%40acme.test&password=wrong");
    ASSERT_EQ(p.status, 400);
    const RawResponse r = Token(Assertion(Claims{.sub = "locked@acme.test"}));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, Error("invalid_grant", "authentication failure"));
}

TEST_F(JwtBearerTest, ClientLibraryFlowLogsIn) {
    client::CurlTransport transport;
    client::JwtBearerFlow flow;
    flow.login_url = org_->BaseUrl() + "/";
    flow.client_id = kJwtKey;
    flow.username = "ci@acme.test";
    flow.private_key_pem = Key().private_key_pem;
    // A local org's URL is its own default audience.
    auto token = flow.Authenticate(transport);
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(token->instance_url, org_->BaseUrl());
    EXPECT_EQ(token->org_id, org_->Org().Org().org_id);
    EXPECT_EQ(token->scope, "api web");
    const RawResponse r = Fetch(org_->Port(),
                                "GET",
                                "/services/data/v60.0/sobjects",
                                {"Authorization: Bearer " + token->access_token});
    EXPECT_EQ(r.status, 200) << r.body;

    flow.audience = "https://login.salesforce.com";
    EXPECT_TRUE(flow.Authenticate(transport));
    flow.private_key_pem = OtherKey().private_key_pem;
    auto refused = flow.Authenticate(transport);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(refused.error().message, "invalid assertion");
}

// ---- org definition ----------------------------------------------------------------------------

TEST(JwtOrgDefinitionTest, CertificateTextOrFileIsCheckedAtParse) {
    TempDir dir;
    auto def_with = [](const std::string& app_extra) {
        return R"({"users":[{"username":"a@b.test","password":"pw"}],"connectedApps":[)"
               R"({"name":"Signer","consumerKey":"k","consumerSecret":"s")" +
               app_extra + "}]}";
    };
    json::string pem(Key().certificate_pem);
    const auto ok = server::ParseOrgDefinition(
        def_with(R"(,"certificate":)" + json::serialize(pem)), dir.Path() + "/def.json");
    EXPECT_EQ(ok.apps.at(0).certificate_pem, Key().certificate_pem);

    WriteFile(dir.Path() + "/signer.crt", Key().certificate_pem);
    const auto from_file = server::ParseOrgDefinition(
        def_with(R"(,"certificateFile":"signer.crt")"), dir.Path() + "/def.json");
    EXPECT_EQ(from_file.apps.at(0).certificate_pem, Key().certificate_pem);

    const auto message = [&](const std::string& extra) -> std::string {
        try {
            server::ParseOrgDefinition(def_with(extra), dir.Path() + "/def.json");
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "no error";
    };
    std::string m = message(
        R"(,"certificate":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")");
    EXPECT_NE(m.find("connectedApps[0].certificate"), std::string::npos) << m;
    EXPECT_NE(m.find("app 'Signer'"), std::string::npos) << m;
    m = message(R"(,"certificate":"hello")");
    EXPECT_NE(m.find("PEM"), std::string::npos) << m;
    // A private key is not a certificate.
    m = message(R"(,"certificate":)" + json::serialize(json::string(Key().private_key_pem)));
    EXPECT_NE(m.find("app 'Signer'"), std::string::npos) << m;
    m = message(R"(,"certificateFile":"missing.crt")");
    EXPECT_NE(m.find("connectedApps[0].certificateFile"), std::string::npos) << m;
    EXPECT_NE(m.find("missing.crt"), std::string::npos) << m;
    m = message(R"(,"certificateFile":"signer.crt","certificate":"x")");
    EXPECT_NE(m.find("not both"), std::string::npos) << m;
}

TEST(JwtOrgDefinitionTest, BadCertificateStopsTheStart) {
    TempDir dir;
    auto options = Options(dir);
    WriteFile(dir.Path() + "/certs/ci.crt", "-----BEGIN CERTIFICATE-----\nbroken\n");
    try {
        TestOrg org(options);
        ADD_FAILURE() << "the org started";
    } catch (const std::exception& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("certificateFile"), std::string::npos) << m;
        EXPECT_NE(m.find("app 'CI App'"), std::string::npos) << m;
    }
}

TEST(JwtPersistenceTest, CertificateIsStoredAndLoginsWorkAfterARestart) {
    TempDir dir;
    auto options = Options(dir);
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    std::string token;
    {
        TestOrg org(options);
        const RawResponse r =
            Fetch(org.Port(),
                  "POST",
                  "/services/oauth2/token",
                  {kForm},
                  std::string("grant_type=") + kGrant + "&assertion=" + Assertion());
        ASSERT_EQ(r.status, 200) << r.body;
        token = std::string(json::parse(r.body).at("access_token").as_string());
    }
    // The certificate is an app setting in the org database, like the others.
    const std::string body_line = Key().certificate_pem.substr(30, 60);
    EXPECT_FALSE(WhereStored(options.data_dir, body_line).empty());

    TestOrg again(options);
    EXPECT_NE(Fetch(again.Port(),
                    "GET",
                    "/services/data/v60.0/sobjects",
                    {"Authorization: Bearer " + token})
                  .status,
              401);
    const RawResponse r = Fetch(again.Port(),
                                "POST",
                                "/services/oauth2/token",
                                {kForm},
                                std::string("grant_type=") + kGrant + "&assertion=" + Assertion());
    EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace sfkit::test
