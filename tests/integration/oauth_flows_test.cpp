// Token-endpoint grants beyond password/client credentials and the discovery documents, over real
// HTTP: refresh_token (unknown tokens answer invalid_grant, §A.3.3), grants the local org does not
// offer (400 unsupported_grant_type, never 404, §A.2), multipart/form-data token requests
// (sfdx, §A.3.6), /.well-known/openid-configuration, /.well-known/auth-configuration, /id/keys.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kUnsupported =
    R"({"error":"unsupported_grant_type","error_description":"grant type not supported"})";
constexpr const char* kExpiredRefresh =
    R"({"error":"invalid_grant","error_description":"expired access/refresh token"})";

class OAuthFlowsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { org_ = new TestOrg(); }
    static void TearDownTestSuite() {
        delete org_;
        org_ = nullptr;
    }
    static RawResponse Token(const std::string& body, std::vector<std::string> headers = {kForm}) {
        return Fetch(org_->Port(), "POST", "/services/oauth2/token", headers, body);
    }
    static std::string Base() { return org_->BaseUrl(); }
    static TestOrg* org_;
};

TestOrg* OAuthFlowsTest::org_ = nullptr;

TEST_F(OAuthFlowsTest, RefreshTokenGrantChecksTheClientThenRefusesUnknownTokens) {
    // No secret: refused where the app requires it (the default), fine where it does not; these
    // tokens are unknown.
    RawResponse r = Token("grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=5Aep8x");
    EXPECT_EQ(r.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    r = Token("grant_type=refresh_token&client_id=3MVG9cli.key&refresh_token=5Aep8x");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, kExpiredRefresh);
    r = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-secret&"
        "refresh_token=");
    EXPECT_EQ(r.body, kExpiredRefresh);
    // An access token is not a refresh token.
    r = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=local-secret&"
        "refresh_token=" +
        org_->Login());
    EXPECT_EQ(r.body, kExpiredRefresh);
    r = Token(
        "grant_type=refresh_token&client_id=3MVG9local.key&client_secret=nope&"
        "refresh_token=x");
    EXPECT_EQ(r.body,
              R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    r = Token("grant_type=refresh_token&client_id=nope&refresh_token=x");
    EXPECT_EQ(r.body,
              R"({"error":"invalid_client_id","error_description":"client identifier invalid"})");
}

TEST_F(OAuthFlowsTest, GrantsNotOfferedAnswerUnsupportedGrantType) {
    for (const std::string grant : {"urn:ietf:params:oauth:grant-type:saml2-bearer",
                                    "urn:ietf:params:oauth:grant-type:token-exchange",
                                    "urn:ietf:params:oauth:grant-type:device_code",
                                    "hybrid_refresh"}) {
        const RawResponse r = Token("grant_type=" + grant +
                                    "&client_id=3MVG9local.key&client_secret=local-secret&code=x"
                                    "&assertion=e30.e30.x");
        EXPECT_EQ(r.status, 400) << grant;
        EXPECT_EQ(r.body, kUnsupported) << grant;
    }
}

TEST_F(OAuthFlowsTest, MultipartFormDataTokenRequests) {
    const std::string boundary = "----sfkitBoundary7MA4YWxkTrZu0gW";
    auto part = [&](const std::string& name, const std::string& value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
               "\"\r\n\r\n" + value + "\r\n";
    };
    const std::string body = part("grant_type", "password") + part("client_id", kClientId) +
                             part("client_secret", kClientSecret) + part("username", kUser) +
                             part("password", std::string(kPassword) + kSecurityToken) + "--" +
                             boundary + "--\r\n";
    const RawResponse ok = Token(body, {"Content-Type: multipart/form-data; boundary=" + boundary});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_TRUE(json::parse(ok.body).as_object().contains("access_token"));
    // The Postman collection's device request: a multipart body without grant_type, read as
    // such (this app has the device flow off; oauth_device_flow_test.cpp has the rest).
    const std::string device = part("response_type", "device_code") + part("client_id", kClientId) +
                               part("format", "json") + "--" + boundary + "--\r\n";
    const RawResponse d =
        Token(device, {"Content-Type: multipart/form-data; boundary=\"" + boundary + "\""});
    EXPECT_EQ(d.status, 400);
    EXPECT_EQ(d.body, R"({"error":"invalid_grant","error_description":"device flow not enabled"})");
}

TEST_F(OAuthFlowsTest, AuthorizeChecksClientAndRedirectThenRefusesOtherResponseTypes) {
    auto get = [](const std::string& query) {
        return Fetch(org_->Port(), "GET", "/services/oauth2/authorize?" + query);
    };
    RawResponse r = get("response_type=code&client_id=nope&redirect_uri=x");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "error=invalid_client_id&error_description=client%20identifier%20invalid");
    r = get("response_type=code&client_id=3MVG9local.key&redirect_uri=https%3A%2F%2Fevil.test");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%"
              "20configuration");
    EXPECT_EQ(r.Header("Location"), "") << "a bad redirect_uri is never redirected to";
    r =
        get("response_type=code_id_token&client_id=3MVG9local.key&redirect_uri=http%3A%2F%"
            "2Flocalhost%3A1717%2FOauthRedirect&state=a%20b");
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.Header("Location"),
              "http://localhost:1717/OauthRedirect?error=unsupported_response_type&error_"
              "description=response%20type%20not%20supported&state=a+b");
    // The user-agent flow gets the error in the fragment.
    r =
        get("response_type=token&client_id=3MVG9local.key&redirect_uri=http%3A%2F%2Flocalhost%"
            "3A1717%2FOauthRedirect");
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.Header("Location"),
              "http://localhost:1717/OauthRedirect#error=unsupported_response_type&error_"
              "description=response%20type%20not%20supported");
    // POST (the headless flows) is read from the form body.
    r = Fetch(org_->Port(),
              "POST",
              "/services/oauth2/authorize",
              {kForm},
              "response_type=code_credentials&client_id=3MVG9local.key&redirect_uri=http%3A%2F%"
              "2Flocalhost%3A1717%2FOauthRedirect");
    EXPECT_EQ(r.status, 302);
}

TEST_F(OAuthFlowsTest, OpenIdConfigurationPointsAtThisOrg) {
    const RawResponse r = Fetch(org_->Port(), "GET", "/.well-known/openid-configuration");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const json::object o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    const std::vector<std::string> expected = {"issuer",
                                               "authorization_endpoint",
                                               "token_endpoint",
                                               "revocation_endpoint",
                                               "userinfo_endpoint",
                                               "jwks_uri",
                                               "introspection_endpoint",
                                               "scopes_supported",
                                               "response_types_supported",
                                               "subject_types_supported",
                                               "id_token_signing_alg_values_supported",
                                               "display_values_supported",
                                               "token_endpoint_auth_methods_supported",
                                               "claims_supported",
                                               "grant_types_supported"};
    EXPECT_EQ(keys, expected);
    EXPECT_EQ(o.at("issuer").as_string(), Base());
    EXPECT_EQ(o.at("token_endpoint").as_string(), Base() + "/services/oauth2/token");
    EXPECT_EQ(o.at("introspection_endpoint").as_string(), Base() + "/services/oauth2/introspect");
    EXPECT_EQ(o.at("jwks_uri").as_string(), Base() + "/id/keys");
    const json::array& grants = o.at("grant_types_supported").as_array();
    EXPECT_EQ(json::serialize(grants),
              R"(["authorization_code","password","client_credentials","refresh_token",)"
              R"("urn:ietf:params:oauth:grant-type:jwt-bearer","device"])");
    // Every advertised endpoint answers something other than 404.
    for (const char* key : {"token_endpoint",
                            "revocation_endpoint",
                            "userinfo_endpoint",
                            "jwks_uri",
                            "introspection_endpoint"}) {
        const std::string url(o.at(key).as_string());
        const RawResponse e = Fetch(org_->Port(), "POST", url.substr(Base().size()), {kForm}, "");
        EXPECT_NE(e.status, 404) << key;
    }
}

TEST_F(OAuthFlowsTest, AuthConfigurationAndKeys) {
    const RawResponse r = Fetch(org_->Port(), "GET", "/.well-known/auth-configuration");
    ASSERT_EQ(r.status, 200);
    const std::string org15 = org_->Org().Org().org_id.substr(0, 15);
    EXPECT_EQ(
        r.body,
        R"({"OrgId":")" + org15 + R"(","Url":")" + Base() +
            R"(","MobileSDK":{"UseiOSNativeBrowserForAuthentication":false,"UseAndroidNativeBrowserForAuthentication":false,"shareBrowserSessionIOS":false,"shareBrowserSessionAndroid":false},"LoginPage":null,"SamlProviders":[],"AuthProviders":[],"CertificateLogin":null,"LoginPageType":"standard","LoginPageTypeConfigs":{}})");
    const RawResponse k = Fetch(org_->Port(), "GET", "/id/keys");
    EXPECT_EQ(k.status, 200);
    EXPECT_EQ(k.body, R"({"keys":[]})");
}

}  // namespace
}  // namespace sfkit::test
