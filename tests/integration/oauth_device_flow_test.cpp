// The local org's built-in CLI app (PlatformCLI: public, PKCE required, any loopback port,
// `builtinCliApp: false` removes it) and the OAuth 2.0 device flow (§A.3.6): the token
// endpoint's answers, the verification page, and libsfkit's DeviceFlow against it.
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"

#include "server/http/message.hpp"
#include "support/login_page.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kCallbackEnc = "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect";
// A verifier and its S256 challenge (computed independently with Python hashlib/base64).
constexpr const char* kVerifier = "dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk";
constexpr const char* kChallenge = "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs";

std::string Enc(std::string_view s) {
    return client::PercentEncode(s);
}

std::string ParamOf(const std::string& location, const std::string& name) {
    const auto q = location.find('?');
    const auto form = server::ParseForm(location.substr(q + 1));
    for (const auto& [k, v] : form.value_or(decltype(form)::value_type{})) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

class BuiltinCliAppTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { org_ = new TestOrg(); }
    static void TearDownTestSuite() {
        delete org_;
        org_ = nullptr;
    }
    static RawResponse Get(const std::string& target) { return Fetch(org_->Port(), "GET", target); }
    static RawResponse Token(const std::string& body) {
        return Fetch(org_->Port(), "POST", "/services/oauth2/token", {kForm}, body);
    }
    static RawResponse PostForm(const std::string& path,
                                const LoginForm& form,
                                const std::string& fields) {
        return Fetch(org_->Port(),
                     "POST",
                     path,
                     {kForm, "Cookie: " + form.cookie},
                     fields + "&sfkit_login=1&sfkit_csrf=" + Enc(form.token));
    }
    static TestOrg* org_;
};
TestOrg* BuiltinCliAppTest::org_ = nullptr;

TEST_F(BuiltinCliAppTest, OnByDefaultPublicWithPkceAndRefreshToken) {
    const std::string query =
        "response_type=code&client_id=PlatformCLI&redirect_uri=" + std::string(kCallbackEnc) +
        "&state=s1&code_challenge=" + kChallenge + "&code_challenge_method=S256";
    const RawResponse page = Get("/services/oauth2/authorize?" + query);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("sfkit CLI (built-in)"), std::string::npos);
    const RawResponse login = PostForm("/services/oauth2/authorize",
                                       FormOf(page),
                                       query + "&username=admin%40acme.test&password=Passw0rd%21");
    ASSERT_EQ(login.status, 302) << login.body;
    const std::string location = login.Header("Location");
    EXPECT_EQ(location.rfind("http://localhost:1717/OauthRedirect?code=", 0), 0u) << location;
    EXPECT_EQ(ParamOf(location, "state"), "s1");
    // No secret exists: the code is exchanged with the verifier alone.
    const RawResponse token =
        Token("grant_type=authorization_code&client_id=PlatformCLI&code=" +
              Enc(ParamOf(location, "code")) + "&redirect_uri=" + kCallbackEnc +
              "&code_verifier=" + kVerifier);
    ASSERT_EQ(token.status, 200) << token.body;
    const json::object t = json::parse(token.body).as_object();
    EXPECT_EQ(t.at("scope").as_string(), "api refresh_token");
    EXPECT_FALSE(t.contains("signature")) << "a public client has no secret to sign with";
    const std::string refresh(t.at("refresh_token").as_string());
    // ... and the refresh token works without a secret too.
    const RawResponse refreshed =
        Token("grant_type=refresh_token&client_id=PlatformCLI&refresh_token=" + Enc(refresh));
    EXPECT_EQ(refreshed.status, 200) << refreshed.body;
    // A secret, any secret, is wrong: the app has none.
    const RawResponse with_secret =
        Token("grant_type=refresh_token&client_id=PlatformCLI&client_secret=x&refresh_token=" +
              Enc(refresh));
    EXPECT_EQ(with_secret.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
}

TEST_F(BuiltinCliAppTest, PkceIsRequired) {
    // Salesforce's answer when the app requires PKCE (HappySoup.io#252, activepieces#15615 [R]).
    const RawResponse r =
        Get("/services/oauth2/authorize?response_type=code&client_id=PlatformCLI"
            "&redirect_uri=" +
            std::string(kCallbackEnc) + "&state=s2");
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_EQ(r.Header("Location"),
              "http://localhost:1717/OauthRedirect?error=invalid_request&error_description="
              "missing+required+code+challenge&state=s2");
}

TEST_F(BuiltinCliAppTest, AnyLoopbackPortButNothingElse) {
    const auto authorize = [](const std::string& redirect) {
        return Get(
            "/services/oauth2/authorize?response_type=code&client_id=PlatformCLI"
            "&code_challenge=" +
            std::string(kChallenge) + "&redirect_uri=" + Enc(redirect));
    };
    EXPECT_EQ(authorize("http://localhost:54321/OauthRedirect").status, 200);
    EXPECT_EQ(authorize("http://127.0.0.1:1717/OauthRedirect").status, 400)
        << "the host must be the registered one";
    for (const char* bad : {"http://localhost:54321/Other",
                            "http://localhost/OauthRedirect",
                            "http://localhost:12x/OauthRedirect",
                            "https://localhost:1717/OauthRedirect",
                            "http://localhost.evil.test:1717/OauthRedirect"}) {
        const RawResponse r = authorize(bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_NE(r.body.find("redirect_uri_mismatch"), std::string::npos) << bad;
    }
    // Other apps keep exact matching.
    const RawResponse other =
        Get("/services/oauth2/authorize?response_type=code&client_id="
            "3MVG9cli.key&redirect_uri=" +
            Enc("http://localhost:54321/OauthRedirect"));
    EXPECT_EQ(other.status, 400);
}

// ---- device flow ------------------------------------------------------------------------------

class DeviceFlowTest : public BuiltinCliAppTest {
protected:
    struct Codes {
        std::string device_code;
        std::string user_code;
    };
    static Codes Start(const std::string& client = "PlatformCLI") {
        const RawResponse r = Token("response_type=device_code&client_id=" + client);
        EXPECT_EQ(r.status, 200) << r.body;
        const json::object o = json::parse(r.body).as_object();
        return {std::string(o.at("device_code").as_string()),
                std::string(o.at("user_code").as_string())};
    }
    static RawResponse Poll(const Codes& c, const std::string& client = "PlatformCLI") {
        return Token("grant_type=device&client_id=" + client + "&code=" + Enc(c.device_code));
    }
    /// The verification page, filled in and submitted.
    static RawResponse Verify(const std::string& user_code,
                              const std::string& decision = "allow",
                              const std::string& password = "Passw0rd%21") {
        const RawResponse page = Get("/setup/connect");
        EXPECT_EQ(page.status, 200);
        return PostForm("/setup/connect",
                        FormOf(page),
                        "user_code=" + Enc(user_code) + "&username=admin%40acme.test&password=" +
                            password + "&decision=" + decision);
    }
};

TEST_F(DeviceFlowTest, DeviceCodeAnswerHasSalesforcesShape) {
    const RawResponse r = Token("response_type=device_code&client_id=PlatformCLI&scope=api");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache, no-store");
    const json::object o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    EXPECT_EQ(
        keys,
        (std::vector<std::string>{"device_code", "user_code", "verification_uri", "interval"}));
    EXPECT_EQ(o.at("verification_uri").as_string(), org_->BaseUrl() + "/setup/connect");
    EXPECT_EQ(o.at("interval").as_int64(), 5);
    EXPECT_EQ(o.at("user_code").as_string().size(), 8u);
    EXPECT_GE(o.at("device_code").as_string().size(), 60u);
}

TEST_F(DeviceFlowTest, RefusalsAtTheStart) {
    EXPECT_EQ(Token("response_type=device_code&client_id=nope").body,
              R"({"error":"invalid_client_id","error_description":"client identifier invalid"})");
    EXPECT_EQ(Token("response_type=device_code&client_id=PlatformCLI&client_secret=x").body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    // An app without "device" in its flows.
    EXPECT_EQ(Token("response_type=device_code&client_id=3MVG9cli.key").body,
              R"({"error":"invalid_grant","error_description":"device flow not enabled"})");
    EXPECT_EQ(
        Token("response_type=device_code&client_id=PlatformCLI&scope=full").body,
        R"({"error":"invalid_scope","error_description":"the requested scope is not allowed"})");
}

TEST_F(DeviceFlowTest, PendingThenSlowDownThenTokenWithRefreshToken) {
    const Codes c = Start();
    RawResponse r = Poll(c);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"({"error":"authorization_pending","error_description":"authorization pending"})");
    r = Poll(c);  // at once again: faster than the interval
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        R"({"error":"slow_down","error_description":"polling too quickly for the token endpoint"})");
    // The user enters the code (in any case, with a dash) and allows the device.
    const std::string typed = c.user_code.substr(0, 4) + "-" + c.user_code.substr(4);
    std::string lower;
    for (char ch : typed) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    const RawResponse allowed = Verify(lower);
    ASSERT_EQ(allowed.status, 200) << allowed.body;
    EXPECT_NE(allowed.body.find("Device connected"), std::string::npos) << allowed.body;
    r = Poll(c);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object t = json::parse(r.body).as_object();
    EXPECT_EQ(t.at("scope").as_string(), "api refresh_token");
    EXPECT_EQ(std::string(t.at("refresh_token").as_string()).rfind("5Aep", 0), 0u);
    // The token works for the API.
    const RawResponse api =
        Fetch(org_->Port(),
              "GET",
              "/services/data/v60.0/sobjects",
              {"Authorization: Bearer " + std::string(t.at("access_token").as_string())});
    EXPECT_EQ(api.status, 200);
    // The device code is used up.
    EXPECT_EQ(Poll(c).body,
              R"({"error":"invalid_grant","error_description":"invalid device code"})");
}

TEST_F(DeviceFlowTest, DenyAnswersAccessDenied) {
    const Codes c = Start();
    const RawResponse denied = Verify(c.user_code, "deny");
    ASSERT_EQ(denied.status, 200);
    EXPECT_NE(denied.body.find("Access denied"), std::string::npos);
    EXPECT_EQ(Poll(c).body,
              R"({"error":"access_denied","error_description":"end-user denied authorization"})");
}

TEST_F(DeviceFlowTest, VerificationPageErrors) {
    const Codes c = Start();
    // A wrong code: the error state, no login attempted.
    RawResponse r = Verify("BBBBBBBB");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
    EXPECT_NE(r.body.find("not valid or has expired"), std::string::npos);
    EXPECT_NE(r.body.find("aria-invalid=\"true\""), std::string::npos);
    // A wrong password: the page again, the device still pending.
    r = Verify(c.user_code, "allow", "wrong");
    EXPECT_NE(r.body.find("check your username and password"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("value=\"" + c.user_code + "\""), std::string::npos)
        << "the code is kept";
    EXPECT_EQ(Poll(c).status, 400);
    // A POST without the page's token is refused like a stale page.
    r = Fetch(org_->Port(),
              "POST",
              "/setup/connect",
              {kForm},
              "sfkit_login=1&user_code=" + c.user_code +
                  "&username=admin%40acme.test&password=Passw0rd%21");
    EXPECT_EQ(r.status, 403);
    // Another app cannot redeem this app's device code.
    const RawResponse allowed = Verify(c.user_code);
    ASSERT_EQ(allowed.status, 200);
    EXPECT_EQ(Poll(c, "3MVG9local.key").status, 400);
}

TEST_F(DeviceFlowTest, ClientLibraryDeviceFlow) {
    auto transport = std::make_unique<client::CurlTransport>();
    client::DeviceFlow flow;
    flow.login_url = org_->BaseUrl();
    flow.client_id = std::string(client::kCliClientId);
    auto auth = flow.Start(*transport);
    ASSERT_TRUE(auth) << auth.error().message;
    EXPECT_EQ(auth->interval, std::chrono::seconds(5));
    auto first = flow.Poll(*transport, *auth);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(*first);
    auto second = flow.Poll(*transport, *auth);  // too soon: slow_down raises the interval
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_FALSE(*second);
    EXPECT_EQ(auth->interval, std::chrono::seconds(10));
    ASSERT_EQ(Verify(auth->user_code).status, 200);
    auto token = flow.Poll(*transport, *auth);
    ASSERT_TRUE(token) << token.error().message;
    ASSERT_TRUE(*token);
    EXPECT_FALSE((*token)->refresh_token.empty());
    // A denied device is an error with Salesforce's code.
    auto denied_auth = flow.Start(*transport);
    ASSERT_TRUE(denied_auth);
    ASSERT_EQ(Verify(denied_auth->user_code, "deny").status, 200);
    auto denied = flow.Poll(*transport, *denied_auth);
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(denied.error().code, "access_denied");
}

TEST(BuiltinCliAppOff, OrgDefinitionTurnsItOff) {
    TempDir dir;
    const std::string def = dir.Path() + "/org-def.json";
    std::ofstream(def) << R"({"builtinCliApp": false,
        "users": [{"username": "admin@acme.test", "password": "Passw0rd!"}]})";
    server::LocalOrgOptions options = TestOrg::DefaultOptions();
    options.org_def_file = def;
    TestOrg org(options);
    const RawResponse page = Fetch(org.Port(),
                                   "GET",
                                   "/services/oauth2/authorize?response_type=code&client_id="
                                   "PlatformCLI&code_challenge=x&redirect_uri=" +
                                       std::string(kCallbackEnc));
    EXPECT_EQ(page.status, 400);
    EXPECT_EQ(page.body, "error=invalid_client_id&error_description=client%20identifier%20invalid");
    const RawResponse device = Fetch(org.Port(),
                                     "POST",
                                     "/services/oauth2/token",
                                     {kForm},
                                     "response_type=device_code&client_id=PlatformCLI");
    EXPECT_EQ(device.body,
              R"({"error":"invalid_client_id","error_description":"client identifier invalid"})");
}

TEST(BuiltinCliAppOff, TurningItOffRemovesItFromAnExistingOrg) {
    TempDir dir;
    const std::string def = dir.Path() + "/org-def.json";
    const auto write = [&](const char* flag) {
        std::ofstream(def)
            << R"({"builtinCliApp": )" << flag
            << R"(, "users": [{"username": "admin@acme.test", "password": "Passw0rd!"}]})";
    };
    const auto device_start = [](const TestOrg& org) {
        return Fetch(org.Port(),
                     "POST",
                     "/services/oauth2/token",
                     {kForm},
                     "response_type=device_code&client_id=PlatformCLI")
            .status;
    };
    server::LocalOrgOptions options = TestOrg::DefaultOptions();
    options.org_def_file = def;
    options.in_memory = false;
    options.data_dir = dir.Path() + "/data";
    write("true");
    {
        TestOrg org(options);
        EXPECT_EQ(device_start(org), 200);
    }
    write("false");
    {
        TestOrg org(options);
        EXPECT_EQ(device_start(org), 400);
    }
    write("true");
    {
        TestOrg org(options);
        EXPECT_EQ(device_start(org), 200);
    }
}

}  // namespace
}  // namespace sfkit::test
