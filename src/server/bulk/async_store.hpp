// Bulk API 1.0 jobs and batches in the org database (tables bulk1_job and bulk1_batch), so that
// they survive a restart. A batch's request body and its ingest results live in its row: the
// results are written in the same transaction as the records they describe, so a batch is
// either wholly done (records, results, state) or not at all. Query batches keep only their
// result ids here; the result sets are files in the job's file area.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/bulk/async_wire.hpp"

namespace sfkit::server {
class Database;
}

namespace sfkit::server::bulk1 {

/// What the processor needs of a batch besides its batchInfo.
struct BatchWork {
    AsyncBatch info;
    std::string request_type;  ///< CSV, XML or JSON: how the request body is written
    std::string request;       ///< the body as received (SOQL for query batches)
};

class AsyncStore {
public:
    /// Creates the tables when missing.
    explicit AsyncStore(Database& db);

    /// Stores a new job (its counters are computed from its batches when read).
    void InsertJob(const AsyncJob& job);
    /// The job with its batch counters; nullopt when there is none.
    std::optional<AsyncJob> FindJob(const std::string& id);
    /// Sets a job's state (and modstamp).
    void SetJobState(const std::string& id, const std::string& state, const std::string& now);

    /// Stores a new batch (its id already allocated).
    void InsertBatch(const BatchWork& batch);
    std::optional<AsyncBatch> FindBatch(const std::string& job_id, const std::string& id);
    /// The job's batches in creation order.
    std::vector<AsyncBatch> ListBatches(const std::string& job_id);
    /// The body of a batch's request and how it is written; nullopt when there is no batch.
    std::optional<BatchWork> LoadWork(const std::string& job_id, const std::string& id);
    /// Ids (job, batch) of every Queued or InProgress batch, oldest first (to resume at start).
    std::vector<std::pair<std::string, std::string>> PendingBatches();

    /// Queued -> InProgress; false when the batch is no longer Queued (aborted meanwhile).
    bool StartBatch(const std::string& id, const std::string& now);
    /// Records a finished batch: its state (Completed / Failed), message, counters, and its
    /// ingest results (CSV, XML or JSON text as served) or query result ids. Call inside the
    /// transaction that wrote its records.
    void FinishBatch(const std::string& id,
                     const std::string& state,
                     const std::string& message,
                     std::int64_t processed,
                     std::int64_t failed,
                     std::int64_t processing_ms,
                     const std::string& results,
                     const std::vector<std::string>& result_ids,
                     const std::string& now);
    /// Every Queued batch of the job becomes NotProcessed (the job was aborted).
    void MarkNotProcessed(const std::string& job_id, const std::string& now);

    /// The stored ingest results of a batch (as served), or its query result ids.
    std::string Results(const std::string& id);
    std::vector<std::string> ResultIds(const std::string& id);

private:
    Database& db_;
};

}  // namespace sfkit::server::bulk1
