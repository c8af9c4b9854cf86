// Text to typed field values (a URL segment, an XML element's text, a JSON string, a CSV cell),
// and the number and text helpers every record write shares. No HTTP here: the REST handlers,
// sObject Collections and Bulk all call it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

/// Converts text to a value of `field`'s type; nullopt when it is not one. Empty text is null
/// for every type (Salesforce: an empty string is a null). Booleans `true`/`false` in any case,
/// integers with an optional `+`, numbers in plain or scientific decimal notation, dates
/// `YYYY-MM-DD`, datetimes in the ISO-8601 forms NormalizeDateTime accepts, times `HH:MM[:SS]`.
std::optional<FieldValue> ParseFieldText(const FieldDef& field, std::string_view text);

/// The text of a text value; "" for null, booleans and numbers.
std::string TextOf(const FieldValue& value);

/// The email shape Salesforce accepts: `local@label.label[...]`.
bool IsValidEmail(std::string_view text);

/// Fits a number into its field: int `digits`, or `precision`/`scale` for double, currency and
/// percent (rounded half away from zero to `scale` fraction digits). nullopt when the value has
/// more integer digits than the field allows (NUMBER_OUTSIDE_VALID_RANGE).
std::optional<FieldValue> FitNumber(const FieldDef& field, const FieldValue& value);

/// A number as Salesforce echoes it in messages (`42`, `1.0E19`).
std::string NumberText(const FieldValue& value);

/// Number of Unicode code points in UTF-8 `s` (Salesforce lengths count characters).
std::size_t CodePointCount(std::string_view s);

}  // namespace sfkit::server
