// Request bodies of record writes (create, update, upsert): JSON or XML in, typed field
// assignments out, with Salesforce's deserialization errors (§B.6). The writes themselves, their
// DML checks and the text-to-value conversion live in server/records/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/http/message.hpp"
#include "server/records/field_text.hpp"
#include "server/records/validation.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace sfkit::server {

class ApiError;

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

/// Whether the request's Content-Type is multipart/form-data (the blob-field create).
bool IsMultipartBody(const Request& req);

/// A multipart/form-data record body (REST guide "Insert or Update Blob Data" [D]): one part
/// with Content-Type application/json holds the record (any part name: entity_document,
/// entity_content, ...), and each part named after a base64 field of `object` (Body,
/// VersionData) holds that field's raw bytes, which become the field's value. 400
/// JSON_PARSER_ERROR without a record part or with a malformed multipart body; a binary part
/// that names no base64 field of the object: 400 INVALID_FIELD.
std::vector<FieldAssignment> ParseMultipartRecordBody(const ObjectDef& object, const Request& req);

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

}  // namespace sfkit::server
