// libFuzzer target for SOQL date values: the lexer's dates and datetimes, the date literals
// (TODAY, LAST_N_DAYS:n, ...) and what the server makes of them (src/server/query/date_literals.*,
// the canonical date/datetime text of src/server/schema/field_value.*). The input is a WHERE
// condition (`CreatedDate = LAST_N_DAYS:30`, `CloseDate IN (2024-01-31, TODAY)`). For every
// value of the parsed condition:
//  - a date is a real calendar day whose text the server keeps as is, and whose day number
//    (DateToDays) prints back (DaysToDate, FormatDay) to the same text;
//  - a datetime the parser accepts is accepted by the server exactly when its instant falls in
//    the years 0000-9999 in UTC (what the canonical form can write); then its canonical UTC form
//    is the instant the parsed fields denote, and reads back as itself;
//  - a date literal has its number exactly when its kind takes one, and for several "today"s
//    and every fiscal year start its day range is ordered, non-empty when it should be, holds
//    today when the literal names the current period, and has bounds that print as dates which
//    read back to the same days (the binder compares them as text; a huge n is cut at the years
//    0000-9999).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_check.hpp"
#include "server/query/date_literals.hpp"
#include "server/schema/field_value.hpp"
#include "soql/parser.hpp"

namespace {

namespace soql = sfkit::soql;
namespace query = sfkit::server::query;
using sfkit::server::DateToDays;

constexpr std::int64_t kMsPerDay = 86400000;

[[noreturn]] void Die(const char* what, std::string_view input, const std::string& detail) {
    sfkit::fuzz::Die("date_literal_fuzz", what, input, detail);
}

void Collect(const soql::Condition& c, std::vector<const soql::Value*>& out) {
    if (const auto* cmp = std::get_if<soql::Comparison>(&c.node)) {
        out.push_back(&cmp->value);
    } else if (const auto* set = std::get_if<soql::SetComparison>(&c.node)) {
        for (const auto& v : set->values) {
            out.push_back(&v);
        }
    } else if (const auto* logical = std::get_if<soql::Logical>(&c.node)) {
        for (const auto& operand : logical->operands) {
            Collect(operand, out);
        }
    } else if (const auto* negated = std::get_if<soql::Not>(&c.node)) {
        Collect(*negated->operand, out);
    }
}

void CheckDate(std::string_view input, const soql::DateValue& d) {
    const auto days = DateToDays(d.text);
    if (!days || sfkit::server::NormalizeDate(d.text) != d.text) {
        Die("parsed date refused by the server", input, d.text);
    }
    if (*days != query::DaysFromCivil(d.parts.year, d.parts.month, d.parts.day)) {
        Die("date parts and text name different days", input, d.text);
    }
    if (sfkit::server::DaysToDate(*days) != d.text || query::FormatDay(*days) != d.text) {
        Die("day number does not print back to the date", input, d.text);
    }
}

void CheckDateTime(std::string_view input, const soql::DateTimeValue& dt) {
    const soql::DateTimeParts& p = dt.parts;
    const std::int64_t expected = ((query::DaysFromCivil(p.year, p.month, p.day) * 86400 +
                                    p.hour * 3600 + p.minute * 60 + p.second) -
                                   std::int64_t{p.offset_minutes} * 60) *
                                      1000 +
                                  p.millis;
    const auto canonical = sfkit::server::NormalizeDateTime(dt.text);
    const bool writable = expected >= query::DaysFromCivil(0, 1, 1) * kMsPerDay &&
                          expected < query::DaysFromCivil(10000, 1, 1) * kMsPerDay;
    if (canonical.has_value() != writable) {
        Die(writable ? "parsed datetime refused by the server"
                     : "datetime outside the years 0000-9999 in UTC accepted",
            input,
            dt.text);
    }
    if (!canonical) {
        return;
    }
    if (sfkit::server::NormalizeDateTime(*canonical) != canonical) {
        Die("canonical datetime does not read back as itself", input, *canonical);
    }
    const auto instant = sfkit::server::ParseDateTime(dt.text);
    if (!instant ||
        std::chrono::duration_cast<std::chrono::milliseconds>(instant->time_since_epoch())
                .count() != expected) {
        Die("datetime text and parts denote different instants", input, dt.text);
    }
}

/// Literals whose range must contain today.
bool NamesCurrentPeriod(soql::DateLiteralKind k) {
    using K = soql::DateLiteralKind;
    return k == K::kToday || k == K::kThisWeek || k == K::kThisMonth || k == K::kThisQuarter ||
           k == K::kThisYear || k == K::kThisFiscalQuarter || k == K::kThisFiscalYear ||
           k == K::kLastNDays || k == K::kLast90Days;
}

void CheckBound(std::string_view input, std::int64_t day, const std::string& what) {
    const std::string text = query::FormatDay(day);
    if (DateToDays(text) != day) {
        Die("range bound does not print as a date that reads back", input, what + " " + text);
    }
}

void CheckLiteral(std::string_view input, const soql::DateLiteralValue& lit) {
    if (lit.n.has_value() != soql::DateLiteralTakesNumber(lit.kind) ||
        (lit.n && (*lit.n < 0 || *lit.n > 2147483647))) {
        Die("literal number does not fit its kind", input, "");
    }
    static const std::int64_t kTodays[] = {
        query::DaysFromCivil(2024, 5, 15),
        query::DaysFromCivil(2024, 2, 29),
        query::DaysFromCivil(2023, 12, 31),
        query::DaysFromCivil(2000, 1, 1),
        query::DaysFromCivil(1970, 1, 1),
    };
    for (const std::int64_t today : kTodays) {
        for (int fiscal = 1; fiscal <= 12; ++fiscal) {
            const query::DayRange r = query::DateLiteralRange(lit, today, fiscal);
            const std::string where = std::string(soql::DateLiteralName(lit.kind)) + " today " +
                                      query::FormatDay(today) + " fiscal " + std::to_string(fiscal);
            // Empty only for n = 0, or when cut at the edge of the years 0000-9999.
            const bool at_edge = r.first == query::DaysFromCivil(0, 1, 1) ||
                                 r.last == query::DaysFromCivil(9999, 12, 31);
            if (r.first > r.last || (lit.n.value_or(1) > 0 && r.first == r.last && !at_edge)) {
                Die("empty or inverted range", input, where);
            }
            if (NamesCurrentPeriod(lit.kind) && (today < r.first || today >= r.last)) {
                Die("current period does not hold today", input, where);
            }
            CheckBound(input, r.first, where);
            CheckBound(input, r.last, where);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto parsed = soql::Parse("SELECT Id FROM Account WHERE " + std::string(input));
    if (!parsed || !parsed->where) {
        return 0;
    }
    std::vector<const soql::Value*> values;
    Collect(*parsed->where, values);
    for (const soql::Value* v : values) {
        if (const auto* d = std::get_if<soql::DateValue>(&v->node)) {
            CheckDate(input, *d);
        } else if (const auto* dt = std::get_if<soql::DateTimeValue>(&v->node)) {
            CheckDateTime(input, *dt);
        } else if (const auto* lit = std::get_if<soql::DateLiteralValue>(&v->node)) {
            CheckLiteral(input, *lit);
        }
    }
    return 0;
}
