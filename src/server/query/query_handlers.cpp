// Handlers of the query resources.
#include "server/query/query_handlers.hpp"

#include <boost/json.hpp>

#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/query/query_render.hpp"
#include "server/query/search_handlers.hpp"

namespace sfkit::server::query {
namespace {

QueryCall CallOf(const Call& call, bool all) {
    QueryCall qc;
    qc.user_id = call.session != nullptr ? call.session->user_id : std::string();
    qc.api_version = call.api_version;
    qc.query_all = all;
    qc.batch_size = ParseBatchSize(call.req.Header("Sforce-Query-Options"));
    return qc;
}

Response Render(const QueryPage& page, const Schema& schema, const Call& call) {
    if (call.format == Format::kXml) {
        return XmlResponse(200, PageXml(page, schema, call.api_version, call.pretty));
    }
    return JsonResponse(200, PageJson(page, schema, call.api_version), call.pretty);
}

Response HandleQuery(QueryService& service, const Schema& schema, Call& call, bool all) {
    RequireServedVersion(call.api_version);
    if (call.req.QueryParam("explain")) {
        // The query plan resource is not implemented (docs/soql.md).
        throw ApiError(
            400, "MALFORMED_QUERY", "The explain parameter is not supported by this server");
    }
    const auto q = call.req.QueryParam("q");
    if (!q || q->empty()) {
        throw ApiError(400, "MALFORMED_QUERY", "A query string has to be specified");
    }
    const QueryCall qc = CallOf(call, all);
    const auto columns = call.req.QueryParam("columns");
    if (columns && ToLowerAscii(*columns) == "true") {
        const auto bound = service.Prepare(*q, qc);
        const boost::json::object body = ColumnsJson(*bound);
        return JsonResponse(200, body, call.pretty);
    }
    return Render(service.Run(*q, qc), schema, call);
}

Response HandleMore(QueryService& service, const Schema& schema, Call& call, bool all) {
    RequireServedVersion(call.api_version);
    return Render(service.More(call.Param("locator"), CallOf(call, all)), schema, call);
}

}  // namespace

void RegisterQueryRoutes(Router& router, QueryService& service, const Schema& schema) {
    QueryService* s = &service;
    const Schema* sc = &schema;
    for (const bool all : {false, true}) {
        const std::string base =
            std::string("/services/data/v{version}/") + (all ? "queryAll" : "query");
        router.Add({{"GET"}, base, true, [s, sc, all](Call& call) {
                        return HandleQuery(*s, *sc, call, all);
                    }});
        router.Add({{"GET"}, base + "/{locator}", true, [s, sc, all](Call& call) {
                        return HandleMore(*s, *sc, call, all);
                    }});
    }
    RegisterSearchRoutes(router, std::make_shared<SearchService>(service, schema), schema);
}

}  // namespace sfkit::server::query
