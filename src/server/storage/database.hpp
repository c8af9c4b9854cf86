// A thin RAII layer over one SQLite connection (WAL mode), shared by every store of the org.
// All access is serialised by the Database's mutex: take a Database::Lock (or a Transaction)
// around each use. Errors throw StorageError; callers turn them into 500s.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

struct sqlite3;
struct sqlite3_stmt;

namespace sfkit::server {

class StorageError : public std::runtime_error {
public:
    StorageError(int code, const std::string& what) : std::runtime_error(what), code(code) {}
    int code;  ///< SQLite result code
};

/// A value bound to or read from a statement column.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    /// Binds by 1-based index.
    Statement& Bind(int index, const SqlValue& v);
    Statement& Bind(int index, std::string_view text);
    Statement& Bind(int index, const std::string& text) {
        return Bind(index, std::string_view(text));
    }
    Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
    Statement& Bind(int index, std::int64_t n);
    Statement& BindNull(int index);
    /// Steps once. Returns true when a row is available.
    bool Step();
    /// Runs to completion (for INSERT/UPDATE/DDL).
    void Run();
    void Reset();

    int ColumnCount() const;
    bool IsNull(int col) const;
    std::int64_t Int(int col) const;
    double Double(int col) const;
    std::string Text(int col) const;
    SqlValue Value(int col) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
    /// Opens (creating if needed) the database at `path`; ":memory:" gives a private in-memory
    /// database. Sets WAL, synchronous=FULL (no acknowledged write is lost), foreign keys on.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    using Lock = std::unique_lock<std::recursive_mutex>;
    /// Serialises use of the connection; hold it while using statements.
    Lock Acquire() { return Lock(mu_); }

    /// Executes one or more statements without results. Caller holds the lock.
    void Exec(std::string_view sql);
    Statement Prepare(std::string_view sql);
    std::int64_t LastInsertRowid() const;
    std::int64_t Changes() const;
    sqlite3* Raw() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::recursive_mutex mu_;
};

/// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless Commit() was called.
/// Holds the database lock for its lifetime. Nested transactions become no-ops.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void Commit();

private:
    Database& db_;
    Database::Lock lock_;
    bool owns_ = false;
    bool done_ = false;
};

}  // namespace sfkit::server
