// GET /limits and /limits/recordCount (wire reference §B.14): the org's limits with numeric
// Max/Remaining (DailyApiRequests from the real API usage) and live record counts.
#pragma once

#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

class ApiUsage;
class RecordStore;
namespace bulk {
class BulkUsage;
}
class Schema;

struct LimitsContext {
    const Schema& schema;
    RecordStore& store;
    const ApiUsage*
        usage;  ///< null: DailyApiRequests reports nothing used (tests without LocalOrg)
    /// DailyBulkApiBatches, DailyBulkV2QueryJobs, DailyBulkV2QueryFileStorageMB; null: nothing used
    const bulk::BulkUsage* bulk = nullptr;
};

/// GET /limits: `{"<Name>":{"Max":n,"Remaining":n[,"<app>":{"Max":0,"Remaining":0}]},...}`,
/// names sorted.
Response HandleLimits(const LimitsContext& ctx, Call& call);

/// GET /limits/recordCount[?sObjects=A,B]: `{"sObjects":[{"count":n,"name":"A"},...]}`.
Response HandleRecordCount(const LimitsContext& ctx, Call& call);

}  // namespace sfkit::server
