// The composite resources of the REST API (wire reference §B.13) other than sObject Collections
// (collection_handlers.hpp): Composite, Composite Batch, Composite Graph, sObject Tree and the
// /composite directory. Composite and Batch run their subrequests in-process through the org's own
// router (subrequests.hpp), so every resource of the org can be a subrequest. RestApi wires them.
#pragma once

#include "server/api/sobject_handlers.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

/// What the composite handlers run against: the router their subrequests go through (the one
/// they are registered in) and the records (sObject Tree writes them directly).
struct CompositeContext {
    const Router& router;
    const SObjectContext& records;
};

/// GET /composite: the composite resources of this version, name -> URL
/// (`tree, batch, sobjects, graph`, the order Salesforce lists them in, each from the version
/// that has it).
Response HandleCompositeResources(const CompositeContext& ctx, Call& call);

/// POST /composite (API 38.0+): `{"allOrNone":b,"collateSubrequests":b,"compositeRequest":[
/// {"method","url","referenceId","body","httpHeaders"},...]}`, up to 25 subrequests (5 of them
/// queries or sObject Collections). Always 200 `{"compositeResponse":[{"body","httpHeaders",
/// "httpStatusCode","referenceId"},...]}` once the request is well formed. `@{ref.path}`
/// references take values from earlier answers. With allOrNone the whole request is one storage
/// transaction: on the first failure it is abandoned and every other subrequest reports 400
/// PROCESSING_HALTED.
Response HandleComposite(const CompositeContext& ctx, Call& call);

/// POST /composite/batch (API 34.0+): `{"haltOnError":b,"batchRequests":[{"method","url",
/// "richInput"},...]}`, urls relative to /services/data (`v60.0/sobjects/...`), up to 25.
/// 200 `{"hasErrors":b,"results":[{"statusCode","result"},...]}`; each subrequest commits on its
/// own; with haltOnError the ones after a failure answer 412 BATCH_PROCESSING_HALTED.
Response HandleCompositeBatch(const CompositeContext& ctx, Call& call);

/// POST /composite/graph (API 50.0+): `{"graphs":[{"graphId","compositeRequest":[...]},...]}`,
/// each graph all or nothing in a transaction of its own, nodes limited to the sObject record
/// resources; 200 `{"graphs":[{"graphId","graphResponse":{"compositeResponse":[...]},
/// "isSuccessful"},...]}`. Up to 75 graphs and 500 nodes.
Response HandleCompositeGraph(const CompositeContext& ctx, Call& call);

/// POST /composite/tree/{type} (API 34.0+): nested records, each with attributes
/// `{"type","referenceId"}`, children under their relationship name as `{"records":[...]}`; up
/// to 200 records and 5 levels. 201 `{"hasErrors":false,"results":[{"referenceId","id"},...]}`
/// (level by level); on any failure nothing is kept and the answer is 400
/// `{"hasErrors":true,"results":[{"referenceId","errors":[...]}]}` naming the failing records.
Response HandleCompositeTree(const CompositeContext& ctx, Call& call);

}  // namespace sfkit::server
