// Handlers of the search resources and their JSON/XML rendering.
#include "server/query/search_handlers.hpp"

#include <boost/json.hpp>

#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/query/query_render.hpp"

namespace sfkit::server::query {
namespace {

/// The search result object replaced the bare array in API 36.0 (REST API reference,
/// "Search"; wire reference §B.12). /parameterizedSearch exists from 36.0 on.
constexpr int kSearchRecordsVersion = 36;

QueryCall CallOf(const Call& call) {
    QueryCall qc;
    qc.user_id = call.session != nullptr ? call.session->user_id : std::string();
    qc.api_version = call.api_version;
    return qc;
}

Response Render(const SearchResult& result, const Schema& schema, const Call& call, int major) {
    const bool wrapped = major >= kSearchRecordsVersion;
    if (call.format == Format::kXml) {
        // Shapes not confirmed [M]: before 36.0 `<SearchResults><SearchResult type url>` as an
        // old client (RForcecom) parses them; from 36.0 the JSON object's name and key.
        XmlWriter w(call.pretty);
        w.Open(wrapped ? "SearchResult" : "SearchResults",
               {{"xmlns:xsi", std::string(kXsiNamespace)}});
        for (const SearchGroupResult& g : result.groups) {
            for (const ResultRow& row : g.rows) {
                RecordXml(w,
                          wrapped ? "searchRecords" : "SearchResult",
                          *g.query,
                          row,
                          schema,
                          call.api_version);
            }
        }
        return XmlResponse(200, std::move(w).Finish());
    }
    boost::json::array records;
    for (const SearchGroupResult& g : result.groups) {
        for (const ResultRow& row : g.rows) {
            records.emplace_back(RecordJson(*g.query, row, schema, call.api_version));
        }
    }
    if (!wrapped) {
        return JsonResponse(200, records, call.pretty);
    }
    boost::json::object body;
    body["searchRecords"] = std::move(records);
    return JsonResponse(200, body, call.pretty);
}

Response HandleSearch(SearchService& service, const Schema& schema, Call& call) {
    const int major = RequireServedVersion(call.api_version);
    // A missing q is an empty statement: `No search term found. ...` (docs/soql.md).
    const std::string q = call.req.QueryParam("q").value_or(std::string());
    return Render(service.Run(q, CallOf(call)), schema, call, major);
}

Response HandleParameterized(SearchService& service, const Schema& schema, Call& call) {
    const int major = RequireServedVersion(call.api_version);
    if (major < kSearchRecordsVersion) {
        throw NotFound();
    }
    const auto params = ParseForm(call.req.query);
    if (!params) {
        throw ApiError(400, "MALFORMED_SEARCH", "The query string is not properly URL-encoded");
    }
    const std::string sosl = ParameterizedSearchToSosl(*params);
    return Render(service.Run(sosl, CallOf(call)), schema, call, major);
}

}  // namespace

void RegisterSearchRoutes(Router& router,
                          std::shared_ptr<SearchService> service,
                          const Schema& schema,
                          const std::string& root,
                          bool parameterized) {
    const Schema* sc = &schema;
    router.Add({{"GET"}, root + "/search", true, [service, sc](Call& call) {
                    return HandleSearch(*service, *sc, call);
                }});
    if (parameterized) {
        router.Add({{"GET"}, root + "/parameterizedSearch", true, [service, sc](Call& call) {
                        return HandleParameterized(*service, *sc, call);
                    }});
    }
}

}  // namespace sfkit::server::query
