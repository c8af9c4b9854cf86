// A whole local org: database, auth, REST API, and the dispatcher that turns a Request into a
// Response the way Salesforce's front door does (routing, auth, errors, limits headers).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "server/auth/auth_service.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/http/message.hpp"
#include "server/org/options.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {

class Database;
class Router;
class RestApi;
namespace bulk {
class BulkServices;
}

/// Counts authenticated API calls for Sforce-Limit-Info and /limits (a 24 h window that starts
/// again 24 h after it began). Once Attach()ed, the count is the org's, kept in the database
/// (table api_usage) for every node that serves the org: each node adds up its own calls in
/// memory and adds them to the stored count at least every kFlushInterval (and when /limits
/// asks, Current()), one UPDATE for many calls. A node's own calls are in what it reports at
/// once, another node's within kFlushInterval. The count is reported, never enforced (no call
/// is refused with REQUEST_LIMIT_EXCEEDED), so batching changes no answer's outcome.
class ApiUsage {
public:
    static constexpr std::chrono::milliseconds kFlushInterval{1000};
    static constexpr long long kWindowMs = 24LL * 3600 * 1000;

    explicit ApiUsage(long long max) : max_(max) {}
    ~ApiUsage();
    ApiUsage(const ApiUsage&) = delete;
    ApiUsage& operator=(const ApiUsage&) = delete;
    /// Keeps the count in `db` from now on (creating its table; call while holding the
    /// bootstrap lock) and starts the thread that writes this node's calls back.
    void Attach(Database& db);
    /// Counts one call; returns the count this node knows of.
    long long Count();
    /// The count this node knows of: the stored one as of the last write-back plus its own
    /// calls since.
    long long Used() const;
    /// Writes this node's calls back and reads the org's count (every node's calls written
    /// back so far).
    long long Current() const;
    long long Max() const { return max_; }

private:
    /// Adds the pending calls to the stored count; returns false when the database failed.
    bool Flush() const;
    void FlushLoop();

    long long max_;
    Database* db_ = nullptr;
    mutable std::mutex mu_;                  ///< guards the three below
    mutable long long stored_ = 0;           ///< the org's count at the last write-back
    mutable long long pending_ = 0;          ///< this node's calls not yet written back
    mutable long long window_start_ms_ = 0;  ///< without a database
    mutable std::mutex flush_mu_;            ///< one write-back at a time
    std::mutex stop_mu_;
    std::condition_variable stop_cv_;
    bool stop_ = false;
    std::thread flusher_;
};

class LocalOrg {
public:
    /// Opens or creates the org (throws std::runtime_error on a bad data dir or org definition).
    explicit LocalOrg(LocalOrgOptions options);
    ~LocalOrg();
    LocalOrg(const LocalOrg&) = delete;
    LocalOrg& operator=(const LocalOrg&) = delete;

    /// Answers one request. Never throws. A request that may write (any method but GET, HEAD,
    /// OPTIONS) is answered with Response::waits_for_commit set: the HTTP server calls it on
    /// its write pool.
    Response Handle(const Request& req);
    /// For HttpServerOptions::body_to_file: the bodies of routes that declare
    /// Route::body_file_limit stream to files in BodyFileDir() instead of memory.
    BodyFileRoute BodyFileTargets() const;
    /// Where streamed request bodies are written: `bulk-upload` (0700) next to the database
    /// (the data dir, or the private directory of an in-memory org); emptied at start.
    const std::string& BodyFileDir() const { return body_file_dir_; }

    const FirstStartCredentials& Credentials() const { return credentials_; }
    const OrgInfo& Org() const;
    ApiUsage& Usage() { return usage_; }
    /// The daily Bulk allocations (/limits DailyBulkApiBatches, DailyBulkV2QueryJobs,
    /// DailyBulkV2QueryFileStorageMB), counted by the Bulk APIs.
    bulk::BulkUsage& BulkUsage() { return bulk_usage_; }
    const LocalOrgOptions& Options() const { return options_; }
    /// Record writes asked of the store and the commits (fsyncs) that made them durable: with
    /// concurrent writers, commits < transactions (group commit). For benchmarks.
    RecordStore::WriteStats RecordWrites() const;
    /// The Bulk APIs (jobs, their worker and files).
    bulk::BulkServices& Bulk() { return *bulk_; }

private:
    /// Routes, authenticates and answers `req` on the calling thread.
    Response Dispatch(const Request& req);
    /// Adds Bulk API 1.0 to the Bulk services (src/server/bulk/async_org.cpp).
    void AddBulk1();

    LocalOrgOptions options_;
    bulk::BulkUsage bulk_usage_;  ///< before bulk_, which counts into it
    std::unique_ptr<Database> db_;
    std::unique_ptr<AuthService> auth_;
    std::unique_ptr<RestApi> rest_;
    std::unique_ptr<Router> router_;
    /// Declared after what it uses, so it is destroyed (its worker stopped) first.
    std::unique_ptr<bulk::BulkServices> bulk_;
    FirstStartCredentials credentials_;
    ApiUsage usage_;
    std::string body_file_dir_;
};

}  // namespace sfkit::server
