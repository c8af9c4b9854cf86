// Salesforce date, dateTime and time values (wire reference §0.1) as std::chrono types: parsing
// every form the APIs send or accept, and formatting the canonical JSON form.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "sfkit/core/error.hpp"

namespace sfkit::client {

/// A UTC instant with millisecond precision, as Salesforce dateTime fields carry.
using DateTime = std::chrono::sys_time<std::chrono::milliseconds>;

/// `2010-01-01` -> that calendar date. Fails (kInvalidArgument, INVALID_DATE) on anything else,
/// including impossible dates such as `2023-02-30`.
Result<std::chrono::year_month_day> ParseDate(std::string_view text);

/// `2010-01-01`.
std::string FormatDate(std::chrono::year_month_day date);

/// Salesforce dateTime text -> UTC instant. Accepts the JSON form `2011-07-07T00:37:00.000+0000`,
/// the XML form `2013-05-08T21:20:00.000Z`, ISO offsets `+01:00`/`-0500`, no or 1-9 fraction
/// digits (truncated to milliseconds), and no offset at all (read as UTC, as Salesforce does).
/// Fails (kInvalidArgument, INVALID_DATETIME) on anything else.
Result<DateTime> ParseDateTime(std::string_view text);

/// `2011-07-07T00:37:00.000+0000`: the form Salesforce's JSON answers use.
std::string FormatDateTime(DateTime instant);

/// Salesforce time text (`11:59:59.000Z`, also without fraction or `Z`) -> time since midnight.
/// Fails (kInvalidArgument, INVALID_TIME) on anything else.
Result<std::chrono::milliseconds> ParseTime(std::string_view text);

}  // namespace sfkit::client
