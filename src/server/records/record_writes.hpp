// Record writes shared by the single-record resources (api/record_handlers.cpp), sObject
// Collections (api/collection_handlers.cpp), composite requests and Bulk: insert, update, delete
// and upsert by external id with Salesforce's validation, derived values, audit fields and
// cascades (wire reference §B.6-B.9). Nothing here knows HTTP: errors are ApiError, which each
// caller renders its own way. Each write is atomic: it
// runs inside RecordStore::Atomically (joining an enclosing one), so the checks it makes still
// hold when its writes land, and it is durable on return unless an enclosing call is running.
#pragma once

#include <string>
#include <vector>

#include "sfkit/core/id.hpp"

#include "server/http/api_error.hpp"
#include "server/records/record_context.hpp"
#include "server/records/validation.hpp"

namespace sfkit::server {

/// The 18-char id in a record's Id slot, "" when unset.
const std::string& RecordIdText(const RecordValues& values);

/// A write to a record in the recycle bin (§B.9): 404 ENTITY_IS_DELETED "entity is deleted"
/// with an empty `fields`.
ApiError EntityIsDeleted();

/// A record that exists and is not deleted: throws 404 NOT_FOUND when there is no such record,
/// EntityIsDeleted() when it is in the recycle bin.
RecordValues RequireLiveRecord(const SObjectContext& ctx, const ObjectDef& object, const Id& id);

/// Validates (createable object, ValidateWrite, CheckUnique) and inserts a record with its
/// defaults, derived values and system fields, written by `user_id`. Returns the 18-char id.
std::string InsertRecord(const SObjectContext& ctx,
                         const std::string& user_id,
                         const ObjectDef& object,
                         std::vector<FieldAssignment> assignments);

/// Validates and applies an update of the live record `id` (RequireLiveRecord's errors when it
/// is not one), recomputing derived values and setting the audit fields.
void UpdateRecord(const SObjectContext& ctx,
                  const std::string& user_id,
                  const ObjectDef& object,
                  const Id& id,
                  std::vector<FieldAssignment> assignments);

/// Deletes the live record `id` (soft delete into the recycle bin where the object has
/// IsDeleted) and what hangs on it: cascade-delete children go too, restricted-delete children
/// block it (400 DELETE_FAILED), other lookups to it are cleared.
void DeleteRecord(const SObjectContext& ctx,
                  const std::string& user_id,
                  const ObjectDef& object,
                  const Id& id);

/// What an upsert did: the record's 18-char id, and whether it was inserted.
struct UpsertOutcome {
    std::string id;
    bool created = false;
};

/// Upsert by the external-id `field` (sObject Collections upsert, Bulk upsert): updates the one
/// record whose `field` holds `key` with `assignments`, or inserts a record with them when none
/// does (`field` = `key` is added when `assignments` does not set it). More than one match is
/// 400 DUPLICATE_EXTERNAL_ID `<Label>: more than one record found for external id field: [ids]`
/// with fields [field] (SOAP upsert's text). Atomic, like the other writes.
UpsertOutcome UpsertRecord(const SObjectContext& ctx,
                           const std::string& user_id,
                           const ObjectDef& object,
                           const FieldDef& field,
                           const FieldValue& key,
                           std::vector<FieldAssignment> assignments);

}  // namespace sfkit::server
