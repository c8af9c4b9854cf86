// SQLite wrapper implementation.
#include "server/storage/database.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <sqlite3.h>

#include "server/storage/pg/pg_engine.hpp"

namespace sfkit::server {
namespace {

/// Progress-handler period: the deadline is checked every this many virtual-machine steps.
constexpr int kProgressSteps = 1000;

/// Statements kept per read connection (its fixed lookups and the SQL of recent queries); the
/// least recently used one goes when a new one would exceed it.
constexpr std::size_t kMaxCachedPerReader = 256;

[[noreturn]] void Fail(sqlite3* db, int rc, std::string_view what) {
    throw StorageError(rc,
                       std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc =
        sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        Fail(db, rc, "prepare failed for `" + std::string(sql) + "`");
    }
}

Statement::Statement(std::unique_ptr<pg::Cursor> cursor) : db_(nullptr), pg_(std::move(cursor)) {}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), pg_(std::move(other.pg_)) {
    other.stmt_ = nullptr;
}

Statement& Statement::Bind(int index, const SqlValue& v) {
    if (std::holds_alternative<std::monostate>(v)) {
        return BindNull(index);
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return Bind(index, *i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        if (pg_) {
            pg_->BindDouble(index, *d);
            return *this;
        }
        sqlite3_bind_double(stmt_, index, *d);
        return *this;
    }
    return Bind(index, std::string_view(std::get<std::string>(v)));
}

Statement& Statement::Bind(int index, std::string_view text) {
    if (pg_) {
        pg_->BindText(index, text);
        return *this;
    }
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::Bind(int index, std::int64_t n) {
    if (pg_) {
        pg_->BindInt(index, n);
        return *this;
    }
    sqlite3_bind_int64(stmt_, index, n);
    return *this;
}

Statement& Statement::BindNull(int index) {
    if (pg_) {
        pg_->BindNull(index);
        return *this;
    }
    sqlite3_bind_null(stmt_, index);
    return *this;
}

bool Statement::Step() {
    if (pg_) {
        return pg_->Step();
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    if (rc == SQLITE_INTERRUPT) {
        // Only read connections are ever interrupted, by their time limit.
        throw ReadLimitExceeded(rc, "statement interrupted: the read ran past its time limit");
    }
    Fail(db_, rc, "step failed");
}

void Statement::Run() {
    while (Step()) {
    }
}

void Statement::Reset() {
    if (pg_) {
        pg_->Reset();
        return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::ColumnCount() const {
    return pg_ ? pg_->ColumnCount() : sqlite3_column_count(stmt_);
}
bool Statement::IsNull(int col) const {
    return pg_ ? pg_->IsNull(col) : sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::int64_t Statement::Int(int col) const {
    return pg_ ? pg_->Int(col) : sqlite3_column_int64(stmt_, col);
}
double Statement::Double(int col) const {
    return pg_ ? pg_->Double(col) : sqlite3_column_double(stmt_, col);
}

std::string Statement::Text(int col) const {
    if (pg_) {
        return pg_->Text(col);
    }
    const auto* p = sqlite3_column_text(stmt_, col);
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
}

SqlValue Statement::Value(int col) const {
    if (pg_) {
        return pg_->Value(col);
    }
    switch (sqlite3_column_type(stmt_, col)) {
        case SQLITE_NULL:
            return std::monostate{};
        case SQLITE_INTEGER:
            return Int(col);
        case SQLITE_FLOAT:
            return Double(col);
        default:
            return Text(col);
    }
}

struct Database::Connection {
    sqlite3* db = nullptr;
    std::unique_ptr<pg::Conn> pg;  ///< instead of db on PostgreSQL
    const SqlDialect* dialect = nullptr;
    bool timeout_set = false;  ///< PostgreSQL readers: the lease SET a statement_timeout
    struct CacheEntry {
        Statement st;
        std::uint64_t last_use = 0;  ///< the value of `uses` when last handed out
    };
    std::unordered_map<std::string, CacheEntry> cache;
    std::uint64_t uses = 0;         ///< cached statements handed out so far
    std::uint64_t lease_start = 1;  ///< readers: entries with last_use >= this are in use
    bool reader = false;
    std::unique_ptr<Statement> begin;     ///< readers: a snapshot lease's BEGIN
    std::unique_ptr<Statement> rollback;  ///< readers: ends a lease's read transaction
    std::vector<Statement*> used;  ///< readers: cached statements handed out during the lease
    std::size_t setups_applied = 0;
    /// Readers: when the current lease's statements are interrupted (checked by the progress
    /// handler, on the leasing thread only).
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

    Connection(const std::string& path, int flags) {
        const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string msg = "cannot open database " + path;
            sqlite3_close(db);
            throw StorageError(rc, msg);
        }
        sqlite3_busy_timeout(db, 5000);
    }
    /// A PostgreSQL connection to `target`.
    Connection(const std::string& target, const SqlDialect& d)
        : pg(std::make_unique<pg::Conn>(target)), dialect(&d) {}
    ~Connection() {
        // Statements first: close_v2 would otherwise defer the close.
        begin.reset();
        rollback.reset();
        cache.clear();
        sqlite3_close_v2(db);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// A statement on this connection (kept: a server-side prepared statement on PostgreSQL).
    Statement MakeStatement(std::string_view sql, bool kept) const {
        if (pg) {
            return Statement(pg->NewCursor(dialect->Adapt(sql), kept));
        }
        return Statement(db, sql);
    }

    bool InTransaction() const {
        return pg ? pg->InTransaction() : sqlite3_get_autocommit(db) == 0;
    }

    void Exec(std::string_view sql) const {
        if (pg) {
            pg->Exec(dialect->Adapt(sql));
            return;
        }
        char* err = nullptr;
        const std::string s(sql);
        const int rc = sqlite3_exec(db, s.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            if (rc == SQLITE_INTERRUPT) {
                throw ReadLimitExceeded(rc, "exec interrupted: " + msg);
            }
            throw StorageError(rc, "exec failed: " + msg);
        }
    }

    /// Runs a snapshot lease's BEGIN or ROLLBACK from a statement prepared once per connection
    /// (sqlite3_exec would parse the text again on every lease).
    void RunControl(std::unique_ptr<Statement>& slot, std::string_view sql) {
        if (!slot) {
            slot = std::make_unique<Statement>(MakeStatement(sql, true));
        }
        try {
            slot->Run();
        } catch (...) {
            slot->Reset();
            throw;
        }
        slot->Reset();
    }

    Statement& Cached(const std::string& sql) {
        auto it = cache.find(sql);
        if (it == cache.end()) {
            // Statements handed out in this lease stay (a long lease may exceed the bound for
            // a while); a later miss brings the cache back under it.
            while (reader && cache.size() >= kMaxCachedPerReader && EvictLeastRecentlyUsed()) {
            }
            it = cache.emplace(sql, CacheEntry{MakeStatement(sql, true)}).first;
        }
        CacheEntry& e = it->second;
        e.st.Reset();  // in case an earlier use ended in an exception
        if (reader && e.last_use < lease_start) {
            used.push_back(&e.st);
        }
        e.last_use = ++uses;
        return e.st;
    }

    /// Drops the least recently used statement that the current lease has not handed out (a
    /// statement handed out may still be in use). Runs only on a miss, which costs a prepare.
    bool EvictLeastRecentlyUsed() {
        auto victim = cache.end();
        for (auto it = cache.begin(); it != cache.end(); ++it) {
            if (it->second.last_use < lease_start &&
                (victim == cache.end() || it->second.last_use < victim->second.last_use)) {
                victim = it;
            }
        }
        if (victim == cache.end()) {
            return false;
        }
        cache.erase(victim);
        return true;
    }

    static int OnProgress(void* self) {
        const auto* c = static_cast<const Connection*>(self);
        return std::chrono::steady_clock::now() > c->deadline ? 1 : 0;
    }
};

namespace {

/// A fresh owner-only directory for a ":memory:" database: on /dev/shm (memory-backed) when it
/// can be used, else in the system temporary directory.
std::string MakePrivateDir() {
    std::vector<std::string> bases{"/dev/shm"};
    std::error_code ec;
    const auto tmp = std::filesystem::temp_directory_path(ec);
    if (!ec) {
        bases.push_back(tmp.string());
    }
    for (const std::string& base : bases) {
        std::string templ = base + "/sfkit-org-XXXXXX";
        if (::mkdtemp(templ.data()) != nullptr) {  // mode 0700
            return templ;
        }
    }
    throw StorageError(SQLITE_CANTOPEN, "cannot create a private directory for an in-memory org");
}

}  // namespace

Database::Database(const std::string& path) : Database(path, Options{}) {}

Database::Database(const std::string& path, Options options) : options_(options) {
    if (pg::IsPostgresTarget(path)) {
        path_ = path;
        dialect_ = SqlDialect(Engine::kPostgres);
        writer_ = std::make_unique<Connection>(path_, dialect_);
        writer_->pg->ObserveWith(&observer_);
        return;
    }
    const bool in_memory = path == ":memory:";
    if (in_memory) {
        temp_dir_ = MakePrivateDir();
        path_ = temp_dir_ + "/org.db";
    } else {
        path_ = path;
    }
    try {
        writer_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        // An in-memory org promises nothing after exit, so it skips the fsyncs.
        writer_->Exec(in_memory ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        writer_->Exec("PRAGMA foreign_keys=ON;");
    } catch (...) {
        writer_.reset();
        if (!temp_dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(temp_dir_, ec);
        }
        throw;
    }
}

Database::~Database() {
    idle_.clear();
    readers_.clear();
    writer_.reset();  // the last connection checkpoints and removes the -wal file
    if (!temp_dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(temp_dir_, ec);
    }
}

Database::Lock::Lock(Database& db) : db_(&db) {
    db.mu_.lock();
    if (db.writer_depth_++ == 0) {
        db.writer_owner_.store(std::this_thread::get_id());
    }
}

Database::Lock::~Lock() {
    unlock();
}

Database::Lock::Lock(Lock&& other) noexcept : db_(other.db_) {
    other.db_ = nullptr;
}

Database::Lock& Database::Lock::operator=(Lock&& other) noexcept {
    if (this != &other) {
        unlock();
        db_ = other.db_;
        other.db_ = nullptr;
    }
    return *this;
}

void Database::Lock::unlock() {
    if (db_ == nullptr) {
        return;
    }
    if (--db_->writer_depth_ == 0) {
        db_->writer_owner_.store(std::thread::id());
    }
    db_->mu_.unlock();
    db_ = nullptr;
}

void Database::Exec(std::string_view sql) {
    writer_->Exec(sql);
}

void Database::Begin() {
    if (writer_->pg) {
        writer_->pg->Defer("BEGIN");
        return;
    }
    RunCached(*this, "BEGIN IMMEDIATE");
}

void Database::Rollback() {
    if (writer_->pg) {
        writer_->pg->Rollback();
        return;
    }
    Exec("ROLLBACK");
}

void Database::Savepoint(const std::string& name) {
    if (writer_->pg) {
        writer_->pg->Defer("SAVEPOINT " + name);
        return;
    }
    RunCached(*this, "SAVEPOINT " + name);
}

void Database::ReleaseSavepoint(const std::string& name) {
    if (writer_->pg) {
        writer_->pg->Defer("RELEASE " + name);
        return;
    }
    RunCached(*this, "RELEASE " + name);
}

void Database::RollbackToSavepoint(const std::string& name) {
    if (writer_->pg) {
        writer_->pg->RollbackToSavepoint(name);
        return;
    }
    Exec("ROLLBACK TO " + name + "; RELEASE " + name);
}

Statement Database::Prepare(std::string_view sql) {
    return writer_->MakeStatement(sql, false);
}

Statement& Database::Cached(const std::string& sql) {
    return writer_->Cached(sql);
}

std::int64_t Database::LastInsertRowid() const {
    if (writer_->pg) {  // no rowid on PostgreSQL: use RETURNING
        throw StorageError(SQLITE_MISUSE, "LastInsertRowid is SQLite-only; use RETURNING");
    }
    return sqlite3_last_insert_rowid(writer_->db);
}

std::int64_t Database::Changes() const {
    return writer_->pg ? writer_->pg->Changes() : sqlite3_changes64(writer_->db);
}

std::string Database::FilesDir() const {
    if (dialect_.Postgres()) {
        return files_dir_;
    }
    return std::filesystem::path(path_).parent_path().string();
}

std::int64_t Database::AutonomousInt(std::string_view sql,
                                     const std::function<void(Statement&)>& bind) {
    if (!dialect_.Postgres()) {
        throw StorageError(SQLITE_MISUSE, "AutonomousInt is PostgreSQL-only");
    }
    std::lock_guard lock(autonomous_mu_);
    if (!autonomous_) {
        autonomous_ = std::make_unique<Connection>(path_, dialect_);
    }
    Statement st = autonomous_->MakeStatement(sql, /*kept=*/false);
    bind(st);
    if (!st.Step()) {
        throw StorageError(SQLITE_ERROR, "autonomous statement returned no row");
    }
    const std::int64_t value = st.Int(0);
    st.Reset();
    return value;
}

bool Database::InTransaction() const {
    return writer_->InTransaction();
}

sqlite3* Database::Raw() const {
    return writer_->db;
}

void Database::OnEveryConnection(std::function<void(sqlite3*)> setup) {
    if (writer_->pg) {
        return;
    }
    {
        Lock lock(*this);
        setup(writer_->db);
    }
    std::lock_guard guard(pool_mu_);
    setups_.push_back(std::move(setup));
    // Readers already open get it when they are next leased (ApplySetups).
}

void Database::ObserveStatements(std::function<void(std::string_view)> observer) {
    auto fresh = observer
                     ? std::make_unique<std::function<void(std::string_view)>>(std::move(observer))
                     : nullptr;
    observer_.store(fresh.get());
    observer_owned_ = std::move(fresh);
    if (writer_->pg || trace_installed_) {
        return;  // the PostgreSQL connections read observer_ themselves
    }
    trace_installed_ = true;
    OnEveryConnection([this](sqlite3* c) {
        sqlite3_trace_v2(
            c,
            SQLITE_TRACE_STMT,
            [](unsigned, void* self, void*, void* sql) {
                const auto* o = static_cast<Database*>(self)->observer_.load();
                if (o != nullptr && sql != nullptr) {
                    (*o)(static_cast<const char*>(sql));
                }
                return 0;
            },
            this);
    });
}

void Database::ApplySetups(Connection& c) {
    for (; c.setups_applied < setups_.size(); ++c.setups_applied) {
        setups_[c.setups_applied](c.db);
    }
}

Database::Connection* Database::OpenReader() {
    if (dialect_.Postgres()) {
        readers_.push_back(std::make_unique<Connection>(path_, dialect_));
        readers_.back()->pg->ObserveWith(&observer_);
        readers_.back()->reader = true;
        return readers_.back().get();
    }
    auto c = std::make_unique<Connection>(path_, SQLITE_OPEN_READONLY);
    c->reader = true;
    sqlite3_progress_handler(c->db, kProgressSteps, &Connection::OnProgress, c.get());
    readers_.push_back(std::move(c));
    return readers_.back().get();
}

std::size_t Database::ReadConnections() {
    std::lock_guard guard(pool_mu_);
    return readers_.size();
}

Database::Reader Database::Read(ReadMode mode, std::chrono::milliseconds time_limit) {
    if (HoldsWriter()) {
        return Reader(*this, writer_.get(), true, false, time_limit);
    }
    Connection* c = nullptr;
    {
        std::unique_lock lock(pool_mu_);
        pool_cv_.wait(lock,
                      [&] { return !idle_.empty() || readers_.size() < options_.max_readers; });
        if (!idle_.empty()) {
            c = idle_.back();
            idle_.pop_back();
        } else {
            c = OpenReader();
        }
        try {
            ApplySetups(*c);
        } catch (...) {
            idle_.push_back(c);
            throw;
        }
    }
    return Reader(*this, c, false, mode == ReadMode::kSnapshot, time_limit);
}

void Database::Release(Connection* c) {
    // No statement may keep a read transaction (an old snapshot) open into the next lease.
    for (Statement* st : c->used) {
        st->Reset();
    }
    c->used.clear();
    c->lease_start = c->uses + 1;
    if (c->InTransaction() || c->timeout_set) {
        try {
            if (c->InTransaction()) {
                c->RunControl(c->rollback, "ROLLBACK");
            }
            if (c->timeout_set) {
                c->Exec("SET statement_timeout = 0");
                c->timeout_set = false;
            }
        } catch (...) {  // a connection that cannot end its transaction is not reused
            std::lock_guard guard(pool_mu_);
            for (auto it = readers_.begin(); it != readers_.end(); ++it) {
                if (it->get() == c) {
                    readers_.erase(it);
                    break;
                }
            }
            pool_cv_.notify_one();
            return;
        }
    }
    c->deadline = std::chrono::steady_clock::time_point::max();
    {
        std::lock_guard guard(pool_mu_);
        idle_.push_back(c);
    }
    pool_cv_.notify_one();
}

Database::Reader::Reader(Database& db,
                         Connection* conn,
                         bool writer,
                         bool snapshot,
                         std::chrono::milliseconds time_limit)
    : db_(&db), conn_(conn), writer_(writer), snapshot_(snapshot) {
    if (writer_) {
        writer_lock_ = Lock(db);
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    conn_->deadline = time_limit >= std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::time_point::max() - now)
                          ? std::chrono::steady_clock::time_point::max()
                          : now + time_limit;
    const bool timed = conn_->deadline != std::chrono::steady_clock::time_point::max();
    if (conn_->pg && timed && snapshot_) {
        // One round trip: the snapshot and the time limit of its statements, which ends with
        // the transaction (SET LOCAL), so the lease's release needs no second SET.
        try {
            conn_->Exec(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL "
                "statement_timeout = " +
                std::to_string(std::max<long long>(1, static_cast<long long>(time_limit.count()))));
        } catch (...) {
            db_->Release(conn_);
            throw;
        }
        return;
    }
    if (conn_->pg && timed) {
        // PostgreSQL has no progress handler: the server cancels each statement of the lease
        // that runs longer than the limit (57014, thrown as ReadLimitExceeded).
        try {
            conn_->Exec(
                "SET statement_timeout = " +
                std::to_string(std::max<long long>(1, static_cast<long long>(time_limit.count()))));
            conn_->timeout_set = true;
        } catch (...) {
            db_->Release(conn_);
            throw;
        }
    }
    if (snapshot_) {
        try {
            conn_->RunControl(
                conn_->begin,
                conn_->pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
        } catch (...) {
            db_->Release(conn_);
            throw;
        }
    }
}

Database::Reader::Reader(Reader&& other) noexcept
    : db_(other.db_),
      conn_(other.conn_),
      writer_(other.writer_),
      snapshot_(other.snapshot_),
      writer_lock_(std::move(other.writer_lock_)),
      owned_(std::move(other.owned_)) {
    other.conn_ = nullptr;
}

Database::Reader::~Reader() {
    if (conn_ != nullptr && !writer_) {
        db_->Release(conn_);  // ends the snapshot's read transaction, too
    }
}

Statement Database::Reader::Prepare(std::string_view sql) {
    return conn_->MakeStatement(sql, false);
}

Statement& Database::Reader::Cached(const std::string& sql) {
    return conn_->Cached(sql);
}

Statement& Database::Reader::Reusable(const std::string& sql) {
    if (writer_) {  // the writer's cache is unbounded: keep per-request SQL out of it
        return owned_.emplace_back(conn_->MakeStatement(sql, false));
    }
    return conn_->Cached(sql);
}

sqlite3* Database::Reader::Raw() const {
    return conn_->db;
}

/// Runs a fixed statement of the writer prepared once (caller holds the writer lock).
/// perf (token and create rows): Exec's sqlite3_exec prepared BEGIN, COMMIT and the group
/// commit's SAVEPOINT/RELEASE anew each time, ~3 % of a durable write's samples.
void RunCached(Database& db, const std::string& sql) {
    Statement& st = db.Cached(sql);
    try {
        st.Run();
    } catch (...) {
        st.Reset();
        throw;
    }
    st.Reset();
}

Transaction::Transaction(Database& db) : db_(db), lock_(db.Acquire()) {
    if (!db_.InTransaction()) {
        db_.Begin();
        owns_ = true;
    }
}

Transaction::~Transaction() {
    if (owns_ && !done_) {
        try {
            db_.Rollback();
        } catch (...) {  // nothing sensible to do in a destructor
        }
    }
}

void Transaction::Commit() {
    if (owns_ && !done_) {
        RunCached(db_, "COMMIT");
        db_.commits_.fetch_add(1);
    }
    done_ = true;
}

}  // namespace sfkit::server
