// Secondary indexes the SOQL engine relies on: every reference field (parent joins, child
// subqueries, semi-joins) and, case-insensitively, the name field and external-id fields (SOQL
// compares text with `=` ignoring case, so those indexes use COLLATE NOCASE).
#pragma once

namespace sfkit::server {

class Database;
class Schema;

/// Creates the missing indexes (idempotent: CREATE INDEX IF NOT EXISTS) in one transaction.
/// Call after RecordStore::Bootstrap.
void EnsureQueryIndexes(Database& db, const Schema& schema);

}  // namespace sfkit::server
