// The Tooling API's record store (docs/tooling.md, docs/architecture.md): the entities clients
// write (SandboxInfo, PlatformEventChannel, PlatformEventChannelMember) are kept in the org's
// database, shared by every node and kept across restarts; the entities generated from the
// org's model stay in a private store of the node, which SOQL reads.
#pragma once

#include <memory>
#include <mutex>

#include "server/storage/record_store.hpp"

namespace sfkit::server::tooling {

/// A RecordStore over two: `shared` for the writable entities (those whose ObjectDef is
/// createable) and `local` for the others. Every record call (create, retrieve, update, delete,
/// uniqueness checks, /updated, /deleted) on a writable entity goes to `shared`, so its ids
/// come from the org's counters (PostgreSQL id blocks: unique across nodes). SOQL and SOSL run
/// on the local database, which holds a copy of the writable entities' rows: Sync() brings it
/// up to date with `shared` and runs before each Tooling call.
class ToolingStore final : public RecordStore {
public:
    ToolingStore(std::unique_ptr<RecordStore> local, std::unique_ptr<RecordStore> shared);

    /// The local store (the generated rows are written straight into it).
    RecordStore& Local() { return *local_; }

    /// Makes the local copies of the writable entities equal to `shared`'s rows (deleted rows
    /// too). When they differ, a writable entity's local table is rewritten in one transaction
    /// in Id order, so that the same rows get the same rowids on every node (query locators
    /// keep rowids and page on any node). When nothing changed it costs two reads of every row
    /// per entity and store (IsDeleted false, then true; the tables are small).
    void Sync();

    // RecordStore: the writable entities to `shared`, the others to `local`. Bootstrap gives
    // `local` the whole schema and `shared` only the writable entities; Atomically and
    // Savepoint are `shared`'s (the writes a Tooling call makes are to writable entities).
    void Bootstrap(const Schema& schema) override;
    Id Insert(const ObjectDef& object, RecordValues& values) override;
    Id NewId(std::string_view key_prefix) override;
    void Put(const ObjectDef& object, const RecordValues& values) override;
    std::optional<RecordValues> Find(const ObjectDef& object, const Id& id) override;
    std::vector<RecordValues> RecentlyViewed(const ObjectDef& object, std::size_t limit) override;
    void Atomically(const std::function<void()>& work) override;
    void SetIdPod(std::string pod) override;
    void Savepoint(const std::function<void()>& work) override;
    bool Update(const ObjectDef& object,
                const Id& id,
                const std::vector<FieldChange>& changes) override;
    void Erase(const ObjectDef& object, const Id& id) override;
    void LogDeletion(const ObjectDef& object, const Id& id, const std::string& when) override;
    std::vector<RecordValues> FindBy(const ObjectDef& object,
                                     const FieldDef& field,
                                     const FieldValue& value,
                                     bool include_deleted,
                                     std::size_t limit) override;
    std::vector<std::string> ModifiedBetween(const ObjectDef& object,
                                             const std::string& from,
                                             const std::string& to) override;
    std::vector<Deletion> DeletedBetween(const ObjectDef& object,
                                         const std::string& from,
                                         const std::string& to) override;
    std::string DeleteLogSince() override;
    std::int64_t Count(const ObjectDef& object) override;
    WriteStats Writes() const override;

private:
    RecordStore& For(const ObjectDef& object) const;

    std::unique_ptr<RecordStore> local_;
    std::unique_ptr<RecordStore> shared_;
    Schema shared_schema_;  ///< the writable entities (set by Bootstrap)
    std::mutex sync_mu_;
};

}  // namespace sfkit::server::tooling
