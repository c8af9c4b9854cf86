// The REST API under /services/data: versions, sObject resources (wire reference §B).
#pragma once

#include <memory>

namespace sfkit::server {

class ApiUsage;
class AuthService;
class Database;
class Router;
class Schema;
struct LocalOrgOptions;

class RestApi {
public:
    RestApi(Database& db, AuthService& auth, const LocalOrgOptions& options);
    ~RestApi();
    RestApi(const RestApi&) = delete;
    RestApi& operator=(const RestApi&) = delete;

    /// Creates or migrates the record tables. Called once after AuthService::Bootstrap().
    void Bootstrap();
    /// The org's API usage counter, which /limits reports (DailyApiRequests). Optional.
    void SetApiUsage(const ApiUsage* usage);
    /// The data model, open for additions before Bootstrap() (tests register objects here).
    Schema& MutableSchema();
    /// Adds GET /services/data, /services/data/v{version}/..., sobjects routes.
    void RegisterRoutes(Router& router);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::server
