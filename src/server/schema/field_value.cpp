// Date/time parsing and formatting in Salesforce's wire forms.
#include "server/schema/field_value.hpp"

#include <cstdio>
#include <ctime>

namespace sfkit::server {
namespace {

/// Reads exactly `n` digits at `pos`; advances `pos`.
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
    out = v;
    pos += n;
    return true;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

bool IsLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

/// Days since 1970-01-01 (proleptic Gregorian), Howard Hinnant's algorithm.
std::int64_t DaysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy =
        (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Ymd {
    int y, m, d;
};

bool ParseDate(std::string_view s, std::size_t& pos, Ymd& out) {
    if (!Digits(s, pos, 4, out.y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, out.m) ||
        !Expect(s, pos, '-') || !Digits(s, pos, 2, out.d)) {
        return false;
    }
    return out.m >= 1 && out.m <= 12 && out.d >= 1 && out.d <= DaysInMonth(out.y, out.m);
}

/// HH:MM[:SS[.f+]] ; millis truncated to 3 digits.
bool ParseClock(std::string_view s, std::size_t& pos, int& h, int& mi, int& sec, int& ms) {
    sec = 0;
    ms = 0;
    if (!Digits(s, pos, 2, h) || !Expect(s, pos, ':') || !Digits(s, pos, 2, mi)) {
        return false;
    }
    if (Expect(s, pos, ':')) {
        if (!Digits(s, pos, 2, sec)) {
            return false;
        }
        if (Expect(s, pos, '.')) {
            int scale = 100;
            std::size_t count = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                ms += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++count;
            }
            if (count == 0) {
                return false;
            }
        }
    }
    return h <= 23 && mi <= 59 && sec <= 59;
}

}  // namespace

std::string FormatDateTime(Instant t) {
    const auto ms_total = t.time_since_epoch().count();
    std::int64_t secs = ms_total / 1000;
    int ms = static_cast<int>(ms_total % 1000);
    if (ms < 0) {
        ms += 1000;
        --secs;
    }
    const std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::snprintf(buf,
                  sizeof buf,
                  "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
                  tm.tm_year + 1900,
                  tm.tm_mon + 1,
                  tm.tm_mday,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec,
                  ms);
    return buf;
}

std::string NowDateTime() {
    return FormatDateTime(std::chrono::system_clock::now());
}

std::optional<std::string> NormalizeDate(std::string_view text) {
    std::size_t pos = 0;
    Ymd d{};
    if (!ParseDate(text, pos, d) || pos != text.size()) {
        return std::nullopt;
    }
    return std::string(text);
}

std::optional<std::string> NormalizeDateTime(std::string_view text) {
    const auto t = ParseDateTime(text);
    if (!t) {
        return std::nullopt;
    }
    return FormatDateTime(*t);
}

std::optional<std::int64_t> DateToDays(std::string_view text) {
    std::size_t pos = 0;
    Ymd d{};
    if (!ParseDate(text, pos, d) || pos != text.size()) {
        return std::nullopt;
    }
    return DaysFromCivil(d.y, d.m, d.d);
}

std::string DaysToDate(std::int64_t days) {
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y + (m <= 2 ? 1 : 0)), m, d);
    return buf;
}

std::optional<Instant> ParseDateTime(std::string_view text) {
    std::size_t pos = 0;
    Ymd d{};
    if (!ParseDate(text, pos, d)) {
        return std::nullopt;
    }
    int h = 0, mi = 0, sec = 0, ms = 0;
    int offset_minutes = 0;
    if (pos != text.size()) {
        if (!Expect(text, pos, 'T') || !ParseClock(text, pos, h, mi, sec, ms)) {
            return std::nullopt;
        }
        if (pos < text.size()) {
            const char sign = text[pos];
            if (sign == 'Z' || sign == 'z') {
                ++pos;
            } else if (sign == '+' || sign == '-') {
                ++pos;
                int oh = 0, om = 0;
                if (!Digits(text, pos, 2, oh)) {
                    return std::nullopt;
                }
                Expect(text, pos, ':');
                if (!Digits(text, pos, 2, om) || oh > 23 || om > 59) {
                    return std::nullopt;
                }
                offset_minutes = (oh * 60 + om) * (sign == '-' ? -1 : 1);
            } else {
                return std::nullopt;
            }
        }
        if (pos != text.size()) {
            return std::nullopt;
        }
    }
    const std::int64_t epoch_ms =
        ((DaysFromCivil(d.y, d.m, d.d) * 86400 + h * 3600 + mi * 60 + sec) -
         static_cast<std::int64_t>(offset_minutes) * 60) *
            1000 +
        ms;
    // An offset can move a datetime of year 0000 or 9999 out of the years the canonical UTC
    // form writes (`-001-12-31T23:00:00.000+0000` would not read back): refuse those.
    constexpr std::int64_t kMsPerDay = 86400000;
    if (epoch_ms < DaysFromCivil(0, 1, 1) * kMsPerDay ||
        epoch_ms >= DaysFromCivil(10000, 1, 1) * kMsPerDay) {
        return std::nullopt;
    }
    return Instant(std::chrono::milliseconds(epoch_ms));
}

std::optional<std::string> NormalizeTime(std::string_view text) {
    std::size_t pos = 0;
    int h = 0, mi = 0, sec = 0, ms = 0;
    if (!ParseClock(text, pos, h, mi, sec, ms)) {
        return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03dZ", h, mi, sec, ms);
    return std::string(buf);
}

}  // namespace sfkit::server
