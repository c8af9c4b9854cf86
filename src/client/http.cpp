// Helpers shared by the transport and the API clients: header lookup and URL/form encoding.
#include "sfkit/client/http.hpp"

#include <cctype>

namespace sfkit::client {
namespace {

const std::string* FindHeader(const std::vector<HttpHeader>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (HeaderNameEquals(h.name, name)) {
            return &h.value;
        }
    }
    return nullptr;
}

}  // namespace

bool HeaderNameEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

const std::string* HttpRequest::Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
}

const std::string* HttpResponse::Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
}

Result<void> DeliverToSink(const HttpRequest& request, HttpResponse& response) {
    if (!request.response_sink || response.status < 200 || response.status >= 300 ||
        response.body.empty()) {
        return {};
    }
    std::string body = std::move(response.body);
    response.body.clear();
    if (!request.response_sink(body)) {
        return MakeError(ErrorKind::kIo, "BODY_WRITE_FAILED", "the answer could not be stored");
    }
    return {};
}

namespace {

bool SecretParameter(std::string_view name) {
    for (const std::string_view secret : {"access_token",
                                          "refresh_token",
                                          "client_secret",
                                          "password",
                                          "code",
                                          "code_verifier",
                                          "assertion",
                                          "sid",
                                          "token"}) {
        if (HeaderNameEquals(name, secret)) {
            return true;
        }
    }
    return false;
}

bool Contains(std::string_view text, std::string_view part) {
    for (std::size_t i = 0; i + part.size() <= text.size(); ++i) {
        if (HeaderNameEquals(text.substr(i, part.size()), part)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
    const auto query = url.find_first_of("?#");
    if (query == std::string_view::npos) {
        return std::string(url);
    }
    std::string out(url.substr(0, query + 1));
    std::string_view rest = url.substr(query + 1);
    while (true) {
        const auto end = rest.find_first_of("&#");
        const std::string_view pair = rest.substr(0, end);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && SecretParameter(pair.substr(0, eq))) {
            out += pair.substr(0, eq + 1);
            out += "REDACTED";
        } else {
            out += pair;
        }
        if (end == std::string_view::npos) {
            break;
        }
        out += rest[end];
        rest = rest.substr(end + 1);
    }
    return out;
}

std::string RedactHeader(std::string_view name, std::string_view value) {
    if (HeaderNameEquals(name, "Authorization") || HeaderNameEquals(name, "Proxy-Authorization")) {
        const auto space = value.find(' ');
        return space == std::string_view::npos ? "REDACTED"
                                               : std::string(value.substr(0, space)) + " REDACTED";
    }
    if (HeaderNameEquals(name, "Cookie") || HeaderNameEquals(name, "Set-Cookie") ||
        Contains(name, "session") || Contains(name, "token") || Contains(name, "secret")) {
        return "REDACTED";
    }
    if (HeaderNameEquals(name, "Location")) {
        return RedactUrl(value);
    }
    return std::string(value);
}

std::string PercentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) {
            out += '&';
        }
        out += PercentEncode(name);
        out += '=';
        out += PercentEncode(value);
    }
    return out;
}

}  // namespace sfkit::client
