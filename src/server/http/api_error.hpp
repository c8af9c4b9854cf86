// ApiError: the one exception type server handlers throw to answer with a Salesforce error.
// The dispatcher catches it and renders it in the negotiated format (JSON array or XML).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::server {

/// A Salesforce-shaped error answer. `code_first` picks the key order: Salesforce writes
/// `{"errorCode","message"}` for dispatch errors (NOT_FOUND, METHOD_NOT_ALLOWED) and
/// `{"message","errorCode"}` for everything else (wire reference §B.15).
struct ApiErrorItem {
    std::string code;
    std::string message;
    std::vector<std::string> fields;  ///< rendered only when `with_fields`
    bool with_fields = false;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string message, bool code_first = false);
    ApiError(int status, std::vector<ApiErrorItem> items, bool code_first = false);

    /// A DML error with a `fields` array (REQUIRED_FIELD_MISSING, STRING_TOO_LONG, ...).
    static ApiError WithFields(int status,
                               std::string code,
                               std::string message,
                               std::vector<std::string> fields);

    int status;
    std::vector<ApiErrorItem> items;
    bool code_first;
    std::vector<std::pair<std::string, std::string>> headers;  ///< e.g. Allow for a 405
};

/// 404 NOT_FOUND "The requested resource does not exist" (errorCode first).
ApiError NotFound();

/// The answer to a request no route takes: 405 METHOD_NOT_ALLOWED `HTTP Method 'PATCH' not
/// allowed. Allowed are HEAD,GET,POST` with an `Allow` header when the path has routes for
/// `allowed` methods (§B.15, errorCode first), else NotFound().
ApiError NoRoute(const std::string& method, const std::vector<std::string>& allowed);

/// At most `max` bytes of `text` for a log line: its head and tail around a `…[N bytes]…`
/// marker. Unexpected errors are logged through this, never whole: a storage error's message
/// may quote an SQL statement of tens of kilobytes (and SQLite's reason comes last). Every text a
/// client chose goes through it too: control characters come out as `\xNN` and malformed UTF-8
/// as U+FFFD, so no request can write a line of its own into the log.
std::string LogExcerpt(std::string_view text, std::size_t max = 400);

}  // namespace sfkit::server
