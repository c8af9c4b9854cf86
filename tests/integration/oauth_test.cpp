// The identity side over real HTTP: token endpoint (success shape, every §A.5 error, Basic auth,
// formats, trusted ranges, lockout), sessions (REST 401/403, revoke, expiry, persistence),
// the identity URL, userinfo and introspection.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sfkit/core/id.hpp"

#include "server/auth/crypto.hpp"
#include "server/auth/identity.hpp"
#include "server/auth/tokens.hpp"
#include "server/storage/database.hpp"
#include "support/raw_http.hpp"
#include "support/stored_values.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kAuthFailure =
    R"({"error":"invalid_grant","error_description":"authentication failure"})";
constexpr const char* kInvalidSession =
    R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])";
constexpr const char* kFormType = "Content-Type: application/x-www-form-urlencoded";

std::string Encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string Form(const Pairs& pairs) {
    std::string out;
    for (const auto& [k, v] : pairs) {
        out += (out.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
    }
    return out;
}

Pairs PasswordGrant(const std::string& user = kUser,
                    const std::string& password = std::string(kPassword) + kSecurityToken) {
    return {{"grant_type", "password"},
            {"client_id", kClientId},
            {"client_secret", kClientSecret},
            {"username", user},
            {"password", password}};
}

RawResponse PostToken(std::uint16_t port,
                      const Pairs& form,
                      std::vector<std::string> headers = {kFormType},
                      const std::string& query = "") {
    return Fetch(port, "POST", "/services/oauth2/token" + query, headers, Form(form));
}

std::vector<std::string> Keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& kv : o) {
        out.emplace_back(kv.key());
    }
    return out;
}

std::string Str(const json::object& o, const char* key) {
    return std::string(o.at(key).as_string());
}

RawResponse Rest(std::uint16_t port, const std::string& auth_header) {
    std::vector<std::string> h;
    if (!auth_header.empty()) {
        h.push_back("Authorization: " + auth_header);
    }
    return Fetch(port, "GET", "/services/data/v60.0/sobjects", h);
}

/// A REST call got past authentication: anything but 401/403, with the API-usage header the
/// dispatcher adds only to authenticated calls.
void ExpectRestAccepted(const RawResponse& r) {
    EXPECT_NE(r.status, 401) << r.body;
    EXPECT_NE(r.status, 403) << r.body;
    EXPECT_NE(r.Header("Sforce-Limit-Info"), "") << r.status << " " << r.body;
}

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sfkit-auth-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& Path() const { return path_; }
    std::string Write(const std::string& name, const std::string& text) const {
        const std::string p = path_ + "/" + name;
        std::ofstream(p) << text;
        return p;
    }

private:
    std::string path_;
};

// An org with every kind of user and app the tests need. The first user and app match
// tests/data/org-def.json so that TestOrg::Login() works against it too.
constexpr const char* kRichOrgDef = R"({
  "orgName": "Acme Rich",
  "users": [
    {"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123",
     "firstName": "Ada", "lastName": "Admin", "email": "ada@acme.test",
     "active": true, "apiEnabled": true, "trustedIpRanges": []},
    {"username": "gone@acme.test", "password": "Gone1!", "securityToken": "TOK", "active": false},
    {"username": "noapi@acme.test", "password": "NoApi1!", "securityToken": "TOK",
     "apiEnabled": false, "profile": "Standard User"},
    {"username": "office@acme.test", "password": "Office1!", "securityToken": "TOK",
     "trustedIpRanges": [{"start": "127.0.0.1", "end": "127.0.0.255"}]},
    {"username": "remote@acme.test", "password": "Remote1!", "securityToken": "TOK",
     "trustedIpRanges": ["10.0.0.0/8"]}
  ],
  "connectedApps": [
    {"name": "Seed App", "consumerKey": "3MVG9local.key", "consumerSecret": "local-secret",
     "scopes": ["api", "refresh_token", "web", "id"],
     "callbackUrls": ["http://localhost:1717/OauthRedirect"],
     "runAsUser": "admin@acme.test", "flows": ["password", "client_credentials"]},
    {"name": "No Runner", "consumerKey": "3MVG9norunner", "consumerSecret": "s2",
     "flows": ["client_credentials"]},
    {"name": "Password Off", "consumerKey": "3MVG9pwoff", "consumerSecret": "s3",
     "runAsUser": "admin@acme.test", "flows": ["client_credentials"]},
    {"name": "Inactive Runner", "consumerKey": "3MVG9gone", "consumerSecret": "s4",
     "runAsUser": "gone@acme.test", "flows": ["client_credentials"]}
  ],
  "lockoutThreshold": 0
})";

server::LocalOrgOptions OptionsFor(const std::string& org_def_path) {
    auto o = TestOrg::DefaultOptions();
    o.org_def_file = org_def_path;
    return o;
}

class OAuthTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        org_ = new TestOrg(OptionsFor(dir_->Write("rich.json", kRichOrgDef)));
    }
    static void TearDownTestSuite() {
        delete org_;
        delete dir_;
        org_ = nullptr;
        dir_ = nullptr;
    }
    static std::uint16_t Port() { return org_->Port(); }
    static std::string OrgId() { return org_->Org().Org().org_id; }
    static std::string AdminId() { return org_->Org().Org().admin_user_id; }

    static TempDir* dir_;
    static TestOrg* org_;
};

TempDir* OAuthTest::dir_ = nullptr;
TestOrg* OAuthTest::org_ = nullptr;

// ---- token endpoint: success -----------------------------------------------------------------

TEST_F(OAuthTest, PasswordGrantReturnsEveryFieldInSalesforceOrder) {
    const auto before = server::NowMs();
    const RawResponse r = PostToken(Port(), PasswordGrant());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache, no-store");
    EXPECT_EQ(r.Header("Pragma"), "no-cache");
    EXPECT_EQ(r.body.find("\" : "), std::string::npos) << "compact JSON";
    EXPECT_EQ(r.body.find("\": "), std::string::npos) << "compact JSON";
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(o),
              (std::vector<std::string>{"access_token",
                                        "signature",
                                        "scope",
                                        "instance_url",
                                        "id",
                                        "token_type",
                                        "issued_at"}));

    const std::string token = Str(o, "access_token");
    EXPECT_EQ(token.size(), 112u);
    EXPECT_EQ(token.substr(0, 18), OrgId().substr(0, 15) + "!AQ");
    EXPECT_TRUE(server::LooksLikeAccessToken(token));
    EXPECT_EQ(Str(o, "scope"), "api refresh_token web id");
    EXPECT_EQ(Str(o, "instance_url"), org_->BaseUrl());
    EXPECT_EQ(Str(o, "id"), org_->BaseUrl() + "/id/" + OrgId() + "/" + AdminId());
    EXPECT_EQ(OrgId().size(), 18u);
    EXPECT_EQ(OrgId().substr(0, 3), "00D");
    EXPECT_EQ(AdminId().substr(0, 3), "005");
    EXPECT_EQ(Str(o, "token_type"), "Bearer");
    const std::string issued = Str(o, "issued_at");
    ASSERT_EQ(issued.size(), 13u);
    const long long issued_ms = std::stoll(issued);
    EXPECT_GE(issued_ms, before);
    EXPECT_LE(issued_ms, server::NowMs());
    // signature = base64(HMAC-SHA256(client_secret, id + issued_at)), computed here directly.
    EXPECT_EQ(Str(o, "signature"),
              server::crypto::Base64Encode(
                  server::crypto::HmacSha256(kClientSecret, Str(o, "id") + issued)));
    EXPECT_EQ(Str(o, "signature").size(), 44u);
    EXPECT_FALSE(o.contains("refresh_token"));
    ExpectRestAccepted(Rest(Port(), "Bearer " + token));
}

TEST_F(OAuthTest, TestOrgLoginWorks) {
    const std::string token = org_->Login();
    EXPECT_TRUE(server::LooksLikeAccessToken(token));
    ExpectRestAccepted(Rest(Port(), "OAuth " + token));
}

TEST_F(OAuthTest, EachLoginGetsADistinctToken) {
    const std::string a = org_->Login();
    const std::string b = org_->Login();
    EXPECT_NE(a, b);
    ExpectRestAccepted(Rest(Port(), "Bearer " + a));
    ExpectRestAccepted(Rest(Port(), "Bearer " + b));
}

TEST_F(OAuthTest, ClientCredentialsRunsAsTheAppUserAndDropsUserOnlyScopes) {
    const RawResponse r = PostToken(Port(),
                                    {{"grant_type", "client_credentials"},
                                     {"client_id", kClientId},
                                     {"client_secret", kClientSecret}});
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(o),
              (std::vector<std::string>{"access_token",
                                        "signature",
                                        "scope",
                                        "instance_url",
                                        "id",
                                        "token_type",
                                        "issued_at"}));
    EXPECT_EQ(Str(o, "scope"), "api id");
    EXPECT_EQ(Str(o, "id"), org_->BaseUrl() + "/id/" + OrgId() + "/" + AdminId());
    EXPECT_EQ(Str(o, "signature"),
              server::TokenSignature(kClientSecret, Str(o, "id"), Str(o, "issued_at")));
    ExpectRestAccepted(Rest(Port(), "Bearer " + Str(o, "access_token")));
}

TEST_F(OAuthTest, ClientCredentialsViaBasicAuthorization) {
    const std::string basic =
        server::crypto::Base64Encode(std::string(kClientId) + ":" + kClientSecret);
    const RawResponse r = PostToken(Port(),
                                    {{"grant_type", "client_credentials"}},
                                    {kFormType, "Authorization: Basic " + basic});
    ASSERT_EQ(r.status, 200) << r.body;
    const RawResponse bad = PostToken(
        Port(),
        {{"grant_type", "client_credentials"}},
        {kFormType,
         "Authorization: Basic " + server::crypto::Base64Encode(std::string(kClientId) + ":nope")});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
}

TEST_F(OAuthTest, PasswordGrantWithBasicClientAuthentication) {
    const std::string basic =
        server::crypto::Base64Encode(std::string(kClientId) + ":" + kClientSecret);
    const RawResponse r = PostToken(Port(),
                                    {{"grant_type", "password"},
                                     {"username", kUser},
                                     {"password", std::string(kPassword) + kSecurityToken}},
                                    {kFormType, "Authorization: Basic " + basic});
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, UsernamesAreCaseInsensitive) {
    EXPECT_EQ(PostToken(Port(), PasswordGrant("ADMIN@Acme.Test")).status, 200);
}

TEST_F(OAuthTest, ParametersInTheQueryStringAreAccepted) {
    const RawResponse r = Fetch(Port(), "POST", "/services/oauth2/token?" + Form(PasswordGrant()));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, UrlEncodedAndXmlFormats) {
    Pairs form = PasswordGrant();
    form.emplace_back("format", "urlencoded");
    RawResponse r = PostToken(Port(), form);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/x-www-form-urlencoded;charset=UTF-8");
    EXPECT_EQ(r.body.rfind("access_token=" + OrgId().substr(0, 15) + "%21AQ", 0), 0u) << r.body;
    EXPECT_NE(r.body.find("&scope=api+refresh_token+web+id&instance_url=http%3A%2F%2F127.0.0.1%3A"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("&token_type=Bearer&issued_at="), std::string::npos) << r.body;

    r = PostToken(Port(), PasswordGrant(), {kFormType, "Accept: application/xml"});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/xml;charset=UTF-8");
    EXPECT_EQ(r.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><OAuth><access_token>", 0),
              0u)
        << r.body;
    EXPECT_NE(r.body.find("<token_type>Bearer</token_type><issued_at>"), std::string::npos);

    form = PasswordGrant(kUser, "wrong");
    form.emplace_back("format", "urlencoded");
    r = PostToken(Port(), form);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "error=invalid_grant&error_description=authentication+failure");
}

// ---- token endpoint: every error of §A.5 ----------------------------------------------------

struct ErrorCase {
    const char* name;
    Pairs form;
    const char* body;
};

TEST_F(OAuthTest, EveryTokenErrorHasTheExactSalesforceBody) {
    const std::string good_pw = std::string(kPassword) + kSecurityToken;
    auto with = [](Pairs p, const std::string& key, const std::string& value) {
        for (auto& kv : p) {
            if (kv.first == key) {
                kv.second = value;
                return p;
            }
        }
        p.emplace_back(key, value);
        return p;
    };
    auto without = [](Pairs p, const std::string& key) {
        std::erase_if(p, [&](const auto& kv) { return kv.first == key; });
        return p;
    };
    const char* unsupported =
        R"({"error":"unsupported_grant_type","error_description":"grant type not supported"})";
    const char* bad_client =
        R"({"error":"invalid_client_id","error_description":"client identifier invalid"})";
    const char* bad_secret =
        R"({"error":"invalid_client","error_description":"invalid client credentials"})";
    const ErrorCase cases[] = {
        {"wrong password",
         PasswordGrant(kUser, "wrong" + std::string(kSecurityToken)),
         kAuthFailure},
        {"password without token", PasswordGrant(kUser, kPassword), kAuthFailure},
        {"wrong token", PasswordGrant(kUser, std::string(kPassword) + "TOKEN124"), kAuthFailure},
        {"token only", PasswordGrant(kUser, kSecurityToken), kAuthFailure},
        {"unknown user", PasswordGrant("nobody@acme.test", good_pw), kAuthFailure},
        {"missing password", without(PasswordGrant(), "password"), kAuthFailure},
        {"missing username", without(PasswordGrant(), "username"), kAuthFailure},
        {"inactive user, right password",
         PasswordGrant("gone@acme.test", "Gone1!TOK"),
         R"({"error":"invalid_grant","error_description":"inactive user"})"},
        {"inactive user, wrong password", PasswordGrant("gone@acme.test", "nope"), kAuthFailure},
        {"unknown client id", with(PasswordGrant(), "client_id", "3MVG9nope"), bad_client},
        {"missing client id", without(PasswordGrant(), "client_id"), bad_client},
        {"wrong secret", with(PasswordGrant(), "client_secret", "local-secreT"), bad_secret},
        {"missing secret", without(PasswordGrant(), "client_secret"), bad_secret},
        {"missing grant", without(PasswordGrant(), "grant_type"), unsupported},
        {"unknown grant", with(PasswordGrant(), "grant_type", "magic"), unsupported},
        {"refresh grant, unknown refresh token",
         with(PasswordGrant(), "grant_type", "refresh_token"),
         R"({"error":"invalid_grant","error_description":"expired access/refresh token"})"},
        // Order of checks: grant type, client id, secret, then the user.
        {"bad grant beats bad client",
         with(with(PasswordGrant(), "grant_type", "x"), "client_id", "nope"),
         unsupported},
        {"bad client beats bad secret",
         with(with(PasswordGrant(), "client_id", "nope"), "client_secret", "nope"),
         bad_client},
        {"bad secret beats bad password",
         with(with(PasswordGrant(), "client_secret", "nope"), "password", "nope"),
         bad_secret},
        {"password flow not enabled",
         with(with(PasswordGrant(), "client_id", "3MVG9pwoff"), "client_secret", "s3"),
         kAuthFailure},
        {"client credentials without run-as user",
         {{"grant_type", "client_credentials"},
          {"client_id", "3MVG9norunner"},
          {"client_secret", "s2"}},
         R"({"error":"invalid_grant","error_description":"no client credentials user enabled"})"},
        {"client credentials with an inactive run-as user",
         {{"grant_type", "client_credentials"},
          {"client_id", "3MVG9gone"},
          {"client_secret", "s4"}},
         R"({"error":"invalid_grant","error_description":"inactive user"})"},
    };
    for (const auto& c : cases) {
        const RawResponse r = PostToken(Port(), c.form);
        EXPECT_EQ(r.status, 400) << c.name;
        EXPECT_EQ(r.body, c.body) << c.name;
        EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8") << c.name;
        EXPECT_EQ(r.Header("Cache-Control"), "no-cache, no-store") << c.name;
    }
}

TEST_F(OAuthTest, ClientCredentialsFlowNotEnabledOnTheApp) {
    // "Seed App" enables both flows; a password-only app must refuse client_credentials.
    TempDir dir;
    TestOrg org(OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "a@b.test", "password": "pw"}],
      "connectedApps": [{"name": "P", "consumerKey": "k", "consumerSecret": "s",
                         "runAsUser": "a@b.test", "flows": ["password"]}]})")));
    const RawResponse r = PostToken(
        org.Port(),
        {{"grant_type", "client_credentials"}, {"client_id", "k"}, {"client_secret", "s"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        R"({"error":"invalid_grant","error_description":"client credentials flow not enabled"})");
    // The password flow of that app works, with an empty security token.
    const RawResponse ok = PostToken(org.Port(),
                                     {{"grant_type", "password"},
                                      {"client_id", "k"},
                                      {"client_secret", "s"},
                                      {"username", "a@b.test"},
                                      {"password", "pw"}});
    EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(OAuthTest, NonFormBodiesAreUnsupportedGrantTypes) {
    const std::string unsupported =
        R"({"error":"unsupported_grant_type","error_description":"grant type not supported"})";
    RawResponse r = Fetch(Port(),
                          "POST",
                          "/services/oauth2/token",
                          {"Content-Type: application/json"},
                          R"({"grant_type":"password","client_id":"3MVG9local.key"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, unsupported);
    r = Fetch(Port(), "POST", "/services/oauth2/token", {}, Form(PasswordGrant()));
    EXPECT_EQ(r.status, 400) << "a form body without its Content-Type is not read";
    EXPECT_EQ(r.body, unsupported);
    r = Fetch(Port(),
              "POST",
              "/services/oauth2/token",
              {"Content-Type: application/x-www-form-urlencoded; charset=UTF-8"},
              Form(PasswordGrant()));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(OAuthTest, TrustedRangeNeedsNoSecurityToken) {
    // office@ trusts 127.0.0.1-127.0.0.255, where the test client connects from.
    EXPECT_EQ(PostToken(Port(), PasswordGrant("office@acme.test", "Office1!")).status, 200);
    EXPECT_EQ(PostToken(Port(), PasswordGrant("office@acme.test", "Office1!TOK")).status, 200);
    RawResponse r = PostToken(Port(), PasswordGrant("office@acme.test", "Office2!"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, kAuthFailure);
    // remote@ trusts only 10.0.0.0/8: from 127.0.0.1 the token is required.
    r = PostToken(Port(), PasswordGrant("remote@acme.test", "Remote1!"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, kAuthFailure);
    EXPECT_EQ(PostToken(Port(), PasswordGrant("remote@acme.test", "Remote1!TOK")).status, 200);
}

TEST_F(OAuthTest, OrgWideTrustedRangesApplyToEveryUser) {
    TempDir dir;
    TestOrg org(OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "a@b.test", "password": "pw", "securityToken": "T"}],
      "connectedApps": [{"name": "P", "consumerKey": "k", "consumerSecret": "s"}],
      "trustedIpRanges": ["127.0.0.0/8"]})")));
    Pairs form = {{"grant_type", "password"},
                  {"client_id", "k"},
                  {"client_secret", "s"},
                  {"username", "a@b.test"},
                  {"password", "pw"}};
    EXPECT_EQ(PostToken(org.Port(), form).status, 200);
}

// ---- lockout ---------------------------------------------------------------------------------

TEST(OAuthLockoutTest, TenFailuresLockTheUserEvenAgainstTheRightPassword) {
    TempDir dir;
    // Default threshold (10); a 0.02-minute (1.2 s) lock keeps the test short.
    TestOrg org(OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"}],
      "connectedApps": [{"name": "Seed App", "consumerKey": "3MVG9local.key",
                         "consumerSecret": "local-secret"}],
      "lockoutMinutes": 0.02})")));
    for (int i = 0; i < 10; ++i) {
        const RawResponse r =
            PostToken(org.Port(), PasswordGrant(kUser, "bad" + std::to_string(i)));
        ASSERT_EQ(r.status, 400);
        ASSERT_EQ(r.body, kAuthFailure);
    }
    const auto locked_at = std::chrono::steady_clock::now();
    const RawResponse locked = PostToken(org.Port(), PasswordGrant());
    EXPECT_EQ(locked.status, 400);
    EXPECT_EQ(locked.body, kAuthFailure) << "a locked user gets exactly the wrong-password answer";
    std::this_thread::sleep_until(locked_at + std::chrono::milliseconds(1300));
    const RawResponse after = PostToken(org.Port(), PasswordGrant());
    EXPECT_EQ(after.status, 200) << after.body;
}

TEST(OAuthLockoutTest, SuccessResetsTheFailureCount) {
    TempDir dir;
    TestOrg org(OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"}],
      "connectedApps": [{"name": "Seed App", "consumerKey": "3MVG9local.key",
                         "consumerSecret": "local-secret"}],
      "lockoutThreshold": 3, "lockoutMinutes": 5})")));
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 2; ++i) {
            ASSERT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "bad")).status, 400);
        }
        ASSERT_EQ(PostToken(org.Port(), PasswordGrant()).status, 200) << "round " << round;
    }
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "bad")).status, 400);
    }
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).body, kAuthFailure);
}

TEST(OAuthLockoutTest, ConcurrentFailuresAreCountedExactly) {
    TempDir dir;
    TestOrg org(OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"}],
      "connectedApps": [{"name": "Seed App", "consumerKey": "3MVG9local.key",
                         "consumerSecret": "local-secret"}],
      "lockoutThreshold": 10})")));
    // Nine failures from three threads at once must leave the user one failure short of a lock.
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&org] {
            for (int i = 0; i < 3; ++i) {
                EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "bad")).body, kAuthFailure);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    ASSERT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "bad")).status, 400);  // the tenth
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).body, kAuthFailure) << "locked now";
}

TEST_F(OAuthTest, ConcurrentLoginsAllGetWorkingTokens) {
    std::vector<std::string> tokens(16);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
        threads.emplace_back([&tokens, t] {
            for (std::size_t i = 0; i < 4; ++i) {
                tokens[t * 4 + i] = org_->Login();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::set<std::string> distinct(tokens.begin(), tokens.end());
    EXPECT_EQ(distinct.size(), tokens.size());
    for (const auto& token : tokens) {
        ExpectRestAccepted(Rest(Port(), "Bearer " + token));
    }
}

// ---- sessions --------------------------------------------------------------------------------

TEST_F(OAuthTest, RestRefusesMissingUnknownAndMalformedTokens) {
    for (const std::string& header : {std::string(),
                                      std::string("Bearer"),
                                      std::string("Bearer 00Dxx0000001gPL!AQ.nope"),
                                      "Basic " + server::crypto::Base64Encode("a:b"),
                                      "Bearer " + std::string(112, 'A')}) {
        const RawResponse r = Rest(Port(), header);
        EXPECT_EQ(r.status, 401) << header;
        EXPECT_EQ(r.body, kInvalidSession) << header;
        EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    }
}

TEST_F(OAuthTest, ApiDisabledUserGetsATokenButRestAnswers403) {
    const RawResponse t = PostToken(Port(), PasswordGrant("noapi@acme.test", "NoApi1!TOK"));
    ASSERT_EQ(t.status, 200) << t.body;
    const std::string token = Str(json::parse(t.body).as_object(), "access_token");
    const RawResponse r = Rest(Port(), "Bearer " + token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(
        r.body,
        R"([{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}])");
    // The identity service still answers for that user.
    EXPECT_EQ(Fetch(Port(), "GET", "/services/oauth2/userinfo", {"Authorization: Bearer " + token})
                  .status,
              200);
}

TEST_F(OAuthTest, RevokeStopsTheTokenImmediately) {
    const std::string token = org_->Login();
    const std::string other = org_->Login();
    ExpectRestAccepted(Rest(Port(), "Bearer " + token));
    RawResponse r =
        Fetch(Port(), "POST", "/services/oauth2/revoke", {kFormType}, "token=" + Encode(token));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    r = Rest(Port(), "Bearer " + token);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, kInvalidSession);
    ExpectRestAccepted(Rest(Port(), "Bearer " + other));
    // Revoking again, or an unknown token: 400 invalid_token, form-encoded (§A.6; the encoding
    // jsforce parses and a real capture shows).
    r = Fetch(Port(), "POST", "/services/oauth2/revoke", {kFormType}, "token=" + Encode(token));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "error=invalid_token&error_description=Token%20was%20invalid");
    EXPECT_EQ(r.Header("Content-Type"), "application/x-www-form-urlencoded;charset=UTF-8");
    // No token at all (omniphx/forrest#213, recorded).
    r = Fetch(Port(), "POST", "/services/oauth2/revoke", {kFormType}, "");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              "error=unsupported_token_type&error_description=this%20token%20type%20is%20not%"
              "20supported");
    // GET with ?token= works too, and without a Content-Type the form body is read as well.
    r = Fetch(Port(), "GET", "/services/oauth2/revoke?token=" + Encode(other));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Rest(Port(), "Bearer " + other).status, 401);
    const std::string third = org_->Login();
    r = Fetch(Port(), "POST", "/services/oauth2/revoke", {}, "token=" + Encode(third));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Rest(Port(), "Bearer " + third).status, 401);
}

TEST(OAuthSessionTest, TokensExpireAfterTheSessionTimeout) {
    auto options = TestOrg::DefaultOptions();
    options.session_timeout = std::chrono::seconds(1);
    TestOrg org(options);
    EXPECT_EQ(org.Org().Org().org_id.size(), 18u);
    const std::string token = org.Login();
    ExpectRestAccepted(Rest(org.Port(), "Bearer " + token));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const RawResponse r = Rest(org.Port(), "Bearer " + token);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, kInvalidSession);
    EXPECT_EQ(
        Fetch(org.Port(), "POST", "/services/oauth2/revoke", {kFormType}, "token=" + Encode(token))
            .status,
        400)
        << "an expired token cannot be revoked";
    EXPECT_EQ(
        Fetch(org.Port(), "GET", "/services/oauth2/userinfo", {"Authorization: Bearer " + token})
            .body,
        "Bad_OAuth_Token");
}

TEST(OAuthSessionTest, OrgDefinitionSessionTimeoutOverridesTheOption) {
    TempDir dir;
    auto options = OptionsFor(dir.Write("o.json", R"({
      "users": [{"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"}],
      "connectedApps": [{"name": "Seed App", "consumerKey": "3MVG9local.key",
                         "consumerSecret": "local-secret"}],
      "sessionTimeoutSeconds": 1})"));
    TestOrg org(options);
    EXPECT_EQ(org.Org().Org().name, "sfkit local org");
    const std::string token = org.Login();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(Rest(org.Port(), "Bearer " + token).status, 401);
}

// ---- identity URL and userinfo ---------------------------------------------------------------

TEST_F(OAuthTest, IdentityDocumentFieldsAndOrder) {
    const std::string token = org_->Login();
    const std::string path = "/id/" + OrgId() + "/" + AdminId();
    const RawResponse r = Fetch(Port(), "GET", path, {"Authorization: Bearer " + token});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(o),
              (std::vector<std::string>{"id",
                                        "asserted_user",
                                        "user_id",
                                        "organization_id",
                                        "username",
                                        "nick_name",
                                        "display_name",
                                        "email",
                                        "email_verified",
                                        "first_name",
                                        "last_name",
                                        "timezone",
                                        "photos",
                                        "addr_street",
                                        "addr_city",
                                        "addr_state",
                                        "addr_country",
                                        "addr_zip",
                                        "mobile_phone",
                                        "mobile_phone_verified",
                                        "is_lightning_login_user",
                                        "status",
                                        "urls",
                                        "active",
                                        "user_type",
                                        "language",
                                        "locale",
                                        "utcOffset",
                                        "last_modified_date",
                                        "is_app_installed"}));
    const std::string base = org_->BaseUrl();
    EXPECT_EQ(Str(o, "id"), base + path);
    EXPECT_EQ(o.at("asserted_user"), true);
    EXPECT_EQ(Str(o, "user_id"), AdminId());
    EXPECT_EQ(Str(o, "organization_id"), OrgId());
    EXPECT_EQ(Str(o, "username"), "admin@acme.test");
    EXPECT_EQ(Str(o, "display_name"), "Ada Admin");
    EXPECT_EQ(Str(o, "email"), "ada@acme.test");
    EXPECT_EQ(Str(o, "first_name"), "Ada");
    EXPECT_EQ(Str(o, "last_name"), "Admin");
    EXPECT_TRUE(o.at("addr_street").is_null());
    EXPECT_EQ(o.at("active"), true);
    EXPECT_EQ(Str(o, "user_type"), "STANDARD");
    EXPECT_EQ(Str(o, "last_modified_date").size(), 28u);
    const json::object& urls = o.at("urls").as_object();
    EXPECT_EQ(Keys(urls),
              (std::vector<std::string>{"enterprise",
                                        "metadata",
                                        "partner",
                                        "rest",
                                        "sobjects",
                                        "search",
                                        "query",
                                        "recent",
                                        "tooling_soap",
                                        "tooling_rest",
                                        "profile",
                                        "feeds",
                                        "groups",
                                        "users",
                                        "feed_items",
                                        "feed_elements",
                                        "custom_domain"}));
    // SOAP URLs use the 15-char org id; without version= the literal {version} stays (§A.8).
    EXPECT_EQ(Str(urls, "partner"), base + "/services/Soap/u/{version}/" + OrgId().substr(0, 15));
    EXPECT_EQ(Str(urls, "rest"), base + "/services/data/v{version}/");
    EXPECT_EQ(Str(urls, "custom_domain"), base);
    EXPECT_EQ(Keys(o.at("photos").as_object()), (std::vector<std::string>{"picture", "thumbnail"}));
    EXPECT_EQ(Keys(o.at("status").as_object()), (std::vector<std::string>{"created_date", "body"}));
}

TEST_F(OAuthTest, IdentityWithOauthTokenQueryVersionAnd15CharIds) {
    const std::string token = org_->Login();
    // What jsforce's identity() sends: 15-char-tolerant ids, format=json, token in the query.
    const std::string path = "/id/" + OrgId().substr(0, 15) + "/" + AdminId().substr(0, 15) +
                             "?format=json&version=latest&oauth_token=" + Encode(token);
    const RawResponse r = Fetch(Port(), "GET", path);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Str(o, "user_id"), AdminId());
    EXPECT_EQ(Str(o.at("urls").as_object(), "rest"),
              org_->BaseUrl() + "/services/data/v" + std::string(server::kLatestApiVersion) + "/");
    const RawResponse v = Fetch(Port(),
                                "GET",
                                "/id/" + OrgId() + "/" + AdminId() + "?version=52",
                                {"Authorization: Bearer " + token});
    EXPECT_NE(v.body.find("/services/Soap/c/52.0/"), std::string::npos);
}

TEST_F(OAuthTest, IdentityAsXml) {
    const std::string token = org_->Login();
    for (const auto& [target, headers] :
         std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"/id/" + OrgId() + "/" + AdminId() + "?format=xml",
              {"Authorization: Bearer " + token}},
             {"/id/" + OrgId() + "/" + AdminId(),
              {"Authorization: Bearer " + token, "Accept: application/xml"}}}) {
        const RawResponse r = Fetch(Port(), "GET", target, headers);
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.Header("Content-Type"), "application/xml;charset=UTF-8");
        EXPECT_EQ(r.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><user "
                               "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><id>",
                               0),
                  0u)
            << r.body;
        EXPECT_NE(r.body.find("<user_id>" + AdminId() + "</user_id>"), std::string::npos);
        EXPECT_NE(r.body.find("<addr_street xsi:nil=\"true\"/>"), std::string::npos) << r.body;
        EXPECT_NE(r.body.find("<photos><picture>"), std::string::npos);
        EXPECT_NE(r.body.find("<utcOffset>-28800000</utcOffset>"), std::string::npos);
    }
}

TEST_F(OAuthTest, IdentityErrors) {
    const std::string token = org_->Login();
    const std::string auth = "Authorization: Bearer " + token;
    const std::string good = "/id/" + OrgId() + "/" + AdminId();
    struct Case {
        std::string target;
        std::vector<std::string> headers;
        int status;
        const char* body;
    };
    const std::string other_org = "00D000000000001";  // valid shape, another org
    const std::vector<Case> cases = {
        {good, {}, 403, "Missing_OAuth_Token"},
        {good, {"Authorization: Bearer nope"}, 403, "Bad_OAuth_Token"},
        {good + "?oauth_token=nope", {}, 403, "Bad_OAuth_Token"},
        {"/id/" + other_org + "/" + AdminId(), {auth}, 403, "Wrong_Org"},
        {"/id/00Dxx/" + AdminId(), {auth}, 404, "Bad_Id"},
        {"/id/" + OrgId() + "/" + AdminId().substr(0, 15) + "ZZZ", {auth}, 404, "Bad_Id"},
        {"/id/" + OrgId() + "/005000000000001", {auth}, 404, "Bad_Id"},
        {"/id/" + OrgId() + "/" + OrgId(), {auth}, 404, "Bad_Id"},
        {good + "?version=abc", {auth}, 406, "Invalid_Version"},
    };
    for (const auto& c : cases) {
        const RawResponse r = Fetch(Port(), "GET", c.target, c.headers);
        EXPECT_EQ(r.status, c.status) << c.target;
        EXPECT_EQ(r.body, c.body) << c.target;
        EXPECT_EQ(r.Header("Content-Type"), "text/plain;charset=UTF-8") << c.target;
    }
}

TEST_F(OAuthTest, IdentityOfAnotherUserNeedsAnAdminApiToken) {
    const std::string admin = org_->Login();
    const RawResponse t = PostToken(Port(), PasswordGrant("noapi@acme.test", "NoApi1!TOK"));
    const std::string noapi = Str(json::parse(t.body).as_object(), "access_token");
    const std::string noapi_id =
        json::parse(
            Fetch(Port(), "GET", "/services/oauth2/userinfo", {"Authorization: Bearer " + noapi})
                .body)
            .at("user_id")
            .as_string()
            .c_str();
    // The System Administrator with an api-scoped token may look at another user ...
    RawResponse r =
        Fetch(Port(), "GET", "/id/" + OrgId() + "/" + noapi_id, {"Authorization: Bearer " + admin});
    EXPECT_EQ(r.status, 200) << r.body;
    // ... a Standard User may not look at the admin.
    r = Fetch(
        Port(), "GET", "/id/" + OrgId() + "/" + AdminId(), {"Authorization: Bearer " + noapi});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "No_Access");
}

TEST_F(OAuthTest, UserInfoShape) {
    const std::string token = org_->Login();
    const RawResponse r =
        Fetch(Port(), "GET", "/services/oauth2/userinfo", {"Authorization: Bearer " + token});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(o),
              (std::vector<std::string>{"sub",
                                        "user_id",
                                        "organization_id",
                                        "preferred_username",
                                        "nickname",
                                        "name",
                                        "email",
                                        "email_verified",
                                        "given_name",
                                        "family_name",
                                        "zoneinfo",
                                        "photos",
                                        "profile",
                                        "picture",
                                        "address",
                                        "phone_number",
                                        "phone_number_verified",
                                        "is_salesforce_integration_user",
                                        "urls",
                                        "active",
                                        "user_type",
                                        "language",
                                        "locale",
                                        "utcOffset",
                                        "updated_at",
                                        "is_app_installed"}));
    EXPECT_EQ(Str(o, "sub"), org_->BaseUrl() + "/id/" + OrgId() + "/" + AdminId());
    EXPECT_EQ(Str(o, "preferred_username"), "admin@acme.test");
    EXPECT_EQ(Str(o, "name"), "Ada Admin");
    EXPECT_EQ(Str(o, "given_name"), "Ada");
    EXPECT_EQ(Str(o, "family_name"), "Admin");
    EXPECT_EQ(Str(o, "updated_at").size(), 20u);
    EXPECT_EQ(Str(o, "updated_at").back(), 'Z');
    const RawResponse missing = Fetch(Port(), "GET", "/services/oauth2/userinfo");
    EXPECT_EQ(missing.status, 403);
    EXPECT_EQ(missing.body, "Missing_OAuth_Token");
}

TEST_F(OAuthTest, IntrospectReportsOwnTokensOnly) {
    const std::string token = org_->Login();
    RawResponse r = Fetch(Port(),
                          "POST",
                          "/services/oauth2/introspect",
                          {kFormType},
                          Form({{"token", token},
                                {"token_type_hint", "access_token"},
                                {"client_id", kClientId},
                                {"client_secret", kClientSecret}}));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(
        Keys(o),
        (std::vector<std::string>{
            "active", "scope", "client_id", "username", "sub", "token_type", "exp", "iat", "nbf"}));
    EXPECT_EQ(o.at("active"), true);
    EXPECT_EQ(Str(o, "client_id"), kClientId);
    EXPECT_EQ(Str(o, "username"), kUser);
    EXPECT_EQ(Str(o, "token_type"), "access_token");
    EXPECT_EQ(o.at("exp").as_int64() - o.at("iat").as_int64(), 2 * 3600);
    // Another app may not see it; unknown tokens are inactive.
    r = Fetch(Port(),
              "POST",
              "/services/oauth2/introspect",
              {kFormType},
              Form({{"token", token}, {"client_id", "3MVG9pwoff"}, {"client_secret", "s3"}}));
    EXPECT_EQ(r.body, R"({"active":false})");
    r = Fetch(
        Port(),
        "POST",
        "/services/oauth2/introspect",
        {kFormType},
        Form({{"token", "nope"}, {"client_id", kClientId}, {"client_secret", kClientSecret}}));
    EXPECT_EQ(r.body, R"({"active":false})");
    r = Fetch(Port(),
              "POST",
              "/services/oauth2/introspect",
              {kFormType},
              Form({{"token", token}, {"client_id", kClientId}, {"client_secret", "x"}}));
    EXPECT_EQ(r.status, 401);
}

// ---- persistence and bootstrap -----------------------------------------------------------------

TEST(OAuthPersistenceTest, SessionsAndOrgSurviveARestart) {
    TempDir dir;
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    std::string org_id;
    std::string token;
    std::string revoked;
    {
        TestOrg org(options);
        EXPECT_FALSE(org.Org().Credentials().created) << "an org definition generates nothing";
        EXPECT_FALSE(std::filesystem::exists(options.data_dir + "/credentials.json"));
        org_id = org.Org().Org().org_id;
        token = org.Login();
        revoked = org.Login();
        EXPECT_EQ(Fetch(org.Port(),
                        "POST",
                        "/services/oauth2/revoke",
                        {kFormType},
                        "token=" + Encode(revoked))
                      .status,
                  200);
    }
    TestOrg again(options);
    EXPECT_EQ(again.Org().Org().org_id, org_id);
    EXPECT_EQ(again.Org().Org().name, "Acme");
    ExpectRestAccepted(Rest(again.Port(), "Bearer " + token));
    EXPECT_EQ(Rest(again.Port(), "Bearer " + revoked).status, 401);
    // The token never reached the database, only its SHA-256 (on either engine: the SQLite
    // files' bytes, or every text and bytea column of the PostgreSQL schema).
    for (const std::string& secret : {token.substr(16),
                                      std::string("Passw0rd!"),
                                      std::string("TOKEN123"),
                                      std::string("local-secret")}) {
        const auto places = WhereStored(options.data_dir, secret);
        EXPECT_TRUE(places.empty()) << secret << " stored in " << Places(places);
    }
    const std::string hash = server::crypto::Sha256Hex(token);
    EXPECT_FALSE(WhereStored(options.data_dir, hash).empty()) << "the token's hash is stored";
}

/// The admin's User record, fields LastLoginDate and LastModifiedDate.
json::object AdminUserRow(std::uint16_t port, const std::string& admin, const std::string& token) {
    const RawResponse r = Fetch(
        port,
        "GET",
        "/services/data/v60.0/sobjects/User/" + admin + "?fields=LastLoginDate,LastModifiedDate",
        {"Authorization: Bearer " + token});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_object();
}

TEST(OAuthPersistenceTest, LoginsSetLastLoginDateWhichSurvivesARestart) {
    TempDir dir;
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    std::string first_login;
    std::string modified;
    std::string admin;
    std::string last_token;
    {
        TestOrg org(options);
        admin = org.Org().Org().admin_user_id;
        const auto before = std::chrono::system_clock::now();
        const std::string token = org.Login();
        const json::object row = AdminUserRow(org.Port(), admin, token);
        ASSERT_TRUE(row.at("LastLoginDate").is_string()) << json::serialize(row);
        first_login = std::string(row.at("LastLoginDate").as_string());
        modified = std::string(row.at("LastModifiedDate").as_string());
        // Within a second or so of the login (datetimes are `2024-01-31T12:00:00.000+0000`).
        const auto t = std::chrono::system_clock::to_time_t(before);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char lower[32];
        std::strftime(lower, sizeof lower, "%Y-%m-%dT%H:%M:%S", &tm);
        EXPECT_GE(first_login.substr(0, 19), std::string(lower));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        last_token = org.Login();
        const json::object again = AdminUserRow(org.Port(), admin, last_token);
        EXPECT_GT(std::string(again.at("LastLoginDate").as_string()), first_login)
            << "every login moves it";
        first_login = std::string(again.at("LastLoginDate").as_string());
        EXPECT_EQ(again.at("LastModifiedDate").as_string(), modified)
            << "a login does not modify the record";
    }
    // Sessions survive a restart: read with the last one, so that no new login moves the date.
    TestOrg restarted(options);
    const json::object row = AdminUserRow(restarted.Port(), admin, last_token);
    EXPECT_EQ(std::string(row.at("LastLoginDate").as_string()), first_login)
        << "the start's directory publish keeps the stored login date";
}

TEST(OAuthPersistenceTest, OrgDefinitionIsAuthoritativeOnEachStart) {
    TempDir dir;
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    auto def = [](const std::string& pw, const std::string& secret, const std::string& name) {
        return R"({"orgName": ")" + name + R"(",
          "users": [{"username": "admin@acme.test", "password": ")" +
               pw +
               R"(", "securityToken": "TOKEN123"}],
          "connectedApps": [{"name": "Seed App", "consumerKey": "3MVG9local.key",
                             "consumerSecret": ")" +
               secret + R"("}]})";
    };
    options.org_def_file = dir.Write("a.json", def("Passw0rd!", "local-secret", "First"));
    std::string org_id;
    std::string admin;
    {
        TestOrg org(options);
        org_id = org.Org().Org().org_id;
        admin = org.Org().Org().admin_user_id;
        org.Login();
    }
    options.org_def_file = dir.Write("b.json", def("N3w-pass", "new-secret", "Second"));
    TestOrg org(options);
    EXPECT_EQ(org.Org().Org().org_id, org_id);
    EXPECT_EQ(org.Org().Org().admin_user_id, admin) << "the user is updated, not duplicated";
    EXPECT_EQ(org.Org().Org().name, "Second");
    RawResponse r = PostToken(org.Port(), PasswordGrant());
    EXPECT_EQ(r.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    r = PostToken(org.Port(),
                  {{"grant_type", "password"},
                   {"client_id", kClientId},
                   {"client_secret", "new-secret"},
                   {"username", kUser},
                   {"password", "Passw0rd!TOKEN123"}});
    EXPECT_EQ(r.body, kAuthFailure);
    r = PostToken(org.Port(),
                  {{"grant_type", "password"},
                   {"client_id", kClientId},
                   {"client_secret", "new-secret"},
                   {"username", kUser},
                   {"password", "N3w-passTOKEN123"}});
    EXPECT_EQ(r.status, 200) << r.body;
}

// The org definition's password is applied when the user is created or when the definition's
// value changes, not on every start: a password changed over REST survives a restart (on the
// same SQLite data directory or PostgreSQL schema), until the file's password is edited.
TEST(OAuthPersistenceTest, APasswordChangedOverRestSurvivesRestartsUntilTheDefinitionChanges) {
    TempDir dir;
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    std::string admin;
    {
        TestOrg org(options);
        admin = org.Org().Org().admin_user_id;
        const std::string token = org.Login();
        const RawResponse r =
            Fetch(org.Port(),
                  "POST",
                  "/services/data/v60.0/sobjects/User/" + admin + "/password",
                  {"Authorization: Bearer " + token, "Content-Type: application/json"},
                  R"({"NewPassword":"N3wSecret99"})");
        ASSERT_EQ(r.status, 204) << r.body;
    }
    for (int restart = 0; restart < 2; ++restart) {
        TestOrg org(options);
        EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).body, kAuthFailure)
            << "the definition's password is not put back (start " << restart << ")";
        // The security token was reset with the password (SetUserPassword).
        EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "N3wSecret99")).status, 200)
            << "start " << restart;
    }
    // The file's password is edited: applied at the next start (and the REST one is gone).
    std::string def;
    {
        std::ifstream in(TestDataPath("org-def.json"));
        def.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::size_t at = def.find("\"Passw0rd!\"");
    ASSERT_NE(at, std::string::npos);
    def.replace(at, 11, "\"Edit3d-pw\"");
    options.org_def_file = dir.Write("edited.json", def);
    TestOrg org(options);
    EXPECT_EQ(org.Org().Org().admin_user_id, admin);
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "N3wSecret99")).body, kAuthFailure);
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).body, kAuthFailure);
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "Edit3d-pwTOKEN123")).status, 200);
}

// A user stored before the applied definition's hash was kept (auth_user.def_credentials
// empty): its first start applies the file's password only when the stored one differs (the
// old rule, once), and records the hash either way, so later REST changes survive restarts.
TEST(OAuthPersistenceTest, AUserFromBeforeTheDefinitionHashGetsItOnItsFirstStart) {
    TempDir dir;
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir.Path() + "/org";
    const auto forget_hash = [&] {
        server::Database db(OrgDatabase(options.data_dir));
        server::Transaction tx(db);
        db.Exec("UPDATE auth_user SET def_credentials = ''");
        tx.Commit();
    };
    const auto stored = [&] {
        server::Database db(OrgDatabase(options.data_dir));
        auto rd = db.Read();
        auto st = rd.Prepare("SELECT password_hash, def_credentials FROM auth_user");
        EXPECT_TRUE(st.Step());
        return std::pair{st.Text(0), st.Text(1)};
    };
    const auto change_password = [](TestOrg& org, const std::string& password) {
        const RawResponse r = Fetch(
            org.Port(),
            "POST",
            "/services/data/v60.0/sobjects/User/" + org.Org().Org().admin_user_id + "/password",
            {"Authorization: Bearer " + org.Login(), "Content-Type: application/json"},
            R"({"NewPassword":")" + password + R"("})");
        EXPECT_EQ(r.status, 204) << r.body;
    };
    { TestOrg org(options); }
    // The file's values are the stored ones: only the hash is recorded (no new password hash).
    forget_hash();
    const auto before = stored();
    EXPECT_EQ(before.second, "");
    {
        TestOrg org(options);
        EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).status, 200);
    }
    const auto after = stored();
    EXPECT_EQ(after.first, before.first) << "an unchanged password is not hashed again";
    EXPECT_NE(after.second, "") << "the applied definition's hash is recorded";
    // Changed over REST, then the hash forgotten: the file wins once (as every start did).
    {
        TestOrg org(options);
        change_password(org, "N3wSecret99");
    }
    forget_hash();
    {
        TestOrg org(options);
        EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "N3wSecret99")).body, kAuthFailure);
        EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).status, 200);
        change_password(org, "Oth3rSecret");
    }
    // From then on the hash is kept: the REST change survives a restart.
    TestOrg org(options);
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant()).body, kAuthFailure);
    EXPECT_EQ(PostToken(org.Port(), PasswordGrant(kUser, "Oth3rSecret")).status, 200);
}

TEST(OAuthPersistenceTest, BadOrgDefinitionFailsTheStartWithItsPath) {
    TempDir dir;
    const std::string path = dir.Write("bad.json", R"({"users": [{"username": "a@b.c"}]})");
    auto options = OptionsFor(path);
    try {
        server::LocalOrg org(options);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "org definition " + path + ": users[0].password: required (a non-empty string)");
    }
}

TEST(OAuthBootstrapTest, FirstStartGeneratesCredentialsOnceAndSavesThemPrivately) {
    TempDir dir;
    server::LocalOrgOptions options;
    options.data_dir = dir.Path() + "/org";
    options.org_def_file.clear();
    std::string org_id;
    server::FirstStartCredentials creds;
    {
        TestOrg org(options);
        creds = org.Org().Credentials();
        org_id = org.Org().Org().org_id;
        ASSERT_TRUE(creds.created);
        EXPECT_EQ(creds.credentials_file, options.data_dir + "/credentials.json");
        EXPECT_EQ(creds.consumer_key.rfind("3MVG9", 0), 0u);
        EXPECT_EQ(creds.consumer_key.size(), 85u);
        EXPECT_EQ(creds.consumer_secret.size(), 64u);
        EXPECT_EQ(creds.security_token.size(), 25u);
        EXPECT_GE(creds.password.size(), 12u);
        struct stat st {};
        ASSERT_EQ(::stat(creds.credentials_file.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        std::ifstream in(creds.credentials_file);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        const json::object saved = json::parse(text).as_object();
        EXPECT_EQ(Str(saved, "orgId"), org_id);
        EXPECT_EQ(Str(saved, "username"), creds.username);
        EXPECT_EQ(Str(saved, "password"), creds.password);
        EXPECT_EQ(Str(saved, "securityToken"), creds.security_token);
        EXPECT_EQ(Str(saved, "consumerKey"), creds.consumer_key);
        EXPECT_EQ(Str(saved, "consumerSecret"), creds.consumer_secret);
    }
    TestOrg again(options);
    EXPECT_FALSE(again.Org().Credentials().created);
    EXPECT_TRUE(again.Org().Credentials().password.empty());
    EXPECT_EQ(again.Org().Org().org_id, org_id);
    const RawResponse r = PostToken(again.Port(),
                                    {{"grant_type", "password"},
                                     {"client_id", creds.consumer_key},
                                     {"client_secret", creds.consumer_secret},
                                     {"username", creds.username},
                                     {"password", creds.password + creds.security_token}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(json::parse(r.body).as_object(), "scope"), "api id web openid refresh_token");
}

TEST(OAuthBootstrapTest, InMemoryOrgsWriteNothingAndDiffer) {
    server::LocalOrgOptions options;
    options.in_memory = true;
    options.data_dir = "/nonexistent/never-created";
    TestOrg a(options);
    TestOrg b(options);
    EXPECT_TRUE(a.Org().Credentials().created);
    EXPECT_TRUE(a.Org().Credentials().credentials_file.empty());
    EXPECT_FALSE(std::filesystem::exists(options.data_dir));
    EXPECT_NE(a.Org().Org().org_id, b.Org().Org().org_id);
    EXPECT_NE(a.Org().Credentials().consumer_key, b.Org().Credentials().consumer_key);
    EXPECT_TRUE(Id::IsValid(a.Org().Org().org_id));
}

}  // namespace
}  // namespace sfkit::test
