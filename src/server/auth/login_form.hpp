// Anti-forgery tokens of the web-server flow's login page (issue "hardening" defect 9): each
// rendered form carries a random one-time token in a hidden field and in an HttpOnly, SameSite
// cookie; a POST is only taken with the matching pair of a token the org issued and has not yet
// consumed. Only the SHA-256 of a token is kept, in the org's database (table auth_form_token,
// at most kMaxOutstanding), so that a page rendered by one sfkit node can be submitted to any
// other (issue 13); a token is used up by the one statement that deletes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/message.hpp"

namespace sfkit::server {

class Database;

class LoginFormTokens {
public:
    /// Uses (and creates when missing) the table auth_form_token of `db`.
    explicit LoginFormTokens(Database& db);

    /// How long a rendered login page stays submittable.
    static constexpr std::int64_t kLifetimeMs = 15LL * 60 * 1000;
    /// Outstanding tokens kept at most; beyond it the oldest are forgotten (their pages must be
    /// reloaded), so that rendering pages cannot grow memory without bound.
    static constexpr std::size_t kMaxOutstanding = 10'000;
    /// Name of the cookie that carries the token.
    static constexpr std::string_view kCookie = "sfkit_login";
    /// Name of the hidden form field that carries it.
    static constexpr std::string_view kField = "sfkit_csrf";

    /// A new token (43 characters of base64url, 256 random bits), valid once until it expires.
    std::string Issue(std::int64_t now_ms);
    /// True when `field` and `cookie` are the same token, issued here, unexpired and not yet
    /// used; the token is used up either way.
    bool Consume(std::string_view field, std::string_view cookie, std::int64_t now_ms);

private:
    Database& db_;
};

/// What one rendering of the local org's login page shows: the web-server flow's authorize page
/// and the device flow's verification page share it (one form, one look, one anti-forgery
/// mechanism).
struct LoginPageView {
    std::string heading;  ///< the page's h1
    std::string intro;    ///< a sentence under it (may be empty)
    std::string action;   ///< where the form POSTs, also the cookie's Path
    std::vector<std::pair<std::string, std::string>> hidden;  ///< carried request fields
    std::string username;                                     ///< pre-filled
    std::string error;           ///< shown as the error state when not empty
    bool ask_user_code = false;  ///< the device flow's "user code" field
    std::string user_code;       ///< its pre-filled value
    std::string submit_label = "Log In";
    /// A second submit button (name "decision", value "deny"), e.g. "Deny"; empty: none. The
    /// main button then carries value "allow".
    std::string deny_label;
    std::string form_token;  ///< LoginFormTokens::Issue
    bool secure = false;     ///< TLS: the cookie gets `Secure`
    int status = 200;
};

/// The login page: HTML5 with a viewport meta, labelled inputs, visible focus, an error state
/// (role=alert, aria-invalid), inline CSS only, no script; sets the anti-forgery cookie.
Response RenderLoginPage(const LoginPageView& view);

/// A page in the login page's look with a heading and one paragraph (escaped), no form.
Response RenderMessagePage(std::string_view heading, std::string_view text, int status = 200);

/// The value of cookie `name` in a `Cookie:` header ("a=1; b=2"), or "".
std::string CookieValue(const std::string* header, std::string_view name);

}  // namespace sfkit::server
