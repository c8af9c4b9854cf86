// Start-up of an org database shared by several sfkit nodes (issue 13): the engine's own
// versioned migrations, and the lock that lets exactly one node at a time create or widen the
// schema while the others wait and then find it done.
#pragma once

#include <string>

namespace sfkit::server {

class Database;

/// Held by a node while it bootstraps the org (engine migrations, every store's tables, the org
/// definition's records). PostgreSQL: a session advisory lock taken on the writer connection, so
/// concurrent first starts of several nodes run one after the other; SQLite: nothing (one
/// server owns the file). Released by the destructor.
class BootstrapLock {
public:
    explicit BootstrapLock(Database& db);
    ~BootstrapLock();
    BootstrapLock(const BootstrapLock&) = delete;
    BootstrapLock& operator=(const BootstrapLock&) = delete;

private:
    Database& db_;
};

/// Applies the engine's migrations that this database has not had yet, each once, in order, in
/// its own transaction, recorded in `sfkit_migration (version, applied_ms)`. PostgreSQL's
/// first migration creates the `sfkit_nocase` collation behind SQLite's COLLATE NOCASE. Takes
/// BootstrapLock itself (it nests). Returns the schema version now in place.
int PrepareEngine(Database& db);

}  // namespace sfkit::server
