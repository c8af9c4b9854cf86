// The search resources (wire reference §B.12): GET /search?q=<SOSL> and GET
// /parameterizedSearch?q=...&sobject=... (v36.0+); `{"searchRecords":[...]}` from API 36.0,
// a bare record array before; XML `<SearchResult>` / `<SearchResults>` (docs/soql.md).
#pragma once

#include <memory>
#include <string>

#include "server/query/search_service.hpp"

namespace sfkit::server {
class Router;
}

namespace sfkit::server::query {

/// Adds GET {root}/search and, when `parameterized`, {root}/parameterizedSearch; `root` is
/// "/services/data/v{version}" (or ".../tooling", whose API has no parameterized search).
void RegisterSearchRoutes(Router& router,
                          std::shared_ptr<SearchService> service,
                          const Schema& schema,
                          const std::string& root = "/services/data/v{version}",
                          bool parameterized = true);

}  // namespace sfkit::server::query
