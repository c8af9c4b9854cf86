// FORMAT() values for en_US / USD / America/Los_Angeles (format_value.hpp).
#include "server/query/format_value.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace sfkit::server::query {
namespace {

using namespace std::chrono;

/// `1234567.891` with `scale` decimals and en_US grouping: `1,234,567.89`.
std::string Grouped(double value, int scale) {
    if (scale < 0) {
        scale = 0;
    }
    if (scale > 18) {
        scale = 18;
    }
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", scale, std::fabs(value));
    const std::string_view s(buf);
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) {
            out += ',';
        }
        out += whole[i];
    }
    if (dot != std::string_view::npos) {
        out.append(s.substr(dot));
    }
    return out;
}

bool Negative(double value, int scale) {
    // -0.001 shown with 2 decimals is 0.00: no sign.
    return value < 0 && std::fabs(value) >= 0.5 * std::pow(10.0, -std::max(scale, 0));
}

std::string Clock(int hour, int minute) {
    const int h12 = hour % 12 == 0 ? 12 : hour % 12;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d:%02d %s", h12, minute, hour < 12 ? "AM" : "PM");
    return buf;
}

std::string Day(const year_month_day& d) {
    char buf[48];
    std::snprintf(buf,
                  sizeof buf,
                  "%u/%u/%d",
                  static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()),
                  static_cast<int>(d.year()));
    return buf;
}

bool Digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

/// The UTC second of the `n`-th Sunday (1-based) of `m`/`y` at `hour_utc`.
std::int64_t NthSunday(int y, unsigned m, unsigned n, int hour_utc) {
    const sys_days first{year{y} / month{m} / day{1}};
    const weekday wd{first};
    const unsigned to_sunday = (7 - wd.c_encoding()) % 7;
    const sys_days sunday = first + days{to_sunday + 7 * (n - 1)};
    return duration_cast<seconds>(sunday.time_since_epoch()).count() + hour_utc * 3600;
}

}  // namespace

int LosAngelesOffsetMinutes(std::int64_t utc_seconds) {
    const sys_days day = floor<days>(sys_seconds{seconds{utc_seconds}});
    const int y = static_cast<int>(year_month_day{day}.year());
    // 2:00 PST = 10:00 UTC (start), 2:00 PDT = 9:00 UTC (end).
    const std::int64_t start = NthSunday(y, 3, 2, 10);
    const std::int64_t end = NthSunday(y, 11, 1, 9);
    return utc_seconds >= start && utc_seconds < end ? -7 * 60 : -8 * 60;
}

bool FormatForLocale(const SqlValue& v, FieldType type, int scale, std::string& out) {
    if (std::holds_alternative<std::monostate>(v)) {
        return false;
    }
    double number = 0;
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        number = static_cast<double>(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
        number = *d;
    }
    const auto* text = std::get_if<std::string>(&v);
    switch (type) {
        case FieldType::kCurrency:
            out = std::string(Negative(number, scale) ? "-" : "") + "$" + Grouped(number, scale);
            return true;
        case FieldType::kInt:
        case FieldType::kLong:
        case FieldType::kDouble:
            out = std::string(Negative(number, scale) ? "-" : "") + Grouped(number, scale);
            return true;
        case FieldType::kPercent:
            out = std::string(Negative(number, scale) ? "-" : "") + Grouped(number, scale) + "%";
            return true;
        case FieldType::kDate: {
            int y = 0, m = 0, d = 0;
            if (text != nullptr && Digits(*text, 0, 4, y) && Digits(*text, 5, 2, m) &&
                Digits(*text, 8, 2, d)) {
                out =
                    Day(year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)});
                return true;
            }
            break;
        }
        case FieldType::kDateTime: {
            // Stored as `YYYY-MM-DDThh:mm:ss.sss+0000` (UTC).
            int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
            if (text != nullptr && Digits(*text, 0, 4, y) && Digits(*text, 5, 2, mo) &&
                Digits(*text, 8, 2, d) && Digits(*text, 11, 2, h) && Digits(*text, 14, 2, mi) &&
                Digits(*text, 17, 2, s)) {
                const sys_days day0{year{y} / month{static_cast<unsigned>(mo)} /
                                    day{static_cast<unsigned>(d)}};
                const std::int64_t utc = duration_cast<seconds>(day0.time_since_epoch()).count() +
                                         h * 3600 + mi * 60 + s;
                const std::int64_t local = utc + LosAngelesOffsetMinutes(utc) * 60;
                const sys_days local_day = floor<days>(sys_seconds{seconds{local}});
                const std::int64_t second_of_day =
                    local - duration_cast<seconds>(local_day.time_since_epoch()).count();
                out = Day(year_month_day{local_day}) + ", " +
                      Clock(static_cast<int>(second_of_day / 3600),
                            static_cast<int>(second_of_day % 3600 / 60));
                return true;
            }
            break;
        }
        case FieldType::kTime: {
            int h = 0, mi = 0;
            if (text != nullptr && Digits(*text, 0, 2, h) && Digits(*text, 3, 2, mi)) {
                out = Clock(h, mi);
                return true;
            }
            break;
        }
        default:
            break;
    }
    return false;
}

}  // namespace sfkit::server::query
