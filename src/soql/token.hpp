// SOQL tokens as the lexer hands them to the parser: kind, text as written, 1-based position.
// Keywords are plain identifiers here; the parser recognises them case-insensitively by context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::soql {

enum class TokenKind {
    kEnd,           ///< end of input (text is empty)
    kIdentifier,    ///< letters, digits, `_` (covers keywords, `__c`, `__r`, `ns__Obj__c`)
    kString,        ///< '...' with SOQL escapes; `value` holds the decoded text
    kInteger,       ///< optional sign and digits: `5`, `-5`, `+5`
    kDecimal,       ///< optional sign, digits with a fraction: `1.5`, `-.5`
    kDate,          ///< `2024-01-31`
    kDateTime,      ///< `2024-01-31T10:00:00Z`, `...T10:00:00.000+01:00`
    kTime,          ///< `01:00:00.000Z`, `13:30:00Z` (Time fields; UTC)
    kDateLiteralN,  ///< a date literal with its number, written together: `LAST_N_DAYS:30`
    kComma,
    kDot,
    kLParen,
    kRParen,
    kColon,  ///< `:` (only ever the start of an Apex bind, which the REST API rejects)
    kEq,     ///< `=`
    kNe,     ///< `!=`
    kLtGt,   ///< `<>`
    kLt,
    kLe,
    kGt,
    kGe,
};

/// Calendar fields of a date or datetime token, as written (the offset is in minutes east of
/// UTC; `Z` is 0). Dates leave the time fields 0.
struct DateTimeParts {
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    int offset_minutes = 0;
    bool operator==(const DateTimeParts&) const = default;
};

struct Token {
    TokenKind kind = TokenKind::kEnd;
    std::string_view text;  ///< the lexeme exactly as written (a view into the query)
    int row = 1;            ///< 1-based line
    int column = 1;         ///< 1-based column, counted in characters (UTF-8 code points)

    /// kString: decoded value. `\_` and `\%` decode to `_` / `%`; their offsets in `value` are
    /// listed in `escaped_wildcards` so that LIKE can still tell them from wildcards.
    std::string value;
    std::vector<std::size_t> escaped_wildcards;

    DateTimeParts date_time;  ///< kDate / kDateTime / kTime
    std::int64_t number = 0;  ///< kDateLiteralN: the `n` after the colon

    /// True for an identifier equal to `upper_keyword` ignoring ASCII case.
    bool Is(std::string_view upper_keyword) const;
};

/// ASCII case-insensitive equality (SOQL keywords and names are ASCII).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// The words Salesforce reserves in SOQL: never an identifier (field, alias) in a query.
bool IsReservedWord(std::string_view word);

}  // namespace sfkit::soql
