// libpq behind Database: connections, statements, placeholders and error codes.
#include "server/storage/pg/pg_engine.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <libpq-fe.h>

#include "server/storage/database.hpp"

namespace sfkit::server::pg {
namespace {

// Type OIDs of the built-in types Value() distinguishes (pg_type.h, stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr int kSqliteError = 1;
constexpr int kSqliteBusy = 5;
constexpr int kSqliteInterrupt = 9;
constexpr int kSqliteConstraint = 19;

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

bool Ok(const PGresult* r) {
    const ExecStatusType s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

}  // namespace

bool IsPostgresTarget(std::string_view target) {
    return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0 ||
           (target.find('=') != std::string_view::npos &&
            (target.find("dbname") != std::string_view::npos ||
             target.find("host") != std::string_view::npos));
}

int ResultCodeOf(std::string_view sqlstate) {
    if (sqlstate.rfind("23", 0) == 0) {
        return kSqliteConstraint;
    }
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
        return kSqliteBusy;
    }
    if (sqlstate == "57014") {
        return kSqliteInterrupt;
    }
    return kSqliteError;
}

// ---- Conn ---------------------------------------------------------------------------------------

Conn::Conn(const std::string& target) {
    conn_ = PQconnectdb(target.c_str());
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) {
            msg.pop_back();
        }
        PQfinish(conn_);
        conn_ = nullptr;
        throw StorageError(kSqliteError, "cannot connect to PostgreSQL: " + msg);
    }
    // Notices (e.g. "relation already exists, skipping") are not errors: keep them off stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    ExecNow("SET client_min_messages = warning; SET TIME ZONE 'UTC'", "exec failed");
}

Conn::~Conn() {
    PQfinish(conn_);
}

int Conn::ServerVersion() const {
    return PQserverVersion(conn_);
}

void Conn::EnsureOpen() {
    if (PQstatus(conn_) == CONNECTION_OK) {
        return;
    }
    PQreset(conn_);
    ++generation_;
    if (PQstatus(conn_) != CONNECTION_OK) {
        throw StorageError(kSqliteError,
                           std::string("PostgreSQL connection lost: ") + PQerrorMessage(conn_));
    }
    Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
}

void Conn::Fail(PGresult* res, std::string_view what) const {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) {
        msg.pop_back();
    }
    const int code = ResultCodeOf(state ? state : "");
    std::string text = std::string(what) + ": " + msg;
    if (state != nullptr) {
        text += " [SQLSTATE " + std::string(state) + "]";
    }
    if (res != nullptr) {
        PQclear(res);
    }
    if (code == kSqliteInterrupt) {
        throw ReadLimitExceeded(code, "statement interrupted: the read ran past its time limit");
    }
    throw StorageError(code, text);
}

void Conn::ExecNow(const std::string& sql, std::string_view what) {
    Observe(sql);
    PGresult* res = PQexec(conn_, sql.c_str());
    if (res == nullptr || !Ok(res)) {
        Fail(res, what);
    }
    const bool rolled_back =
        std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0 && sql.find("COMMIT") != std::string::npos;
    PQclear(res);
    if (rolled_back) {
        throw StorageError(kSqliteError, "COMMIT failed: the transaction had been aborted");
    }
}

void Conn::Exec(std::string_view sql) {
    EnsureOpen();
    std::string s;
    for (const std::string& control : deferred_) {
        s += control;
        s += "; ";
    }
    deferred_.clear();
    s += sql;
    ExecNow(s, "exec failed");
}

void Conn::Defer(std::string control) {
    if (control.rfind("RELEASE ", 0) == 0 && !deferred_.empty() &&
        deferred_.back() == "SAVEPOINT " + control.substr(8)) {
        deferred_.pop_back();
        return;
    }
    deferred_.push_back(std::move(control));
}

void Conn::RollbackToSavepoint(const std::string& name) {
    const std::string savepoint = "SAVEPOINT " + name;
    for (std::size_t i = deferred_.size(); i-- > 0;) {
        if (deferred_[i] == savepoint) {
            deferred_.resize(i);
            return;
        }
    }
    deferred_.clear();
    EnsureOpen();
    ExecNow("ROLLBACK TO " + name + "; RELEASE " + name, "rollback to savepoint failed");
}

void Conn::Rollback() {
    const bool begun = deferred_.empty() || deferred_.front() != "BEGIN";
    deferred_.clear();
    if (begun && InTransaction()) {
        EnsureOpen();
        ExecNow("ROLLBACK", "rollback failed");
    }
}

std::unique_ptr<Cursor> Conn::NewCursor(std::string_view sql, bool prepared) {
    return std::make_unique<Cursor>(*this, std::string(sql), prepared);
}

bool Conn::InTransaction() const {
    if (!deferred_.empty() && deferred_.front() == "BEGIN") {
        return true;
    }
    const PGTransactionStatusType s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

// ---- Cursor -------------------------------------------------------------------------------------

namespace {

/// Whether the statement writes (INSERT, UPDATE, DELETE), judged by its first word.
bool IsWrite(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t')) {
        ++i;
    }
    std::string word;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])) != 0) {
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
    }
    return word == "INSERT" || word == "UPDATE" || word == "DELETE";
}

}  // namespace

Cursor::Cursor(Conn& conn, std::string sql, bool prepared)
    : conn_(conn), sql_(std::move(sql)), prepared_(prepared), write_(IsWrite(sql_)) {}

Cursor::~Cursor() {
    ClearResult();
    if (!name_.empty() && prepared_gen_ == conn_.generation_ &&
        PQstatus(conn_.conn_) == CONNECTION_OK &&
        PQtransactionStatus(conn_.conn_) == PQTRANS_IDLE) {
        // Evicted from a statement cache: free it on the server too. (Inside a transaction the
        // name is left to the connection's end: a failure there would abort the transaction.)
        PQclear(PQexec(conn_.conn_, ("DEALLOCATE " + name_).c_str()));
    }
}

void Cursor::BindNull(int index) {
    if (index < 1) {
        return;
    }
    if (params_.size() < static_cast<std::size_t>(index)) {
        params_.resize(static_cast<std::size_t>(index));
    }
    params_[static_cast<std::size_t>(index) - 1].reset();
}

void Cursor::BindText(int index, std::string_view text) {
    if (index < 1) {
        return;
    }
    if (params_.size() < static_cast<std::size_t>(index)) {
        params_.resize(static_cast<std::size_t>(index));
    }
    params_[static_cast<std::size_t>(index) - 1] = std::string(text);
}

void Cursor::BindInt(int index, std::int64_t n) {
    BindText(index, std::to_string(n));
}

void Cursor::BindDouble(int index, double d) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    BindText(index, buf);
}

namespace {

/// The results of one pipelined command: the last non-null result (the caller owns it), after
/// reading up to the NULL that ends the command.
PGresult* TakeCommandResult(PGconn* conn) {
    PGresult* last = nullptr;
    while (PGresult* r = PQgetResult(conn)) {
        if (last != nullptr) {
            PQclear(last);
        }
        last = r;
    }
    return last;
}

}  // namespace

void Cursor::Execute() {
    conn_.EnsureOpen();
    for (const std::string& control : conn_.deferred_) {
        conn_.Observe(control);
    }
    conn_.Observe(sql_);
    std::vector<const char*> values(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
        values[i] = params_[i] ? params_[i]->c_str() : nullptr;
    }
    const int n = static_cast<int>(values.size());
    const bool prepare = prepared_ && (name_.empty() || prepared_gen_ != conn_.generation_);
    if (prepare) {
        name_ = conn_.NextName();
        prepared_gen_ = conn_.generation_;
    }
    // SQLite undoes a failed statement alone and the transaction goes on (a UNIQUE violation
    // becomes DUPLICATE_VALUE after a check that reads in the same transaction); PostgreSQL
    // aborts the whole transaction. A write inside a transaction gets a savepoint of its own,
    // so a failure leaves the transaction as SQLite would. The savepoint, the statement (and
    // its PREPARE) and the release go out in one pipeline: one round trip, not three.
    const bool guard = write_ && conn_.InTransaction();
    PGresult* res = nullptr;
    if (guard || !conn_.deferred_.empty()) {
        res = ExecutePipelined(values, prepare, guard);
    } else {
        if (prepare) {
            PGresult* prep = PQprepare(conn_.conn_, name_.c_str(), sql_.c_str(), 0, nullptr);
            if (prep == nullptr || !Ok(prep)) {
                name_.clear();
                conn_.Fail(prep, "prepare failed for `" + sql_ + "`");
            }
            PQclear(prep);
        }
        res =
            prepared_
                ? PQexecPrepared(conn_.conn_, name_.c_str(), n, values.data(), nullptr, nullptr, 0)
                : PQexecParams(
                      conn_.conn_, sql_.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
        if (res == nullptr || !Ok(res)) {
            conn_.Fail(res, "statement failed: `" + sql_.substr(0, 200) + "`");
        }
    }
    const char* status = PQcmdStatus(res);
    if (std::strcmp(status, "ROLLBACK") == 0 && sql_.rfind("COMMIT", 0) == 0) {
        // COMMIT of a transaction that had failed answers ROLLBACK, not an error: nothing was
        // kept, and the caller must not acknowledge anything.
        PQclear(res);
        throw StorageError(kSqliteError, "COMMIT failed: the transaction had been aborted");
    }
    if (std::strncmp(status, "INSERT", 6) == 0 || std::strncmp(status, "UPDATE", 6) == 0 ||
        std::strncmp(status, "DELETE", 6) == 0 || std::strncmp(status, "MERGE", 5) == 0) {
        conn_.changes_ = std::strtoll(PQcmdTuples(res), nullptr, 10);
    }
    result_ = res;
    row_ = -1;
}

PGresult* Cursor::ExecutePipelined(const std::vector<const char*>& values,
                                   bool prepare,
                                   bool guard) {
    PGconn* c = conn_.conn_;
    const int n = static_cast<int>(values.size());
    std::vector<std::string> deferred = std::move(conn_.deferred_);
    conn_.deferred_.clear();
    if (PQenterPipelineMode(c) != 1) {
        conn_.Fail(nullptr, "cannot enter pipeline mode");
    }
    const auto send_plain = [c](const char* sql) {
        return PQsendQueryParams(c, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    };
    bool sent = true;
    for (const std::string& control : deferred) {
        sent = sent && send_plain(control.c_str());
    }
    sent = sent && (!guard || send_plain("SAVEPOINT sfkit_statement")) &&
           (!prepare || PQsendPrepare(c, name_.c_str(), sql_.c_str(), 0, nullptr) == 1) &&
           (prepared_ ? PQsendQueryPrepared(c, name_.c_str(), n, values.data(), nullptr, nullptr, 0)
                      : PQsendQueryParams(c, sql_.c_str(), n, nullptr, values.data(), nullptr,
                                          nullptr, 0)) == 1 &&
           (!guard || send_plain("RELEASE SAVEPOINT sfkit_statement")) && PQpipelineSync(c) == 1;
    // Every command's result is read, whatever happened, so that the connection leaves
    // pipeline mode clean: the deferred controls, [savepoint], [prepare], the statement,
    // [release], then the sync.
    PGresult* control_failure = nullptr;
    if (sent) {
        for (std::size_t i = 0; i < deferred.size(); ++i) {
            PGresult* r = TakeCommandResult(c);
            if (control_failure == nullptr && (r == nullptr || !Ok(r))) {
                control_failure = r;
            } else {
                PQclear(r);
            }
        }
    }
    PGresult* savepoint = sent && guard ? TakeCommandResult(c) : nullptr;
    PGresult* prep = sent && prepare ? TakeCommandResult(c) : nullptr;
    PGresult* statement = sent ? TakeCommandResult(c) : nullptr;
    PGresult* release = sent && guard ? TakeCommandResult(c) : nullptr;
    if (sent) {
        while (PGresult* r = PQgetResult(c)) {
            const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (sync) {
                break;
            }
        }
    }
    PQexitPipelineMode(c);
    const bool savepoint_ok = !guard || (savepoint != nullptr && Ok(savepoint));
    const bool prep_ok = !prepare || (prep != nullptr && Ok(prep));
    const bool statement_ok = statement != nullptr && Ok(statement);
    const bool release_ok = !guard || (release != nullptr && Ok(release));
    PQclear(release);
    if (sent && control_failure == nullptr && savepoint_ok && prep_ok && statement_ok &&
        release_ok) {
        PQclear(savepoint);
        PQclear(prep);
        return statement;
    }
    if (!prep_ok || !sent || control_failure != nullptr || !savepoint_ok) {
        name_.clear();  // perhaps not prepared on the server: prepare again next time
    }
    if (!sent) {
        PQclear(savepoint);
        PQclear(prep);
        PQclear(statement);
        conn_.Fail(nullptr, "statement not sent: `" + sql_.substr(0, 200) + "`");
    }
    if (control_failure != nullptr) {  // a deferred BEGIN/SAVEPOINT/RELEASE failed first
        PQclear(savepoint);
        PQclear(prep);
        PQclear(statement);
        conn_.Fail(control_failure, "transaction control failed before `" + sql_.substr(0, 200) + "`");
    }
    if (!savepoint_ok) {  // the transaction had failed before this statement
        PQclear(prep);
        PQclear(statement);
        conn_.Fail(savepoint, "statement failed: `" + sql_.substr(0, 200) + "`");
    }
    PQclear(savepoint);
    if (guard) {  // the statement (or its PREPARE) failed: undo it alone
        PQclear(PQexec(c,
                       "ROLLBACK TO SAVEPOINT sfkit_statement; "
                       "RELEASE SAVEPOINT sfkit_statement"));
    }
    if (!prep_ok) {
        PQclear(statement);
        conn_.Fail(prep, "prepare failed for `" + sql_ + "`");
    }
    PQclear(prep);
    conn_.Fail(statement, "statement failed: `" + sql_.substr(0, 200) + "`");
}

void Cursor::ClearResult() {
    if (result_ != nullptr) {
        PQclear(result_);
        result_ = nullptr;
    }
    row_ = -1;
    done_ = false;
}

bool Cursor::Step() {
    if (done_) {  // as sqlite3_step: stepping a finished statement runs it again
        ClearResult();
    }
    if (result_ == nullptr) {
        Execute();
    }
    ++row_;
    if (row_ < PQntuples(result_)) {
        return true;
    }
    done_ = true;
    return false;
}

void Cursor::Reset() {
    ClearResult();
    params_.clear();
}

int Cursor::ColumnCount() const {
    return result_ ? PQnfields(result_) : 0;
}

const char* Cursor::Cell(int col) const {
    if (result_ == nullptr || row_ < 0 || row_ >= PQntuples(result_) ||
        PQgetisnull(result_, row_, col)) {
        return nullptr;
    }
    return PQgetvalue(result_, row_, col);
}

bool Cursor::IsNull(int col) const {
    return Cell(col) == nullptr;
}

std::int64_t Cursor::Int(int col) const {
    const char* v = Cell(col);
    if (v == nullptr) {
        return 0;
    }
    if (PQftype(result_, col) == kBoolOid) {
        return v[0] == 't' ? 1 : 0;
    }
    const Oid t = PQftype(result_, col);
    if (t == kFloat8Oid || t == kFloat4Oid || t == kNumericOid) {
        return static_cast<std::int64_t>(std::strtod(v, nullptr));
    }
    return std::strtoll(v, nullptr, 10);
}

double Cursor::Double(int col) const {
    const char* v = Cell(col);
    if (v == nullptr) {
        return 0;
    }
    if (PQftype(result_, col) == kBoolOid) {
        return v[0] == 't' ? 1 : 0;
    }
    return std::strtod(v, nullptr);
}

std::string Cursor::Text(int col) const {
    const char* v = Cell(col);
    if (v == nullptr) {
        return {};
    }
    if (PQftype(result_, col) == kBoolOid) {
        return v[0] == 't' ? "1" : "0";
    }
    return std::string(v, static_cast<std::size_t>(PQgetlength(result_, row_, col)));
}

std::variant<std::monostate, std::int64_t, double, std::string> Cursor::Value(int col) const {
    if (Cell(col) == nullptr) {
        return std::monostate{};
    }
    switch (PQftype(result_, col)) {
        case kBoolOid:
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
            return Int(col);
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid:
            return Double(col);
        default:
            return Text(col);
    }
}

}  // namespace sfkit::server::pg
