// Handlers of the record resources under /sobjects/{Type} (wire reference §B.6-B.10): create,
// retrieve, update, delete, the external-id resource (retrieve, upsert, delete), and the
// replication resources `updated` and `deleted`. RestApi wires them into the router.
#pragma once

#include "server/api/sobject_handlers.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

namespace query {
class QueryService;
}

/// POST /sobjects/{type}: 201 SaveResult `{"id","success","errors"}` (§B.6).
Response HandleCreate(const SObjectContext& ctx, Call& call);

/// /sobjects/{type}/{id}: GET/HEAD retrieve (§B.7), PATCH update → 204 (§B.8), DELETE → 204
/// (§B.9, soft delete with cascade).
Response HandleRecord(const SObjectContext& ctx, Call& call);

/// /sobjects/{type}/Id with POST or PATCH: upsert with the Id field and no value, i.e. insert
/// (§B.6 "POST /sobjects/{Type}/Id also creates").
Response HandleUpsertWithoutId(const SObjectContext& ctx, Call& call);

/// /sobjects/{type}/{a}/{b}. When {a} is a record id of the type, its subresource {b}: a base64
/// field's content (GET), a parent relationship (GET the parent, PATCH/DELETE it) or a child
/// relationship (GET the children as a query result, through `queries`): the sObject
/// Relationships resource, from v36.0. Otherwise {a}/{b} is an external-id field and value:
/// GET/HEAD retrieve by external id, PATCH upsert (§B.10), DELETE by external id; 300 with the
/// matching records' URLs when several match.
Response HandleRecordSubresource(const SObjectContext& ctx,
                                 query::QueryService* queries,
                                 Call& call);

/// GET /sobjects/{type}/updated?start=&end=: `{"ids":[...],"latestDateCovered":".."}`.
Response HandleGetUpdated(const SObjectContext& ctx, Call& call);

/// GET /sobjects/{type}/deleted?start=&end=:
/// `{"deletedRecords":[{"id","deletedDate"}],"earliestDateAvailable","latestDateCovered"}`.
Response HandleGetDeleted(const SObjectContext& ctx, Call& call);

}  // namespace sfkit::server
