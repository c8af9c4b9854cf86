// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, ...) as half-open day ranges computed
// from an injected "now" in UTC (sfkit's org runs in GMT), with a configurable fiscal year start.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "soql/ast.hpp"

namespace sfkit::server::query {

/// Days since 1970-01-01 (proleptic Gregorian).
std::int64_t DaysFromCivil(int year, int month, int day);
/// `YYYY-MM-DD` of a day number.
std::string FormatDay(std::int64_t days);
/// The day number of `t` in UTC.
std::int64_t DayOf(std::chrono::system_clock::time_point t);

/// `[first, last)` in days: the literal matches a date d when first <= d < last.
struct DayRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
};

/// The range a date literal stands for on `today` (SOQL reference, "Date Formats and Date
/// Literals"): weeks start on Sunday; LAST_N_DAYS:n covers today and the n days before it;
/// NEXT_N_DAYS:n starts tomorrow; fiscal quarters/years start in `fiscal_start_month`
/// (1 = January, where fiscal periods equal calendar periods). Ranges are cut to
/// [0000-01-01, 9999-12-31], the days the `YYYY-MM-DD` text the binder compares can write (a
/// huge `n`, up to the parser's 2,147,483,647, reaches past them).
DayRange DateLiteralRange(const soql::DateLiteralValue& literal,
                          std::int64_t today,
                          int fiscal_start_month = 1);

}  // namespace sfkit::server::query
