// The identity service (/id/{org}/{user}, userinfo) and the discovery documents
// (/.well-known/openid-configuration, /.well-known/auth-configuration).
#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "server/api/render.hpp"
#include "server/auth/auth_impl.hpp"

namespace sfkit::server {

using namespace oauth;

IdentityFacts AuthService::Impl::FactsFor(const UserRecord& u, const std::string& base_url) const {
    IdentityFacts f;
    f.base_url = StripTrailingSlash(base_url);
    f.org_id = org.org_id;
    f.user_id = u.id;
    f.username = u.username;
    f.first_name = u.first_name;
    f.last_name = u.last_name;
    f.email = u.email;
    f.active = u.active;
    f.modified_ms = u.modified_ms;
    return f;
}

std::variant<AuthService::Impl::IdentityCall, Response> AuthService::Impl::ReadIdentityCall(
    const Call& call) const {
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    const std::string token = ExtractToken(call.req, &params);
    if (token.empty()) {
        return IdentityError(403, "Missing_OAuth_Token");
    }
    std::optional<Session> s = FindSession(token);
    if (!s) {
        return IdentityError(403, "Bad_OAuth_Token");
    }
    IdentityCall out{std::move(*s), {}, call.format == Format::kXml};
    if (const std::string* v = Find(params, "version")) {
        auto parsed = ParseIdentityVersion(*v);
        if (!parsed) {
            return IdentityError(406, "Invalid_Version");
        }
        out.version = *parsed;
    }
    if (const std::string* fmt = Find(params, "format")) {
        out.xml = *fmt == "xml";
    }
    return out;
}

namespace {

namespace json = boost::json;

Response IdentityAnswer(std::string body, bool xml) {
    Response r;
    r.status = 200;
    r.body = std::move(body);
    r.SetHeader("Content-Type", std::string(xml ? kXmlContentType : kJsonContentType));
    return r;
}

}  // namespace

Response AuthService::Impl::HandleIdentity(Call& call) {
    auto read = ReadIdentityCall(call);
    if (Response* error = std::get_if<Response>(&read)) {
        return std::move(*error);
    }
    const IdentityCall& ic = std::get<IdentityCall>(read);
    const Session* s = &ic.session;
    const auto org_id = Id::Parse(call.Param("org"));
    const auto user_id = Id::Parse(call.Param("user"));
    if (!org_id || org_id->KeyPrefix() != "00D" || !user_id || user_id->KeyPrefix() != "005") {
        return IdentityError(404, "Bad_Id");
    }
    if (org_id->Str18() != org.org_id) {
        return IdentityError(403, "Wrong_Org");
    }
    const std::optional<UserRecord> user = store.UserById(user_id->Str18());
    if (!user) {
        return IdentityError(404, "Bad_Id");
    }
    if (user->id != s->user_id) {
        // Another user's identity needs an api/full-scoped token of a user who may view all
        // data (here: the System Administrator profile).
        bool admin = false;
        {
            std::shared_lock lock(mu);
            const auto it = users.find(s->user_id);
            admin = it != users.end() && it->second.admin;
        }
        if (!admin || !(Contains(s->scopes, "api") || Contains(s->scopes, "full"))) {
            return IdentityError(404, "No_Access");
        }
    }
    if (!user->active) {
        return IdentityError(404, "Inactive");
    }
    IdentityFacts f = FactsFor(*user, call.base_url);
    f.version = ic.version;
    return IdentityAnswer(IdentityDocument(f, ic.xml, call.pretty), ic.xml);
}

Response AuthService::Impl::HandleUserInfo(Call& call) {
    auto read = ReadIdentityCall(call);
    if (Response* error = std::get_if<Response>(&read)) {
        return std::move(*error);
    }
    const IdentityCall& ic = std::get<IdentityCall>(read);
    const std::optional<UserRecord> user = store.UserById(ic.session.user_id);
    if (!user || !user->active) {
        return IdentityError(403, "Bad_OAuth_Token");
    }
    IdentityFacts f = FactsFor(*user, call.base_url);
    f.version = ic.version;
    return IdentityAnswer(UserInfoDocument(f, ic.xml, call.pretty), ic.xml);
}

// ---- discovery -------------------------------------------------------------------------------

Response AuthService::Impl::HandleOpenIdConfiguration(Call& call) const {
    // Key order of Salesforce's published sample (Help "Query for the OpenID Connect
    // Configuration"); values point at this org. Only what the local org serves is advertised:
    // no registration or logout endpoints, and grant_types_supported lists the grants the token
    // endpoint accepts.
    const std::string b = StripTrailingSlash(call.base_url);
    auto strings = [](std::initializer_list<const char*> items) {
        json::array a;
        for (const char* i : items) {
            a.emplace_back(i);
        }
        return a;
    };
    json::object o;
    o["issuer"] = b;
    o["authorization_endpoint"] = b + "/services/oauth2/authorize";
    o["token_endpoint"] = b + "/services/oauth2/token";
    o["revocation_endpoint"] = b + "/services/oauth2/revoke";
    o["userinfo_endpoint"] = b + "/services/oauth2/userinfo";
    o["jwks_uri"] = b + "/id/keys";
    o["introspection_endpoint"] = b + "/services/oauth2/introspect";
    o["scopes_supported"] = strings({"id",
                                     "api",
                                     "web",
                                     "full",
                                     "chatter_api",
                                     "visualforce",
                                     "refresh_token",
                                     "openid",
                                     "profile",
                                     "email",
                                     "address",
                                     "phone",
                                     "offline_access",
                                     "custom_permissions",
                                     "wave_api",
                                     "eclair_api"});
    o["response_types_supported"] = strings({"code", "token", "token id_token"});
    o["subject_types_supported"] = strings({"public"});
    o["id_token_signing_alg_values_supported"] = strings({"RS256"});
    o["display_values_supported"] = strings({"page", "popup", "touch"});
    o["token_endpoint_auth_methods_supported"] =
        strings({"client_secret_post", "client_secret_basic"});
    o["claims_supported"] = strings({"active",
                                     "address",
                                     "email",
                                     "email_verified",
                                     "family_name",
                                     "given_name",
                                     "is_app_installed",
                                     "language",
                                     "locale",
                                     "name",
                                     "nickname",
                                     "organization_id",
                                     "phone_number",
                                     "phone_number_verified",
                                     "photos",
                                     "picture",
                                     "preferred_username",
                                     "profile",
                                     "sub",
                                     "updated_at",
                                     "urls",
                                     "user_id",
                                     "user_type",
                                     "zoneinfo"});
    o["grant_types_supported"] = strings({"authorization_code",
                                          "password",
                                          "client_credentials",
                                          "refresh_token",
                                          kJwtBearerGrant.data(),
                                          "device"});
    Response r = JsonResponse(200, o, call.pretty);
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

Response AuthService::Impl::HandleAuthConfiguration(Call& call) const {
    // Shape of the sample in Salesforce's Postman collection / Help "Query SAML Authentication
    // Settings" for an org without SSO or auth providers: 15-char org id, the org's URL.
    json::object mobile;
    mobile["UseiOSNativeBrowserForAuthentication"] = false;
    mobile["UseAndroidNativeBrowserForAuthentication"] = false;
    mobile["shareBrowserSessionIOS"] = false;
    mobile["shareBrowserSessionAndroid"] = false;
    json::object o;
    o["OrgId"] = org.org_id.substr(0, 15);
    o["Url"] = StripTrailingSlash(call.base_url);
    o["MobileSDK"] = std::move(mobile);
    o["LoginPage"] = nullptr;
    o["SamlProviders"] = json::array();
    o["AuthProviders"] = json::array();
    o["CertificateLogin"] = nullptr;
    o["LoginPageType"] = "standard";
    o["LoginPageTypeConfigs"] = json::object();
    return JsonResponse(200, o, call.pretty);
}

}  // namespace sfkit::server
