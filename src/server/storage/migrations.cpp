// Engine migrations and the bootstrap lock.
#include "server/storage/migrations.hpp"

#include <chrono>
#include <vector>

#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

/// The advisory lock key of an org's bootstrap ("sfkit" in ASCII): one org per database.
constexpr const char* kBootstrapLockKey = "469853801332";

struct Migration {
    int version;
    const char* sql;  ///< in PostgreSQL's own spelling
};

/// PostgreSQL's migrations, oldest first. Never edit one that has shipped: add the next.
const std::vector<Migration>& PostgresMigrations() {
    static const std::vector<Migration> list = {
        // Salesforce compares text ignoring case; SQLite's NOCASE does it for `=`, ORDER BY and
        // UNIQUE indexes. A nondeterministic ICU collation does the same on PostgreSQL.
        {1,
         "CREATE COLLATION IF NOT EXISTS sfkit_nocase (provider = icu, "
         "locale = 'und-u-ks-level2', deterministic = false)"},
    };
    return list;
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

BootstrapLock::BootstrapLock(Database& db) : db_(db) {
    if (db_.Dialect().Postgres()) {
        Database::Lock lock = db_.Acquire();
        db_.Exec(std::string("SELECT pg_advisory_lock(") + kBootstrapLockKey + ")");
    }
}

BootstrapLock::~BootstrapLock() {
    if (db_.Dialect().Postgres()) {
        try {
            Database::Lock lock = db_.Acquire();
            db_.Exec(std::string("SELECT pg_advisory_unlock(") + kBootstrapLockKey + ")");
        } catch (...) {  // the session's end releases it anyway
        }
    }
}

int PrepareEngine(Database& db) {
    BootstrapLock lock(db);
    {
        Transaction tx(db);
        db.Exec(
            "CREATE TABLE IF NOT EXISTS sfkit_migration (version INTEGER PRIMARY KEY NOT NULL, "
            "applied_ms INTEGER NOT NULL)");
        tx.Commit();
    }
    int current = 0;
    {
        Database::Lock w = db.Acquire();
        Statement st = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM sfkit_migration");
        if (st.Step()) {
            current = static_cast<int>(st.Int(0));
        }
    }
    if (!db.Dialect().Postgres()) {
        return current;
    }
    {
        // Text compares and sorts byte-wise on SQLite (ids, dates, ORDER BY without NOCASE);
        // a database whose default collation is a language's would order them differently.
        Database::Lock w = db.Acquire();
        Statement st =
            db.Prepare("SELECT datcollate FROM pg_database WHERE datname = current_database()");
        const std::string collate = st.Step() ? st.Text(0) : std::string("C");
        if (collate != "C" && collate != "POSIX" && collate.rfind("C.", 0) != 0) {
            throw StorageError(1,
                               "the PostgreSQL database's collation is " + collate +
                                   ": sfkit needs byte-order text (create it with "
                                   "`CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C'`)");
        }
    }
    for (const Migration& m : PostgresMigrations()) {
        if (m.version <= current) {
            continue;
        }
        Transaction tx(db);
        db.Exec(m.sql);
        Statement st =
            db.Prepare("INSERT INTO sfkit_migration (version, applied_ms) VALUES (?, ?)");
        st.Bind(1, std::int64_t{m.version});
        st.Bind(2, NowMs());
        st.Run();
        tx.Commit();
        current = m.version;
    }
    return current;
}

}  // namespace sfkit::server
