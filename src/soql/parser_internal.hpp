// Entry points of the SOQL parser for the SOSL parser (not for other users): SOSL's RETURNING
// field specs are SOQL (field list, WHERE, ORDER BY, LIMIT, OFFSET), parsed by the same code.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "soql/error.hpp"
#include "soql/sosl_ast.hpp"
#include "soql/token.hpp"

namespace sfkit::soql::detail {

/// Parses `tokens[*index...]` as the inside of a RETURNING item's parentheses and leaves
/// `*index` at the first token it did not use (the `)` when the spec is well formed). Errors
/// carry `code` (MALFORMED_SEARCH) and report columns shifted by `column_adjust` (SOSL reports
/// 0-based columns, see sosl_parser.cpp).
boost::system::result<SearchFieldSpec, SoqlError> ParseSearchFieldSpec(
    std::string_view src,
    const std::vector<Token>& tokens,
    std::size_t* index,
    std::string_view code,
    int column_adjust);

}  // namespace sfkit::soql::detail
