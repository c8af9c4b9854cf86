// sObject Collections (wire reference §B.13, `/composite/sobjects`, API 42.0 and later): create,
// update, upsert, delete and retrieve of up to 200 records (2000 for retrieve) in one request,
// with per-record results and the allOrNone switch. RestApi wires them into the router.
#pragma once

#include "server/api/sobject_handlers.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

/// /composite/sobjects: POST creates `{"allOrNone":b,"records":[{"attributes":{"type":..},..}]}`,
/// PATCH updates the same shape (each record with its Id), DELETE `?ids=a,b&allOrNone=b` deletes.
/// 200 with one result per record, in request order: `{"id","success","errors"}`, errors being
/// `{"statusCode","message","fields"}`. A failing record carries no `id`; with allOrNone true
/// nothing is kept when one fails, and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
Response HandleCollection(const SObjectContext& ctx, Call& call);

/// PATCH /composite/sobjects/{type}/{field} (API 46.0 and later): upsert by the external-id
/// field; results `{"id","success","errors","created"}`.
Response HandleCollectionUpsert(const SObjectContext& ctx, Call& call);

/// GET /composite/sobjects/{type}?ids=..&fields=.. and POST of `{"ids":[..],"fields":[..]}` to
/// the same URL: the records in `ids` order (attributes, the fields in request order, Id last
/// when not requested), `null` for ids that name no live record of {type}.
Response HandleCollectionRetrieve(const SObjectContext& ctx, Call& call);

}  // namespace sfkit::server
