// JSON as Salesforce writes and reads it: compact or Jackson-pretty output with Java-style
// doubles, and parse errors that carry Jackson-like line/column messages.
// Boost.JSON stays out of this header (it costs seconds per TU); include <boost/json.hpp> in the
// .cpp that builds values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "sfkit/core/error.hpp"

namespace boost::json {
class value;
}

namespace sfkit::codec {

/// Serializes like Salesforce: compact (`{"a":1}`) or, when `pretty`, Jackson's
/// DefaultPrettyPrinter layout (`{\n  "a" : 1\n}`, arrays inline as `[ x, y ]`, `[ ]`, `{ }`).
/// Doubles print as Java's Double.toString does (`23.0`, `1.0E10`); key order is preserved.
std::string WriteJson(const boost::json::value& v, bool pretty = false);

/// Appends the JSON string literal for `s` (with quotes) to `out`; malformed UTF-8 in `s` is
/// written as U+FFFD, so the output is always valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s);

/// 1-based line and column (counted in bytes) of byte `offset` of `text`: the position parse
/// errors report, for JSON (`[line:L, column:C]`) and XML (`[row,col]:[R,C]`) bodies alike.
std::pair<int, int> LineColumn(std::string_view text, std::size_t offset);

/// Formats a double the way Java's Double.toString does (what Salesforce emits).
std::string FormatJavaDouble(double d);

/// Parses JSON. On failure: Error{kind=kInvalidArgument, code="JSON_PARSER_ERROR", message like
/// "Unexpected character ('}' (code 125)) at [line:1, column:3]"}. Duplicate keys keep the last.
Result<boost::json::value> ParseJson(std::string_view text);

}  // namespace sfkit::codec
