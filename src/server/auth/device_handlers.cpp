// The OAuth 2.0 device flow (§A.3.6): the token endpoint's `response_type=device_code` and
// `grant_type=device`, and the verification page `/setup/connect` where the user enters the code,
// logs in and allows or denies the device.
#include <spdlog/spdlog.h>

#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"
#include "server/org/org_def.hpp"

namespace sfkit::server {

using namespace oauth;

namespace {

constexpr const char* kVerificationPath = "/setup/connect";
constexpr std::string_view kBadUserCode =
    "That code is not valid or has expired. Check the code on your device.";

}  // namespace

Response AuthService::Impl::HandleDeviceAuthorization(const Request& req,
                                                      const Params& params,
                                                      const std::string& base_url,
                                                      OAuthFormat format) {
    const auto [client_id, client_secret] = ClientCredentials(params, req);
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app) {
        return OAuthError("invalid_client_id", "client identifier invalid", format);
    }
    // A device is a public client: no secret needed, but a wrong one is refused.
    if (!client_secret.empty() && !SecretMatches(*app, client_secret)) {
        return OAuthError("invalid_client", "invalid client credentials", format);
    }
    if (!Contains(app->flows, kFlowDevice)) {
        // Salesforce's "Enable for Device Flow" is off: answer as for the client-credentials
        // flow's switch [M].
        return OAuthError("invalid_grant", "device flow not enabled", format);
    }
    const auto scopes = GrantedScopes(*app, Get(params, "scope"));
    if (!scopes) {
        return OAuthError("invalid_scope", "the requested scope is not allowed", format);
    }
    const DeviceCodes::Issued issued = device_codes.Issue(app->id, *scopes, NowMs());
    spdlog::debug("device flow: codes issued for app '{}'", app->name);
    // §A.3.6 [F]: these four keys in this order, `interval` a number, no `expires_in`.
    return OAuthResponse(200,
                         {{"device_code", issued.device_code},
                          {"user_code", issued.user_code},
                          {"verification_uri", base_url + kVerificationPath},
                          {"interval", std::to_string(DeviceCodes::kIntervalSeconds)}},
                         format,
                         {"interval"});
}

Response AuthService::Impl::HandleDevicePoll(const Params& params,
                                             const AppRecord& app,
                                             const std::string& client_secret,
                                             const std::string& base_url,
                                             OAuthFormat format) {
    // Salesforce names the device code `code` (§A.3.6 [F]); RFC 8628's `device_code` also works.
    std::string code = Get(params, "code");
    if (code.empty()) {
        code = Get(params, "device_code");
    }
    const DeviceCodes::Poll poll = device_codes.Take(code, app.id, NowMs());
    switch (poll.state) {
        case DeviceCodes::PollState::kPending:
            return OAuthError("authorization_pending", "authorization pending", format);
        case DeviceCodes::PollState::kSlowDown:
            // salesforcedx-docker#18 [R]: "SLOW_DOWN - polling too quickly for the token endpoint."
            return OAuthError("slow_down", "polling too quickly for the token endpoint", format);
        case DeviceCodes::PollState::kDenied:
            // The web-server flow's denial text (§A.3.5 [D]); for this flow [M].
            return OAuthError("access_denied", "end-user denied authorization", format);
        case DeviceCodes::PollState::kExpired:
            return OAuthError("expired_token", "device code expired", format);  // RFC 8628 [M]
        case DeviceCodes::PollState::kUnknown:
            return OAuthError("invalid_grant", "invalid device code", format);  // [M]
        case DeviceCodes::PollState::kApproved:
            break;
    }
    const auto user = store.UserById(poll.user_id);
    if (!user || !user->active) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    spdlog::debug("device grant: {} via app '{}'", user->username, app.name);
    return IssueTokenWithRefresh(app, *user, poll.scopes, client_secret, base_url, format);
}

Response AuthService::Impl::HandleDeviceVerification(Call& call) {
    const Params params = RequestParams(call.req);
    const bool secure = call.req.secure;
    const auto page = [this, secure](const std::string& user_code,
                                     const std::string& username,
                                     std::string_view error,
                                     int status) {
        LoginPageView v;
        v.heading = "Connect a device";
        v.intro = "Enter the code your device shows, then log in to allow it access to your org.";
        v.action = kVerificationPath;
        v.ask_user_code = true;
        v.user_code = user_code;
        v.username = username;
        v.error = std::string(error);
        v.submit_label = "Allow";
        v.deny_label = "Deny";
        v.form_token = form_tokens.Issue(NowMs());
        v.secure = secure;
        v.status = status;
        return RenderLoginPage(v);
    };
    const std::string user_code = Get(params, "user_code");
    if (call.req.method != "POST" || Get(params, "sfkit_login") != "1") {
        return page(user_code, Get(params, "login_hint"), {}, 200);
    }
    const std::string username = Get(params, "username");
    if (!LoginFormAccepted(call, params, "device verification")) {
        return page(user_code, username, kLoginPageExpired, 403);
    }
    // The code first: a wrong code costs no password check.
    if (!device_codes.IsPending(user_code, NowMs())) {
        return page(user_code, username, kBadUserCode, 200);
    }
    std::shared_ptr<void> slot = AdmitPasswordCheck();
    if (!slot) {
        return page(user_code, username, "Login rate exceeded. Try again in a moment.", 429);
    }
    Response deferred;
    deferred.deferred = [this,
                         slot,
                         page,
                         user_code,
                         username,
                         password = Get(params, "password"),
                         allow = Get(params, "decision") != "deny",
                         remote_ip = call.req.remote_ip] {
        std::string_view error;
        const LoginOutcome login = VerifyPageLogin(username, password, remote_ip, "device", &error);
        if (!error.empty()) {
            return page(user_code, username, error, 200);
        }
        if (!device_codes.Decide(user_code, login.user->id, allow, NowMs())) {
            return page(user_code, username, kBadUserCode, 200);
        }
        spdlog::info(
            "device flow: {} {} a device", login.user->username, allow ? "allowed" : "denied");
        return allow ? RenderMessagePage("Device connected",
                                         "Your device is now connected. You can close this "
                                         "window and go back to your device.")
                     : RenderMessagePage("Access denied",
                                         "The device was not given access. You can close "
                                         "this window.");
    };
    return deferred;
}

}  // namespace sfkit::server
