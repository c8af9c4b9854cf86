// The Tooling API's record store: writable entities in the org's database, generated ones in
// the node's private store, and the local copy SOQL reads (tooling_store.hpp).
#include "server/tooling/tooling_store.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>

namespace sfkit::server::tooling {
namespace {

/// Every row of `object` (which has IsDeleted: Bootstrap checks) in `store`, deleted ones too,
/// in Id order.
std::vector<RecordValues> AllRows(RecordStore& store, const ObjectDef& object) {
    constexpr auto kAll = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    const FieldDef* id = object.FindField("Id");
    const FieldDef* deleted = object.FindField("IsDeleted");
    std::vector<RecordValues> rows = store.FindBy(object, *deleted, FieldValue(false), true, kAll);
    auto gone = store.FindBy(object, *deleted, FieldValue(true), true, kAll);
    rows.insert(
        rows.end(), std::make_move_iterator(gone.begin()), std::make_move_iterator(gone.end()));
    const std::size_t at = static_cast<std::size_t>(id - object.fields.data());
    std::sort(rows.begin(), rows.end(), [at](const RecordValues& a, const RecordValues& b) {
        return a[at] < b[at];
    });
    return rows;
}

}  // namespace

ToolingStore::ToolingStore(std::unique_ptr<RecordStore> local, std::unique_ptr<RecordStore> shared)
    : local_(std::move(local)), shared_(std::move(shared)) {}

RecordStore& ToolingStore::For(const ObjectDef& object) const {
    return shared_schema_.FindObject(object.name) != nullptr ? *shared_ : *local_;
}

void ToolingStore::Bootstrap(const Schema& schema) {
    local_->Bootstrap(schema);
    for (const ObjectDef* object : schema.Objects()) {
        if (object->flags.createable) {
            if (object->FindField("IsDeleted") == nullptr) {
                // Sync reads all of an entity's rows as those with IsDeleted false or true.
                throw std::logic_error("ToolingStore: writable entity " + object->name +
                                       " has no IsDeleted");
            }
            shared_schema_.Add(*object);
        }
    }
    shared_->Bootstrap(shared_schema_);
}

void ToolingStore::Sync() {
    const std::lock_guard lock(sync_mu_);
    for (const ObjectDef* object : shared_schema_.Objects()) {
        std::vector<RecordValues> rows = AllRows(*shared_, *object);
        std::vector<RecordValues> copy = AllRows(*local_, *object);
        if (rows == copy) {
            continue;
        }
        const std::size_t at =
            static_cast<std::size_t>(object->FindField("Id") - object->fields.data());
        local_->Atomically([&] {
            for (const RecordValues& row : copy) {
                if (auto id = Id::Parse(std::get<std::string>(row[at]))) {
                    local_->Erase(*object, *id);
                }
            }
            for (const RecordValues& row : rows) {
                local_->Put(*object, row);
            }
        });
    }
}

Id ToolingStore::Insert(const ObjectDef& object, RecordValues& values) {
    return For(object).Insert(object, values);
}

Id ToolingStore::NewId(std::string_view key_prefix) {
    return shared_->NewId(key_prefix);
}

void ToolingStore::Put(const ObjectDef& object, const RecordValues& values) {
    For(object).Put(object, values);
}

std::optional<RecordValues> ToolingStore::Find(const ObjectDef& object, const Id& id) {
    return For(object).Find(object, id);
}

std::vector<RecordValues> ToolingStore::RecentlyViewed(const ObjectDef& object, std::size_t limit) {
    return For(object).RecentlyViewed(object, limit);
}

void ToolingStore::Atomically(const std::function<void()>& work) {
    shared_->Atomically(work);
}

void ToolingStore::SetIdPod(std::string pod) {
    local_->SetIdPod(pod);
    shared_->SetIdPod(std::move(pod));
}

void ToolingStore::Savepoint(const std::function<void()>& work) {
    shared_->Savepoint(work);
}

bool ToolingStore::Update(const ObjectDef& object,
                          const Id& id,
                          const std::vector<FieldChange>& changes) {
    return For(object).Update(object, id, changes);
}

void ToolingStore::Erase(const ObjectDef& object, const Id& id) {
    For(object).Erase(object, id);
}

void ToolingStore::LogDeletion(const ObjectDef& object, const Id& id, const std::string& when) {
    For(object).LogDeletion(object, id, when);
}

std::vector<RecordValues> ToolingStore::FindBy(const ObjectDef& object,
                                               const FieldDef& field,
                                               const FieldValue& value,
                                               bool include_deleted,
                                               std::size_t limit) {
    return For(object).FindBy(object, field, value, include_deleted, limit);
}

std::vector<std::string> ToolingStore::ModifiedBetween(const ObjectDef& object,
                                                       const std::string& from,
                                                       const std::string& to) {
    return For(object).ModifiedBetween(object, from, to);
}

std::vector<RecordStore::Deletion> ToolingStore::DeletedBetween(const ObjectDef& object,
                                                                const std::string& from,
                                                                const std::string& to) {
    return For(object).DeletedBetween(object, from, to);
}

std::string ToolingStore::DeleteLogSince() {
    return shared_->DeleteLogSince();
}

std::int64_t ToolingStore::Count(const ObjectDef& object) {
    return For(object).Count(object);
}

RecordStore::WriteStats ToolingStore::Writes() const {
    return shared_->Writes();
}

}  // namespace sfkit::server::tooling
