// Request bodies of record writes (create, update, upsert): JSON or XML in, typed field
// assignments out, with Salesforce's deserialization and DML validation errors (§B.6, §B.15).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/http/message.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace sfkit::server {

class ApiError;
class RecordStore;

/// One field set by a request body, already converted to the field's type.
struct FieldAssignment {
    const FieldDef* field;
    FieldValue value;
};

enum class BodyFormat { kJson, kXml };

/// Picks the body format from Content-Type: application/json -> JSON, application/xml or
/// text/xml -> XML, no Content-Type -> JSON. Anything else throws 415 UNSUPPORTED_MEDIA_TYPE
/// "MediaType of '<type>' is not supported by this resource" (§B.0).
BodyFormat RequireBodyFormat(const Request& req);

/// Parses a record body for `object`, in body order, keeping the last of repeated fields.
/// Throws ApiError:
///  - JSON syntax: 400 JSON_PARSER_ERROR with Jackson-like position (codec::ParseJson);
///  - JSON type mismatch: 400 JSON_PARSER_ERROR `Cannot deserialize instance of <type> from
///    <TOKEN> value <v> or request may be missing a required field at [line:L, column:C]`;
///  - XML syntax: 400 XML_PARSER_ERROR (our choice, see the .cpp);
///  - XML type mismatch: 400 INVALID_TYPE_ON_FIELD_IN_RECORD `<Label>: value not of required
///    type: <v>` with `fields`;
///  - unknown field: 400 INVALID_FIELD `No such column '<f>' on sobject of type <Type>`;
///  - `Id` present: 400 INVALID_FIELD `The Id field should not be specified in the sobject data.`
/// An `attributes` member (JSON) is accepted and ignored. Empty strings become null, as in
/// Salesforce.
std::vector<FieldAssignment> ParseRecordBody(const ObjectDef& object,
                                             BodyFormat format,
                                             std::string_view body);

/// One record of a JSON document that holds several (sObject Collections), already parsed:
/// the checks and errors of ParseRecordBody's JSON case, with positions counted in `text` (the
/// whole document; `object_start` is the offset of this record's `{`). With `id` null an `Id`
/// member is refused as in ParseRecordBody; otherwise its value is stored there (absent:
/// nullopt) and not among the assignments.
std::vector<FieldAssignment> ParseJsonRecord(const ObjectDef& object,
                                             const boost::json::object& record,
                                             std::string_view text,
                                             std::size_t object_start,
                                             std::optional<FieldValue>* id);

/// Where the pieces of a valid JSON document are, for Jackson-style positions in messages.
struct JsonSpan {
    std::size_t begin = 0;  ///< first character of the value
    std::size_t end = 0;    ///< just past its last character
};
/// The members of the object whose `{` is at (or after blanks from) `object_start`, by key (the
/// last of repeated keys wins, like the parsed object).
std::unordered_map<std::string, JsonSpan> JsonMembers(std::string_view text,
                                                      std::size_t object_start);
/// The elements of the array whose `[` is at (or after blanks from) `array_start`.
std::vector<JsonSpan> JsonElements(std::string_view text, std::size_t array_start);
/// `[line:L, column:C]` of a byte offset of `text`.
std::string JsonPosition(std::string_view text, std::size_t offset);
/// 400 JSON_PARSER_ERROR `Cannot deserialize instance of <type> from <TOKEN> value <v> or
/// request may be missing a required field at [line:L, column:C]` (§B.6), `offset` being just
/// past the offending value.
ApiError JsonCannotDeserialize(std::string_view type,
                               const boost::json::value& v,
                               std::string_view text,
                               std::size_t offset);

enum class WriteKind { kInsert, kUpdate };

/// DML checks of a record write, in stages; the first stage that fails answers 400:
///  1. fields not createable (insert) / updateable (update): one INVALID_FIELD_FOR_INSERT_UPDATE
///     listing them all (§B.8);
///  2. required fields: absent or null on insert, set to null on update: one
///     REQUIRED_FIELD_MISSING `Required fields are missing: [A, B]`;
///  3. per-field value checks, every failing field reported in the same answer (body order):
///     STRING_TOO_LONG, INVALID_EMAIL_ADDRESS, NUMBER_OUTSIDE_VALID_RANGE,
///     INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, MALFORMED_ID (reference of the wrong kind),
///     INVALID_CROSS_REFERENCE_KEY (missing record), ENTITY_IS_DELETED (deleted record).
/// Normalises values: null checkboxes become false, reference ids 18 chars, numbers rounded to
/// the field's scale.
void ValidateWrite(const Schema& schema,
                   RecordStore& store,
                   const ObjectDef& object,
                   WriteKind kind,
                   std::vector<FieldAssignment>& assignments);

/// DUPLICATE_VALUE for unique fields whose new value another record (live or in the recycle bin,
/// compared like the field's UNIQUE index: case-insensitively unless case-sensitive) holds:
/// `duplicate value found: <Field> duplicates value on record with id: <15-char id>` (§B.15).
/// `self_id` (18-char, may be empty) is the record being updated. Run it inside
/// RecordStore::Atomically together with the write it guards.
void CheckUnique(RecordStore& store,
                 const ObjectDef& object,
                 const std::vector<FieldAssignment>& assignments,
                 const std::string& self_id);

/// Converts URL or XML text to a value of `field`'s type; nullopt when it is not one.
std::optional<FieldValue> ParseFieldText(const FieldDef& field, std::string_view text);

/// True when the record's IsDeleted is set (false for objects without IsDeleted).
bool IsDeletedRecord(const ObjectDef& object, const std::vector<FieldValue>& values);

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
