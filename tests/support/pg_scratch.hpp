// PostgreSQL for the tests (issue 13): SFKIT_TEST_PG names a server the tests may use (a libpq
// URI), or SFKIT_TEST_PG_FILE a file holding it (the CTest fixture that starts a throwaway
// cluster with scripts/pg-cluster.sh writes one; tests/CMakeLists.txt). Each
// PgScratch is a fresh schema on that server, dropped at the end, and Target() is a connection
// target whose search_path is that schema: tests never see each other's tables.
// Without a server the PostgreSQL tests are skipped, visibly (kNoPgServer).
#pragma once

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include "server/storage/database.hpp"
#include "server/storage/migrations.hpp"

namespace sfkit::test {

/// Why a PostgreSQL test is skipped (GTEST_SKIP() << kNoPgServer): skipped, never passed.
inline constexpr const char* kNoPgServer =
    "SFKIT_TEST_PG / SFKIT_TEST_PG_FILE name no PostgreSQL server: skipped (ctest starts one "
    "when Debian's postgresql is installed; scripts/pg-cluster.sh)";

/// The server named by SFKIT_TEST_PG, else the URI in the file named by SFKIT_TEST_PG_FILE
/// (written by the CTest fixture `pg_cluster_start`), or nullopt.
inline std::optional<std::string> PgTestServer() {
    const char* uri = std::getenv("SFKIT_TEST_PG");
    if (uri != nullptr && *uri != '\0') {
        return std::string(uri);
    }
    const char* file = std::getenv("SFKIT_TEST_PG_FILE");
    if (file != nullptr && *file != '\0') {
        std::ifstream in(file);
        std::string line;
        if (in && std::getline(in, line) && !line.empty()) {
            return line;
        }
    }
    return std::nullopt;
}

class PgScratch {
public:
    explicit PgScratch(const std::string& server) : server_(server) {
        static std::atomic<int> seq{0};
        schema_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(seq.fetch_add(1));
        server::Database admin(server_);
        admin.Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
        target_ = server_ + (server_.find('?') == std::string::npos ? "?" : "&") +
                  "options=-csearch_path%3D" + schema_;
    }
    ~PgScratch() {
        try {
            server::Database admin(server_);
            admin.Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
        } catch (...) {  // the cluster may already be gone; it is thrown away anyway
        }
    }
    PgScratch(const PgScratch&) = delete;
    PgScratch& operator=(const PgScratch&) = delete;

    /// A connection target (libpq URI) whose tables live in this scratch schema.
    const std::string& Target() const { return target_; }
    const std::string& Schema() const { return schema_; }

private:
    std::string server_;
    std::string schema_;
    std::string target_;
};

/// A Database on a scratch schema of its own, the engine's migrations applied: what a test of
/// the storage layer on PostgreSQL starts from.
class PgTestDatabase {
public:
    explicit PgTestDatabase(const std::string& server) : scratch_(server), db_(scratch_.Target()) {
        server::PrepareEngine(db_);
    }
    server::Database& Db() { return db_; }
    const PgScratch& Scratch() const { return scratch_; }

private:
    PgScratch scratch_;
    server::Database db_;
};

}  // namespace sfkit::test
