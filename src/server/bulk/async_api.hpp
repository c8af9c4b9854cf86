// Bulk API 1.0 under /services/async/XX.X/ (wire reference §4): jobs, batches, results, with
// the session in `X-SFDC-Session` and errors as `<error>` / `{"exceptionCode"}` bodies. One
// route takes the whole /services/async/ tree so that every answer under it, an unknown path or
// a bad session included, has the Bulk 1.0 shape rather than the REST API's.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/bulk/bulk_context.hpp"

namespace sfkit::server {

class ApiUsage;
class AuthService;
namespace query {
class QueryService;
}

namespace bulk1 {

class AsyncStore;

/// What the Bulk 1.0 resources need from the org besides the Bulk context.
struct AsyncDeps {
    const AuthService& auth;
    query::QueryService& queries;
    ApiUsage* usage = nullptr;  ///< counts each authenticated call (DailyApiRequests)
};

class AsyncApi : public bulk::BulkApi {
public:
    AsyncApi(const bulk::BulkContext& ctx, AsyncDeps deps);
    ~AsyncApi() override;
    AsyncApi(const AsyncApi&) = delete;
    AsyncApi& operator=(const AsyncApi&) = delete;

    /// Adds the one route for /services/async/{version}/...
    void RegisterRoutes(Router& router) override;
    /// Creates the tables and the batches' lease columns; on SQLite every lease lapses (one
    /// node: a batch cut short resumes at once).
    void Start() override;
    /// Claims Queued or InProgress batches whose lease lapsed (any node's) and runs them.
    void Claim() override;
    /// Gives this node's batch leases back (the worker stopped).
    void Stopped() override;
    AsyncStore& Store();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bulk1
}  // namespace sfkit::server
