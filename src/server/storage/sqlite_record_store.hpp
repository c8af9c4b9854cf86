// The SQLite engine's RecordStore with its tables' names chosen (record_store.hpp).
#pragma once

#include <memory>
#include <string>

#include "server/storage/record_store.hpp"

namespace sfkit::server {

/// MakeSqliteRecordStore with table `<table_prefix><Name>` per object (and its indexes named
/// likewise) instead of `sobject_<Name>`: several stores can then share one database (the
/// Tooling API's writable entities beside the org's records). Only `sobject_` tables are read
/// by the query engine. The stores share the id counters and the delete log, which are keyed
/// by key prefix (each key prefix belongs to one store).
std::unique_ptr<RecordStore> MakeSqliteRecordStore(Database& db,
                                                   std::string pod,
                                                   std::string table_prefix);

}  // namespace sfkit::server
