// What the /sobjects handlers share: the context they run in and the `{type}` lookup. The
// resources themselves are in describe_handlers.hpp (describeGlobal, basic info, describe) and
// record_handlers.hpp (create, retrieve, update, delete, upsert, replication).
#pragma once

#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/records/record_context.hpp"

namespace sfkit::server {

/// The object named by the `{type}` capture; throws 404 NOT_FOUND when unknown (§B.4).
const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call);

}  // namespace sfkit::server
