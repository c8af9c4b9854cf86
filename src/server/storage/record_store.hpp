// Record storage behind an abstract interface: one typed row per record, addressed by the
// ObjectDef that describes it. The API layer validates and fills system fields; the store only
// persists, allocates ids, and reads back. SQLite is today's engine (sqlite_record_store.cpp).
// Reads (Find, FindBy, RecentlyViewed, Count, ModifiedBetween, DeletedBetween, DeleteLogSince)
// run on the database's read connections and never wait for writers; inside Atomically (or any
// write transaction) they run on the writer and see the transaction's own writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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

    /// Allocates the next id of a key prefix that no object stores (Bulk job ids `750`, batch
    /// ids `751`, result ids `752`) from the same durable counters as record ids, so an id is
    /// never handed out twice, across restarts too. Joins an enclosing transaction.
    virtual Id NewId(std::string_view key_prefix) = 0;

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

    // ---- writes after insert, and the reads that validation and replication need ----------
    // A record is "live" when its IsDeleted is false (objects without IsDeleted have only live
    // rows). Datetimes are the canonical text `2011-07-07T00:37:00.000+0000`, which sorts
    // chronologically as text.

    /// Runs `work` as one write transaction: store calls made inside it join the transaction,
    /// which commits (durably) before this returns, and is rolled back if `work` throws (the
    /// exception is rethrown here). Use it to make a check (uniqueness, references) and the write
    /// it guards atomic. Concurrent callers may share one commit (group commit), and `work` may
    /// run on another caller's thread; it must not rely on thread-local state. Never call it
    /// while holding the database lock (Database::Acquire or a Transaction): the thread running
    /// the group needs that lock, so waiting for it while holding the lock deadlocks.
    virtual void Atomically(const std::function<void()>& work) = 0;

    /// The 2-character instance part of new ids (characters 4-5, as in `001Dn00000AbCdE`): the
    /// org's own, so that records and the org id look alike as on Salesforce. Set once at start,
    /// before any request is served.
    virtual void SetIdPod(std::string pod) = 0;

    /// Only inside Atomically: runs `work` as a unit of its own. When `work` throws, the writes it
    /// made are undone (the writes made before it in the enclosing transaction stay) and the
    /// exception is rethrown; otherwise its writes become part of the enclosing transaction. Lets
    /// one transaction hold several independent pieces, such as the records of a collection
    /// request that may fail one by one. Throws std::logic_error when called outside Atomically.
    virtual void Savepoint(const std::function<void()>& work) = 0;

    /// One field of a record to overwrite: index into ObjectDef::fields, and the new value.
    using FieldChange = std::pair<std::size_t, FieldValue>;

    /// Overwrites `changes` in record `id` (committed on return, or as part of Atomically).
    /// Returns false when there is no row with that id.
    virtual bool Update(const ObjectDef& object,
                        const Id& id,
                        const std::vector<FieldChange>& changes) = 0;

    /// Removes the row for good (for objects that have no IsDeleted field).
    virtual void Erase(const ObjectDef& object, const Id& id) = 0;

    /// Adds `id` to the delete log (what /deleted reports) with its deletion time.
    virtual void LogDeletion(const ObjectDef& object, const Id& id, const std::string& when) = 0;

    /// Records whose `field` equals `value`, in id order, at most `limit`. Text compares
    /// ASCII-case-insensitively unless the field is case_sensitive (Id and references, stored as
    /// 18-char ids, compare exactly). Served by the field's index where it has one.
    virtual std::vector<RecordValues> FindBy(const ObjectDef& object,
                                             const FieldDef& field,
                                             const FieldValue& value,
                                             bool include_deleted,
                                             std::size_t limit) = 0;

    /// Ids (18-char) of live records whose SystemModstamp (LastModifiedDate when the object has
    /// no SystemModstamp) lies in [from, to), oldest change first.
    virtual std::vector<std::string> ModifiedBetween(const ObjectDef& object,
                                                     const std::string& from,
                                                     const std::string& to) = 0;

    struct Deletion {
        std::string id;            ///< 18-char
        std::string deleted_date;  ///< canonical datetime
    };
    /// Delete-log entries of `object` with a deletion time in [from, to), oldest first.
    virtual std::vector<Deletion> DeletedBetween(const ObjectDef& object,
                                                 const std::string& from,
                                                 const std::string& to) = 0;

    /// Since when the delete log is complete: the first Bootstrap of this database.
    virtual std::string DeleteLogSince() = 0;

    /// Number of live records of `object`.
    virtual std::int64_t Count(const ObjectDef& object) = 0;

    /// Write transactions asked of the store (each Atomically call and each write made outside
    /// one) and the COMMITs that made them durable (one fsync each): with concurrent writers the
    /// group commit makes commits < transactions.
    struct WriteStats {
        std::uint64_t transactions = 0;
        std::uint64_t commits = 0;
    };
    virtual WriteStats Writes() const = 0;
};

/// The SQLite engine: table `sobject_<Name>` per object (STRICT, one typed column per stored
/// field), ids from the `record_id_counter` table. `pod` is the 2-char instance part of ids.
std::unique_ptr<RecordStore> MakeSqliteRecordStore(Database& db, std::string pod = "Lo");

}  // namespace sfkit::server
