// Request bodies of record writes (create now; update/upsert next): JSON or XML in, typed field
// assignments out, with Salesforce's deserialization and DML validation errors (§B.6, §B.15).
#pragma once

#include <string>
#include <vector>

#include "server/http/message.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

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

/// DML checks for an insert, in Salesforce's order: read-only fields
/// (INVALID_FIELD_FOR_INSERT_UPDATE), required fields (REQUIRED_FIELD_MISSING), then per field
/// STRING_TOO_LONG, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, MALFORMED_ID (reference of the
/// wrong kind) and INVALID_CROSS_REFERENCE_KEY (reference to a missing record of a known object).
/// Normalises reference ids to 18 chars. Throws ApiError 400.
void ValidateInsert(const Schema& schema,
                    RecordStore& store,
                    const ObjectDef& object,
                    std::vector<FieldAssignment>& assignments);

/// Number of Unicode code points in UTF-8 `s` (Salesforce lengths count characters).
std::size_t CodePointCount(std::string_view s);

}  // namespace sfkit::server
