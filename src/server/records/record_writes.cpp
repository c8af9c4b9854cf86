// Record writes shared by the REST resources, sObject Collections, composite requests and Bulk:
// insert, update, delete and upsert with Salesforce's validation, derived values, audit fields
// and cascades (wire reference §B.6-B.9).
#include "server/records/record_writes.hpp"

#include <algorithm>

#include "server/schema/derived_fields.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

const std::string& RecordIdText(const RecordValues& values) {
    static const std::string kEmpty;
    const auto* s = std::get_if<std::string>(&values[0]);
    return s != nullptr ? *s : kEmpty;
}

ApiError EntityIsDeleted() {
    return ApiError::WithFields(404, "ENTITY_IS_DELETED", "entity is deleted", {});
}

RecordValues RequireLiveRecord(const SObjectContext& ctx, const ObjectDef& object, const Id& id) {
    auto record = ctx.store.Find(object, id);
    if (!record) {
        throw NotFound();
    }
    if (IsDeletedRecord(object, *record)) {
        throw EntityIsDeleted();
    }
    return std::move(*record);
}

namespace {

/// Runs a store write whose unique values CheckUnique has already cleared. Should the field's
/// UNIQUE index still refuse it (SQLITE_CONSTRAINT), the answer is DUPLICATE_VALUE all the same,
/// never a 500: `written` (the stored values of the unique fields, 18-char id of the record or
/// empty) is checked again to name the record that holds the value.
template <typename Write>
auto GuardUnique(const SObjectContext& ctx,
                 const ObjectDef& object,
                 const std::vector<FieldAssignment>& written,
                 const std::string& self_id,
                 Write&& write) {
    try {
        return write();
    } catch (const StorageError& e) {
        constexpr int kSqliteConstraint = 19;  // SQLITE_CONSTRAINT (primary result code)
        if ((e.code & 0xff) != kSqliteConstraint) {
            throw;
        }
        CheckUnique(ctx.store, object, written, self_id);  // throws DUPLICATE_VALUE
        throw;
    }
}

/// The unique fields among `values` (one per field of `object`), as assignments for CheckUnique.
std::vector<FieldAssignment> UniqueValues(const ObjectDef& object, const RecordValues& values) {
    std::vector<FieldAssignment> out;
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].unique && !IsNull(values[i])) {
            out.push_back({&object.fields[i], values[i]});
        }
    }
    return out;
}

/// The full row of a new record: checkbox defaults, the body's values, derived values (picklist
/// defaults, Name from its parts, ...), system fields.
RecordValues NewRecordValues(const std::string& user_id,
                             const ObjectDef& object,
                             const std::vector<FieldAssignment>& assignments) {
    RecordValues values(object.fields.size());
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].default_boolean) {
            values[i] = *object.fields[i].default_boolean;
        }
    }
    std::vector<bool> assigned(object.fields.size(), false);
    for (const auto& a : assignments) {
        const std::size_t i = object.IndexOf(*a.field);
        values[i] = a.value;
        assigned[i] = true;
    }
    // System fields (§0.1 formats): one timestamp for all three dates of a create.
    const std::string now = NowDateTime();
    ComputeDerivedFields(object, values, assigned, /*is_insert=*/true, now);
    const std::string& user = user_id;
    const auto set = [&](std::string_view name, FieldValue v, bool only_if_null = false) {
        if (const FieldDef* f = object.FindField(name)) {
            FieldValue& slot = values[object.IndexOf(*f)];
            if (!only_if_null || IsNull(slot)) {
                slot = std::move(v);
            }
        }
    };
    set("IsDeleted", false);
    set("CreatedDate", now);
    set("LastModifiedDate", now);
    set("SystemModstamp", now);
    set("CreatedById", user);
    set("LastModifiedById", user);
    set("OwnerId", user, /*only_if_null=*/true);
    return values;
}

}  // namespace

std::string InsertRecord(const SObjectContext& ctx,
                         const std::string& user_id,
                         const ObjectDef& object,
                         std::vector<FieldAssignment> assignments) {
    RequireCreateable(object);
    std::string id;
    // Validation reads (references, unique values) and the insert form one transaction, so
    // what was checked is still true when the record is written.
    ctx.store.Atomically([&] {
        ValidateWrite(ctx.schema, ctx.store, object, WriteKind::kInsert, assignments);
        CheckUnique(ctx.store, object, assignments, {});
        RecordValues values = NewRecordValues(user_id, object, assignments);
        // The store assigns the Id, auto numbers and Names that default to the Id.
        id = GuardUnique(ctx, object, UniqueValues(object, values), {}, [&] {
            return ctx.store.Insert(object, values).Str18();
        });
    });
    return id;
}

namespace {

/// The audit fields every update and delete sets (§B.8: LastModifiedDate/ById, SystemModstamp).
void AddAuditChanges(const ObjectDef& object,
                     const std::string& now,
                     const std::string& user,
                     std::vector<RecordStore::FieldChange>& changes) {
    const auto set = [&](std::string_view name, const std::string& value) {
        if (const FieldDef* f = object.FindField(name)) {
            changes.emplace_back(object.IndexOf(*f), FieldValue{value});
        }
    };
    set("LastModifiedDate", now);
    set("LastModifiedById", user);
    set("SystemModstamp", now);
}

}  // namespace

void UpdateRecord(const SObjectContext& ctx,
                  const std::string& user_id,
                  const ObjectDef& object,
                  const Id& id,
                  std::vector<FieldAssignment> assignments) {
    RequireUpdateable(object);
    ctx.store.Atomically([&] {
        // 404 NOT_FOUND / ENTITY_IS_DELETED
        const RecordValues stored = RequireLiveRecord(ctx, object, id);
        ValidateWrite(ctx.schema, ctx.store, object, WriteKind::kUpdate, assignments);
        CheckUnique(ctx.store, object, assignments, id.Str18());
        // Derived values are computed over the whole record, the stored values with the body's
        // on top (a new StageName re-defaults Probability, sets LastStageChangeDate, ...).
        RecordValues values = stored;
        std::vector<bool> assigned(object.fields.size(), false);
        for (const auto& a : assignments) {
            const std::size_t i = object.IndexOf(*a.field);
            values[i] = a.value;
            assigned[i] = true;
        }
        const std::string now = NowDateTime();
        ComputeDerivedFields(object, values, assigned, /*is_insert=*/false, now);
        std::vector<RecordStore::FieldChange> changes;
        std::vector<FieldAssignment> unique_written;
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (assigned[i] || values[i] != stored[i]) {
                changes.emplace_back(i, values[i]);
                if (object.fields[i].unique && !IsNull(values[i])) {
                    unique_written.push_back({&object.fields[i], values[i]});
                }
            }
        }
        AddAuditChanges(object, now, user_id, changes);
        const bool found = GuardUnique(ctx, object, unique_written, id.Str18(), [&] {
            return ctx.store.Update(object, id, changes);
        });
        if (!found) {
            throw NotFound();
        }
    });
}

namespace {

std::string RecordName(const ObjectDef& object, const RecordValues& values) {
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].name_field) {
            if (const auto* s = std::get_if<std::string>(&values[i])) {
                return *s;
            }
        }
    }
    return RecordIdText(values);
}

/// Contracts and orders are deleted with their account unless activated; an activated one
/// blocks the delete. That is what a reference with both cascade_delete and restricted_delete
/// means (standard_sales.cpp).
bool IsActivated(const ObjectDef& object, const RecordValues& values) {
    const FieldDef* status = object.FindField("Status");
    if (status == nullptr) {
        return false;
    }
    const auto* s = std::get_if<std::string>(&values[object.IndexOf(*status)]);
    return s != nullptr && *s == "Activated";
}

/// Deletes a live record inside the caller's transaction, walking the schema's child
/// relationships: children whose reference has cascade_delete (master-detail, and the standard
/// relationships Salesforce cascades, such as an account's contacts and opportunities) go too, a
/// child whose reference has restricted_delete (an account's cases) blocks the delete, and other
/// lookups to the record are cleared (Salesforce's default "clear the value of this field").
void DeleteTree(const SObjectContext& ctx,
                const ObjectDef& object,
                const RecordValues& record,
                const std::string& now,
                const std::string& user) {
    const std::string id18 = RecordIdText(record);
    const Id id = *Id::Parse(id18);
    // The record goes first, so that cycles of references (a record pointing at itself or at a
    // descendant) end: deleted rows are not found as children again. A failure further down
    // rolls the whole delete back (it runs in one transaction).
    const FieldDef* is_deleted = object.FindField("IsDeleted");
    if (is_deleted == nullptr) {
        ctx.store.Erase(object, id);
    } else {
        std::vector<RecordStore::FieldChange> changes = {{object.IndexOf(*is_deleted), true}};
        AddAuditChanges(object, now, user, changes);
        ctx.store.Update(object, id, changes);
    }
    ctx.store.LogDeletion(object, id, now);

    for (const ChildRelationship& rel : ctx.schema.ChildRelationships(object)) {
        const ObjectDef& child_object = *rel.child;
        const FieldDef& f = *rel.field;
        const auto children = ctx.store.FindBy(child_object, f, FieldValue{id18}, false, 100000);
        if (children.empty()) {
            continue;
        }
        if (rel.restricted_delete) {
            std::string names;
            for (const auto& c : children) {
                if (!rel.cascade_delete || IsActivated(child_object, c)) {
                    names += (names.empty() ? "" : ", ") + RecordName(child_object, c);
                }
            }
            if (!names.empty()) {
                throw ApiError::WithFields(
                    400,
                    "DELETE_FAILED",
                    "Your attempt to delete " + RecordName(object, record) +
                        " could not be completed because it is associated with the following " +
                        ToLowerAscii(child_object.label_plural) + ".: " + names,
                    {});
            }
        }
        for (const auto& c : children) {
            if (rel.cascade_delete) {
                DeleteTree(ctx, child_object, c, now, user);
            } else {
                ctx.store.Update(child_object,
                                 *Id::Parse(RecordIdText(c)),
                                 {{child_object.IndexOf(f), FieldValue{}}});
            }
        }
    }
}

}  // namespace

void DeleteRecord(const SObjectContext& ctx,
                  const std::string& user_id,
                  const ObjectDef& object,
                  const Id& id) {
    RequireDeletable(object);
    const std::string now = NowDateTime();
    ctx.store.Atomically([&] {
        const RecordValues record = RequireLiveRecord(ctx, object, id);
        DeleteTree(ctx, object, record, now, user_id);
    });
}

UpsertOutcome UpsertRecord(const SObjectContext& ctx,
                           const std::string& user_id,
                           const ObjectDef& object,
                           const FieldDef& field,
                           const FieldValue& key,
                           std::vector<FieldAssignment> assignments) {
    UpsertOutcome out;
    ctx.store.Atomically([&] {
        const auto matches = ctx.store.FindBy(object, field, key, false, 10);
        if (matches.size() > 1) {
            std::string list;
            for (const auto& m : matches) {
                list += (list.empty() ? "" : ", ") + RecordIdText(m);
            }
            throw ApiError::WithFields(
                400,
                "DUPLICATE_EXTERNAL_ID",
                field.label + ": more than one record found for external id field: [" + list + "]",
                {field.name});
        }
        if (matches.size() == 1) {
            const Id id = *Id::Parse(RecordIdText(matches[0]));
            UpdateRecord(ctx, user_id, object, id, std::move(assignments));
            out = {id.Str18(), false};
            return;
        }
        const bool keyed = std::any_of(assignments.begin(),
                                       assignments.end(),
                                       [&](const FieldAssignment& a) { return a.field == &field; });
        if (!keyed) {
            assignments.push_back({&field, key});
        }
        out = {InsertRecord(ctx, user_id, object, std::move(assignments)), true};
    });
    return out;
}

}  // namespace sfkit::server
