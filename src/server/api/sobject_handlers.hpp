// Handlers of the /sobjects describe resources (wire reference §B.3, B.4). Each is a plain
// function of the call and the org's data model; RestApi wires them into the router. Record
// resources are in record_handlers.hpp.
#pragma once

#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {

struct SObjectContext {
    const Schema& schema;
    RecordStore& store;
};

/// The object named by the `{type}` capture; throws 404 NOT_FOUND when unknown (§B.4).
const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call);

/// GET /sobjects: `{"encoding","maxBatchSize","sobjects":[...]}`.
Response HandleDescribeGlobal(const SObjectContext& ctx, Call& call);
/// GET /sobjects/{type}: `{"objectDescribe":{...},"recentItems":[...]}`.
Response HandleBasicInfo(const SObjectContext& ctx, Call& call);

}  // namespace sfkit::server
