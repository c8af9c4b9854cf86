// Field values as the server holds them, and Salesforce's canonical text forms of dates and
// times (wire reference §0.1: datetime `2011-07-07T00:37:00.000+0000`, date `2010-01-01`,
// time `11:59:59.000Z`).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace sfkit::server {

/// null, boolean, integer, real, or text (strings, ids, dates/times in canonical form).
using FieldValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

inline bool IsNull(const FieldValue& v) {
    return std::holds_alternative<std::monostate>(v);
}

/// An instant with millisecond resolution, the unit of Salesforce datetimes. Datetimes are parsed
/// and computed in this type: a nanosecond system_clock::time_point only spans the years
/// 1677-2262, while Salesforce's datetimes run from 1700 to 4000 (and ours from 0000 to 9999).
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

/// `2011-07-07T00:37:00.000+0000` for `t` in UTC.
std::string FormatDateTime(Instant t);
/// The same for a clock reading (truncated to the millisecond).
inline std::string FormatDateTime(std::chrono::system_clock::time_point t) {
    return FormatDateTime(std::chrono::floor<std::chrono::milliseconds>(t));
}
/// The current time in the canonical datetime form.
std::string NowDateTime();

/// Accepts ISO-8601 forms (`2011-07-07T00:37:00Z`, `...:00.5+02:00`, `...+0200`, `...T00:37`,
/// or a bare date meaning midnight UTC) and returns the canonical UTC form; nullopt if invalid
/// or if the instant in UTC falls outside the years 0000-9999 (`0000-01-01T00:00:00+01:00`).
std::optional<std::string> NormalizeDateTime(std::string_view text);
/// The instant an ISO-8601 datetime (any form NormalizeDateTime accepts) denotes.
std::optional<Instant> ParseDateTime(std::string_view text);
/// Days since 1970-01-01 of a `YYYY-MM-DD` date; nullopt when invalid.
std::optional<std::int64_t> DateToDays(std::string_view text);
/// `YYYY-MM-DD` of a day count since 1970-01-01.
std::string DaysToDate(std::int64_t days);
/// `YYYY-MM-DD` with a real calendar date; nullopt otherwise.
std::optional<std::string> NormalizeDate(std::string_view text);
/// `HH:MM[:SS[.fff]][Z]` -> `HH:MM:SS.fffZ`; nullopt otherwise.
std::optional<std::string> NormalizeTime(std::string_view text);

}  // namespace sfkit::server
