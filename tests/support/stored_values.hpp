// Whether an on-disk test org stores a value (a secret that must never reach its database in
// plain text, or a setting that must), on either engine: on SQLite the bytes of the org's
// files (`org.db` and its write-ahead log, so freed pages and not yet checkpointed writes count
// too); on PostgreSQL (TestOrgsOnPostgres) every text, JSON and bytea column of every table in
// the org's scratch schema (OrgDatabase), as stored values.
#pragma once

#include <string>
#include <vector>

namespace sfkit::test {

/// Where the org of `data_dir` stores `needle`: "org.db" / "org.db-wal" on SQLite,
/// "table.column" on PostgreSQL; empty when nowhere. `needle` must not be empty.
std::vector<std::string> WhereStored(const std::string& data_dir, const std::string& needle);

/// The places WhereStored names, joined for a test's failure message.
std::string Places(const std::vector<std::string>& places);

}  // namespace sfkit::test
