// The PostgreSQL engine under Database (issue 13): one libpq connection (Conn) and a statement on
// it (Cursor), as Database and Statement use them when the org lives on PostgreSQL. Nothing
// here is used directly by the stores: they keep talking to Database/Statement, with `?`
// placeholders, and the dialect (sql_dialect.hpp) for the SQL that differs between engines.
// libpq's header stays in pg_engine.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct pg_conn;
struct pg_result;

namespace sfkit::server::pg {

/// Whether `target` names a PostgreSQL database (a libpq URI `postgresql://…` / `postgres://…`,
/// or a keyword string such as `host=… dbname=…`) rather than a SQLite file.
bool IsPostgresTarget(std::string_view target);

/// Error codes as Database's callers know them (SQLite's primary result codes), from a SQLSTATE:
/// integrity violations (class 23) are 19 (SQLITE_CONSTRAINT), serialization failures and
/// deadlocks 5 (SQLITE_BUSY), a cancelled statement (57014, statement_timeout) 9
/// (SQLITE_INTERRUPT), anything else 1 (SQLITE_ERROR).
int ResultCodeOf(std::string_view sqlstate);

class Cursor;

/// Told the text of each statement as it is sent (Database::ObserveStatements).
using StatementObserver = std::function<void(std::string_view sql)>;

/// One libpq connection. Not thread-safe: Database leases it to one thread at a time.
class Conn {
public:
    explicit Conn(const std::string& target);
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    /// Runs one or more statements without parameters or results (DDL, BEGIN, SET …).
    void Exec(std::string_view sql);
    /// A statement on this connection, in PostgreSQL's spelling (SqlDialect::Adapt). `prepared`: a
    /// server-side prepared statement, parsed once and kept for the cursor's life (the cached
    /// hot-path statements); otherwise the text is sent with its parameters on each execution (one
    /// round trip, nothing kept).
    std::unique_ptr<Cursor> NewCursor(std::string_view sql, bool prepared);

    /// Whether a transaction block is open (or failed and waiting for ROLLBACK), or begun by a
    /// deferred BEGIN.
    bool InTransaction() const;

    /// Transaction control without parameters or results (BEGIN, SAVEPOINT x, RELEASE x) that
    /// travels with the next command instead of costing a round trip of its own: the next
    /// Cursor execution pipelines it ahead of its statement, the next Exec prefixes it. A
    /// RELEASE of the savepoint deferred just before cancels both (nothing used it).
    void Defer(std::string control);
    /// ROLLBACK TO `name` and RELEASE it. A savepoint still deferred is dropped with what was
    /// deferred after it (nothing was sent); otherwise what is deferred lies inside the
    /// savepoint and is dropped, and the rollback is sent at once.
    void RollbackToSavepoint(const std::string& name);
    /// ROLLBACK of the whole transaction; nothing to send when its BEGIN is still deferred.
    void Rollback();
    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection (sqlite3_changes).
    std::int64_t Changes() const { return changes_; }
    /// The server's version number (150018 for 15.18).
    int ServerVersion() const;
    /// Statements sent from now on are reported to `*slot` when it holds an observer.
    void ObserveWith(const std::atomic<const StatementObserver*>* slot) { observer_ = slot; }

private:
    friend class Cursor;
    /// Re-establishes a broken connection (the server restarted; between transactions only:
    /// a transaction in progress is lost with its connection and the caller sees the error).
    void EnsureOpen();
    [[noreturn]] void Fail(pg_result* res, std::string_view what) const;
    void Observe(std::string_view sql) const {
        if (observer_ != nullptr) {
            if (const StatementObserver* o = observer_->load()) {
                (*o)(sql);
            }
        }
    }
    std::string NextName() { return "sfk" + std::to_string(++names_); }
    /// PQexec of `sql` (one or more statements), failing with `what`.
    void ExecNow(const std::string& sql, std::string_view what);

    std::vector<std::string> deferred_;  ///< Defer(): sent ahead of the next command

    pg_conn* conn_ = nullptr;
    std::int64_t changes_ = 0;
    std::uint64_t names_ = 0;
    std::uint64_t generation_ = 0;  ///< bumped on reconnect: prepared names are gone then
    const std::atomic<const StatementObserver*>* observer_ = nullptr;
};

/// A statement on a Conn, with SQLite's stepping model: Bind the parameters, Step() through the
/// rows (the first Step executes), Reset() to run it again. Values come back in text form and
/// are converted on access; Value() types them from the column's type.
class Cursor {
public:
    Cursor(Conn& conn, std::string sql, bool prepared);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;

    void BindNull(int index);
    void BindText(int index, std::string_view text);
    void BindInt(int index, std::int64_t n);
    void BindDouble(int index, double d);
    bool Step();
    void Reset();

    int ColumnCount() const;
    bool IsNull(int col) const;
    std::int64_t Int(int col) const;
    double Double(int col) const;
    std::string Text(int col) const;
    /// monostate, int64 (integer and boolean columns), double (float and numeric) or text.
    std::variant<std::monostate, std::int64_t, double, std::string> Value(int col) const;

private:
    void Execute();
    /// One pipeline, one round trip: the connection's deferred control statements, then for a
    /// guarded write (inside a transaction) SAVEPOINT, [PREPARE], the statement and RELEASE;
    /// on the statement's failure it alone is rolled back and the error thrown.
    pg_result* ExecutePipelined(const std::vector<const char*>& values, bool prepare, bool guard);
    void ClearResult();
    const char* Cell(int col) const;

    Conn& conn_;
    std::string sql_;
    bool prepared_;
    bool write_;        ///< INSERT/UPDATE/DELETE: guarded by a savepoint inside a transaction
    std::string name_;  ///< server-side name once prepared
    std::uint64_t prepared_gen_ = 0;  ///< the connection generation it was prepared on
    std::vector<std::optional<std::string>> params_;
    pg_result* result_ = nullptr;
    int row_ = -1;       ///< current row of result_
    bool done_ = false;  ///< stepped past the last row
};

}  // namespace sfkit::server::pg
