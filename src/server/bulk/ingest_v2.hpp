// Bulk API 2.0 ingest under /services/data/vXX.X/jobs/ingest (bulk-wire.md §2): job create
// (JSON or multipart), upload, close/abort, job info, job list, delete, and the result CSVs.
// Processing runs on the bulk worker in chunks of LocalOrgOptions::bulk_chunk_rows rows, each
// chunk one transaction through the record-write path (server/records/), a savepoint per row.
#pragma once

#include <memory>

#include "server/bulk/bulk_context.hpp"

namespace sfkit::server::bulk {

std::unique_ptr<BulkApi> MakeIngestV2(const BulkContext& ctx);

}  // namespace sfkit::server::bulk
