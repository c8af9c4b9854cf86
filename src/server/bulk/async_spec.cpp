// Bulk API 1.0 transformation specs (see async_spec.hpp).
#include "server/bulk/async_spec.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <regex>
#include <unordered_map>

#include "codec/csv.hpp"
#include "server/bulk/async_wire.hpp"
#include "server/bulk/ingest_rows.hpp"
#include "server/schema/field_value.hpp"

namespace sfkit::server::bulk1 {
namespace {

constexpr std::array<std::string_view, 4> kSpecHeader = {
    "Salesforce Field", "Csv Header", "Value", "Hint"};
constexpr std::string_view kNullCell = "#N/A";

bool IEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ToLowerAscii(a) == ToLowerAscii(b);
}

AsyncError SpecError(const std::string& message) {
    return AsyncError("InvalidBatch", message);
}

/// The field a spec row's Salesforce Field sets (the reference, for a relationship column).
const FieldDef* TargetField(const Schema& schema,
                            const ObjectDef& object,
                            const std::string& name) {
    // The column rules of batches (and Bulk 2.0 uploads) decide what a name means.
    const bulk::IngestPlan plan = bulk::PlanColumns(schema, object, "insert", "", {name});
    return plan.columns.front().target != nullptr ? nullptr : plan.columns.front().field;
}

// ---- Java-style date patterns ----------------------------------------------------------------

struct Token {
    char letter = 0;  ///< 0: literal text
    std::size_t count = 0;
    std::string literal;
};

std::vector<Token> Tokenize(std::string_view pattern) {
    std::vector<Token> out;
    for (std::size_t i = 0; i < pattern.size();) {
        const char c = pattern[i];
        if (c == '\'') {
            const auto end = pattern.find('\'', i + 1);
            Token t;
            t.literal = end == i + 1 ? "'" : std::string(pattern.substr(i + 1, end - i - 1));
            out.push_back(t);
            i = end == std::string_view::npos ? pattern.size() : end + 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            std::size_t j = i;
            while (j < pattern.size() && pattern[j] == c) {
                ++j;
            }
            out.push_back(Token{c, j - i, {}});
            i = j;
        } else {
            if (out.empty() || out.back().letter != 0) {
                out.push_back(Token{});
            }
            out.back().literal += c;
            ++i;
        }
    }
    return out;
}

constexpr std::array<std::string_view, 12> kMonths = {"january",
                                                      "february",
                                                      "march",
                                                      "april",
                                                      "may",
                                                      "june",
                                                      "july",
                                                      "august",
                                                      "september",
                                                      "october",
                                                      "november",
                                                      "december"};

bool IsNumeric(char letter) {
    return letter == 'y' || letter == 'Y' || letter == 'M' || letter == 'd' || letter == 'H' ||
           letter == 'h' || letter == 'k' || letter == 'K' || letter == 'm' || letter == 's' ||
           letter == 'S' || letter == 'u';
}

}  // namespace

std::string ReadWithDatePattern(std::string_view text, std::string_view pattern, bool datetime) {
    const std::vector<Token> tokens = Tokenize(pattern);
    int year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int milli = 0;
    bool pm = false;
    bool twelve_hour = false;
    int offset_minutes = 0;
    std::size_t pos = 0;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const Token& tok = tokens[t];
        if (tok.letter == 0) {
            if (text.substr(pos, tok.literal.size()) != tok.literal) {
                return {};
            }
            pos += tok.literal.size();
            continue;
        }
        if (tok.letter == 'M' && tok.count >= 3) {  // a month name, full or the first 3 letters
            bool found = false;
            for (std::size_t m = 0; m < kMonths.size() && !found; ++m) {
                for (std::size_t len : {kMonths[m].size(), std::size_t{3}}) {
                    if (pos + len <= text.size() &&
                        IEquals(text.substr(pos, len), kMonths[m].substr(0, len))) {
                        month = static_cast<int>(m) + 1;
                        pos += len;
                        found = true;
                        break;
                    }
                }
            }
            if (!found) {
                return {};
            }
            continue;
        }
        if (tok.letter == 'a') {
            if (pos + 2 > text.size()) {
                return {};
            }
            const std::string ampm = ToLowerAscii(text.substr(pos, 2));
            if (ampm != "am" && ampm != "pm") {
                return {};
            }
            pm = ampm == "pm";
            pos += 2;
            continue;
        }
        if (tok.letter == 'E') {  // a day name: letters, not checked
            while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) {
                ++pos;
            }
            continue;
        }
        if (tok.letter == 'Z' || tok.letter == 'X' || tok.letter == 'z') {
            if (pos < text.size() && text[pos] == 'Z') {
                ++pos;
                continue;
            }
            if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
                return {};
            }
            const int sign = text[pos] == '-' ? -1 : 1;
            ++pos;
            int digits[4] = {0, 0, 0, 0};
            int n = 0;
            while (n < 4 && pos < text.size()) {
                if (text[pos] == ':') {
                    ++pos;
                    continue;
                }
                if (!std::isdigit(static_cast<unsigned char>(text[pos]))) {
                    break;
                }
                digits[n++] = text[pos++] - '0';
            }
            if (n != 2 && n != 4) {
                return {};
            }
            offset_minutes =
                sign * ((digits[0] * 10 + digits[1]) * 60 + digits[2] * 10 + digits[3]);
            continue;
        }
        if (!IsNumeric(tok.letter)) {
            return {};  // a pattern letter this reader does not know
        }
        // Digits: exactly `count` of them when the next token is a number too (`yyyyMMdd`).
        const bool fixed =
            t + 1 < tokens.size() && tokens[t + 1].letter != 0 && IsNumeric(tokens[t + 1].letter);
        const std::size_t max_digits = fixed ? tok.count
                                             : (tok.letter == 'y' || tok.letter == 'Y' ? 4
                                                : tok.letter == 'S'                    ? 3
                                                                                       : 2);
        std::size_t len = 0;
        int value = 0;
        while (len < max_digits && pos + len < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[pos + len]))) {
            value = value * 10 + (text[pos + len] - '0');
            ++len;
        }
        if (len == 0 || (fixed && len != tok.count)) {
            return {};
        }
        pos += len;
        switch (tok.letter) {
            case 'y':
            case 'Y':
            case 'u':
                year = value;
                if (tok.count == 2 && len <= 2) {
                    // Java's two-digit years: within 80 years before and 20 after now.
                    const auto today = std::chrono::year_month_day(
                        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
                    const int now_year = static_cast<int>(today.year());
                    year = now_year / 100 * 100 + value;
                    if (year > now_year + 20) {
                        year -= 100;
                    } else if (year <= now_year - 80) {
                        year += 100;
                    }
                }
                break;
            case 'M':
                month = value;
                break;
            case 'd':
                day = value;
                break;
            case 'H':
            case 'k':
                hour = value % 24;
                break;
            case 'h':
            case 'K':
                hour = value % 12;
                twelve_hour = true;
                break;
            case 'm':
                minute = value;
                break;
            case 's':
                second = value;
                break;
            default:  // 'S'
                milli = value;
                break;
        }
    }
    if (pos != text.size()) {
        return {};
    }
    if (twelve_hour && pm) {
        hour += 12;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(year),
                                          std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || minute > 59 || second > 59) {
        return {};
    }
    if (!datetime) {
        char out[40];  // room for any int the compiler cannot bound (-Wformat-truncation at -O2)
        std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
        return out;
    }
    const auto t = std::chrono::sys_days(ymd) + std::chrono::hours(hour) +
                   std::chrono::minutes(minute - offset_minutes) + std::chrono::seconds(second) +
                   std::chrono::milliseconds(milli);
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day d(days);
    const std::chrono::hh_mm_ss<std::chrono::milliseconds> hms(t - days);
    char out[40];
    std::snprintf(out,
                  sizeof out,
                  "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()),
                  static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    return out;
}

std::vector<SpecRow> ParseSpec(std::string_view csv,
                               const Schema& schema,
                               const ObjectDef& object) {
    if (csv.size() >= kMaxSpecBytes) {
        throw SpecError("Transformation spec is larger than 8192 characters");
    }
    std::vector<std::vector<std::string>> rows;
    codec::CsvError error;
    if (!codec::ReadCsv(csv, codec::CsvReaderOptions{}, rows, &error)) {
        throw SpecError("Failed to parse the transformation spec: " + error.message);
    }
    if (rows.empty() || rows.front().size() != kSpecHeader.size() ||
        !std::equal(rows.front().begin(),
                    rows.front().end(),
                    kSpecHeader.begin(),
                    [](const std::string& a, std::string_view b) { return IEquals(a, b); })) {
        throw SpecError(
            "Transformation spec header must be: Salesforce Field,Csv Header,Value,Hint");
    }
    std::vector<SpecRow> out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        auto& row = rows[r];
        row.resize(kSpecHeader.size());
        if (row[0].empty()) {
            throw SpecError("Transformation spec row " + std::to_string(r) +
                            " has no Salesforce Field");
        }
        const FieldDef* field = nullptr;
        try {
            field = TargetField(schema, object, row[0]);
        } catch (const bulk::InvalidBatch& e) {
            throw SpecError(e.what() + std::string_view("InvalidBatch : ").size());
        }
        if (!row[3].empty() && field != nullptr && field->type == FieldType::kBoolean) {
            try {
                std::regex check(row[3]);
            } catch (const std::regex_error&) {
                throw SpecError("Invalid hint for " + row[0] + ": " + row[3]);
            }
        }
        out.push_back(SpecRow{row[0], row[1], row[2], row[3]});
    }
    if (out.empty()) {
        throw SpecError("Transformation spec has no rows");
    }
    return out;
}

std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> ApplySpec(
    const std::vector<SpecRow>& spec,
    const Schema& schema,
    const ObjectDef& object,
    const std::vector<std::string>& header,
    const std::vector<std::vector<std::string>>& rows) {
    struct Column {
        int source = -1;  ///< the batch's column, -1: Value only
        const FieldDef* field = nullptr;
        std::optional<std::regex> truth;
    };
    std::vector<std::string> out_header;
    std::vector<Column> columns;
    for (const SpecRow& s : spec) {
        Column c;
        for (std::size_t i = 0; i < header.size() && !s.header.empty(); ++i) {
            if (header[i] == s.header || (c.source < 0 && IEquals(header[i], s.header))) {
                c.source = static_cast<int>(i);
            }
        }
        c.field = TargetField(schema, object, s.field);
        if (!s.hint.empty() && c.field != nullptr && c.field->type == FieldType::kBoolean) {
            c.truth.emplace(s.hint);
        }
        out_header.push_back(s.field);
        columns.push_back(std::move(c));
    }
    std::vector<std::vector<std::string>> out_rows;
    out_rows.reserve(rows.size());
    for (const auto& row : rows) {
        std::vector<std::string> cells;
        for (std::size_t k = 0; k < spec.size(); ++k) {
            const Column& c = columns[k];
            std::string cell = c.source >= 0 && static_cast<std::size_t>(c.source) < row.size()
                                   ? row[static_cast<std::size_t>(c.source)]
                                   : std::string();
            if (cell.empty()) {
                cell = spec[k].value;
            }
            if (!cell.empty() && cell != kNullCell && !spec[k].hint.empty() && c.field != nullptr) {
                if (c.truth) {
                    cell = std::regex_match(cell, *c.truth) ? "true" : "false";
                } else if (c.field->type == FieldType::kDate ||
                           c.field->type == FieldType::kDateTime) {
                    std::string read = ReadWithDatePattern(
                        cell, spec[k].hint, c.field->type == FieldType::kDateTime);
                    if (!read.empty()) {
                        cell = std::move(read);  // otherwise the cell fails as written
                    }
                }
            }
            cells.push_back(std::move(cell));
        }
        out_rows.push_back(std::move(cells));
    }
    return {std::move(out_header), std::move(out_rows)};
}

}  // namespace sfkit::server::bulk1
