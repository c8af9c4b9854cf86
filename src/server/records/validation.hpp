// DML checks of record writes (wire reference §B.8, §B.15): fields the operation may not write,
// required fields, per-value checks, unique values. No HTTP here; errors are ApiError, which each
// caller renders its own way (REST JSON/XML, a collection's per-record errors, Bulk's
// `CODE:message:fields --` result column).
#pragma once

#include <string>
#include <vector>

#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

class RecordStore;

/// One field set by a write, already converted to the field's type.
struct FieldAssignment {
    const FieldDef* field;
    FieldValue value;
};

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

/// 400 CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY `entity type cannot be inserted: <Label>` unless the
/// object is createable (User, Organization and Profile are not, here).
void RequireCreateable(const ObjectDef& object);
/// The same for updates (`cannot be updated`) and deletes (`cannot be deleted`).
void RequireUpdateable(const ObjectDef& object);
void RequireDeletable(const ObjectDef& object);

/// True when the record's IsDeleted is set (false for objects without IsDeleted).
bool IsDeletedRecord(const ObjectDef& object, const std::vector<FieldValue>& values);

}  // namespace sfkit::server
