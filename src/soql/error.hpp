// SOQL error values and Salesforce's positioned query-error message layout (wire reference §B.11).
// Shared by the parser (MALFORMED_QUERY) and the binder (INVALID_FIELD, INVALID_TYPE, ...).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "sfkit/core/error.hpp"

namespace sfkit::soql {

/// One query error as the /query resource reports it (HTTP 400, `[{"message","errorCode"}]`).
struct SoqlError {
    std::string code;    ///< MALFORMED_QUERY, INVALID_FIELD, NUMBER_OUTSIDE_VALID_RANGE, ...
    std::string reason;  ///< the last line of the message, e.g. `unexpected token: 'FROM'`
    int row = 0;         ///< 1-based row of the error, 0 when the message carries no position
    int column = 0;      ///< column as reported in `ERROR at Row:R:Column:C`, 0 when none
    std::string
        message;  ///< the full `message` Salesforce sends (echo + caret + position + reason)

    /// The same error as an sfkit::Error (kind kApi, HTTP 400).
    Error ToError() const;

    bool operator==(const SoqlError&) const = default;
};

/// Thrown by `ParseResult::value()` on an error.
class SoqlException : public std::runtime_error {
public:
    explicit SoqlException(SoqlError error);
    const SoqlError& error() const noexcept { return error_; }

private:
    SoqlError error_;
};

/// ADL hook used by boost::system::result<T, SoqlError>::value().
[[noreturn]] void throw_exception_from_error(const SoqlError& e, const boost::source_location& loc);

/// Salesforce's message for a query error at a position (§B.11):
/// `"\n" + echo + "\n" + caret line + "\nERROR at Row:R:Column:C\n" + reason`.
/// `echo` is a window of line `row` of `query` around the error (see README.md for the rule),
/// the caret sits under character `column` (1-based, counted in characters; clamped into the
/// window). Works for any code, so the binder reuses it for INVALID_FIELD / INVALID_TYPE.
std::string FormatQueryErrorMessage(std::string_view query,
                                    int row,
                                    int column,
                                    std::string_view reason);

/// A positioned error: `message` = FormatQueryErrorMessage(query, row, column, reason).
SoqlError MakePositionedError(
    std::string code, std::string_view query, int row, int column, std::string reason);

/// An error whose message is the bare reason (no echo), as Salesforce sends e.g.
/// `Maximum SOQL offset allowed for apiName Account is 2000`.
SoqlError MakePlainError(std::string code, std::string reason);

inline constexpr std::string_view kMalformedQuery = "MALFORMED_QUERY";
inline constexpr std::string_view kQueryTooComplicated = "QUERY_TOO_COMPLICATED";
/// Salesforce's QUERY_TOO_COMPLICATED text (§B.11 [R]).
inline constexpr std::string_view kQueryTooComplicatedMessage =
    "Query is either selecting too many fields or the filter conditions are too complicated.";
inline constexpr std::string_view kNumberOutsideValidRange = "NUMBER_OUTSIDE_VALID_RANGE";

}  // namespace sfkit::soql
