// Runs Bulk API 1.0 batches on the Bulk worker (wire reference §4.4-4.5). An ingest batch is
// read whole (at most 10,000 records, 10 MB) into a header and rows, which are written as Bulk
// 2.0 writes an upload (bulk/ingest_rows: the same column rules, relationship columns
// `Account.ExtId__c` and `Lead:Who.Email` included, through the record-write path) in chunks of
// LocalOrgOptions::bulk_chunk_rows records: each chunk is one store transaction with the
// batch's progress, so single-record writes interleave with a long batch, and a batch cut short
// by a stop or a crash resumes after its last committed chunk. Batches are claimed by any node
// of the org with a lease (bulk::JobLeases on table bulk1_batch), as Bulk 2.0 jobs are. A query
// batch runs through the SOQL query service and writes its result set to a file in the job's area.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/records/record_context.hpp"

namespace sfkit::server {
class Database;
struct LocalOrgOptions;
namespace query {
class QueryService;
}
namespace bulk {
class JobFiles;
class JobLeases;
struct BulkContext;
}  // namespace bulk
}  // namespace sfkit::server

namespace sfkit::server::bulk1 {

class AsyncStore;
struct AsyncJob;

/// Now as Bulk 1.0 stamps it: whole seconds, from the org's clock (LocalOrgOptions::clock).
std::string AsyncNow(const LocalOrgOptions& options);

/// A job's transformation spec applied to a CSV batch: the header and rows it becomes.
using SpecTransform =
    std::function<std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>>(
        const AsyncJob& job,
        const ObjectDef& object,
        std::vector<std::string> header,
        std::vector<std::vector<std::string>> rows)>;

/// At most this many records per batch (Bulk API 1.0 limit).
inline constexpr std::size_t kMaxBatchRecords = 10'000;

class AsyncProcessor {
public:
    /// `new_result_id` gives a fresh 18-char id with prefix 752 for a query result set.
    /// `leases`: the batch leases (table bulk1_batch) of this node.
    AsyncProcessor(AsyncStore& store,
                   const bulk::BulkContext& ctx,
                   bulk::JobLeases& leases,
                   query::QueryService& queries,
                   std::function<std::string()> new_result_id);

    /// Runs a batch this node claimed (`leases`) to its end (Completed or Failed); nothing
    /// when it is no longer Queued or InProgress (its job was aborted) or unknown. Each chunk
    /// renews the lease in its transaction: when another node took the batch over (this one
    /// stalled past its lease) the chunk rolls back and Run returns. True when it stopped
    /// half-way because the worker is stopping (it resumes on the next node to claim it).
    bool Run(const std::string& job_id, const std::string& batch_id);

    /// How CSV batches of a job with a transformation spec are rewritten before they are read.
    void SetSpec(SpecTransform spec) { spec_ = std::move(spec); }

    /// The name of a query batch's result set among its job's bytes (bulk::JobBlobs: in the
    /// database, so any node serves it).
    static std::string ResultName(const std::string& batch_id, const std::string& result_id);

private:
    /// Runs a query batch's SOQL and writes its result set (one file, in the job's format).
    void RunQuery(const struct AsyncJob& job,
                  const struct AsyncBatch& batch,
                  const std::string& soql,
                  const std::function<std::int64_t()>& elapsed);

    /// Records a batch's end, if this node still holds its lease (FinishBatch's arguments).
    void Finish(const std::string& batch_id,
                const std::string& state,
                const std::string& message,
                std::int64_t processed,
                std::int64_t failed,
                std::int64_t processing_ms);

    AsyncStore& store_;
    const bulk::BulkContext& ctx_;
    bulk::JobLeases& leases_;
    SObjectContext records_;
    query::QueryService& queries_;
    const bulk::JobFiles& files_;
    std::function<std::string()> new_result_id_;
    SpecTransform spec_;
};

}  // namespace sfkit::server::bulk1
