// Text to typed field values, and the number and text helpers every record write shares.
#include "server/records/field_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "codec/json.hpp"

namespace sfkit::server {
namespace {

bool IEqualsAscii(std::string_view a, std::string_view b) {
    return ToLowerAscii(a) == ToLowerAscii(b);
}

}  // namespace

std::string TextOf(const FieldValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    return {};
}

std::optional<FieldValue> ParseFieldText(const FieldDef& f, std::string_view text) {
    if (text.empty() || f.IsCompound()) {
        return FieldValue{};
    }
    switch (f.type) {
        case FieldType::kBoolean:
            if (IEqualsAscii(text, "true")) {
                return FieldValue{true};
            }
            if (IEqualsAscii(text, "false")) {
                return FieldValue{false};
            }
            return std::nullopt;
        case FieldType::kInt:
        case FieldType::kLong: {
            std::int64_t n = 0;
            const char* first = text.data() + (text.front() == '+' ? 1 : 0);
            const auto r = std::from_chars(first, text.data() + text.size(), n);
            if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
                return std::nullopt;
            }
            if (f.type == FieldType::kInt && (n > INT32_MAX || n < INT32_MIN)) {
                return std::nullopt;
            }
            return FieldValue{n};
        }
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent: {
            // Plain decimal notation only: no hex, inf or nan.
            const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
                return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
                       c == 'E';
            });
            if (!plain) {
                return std::nullopt;
            }
            const std::string s(text);
            char* end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (end != s.c_str() + s.size()) {
                return std::nullopt;
            }
            return FieldValue{d};
        }
        case FieldType::kDate:
            if (auto d = NormalizeDate(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        case FieldType::kDateTime:
            if (auto d = NormalizeDateTime(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        case FieldType::kTime:
            if (auto d = NormalizeTime(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        default:
            return FieldValue{std::string(text)};
    }
}

/// JSON value -> field value; nullopt on a type mismatch. Numbers and booleans are accepted for

std::size_t CodePointCount(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsValidEmail(std::string_view text) {
    // The shape Salesforce's email fields accept: local@domain, a dot-separated domain of
    // letters/digits/hyphens with at least two labels, the usual atext characters locally.
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != text.npos) {
        return false;
    }
    const std::string_view local = text.substr(0, at);
    const std::string_view domain = text.substr(at + 1);
    const auto is_alnum = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    };
    constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) {
        return false;
    }
    for (char c : local) {
        if (!is_alnum(c) && kLocalSpecials.find(c) == std::string_view::npos) {
            return false;
        }
    }
    std::size_t labels = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const std::string_view label =
            domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            if (!is_alnum(c) && c != '-') {
                return false;
            }
        }
        ++labels;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return labels >= 2;
}

std::optional<FieldValue> FitNumber(const FieldDef& f, const FieldValue& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        if (f.digits > 0 && f.digits < 19) {
            std::int64_t limit = 1;
            for (int i = 0; i < f.digits; ++i) {
                limit *= 10;
            }
            if (*n >= limit || *n <= -limit) {
                return std::nullopt;
            }
        }
        return value;
    }
    const auto* d = std::get_if<double>(&value);
    if (d == nullptr) {
        return value;
    }
    if (!std::isfinite(*d)) {
        return std::nullopt;
    }
    if (f.precision <= 0) {
        return value;
    }
    // Salesforce keeps `scale` fraction digits (rounding half away from zero) and allows
    // precision - scale digits before the point.
    const int scale = std::clamp(f.scale, 0, 17);
    const double factor = std::pow(10.0, scale);
    double rounded = std::round(*d * factor) / factor;
    if (rounded == 0.0) {
        rounded = 0.0;  // no negative zero on the wire
    }
    const int int_digits = f.precision - f.scale;
    if (std::fabs(rounded) >= std::pow(10.0, int_digits)) {
        return std::nullopt;
    }
    return FieldValue{rounded};
}

std::string NumberText(const FieldValue& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        return std::to_string(*n);
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return codec::FormatJavaDouble(*d);
    }
    return TextOf(value);
}

}  // namespace sfkit::server
