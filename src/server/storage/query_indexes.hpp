// Secondary indexes the SOQL engine adds to the record store's (which indexes references,
// unique and external-id fields): the name field, case-insensitively, since SOQL compares text
// with `=` ignoring case and queries filter and sort by Name most often.
#pragma once

namespace sfkit::server {

class Database;
class Schema;

/// Creates the missing indexes (idempotent: CREATE INDEX IF NOT EXISTS) in one transaction.
/// Call after RecordStore::Bootstrap.
void EnsureQueryIndexes(Database& db, const Schema& schema);

}  // namespace sfkit::server
