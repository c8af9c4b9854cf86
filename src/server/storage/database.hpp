// A thin RAII layer over SQLite (WAL mode), shared by every store of the org: one writer
// connection and a pool of read-only connections. Errors throw StorageError; callers turn them
// into 500s (ReadLimitExceeded into QUERY_TIMEOUT).
//
// Threading rules:
//  * Writes go through the one writer connection. Take a Database::Lock (Acquire) or a
//    Transaction around each use; the lock is recursive and serialises all writers.
//  * Reads take a Database::Reader (Read()). A reader is one read-only connection of the pool,
//    leased by one thread until the Reader is destroyed; it never waits for the writer lock or
//    for other readers, and sees the last committed state (WAL snapshot). Read(kSnapshot) keeps
//    one read transaction for the whole lease, so several statements see the same state.
//  * A thread that holds the writer lock (inside a Transaction or RecordStore::Atomically) gets
//    the writer connection from Read(): reads that guard a write see the transaction's own
//    writes and stay inside it.
//  * Statements (and Cached statements) belong to the connection that prepared them: use them
//    only while holding that connection (the writer lock, or the Reader).
//  * A lease may carry a time limit (query and search pass theirs): its statements are
//    interrupted when it has passed, and Step() throws ReadLimitExceeded.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "server/storage/sql_dialect.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sfkit::server {

namespace pg {
class Conn;
class Cursor;
}  // namespace pg

class StorageError : public std::runtime_error {
public:
    StorageError(int code, const std::string& what) : std::runtime_error(what), code(code) {}
    int code;  ///< SQLite result code
};

/// A statement on a read connection ran past its lease's time limit (Database::Read) and was
/// interrupted (SQLITE_INTERRUPT). Query and search answer it with QUERY_TIMEOUT.
class ReadLimitExceeded : public StorageError {
public:
    using StorageError::StorageError;
};

/// A value bound to or read from a statement column.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    /// A statement of the PostgreSQL engine (storage/pg).
    explicit Statement(std::unique_ptr<pg::Cursor> cursor);
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
    std::unique_ptr<pg::Cursor> pg_;  ///< set instead of stmt_ on PostgreSQL
};

class Database {
    struct Connection;

public:
    struct Options {
        /// Most read connections open at once; a read beyond them waits for a free one. Reads
        /// run on the request threads, so the pool grows to the number of threads that read at
        /// the same time and stays there.
        std::size_t max_readers = 64;
    };

    /// Opens (creating if needed) the database at `path`: WAL, synchronous=FULL (no
    /// acknowledged write is lost), foreign keys on. ":memory:" gives a private database that
    /// vanishes with this object: a file in a fresh 0700 directory under /dev/shm (memory-backed;
    /// the system temporary directory when /dev/shm is unusable), removed by the destructor, with
    /// synchronous=OFF. A real file is needed so that the read connections share it (see
    /// docs/architecture.md, "Storage and durability").
    ///
    /// A PostgreSQL target instead of a path (a libpq URI `postgresql://…` or keyword string,
    /// pg::IsPostgresTarget) opens the org on PostgreSQL (issue 13): the same interface and
    /// threading rules, one writer connection per Database and a pool of read connections, a
    /// write acknowledged once PostgreSQL has committed it. Statements are written in SQLite's
    /// spelling and adapted (Dialect()).
    explicit Database(const std::string& path);
    Database(const std::string& path, Options options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Exclusive use of the writer connection (recursive: a thread may take it again).
    class Lock {
    public:
        Lock() = default;
        explicit Lock(Database& db);
        ~Lock();
        Lock(Lock&& other) noexcept;
        Lock& operator=(Lock&& other) noexcept;
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;
        void unlock();
        bool owns_lock() const { return db_ != nullptr; }

    private:
        Database* db_ = nullptr;
    };
    /// Serialises use of the writer connection; hold it while using its statements.
    Lock Acquire() { return Lock(*this); }
    /// Whether the calling thread holds the writer lock.
    bool HoldsWriter() const { return writer_owner_.load() == std::this_thread::get_id(); }

    // ---- the writer connection (caller holds the lock) ----------------------------------------
    /// Executes one or more statements without results.
    void Exec(std::string_view sql);
    Statement Prepare(std::string_view sql);
    /// A statement prepared once and kept for the life of the connection (hot paths). Bind, use
    /// it to completion and Reset() it before releasing the lock.
    Statement& Cached(const std::string& sql);
    /// Transaction control on the writer (caller holds the lock; Transaction uses Begin and
    /// Rollback). On PostgreSQL BEGIN, SAVEPOINT and RELEASE travel with the next statement
    /// (pg::Conn::Defer: no round trip of their own; an unused savepoint costs nothing); on
    /// SQLite they run at once from statements prepared once.
    void Begin();
    void Rollback();
    void Savepoint(const std::string& name);
    void ReleaseSavepoint(const std::string& name);
    /// ROLLBACK TO the savepoint, then RELEASE it.
    void RollbackToSavepoint(const std::string& name);
    std::int64_t LastInsertRowid() const;
    std::int64_t Changes() const;
    sqlite3* Raw() const;

    // ---- read connections ---------------------------------------------------------------------
    enum class ReadMode {
        kStatement,  ///< each statement sees the last committed state when it starts
        kSnapshot,   ///< one read transaction: every statement of the lease sees the same state
    };

    /// A leased read connection (see the threading rules above). Movable, not copyable.
    class Reader {
    public:
        Reader(Reader&& other) noexcept;
        Reader& operator=(Reader&&) = delete;
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        ~Reader();

        Statement Prepare(std::string_view sql);
        /// A statement kept for the life of this connection; Reset() it when done.
        Statement& Cached(const std::string& sql);
        /// For SQL built per request (queries, searches): a statement valid until the lease
        /// ends. On a read connection it comes from the connection's cache, which keeps the
        /// most recently used statements (a repeated query skips the prepare); on the writer
        /// connection it is prepared for this lease only. Bind every parameter before use.
        Statement& Reusable(const std::string& sql);
        sqlite3* Raw() const;
        /// Whether this lease is the writer connection (the thread holds the writer lock).
        bool OnWriter() const { return writer_; }

    private:
        friend class Database;
        Reader(Database& db,
               Connection* conn,
               bool writer,
               bool snapshot,
               std::chrono::milliseconds time_limit);
        Database* db_;
        Connection* conn_;
        bool writer_;
        bool snapshot_;
        Lock writer_lock_;             ///< held when the lease is the writer connection
        std::deque<Statement> owned_;  ///< Reusable() statements of a lease on the writer
    };

    /// No time limit for a lease (the default: reads of known, bounded cost).
    static constexpr std::chrono::milliseconds kNoTimeLimit = std::chrono::milliseconds::max();

    /// A read connection for this thread (the writer connection when the thread holds the writer
    /// lock). Waits only when max_readers leases are out at once. Statements of the lease that
    /// run when `time_limit` has passed since the lease began are interrupted: Step() throws
    /// ReadLimitExceeded (never on the writer connection).
    Reader Read(ReadMode mode = ReadMode::kStatement,
                std::chrono::milliseconds time_limit = kNoTimeLimit);

    /// Runs `setup` on every connection, now and when a new read connection opens (e.g. to
    /// register SQL functions). Call at start-up, before requests are served. SQLite only: on
    /// PostgreSQL the setups are not run (there is no sqlite3 handle).
    void OnEveryConnection(std::function<void(sqlite3*)> setup);

    /// Calls `observer` with the text of each statement as it starts to run, on every
    /// connection and on both engines (SQLite's trace hook, which also reports trigger
    /// programs as `-- …`; the PostgreSQL engine as it sends a statement, in PostgreSQL's
    /// spelling): for tests that count statements. An empty function stops it. Set it while no
    /// statement runs; `observer` may be called from several threads at once.
    void ObserveStatements(std::function<void(std::string_view sql)> observer);

    /// The database file (for ":memory:", the private file standing in for it); on PostgreSQL
    /// the connection target.
    const std::string& Path() const { return path_; }

    /// Where the org keeps its files (bulk results, streamed bodies): the database file's
    /// directory on SQLite; on PostgreSQL the directory given to SetFilesDir (each node's own).
    std::string FilesDir() const;
    /// `temporary`: the directory is removed with this object (an in-memory node's).
    void SetFilesDir(std::string dir, bool temporary = false) {
        files_dir_ = std::move(dir);
        if (temporary) {
            temp_dir_ = files_dir_;
        }
    }

    /// The engine behind this database and the SQL spelling it needs.
    Engine engine() const { return dialect_.engine(); }
    const SqlDialect& Dialect() const { return dialect_; }
    /// Whether the writer connection is inside a transaction (caller holds the writer lock).
    bool InTransaction() const;

    /// PostgreSQL only: runs `sql` (one statement returning an integer in its first column,
    /// e.g. `UPDATE … RETURNING`) on a connection of its own, outside the writer's transaction,
    /// so it commits by itself at once whatever the writer's transaction does afterwards. For
    /// counters that must only grow (id blocks: docs/architecture.md, "Storage engines").
    /// `bind` binds the parameters. Serialised; any thread. Throws StorageError on SQLite.
    std::int64_t AutonomousInt(std::string_view sql, const std::function<void(Statement&)>& bind);

    /// COMMITs made on the writer connection (each one an fsync with synchronous=FULL).
    std::uint64_t Commits() const { return commits_.load(); }
    /// Read connections open now (leased or idle).
    std::size_t ReadConnections();

private:
    friend class Transaction;
    Connection* OpenReader();
    void ApplySetups(Connection& c);
    void Release(Connection* c);

    std::string path_;
    SqlDialect dialect_{Engine::kSqlite};
    /// ObserveStatements: the observer (owned by observer_owned_), read by every connection.
    std::atomic<const std::function<void(std::string_view)>*> observer_{nullptr};
    std::unique_ptr<std::function<void(std::string_view)>> observer_owned_;
    bool trace_installed_ = false;
    std::string files_dir_;  ///< PostgreSQL: set by SetFilesDir
    /// The private directory of a ":memory:" database (or of an in-memory PostgreSQL node's
    /// files), removed at exit.
    std::string temp_dir_;
    Options options_;
    std::unique_ptr<Connection> writer_;
    std::mutex autonomous_mu_;
    std::unique_ptr<Connection> autonomous_;  ///< PostgreSQL: AutonomousInt's connection
    std::recursive_mutex mu_;                 ///< the writer lock
    std::atomic<std::thread::id> writer_owner_{};
    int writer_depth_ = 0;  ///< guarded by mu_
    std::atomic<std::uint64_t> commits_{0};

    std::mutex pool_mu_;
    std::condition_variable pool_cv_;
    std::vector<std::unique_ptr<Connection>> readers_;   ///< guarded by pool_mu_
    std::vector<Connection*> idle_;                      ///< guarded by pool_mu_
    std::vector<std::function<void(sqlite3*)>> setups_;  ///< guarded by pool_mu_
};

/// Runs `sql`, a fixed statement without results, on the writer with a statement prepared once
/// per connection (BEGIN, COMMIT, SAVEPOINT x, RELEASE x). The caller holds the writer lock.
void RunCached(Database& db, const std::string& sql);

/// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless Commit() was called.
/// Holds the writer lock for its lifetime. Nested transactions become no-ops.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void Commit();
    /// Whether this is the outermost transaction (its Commit is a real COMMIT).
    bool Owns() const { return owns_; }

private:
    Database& db_;
    Database::Lock lock_;
    bool owns_ = false;
    bool done_ = false;
};

}  // namespace sfkit::server
