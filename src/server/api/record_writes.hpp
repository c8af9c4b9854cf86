// Record writes shared by the single-record resources (record_handlers.cpp) and sObject
// Collections (collection_handlers.cpp): insert, update and delete with Salesforce's validation,
// derived values, audit fields and cascades (wire reference §B.6-B.9). Each one is atomic: it
// runs inside RecordStore::Atomically (joining an enclosing one), so the checks it makes still
// hold when its writes land, and it is durable on return unless an enclosing call is running.
#pragma once

#include <string>
#include <vector>

#include "sfkit/core/id.hpp"

#include "server/api/record_input.hpp"
#include "server/api/sobject_handlers.hpp"
#include "server/http/api_error.hpp"

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

}  // namespace sfkit::server
