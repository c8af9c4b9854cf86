// Records every org has from its first start: the Organization row, the profiles and users
// (mirrored from the auth tables whenever AuthService publishes its directory, with the ids auth
// issued) and the standard price book. They are ordinary rows of the sObject tables, so REST
// reads and SOQL see them like any other record.
#pragma once

#include "server/auth/directory.hpp"

namespace sfkit::server {

class Database;
class RecordStore;
class Schema;

class OrgRecords final : public DirectorySink {
public:
    OrgRecords(Database& db, const Schema& schema, RecordStore& store)
        : db_(db), schema_(schema), store_(store) {}

    /// Writes the Organization, Profile and User records (insert or replace) and creates the
    /// standard price book once.
    void Publish(const DirectorySnapshot& snapshot) override;
    /// Stores the session (`work`) and User.LastLoginDate in one group-committed write.
    void RecordLogin(const std::string& user_id,
                     std::int64_t when_ms,
                     const std::function<void()>& work) override;

private:
    void EnsureStandardPricebook(const DirectorySnapshot& snapshot);

    Database& db_;
    const Schema& schema_;
    RecordStore& store_;
};

}  // namespace sfkit::server
