// Record storage behind an abstract interface: one typed row per record, addressed by the
// ObjectDef that describes it. The API layer validates and fills system fields; the store only
// persists, allocates ids, and reads back. SQLite is today's engine (sqlite_record_store.cpp).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/core/id.hpp"

#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

class Database;

/// One value per field of the ObjectDef, in definition order; compound fields are null.
using RecordValues = std::vector<FieldValue>;

class RecordStore {
public:
    virtual ~RecordStore() = default;

    /// Creates the tables (and the id counters) for every object of `schema`, and adds columns
    /// for fields that were added since the last start. Indexes every reference and external-id
    /// field; unique fields get a UNIQUE index (case-insensitive unless the field is
    /// case-sensitive), so a duplicate insert fails with SQLITE_CONSTRAINT. Must be called
    /// before any other call; `schema` must outlive the store.
    virtual void Bootstrap(const Schema& schema) = 0;

    /// Allocates the next id of `object`'s key prefix, writes it into the Id slot of `values`,
    /// fills auto-number fields (from the same counter) and Names that default to the Id, and
    /// stores the record, all in one committed transaction: when this returns, the record
    /// survives a crash. Throws StorageError on failure (nothing is stored then).
    virtual Id Insert(const ObjectDef& object, RecordValues& values) = 0;

    /// Inserts or replaces a record whose Id the caller chose (records mirrored from elsewhere,
    /// such as the org's users). The prefix's id counter is raised past that id when it has
    /// this store's pod, so Insert never hands the same id out again.
    virtual void Put(const ObjectDef& object, const RecordValues& values) = 0;

    /// The record with that id, or nullopt.
    virtual std::optional<RecordValues> Find(const ObjectDef& object, const Id& id) = 0;

    /// Records with a LastViewedDate, most recent first (the MRU list behind `recentItems`).
    /// Empty for objects without LastViewedDate.
    virtual std::vector<RecordValues> RecentlyViewed(const ObjectDef& object,
                                                     std::size_t limit) = 0;
};

/// The SQLite engine: table `sobject_<Name>` per object (STRICT, one typed column per stored
/// field), ids from the `record_id_counter` table. `pod` is the 2-char instance part of ids.
std::unique_ptr<RecordStore> MakeSqliteRecordStore(Database& db, std::string pod = "Lo");

}  // namespace sfkit::server
