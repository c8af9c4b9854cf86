// Many rows fast for query tests: Accounts written straight into an on-disk org's database over
// a second connection (the REST API would take seconds per thousand rows in debug builds), on
// the engine the tests run on (OrgDatabase).
#pragma once

#include <string>
#include <vector>

#include "server/org/options.hpp"

namespace sfkit::test {

/// TestOrg options for an on-disk org in `data_dir` (bulk rows need a file to write to).
server::LocalOrgOptions OnDiskOrgOptions(const std::string& data_dir);

/// Inserts `count` Accounts named `<prefix><n>` for n = 1..count, owned and created by
/// `user_id`, in one transaction. Ids use the pod `Bk` so that they never collide with the ids
/// the org hands out itself; returns them (18 characters) in insertion order.
std::vector<std::string> InsertAccounts(const std::string& data_dir,
                                        int count,
                                        const std::string& prefix,
                                        const std::string& user_id);

/// The keys every Bulk 2.0 job JSON starts with, `id` through `apiVersion` (bulk-wire.md §2.3,
/// §3.2), followed by `rest`: the key order tests of ingest and query jobs share it.
std::vector<std::string> BulkJobKeys(const std::vector<std::string>& rest = {});

}  // namespace sfkit::test
