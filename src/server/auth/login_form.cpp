#include "server/auth/login_form.hpp"

#include "server/api/xml_writer.hpp"
#include "server/auth/crypto.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

LoginFormTokens::LoginFormTokens(Database& db) : db_(db) {
    Transaction tx(db_);
    db_.Exec(
        "CREATE TABLE IF NOT EXISTS auth_form_token (token_hash TEXT PRIMARY KEY, expires_ms "
        "INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS auth_form_token_expiry ON auth_form_token (expires_ms);");
    tx.Commit();
}

std::string LoginFormTokens::Issue(std::int64_t now_ms) {
    std::string token = crypto::Base64Encode(crypto::RandomBytes(32));
    // base64url without padding: safe in a cookie and a form field as it is.
    for (char& c : token) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    while (!token.empty() && token.back() == '=') {
        token.pop_back();
    }
    const std::string hash = crypto::Sha256Hex(token);
    Transaction tx(db_);
    {
        Statement& expired = db_.Cached("DELETE FROM auth_form_token WHERE expires_ms <= ?");
        expired.Bind(1, now_ms);
        expired.Run();
        expired.Reset();
        // At most kMaxOutstanding: the oldest pages must be reloaded.
        Statement count = db_.Prepare("SELECT COUNT(*) FROM auth_form_token");
        const std::int64_t n = count.Step() ? count.Int(0) : 0;
        count.Reset();
        if (n >= static_cast<std::int64_t>(kMaxOutstanding)) {
            db_.Prepare(
                   "DELETE FROM auth_form_token WHERE token_hash IN (SELECT token_hash FROM "
                   "auth_form_token ORDER BY expires_ms, token_hash LIMIT ?)")
                .Bind(1, n - static_cast<std::int64_t>(kMaxOutstanding) + 1)
                .Run();
        }
    }
    Statement& insert =
        db_.Cached("INSERT INTO auth_form_token (token_hash, expires_ms) VALUES (?, ?)");
    insert.Bind(1, hash).Bind(2, now_ms + kLifetimeMs);
    insert.Run();
    insert.Reset();
    tx.Commit();
    return token;
}

bool LoginFormTokens::Consume(std::string_view field,
                              std::string_view cookie,
                              std::int64_t now_ms) {
    if (field.empty() || !crypto::ConstantTimeEquals(field, cookie)) {
        return false;
    }
    const std::string hash = crypto::Sha256Hex(field);
    // Used up by the DELETE that finds it: of two submissions at once, one gets the row.
    Transaction tx(db_);
    Statement& st =
        db_.Cached("DELETE FROM auth_form_token WHERE token_hash = ? RETURNING expires_ms");
    st.Bind(1, hash);
    const bool live = st.Step() && st.Int(0) > now_ms;
    st.Reset();
    tx.Commit();
    return live;
}

namespace {

// Inline (no external assets), readable from a 320 px phone to a desktop: one column, 16 px text
// (no zoom-on-focus in mobile browsers), 44 px touch targets, WCAG AA contrast, a focus ring
// that is always visible, and an error box that does not rely on colour alone.
constexpr std::string_view kStyle =
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;background:#f3f3f3;color:#181818;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}"
    "main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;"
    "border:1px solid #c9c9c9;border-radius:.5rem}"
    "@media (max-width:30rem){main{margin:0;padding:1.25rem;border:0;border-radius:0;"
    "min-height:100vh}}"
    "h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}"
    "p{margin:.5rem 0}"
    "label{display:block;font-weight:600;margin-top:1.25rem}"
    "input[type=text],input[type=password]{display:block;width:100%;min-height:2.75rem;"
    "margin-top:.25rem;padding:.5rem .75rem;font:inherit;color:inherit;background:#fff;"
    "border:1px solid #747474;border-radius:.25rem}"
    "input[aria-invalid=true]{border:2px solid #ba0517}"
    "button{display:block;width:100%;min-height:2.75rem;margin-top:1.5rem;padding:.5rem 1rem;"
    "font:inherit;font-weight:600;color:#fff;background:#0b5cab;border:1px solid #0b5cab;"
    "border-radius:.25rem;cursor:pointer}"
    "button:hover{background:#014486}"
    "button.secondary{margin-top:.75rem;color:#0b5cab;background:#fff}"
    ":focus{outline:3px solid #0b5cab;outline-offset:2px}"
    ":focus:not(:focus-visible){outline:none}"
    ":focus-visible{outline:3px solid #0b5cab;outline-offset:2px}"
    "input:focus-visible{box-shadow:0 0 0 1px #fff}"
    ".error{margin:1.25rem 0 0;padding:.75rem 1rem;color:#8e030f;background:#fef1ee;"
    "border:1px solid #ba0517;border-left:.375rem solid #ba0517;border-radius:.25rem}"
    ".error strong{display:block}";

std::string Attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + XmlEscape(value) + "\"";
}

/// The document up to and including the page's h1.
std::string PageHead(std::string_view heading) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           // An empty icon of its own, so that no browser asks for /favicon.ico: the page
           // loads nothing besides itself.
           "<link rel=\"icon\" href=\"data:,\">"
           "<title>Login | Local Org</title><style>" +
           std::string(kStyle) + "</style></head>\n<body>\n<main>\n<h1>" + XmlEscape(heading) +
           "</h1>\n";
}

Response HtmlResponse(int status, std::string body) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", "text/html;charset=UTF-8");
    r.SetHeader("Cache-Control", "no-cache, no-store");
    r.SetHeader("X-Frame-Options", "DENY");
    r.body = std::move(body);
    return r;
}

}  // namespace

Response RenderMessagePage(std::string_view heading, std::string_view text, int status) {
    return HtmlResponse(
        status, PageHead(heading) + "<p>" + XmlEscape(text) + "</p>\n</main>\n</body></html>\n");
}

Response RenderLoginPage(const LoginPageView& v) {
    const bool failed = !v.error.empty();
    std::string h = PageHead(v.heading);
    if (!v.intro.empty()) {
        h += "<p>" + v.intro + "</p>\n";  // built by the caller from escaped parts
    }
    if (failed) {
        h += "<div class=\"error\" id=\"error\" role=\"alert\"><strong>Error</strong>" +
             XmlEscape(v.error) + "</div>\n";
    }
    h += "<form method=\"POST\"" + Attr("action", v.action) + ">\n";
    for (const auto& [name, value] : v.hidden) {
        h += "<input type=\"hidden\"" + Attr("name", name) + Attr("value", value) + ">\n";
    }
    // The anti-forgery token: the POST must bring it back in this field and in the cookie.
    h += "<input type=\"hidden\"" + Attr("name", LoginFormTokens::kField) +
         Attr("value", v.form_token) +
         ">\n<input type=\"hidden\" name=\"sfkit_login\" value=\"1\">\n";
    const std::string invalid =
        failed ? " aria-invalid=\"true\" aria-describedby=\"error\"" : std::string();
    if (v.ask_user_code) {
        h += "<label for=\"user_code\">Code shown on your device</label>\n<input type=\"text\" "
             "id=\"user_code\" name=\"user_code\"" +
             Attr("value", v.user_code) +
             " autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"" + invalid +
             ">\n";
    }
    h += "<label for=\"username\">Username</label>\n<input type=\"text\" id=\"username\" "
         "name=\"username\"" +
         Attr("value", v.username) +
         " autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\"" + invalid +
         ">\n<label for=\"password\">Password</label>\n<input type=\"password\" id=\"password\" "
         "name=\"password\" autocomplete=\"current-password\"" +
         invalid + ">\n";
    if (v.deny_label.empty()) {
        h += "<button type=\"submit\">" + XmlEscape(v.submit_label) + "</button>\n";
    } else {
        h += "<button type=\"submit\" name=\"decision\" value=\"allow\">" +
             XmlEscape(v.submit_label) +
             "</button>\n<button type=\"submit\" class=\"secondary\" name=\"decision\" "
             "value=\"deny\">" +
             XmlEscape(v.deny_label) + "</button>\n";
    }
    h += "</form>\n</main>\n</body></html>\n";
    Response r = HtmlResponse(v.status, std::move(h));
    r.SetHeader("Set-Cookie",
                std::string(LoginFormTokens::kCookie) + "=" + v.form_token + "; Path=" + v.action +
                    "; Max-Age=" + std::to_string(LoginFormTokens::kLifetimeMs / 1000) +
                    "; HttpOnly; SameSite=Lax" + (v.secure ? "; Secure" : ""));
    return r;
}

std::string CookieValue(const std::string* header, std::string_view name) {
    if (header == nullptr) {
        return {};
    }
    std::string_view rest = *header;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

}  // namespace sfkit::server
