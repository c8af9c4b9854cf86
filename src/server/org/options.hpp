// Options of a local org, as `sfkit serve` fills them from its flags.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "server/query/query_limits.hpp"

namespace sfkit::server {

struct LocalOrgOptions {
    std::string data_dir = ".sfkit/org";  ///< where org.db and credentials.json live
    bool in_memory = false;               ///< nothing outlives the process (Database: ":memory:")
    /// PostgreSQL connection target (libpq URI or keyword string): the org lives there instead
    /// of data_dir/org.db, and several nodes may serve it. data_dir then only holds files
    /// (credentials.json, streamed bulk bodies).
    std::string database;
    std::string org_def_file;  ///< optional org definition (docs/org-definition.md)
    std::chrono::seconds session_timeout{2 * 60 * 60};  ///< access-token lifetime
    std::string public_url;  ///< instance URL to advertise; default: what the client addressed
    long long api_daily_limit = 15000;  ///< DailyApiRequests Max (Developer Edition figure)
    /// How long the reads of one query page or search may run before they answer 400
    /// QUERY_TIMEOUT (Salesforce stops a query after 120 s).
    std::chrono::milliseconds query_time_limit = query::kQueryTimeLimit;
    /// Time source for SOQL date literals and query-locator expiry; empty = the system clock.
    /// Tests inject a fixed or steppable clock.
    std::function<std::chrono::system_clock::time_point()> clock;
    /// Threads of the Bulk jobs' background worker (server/bulk/worker.hpp).
    std::size_t bulk_threads = 2;
    /// Rows per transaction when a Bulk ingest job is processed (Salesforce's internal batch
    /// size); tests lower it to see several chunks with few rows.
    std::size_t bulk_chunk_rows = 10000;
    /// Tests: called on the Bulk worker after each chunk of a Bulk 1.0 ingest batch or a Bulk
    /// 2.0 ingest job committed, with the batch's (or job's) id (a test may block in it to act
    /// while the batch is half done).
    std::function<void(const std::string& batch_id)> bulk_chunk_committed;
    /// How long a node's claim on a Bulk job lasts without renewal (each chunk renews it): a
    /// node that dies mid-job loses the job to another node this long after its last chunk
    /// (issue 13, server/bulk/job_leases.hpp). Longer than the slowest chunk.
    std::chrono::milliseconds bulk_lease{30'000};
    /// How often each node looks for claimable Bulk jobs (besides when it closed or finished one).
    std::chrono::milliseconds bulk_poll{1'000};
    /// Rows of a Bulk 2.0 query results page when the client gives no maxRecords (jsforce and
    /// sf never do); tests lower it to see several pages with few rows.
    std::size_t bulk_query_page_rows = 100000;
};

}  // namespace sfkit::server
