// Direct Account inserts for query tests (see bulk_rows.hpp).
#include "support/bulk_rows.hpp"

#include <filesystem>

#include "sfkit/core/id.hpp"

#include "server/storage/database.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {

server::LocalOrgOptions OnDiskOrgOptions(const std::string& data_dir) {
    server::LocalOrgOptions o = TestOrg::DefaultOptions();
    o.in_memory = false;
    o.data_dir = data_dir;
    return o;
}

std::vector<std::string> InsertAccounts(const std::string& data_dir,
                                        int count,
                                        const std::string& prefix,
                                        const std::string& user_id) {
    server::Database db(OrgDatabase(data_dir));
    auto lock = db.Acquire();
    // The org's own connection keeps working meanwhile (WAL); it sees the rows once committed.
    db.Exec("BEGIN IMMEDIATE");
    server::Statement insert = db.Prepare(
        "INSERT INTO sobject_Account (Id, IsDeleted, Name, OwnerId, CreatedById, "
        "LastModifiedById, CreatedDate, LastModifiedDate, SystemModstamp) VALUES (?, 0, ?, ?, ?, "
        "?, '2024-01-01T00:00:00.000+0000', '2024-01-01T00:00:00.000+0000', "
        "'2024-01-01T00:00:00.000+0000')");
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(count));
    for (int n = 1; n <= count; ++n) {
        ids.push_back(Id::Make("001", "Bk", static_cast<std::uint64_t>(n)).Str18());
        insert.Bind(1, ids.back())
            .Bind(2, prefix + std::to_string(n))
            .Bind(3, user_id)
            .Bind(4, user_id)
            .Bind(5, user_id);
        insert.Run();
        insert.Reset();
    }
    db.Exec("COMMIT");
    return ids;
}

std::vector<std::string> BulkJobKeys(const std::vector<std::string>& rest) {
    std::vector<std::string> keys = {"id",
                                     "operation",
                                     "object",
                                     "createdById",
                                     "createdDate",
                                     "systemModstamp",
                                     "state",
                                     "concurrencyMode",
                                     "contentType",
                                     "apiVersion"};
    keys.insert(keys.end(), rest.begin(), rest.end());
    return keys;
}

}  // namespace sfkit::test
