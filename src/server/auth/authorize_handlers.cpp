// /services/oauth2/authorize: the web-server flow's login page and authorization codes (§A.3.5).
#include <spdlog/spdlog.h>

#include "server/api/xml_writer.hpp"
#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"
#include "server/http/api_error.hpp"

namespace sfkit::server {

using namespace oauth;

namespace {

/// The local org's login page for the web-server flow: the authorize request carried in hidden
/// fields, every echoed value escaped (XmlEscape: HTML-safe, malformed UTF-8 shown as U+FFFD).
Response LoginPage(const AppRecord& app,
                   const Params& params,
                   const std::string& username,
                   std::string_view error,
                   const std::string& form_token,
                   bool secure) {
    LoginPageView v;
    v.heading = "Log in to allow access";
    v.intro = "App: <strong>" + XmlEscape(app.name) + "</strong>";
    v.action = "/services/oauth2/authorize";
    for (const char* name : {"response_type",
                             "client_id",
                             "redirect_uri",
                             "scope",
                             "state",
                             "code_challenge",
                             "code_challenge_method",
                             "nonce",
                             "display",
                             "prompt"}) {
        if (const std::string* value = Find(params, name)) {
            v.hidden.emplace_back(name, *value);
        }
    }
    v.username = username;
    v.error = std::string(error);
    v.form_token = form_token;
    v.secure = secure;
    return RenderLoginPage(v);
}

/// `uri` with the port of an `http://localhost:` or `http://127.0.0.1:` URL removed, or "" when
/// it is not such a loopback URL.
std::string WithoutLoopbackPort(std::string_view uri) {
    for (std::string_view host : {"http://localhost:", "http://127.0.0.1:"}) {
        if (uri.substr(0, host.size()) != host) {
            continue;
        }
        std::size_t end = host.size();
        while (end < uri.size() && uri[end] >= '0' && uri[end] <= '9') {
            ++end;
        }
        if (end == host.size()) {
            return {};
        }
        return std::string(host.substr(0, host.size() - 1)) + std::string(uri.substr(end));
    }
    return {};
}

/// The 302 back to the client's callback with `query` (in the fragment for the user-agent flow),
/// `state` appended when the request had one.
Response Redirect(const std::string& redirect_uri,
                  bool fragment,
                  const std::optional<std::string>& state,
                  const std::string& query) {
    std::string location = redirect_uri;
    location += fragment ? '#' : (redirect_uri.find('?') == std::string::npos ? '?' : '&');
    location += query;
    if (state) {
        location += "&state=" + FormEncode(*state);
    }
    Response r;
    r.status = 302;
    r.SetHeader("Location", location);
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

bool CallbackAllowed(const AppRecord& app, const std::string& redirect_uri) {
    if (redirect_uri.empty()) {
        return false;
    }
    if (Contains(app.callback_urls, redirect_uri)) {
        return true;
    }
    // RFC 8252 §7.3: a native app's loopback redirect may use any port (the CLI app only).
    const std::string portless = WithoutLoopbackPort(redirect_uri);
    if (!app.loopback_any_port || portless.empty()) {
        return false;
    }
    for (const auto& cb : app.callback_urls) {
        if (WithoutLoopbackPort(cb) == portless) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::vector<std::string>> GrantedScopes(const AppRecord& app,
                                                      const std::string& requested_text) {
    // The requested ones the app has (all of the app's when none asked); none allowed: nullopt.
    std::vector<std::string> scopes;
    bool asked = false;
    for (const auto& sc : SplitList(requested_text, ' ')) {
        asked = asked || !sc.empty();
        if (!sc.empty() && Contains(app.scopes, sc) && !Contains(scopes, sc)) {
            scopes.push_back(sc);
        }
    }
    if (!asked) {
        return app.scopes;
    }
    if (scopes.empty()) {
        return std::nullopt;
    }
    return scopes;
}

AuthService::Impl::LoginOutcome AuthService::Impl::VerifyPageLogin(const std::string& username,
                                                                   const std::string& password,
                                                                   const std::string& remote_ip,
                                                                   std::string_view channel,
                                                                   std::string_view* page_error) {
    // A browser login needs no security token (docs/oauth.md, "Submitting the form").
    LoginOutcome login = VerifyLogin(username,
                                     password,
                                     remote_ip,
                                     /*detect_missing_token=*/false,
                                     channel,
                                     /*token_optional=*/true);
    *page_error = login.check == LoginCheck::kOk         ? std::string_view()
                  : login.check == LoginCheck::kInactive ? kLoginPageInactive
                                                         : kLoginPageBadCredentials;
    return login;
}

bool AuthService::Impl::LoginFormAccepted(const Call& call,
                                          const Params& params,
                                          std::string_view page) {
    // Login form forgery (defect 9): the POST must come from a page this org rendered, with
    // that page's one-time token in the form and in the cookie, and from this origin when the
    // browser names one. Refused like a page that expired: shown again, 403.
    const std::string* origin = call.req.Header("Origin");
    const bool same_origin = origin == nullptr || *origin == StripTrailingSlash(call.base_url);
    // A foreign Origin does not use up the page's token; any other attempt does.
    const bool token_ok =
        same_origin &&
        form_tokens.Consume(Get(params, std::string(LoginFormTokens::kField)),
                            CookieValue(call.req.Header("Cookie"), LoginFormTokens::kCookie),
                            NowMs());
    if (!token_ok) {
        spdlog::info("{}: login form refused ({})",
                     page,
                     same_origin ? "missing, used or foreign form token" : "foreign Origin");
    }
    return token_ok;
}

Response AuthService::Impl::HandleAuthorize(Call& call) {
    // The local org has no browser login yet, so no response type is served. The checks before
    // that are Salesforce's: a bad client_id or redirect_uri is shown as an error page (never
    // redirected, §A.3.5 [R] texts; status and page markup [M]); a valid request is redirected
    // back with the OAuth error for a response type the server does not support (RFC 6749
    // §4.1.2.1; in the fragment for the user-agent flow).
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    auto page = [](std::string_view text) {
        Response r;
        r.status = 400;
        r.SetHeader("Content-Type", "text/html;charset=UTF-8");
        r.body = std::string(text);
        return r;
    };
    const std::string client_id = Get(params, "client_id");
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app) {
        return page("error=invalid_client_id&error_description=client%20identifier%20invalid");
    }
    const std::string redirect_uri = Get(params, "redirect_uri");
    if (!CallbackAllowed(*app, redirect_uri)) {
        return page(
            "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%"
            "20configuration");
    }
    const std::string response_type = Get(params, "response_type");
    const bool fragment = response_type.rfind("token", 0) == 0;
    const std::string* state_param = Find(params, "state");
    const std::optional<std::string> state =
        state_param ? std::optional<std::string>(*state_param) : std::nullopt;
    const auto redirect = [&](const std::string& query) {
        return Redirect(redirect_uri, fragment, state, query);
    };
    if (response_type == "code") {
        const std::optional<std::vector<std::string>> granted =
            GrantedScopes(*app, Get(params, "scope"));
        if (!granted) {
            // §A.3.5 [R] text; Salesforce shows it on its own error page, we redirect (RFC 6749
            // §4.1.2.1) [M].
            return redirect(
                "error=invalid_scope&error_description=the%20requested%20scope%20is%20not%"
                "20allowed");
        }
        const std::vector<std::string>& scopes = *granted;
        const std::string challenge = Get(params, "code_challenge");
        if (challenge.empty() && app->require_pkce) {
            // The app requires PKCE: HappySoup.io#252, activepieces#15615 [R] (query form, `+`).
            return redirect(
                "error=invalid_request&error_description=missing+required+code+challenge");
        }
        std::string method = Get(params, "code_challenge_method");
        if (method.empty()) {
            method = "S256";  // Salesforce's docs describe the SHA-256 challenge only
        }
        if (!challenge.empty() && method != "S256" && method != "plain") {
            return redirect(
                "error=invalid_request&error_description=invalid%20code%20challenge%20method");
        }
        const bool secure = call.req.secure;
        const auto login_page = [this, app = *app, params, secure](const std::string& username,
                                                                   std::string_view error,
                                                                   int status) {
            Response r =
                LoginPage(app, params, username, error, form_tokens.Issue(NowMs()), secure);
            r.status = status;
            return r;
        };
        if (call.req.method != "POST" || Get(params, "sfkit_login") != "1") {
            return login_page(Get(params, "login_hint"), {}, 200);
        }
        const std::string username = Get(params, "username");
        if (!LoginFormAccepted(call, params, "authorize")) {
            return login_page(username, kLoginPageExpired, 403);
        }
        // argon2id runs on the server's blocking pool, not on this I/O thread (defect 11).
        std::shared_ptr<void> slot = AdmitPasswordCheck();
        if (!slot) {
            return login_page(username, "Login rate exceeded. Try again in a moment.", 429);
        }
        Response deferred;
        deferred.deferred = [this,
                             slot,
                             login_page,
                             app = *app,
                             username,
                             password = Get(params, "password"),
                             remote_ip = call.req.remote_ip,
                             redirect_uri,
                             fragment,
                             state,
                             scopes,
                             challenge,
                             method] {
            std::string_view error;
            const LoginOutcome login =
                VerifyPageLogin(username, password, remote_ip, "web", &error);
            if (!error.empty()) {
                return login_page(username, error, 200);
            }
            const std::string code = GenerateAuthorizationCode();
            store.InsertAuthCode(AuthCodeRow{crypto::Sha256Hex(code),
                                             app.id,
                                             login.user->id,
                                             redirect_uri,
                                             scopes,
                                             challenge,
                                             challenge.empty() ? std::string() : method,
                                             NowMs() + kAuthCodeLifetimeMs});
            spdlog::info("authorize: {} approved app '{}'", login.user->username, app.name);
            return Redirect(redirect_uri, fragment, state, "code=" + FormEncode(code));
        };
        return deferred;
    }
    spdlog::info("authorize: response type '{}' is not offered by the local org",
                 LogExcerpt(response_type, 80));
    return redirect(
        "error=unsupported_response_type&error_description=response%20type%20not%20supported");
}

}  // namespace sfkit::server
