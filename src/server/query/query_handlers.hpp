// The /query and /queryAll resources (wire reference §B.11): `?q=` (also under `/query/`),
// `columns=true`, `Sforce-Query-Options: batchSize=N`, and `/query/{locator}` pages.
#pragma once

#include "server/query/query_service.hpp"

namespace sfkit::server {
class Router;
}

namespace sfkit::server::query {

/// Adds GET /services/data/v{version}/query, /queryAll and their /{locator} pages, and the
/// search resources (search_handlers.hpp).
void RegisterQueryRoutes(Router& router, QueryService& service, const Schema& schema);

/// The Tooling API's /tooling/query (and its /{locator} pages) and /tooling/search over its own
/// query service: query results carry the Tooling keys `size`, `queryLocator` and
/// `entityTypeName` (wire reference §B.11, jsforce#1268).
void RegisterToolingQueryRoutes(Router& router, QueryService& service, const Schema& schema);

}  // namespace sfkit::server::query
