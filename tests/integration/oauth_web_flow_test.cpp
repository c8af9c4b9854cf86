// The OAuth 2.0 web-server flow (authorization code + PKCE) and the refresh-token grant over real
// HTTP, browser-less: GET the login page, POST the form, follow the 302, exchange the code, use and
// refresh the token, revoke (§A.3.3, §A.3.5, §A.6).
#include <filesystem>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"

#include "server/http/message.hpp"
#include "support/login_page.hpp"
#include "support/raw_http.hpp"
#include "support/stored_values.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kCallback = "http://localhost:1717/OauthRedirect";
// tests/data/org-def.json's public client: both "Require Secret" settings off, as a CLI's app.
constexpr const char* kCliId = "3MVG9cli.key";
constexpr const char* kCallbackEnc = "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect";
// A verifier and its S256 challenge (computed independently with Python hashlib/base64).
constexpr const char* kVerifier = "dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk";
constexpr const char* kChallenge = "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs";
constexpr const char* kExpiredCode =
    R"({"error":"invalid_grant","error_description":"expired authorization code"})";
constexpr const char* kExpiredRefresh =
    R"({"error":"invalid_grant","error_description":"expired access/refresh token"})";

class OAuthWebFlowTest : public ::testing::Test {
public:  // the persistence test below opens pages too
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
    static std::string AuthorizeQuery(const std::string& extra = "",
                                      const std::string& client_id = "3MVG9local.key") {
        return "client_id=" + client_id + "&redirect_uri=" + kCallbackEnc + "&state=st%26%3C1" +
               extra;
    }
    static LoginForm OpenPage(std::uint16_t port, const std::string& query) {
        const RawResponse page = Fetch(port, "GET", "/services/oauth2/authorize?" + query);
        return FormOf(page);
    }
    /// POSTs the login form of `form` with the authorize request `query`.
    static RawResponse PostForm(std::uint16_t port,
                                const std::string& query,
                                const LoginForm& form,
                                const std::string& password = "Passw0rd!",
                                std::vector<std::string> headers = {}) {
        headers.push_back(kForm);
        if (!form.cookie.empty()) {
            headers.push_back("Cookie: " + form.cookie);
        }
        return Fetch(port,
                     "POST",
                     "/services/oauth2/authorize",
                     headers,
                     query + "&sfkit_login=1&sfkit_csrf=" + Enc(form.token) +
                         "&username=admin%40acme.test&password=" + password);
    }
    /// Logs in through the browser form: opens the page, then submits it.
    static RawResponse SubmitLogin(const std::string& extra,
                                   const std::string& password = "Passw0rd!",
                                   const std::string& client_id = "3MVG9local.key") {
        const std::string query = "response_type=code&" + AuthorizeQuery(extra, client_id);
        return PostForm(org_->Port(), query, OpenPage(org_->Port(), query), password);
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

    // Refresh (with the secret this app requires, see AppsRequireTheirSecret...): no new
    // refresh token.
    t = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-secret&"
        "refresh_token=" +
        refresh);
    ASSERT_EQ(t.status, 200) << t.body;
    const json::object r = json::parse(t.body).as_object();
    EXPECT_FALSE(r.contains("refresh_token"));
    EXPECT_TRUE(r.contains("signature"));
    const std::string access2 = std::string(r.at("access_token").as_string());
    EXPECT_NE(access2, access);
    // Another app's client id, or a wrong secret.
    t = Token("grant_type=refresh_token&client_id=3MVG9local.key&client_secret=bad&refresh_token=" +
              refresh);
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");

    // Revoking the refresh token ends it and the access tokens issued with or from it.
    RawResponse rv = Post("/services/oauth2/revoke", "token=" + refresh);
    EXPECT_EQ(rv.status, 200);
    EXPECT_EQ(Token("grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-"
                    "secret&refresh_token=" +
                    refresh)
                  .body,
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
    // A public client (the app requires no secret for the web-server flow).
    const auto code_for = [&] {
        return Enc(CodeOf(SubmitLogin(pkce, "Passw0rd!", kCliId).Header("Location")));
    };
    const auto plain_code = [&] {
        return Enc(CodeOf(SubmitLogin("", "Passw0rd!", kCliId).Header("Location")));
    };
    const std::string base = std::string("grant_type=authorization_code&client_id=") + kCliId +
                             "&redirect_uri=" + kCallbackEnc;
    // Challenge given, no verifier: invalid_grant.
    RawResponse t = Token(base + "&client_secret=cli-secret&code=" + code_for());
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
    // Even then, a code without PKCE needs the secret; a verifier without a challenge is refused.
    t = Token(base + "&code=" + plain_code());
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    t = Token(base + "&client_secret=cli-secret&code_verifier=" + kVerifier +
              "&code=" + plain_code());
    EXPECT_EQ(t.body, R"({"error":"invalid_grant","error_description":"invalid code verifier"})");
    // Unknown code.
    EXPECT_EQ(Token(base + "&client_secret=cli-secret&code=aPrxnope").body, kExpiredCode);
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

TEST_F(OAuthWebFlowTest, AppsRequireTheirSecretForCodesAndRefreshByDefault) {
    // "Require Secret for Web Server Flow" and "... for Refresh Token Flow" are on unless the
    // org definition turns them off: a PKCE-bound code alone does not get a token.
    const std::string pkce = std::string("&code_challenge=") + kChallenge +
                             "&code_challenge_method=S256&scope=api%20" + "refresh_token";
    const std::string base =
        std::string("grant_type=authorization_code&client_id=3MVG9local.key&redirect_uri=") +
        kCallbackEnc + "&code_verifier=" + kVerifier;
    RawResponse t = Token(base + "&code=" + Enc(CodeOf(SubmitLogin(pkce).Header("Location"))));
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    t = Token(base + "&client_secret=local-secret&code=" +
              Enc(CodeOf(SubmitLogin(pkce).Header("Location"))));
    ASSERT_EQ(t.status, 200) << t.body;
    const std::string refresh =
        std::string(json::parse(t.body).as_object().at("refresh_token").as_string());
    t = Token("grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=" + refresh);
    EXPECT_EQ(t.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    t = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-secret&"
        "refresh_token=" +
        refresh);
    EXPECT_EQ(t.status, 200) << t.body;
}

TEST_F(OAuthWebFlowTest, LoginFormNeedsItsOwnPageToken) {
    const std::string query = "response_type=code&" + AuthorizeQuery();
    const RawResponse page = Fetch(org_->Port(), "GET", "/services/oauth2/authorize?" + query);
    ASSERT_EQ(page.status, 200);
    const std::string set_cookie = page.Header("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos) << set_cookie;
    const LoginForm form = FormOf(page);
    ASSERT_GE(form.token.size(), 40u) << "a 256-bit random token";
    const auto refused = [](const RawResponse& r) {
        EXPECT_EQ(r.status, 403);
        EXPECT_EQ(r.Header("Location"), "");
        EXPECT_NE(r.body.find("id=\"error\""), std::string::npos);
    };
    // A forged POST from another site: no cookie, no field.
    refused(PostForm(org_->Port(), query, LoginForm{}));
    // The field without its cookie, the cookie without its field, or another page's token.
    refused(PostForm(org_->Port(), query, LoginForm{form.token, ""}));
    refused(PostForm(org_->Port(), query, LoginForm{"", form.cookie}));
    const LoginForm other = OpenPage(org_->Port(), query);
    refused(PostForm(org_->Port(), query, LoginForm{other.token, form.cookie}));
    // The right pair from another origin.
    refused(PostForm(org_->Port(), query, form, "Passw0rd!", {"Origin: https://evil.example"}));
    // The right pair from this origin: a code. Then the token is used up.
    const std::string origin = "Origin: http://127.0.0.1:" + std::to_string(org_->Port());
    const RawResponse ok = PostForm(org_->Port(), query, form, "Passw0rd!", {origin});
    ASSERT_EQ(ok.status, 302) << ok.body;
    refused(PostForm(org_->Port(), query, form, "Passw0rd!", {origin}));
    // A wrong password reshows the page with a fresh token that works.
    const RawResponse again = PostForm(org_->Port(), query, other, "wrong");
    EXPECT_EQ(again.status, 200);
    const LoginForm fresh = FormOf(again);
    EXPECT_NE(fresh.token, other.token);
    EXPECT_EQ(PostForm(org_->Port(), query, fresh).status, 302);
}

TEST_F(OAuthWebFlowTest, ClientLibraryWebFlowWithPkceThenRefresh) {
    client::AuthorizationCodeFlow flow;
    flow.login_url = org_->BaseUrl();
    flow.client_id = kCliId;
    flow.redirect_uri = kCallback;
    flow.scope = "api refresh_token";
    auto pkce = client::GeneratePkce();
    ASSERT_TRUE(pkce);
    flow.code_verifier = pkce->verifier;  // a public client: no secret
    auto url = flow.AuthorizeUrl("xyz");
    ASSERT_TRUE(url);
    // The browser: open the page, then submit the form with the same request.
    const std::string target = url->substr(org_->BaseUrl().size());
    const std::string query = target.substr(target.find('?') + 1);
    const RawResponse login =
        PostForm(org_->Port(), query, OpenPage(org_->Port(), query), "Passw0rd%21");
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
    refresh.client_id = kCliId;
    refresh.client_secret = "cli-secret";  // the signature is then verified too
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
        const std::string query =
            std::string("response_type=code&client_id=3MVG9local.key&redirect_uri=") + kCallbackEnc;
        const RawResponse login = OAuthWebFlowTest::PostForm(
            org.Port(), query, OAuthWebFlowTest::OpenPage(org.Port(), query), "Passw0rd%21");
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
                  "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-"
                  "secret&refresh_token=" +
                      refresh);
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
    // Only the refresh token's hash is stored (SQLite's files, or PostgreSQL's columns).
    const auto places = WhereStored(dir + "/org", refresh.substr(7));
    EXPECT_TRUE(places.empty()) << "refresh token stored in " << Places(places);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace sfkit::test
