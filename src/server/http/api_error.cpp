// ApiError constructors.
#include "server/http/api_error.hpp"

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

std::string LogExcerpt(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return std::string(text);
    }
    const std::string marker = " …[" + std::to_string(text.size()) + " bytes]… ";
    const std::size_t keep = max > marker.size() ? max - marker.size() : 0;
    const std::size_t head = keep / 2;
    return std::string(text.substr(0, head)) + marker +
           std::string(text.substr(text.size() - (keep - head)));
}

}  // namespace sfkit::server
