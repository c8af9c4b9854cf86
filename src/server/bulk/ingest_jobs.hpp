// Bulk API 2.0 ingest jobs as stored in the org database (table bulk_ingest_job): what GET job
// info reports, and the progress of processing (bytes of the upload done, result file sizes),
// which is written in the same transaction as the records of each chunk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sfkit::server {
class Database;
}

namespace sfkit::server::bulk {

struct IngestJob {
    std::string id;
    std::string operation;  ///< insert, update, upsert, delete, hardDelete
    std::string object;     ///< API name as the schema spells it
    std::string created_by;
    std::string created_date;
    std::string system_modstamp;
    std::string state;  ///< Open, UploadComplete, InProgress, JobComplete, Failed, Aborted
    std::string external_id_field;   ///< "" when none
    std::string assignment_rule_id;  ///< "" when none
    std::string content_type = "CSV";
    std::string api_version;  ///< "66.0"
    std::string line_ending = "LF";
    std::string column_delimiter = "COMMA";
    std::string error_message;  ///< set when Failed
    std::int64_t processed = 0;
    std::int64_t failed = 0;
    std::int64_t uploads = 0;        ///< PUT .../batches accepted (one allowed)
    std::int64_t data_offset = 0;    ///< bytes of the upload processed (a row boundary)
    std::int64_t success_size = 0;   ///< bytes of the success result file that are committed
    std::int64_t failure_size = 0;   ///< the same for failures
    std::int64_t processing_ms = 0;  ///< totalProcessingTime
    std::string ended_date;          ///< when it became terminal ("" before)
};

/// Terminal states: JobComplete, Failed, Aborted.
bool IsTerminal(const std::string& state);

class IngestJobs {
public:
    explicit IngestJobs(Database& db) : db_(db) {}
    void CreateTables();

    void Insert(const IngestJob& job);
    /// Read pool (or the writer inside a write transaction).
    std::optional<IngestJob> Find(const std::string& id);
    /// Jobs with id > `after` in id order (creation order), at most `limit`.
    std::vector<IngestJob> List(const std::string& after, std::size_t limit);
    /// Moves the job to `to` when its state is one of `from`; false when it is not (or the job
    /// is gone). Sets systemModstamp (and the end date when `to` is terminal, and the error
    /// message when given).
    bool Transition(const std::string& id,
                    const std::vector<std::string>& from,
                    const std::string& to,
                    const std::string& now,
                    const std::string& error_message = {});
    /// Takes the job's one upload: true when it is Open and had none yet.
    bool ClaimUpload(const std::string& id, const std::string& now);
    /// Writes the progress fields and systemModstamp (inside the chunk's transaction); the
    /// state becomes `state_if_in_progress` only if it is still InProgress.
    void SaveProgress(const IngestJob& job, const std::string& state_if_in_progress);
    /// Deletes the job when its state is one of `states` (any state when empty); false if not.
    bool Delete(const std::string& id, const std::vector<std::string>& states = {});
    /// Jobs being processed when the org stopped: UploadComplete or InProgress.
    std::vector<IngestJob> Unfinished();
    /// Terminal jobs that ended before `cutoff`.
    std::vector<std::string> EndedBefore(const std::string& cutoff);

private:
    Database& db_;
};

}  // namespace sfkit::server::bulk
