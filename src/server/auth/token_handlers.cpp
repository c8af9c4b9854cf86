// The OAuth 2.0 token endpoint (every grant), revoke and introspect (wire reference §A).
//
// Token endpoint order of checks (§A.2, §A.5; Salesforce answers the first failing one):
//   1. grant_type missing/unknown, or the body is not a form        -> unsupported_grant_type
//   2. client_id unknown (body/query or HTTP Basic)                  -> invalid_client_id
//   3. client_secret wrong or missing                                -> invalid_client
//   4. flow not enabled on the app                                   -> invalid_grant
//      (password: "authentication failure", which is what a disabled username-password flow
//      returns in real orgs; client_credentials: "client credentials flow not enabled")
//   5. the user: password grant -> username/password(+token)/lockout -> "authentication failure",
//      then "inactive user" (only revealed once the password was right);
//      client_credentials -> "no client credentials user enabled" without a Run As user.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "server/api/render.hpp"
#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/jwt_assertion.hpp"
#include "server/auth/tokens.hpp"
#include "server/org/org_def.hpp"

namespace sfkit::server {

using namespace oauth;

namespace {

namespace json = boost::json;

// Audiences of a JWT bearer assertion besides the org's own base URL (§A.3.4).
constexpr std::string_view kProductionLoginHost = "https://login.salesforce.com";
constexpr std::string_view kSandboxLoginHost = "https://test.salesforce.com";
// An assertion stays good this long after its `exp`, for clocks that run apart (docs/oauth.md).
constexpr std::int64_t kJwtClockSkewMs = 3LL * 60 * 1000;

}  // namespace

// ---- handlers --------------------------------------------------------------------------------

Response AuthService::Impl::HandleToken(Call& call) {
    const Request& req = call.req;
    const Params params = RequestParams(req);
    const OAuthFormat format = NegotiateOAuthFormat(params, req);
    const std::string base_url = StripTrailingSlash(call.base_url);

    const std::string grant = Get(params, "grant_type");
    if (grant == kJwtBearerGrant) {
        return HandleJwtBearer(Get(params, "assertion"), base_url, format);
    }
    // The device flow's first step is a token request without a grant type (§A.3.6).
    if (grant.empty() && Get(params, "response_type") == "device_code") {
        return HandleDeviceAuthorization(req, params, base_url, format);
    }
    // Grants the local org does not offer (token-exchange, saml2-bearer, ...) get Salesforce's
    // answer to an unknown grant (§A.2).
    if (grant != "password" && grant != "client_credentials" && grant != "refresh_token" &&
        grant != "authorization_code" && grant != "device") {
        return OAuthError("unsupported_grant_type", "grant type not supported", format);
    }
    const auto [client_id, client_secret] = ClientCredentials(params, req);
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app) {
        return OAuthError("invalid_client_id", "client identifier invalid", format);
    }
    // "Require Secret for Web Server Flow" / "... for Refresh Token Flow" (on by default, as in
    // Salesforce): only an app with the setting off takes a code or refresh token without the
    // secret (§A.3.3 `[&client_secret=...]`); a wrong secret always fails. Without the secret,
    // a code must still be bound to a PKCE challenge (HandleAuthorizationCode).
    const bool secret_optional =
        client_secret.empty() &&
        ((grant == "refresh_token" && !app->require_secret_refresh) ||
         (grant == "authorization_code" && !app->require_secret_web_server) || grant == "device");
    if (!secret_optional && !SecretMatches(*app, client_secret)) {
        return OAuthError("invalid_client", "invalid client credentials", format);
    }

    if (grant == "refresh_token") {
        return HandleRefresh(params, *app, client_secret, base_url, format);
    }
    if (grant == "authorization_code") {
        return HandleAuthorizationCode(params, *app, client_secret, base_url, format);
    }
    if (grant == "device") {
        return HandleDevicePoll(params, *app, client_secret, base_url, format);
    }

    if (grant == "client_credentials") {
        if (!Contains(app->flows, kFlowClientCredentials)) {
            return OAuthError("invalid_grant", "client credentials flow not enabled", format);
        }
        const auto user =
            app->run_as_user_id.empty() ? std::nullopt : store.UserById(app->run_as_user_id);
        if (!user) {
            return OAuthError("invalid_grant", "no client credentials user enabled", format);
        }
        if (!user->active) {
            return OAuthError("invalid_grant", "inactive user", format);
        }
        // Never granted in this flow (§A.3.2).
        std::vector<std::string> scopes;
        for (const auto& sc : app->scopes) {
            if (sc != "refresh_token" && sc != "offline_access" && sc != "full" && sc != "web") {
                scopes.push_back(sc);
            }
        }
        spdlog::debug(
            "client_credentials token issued: app '{}', run as {}", app->name, user->username);
        return IssueToken(*app, *user, std::move(scopes), client_secret, base_url, format);
    }

    // grant_type=password
    const std::string username = Get(params, "username");
    const std::string password = Get(params, "password");
    if (!Contains(app->flows, kFlowPassword)) {
        // Real orgs answer a disabled username-password flow with the generic failure and
        // record "Username-Password Flow Disabled" in the login history.
        spdlog::info("password login refused: flow not enabled on app '{}'", app->name);
        return OAuthError("invalid_grant", "authentication failure", format);
    }
    // argon2id runs on the server's blocking pool, not on this I/O thread (defect 11).
    std::shared_ptr<void> slot = AdmitPasswordCheck();
    if (!slot) {
        spdlog::info("password login refused: {} checks already waiting",
                     kMaxPendingPasswordChecks);
        return OAuthError("invalid_grant", kLoginRateExceeded, format);
    }
    Response deferred;
    deferred.deferred = [this,
                         slot,
                         app = *app,
                         username,
                         password,
                         remote_ip = req.remote_ip,
                         secret = std::string(client_secret),
                         base_url,
                         format] {
        const LoginOutcome login =
            VerifyLogin(username, password, remote_ip, /*detect_missing_token=*/false, "password");
        if (login.check == LoginCheck::kInactive) {
            return OAuthError("invalid_grant", "inactive user", format);
        }
        if (login.check != LoginCheck::kOk) {
            // Unknown user, wrong password or token, missing token, lockout: one answer (§A.5).
            return OAuthError("invalid_grant", "authentication failure", format);
        }
        spdlog::debug("password login: {} via app '{}'", login.user->username, app.name);
        return IssueToken(app, *login.user, app.scopes, secret, base_url, format);
    };
    return deferred;
}

Response AuthService::Impl::HandleJwtBearer(const std::string& assertion,
                                            const std::string& base_url,
                                            OAuthFormat format) {
    // The assertion is a bearer credential: never logged, not even in part.
    const auto refuse = [&](std::string_view error, std::string_view description) {
        return OAuthError(error, description, format);
    };
    const std::optional<jwt::Assertion> a = jwt::ParseAssertion(assertion);
    // Only RS256 (§A.3.4 header {"alg":"RS256"}); `none`, HS256 and the rest are refused.
    if (!a || a->alg != "RS256") {
        spdlog::info("jwt-bearer login refused: malformed assertion or alg not RS256");
        return refuse("invalid_grant", "invalid assertion");
    }
    const std::optional<AppRecord> app = a->iss.empty() ? std::nullopt : store.AppByKey(a->iss);
    if (!app) {
        spdlog::info("jwt-bearer login refused: unknown issuer (consumer key)");
        return refuse("invalid_client_id", "client identifier invalid");
    }
    if (app->certificate_pem.empty() ||
        !jwt::VerifyRs256(a->signing_input, a->signature, app->certificate_pem)) {
        spdlog::info(
            "jwt-bearer login refused: signature does not verify with the certificate "
            "of app '{}'{}",
            app->name,
            app->certificate_pem.empty() ? " (the app has none)" : "");
        return refuse("invalid_grant", "invalid assertion");
    }
    const bool audience_ok = a->aud && (*a->aud == kProductionLoginHost ||
                                        *a->aud == kSandboxLoginHost || *a->aud == base_url);
    if (!audience_ok) {
        spdlog::info("jwt-bearer login refused: audience (app '{}')", app->name);
        return refuse("invalid_grant", "Audience validation failed");
    }
    const std::int64_t now = NowMs();
    if (!a->exp || *a->exp <= (now - kJwtClockSkewMs) / 1000) {  // seconds: no overflow
        spdlog::info("jwt-bearer login refused: expired or missing exp (app '{}')", app->name);
        return refuse("invalid_grant", "expired authorization code");
    }
    const auto user = a->sub.empty() ? std::nullopt : store.UserByUsername(a->sub);
    if (!user) {
        spdlog::info("jwt-bearer login refused: unknown subject (app '{}')", app->name);
        return refuse("invalid_grant", "user hasn't approved this consumer");
    }
    if (!user->active) {
        spdlog::info("jwt-bearer login refused for '{}': inactive user", user->username);
        return refuse("invalid_grant", "inactive user");
    }
    if (IsLocked(user->lock, now)) {
        spdlog::info("jwt-bearer login refused for '{}': locked out", user->username);
        return refuse("invalid_grant", "authentication failure");
    }
    spdlog::debug("jwt-bearer login: {} via app '{}'", user->username, app->name);
    const std::string scope_text = JoinList(app->scopes, ' ');
    const std::string token = IssueSession(*user, app->id, app->name, app->scopes, now);
    // §A.3.4: the documented answer has no signature, issued_at or refresh_token.
    return OAuthResponse(200,
                         {{"access_token", token},
                          {"scope", scope_text},
                          {"instance_url", base_url},
                          {"id", base_url + "/id/" + org.org_id + "/" + user->id},
                          {"token_type", "Bearer"}},
                         format);
}

Response AuthService::Impl::HandleRevoke(Call& call) {
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    const std::string token = Get(params, "token");
    // §A.6: errors are 400 with a form-encoded body, %20 for spaces: a real capture
    // (omniphx/forrest#213) shows `error=unsupported_token_type&error_description=this%20token%20
    // type%20is%20not%20supported` for a request without a usable `token`, and jsforce parses
    // revoke errors as a form. The invalid_token text is the docs' [D].
    const auto revoke_error = [](std::string_view error, std::string_view description) {
        Response r;
        r.status = 400;
        r.SetHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
        r.SetHeader("Cache-Control", "no-cache, no-store");
        std::string encoded = FormEncode(description);
        std::string spaced;
        for (char c : encoded) {
            spaced += c == '+' ? std::string("%20") : std::string(1, c);
        }
        r.body = "error=" + std::string(error) + "&error_description=" + spaced;
        return r;
    };
    if (token.empty()) {
        return revoke_error("unsupported_token_type", "this token type is not supported");
    }
    if (!RevokeSession(token)) {
        // A refresh token: revoking it also ends the access tokens issued with or from it (§A.6).
        const auto ended = store.DeleteRefreshToken(crypto::Sha256Hex(token));
        if (!ended) {
            return revoke_error("invalid_token", "Token was invalid");
        }
        {
            std::unique_lock lock(mu);
            for (const auto& h : *ended) {
                sessions.erase(h);
            }
        }
        spdlog::debug("refresh token revoked with {} access token(s)", ended->size());
    } else {
        spdlog::debug("access token revoked");
    }
    Response r;
    r.status = 200;
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

Response AuthService::Impl::HandleIntrospect(Call& call) {
    const Request& req = call.req;
    const Params params = RequestParams(req, /*body_if_untyped=*/true);
    const auto [client_id, client_secret] = ClientCredentials(params, req);
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app || !SecretMatches(*app, client_secret)) {
        // RFC 7662 leaves client-authentication failures to RFC 6749 §5.2 (401 invalid_client)
        // [M for Salesforce].
        return OAuthResponse(
            401,
            {{"error", "invalid_client"}, {"error_description", "invalid client credentials"}},
            OAuthFormat::kJson);
    }
    const std::optional<Session> s = FindSession(Get(params, "token"));
    json::object o;
    // Only tokens issued to the calling app are disclosed ("Introspect All Tokens" is off by
    // default); anything else is {"active":false} with 200 (§A.7).
    if (!s || s->app_id != app->id) {
        o["active"] = false;
    } else {
        o["active"] = true;
        o["scope"] = JoinList(s->scopes, ' ');
        o["client_id"] = app->consumer_key;
        o["username"] = s->username;
        o["sub"] = StripTrailingSlash(call.base_url) + "/id/" + org.org_id + "/" + s->user_id;
        o["token_type"] = "access_token";
        o["exp"] = s->expires_at_ms / 1000;
        o["iat"] = s->issued_at_ms / 1000;
        o["nbf"] = s->issued_at_ms / 1000;
    }
    Response r = JsonResponse(200, o, false);
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

// ---- authorize (§A.3.5) -----------------------------------------------------------------------

Response AuthService::Impl::HandleRefresh(const Params& params,
                                          const AppRecord& app,
                                          const std::string& client_secret,
                                          const std::string& base_url,
                                          OAuthFormat format) {
    // Unknown, revoked or another app's refresh token: one answer (§A.3.3, §A.5 [R]).
    const std::string token = Get(params, "refresh_token");
    const auto row = token.empty() ? std::nullopt : store.RefreshByHash(crypto::Sha256Hex(token));
    if (!row || row->app_id != app.id) {
        spdlog::info("refresh_token grant refused: unknown refresh token (app '{}')", app.name);
        return OAuthError("invalid_grant", "expired access/refresh token", format);
    }
    const auto user = store.UserById(row->user_id);
    if (!user) {
        return OAuthError("invalid_grant", "expired access/refresh token", format);
    }
    if (!user->active) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    spdlog::debug("refresh_token grant: {} via app '{}'", user->username, app.name);
    // No new refresh token (rotation is an opt-in app setting on Salesforce, §A.3.3).
    return IssueToken(
        app, *user, row->scopes, client_secret, base_url, format, {}, row->token_hash);
}

Response AuthService::Impl::HandleAuthorizationCode(const Params& params,
                                                    const AppRecord& app,
                                                    const std::string& client_secret,
                                                    const std::string& base_url,
                                                    OAuthFormat format) {
    const std::string code = Get(params, "code");
    // Single use: the code is deleted by the first exchange, whatever its outcome (§A.3.5).
    const auto row = code.empty() ? std::nullopt : store.TakeAuthCode(crypto::Sha256Hex(code));
    const std::int64_t now = NowMs();
    if (!row || row->app_id != app.id || row->expires_ms <= now) {
        spdlog::info("authorization_code grant refused: unknown, used or expired code (app '{}')",
                     app.name);
        return OAuthError("invalid_grant", "expired authorization code", format);
    }
    // Only an app without "Require Secret for Web Server Flow" gets here without the secret
    // (HandleToken); even then a code must be bound to a PKCE challenge to be exchanged alone.
    if (client_secret.empty() && row->code_challenge.empty()) {
        return OAuthError("invalid_client", "invalid client credentials", format);
    }
    if (Get(params, "redirect_uri") != row->redirect_uri) {
        // nforce#134, jsforce#482: a redirect_uri mismatch at the token step (§A.3.5 [R]).
        return OAuthError("invalid_grant", "authentication failure", format);
    }
    const std::string* verifier = Find(params, "code_verifier");
    if (!row->code_challenge.empty()) {
        // §A.3.5 [D]: challenge given but no verifier -> invalid_grant; a verifier that does not
        // match -> invalid_request. Texts [M] (n8n#32421 quotes "Invalid Code Verifier").
        if (verifier == nullptr || verifier->empty()) {
            return OAuthError("invalid_grant", "invalid code verifier", format);
        }
        const std::string expected =
            row->challenge_method == "plain" ? *verifier : PkceS256Challenge(*verifier);
        if (!crypto::ConstantTimeEquals(expected, row->code_challenge)) {
            return OAuthError("invalid_request", "invalid code verifier", format);
        }
    } else if (verifier != nullptr && !verifier->empty()) {
        return OAuthError("invalid_grant", "invalid code verifier", format);
    }
    const auto user = store.UserById(row->user_id);
    if (!user) {
        return OAuthError("invalid_grant", "expired authorization code", format);
    }
    if (!user->active) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    spdlog::debug("authorization_code grant: {} via app '{}'", user->username, app.name);
    return IssueTokenWithRefresh(app, *user, row->scopes, client_secret, base_url, format);
}

Response AuthService::Impl::IssueTokenWithRefresh(const AppRecord& app,
                                                  const UserRecord& user,
                                                  const std::vector<std::string>& scopes,
                                                  const std::string& client_secret,
                                                  const std::string& base_url,
                                                  OAuthFormat format) {
    std::string refresh_token;
    std::string refresh_hash;
    if (Contains(scopes, "refresh_token") || Contains(scopes, "offline_access")) {
        refresh_token = GenerateRefreshToken();
        refresh_hash = crypto::Sha256Hex(refresh_token);
        store.InsertRefreshToken(RefreshRow{refresh_hash, user.id, app.id, scopes, NowMs()});
    }
    return IssueToken(
        app, user, scopes, client_secret, base_url, format, refresh_token, refresh_hash);
}

}  // namespace sfkit::server
