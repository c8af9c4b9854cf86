// The Tooling API under /services/data/vNN.N/tooling (docs/tooling.md): its own schema of
// entities (tooling_schema.hpp) in its own store (tooling_store.hpp: the writable entities in
// the org's database, the generated ones in memory per node), served by the same sObject, describe,
// query and search handlers as the REST API; plus executeAnonymous and the test-run resources,
// which answer as an org whose Apex cannot run (there is no Apex here).
#pragma once

#include <cstdint>
#include <memory>

namespace sfkit::server {

class Database;
class Router;
class Schema;
struct LocalOrgOptions;

namespace tooling {

class ToolingApi {
public:
    /// Builds the entities from `org` (which must outlive this object) into a private store.
    /// `modified_ms` is the model's last change (the rows' dates, describe's Last-Modified).
    /// The writable entities' records and the query locators are kept in `org_db`, the org's
    /// database, so that every node sees them and they outlive a restart (the private store is
    /// built the same way on each node). Creates their tables: construct it while holding the
    /// org's bootstrap lock.
    ToolingApi(const Schema& org,
               const LocalOrgOptions& options,
               std::int64_t modified_ms,
               Database& org_db);
    ~ToolingApi();
    ToolingApi(const ToolingApi&) = delete;
    ToolingApi& operator=(const ToolingApi&) = delete;

    void RegisterRoutes(Router& router);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tooling
}  // namespace sfkit::server
