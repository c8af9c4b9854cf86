// The OAuth 2.0 web-server flow (authorization code + PKCE) and the refresh-token grant over real
// HTTP, browser-less: GET the login page, POST the form, follow the 302, exchange the code, use and
// refresh the token, revoke (§A.3.3, §A.3.5, §A.6).
#include <filesystem>
#include <fstream>
#include <iterator>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"

#include "server/http/message.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kCallback = "http://localhost:1717/OauthRedirect";
constexpr const char* kCallbackEnc = "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect";
// A verifier and its S256 challenge (computed independently with Python hashlib/base64).
constexpr const char* kVerifier = "dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk";
constexpr const char* kChallenge = "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs";
constexpr const char* kExpiredCode =
    R"({"error":"invalid_grant","error_description":"expired authorization code"})";
constexpr const char* kExpiredRefresh =
    R"({"error":"invalid_grant","error_description":"expired access/refresh token"})";

class OAuthWebFlowTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { org_ = new TestOrg(); }
    static void TearDownTestSuite() {
        delete org_;
        org_ = nullptr;
    }
    static RawResponse Post(const std::string& target, const std::string& body) {
        return Fetch(org_->Port(), "POST", target, {kForm}, body);
    }
    static RawResponse Token(const std::string& body) {
        return Post("/services/oauth2/token", body);
    }
    /// The authorize request's parameters (without response_type).
    static std::string AuthorizeQuery(const std::string& extra = "") {
        return std::string("client_id=3MVG9local.key&redirect_uri=") + kCallbackEnc +
               "&state=st%26%3C1" + extra;
    }
    /// Logs in through the browser form.
    static RawResponse SubmitLogin(const std::string& extra,
                                   const std::string& password = "Passw0rd!") {
        return Post("/services/oauth2/authorize",
                    "response_type=code&" + AuthorizeQuery(extra) +
                        "&sfkit_login=1&username=admin%40acme.test&password=" + password);
    }
    /// The decoded `code` of a redirect Location.
    static std::string CodeOf(const std::string& location) {
        const auto q = location.find('?');
        const auto form = server::ParseForm(location.substr(q + 1));
        for (const auto& [k, v] : *form) {
            if (k == "code") {
                return v;
            }
        }
        return {};
    }
    /// A code as a form value.
    static std::string Enc(const std::string& code) {
        std::string enc;
        for (char c : code) {
            enc += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
        }
        return enc;
    }
    static TestOrg* org_;
};

TestOrg* OAuthWebFlowTest::org_ = nullptr;

TEST_F(OAuthWebFlowTest, LoginPageEscapesWhatItEchoesAndCarriesTheRequest) {
    const RawResponse r =
        Fetch(org_->Port(),
              "GET",
              "/services/oauth2/authorize?response_type=code&" +
                  AuthorizeQuery("&login_hint=%22%3E%3Cscript%3E&display=popup&prompt=login"));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("Content-Type"), "text/html;charset=UTF-8");
    EXPECT_NE(r.body.find("Seed App"), std::string::npos);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    EXPECT_NE(r.body.find("value=\"&quot;&gt;&lt;script&gt;\""), std::string::npos);
    EXPECT_NE(r.body.find("name=\"state\" value=\"st&amp;&lt;1\""), std::string::npos);
    EXPECT_NE(r.body.find("name=\"redirect_uri\" value=\"http://localhost:1717/OauthRedirect\""),
              std::string::npos);
    EXPECT_NE(r.body.find("name=\"password\""), std::string::npos);
    EXPECT_EQ(r.body.find("http://", r.body.find("<head>")), r.body.find("http://localhost:1717"))
        << "no external assets";
}

TEST_F(OAuthWebFlowTest, BadCredentialsReshowThePage) {
    const RawResponse r = SubmitLogin("", "wrong");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("Location"), "");
    EXPECT_NE(r.body.find("id=\"error\""), std::string::npos);
    EXPECT_NE(r.body.find("value=\"admin@acme.test\""), std::string::npos);
}

TEST_F(OAuthWebFlowTest, FullRoundTripWithoutPkce) {
    // The browser's POST: password alone, no security token (a browser login).
    const RawResponse login = SubmitLogin("&scope=api%20refresh_token");
    ASSERT_EQ(login.status, 302) << login.body;
    const std::string location = login.Header("Location");
    ASSERT_EQ(location.rfind(std::string(kCallback) + "?code=aPrx", 0), 0u) << location;
    EXPECT_NE(location.find("%3D%3D&state=st%26%3C1"), std::string::npos) << location;
    const std::string code = CodeOf(location);
    ASSERT_EQ(code.substr(0, 4), "aPrx");

    // Wrong redirect_uri at the token step: authentication failure; the code is used up.
    RawResponse t = Token(
        "grant_type=authorization_code&client_id=3MVG9local.key&client_secret="
        "local-secret&redirect_uri=http%3A%2F%2Fother&code=" +
        Enc(code));
    EXPECT_EQ(t.body, R"({"error":"invalid_grant","error_description":"authentication failure"})");

    // A fresh code, exchanged properly.
    const std::string code2 = CodeOf(SubmitLogin("&scope=api%20refresh_token").Header("Location"));
    const std::string exchange =
        std::string(
            "grant_type=authorization_code&client_id=3MVG9local.key&client_secret=local-"
            "secret&redirect_uri=") +
        kCallbackEnc + "&code=";
    const std::string encoded = Enc(code2);
    t = Token(exchange + encoded);
    ASSERT_EQ(t.status, 200) << t.body;
    const json::object o = json::parse(t.body).as_object();
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"access_token",
                                        "refresh_token",
                                        "signature",
                                        "scope",
                                        "instance_url",
                                        "id",
                                        "token_type",
                                        "issued_at"}));
    EXPECT_EQ(o.at("scope").as_string(), "api refresh_token");
    const std::string access = std::string(o.at("access_token").as_string());
    const std::string refresh = std::string(o.at("refresh_token").as_string());
    EXPECT_EQ(refresh.rfind("5Aep", 0), 0u);

    // Single use.
    EXPECT_EQ(Token(exchange + encoded).body, kExpiredCode);

    // The token works on REST.
    RawResponse rest = Fetch(
        org_->Port(), "GET", "/services/data/v60.0/limits", {"Authorization: Bearer " + access});
    EXPECT_EQ(rest.status, 200);

    // Refresh (no secret needed), no new refresh token.
    t = Token("grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=" + refresh);
    ASSERT_EQ(t.status, 200) << t.body;
    const json::object r = json::parse(t.body).as_object();
    EXPECT_FALSE(r.contains("refresh_token"));
    EXPECT_FALSE(r.contains("signature")) << "no secret, nothing to sign with";
    const std::string access2 = std::string(r.at("access_token").as_string());
    EXPECT_NE(access2, access);
    t = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-secret&"
        "refresh_token=" +
        refresh);
    ASSERT_EQ(t.status, 200);
    EXPECT_TRUE(json::parse(t.body).as_object().contains("signature"));
    // Another app's client id, or a wrong secret.
    t = Token("grant_type=refresh_token&client_id=3MVG9local.key&client_secret=bad&refresh_token=" +
              refresh);
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");

    // Revoking the refresh token ends it and the access tokens issued with or from it.
    RawResponse rv = Post("/services/oauth2/revoke", "token=" + refresh);
    EXPECT_EQ(rv.status, 200);
    EXPECT_EQ(
        Token("grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=" + refresh).body,
        kExpiredRefresh);
    for (const std::string& tok : {access, access2}) {
        rest = Fetch(
            org_->Port(), "GET", "/services/data/v60.0/limits", {"Authorization: Bearer " + tok});
        EXPECT_EQ(rest.status, 401);
    }
    rv = Post("/services/oauth2/revoke", "token=" + refresh);
    EXPECT_EQ(rv.status, 400);
}

TEST_F(OAuthWebFlowTest, PkceRules) {
    const std::string pkce =
        std::string("&code_challenge=") + kChallenge + "&code_challenge_method=S256&scope=api";
    const auto code_for = [&] { return Enc(CodeOf(SubmitLogin(pkce).Header("Location"))); };
    const std::string base =
        std::string("grant_type=authorization_code&client_id=3MVG9local.key&redirect_uri=") +
        kCallbackEnc;
    // Challenge given, no verifier: invalid_grant.
    RawResponse t = Token(base + "&client_secret=local-secret&code=" + code_for());
    EXPECT_EQ(t.body, R"({"error":"invalid_grant","error_description":"invalid code verifier"})");
    // Wrong verifier: invalid_request.
    t = Token(base + "&code_verifier=nope&code=" + code_for());
    EXPECT_EQ(t.body, R"({"error":"invalid_request","error_description":"invalid code verifier"})");
    // Right verifier, public client (no secret): a token without refresh token or signature.
    t = Token(base + "&code_verifier=" + kVerifier + "&code=" + code_for());
    ASSERT_EQ(t.status, 200) << t.body;
    const json::object o = json::parse(t.body).as_object();
    EXPECT_FALSE(o.contains("refresh_token"));
    EXPECT_FALSE(o.contains("signature"));
    EXPECT_EQ(o.at("scope").as_string(), "api");
    // Without PKCE the secret is required; a verifier without a challenge is refused.
    t = Token(base + "&code=" + Enc(CodeOf(SubmitLogin("").Header("Location"))));
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    t = Token(base + "&client_secret=local-secret&code_verifier=" + kVerifier +
              "&code=" + Enc(CodeOf(SubmitLogin("").Header("Location"))));
    EXPECT_EQ(t.body, R"({"error":"invalid_grant","error_description":"invalid code verifier"})");
    // Unknown code.
    EXPECT_EQ(Token(base + "&client_secret=local-secret&code=aPrxnope").body, kExpiredCode);
    // Unsupported challenge method, or a scope the app does not have: redirected errors.
    RawResponse a = Fetch(org_->Port(),
                          "GET",
                          "/services/oauth2/authorize?response_type=code&" +
                              AuthorizeQuery("&code_challenge=x&code_challenge_method=S512"));
    EXPECT_EQ(a.status, 302);
    EXPECT_NE(a.Header("Location").find("error=invalid_request"), std::string::npos);
    a = Fetch(org_->Port(),
              "GET",
              "/services/oauth2/authorize?response_type=code&" + AuthorizeQuery("&scope=full"));
    EXPECT_EQ(a.status, 302);
    EXPECT_EQ(a.Header("Location"),
              std::string(kCallback) +
                  "?error=invalid_scope&error_description=the%20requested%20scope%20is%20not%"
                  "20allowed&state=st%26%3C1");
}

TEST_F(OAuthWebFlowTest, ClientLibraryWebFlowWithPkceThenRefresh) {
    client::AuthorizationCodeFlow flow;
    flow.login_url = org_->BaseUrl();
    flow.client_id = kClientId;
    flow.redirect_uri = kCallback;
    flow.scope = "api refresh_token";
    auto pkce = client::GeneratePkce();
    ASSERT_TRUE(pkce);
    flow.code_verifier = pkce->verifier;  // a public client: no secret
    auto url = flow.AuthorizeUrl("xyz");
    ASSERT_TRUE(url);
    // The browser: open the page, then submit the form with the same request.
    const std::string target = url->substr(org_->BaseUrl().size());
    ASSERT_EQ(Fetch(org_->Port(), "GET", target).status, 200);
    const RawResponse login =
        Post("/services/oauth2/authorize",
             target.substr(target.find('?') + 1) +
                 "&sfkit_login=1&username=admin%40acme.test&password=Passw0rd%21");
    ASSERT_EQ(login.status, 302) << login.body;
    const std::string location = login.Header("Location");
    EXPECT_NE(location.find("&state=xyz"), std::string::npos);

    client::CurlTransport transport;
    auto token = flow.ExchangeCode(transport, CodeOf(location));
    ASSERT_TRUE(token) << token.error().ToString();
    EXPECT_EQ(token->instance_url, org_->BaseUrl());
    EXPECT_EQ(token->scope, "api refresh_token");
    ASSERT_FALSE(token->refresh_token.empty());

    client::RefreshTokenFlow refresh;
    refresh.login_url = org_->BaseUrl();
    refresh.client_id = kClientId;
    refresh.client_secret = kClientSecret;  // the signature is then verified too
    refresh.refresh_token = token->refresh_token;
    auto again = refresh.Authenticate(transport);
    ASSERT_TRUE(again) << again.error().ToString();
    EXPECT_NE(again->access_token, token->access_token);
    EXPECT_EQ(again->refresh_token, token->refresh_token);
    EXPECT_FALSE(again->signature.empty());

    // A second exchange of the same code fails as Salesforce's does.
    auto reused = flow.ExchangeCode(transport, CodeOf(location));
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code, "invalid_grant");
    EXPECT_EQ(reused.error().message, "expired authorization code");
}

TEST(OAuthWebFlowPersistenceTest, RefreshTokensSurviveARestartAndAreStoredHashed) {
    std::string dir = (std::filesystem::temp_directory_path() / "sfkit-web-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    auto options = TestOrg::DefaultOptions();
    options.in_memory = false;
    options.data_dir = dir + "/org";
    std::string refresh;
    std::string access;
    {
        TestOrg org(options);
        const RawResponse login = Fetch(
            org.Port(),
            "POST",
            "/services/oauth2/authorize",
            {kForm},
            std::string("response_type=code&client_id=3MVG9local.key&redirect_uri=") +
                kCallbackEnc + "&sfkit_login=1&username=admin%40acme.test&password=Passw0rd%21");
        ASSERT_EQ(login.status, 302) << login.body;
        const std::string location = login.Header("Location");
        const std::string code_param = location.substr(location.find("code=") + 5);
        const RawResponse t =
            Fetch(org.Port(),
                  "POST",
                  "/services/oauth2/token",
                  {kForm},
                  std::string("grant_type=authorization_code&client_id=3MVG9local.key&"
                              "client_secret=local-secret&redirect_uri=") +
                      kCallbackEnc + "&code=" + code_param);
        ASSERT_EQ(t.status, 200) << t.body;
        const json::object o = json::parse(t.body).as_object();
        refresh = std::string(o.at("refresh_token").as_string());
        access = std::string(o.at("access_token").as_string());
    }
    {
        TestOrg again(options);
        const RawResponse t =
            Fetch(again.Port(),
                  "POST",
                  "/services/oauth2/token",
                  {kForm},
                  "grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=" + refresh);
        EXPECT_EQ(t.status, 200) << t.body;
        EXPECT_EQ(
            Fetch(again.Port(), "POST", "/services/oauth2/revoke", {kForm}, "token=" + refresh)
                .status,
            200);
        EXPECT_EQ(Fetch(again.Port(),
                        "GET",
                        "/services/data/v60.0/limits",
                        {"Authorization: Bearer " + access})
                      .status,
                  401)
            << "revoking the refresh token ends the access token issued with it";
    }
    for (const char* file : {"/org/org.db", "/org/org.db-wal"}) {
        std::ifstream in(dir + file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        EXPECT_EQ(bytes.find(refresh.substr(7)), std::string::npos) << file;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace sfkit::test
