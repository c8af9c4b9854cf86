// ApiError constructors.
#include "server/http/api_error.hpp"

#include "codec/utf8.hpp"

namespace sfkit::server {

ApiError::ApiError(int status_in, std::string code, std::string message, bool code_first_in)
    : std::runtime_error(code + ": " + message), status(status_in), code_first(code_first_in) {
    items.push_back({std::move(code), std::move(message), {}, false});
}

ApiError::ApiError(int status_in, std::vector<ApiErrorItem> items_in, bool code_first_in)
    : std::runtime_error(items_in.empty()
                             ? std::string("error")
                             : items_in.front().code + ": " + items_in.front().message),
      status(status_in),
      items(std::move(items_in)),
      code_first(code_first_in) {}

ApiError ApiError::WithFields(int status,
                              std::string code,
                              std::string message,
                              std::vector<std::string> fields) {
    ApiErrorItem item{std::move(code), std::move(message), std::move(fields), true};
    return ApiError(status, std::vector<ApiErrorItem>{std::move(item)});
}

ApiError NotFound() {
    return ApiError(404, "NOT_FOUND", "The requested resource does not exist", true);
}

ApiError NoRoute(const std::string& method, const std::vector<std::string>& allowed) {
    if (allowed.empty()) {
        return NotFound();
    }
    std::string list;
    for (const auto& m : allowed) {
        list += (list.empty() ? "" : ",") + m;
    }
    ApiError e(405,
               "METHOD_NOT_ALLOWED",
               "HTTP Method '" + method + "' not allowed. Allowed are " + list,
               true);
    e.headers.emplace_back("Allow", list);
    return e;
}

namespace {

/// `text` with controls (C0 and DEL) as `\xNN` and malformed UTF-8 as U+FFFD.
std::string LogSafe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : codec::ToValidUtf8(text)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string LogExcerpt(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return LogSafe(text);
    }
    const std::string marker = " …[" + std::to_string(text.size()) + " bytes]… ";
    const std::size_t keep = max > marker.size() ? max - marker.size() : 0;
    const std::size_t head = keep / 2;
    // Cutting may split a UTF-8 sequence: LogSafe turns the broken ends into U+FFFD.
    return LogSafe(text.substr(0, head)) + marker +
           LogSafe(text.substr(text.size() - (keep - head)));
}

}  // namespace sfkit::server
