// AuthService's public face: construction, bearer-token authentication for the REST API and the
// routes of the OAuth 2.0 and identity endpoints. The rest lives beside it (see auth_impl.hpp).
#include "server/auth/auth_service.hpp"

#include <boost/json.hpp>

#include "server/api/render.hpp"
#include "server/auth/auth_impl.hpp"
#include "server/http/api_error.hpp"

namespace sfkit::server {

using namespace oauth;

namespace json = boost::json;

// ---- AuthService -----------------------------------------------------------------------------

AuthService::AuthService(Database& db, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(db, options)) {}
AuthService::~AuthService() = default;

void AuthService::SetDirectorySink(DirectorySink* sink) {
    impl_->directory = sink;
}

const OrgInfo& AuthService::Org() const {
    return impl_->org;
}

std::int64_t AuthService::SessionTimeoutSeconds() const {
    return impl_->session_timeout_ms / 1000;
}

Session AuthService::Authenticate(const Request& req, bool allow_query_token) const {
    const Impl& m = *impl_;
    std::optional<Params> params;
    if (allow_query_token) {
        params = RequestParams(req);
    }
    return AuthenticateToken(m.ExtractToken(req, params ? &*params : nullptr));
}

Session AuthService::AuthenticateToken(const std::string& token) const {
    const Impl& m = *impl_;
    std::optional<Session> s = m.FindSession(token);
    bool api_enabled = true;
    if (s) {
        std::shared_lock lock(m.mu);
        const auto it = m.users.find(s->user_id);
        if (it == m.users.end() || !it->second.active) {
            s.reset();
        } else {
            api_enabled = it->second.api_enabled;
        }
    }
    if (!s) {
        throw ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    if (!api_enabled) {
        // The token was issued, but REST calls are refused (§A.5 "API disabled").
        throw ApiError(
            403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.");
    }
    return *s;
}

void AuthService::RegisterRoutes(Router& router) {
    Impl* m = impl_.get();
    router.Add({{"POST"}, "/services/oauth2/token", false, [m](Call& call) {
                    return m->HandleToken(call);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/revoke", false, [m](Call& call) {
                    return m->HandleRevoke(call);
                }});
    router.Add({{"POST"}, "/services/oauth2/introspect", false, [m](Call& call) {
                    return m->HandleIntrospect(call);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/userinfo", false, [m](Call& call) {
                    return m->HandleUserInfo(call);
                }});
    // SOAP login(): every method is routed here so that non-POST gets the HTML 405 of §A.9.
    const std::vector<std::string> any_method = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    router.Add({any_method, "/services/Soap/u/{version}", false, [m](Call& call) {
                    return m->HandleSoapLogin(call, SoapApi::kPartner);
                }});
    router.Add({any_method, "/services/Soap/c/{version}", false, [m](Call& call) {
                    return m->HandleSoapLogin(call, SoapApi::kEnterprise);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/authorize", false, [m](Call& call) {
                    return m->HandleAuthorize(call);
                }});
    // The device flow's verification page (§A.3.6, verification_uri).
    router.Add({{"GET", "POST"}, "/setup/connect", false, [m](Call& call) {
                    return m->HandleDeviceVerification(call);
                }});
    router.Add({{"GET"}, "/.well-known/openid-configuration", false, [m](Call& call) {
                    return m->HandleOpenIdConfiguration(call);
                }});
    router.Add({{"GET"}, "/.well-known/auth-configuration", false, [m](Call& call) {
                    return m->HandleAuthConfiguration(call);
                }});
    // The local org signs no ID tokens yet, so its key set is empty (same shape as Salesforce's
    // JWKS).
    router.Add({{"GET"}, "/id/keys", false, [](Call& call) {
                    json::object o;
                    o["keys"] = json::array();
                    return JsonResponse(200, o, call.pretty);
                }});
    // Not requires_auth: the identity service takes the token from the header or `oauth_token`
    // (jsforce's identity() sends it in the query) and answers errors in its own plain-text way.
    router.Add({{"GET", "POST"}, "/id/{org}/{user}", false, [m](Call& call) {
                    return m->HandleIdentity(call);
                }});
}

}  // namespace sfkit::server
