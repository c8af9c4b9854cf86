// A whole local org: database, auth, REST API, and the dispatcher that turns a Request into a
// Response the way Salesforce's front door does (routing, auth, errors, limits headers).
#pragma once

#include <atomic>
#include <memory>

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

/// Counts authenticated API calls for Sforce-Limit-Info and /limits (rolling 24 h window).
class ApiUsage {
public:
    explicit ApiUsage(long long max) : max_(max) {}
    /// Counts one call; returns the new count.
    long long Count();
    long long Used() const;
    long long Max() const { return max_; }

private:
    long long max_;
    mutable std::atomic<long long> used_{0};
    mutable std::atomic<long long> window_start_ms_{0};
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
