// Salesforce date/dateTime/time text <-> std::chrono (formats: wire reference §0.1).
#include "sfkit/client/datetime.hpp"

#include <cstdio>

namespace sfkit::client {
namespace chr = std::chrono;

namespace {

/// Reads exactly `n` decimal digits at `pos`, advancing it.
bool Digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    pos += n;
    out = v;
    return true;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

bool ParseYmd(std::string_view s, std::size_t& pos, chr::year_month_day& out) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (!Digits(s, pos, 4, y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, m) ||
        !Expect(s, pos, '-') || !Digits(s, pos, 2, d)) {
        return false;
    }
    out = chr::year_month_day{
        chr::year{y}, chr::month{static_cast<unsigned>(m)}, chr::day{static_cast<unsigned>(d)}};
    return out.ok();
}

/// `HH:MM:SS[.fraction]` -> time of day; fraction digits beyond milliseconds are dropped.
bool ParseClock(std::string_view s, std::size_t& pos, chr::milliseconds& out) {
    int h = 0;
    int m = 0;
    int sec = 0;
    if (!Digits(s, pos, 2, h) || !Expect(s, pos, ':') || !Digits(s, pos, 2, m) ||
        !Expect(s, pos, ':') || !Digits(s, pos, 2, sec) || h > 23 || m > 59 || sec > 59) {
        return false;
    }
    int millis = 0;
    if (Expect(s, pos, '.')) {
        std::size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) {
                millis = millis * 10 + (s[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 9) {
            return false;
        }
        for (std::size_t i = digits; i < 3; ++i) {
            millis *= 10;
        }
    }
    out = chr::hours(h) + chr::minutes(m) + chr::seconds(sec) + chr::milliseconds(millis);
    return true;
}

/// `Z`, `+0000`, `+00:00`, `-0500`; nothing at all means UTC. Returns the offset east of UTC.
bool ParseOffset(std::string_view s, std::size_t& pos, chr::minutes& out) {
    out = chr::minutes(0);
    if (pos == s.size()) {
        return true;
    }
    if (Expect(s, pos, 'Z')) {
        return pos == s.size();
    }
    const char sign = s[pos];
    if (sign != '+' && sign != '-') {
        return false;
    }
    ++pos;
    int h = 0;
    int m = 0;
    if (!Digits(s, pos, 2, h)) {
        return false;
    }
    Expect(s, pos, ':');
    if (!Digits(s, pos, 2, m) || h > 23 || m > 59 || pos != s.size()) {
        return false;
    }
    out = chr::minutes(h * 60 + m);
    if (sign == '-') {
        out = -out;
    }
    return true;
}

std::string Quote(std::string_view text) {
    return "'" + std::string(text.substr(0, 64)) + (text.size() > 64 ? "...'" : "'");
}

}  // namespace

Result<chr::year_month_day> ParseDate(std::string_view text) {
    std::size_t pos = 0;
    chr::year_month_day ymd;
    if (!ParseYmd(text, pos, ymd) || pos != text.size()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_DATE",
                         Quote(text) + " is not a date of the form 2024-01-31");
    }
    return ymd;
}

std::string FormatDate(chr::year_month_day date) {
    char buf[16];
    std::snprintf(buf,
                  sizeof buf,
                  "%04d-%02u-%02u",
                  static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return buf;
}

Result<DateTime> ParseDateTime(std::string_view text) {
    std::size_t pos = 0;
    chr::year_month_day ymd;
    chr::milliseconds clock{};
    chr::minutes offset{};
    if (!ParseYmd(text, pos, ymd) || !Expect(text, pos, 'T') || !ParseClock(text, pos, clock) ||
        !ParseOffset(text, pos, offset)) {
        return MakeError(
            ErrorKind::kInvalidArgument,
            "INVALID_DATETIME",
            Quote(text) + " is not a dateTime of the form 2024-01-31T12:00:00.000+0000");
    }
    return DateTime(chr::sys_days(ymd)) + clock - offset;
}

std::string FormatDateTime(DateTime instant) {
    const auto day = chr::floor<chr::days>(instant);
    const chr::year_month_day ymd(day);
    const chr::hh_mm_ss<chr::milliseconds> t(instant - day);
    char buf[40];
    std::snprintf(buf,
                  sizeof buf,
                  "%04d-%02u-%02uT%02d:%02d:%02d.%03d+0000",
                  static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()),
                  static_cast<int>(t.hours().count()),
                  static_cast<int>(t.minutes().count()),
                  static_cast<int>(t.seconds().count()),
                  static_cast<int>(t.subseconds().count()));
    return buf;
}

Result<chr::milliseconds> ParseTime(std::string_view text) {
    std::size_t pos = 0;
    chr::milliseconds clock{};
    if (!ParseClock(text, pos, clock) ||
        (pos != text.size() && !(Expect(text, pos, 'Z') && pos == text.size()))) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_TIME",
                         Quote(text) + " is not a time of the form 11:59:59.000Z");
    }
    return clock;
}

}  // namespace sfkit::client
