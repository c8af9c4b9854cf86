// The REST API under /services/data: versions, sObject resources (wire reference §B).
#pragma once

#include <memory>
#include <string>

#include "server/records/record_context.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {

class ApiUsage;
namespace bulk {
class BulkUsage;
}
class AuthService;
class Database;
class DirectorySink;
class Router;
class Schema;
struct LocalOrgOptions;
namespace query {
class QueryService;
}

struct DescribeContext;

/// The sObject resources below `root` ("/services/data/v{version}", or ".../tooling" for the
/// Tooling API's entities): describeGlobal, basic info, create, describe, record retrieve/
/// update/delete, upsert and external ids, blob fields and relationship traversal (children
/// through `queries`), updated/deleted, over `records` and `describe`.
void RegisterSObjectRoutes(Router& router,
                           const std::string& root,
                           const SObjectContext& records,
                           const DescribeContext& describe,
                           query::QueryService& queries);

class RestApi {
public:
    /// Builds the org's data model from the standard objects and the org definition's custom
    /// objects; throws std::runtime_error naming the file and JSON path on a bad definition.
    RestApi(Database& db, AuthService& auth, const LocalOrgOptions& options);
    ~RestApi();
    RestApi(const RestApi&) = delete;
    RestApi& operator=(const RestApi&) = delete;

    /// Stores custom key prefixes and creates or widens the record tables. Call once, before
    /// AuthService::Bootstrap() (which publishes the directory into them).
    void Bootstrap();
    /// Receives the org's users, profiles and Organization row from AuthService.
    DirectorySink& Directory();
    /// Overrides the pod of new record ids (normally the org id's, set when the directory is
    /// published): for tests that need ids known in advance.
    void SetIdPod(std::string pod);
    /// The org's API usage counter, which /limits reports (DailyApiRequests). Optional.
    void SetApiUsage(const ApiUsage* usage);
    /// The org's Bulk allocation counters, which /limits reports. Optional.
    void SetBulkUsage(const bulk::BulkUsage* usage);
    /// The record store's write transactions and commits (commits per fsync, for benchmarks).
    RecordStore::WriteStats Writes() const;
    /// The data model (standard objects plus the org definition's custom ones), open for
    /// additions before Bootstrap(): tests register objects here. Objects added this way are
    /// served and stored like the others, but their key prefixes are not remembered across
    /// restarts (only the org definition's are), so give them fixed ones.
    Schema& MutableSchema();
    /// The schema and record store the record writes work on (Bulk writes through them too).
    const SObjectContext& Records() const;
    /// The SOQL query service of /query (Bulk query batches run through it too).
    query::QueryService& Queries();
    /// Adds GET /services/data, /services/data/v{version}/..., sobjects routes.
    void RegisterRoutes(Router& router);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::server
