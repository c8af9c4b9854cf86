// Handlers of the /sobjects record resources (wire reference §B.6, B.7; describe resources are
// in describe_handlers.hpp). Each is a plain
// function of the call and the org's data model; RestApi wires them into the router.
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

/// POST /sobjects/{type}: 201 SaveResult.
Response HandleCreate(const SObjectContext& ctx, Call& call);
/// GET /sobjects/{type}/{id}[?fields=]: the record.
Response HandleRetrieve(const SObjectContext& ctx, Call& call);

}  // namespace sfkit::server
