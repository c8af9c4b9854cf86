// Bulk API 1.0 jobs and batches in the org database (tables bulk1_job and bulk1_batch), so that
// they survive a restart. A batch's request body and its ingest results live in its row. An
// ingest batch is written in chunks (LocalOrgOptions::bulk_chunk_rows records a transaction):
// each chunk's records commit together with the batch's progress (the next record to write,
// the counters, the chunk's result rows appended to `partial`), so a batch cut short by a stop
// or a crash resumes after its last committed chunk, on this node or another (a batch is
// claimed with a lease in its row, bulk::JobLeases); the last chunk also stores the results as
// served and the final state. Query batches keep only their result ids here; the result sets
// are files in the job's file area.
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
    std::string request_type;   ///< CSV, XML or JSON: how the request body is written
    std::string request;        ///< the body as received (SOQL for query batches)
    std::int64_t next_row = 0;  ///< ingest: records of the request already written
    std::string partial;        ///< ingest: result rows of those records (SaveProgress's form)
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
    /// The job of a batch; nullopt when there is no such batch.
    std::optional<std::string> JobOfBatch(const std::string& batch_id);
    /// The batches a node may claim (bulk::JobLeases over table bulk1_batch), as an SQL
    /// condition on the batch's row: Queued or InProgress, and, in a Serial job, no older batch
    /// of the job still Queued or InProgress (so its batches run one at a time, in order,
    /// whichever node runs each).
    static const char* const kClaimable;

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
    /// Stores the job's transformation spec (the CSV as uploaded; "" = none).
    void SetSpec(const std::string& job_id, const std::string& spec);
    std::string Spec(const std::string& job_id);

    /// Records a committed chunk of an ingest batch: `next_row` records written, the counters
    /// (totals so far) and `results` (the chunk's rows, appended to `partial`). Call inside the
    /// transaction that wrote the chunk's records.
    void SaveProgress(const std::string& id,
                      std::int64_t next_row,
                      std::int64_t processed,
                      std::int64_t failed,
                      std::int64_t processing_ms,
                      const std::string& results,
                      const std::string& now);
    /// Removes jobs (and their batches) whose youngest batch, or the job itself when it has none,
    /// was created before `cutoff` (a canonical datetime); returns their ids.
    std::vector<std::string> ExpireBefore(const std::string& cutoff);
    /// Jobs with ids greater than `after_id`, in id order (= creation order: ids come from one
    /// counter), at most `limit` (GET /jobs/ingest lists them as jobType Classic).
    /// `mode`: only jobs of that concurrencyMode ("" = any).
    std::vector<AsyncJob> ListJobs(const std::string& after_id,
                                   std::size_t limit,
                                   const std::string& mode = {});

    /// Every Queued batch of the job becomes NotProcessed (the job was aborted).
    void MarkNotProcessed(const std::string& job_id, const std::string& now);

    /// The stored ingest results of a batch (as served), or its query result ids.
    std::string Results(const std::string& id);
    std::vector<std::string> ResultIds(const std::string& id);

private:
    Database& db_;
};

}  // namespace sfkit::server::bulk1
