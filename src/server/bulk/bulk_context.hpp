// What every Bulk API (2.0 ingest, 2.0 query, 1.0) shares: the org's database (its job tables
// live there), the record-write path, the per-job file area, the background worker, and the
// org's options. BulkServices owns the file area and the worker and hands this to each API.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/records/record_context.hpp"

namespace sfkit::server {
class Database;
class Router;
struct LocalOrgOptions;
}  // namespace sfkit::server

namespace sfkit::server::bulk {

class BulkUsage;
class JobBlobs;
class JobFiles;
class Worker;

/// Key prefixes of Bulk ids (bulk-wire.md §1.2): jobs, Bulk 1.0 batches, Bulk 1.0 query results.
inline constexpr std::string_view kJobKeyPrefix = "750";
inline constexpr std::string_view kBatchKeyPrefix = "751";
inline constexpr std::string_view kResultKeyPrefix = "752";

/// A Bulk API 1.0 job as the Bulk 2.0 job list shows it (GET /jobs/ingest, jobType "Classic").
struct ClassicJob {
    std::string id;
    std::string operation;
    std::string object;
    std::string created_by_id;
    std::string created_date;  ///< canonical `...000+0000`
    std::string system_modstamp;
    std::string state;
    std::string concurrency_mode;
    std::string content_type;
    std::string api_version;
};

/// Bulk 1.0 jobs with ids greater than `after`, in id order, at most `limit`, of concurrency
/// mode `mode` ("" = any) (set by Bulk 1.0 when it is added; empty without it).
using ClassicJobLister = std::function<std::vector<ClassicJob>(
    const std::string& after, std::size_t limit, const std::string& mode)>;

struct BulkContext {
    Database& db;
    SObjectContext records;
    JobFiles& files;
    /// Job bytes in the database, readable from every node (job_blobs.hpp).
    JobBlobs& blobs;
    Worker& worker;
    /// This node's id in job leases (job_leases.hpp): new at every start.
    const std::string& node_id;
    const LocalOrgOptions& options;
    /// The daily Bulk allocations (/limits): count DailyBulkApiBatches with
    /// usage.TryCount(BulkLimit::kBatches, n) and refuse when it returns false (bulk_usage.hpp).
    BulkUsage& usage;
    /// Bulk 1.0's jobs, for GET /jobs/ingest (BulkServices owns it; Bulk 1.0 fills it in).
    ClassicJobLister& classic_jobs;
};

/// A new 18-char id with `key_prefix` (kJobKeyPrefix, ...), from the record store's durable id
/// counters: unique across restarts.
std::string NewBulkId(const BulkContext& ctx, std::string_view key_prefix);

/// A Bulk job's or batch's time stamp (createdDate, systemModstamp) for `t`: whole seconds, as
/// every recorded jobInfo and batchInfo shows (`2022-01-02T21:57:03.000+0000`, bulk-wire.md
/// §2-§4), whatever the clock's precision.
std::string JobTimestamp(std::chrono::system_clock::time_point t);
/// JobTimestamp of now on the org's clock (`LocalOrgOptions::clock` when a test sets one).
std::string JobTimestampNow(const LocalOrgOptions& options);

/// One Bulk API: its routes, and what it does when the org starts.
class BulkApi {
public:
    virtual ~BulkApi() = default;
    virtual void RegisterRoutes(Router& router) = 0;
    /// Called once at start, after every API registered its routes and before requests are
    /// served: create its tables if needed, re-post jobs that were being processed when the
    /// org stopped (or fail them with an errorMessage, never drop them silently), and remove
    /// jobs past their retention.
    virtual void Start() = 0;
    /// Called by the worker's poller (every LocalOrgOptions::bulk_poll, and on Worker::Kick):
    /// claim jobs that are ready (job_leases.hpp) and post their steps. APIs whose jobs are
    /// not yet claimed from the database post them themselves and leave this empty.
    virtual void Claim() {}
    /// Called once the worker stopped (no step runs): give up this node's leases, so another
    /// node (or this one, restarted) takes the jobs over without waiting for them to lapse.
    virtual void Stopped() {}
};

}  // namespace sfkit::server::bulk
