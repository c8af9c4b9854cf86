// Runs Bulk API 1.0 batches on the Bulk worker (wire reference §4.4-4.5). An ingest batch is
// read whole (at most 10,000 records, 10 MB), its records written one by one through the
// record-write path (src/server/records) in ONE store transaction together with its results
// and its final state, so a batch is either wholly done or not at all: a batch cut short by a
// stop or a crash runs again from the start when the org restarts. A query batch runs through
// the SOQL query service page by page and writes its result set to a file in the job's area.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "server/records/record_context.hpp"

namespace sfkit::server {
class Database;
namespace query {
class QueryService;
}
namespace bulk {
class JobFiles;
}
}  // namespace sfkit::server

namespace sfkit::server::bulk1 {

class AsyncStore;

/// At most this many records per batch (Bulk API 1.0 limit).
inline constexpr std::size_t kMaxBatchRecords = 10'000;

class AsyncProcessor {
public:
    /// `new_result_id` gives a fresh 18-char id with prefix 752 for a query result set.
    AsyncProcessor(AsyncStore& store,
                   SObjectContext records,
                   query::QueryService& queries,
                   const bulk::JobFiles& files,
                   std::function<std::string()> new_result_id);

    /// Runs the batch to its end (Completed or Failed); nothing when it is no longer Queued
    /// (its job was aborted) or unknown.
    void Run(const std::string& job_id, const std::string& batch_id);

    /// The file of a query batch's result set.
    std::filesystem::path ResultFile(const std::string& job_id,
                                     const std::string& batch_id,
                                     const std::string& result_id) const;

private:
    /// Runs a query batch's SOQL and writes its result set (one file, in the job's format).
    void RunQuery(const struct AsyncJob& job,
                  const struct AsyncBatch& batch,
                  const std::string& soql,
                  const std::function<std::int64_t()>& elapsed);

    AsyncStore& store_;
    SObjectContext records_;
    query::QueryService& queries_;
    const bulk::JobFiles& files_;
    std::function<std::string()> new_result_id_;
};

}  // namespace sfkit::server::bulk1
