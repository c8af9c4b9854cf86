// The REST resources a user interface reads (docs/rest.md "UI resources"): describe layouts
// (per object, per record type, global, named, compact, approval), /compactLayouts, list views
// (list, describe, results, recent), /recent, /sobjects/relevantItems, quick actions, invocable
// actions, /appMenu, /tabs, /theme, /process/rules and /process/approvals, the search scope,
// layout and suggestion resources, and Knowledge's settings. All are generated from the org's
// schema and records: the local org has no page-layout, list-view, flow or approval metadata of
// its own, so it answers as a fresh org with Salesforce's defaults would.
#pragma once

#include "server/records/record_context.hpp"

namespace sfkit::server {

class Router;
namespace query {
class QueryService;
}

/// Adds the routes above under /services/data/v{version}.
void RegisterUiResourceRoutes(Router& router,
                              const SObjectContext& records,
                              query::QueryService& queries);

}  // namespace sfkit::server
