// Bulk API 1.0 under /services/async/XX.X/ (wire reference §4): jobs, batches, results, with
// the session in `X-SFDC-Session` and errors as `<error>` / `{"exceptionCode"}` bodies. One
// route takes the whole /services/async/ tree so that every answer under it, an unknown path or
// a bad session included, has the Bulk 1.0 shape rather than the REST API's.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace sfkit::server {

class ApiUsage;
class AuthService;
class Database;
class Router;
class Schema;

namespace bulk1 {

class AsyncStore;

/// What the Bulk 1.0 resources need from the org.
struct AsyncDeps {
    Database& db;
    const AuthService& auth;
    const Schema& schema;
    ApiUsage* usage = nullptr;  ///< counts each authenticated call (DailyApiRequests)
    /// A new 18-char job id (prefix 750), shared with Bulk API 2.0's jobs.
    std::function<std::string()> new_job_id;
    /// The 2-character instance part of the org's ids (for batch ids).
    std::function<std::string()> pod;
    /// Hands a stored, Queued batch to the background processor.
    std::function<void(const std::string& job_id, const std::string& batch_id)> submit;
    /// Counts one batch toward DailyBulkApiBatches; throws AsyncError past the limit. Optional.
    std::function<void()> count_batch;
};

class AsyncApi {
public:
    explicit AsyncApi(AsyncDeps deps);
    ~AsyncApi();
    AsyncApi(const AsyncApi&) = delete;
    AsyncApi& operator=(const AsyncApi&) = delete;

    /// Adds the one route for /services/async/{version}/...
    void RegisterRoutes(Router& router);
    AsyncStore& Store();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bulk1
}  // namespace sfkit::server
