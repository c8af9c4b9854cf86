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
