// SOQL lexer: turns query text into tokens with 1-based row/column, decoding string escapes and
// validating date/datetime literals. Pure function of its input; no allocation beyond the result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "soql/error.hpp"
#include "soql/token.hpp"

namespace sfkit::soql {

/// Splits `soql` into tokens, always ending with one kEnd token. Fails with MALFORMED_QUERY on
/// the first character no token can start with, an unterminated string, a bad escape, or a
/// malformed date/datetime; the message is positioned like Salesforce's (see README.md).
/// Token texts are views into `soql`, which must outlive them.
/// Appends code point `cp` to `out` as UTF-8 (for escapes such as `\u00e9` and for case folding).
void AppendUtf8(std::string& out, std::uint32_t cp);

boost::system::result<std::vector<Token>, SoqlError> Tokenize(std::string_view soql);

/// The same, starting at byte `start` of `text` (rows and columns still count from the start
/// of `text`, and error messages echo it). The SOSL parser tokenizes what follows `FIND {...}`
/// this way: the braces hold free text that is not SOQL.
boost::system::result<std::vector<Token>, SoqlError> Tokenize(std::string_view text,
                                                              std::size_t start);

/// The names of the date literals that take a number (`LAST_N_DAYS` ...), for the lexer's
/// `NAME:n` rule; defined with the other date-literal tables in ast.cpp.
bool IsDateLiteralWithNumber(std::string_view name);

}  // namespace sfkit::soql
