// Date literal ranges, in whole days.
#include "server/query/date_literals.hpp"

#include <algorithm>
#include <cstdio>

namespace sfkit::server::query {
namespace {

struct Ymd {
    int y;
    int m;
    int d;
};

Ymd CivilFromDays(std::int64_t z) {
    // Howard Hinnant's civil_from_days.
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

/// First day of the month `months` months after the month of (y, m), kept within
/// [kFirstMonth, kEndMonth] (a huge `n` must not overflow the year).
std::int64_t MonthStart(int y, int m, std::int64_t months) {
    constexpr std::int64_t kFirstMonth = 0;         // 0000-01
    constexpr std::int64_t kEndMonth = 10000 * 12;  // 10000-01
    const std::int64_t index =
        std::clamp(static_cast<std::int64_t>(y) * 12 + (m - 1) + months, kFirstMonth, kEndMonth);
    const auto ny = static_cast<int>(index >= 0 ? index / 12 : (index - 11) / 12);
    const auto nm = static_cast<int>(index - static_cast<std::int64_t>(ny) * 12) + 1;
    return DaysFromCivil(ny, nm, 1);
}

}  // namespace

std::int64_t DaysFromCivil(int year, int month, int day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(month + (month > 2 ? -3 : 9)) + 2) / 5 +
                         static_cast<unsigned>(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string FormatDay(std::int64_t days) {
    const Ymd v = CivilFromDays(days);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.y, v.m, v.d);
    return buf;
}

std::int64_t DayOf(std::chrono::system_clock::time_point t) {
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    return secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
}

namespace {

DayRange UnboundedRange(const soql::DateLiteralValue& literal,
                        std::int64_t today,
                        int fiscal_start_month) {
    using K = soql::DateLiteralKind;
    const std::int64_t n = literal.n.value_or(0);
    const Ymd t = CivilFromDays(today);
    // Weeks start on Sunday (1970-01-01 was a Thursday: day 0 -> weekday 4).
    const std::int64_t weekday = ((today % 7) + 7 + 4) % 7;  // 0 = Sunday
    const std::int64_t week = today - weekday;
    const auto months = [&](std::int64_t from, std::int64_t count) {
        return DayRange{MonthStart(t.y, t.m, from), MonthStart(t.y, t.m, from + count)};
    };
    // Quarter and year starts, relative to the month of today, for a year starting in
    // `start_month`.
    const auto period_offset = [&](int start_month, int length) {
        const int from_start = ((t.m - start_month) % 12 + 12) % 12;
        return -static_cast<std::int64_t>(from_start % length);
    };
    const std::int64_t cq = period_offset(1, 3);   // months back to this calendar quarter
    const std::int64_t cy = period_offset(1, 12);  // months back to this calendar year
    const std::int64_t fq = period_offset(fiscal_start_month, 3);
    const std::int64_t fy = period_offset(fiscal_start_month, 12);
    switch (literal.kind) {
        case K::kYesterday:
            return {today - 1, today};
        case K::kToday:
            return {today, today + 1};
        case K::kTomorrow:
            return {today + 1, today + 2};
        case K::kLastWeek:
            return {week - 7, week};
        case K::kThisWeek:
            return {week, week + 7};
        case K::kNextWeek:
            return {week + 7, week + 14};
        case K::kLastMonth:
            return months(-1, 1);
        case K::kThisMonth:
            return months(0, 1);
        case K::kNextMonth:
            return months(1, 1);
        case K::kLast90Days:
            return {today - 90, today + 1};
        case K::kNext90Days:
            return {today + 1, today + 91};
        case K::kLastNDays:
            return {today - n, today + 1};
        case K::kNextNDays:
            return {today + 1, today + 1 + n};
        case K::kNDaysAgo:
            return {today - n, today - n + 1};
        case K::kNextNWeeks:
            return {week + 7, week + 7 + 7 * n};
        case K::kLastNWeeks:
            return {week - 7 * n, week};
        case K::kNWeeksAgo:
            return {week - 7 * n, week - 7 * n + 7};
        case K::kNextNMonths:
            return months(1, n);
        case K::kLastNMonths:
            return months(-n, n);
        case K::kNMonthsAgo:
            return months(-n, 1);
        case K::kThisQuarter:
            return months(cq, 3);
        case K::kLastQuarter:
            return months(cq - 3, 3);
        case K::kNextQuarter:
            return months(cq + 3, 3);
        case K::kNextNQuarters:
            return months(cq + 3, 3 * n);
        case K::kLastNQuarters:
            return months(cq - 3 * n, 3 * n);
        case K::kNQuartersAgo:
            return months(cq - 3 * n, 3);
        case K::kThisYear:
            return months(cy, 12);
        case K::kLastYear:
            return months(cy - 12, 12);
        case K::kNextYear:
            return months(cy + 12, 12);
        case K::kNextNYears:
            return months(cy + 12, 12 * n);
        case K::kLastNYears:
            return months(cy - 12 * n, 12 * n);
        case K::kNYearsAgo:
            return months(cy - 12 * n, 12);
        case K::kThisFiscalQuarter:
            return months(fq, 3);
        case K::kLastFiscalQuarter:
            return months(fq - 3, 3);
        case K::kNextFiscalQuarter:
            return months(fq + 3, 3);
        case K::kNextNFiscalQuarters:
            return months(fq + 3, 3 * n);
        case K::kLastNFiscalQuarters:
            return months(fq - 3 * n, 3 * n);
        case K::kNFiscalQuartersAgo:
            return months(fq - 3 * n, 3);
        case K::kThisFiscalYear:
            return months(fy, 12);
        case K::kLastFiscalYear:
            return months(fy - 12, 12);
        case K::kNextFiscalYear:
            return months(fy + 12, 12);
        case K::kNextNFiscalYears:
            return months(fy + 12, 12 * n);
        case K::kLastNFiscalYears:
            return months(fy - 12 * n, 12 * n);
        case K::kNFiscalYearsAgo:
            return months(fy - 12 * n, 12);
    }
    return {today, today + 1};
}

}  // namespace

DayRange DateLiteralRange(const soql::DateLiteralValue& literal,
                          std::int64_t today,
                          int fiscal_start_month) {
    const DayRange r = UnboundedRange(literal, today, fiscal_start_month);
    const std::int64_t first = DaysFromCivil(0, 1, 1);
    const std::int64_t last = DaysFromCivil(9999, 12, 31);
    return {std::clamp(r.first, first, last), std::clamp(r.last, first, last)};
}

}  // namespace sfkit::server::query
