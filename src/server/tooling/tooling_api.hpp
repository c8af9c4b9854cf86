// The Tooling API under /services/data/vNN.N/tooling (docs/tooling.md): its own schema of
// entities (tooling_schema.hpp) in its own in-memory store, served by the same sObject, describe,
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
    /// Query locators are kept in `org_db`, the org's database, so that they page on every node
    /// (the private store is built the same way on each).
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
