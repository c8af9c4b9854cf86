// SOQL parser: hand-written recursive descent from query text to the syntax tree in ast.hpp.
// Checks what Salesforce checks without the schema (syntax, Apex-only syntax, OFFSET and
// relationship limits); names are resolved later by the binder.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/system/result.hpp>

#include "soql/ast.hpp"
#include "soql/error.hpp"

namespace sfkit::soql {

struct ParseOptions {
    /// Levels of child-relationship subqueries below the root query. Salesforce allows 1 up to
    /// API 57.0 and 4 (five levels counting the root) from API 58.0 on REST/SOAP.
    int max_child_depth = 1;
};

using ParseResult = boost::system::result<Query, SoqlError>;

/// Parses one SOQL statement. On failure the error carries Salesforce's code (MALFORMED_QUERY,
/// NUMBER_OUTSIDE_VALID_RANGE, QUERY_TOO_COMPLICATED) and message; see README.md for the exact
/// texts and which of them are confirmed from real responses.
ParseResult Parse(std::string_view soql, const ParseOptions& options = {});

/// Salesforce's limit on the length of a SOQL statement, in characters.
inline constexpr std::size_t kMaxSoqlLength = 100000;
/// Fields allowed in GROUP BY ROLLUP(...) / CUBE(...) ("GROUP BY CUBE", SOQL reference).
inline constexpr std::size_t kMaxRollupFields = 3;
/// Maximum OFFSET (SOQL reference, "OFFSET").
inline constexpr std::int64_t kMaxOffset = 2000;
/// Maximum child-to-parent hops in one field path (`Contact.Account.Owner.Name` is 2 from
/// Contact); SOQL reference, "Understanding Relationship Query Limitations".
inline constexpr int kMaxParentHops = 5;
/// Maximum LIMIT when the SELECT list uses FIELDS(ALL) or FIELDS(CUSTOM).
inline constexpr std::int64_t kMaxFieldsLimit = 200;
/// Maximum semi-/anti-join subqueries in one WHERE clause (SOQL reference, "Semi-Joins and
/// Anti-Joins": "No more than two IN or NOT IN statements per WHERE clause").
inline constexpr int kMaxSemiJoins = 2;
/// Nesting depth (parentheses, NOT, subqueries) above which the parser gives up with
/// QUERY_TOO_COMPLICATED instead of recursing further.
inline constexpr int kMaxNesting = 100;

}  // namespace sfkit::soql
