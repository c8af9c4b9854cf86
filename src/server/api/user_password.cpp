// The user password resource over AuthService's password store (auth/user_passwords.cpp).
#include "server/api/user_password.hpp"

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/auth_service.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

/// GET: `{"isExpired":false}` (passwords here never expire); POST `{"NewPassword":"..."}`: 204;
/// DELETE: a new random password, `{"NewPassword":"..."}`.
Response HandlePassword(AuthService& auth, Call& call) {
    RequireServedVersion(call.api_version);
    const std::string caller = call.session != nullptr ? call.session->user_id : std::string();
    const std::string user_id = auth.RequirePasswordAccess(caller, call.Param("id"));
    if (call.req.method == "GET" || call.req.method == "HEAD") {
        return JsonResponse(200, json::object{{"isExpired", false}}, call.pretty);
    }
    if (call.req.method == "DELETE") {
        return JsonResponse(
            200, json::object{{"NewPassword", auth.ResetUserPassword(user_id)}}, call.pretty);
    }
    auto parsed = codec::ParseJson(call.req.body);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    const json::value* password =
        parsed->is_object() ? parsed->as_object().if_contains("NewPassword") : nullptr;
    if (password == nullptr || !password->is_string()) {
        throw ApiError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [NewPassword]");
    }
    auth.SetUserPassword(user_id, std::string(password->as_string()));
    return NoContent();
}

}  // namespace

void RegisterUserPasswordRoutes(Router& router, AuthService& auth) {
    AuthService* a = &auth;
    router.Add({{"GET", "POST", "DELETE"},
                "/services/data/v{version}/sobjects/User/{id}/password",
                true,
                [a](Call& call) { return HandlePassword(*a, call); }});
}

}  // namespace sfkit::server
