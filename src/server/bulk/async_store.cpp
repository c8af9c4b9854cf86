// Bulk API 1.0 jobs and batches in SQLite (see async_store.hpp).
#include "server/bulk/async_store.hpp"

#include "server/storage/database.hpp"

namespace sfkit::server::bulk1 {
namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS bulk1_job (
    id TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    object TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TEXT NOT NULL,
    modstamp TEXT NOT NULL,
    state TEXT NOT NULL,
    external_id TEXT NOT NULL,
    concurrency TEXT NOT NULL,
    content_type TEXT NOT NULL,
    assignment_rule TEXT NOT NULL,
    api_version TEXT NOT NULL,
    spec TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS bulk1_batch (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE,
    job_id TEXT NOT NULL,
    state TEXT NOT NULL,
    state_message TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modstamp TEXT NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    processing_ms INTEGER NOT NULL DEFAULT 0,
    request_type TEXT NOT NULL,
    request BLOB NOT NULL,
    results BLOB,
    result_ids TEXT NOT NULL DEFAULT '',
    next_row INTEGER NOT NULL DEFAULT 0,
    partial BLOB NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS bulk1_batch_job ON bulk1_batch(job_id, seq);
CREATE INDEX IF NOT EXISTS bulk1_batch_state ON bulk1_batch(state);
)";

constexpr const char* kBatchColumns =
    "id, job_id, state, state_message, created, modstamp, processed, failed, processing_ms";

AsyncBatch ReadBatch(Statement& s) {
    AsyncBatch b;
    b.id = s.Text(0);
    b.job_id = s.Text(1);
    b.state = s.Text(2);
    b.state_message = s.Text(3);
    b.created_date = s.Text(4);
    b.system_modstamp = s.Text(5);
    b.records_processed = s.Int(6);
    b.records_failed = s.Int(7);
    b.total_processing_ms = s.Int(8);
    return b;
}

/// Result ids are stored space-separated.
std::vector<std::string> SplitIds(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find(' ', pos);
        out.push_back(text.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
        if (end == std::string::npos) {
            break;
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace

AsyncStore::AsyncStore(Database& db) : db_(db) {
    auto lock = db_.Acquire();
    db_.Exec(kSchema);
    // Tables made before batches were written in chunks lack the progress columns.
    // (The column lists come from the engine's own catalogue: SQLite or PostgreSQL.)
    const auto has_column = [this](std::string_view table, std::string_view column) {
        auto cols = db_.Prepare(db_.Dialect().TableColumns(table));
        while (cols.Step()) {
            if (cols.Text(0) == column) {
                return true;
            }
        }
        return false;
    };
    if (!has_column("bulk1_batch", "next_row")) {
        db_.Exec("ALTER TABLE bulk1_batch ADD COLUMN next_row INTEGER NOT NULL DEFAULT 0");
        db_.Exec("ALTER TABLE bulk1_batch ADD COLUMN partial BLOB NOT NULL DEFAULT ''");
    }
    if (!has_column("bulk1_job", "spec")) {
        db_.Exec("ALTER TABLE bulk1_job ADD COLUMN spec TEXT NOT NULL DEFAULT ''");
    }
}

void AsyncStore::InsertJob(const AsyncJob& j) {
    Transaction tx(db_);
    auto s = db_.Prepare(
        "INSERT INTO bulk1_job (id, operation, object, created_by, created, modstamp, state, "
        "external_id, concurrency, content_type, assignment_rule, api_version) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, j.id)
        .Bind(2, j.operation)
        .Bind(3, j.object)
        .Bind(4, j.created_by_id)
        .Bind(5, j.created_date)
        .Bind(6, j.system_modstamp)
        .Bind(7, j.state)
        .Bind(8, j.external_id_field)
        .Bind(9, j.concurrency_mode)
        .Bind(10, j.content_type)
        .Bind(11, j.assignment_rule_id)
        .Bind(12, j.api_version);
    s.Run();
    tx.Commit();
}

std::optional<AsyncJob> AsyncStore::FindJob(const std::string& id) {
    auto rd = db_.Read(Database::ReadMode::kSnapshot);
    auto s = rd.Prepare(
        "SELECT id, operation, object, created_by, created, modstamp, state, external_id, "
        "concurrency, content_type, assignment_rule, api_version FROM bulk1_job WHERE id = ?");
    s.Bind(1, id);
    if (!s.Step()) {
        return std::nullopt;
    }
    AsyncJob j;
    j.id = s.Text(0);
    j.operation = s.Text(1);
    j.object = s.Text(2);
    j.created_by_id = s.Text(3);
    j.created_date = s.Text(4);
    j.system_modstamp = s.Text(5);
    j.state = s.Text(6);
    j.external_id_field = s.Text(7);
    j.concurrency_mode = s.Text(8);
    j.content_type = s.Text(9);
    j.assignment_rule_id = s.Text(10);
    j.api_version = s.Text(11);
    auto c = rd.Prepare(
        "SELECT state, COUNT(*), SUM(processed), SUM(failed), SUM(processing_ms) "
        "FROM bulk1_batch WHERE job_id = ? GROUP BY state");
    c.Bind(1, id);
    while (c.Step()) {
        const std::string state = c.Text(0);
        const std::int64_t n = c.Int(1);
        j.batches_total += n;
        j.records_processed += c.Int(2);
        j.records_failed += c.Int(3);
        j.total_processing_ms += c.Int(4);
        if (state == "Queued") {
            j.batches_queued += n;
        } else if (state == "InProgress") {
            j.batches_in_progress += n;
        } else if (state == "Completed") {
            j.batches_completed += n;
        } else if (state == "Failed") {
            j.batches_failed += n;
        }
    }
    return j;
}

void AsyncStore::SetJobState(const std::string& id,
                             const std::string& state,
                             const std::string& now) {
    Transaction tx(db_);
    auto s = db_.Prepare("UPDATE bulk1_job SET state = ?, modstamp = ? WHERE id = ?");
    s.Bind(1, state).Bind(2, now).Bind(3, id);
    s.Run();
    tx.Commit();
}

void AsyncStore::InsertBatch(const BatchWork& w) {
    Transaction tx(db_);
    auto s = db_.Prepare(
        "INSERT INTO bulk1_batch (id, job_id, state, created, modstamp, request_type, request) "
        "VALUES (?,?,?,?,?,?,?)");
    s.Bind(1, w.info.id)
        .Bind(2, w.info.job_id)
        .Bind(3, w.info.state)
        .Bind(4, w.info.created_date)
        .Bind(5, w.info.system_modstamp)
        .Bind(6, w.request_type)
        .Bind(7, w.request);
    s.Run();
    tx.Commit();
}

std::optional<AsyncBatch> AsyncStore::FindBatch(const std::string& job_id, const std::string& id) {
    auto rd = db_.Read();
    auto s = rd.Prepare(std::string("SELECT ") + kBatchColumns +
                        " FROM bulk1_batch WHERE id = ? AND job_id = ?");
    s.Bind(1, id).Bind(2, job_id);
    if (!s.Step()) {
        return std::nullopt;
    }
    return ReadBatch(s);
}

std::vector<AsyncBatch> AsyncStore::ListBatches(const std::string& job_id) {
    auto rd = db_.Read();
    auto s = rd.Prepare(std::string("SELECT ") + kBatchColumns +
                        " FROM bulk1_batch WHERE job_id = ? ORDER BY seq");
    s.Bind(1, job_id);
    std::vector<AsyncBatch> out;
    while (s.Step()) {
        out.push_back(ReadBatch(s));
    }
    return out;
}

std::optional<BatchWork> AsyncStore::LoadWork(const std::string& job_id, const std::string& id) {
    auto rd = db_.Read();
    auto s = rd.Prepare(std::string("SELECT ") + kBatchColumns +
                        ", request_type, request, next_row, partial FROM bulk1_batch "
                        "WHERE id = ? AND job_id = ?");
    s.Bind(1, id).Bind(2, job_id);
    if (!s.Step()) {
        return std::nullopt;
    }
    BatchWork w;
    w.info = ReadBatch(s);
    w.request_type = s.Text(9);
    w.request = s.Text(10);
    w.next_row = s.Int(11);
    w.partial = s.Text(12);
    return w;
}

std::optional<std::string> AsyncStore::JobOfBatch(const std::string& batch_id) {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT job_id FROM bulk1_batch WHERE id = ?");
    s.Bind(1, batch_id);
    if (!s.Step()) {
        return std::nullopt;
    }
    return s.Text(0);
}

// `bulk1_batch` is the row being claimed (the claim's own FROM); the older batches are `b`.
const char* const AsyncStore::kClaimable =
    "state IN ('Queued','InProgress') AND NOT EXISTS (SELECT 1 FROM bulk1_batch b WHERE "
    "b.job_id = bulk1_batch.job_id AND b.seq < bulk1_batch.seq AND b.state IN "
    "('Queued','InProgress') AND b.job_id IN (SELECT id FROM bulk1_job WHERE concurrency = "
    "'Serial'))";

bool AsyncStore::StartBatch(const std::string& id, const std::string& now) {
    Transaction tx(db_);
    // A batch found InProgress at start-up was interrupted before its transaction committed:
    // nothing of it was written, so it runs again from the beginning.
    auto s = db_.Prepare(
        "UPDATE bulk1_batch SET state = 'InProgress', modstamp = ? "
        "WHERE id = ? AND state IN ('Queued','InProgress')");
    s.Bind(1, now).Bind(2, id);
    s.Run();
    const bool started = db_.Changes() == 1;
    tx.Commit();
    return started;
}

void AsyncStore::FinishBatch(const std::string& id,
                             const std::string& state,
                             const std::string& message,
                             std::int64_t processed,
                             std::int64_t failed,
                             std::int64_t processing_ms,
                             const std::string& results,
                             const std::vector<std::string>& result_ids,
                             const std::string& now) {
    std::string ids;
    for (const auto& r : result_ids) {
        ids += (ids.empty() ? "" : " ") + r;
    }
    Transaction tx(db_);
    auto s = db_.Prepare(
        "UPDATE bulk1_batch SET state = ?, state_message = ?, processed = ?, failed = ?, "
        "processing_ms = ?, results = ?, result_ids = ?, modstamp = ?, partial = '' WHERE id = ?");
    s.Bind(1, state)
        .Bind(2, message)
        .Bind(3, processed)
        .Bind(4, failed)
        .Bind(5, processing_ms)
        .Bind(6, results)
        .Bind(7, ids)
        .Bind(8, now)
        .Bind(9, id);
    s.Run();
    tx.Commit();
}

void AsyncStore::SetSpec(const std::string& job_id, const std::string& spec) {
    Transaction tx(db_);
    auto s = db_.Prepare("UPDATE bulk1_job SET spec = ? WHERE id = ?");
    s.Bind(1, spec).Bind(2, job_id);
    s.Run();
    tx.Commit();
}

std::string AsyncStore::Spec(const std::string& job_id) {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT spec FROM bulk1_job WHERE id = ?");
    s.Bind(1, job_id);
    return s.Step() ? s.Text(0) : std::string();
}

void AsyncStore::SaveProgress(const std::string& id,
                              std::int64_t next_row,
                              std::int64_t processed,
                              std::int64_t failed,
                              std::int64_t processing_ms,
                              const std::string& results,
                              const std::string& now) {
    Transaction tx(db_);
    auto s = db_.Prepare(
        "UPDATE bulk1_batch SET next_row = ?, processed = ?, failed = ?, processing_ms = ?, "
        "partial = partial || ?, modstamp = ? WHERE id = ?");
    s.Bind(1, next_row)
        .Bind(2, processed)
        .Bind(3, failed)
        .Bind(4, processing_ms)
        .Bind(5, results)
        .Bind(6, now)
        .Bind(7, id);
    s.Run();
    tx.Commit();
}

std::vector<std::string> AsyncStore::ExpireBefore(const std::string& cutoff) {
    Transaction tx(db_);
    std::vector<std::string> ids;
    {
        auto s = db_.Prepare(
            "SELECT id FROM bulk1_job j WHERE MAX(j.created, COALESCE((SELECT MAX(b.created) "
            "FROM bulk1_batch b WHERE b.job_id = j.id), '')) < ?");
        s.Bind(1, cutoff);
        while (s.Step()) {
            ids.push_back(s.Text(0));
        }
    }
    for (const auto& id : ids) {
        auto b = db_.Prepare("DELETE FROM bulk1_batch WHERE job_id = ?");
        b.Bind(1, id);
        b.Run();
        auto j = db_.Prepare("DELETE FROM bulk1_job WHERE id = ?");
        j.Bind(1, id);
        j.Run();
    }
    tx.Commit();
    return ids;
}

std::vector<AsyncJob> AsyncStore::ListJobs(const std::string& after_id,
                                           std::size_t limit,
                                           const std::string& mode) {
    std::vector<std::string> ids;
    {
        auto rd = db_.Read();
        auto s = rd.Prepare(
            "SELECT id FROM bulk1_job WHERE id > ? AND (? = '' OR concurrency = ?) "
            "ORDER BY id LIMIT ?");
        s.Bind(1, after_id).Bind(2, mode).Bind(3, mode).Bind(4, static_cast<std::int64_t>(limit));
        while (s.Step()) {
            ids.push_back(s.Text(0));
        }
    }
    std::vector<AsyncJob> out;
    for (const auto& id : ids) {
        if (auto job = FindJob(id)) {
            out.push_back(std::move(*job));
        }
    }
    return out;
}

void AsyncStore::MarkNotProcessed(const std::string& job_id, const std::string& now) {
    Transaction tx(db_);
    auto s = db_.Prepare(
        "UPDATE bulk1_batch SET state = 'NotProcessed', modstamp = ? "
        "WHERE job_id = ? AND state = 'Queued'");
    s.Bind(1, now).Bind(2, job_id);
    s.Run();
    tx.Commit();
}

std::string AsyncStore::Results(const std::string& id) {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT results FROM bulk1_batch WHERE id = ?");
    s.Bind(1, id);
    return s.Step() && !s.IsNull(0) ? s.Text(0) : std::string();
}

std::vector<std::string> AsyncStore::ResultIds(const std::string& id) {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT result_ids FROM bulk1_batch WHERE id = ?");
    s.Bind(1, id);
    return s.Step() ? SplitIds(s.Text(0)) : std::vector<std::string>{};
}

}  // namespace sfkit::server::bulk1
