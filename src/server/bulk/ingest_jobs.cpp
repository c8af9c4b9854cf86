// Bulk API 2.0 ingest jobs in the org database.
#include "server/bulk/ingest_jobs.hpp"

#include "server/storage/database.hpp"

namespace sfkit::server::bulk {
namespace {

constexpr const char* kColumns =
    "id, operation, object, created_by, created_date, system_modstamp, state, "
    "external_id_field, assignment_rule_id, content_type, api_version, line_ending, "
    "column_delimiter, error_message, processed, failed, uploads, data_offset, success_size, "
    "failure_size, processing_ms, ended_date";

IngestJob ReadJob(const Statement& st) {
    IngestJob j;
    int c = 0;
    j.id = st.Text(c++);
    j.operation = st.Text(c++);
    j.object = st.Text(c++);
    j.created_by = st.Text(c++);
    j.created_date = st.Text(c++);
    j.system_modstamp = st.Text(c++);
    j.state = st.Text(c++);
    j.external_id_field = st.Text(c++);
    j.assignment_rule_id = st.Text(c++);
    j.content_type = st.Text(c++);
    j.api_version = st.Text(c++);
    j.line_ending = st.Text(c++);
    j.column_delimiter = st.Text(c++);
    j.error_message = st.Text(c++);
    j.processed = st.Int(c++);
    j.failed = st.Int(c++);
    j.uploads = st.Int(c++);
    j.data_offset = st.Int(c++);
    j.success_size = st.Int(c++);
    j.failure_size = st.Int(c++);
    j.processing_ms = st.Int(c++);
    j.ended_date = st.Text(c++);
    return j;
}

std::vector<IngestJob> ReadJobs(Statement& st) {
    std::vector<IngestJob> out;
    while (st.Step()) {
        out.push_back(ReadJob(st));
    }
    return out;
}

}  // namespace

bool IsTerminal(const std::string& state) {
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
}

void IngestJobs::CreateTables() {
    Transaction tx(db_);
    db_.Exec(
        "CREATE TABLE IF NOT EXISTS bulk_ingest_job ("
        "id TEXT PRIMARY KEY NOT NULL, operation TEXT NOT NULL, object TEXT NOT NULL, "
        "created_by TEXT NOT NULL, created_date TEXT NOT NULL, system_modstamp TEXT NOT NULL, "
        "state TEXT NOT NULL, external_id_field TEXT NOT NULL, assignment_rule_id TEXT NOT NULL, "
        "content_type TEXT NOT NULL, api_version TEXT NOT NULL, line_ending TEXT NOT NULL, "
        "column_delimiter TEXT NOT NULL, error_message TEXT NOT NULL DEFAULT '', "
        "processed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, "
        "uploads INTEGER NOT NULL DEFAULT 0, data_offset INTEGER NOT NULL DEFAULT 0, "
        "success_size INTEGER NOT NULL DEFAULT 0, failure_size INTEGER NOT NULL DEFAULT 0, "
        "processing_ms INTEGER NOT NULL DEFAULT 0, ended_date TEXT NOT NULL DEFAULT '') STRICT;"
        "CREATE INDEX IF NOT EXISTS bulk_ingest_job_by_state ON bulk_ingest_job (state)");
    tx.Commit();
}

void IngestJobs::Insert(const IngestJob& j) {
    Transaction tx(db_);
    Statement st = db_.Prepare(std::string("INSERT INTO bulk_ingest_job (") + kColumns +
                               ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int c = 1;
    for (const std::string* s : {&j.id,
                                 &j.operation,
                                 &j.object,
                                 &j.created_by,
                                 &j.created_date,
                                 &j.system_modstamp,
                                 &j.state,
                                 &j.external_id_field,
                                 &j.assignment_rule_id,
                                 &j.content_type,
                                 &j.api_version,
                                 &j.line_ending,
                                 &j.column_delimiter,
                                 &j.error_message}) {
        st.Bind(c++, *s);
    }
    for (std::int64_t n : {j.processed,
                           j.failed,
                           j.uploads,
                           j.data_offset,
                           j.success_size,
                           j.failure_size,
                           j.processing_ms}) {
        st.Bind(c++, n);
    }
    st.Bind(c++, j.ended_date);
    st.Run();
    tx.Commit();
}

std::optional<IngestJob> IngestJobs::Find(const std::string& id) {
    auto reader = db_.Read();
    Statement st =
        reader.Prepare(std::string("SELECT ") + kColumns + " FROM bulk_ingest_job WHERE id = ?");
    st.Bind(1, id);
    if (!st.Step()) {
        return std::nullopt;
    }
    return ReadJob(st);
}

std::vector<IngestJob> IngestJobs::List(const std::string& after, std::size_t limit) {
    auto reader = db_.Read();
    Statement st = reader.Prepare(std::string("SELECT ") + kColumns +
                                  " FROM bulk_ingest_job WHERE id > ? ORDER BY id LIMIT ?");
    st.Bind(1, after);
    st.Bind(2, static_cast<std::int64_t>(limit));
    return ReadJobs(st);
}

bool IngestJobs::Transition(const std::string& id,
                            const std::vector<std::string>& from,
                            const std::string& to,
                            const std::string& now,
                            const std::string& error_message) {
    std::string marks;
    for (std::size_t i = 0; i < from.size(); ++i) {
        marks += i == 0 ? "?" : ",?";
    }
    Transaction tx(db_);
    Statement st = db_.Prepare(
        "UPDATE bulk_ingest_job SET state = ?, system_modstamp = ?, "
        "ended_date = CASE WHEN ? THEN ? ELSE ended_date END, "
        "error_message = CASE WHEN ? <> '' THEN ? ELSE error_message END "
        "WHERE id = ? AND state IN (" +
        marks + ")");
    int c = 1;
    st.Bind(c++, to);
    st.Bind(c++, now);
    st.Bind(c++, static_cast<std::int64_t>(IsTerminal(to) ? 1 : 0));
    st.Bind(c++, now);
    st.Bind(c++, error_message);
    st.Bind(c++, error_message);
    st.Bind(c++, id);
    for (const auto& s : from) {
        st.Bind(c++, s);
    }
    st.Run();
    const bool changed = db_.Changes() > 0;
    tx.Commit();
    return changed;
}

bool IngestJobs::ClaimUpload(const std::string& id, const std::string& now) {
    Transaction tx(db_);
    Statement st = db_.Prepare(
        "UPDATE bulk_ingest_job SET uploads = uploads + 1, system_modstamp = ? "
        "WHERE id = ? AND state = 'Open' AND uploads = 0");
    st.Bind(1, now);
    st.Bind(2, id);
    st.Run();
    const bool claimed = db_.Changes() > 0;
    tx.Commit();
    return claimed;
}

void IngestJobs::SaveProgress(const IngestJob& j, const std::string& state_if_in_progress) {
    Transaction tx(db_);
    Statement st = db_.Prepare(
        "UPDATE bulk_ingest_job SET processed = ?, failed = ?, data_offset = ?, "
        "success_size = ?, failure_size = ?, processing_ms = ?, system_modstamp = ?, "
        "state = CASE WHEN state = 'InProgress' THEN ? ELSE state END, "
        "ended_date = CASE WHEN state = 'InProgress' AND ? THEN ? ELSE ended_date END, "
        "error_message = CASE WHEN state = 'InProgress' AND ? <> '' THEN ? ELSE error_message END "
        "WHERE id = ?");
    int c = 1;
    st.Bind(c++, j.processed);
    st.Bind(c++, j.failed);
    st.Bind(c++, j.data_offset);
    st.Bind(c++, j.success_size);
    st.Bind(c++, j.failure_size);
    st.Bind(c++, j.processing_ms);
    st.Bind(c++, j.system_modstamp);
    st.Bind(c++, state_if_in_progress);
    st.Bind(c++, static_cast<std::int64_t>(IsTerminal(state_if_in_progress) ? 1 : 0));
    st.Bind(c++, j.system_modstamp);
    st.Bind(c++, j.error_message);
    st.Bind(c++, j.error_message);
    st.Bind(c++, j.id);
    st.Run();
    tx.Commit();
}

bool IngestJobs::Delete(const std::string& id, const std::vector<std::string>& states) {
    std::string sql = "DELETE FROM bulk_ingest_job WHERE id = ?";
    for (std::size_t i = 0; i < states.size(); ++i) {
        sql += i == 0 ? " AND state IN (?" : ",?";
    }
    if (!states.empty()) {
        sql += ")";
    }
    Transaction tx(db_);
    Statement st = db_.Prepare(sql);
    st.Bind(1, id);
    int c = 2;
    for (const auto& s : states) {
        st.Bind(c++, s);
    }
    st.Run();
    const bool deleted = db_.Changes() > 0;
    tx.Commit();
    return deleted;
}

std::vector<IngestJob> IngestJobs::Unfinished() {
    auto reader = db_.Read();
    Statement st =
        reader.Prepare(std::string("SELECT ") + kColumns +
                       " FROM bulk_ingest_job WHERE state IN ('UploadComplete', 'InProgress') "
                       "ORDER BY id");
    return ReadJobs(st);
}

std::vector<std::string> IngestJobs::EndedBefore(const std::string& cutoff) {
    auto reader = db_.Read();
    Statement st = reader.Prepare(
        "SELECT id FROM bulk_ingest_job WHERE ended_date <> '' AND ended_date < ? ORDER BY id");
    st.Bind(1, cutoff);
    std::vector<std::string> out;
    while (st.Step()) {
        out.push_back(st.Text(0));
    }
    return out;
}

}  // namespace sfkit::server::bulk
