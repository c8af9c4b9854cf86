// OAuth endpoints: form decoding of the token endpoint (percent-encoding, repeated and huge
// values), grant types, client authentication, codes and refresh tokens, authorize parameters
// (redirect URIs, response types, PKCE), revoke, introspect, userinfo, identity URLs; and the
// JWT bearer grant (malformed compact JWS, alg none, wrong signature, bad claims).
#include "hostile/hostile.hpp"
#include "support/rsa_test_keys.hpp"

namespace sfkit::test::hostile {
namespace {

constexpr const char* kToken = "/services/oauth2/token";
constexpr const char* kApp = "client_id=3MVG9hostile.key&client_secret=hostile-secret";
constexpr const char* kJwtGrant =
    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

Case Token(std::string name, std::string body, std::string error, int status = 400) {
    return {std::move(name),
            Request("POST", kToken, {kForm}, body, false),
            status,
            Shape::kOAuthError,
            std::move(error)};
}

}  // namespace

std::vector<Case> OAuthCases() {
    std::vector<Case> c;
    const std::string app = kApp;
    const std::string pw = "grant_type=password&" + app;
    // Grant types and form decoding.
    c.push_back(Token("empty_form", "", "unsupported_grant_type"));
    c.push_back(Token("no_grant_type", app, "unsupported_grant_type"));
    c.push_back(Token("unknown_grant_type", "grant_type=bogus&" + app, "unsupported_grant_type"));
    c.push_back(
        Token("grant_type_implicit", "grant_type=implicit&" + app, "unsupported_grant_type"));
    // The device flow is served now: a poll without a device code is refused as an unknown code.
    c.push_back(Token("grant_type_device", "grant_type=device&" + app, "invalid_grant"));
    c.push_back(Token("grant_type_saml",
                      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&" + app,
                      "unsupported_grant_type"));
    c.push_back(
        Token("grant_type_uppercase", "grant_type=PASSWORD&" + app, "unsupported_grant_type"));
    c.push_back(
        Token("grant_type_invalid_utf8", "grant_type=%ff%fe&" + app, "unsupported_grant_type"));
    c.push_back(
        Token("grant_type_raw_high_bytes", "grant_type=\xff\xfe&" + app, "unsupported_grant_type"));
    c.push_back(Token("grant_type_nul", "grant_type=password%00&" + app, "unsupported_grant_type"));
    c.push_back(
        Token("bad_percent_encoding", "grant_type=pass%zzword&" + app, "unsupported_grant_type"));
    c.push_back(
        Token("truncated_percent_encoding", "grant_type=password%2", "unsupported_grant_type"));
    c.push_back(Token("lone_percent", "grant_type=%&" + app, "unsupported_grant_type"));
    c.push_back(Token("form_without_equals", "grant_type&client_id", "unsupported_grant_type"));
    c.push_back(Token("form_only_ampersands", std::string(10000, '&'), "unsupported_grant_type"));
    c.push_back(Token(
        "form_100000_params",
        [] {
            std::string s;
            for (int i = 0; i < 100000; ++i) {
                s += "p" + std::to_string(i) + "=v&";
            }
            return s;
        }(),
        "unsupported_grant_type"));
    c.push_back(Token(
        "json_body_on_token_endpoint", R"({"grant_type":"password"})", "unsupported_grant_type"));
    {
        Case k = Token(
            "token_body_as_json_content_type", "grant_type=password", "unsupported_grant_type");
        k.request = Request("POST", kToken, {kJson}, R"({"grant_type":"password"})", false);
        c.push_back(std::move(k));
    }

    // Repeated parameters: the first one counts (as a servlet's getParameter), never a mix.
    c.push_back(Token("repeated_grant_type_first_unknown",
                      "grant_type=bogus&grant_type=password&" + app +
                          "&username=admin%40acme.test&password=Passw0rd%21TOKEN123",
                      "unsupported_grant_type"));
    c.push_back(Token("repeated_username_first_with_other_password",
                      pw + "&username=victim%40acme.test&username=admin%40acme.test"
                           "&password=Passw0rd%21TOKEN123",
                      "invalid_grant"));
    c.push_back(Token("repeated_client_secret_first_wrong",
                      "grant_type=password&client_id=3MVG9hostile.key&client_secret=wrong"
                      "&client_secret=hostile-secret&username=admin%40acme.test"
                      "&password=Passw0rd%21TOKEN123",
                      "invalid_client"));
    c.push_back(Token("repeated_password_first_wrong",
                      pw + "&username=admin%40acme.test&password=nope&password=Passw0rd%21TOKEN123",
                      "invalid_grant"));

    // Clients.
    c.push_back(Token(
        "unknown_client_id",
        "grant_type=password&client_id=nope&client_secret=x&username=admin%40acme.test&password=x",
        "invalid_client_id"));
    c.push_back(Token("client_id_invalid_utf8",
                      "grant_type=password&client_id=%ff&client_secret=x&username=a&password=x",
                      "invalid_client_id"));
    c.push_back(Token("client_id_1MB",
                      "grant_type=password&client_secret=x&client_id=" + std::string(1 << 20, 'k'),
                      "invalid_client_id"));
    c.push_back(Token("no_client_id",
                      "grant_type=password&username=victim%40acme.test&password=x",
                      "invalid_client_id"));
    c.push_back(Token("wrong_client_secret",
                      "grant_type=password&client_id=3MVG9hostile.key&client_secret=wrong&username="
                      "admin%40acme.test&password=Passw0rd%21TOKEN123",
                      "invalid_client"));
    c.push_back(Token("client_secret_invalid_utf8",
                      "grant_type=password&client_id=3MVG9hostile.key&client_secret=%ff&username="
                      "admin%40acme.test&password=Passw0rd%21TOKEN123",
                      "invalid_client"));
    c.push_back(Token("client_credentials_wrong_secret",
                      "grant_type=client_credentials&client_id=3MVG9hostile.key&client_secret=x",
                      "invalid_client"));
    {
        Case k =
            Token("basic_auth_not_base64", "grant_type=client_credentials", "invalid_client_id");
        k.request = Request("POST",
                            kToken,
                            {kForm, "Authorization: Basic !!!!"},
                            "grant_type=client_credentials",
                            false);
        c.push_back(std::move(k));
        k.name = "basic_auth_without_colon";
        k.request = Request("POST",
                            kToken,
                            {kForm, "Authorization: Basic bm9jb2xvbg=="},
                            "grant_type=client_credentials",
                            false);
        c.push_back(k);
        k.name = "basic_auth_invalid_utf8";
        k.request = Request("POST",
                            kToken,
                            {kForm, "Authorization: Basic /zr+"},
                            "grant_type=client_credentials",
                            false);
        c.push_back(k);
        k.name = "basic_auth_empty";
        k.request = Request("POST",
                            kToken,
                            {kForm, "Authorization: Basic "},
                            "grant_type=client_credentials",
                            false);
        c.push_back(k);
    }

    // Username-password: every failure is the same invalid_grant (no user enumeration).
    c.push_back(Token(
        "wrong_password", pw + "&username=victim%40acme.test&password=nope", "invalid_grant"));
    c.push_back(Token(
        "unknown_username", pw + "&username=nobody%40acme.test&password=nope", "invalid_grant"));
    c.push_back(
        Token("username_invalid_utf8", pw + "&username=%ff%fe&password=nope", "invalid_grant"));
    c.push_back(Token("username_100000_chars",
                      pw + "&username=" + std::string(100000, 'u') + "&password=nope",
                      "invalid_grant"));
    c.push_back(Token("password_1MB",
                      pw + "&username=victim%40acme.test&password=" + std::string(1 << 20, 'p'),
                      "invalid_grant"));
    c.push_back(Token("password_missing", pw + "&username=victim%40acme.test", "invalid_grant"));
    c.push_back(Token("password_nul_bytes",
                      pw + "&username=victim%40acme.test&password=Victim-passw0rd%00TOKENV",
                      "invalid_grant"));
    c.push_back(Token("password_invalid_utf8",
                      pw + "&username=victim%40acme.test&password=%c0%af",
                      "invalid_grant"));
    c.push_back(Token(
        "username_sql_quote", pw + "&username=%27%20OR%201%3D1%20--&password=x", "invalid_grant"));
    c.push_back(Token("username_wildcard", pw + "&username=%25&password=x", "invalid_grant"));
    c.push_back(Token("username_empty", pw + "&username=&password=x", "invalid_grant"));

    // Codes and refresh tokens.
    const std::string code =
        "grant_type=authorization_code&" + app + "&redirect_uri=" + kCallbackEnc;
    c.push_back(Token("code_missing", code, "invalid_grant"));
    c.push_back(Token("code_garbage", code + "&code=garbage", "invalid_grant"));
    c.push_back(Token("code_invalid_utf8", code + "&code=%ff%fe", "invalid_grant"));
    c.push_back(Token("code_huge", code + "&code=" + std::string(100000, 'c'), "invalid_grant"));
    c.push_back(Token(
        "code_shaped_but_unknown",
        code +
            "&code=aPrxAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D%3D",
        "invalid_grant"));
    c.push_back(Token(
        "code_with_verifier_garbage", code + "&code=aPrxZZ&code_verifier=%ff%00", "invalid_grant"));
    c.push_back(Token("refresh_garbage",
                      "grant_type=refresh_token&" + app + "&refresh_token=garbage",
                      "invalid_grant"));
    c.push_back(Token("refresh_invalid_utf8",
                      "grant_type=refresh_token&" + app + "&refresh_token=%ff",
                      "invalid_grant"));
    c.push_back(Token("refresh_missing", "grant_type=refresh_token&" + app, "invalid_grant"));
    c.push_back(
        Token("refresh_shaped_but_unknown",
              "grant_type=refresh_token&" + app + "&refresh_token=5Aep861" + std::string(80, 'A'),
              "invalid_grant"));

    // Method and the other OAuth endpoints.
    c.push_back({"token_endpoint_get",
                 Request("GET", std::string(kToken) + "?grant_type=password", {}, {}, false),
                 405,
                 Shape::kRestError,
                 "METHOD_NOT_ALLOWED"});
    c.push_back({"token_endpoint_delete",
                 Request("DELETE", kToken, {}, {}, false),
                 405,
                 Shape::kRestError,
                 "METHOD_NOT_ALLOWED"});
    auto revoke = [&](std::string name, std::string body, std::string error) {
        c.push_back({std::move(name),
                     Request("POST", "/services/oauth2/revoke", {kForm}, body, false),
                     400,
                     Shape::kFormError,
                     std::move(error)});
    };
    revoke("revoke_unknown_token", "token=garbage", "invalid_token");
    revoke("revoke_invalid_utf8_token", "token=%ff%fe", "invalid_token");
    revoke("revoke_no_token", "", "unsupported_token_type");
    revoke("revoke_huge_token", "token=" + std::string(100000, 't'), "invalid_token");
    c.push_back({"revoke_get_unknown_token",
                 Request("GET", "/services/oauth2/revoke?token=%ff", {}, {}, false),
                 400,
                 Shape::kFormError,
                 "invalid_token"});
    c.push_back({"introspect_without_client",
                 Request("POST", "/services/oauth2/introspect", {kForm}, "token=x", false),
                 401,
                 Shape::kOAuthError,
                 "invalid_client"});
    c.push_back({"introspect_wrong_secret",
                 Request("POST",
                         "/services/oauth2/introspect",
                         {kForm},
                         "token=x&client_id=3MVG9hostile.key&client_secret=no",
                         false),
                 401,
                 Shape::kOAuthError,
                 "invalid_client"});
    c.push_back(
        {"userinfo_bad_token",
         Request("GET", "/services/oauth2/userinfo", {"Authorization: Bearer bad"}, {}, false),
         403,
         Shape::kText,
         "Bad_OAuth_Token"});
    c.push_back(
        {"userinfo_invalid_utf8_token",
         Request("GET", "/services/oauth2/userinfo", {"Authorization: Bearer \xff\xfe"}, {}, false),
         403,
         Shape::kText,
         "Bad_OAuth_Token"});
    c.push_back({"identity_url_garbage_ids",
                 Request("GET", "/id/00Dxx/005xx"),
                 404,
                 Shape::kText,
                 "Bad_Id"});
    c.push_back(
        {"identity_url_invalid_utf8", Request("GET", "/id/%ff/%fe"), 404, Shape::kText, "Bad_Id"});
    c.push_back({"identity_url_without_token",
                 Request("GET", "/id/00D000000000000AAA/005000000000000AAA", {}, {}, false),
                 403,
                 Shape::kText,
                 "Missing_OAuth_Token"});

    // Authorize: client and redirect_uri problems are shown, never redirected.
    const std::string az = "/services/oauth2/authorize?";
    auto shown = [&](std::string name, std::string query, std::string error) {
        c.push_back({std::move(name),
                     Request("GET", az + query, {}, {}, false),
                     400,
                     Shape::kFormError,
                     std::move(error)});
    };
    const std::string cb = std::string("&redirect_uri=") + kCallbackEnc;
    shown("authorize_no_parameters", "", "invalid_client_id");
    shown(
        "authorize_unknown_client", "response_type=code&client_id=nope" + cb, "invalid_client_id");
    shown("authorize_client_invalid_utf8",
          "response_type=code&client_id=%ff" + cb,
          "invalid_client_id");
    shown("authorize_redirect_elsewhere",
          "response_type=code&client_id=3MVG9hostile.key&redirect_uri=http%3A%2F%2Fevil.test%2F",
          "redirect_uri_mismatch");
    shown("authorize_redirect_prefix_only",
          "response_type=code&client_id=3MVG9hostile.key&redirect_uri=http%3A%2F%2Flocalhost%"
          "3A1717%2FOauthRedirectX",
          "redirect_uri_mismatch");
    shown("authorize_redirect_with_userinfo",
          "response_type=code&client_id=3MVG9hostile.key&redirect_uri=http%3A%2F%2Flocalhost%"
          "3A1717%40evil.test%2FOauthRedirect",
          "redirect_uri_mismatch");
    shown("authorize_redirect_javascript",
          "response_type=code&client_id=3MVG9hostile.key&redirect_uri=javascript%3Aalert(1)",
          "redirect_uri_mismatch");
    shown("authorize_redirect_invalid_utf8",
          "response_type=code&client_id=3MVG9hostile.key&redirect_uri=%ff%fe",
          "redirect_uri_mismatch");
    shown("authorize_redirect_missing",
          "response_type=code&client_id=3MVG9hostile.key",
          "redirect_uri_mismatch");
    c.push_back({"authorize_post_with_bad_percent_encoding",
                 Request("POST",
                         "/services/oauth2/authorize",
                         {kForm},
                         "response_type=code&client_id=3MVG9hostile.key" + cb +
                             "&sfkit_login=1&username=%ff&password=%zz",
                         false),
                 400,
                 Shape::kFormError,
                 "invalid_client_id"});
    // With a good client and callback, request errors go back to the callback (RFC 6749 4.1.2.1).
    auto redirected = [&](std::string name, std::string query, std::string error) {
        c.push_back({std::move(name),
                     Request("GET", az + query, {}, {}, false),
                     302,
                     Shape::kRedirectError,
                     std::move(error)});
    };
    redirected("authorize_unknown_response_type",
               "response_type=bogus&client_id=3MVG9hostile.key" + cb,
               "unsupported_response_type");
    redirected("authorize_response_type_invalid_utf8",
               "response_type=%ff&client_id=3MVG9hostile.key" + cb,
               "unsupported_response_type");
    redirected("authorize_pkce_unknown_method",
               "response_type=code&client_id=3MVG9hostile.key" + cb +
                   "&code_challenge=abc&code_challenge_method=plain2",
               "invalid_request");
    redirected("authorize_unknown_scope",
               "response_type=code&client_id=3MVG9hostile.key" + cb + "&scope=bogus%ff",
               "invalid_scope");
    return c;
}

std::vector<Case> JwtCases() {
    std::vector<Case> c;
    auto jwt = [&](std::string name, const std::string& assertion) {
        c.push_back(Token(std::move(name),
                          std::string(kJwtGrant) + "&assertion=" + Enc(assertion),
                          "invalid_grant"));
    };
    const std::string claims =
        R"({"iss":"3MVG9hostile.key","sub":"admin@acme.test","aud":"https://login.salesforce.com","exp":4102444800})";
    const std::string b64claims = Base64Url(claims);
    c.push_back(Token("jwt_assertion_missing", kJwtGrant, "invalid_grant"));
    jwt("jwt_garbage", "garbage");
    jwt("jwt_empty", "");
    jwt("jwt_two_parts", "a.b");
    jwt("jwt_four_parts", "a.b.c.d");
    jwt("jwt_empty_parts", "..");
    jwt("jwt_not_base64url", "!!.!!.!!");
    jwt("jwt_standard_base64_padding",
        Base64Url(R"({"alg":"RS256"})") + "==." + b64claims + "==.AAAA");
    jwt("jwt_alg_none", Base64Url(R"({"alg":"none"})") + "." + b64claims + ".");
    jwt("jwt_alg_none_uppercase", Base64Url(R"({"alg":"NONE"})") + "." + b64claims + ".");
    jwt("jwt_alg_hs256_signed_with_certificate",
        Base64Url(R"({"alg":"HS256"})") + "." + b64claims + "." + Base64Url(std::string(32, 'x')));
    jwt("jwt_alg_missing", Base64Url(R"({"typ":"JWT"})") + "." + b64claims + ".AAAA");
    jwt("jwt_alg_not_string", Base64Url(R"({"alg":256})") + "." + b64claims + ".AAAA");
    jwt("jwt_header_not_json", Base64Url("{{{") + "." + b64claims + ".AAAA");
    jwt("jwt_header_deeply_nested", Base64Url(std::string(10000, '[')) + "." + b64claims + ".AAAA");
    jwt("jwt_claims_not_json",
        Base64Url(R"({"alg":"RS256"})") + "." + Base64Url("not json") + ".AAAA");
    jwt("jwt_claims_invalid_utf8",
        Base64Url(R"({"alg":"RS256"})") + "." + Base64Url("{\"iss\":\"\xff\xfe\"}") + ".AAAA");
    jwt("jwt_signature_of_zeros",
        Base64Url(R"({"alg":"RS256"})") + "." + b64claims + "." +
            Base64Url(std::string(256, '\0')));
    jwt("jwt_signature_huge",
        Base64Url(R"({"alg":"RS256"})") + "." + b64claims + "." + std::string(60000, 'A'));
    jwt("jwt_signed_by_another_key", SignedJwt(R"({"alg":"RS256"})", claims, OtherKeyPem()));
    jwt("jwt_signature_of_other_claims", [&] {
        const std::string good = SignedJwt(R"({"alg":"RS256"})", claims, AppKeyPem());
        const std::string forged = SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"victim@acme.test","aud":"https://login.salesforce.com","exp":4102444800})",
            AppKeyPem());
        // header.claims of the forged token with the signature of the good one.
        return forged.substr(0, forged.rfind('.')) + good.substr(good.rfind('.'));
    }());
    jwt("jwt_expired",
        SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"admin@acme.test","aud":"https://login.salesforce.com","exp":1000})",
            AppKeyPem()));
    jwt("jwt_exp_not_number",
        SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"admin@acme.test","aud":"https://login.salesforce.com","exp":"soon"})",
            AppKeyPem()));
    jwt("jwt_exp_huge",
        SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"admin@acme.test","aud":"https://login.salesforce.com","exp":1e999})",
            AppKeyPem()));
    jwt("jwt_wrong_audience",
        SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"admin@acme.test","aud":"https://evil.test","exp":4102444800})",
            AppKeyPem()));
    c.push_back(Token(
        "jwt_unknown_issuer",
        std::string(kJwtGrant) + "&assertion=" +
            Enc(SignedJwt(
                R"({"alg":"RS256"})",
                R"({"iss":"nope","sub":"admin@acme.test","aud":"https://login.salesforce.com","exp":4102444800})",
                AppKeyPem())),
        "invalid_client_id"));
    jwt("jwt_unknown_subject",
        SignedJwt(
            R"({"alg":"RS256"})",
            R"({"iss":"3MVG9hostile.key","sub":"nobody@acme.test","aud":"https://login.salesforce.com","exp":4102444800})",
            AppKeyPem()));
    jwt("jwt_subject_invalid_utf8",
        SignedJwt(R"({"alg":"RS256"})",
                  "{\"iss\":\"3MVG9hostile.key\",\"sub\":\"\xff\",\"aud\":\"https://"
                  "login.salesforce.com\",\"exp\":4102444800}",
                  AppKeyPem()));
    jwt("jwt_claims_array", SignedJwt(R"({"alg":"RS256"})", "[]", AppKeyPem()));
    return c;
}

}  // namespace sfkit::test::hostile
