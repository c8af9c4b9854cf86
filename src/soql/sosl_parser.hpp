// SOSL parser: `FIND {term} ...` text to the tree in sosl_ast.hpp, with Salesforce's
// MALFORMED_SEARCH errors (echo + caret + `ERROR at Row:R:Column:C`, wire reference §B.12).
// Pure C++ like the SOQL parser; names are resolved later by the search service.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "soql/error.hpp"
#include "soql/sosl_ast.hpp"

namespace sfkit::soql {

using SearchParseResult = boost::system::result<SearchQuery, SoqlError>;

/// Parses one SOSL statement. Errors: MALFORMED_SEARCH for syntax (positioned; columns 0-based
/// as in the recorded samples, see README.md), `No search term found. The search term must be
/// enclosed in braces.` (no echo) when `FIND` is not followed by `{`, INVALID_SEARCH for a
/// search term shorter than two characters.
SearchParseResult ParseSearch(std::string_view sosl);

/// Parses a search expression (the text between the braces) on its own. `statement` and
/// `term_offset` (byte offset of `term` in it) position the errors; pass `term` and 0 when the
/// expression stands alone (the search service re-parses stored terms this way).
boost::system::result<SearchExpr, SoqlError> ParseSearchExpr(std::string_view term,
                                                             std::string_view statement,
                                                             std::size_t term_offset);

/// Escapes `text` so that it reads back as itself between the braces of FIND (every character
/// SOSL reserves gets a backslash): how /parameterizedSearch turns `q` into a SOSL term.
std::string EscapeSearchText(std::string_view text);

inline constexpr std::string_view kMalformedSearch = "MALFORMED_SEARCH";
inline constexpr std::string_view kInvalidSearch = "INVALID_SEARCH";
/// SOSL returns at most 2,000 records (SOSL reference, "LIMIT n"; API 28.0 and later).
inline constexpr std::int64_t kMaxSearchLimit = 2000;
/// A search term longer than this finds nothing (SOSL reference, "FIND {SearchQuery}").
inline constexpr std::size_t kMaxSearchTermLength = 10000;

}  // namespace sfkit::soql
