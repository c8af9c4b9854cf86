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

/// The Tooling API's page: `size, totalSize, done, [nextRecordsUrl,] queryLocator,
/// entityTypeName, records` (jsforce#1268 records the order of a one-page answer).
boost::json::object ToolingPage(const QueryPage& page, boost::json::object rest) {
    boost::json::object out;
    const auto* records = rest.if_contains("records");
    out["size"] = records != nullptr ? records->as_array().size() : 0;
    out["totalSize"] = rest["totalSize"];
    out["done"] = rest["done"];
    std::string locator;
    if (const auto* next = rest.if_contains("nextRecordsUrl")) {
        out["nextRecordsUrl"] = *next;
        const std::string url(next->as_string());
        locator = url.substr(url.rfind('/') + 1);
    }
    out["queryLocator"] =
        locator.empty() ? boost::json::value(nullptr) : boost::json::value(locator);
    out["entityTypeName"] = page.query->aggregate ? "AggregateResult" : page.query->object->name;
    out["records"] = std::move(rest["records"]);
    return out;
}

Response Render(const QueryPage& page, const Schema& schema, const Call& call, bool tooling) {
    if (call.format == Format::kXml) {
        return XmlResponse(200, PageXml(page, schema, call.api_version, call.pretty));
    }
    boost::json::object body = PageJson(page, schema, call.api_version);
    if (tooling) {
        body = ToolingPage(page, std::move(body));
    }
    return JsonResponse(200, body, call.pretty);
}

Response HandleQuery(
    QueryService& service, const Schema& schema, Call& call, bool all, bool tooling = false) {
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
    return Render(service.Run(*q, qc), schema, call, tooling);
}

Response HandleMore(
    QueryService& service, const Schema& schema, Call& call, bool all, bool tooling = false) {
    RequireServedVersion(call.api_version);
    return Render(service.More(call.Param("locator"), CallOf(call, all)), schema, call, tooling);
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

void RegisterToolingQueryRoutes(Router& router, QueryService& service, const Schema& schema) {
    QueryService* s = &service;
    const Schema* sc = &schema;
    const std::string root = "/services/data/v{version}/tooling";
    router.Add({{"GET"}, root + "/query", true, [s, sc](Call& call) {
                    return HandleQuery(*s, *sc, call, false, true);
                }});
    router.Add({{"GET"}, root + "/query/{locator}", true, [s, sc](Call& call) {
                    return HandleMore(*s, *sc, call, false, true);
                }});
    RegisterSearchRoutes(
        router, std::make_shared<SearchService>(service, schema), schema, root, false);
}

}  // namespace sfkit::server::query
