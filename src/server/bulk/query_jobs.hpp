// Bulk API 2.0 query jobs under /services/data/vXX.X/jobs/query (bulk-wire.md §3): create
// (query, queryAll), job info, the list of jobs, abort, delete, and the results in pages of CSV
// (`maxRecords`, `locator`, `Sforce-Locator` ending at the literal `null`,
// `Sforce-NumberOfRecords`, a header row on every page).
//
// A job runs on the Bulk worker: the SOQL goes through the REST query path (QueryService:
// parser, binder, translator) and its rows stream from one read snapshot into the job's result
// file, one CSV line at a time, next to an index of where each row starts; pages are then read
// from the file by offset. Memory stays constant whatever the row count. Jobs live in the org
// database (table bulk_query_job) and their results in the job's file area, so both survive a
// restart; a job that was running when the org stopped runs again from the start.
#pragma once

#include <memory>

#include "server/bulk/bulk_context.hpp"

namespace sfkit::server::bulk {

/// The query-job API of the org's Bulk services.
std::unique_ptr<BulkApi> MakeQueryJobs(const BulkContext& ctx);

}  // namespace sfkit::server::bulk
