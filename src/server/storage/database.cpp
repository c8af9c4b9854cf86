// SQLite wrapper implementation.
#include "server/storage/database.hpp"

#include <sqlite3.h>

namespace sfkit::server {
namespace {

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

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
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
        sqlite3_bind_double(stmt_, index, *d);
        return *this;
    }
    return Bind(index, std::string_view(std::get<std::string>(v)));
}

Statement& Statement::Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::Bind(int index, std::int64_t n) {
    sqlite3_bind_int64(stmt_, index, n);
    return *this;
}

Statement& Statement::BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

bool Statement::Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    Fail(db_, rc, "step failed");
}

void Statement::Run() {
    while (Step()) {
    }
}

void Statement::Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::ColumnCount() const {
    return sqlite3_column_count(stmt_);
}
bool Statement::IsNull(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::int64_t Statement::Int(int col) const {
    return sqlite3_column_int64(stmt_, col);
}
double Statement::Double(int col) const {
    return sqlite3_column_double(stmt_, col);
}

std::string Statement::Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
}

SqlValue Statement::Value(int col) const {
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

Database::Database(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(),
                                   &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open database " + path;
        sqlite3_close(db_);
        db_ = nullptr;
        throw StorageError(rc, msg);
    }
    sqlite3_busy_timeout(db_, 5000);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

Database::~Database() {
    sqlite3_close_v2(db_);
}

void Database::Exec(std::string_view sql) {
    char* err = nullptr;
    const std::string s(sql);
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StorageError(rc, "exec failed: " + msg);
    }
}

Statement Database::Prepare(std::string_view sql) {
    return Statement(db_, sql);
}
std::int64_t Database::LastInsertRowid() const {
    return sqlite3_last_insert_rowid(db_);
}
std::int64_t Database::Changes() const {
    return sqlite3_changes64(db_);
}

Transaction::Transaction(Database& db) : db_(db), lock_(db.Acquire()) {
    if (sqlite3_get_autocommit(db_.Raw()) != 0) {
        db_.Exec("BEGIN IMMEDIATE");
        owns_ = true;
    }
}

Transaction::~Transaction() {
    if (owns_ && !done_) {
        try {
            db_.Exec("ROLLBACK");
        } catch (...) {  // nothing sensible to do in a destructor
        }
    }
}

void Transaction::Commit() {
    if (owns_ && !done_) {
        db_.Exec("COMMIT");
    }
    done_ = true;
}

}  // namespace sfkit::server
