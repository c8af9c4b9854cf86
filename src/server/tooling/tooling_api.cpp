// The Tooling API: its entities in a store of their own (the writable ones in the org's database,
// the generated ones per node: tooling_store.hpp), the shared REST handlers over them, and the
// Apex resources answered without Apex.
#include "server/tooling/tooling_api.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/describe_handlers.hpp"
#include "server/api/record_handlers.hpp"
#include "server/api/render.hpp"
#include "server/api/rest_api.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/query/query_handlers.hpp"
#include "server/query/query_service.hpp"
#include "server/records/record_context.hpp"
#include "server/schema/field_value.hpp"
#include "server/storage/database.hpp"
#include "server/storage/record_store.hpp"
#include "server/storage/sqlite_record_store.hpp"
#include "server/tooling/tooling_schema.hpp"
#include "server/tooling/tooling_store.hpp"

namespace sfkit::server::tooling {
namespace {

namespace json = boost::json;

/// The writable entities' tables in the org's database: `tooling_sobject_SandboxInfo`, ..., apart
/// from the org's own `sobject_*` tables.
constexpr std::string_view kSharedTablePrefix = "tooling_sobject_";

/// Why no Apex answer can succeed here (docs/tooling.md).
constexpr const char* kNoApex =
    "Apex cannot be compiled or run in this org: the sfkit local org has no Apex runtime";

/// GET /tooling/executeAnonymous?anonymousBody=...: an ExecuteAnonymousResult (key order of
/// Salesforce's answer [D]) that reports the code as not compiled, at line 1 column 1, with
/// kNoApex as the compile problem: clients (sf apex run, jsforce) then show that text.
Response HandleExecuteAnonymous(Call& call) {
    RequireServedVersion(call.api_version);
    const auto body = call.req.QueryParam("anonymousBody");
    if (!body || body->empty()) {
        throw ApiError(400, "MISSING_ARGUMENT", "anonymousBody: Required parameter is missing");
    }
    json::object out;
    out["line"] = 1;
    out["column"] = 1;
    out["compiled"] = false;
    out["success"] = false;
    out["compileProblem"] = kNoApex;
    out["exceptionStackTrace"] = nullptr;
    out["exceptionMessage"] = nullptr;
    return JsonResponse(200, out, call.pretty);
}

/// The class names a test-run request selects: `{"classNames":"A,B"}`, `{"tests":[{"className":
/// "A"}]}` or `[{"className":"A"}, {"maxFailedTests":"2"}]`; class ids likewise.
std::vector<std::string> SelectedClasses(const json::value& body) {
    std::vector<std::string> names;
    const auto split = [&names](std::string_view list) {
        std::size_t start = 0;
        while (start <= list.size()) {
            const auto comma = list.find(',', start);
            std::string_view part = list.substr(start, comma - start);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
            if (!part.empty())
                names.emplace_back(part);
            if (comma == std::string_view::npos)
                break;
            start = comma + 1;
        }
    };
    const auto from_item = [&](const json::value& item) {
        if (!item.is_object()) {
            return;
        }
        for (const char* key :
             {"className", "classId", "classNames", "classids", "suiteNames", "suiteids"}) {
            if (const auto* v = item.as_object().if_contains(key); v != nullptr && v->is_string()) {
                split(v->as_string());
            }
        }
        if (const auto* tests = item.as_object().if_contains("tests");
            tests != nullptr && tests->is_array()) {
            for (const json::value& t : tests->as_array()) {
                if (t.is_object()) {
                    if (const auto* v = t.as_object().if_contains("className");
                        v && v->is_string()) {
                        split(v->as_string());
                    }
                    if (const auto* v = t.as_object().if_contains("classId"); v && v->is_string()) {
                        split(v->as_string());
                    }
                }
            }
        }
    };
    if (body.is_array()) {
        for (const json::value& item : body.as_array()) {
            from_item(item);
        }
    } else {
        from_item(body);
    }
    return names;
}

/// POST /tooling/runTestsSynchronous and /runTestsAsynchronous. The org has no Apex classes,
/// so a request naming any class or suite is refused (INVALID_INPUT, naming the first one);
/// a synchronous run of nothing answers an empty RunTestsResult; an asynchronous run has no
/// AsyncApexJob to hand back, so it is refused with kNoApex.
Response HandleRunTests(Call& call, bool synchronous) {
    RequireServedVersion(call.api_version);
    auto parsed = codec::ParseJson(call.req.body);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    const std::vector<std::string> classes = SelectedClasses(*parsed);
    if (!classes.empty()) {
        throw ApiError(400,
                       "INVALID_INPUT",
                       "No Apex class or test suite named " + classes[0] + " exists in this org");
    }
    if (!synchronous) {
        throw ApiError(400, "INVALID_INPUT", kNoApex);
    }
    json::object out;
    out["apexLogId"] = nullptr;
    out["codeCoverage"] = json::array();
    out["codeCoverageWarnings"] = json::array();
    out["failures"] = json::array();
    out["flowCoverage"] = json::array();
    out["flowCoverageWarnings"] = json::array();
    out["numFailures"] = 0;
    out["numTestsRun"] = 0;
    out["successes"] = json::array();
    out["totalTime"] = 0.0;
    return JsonResponse(200, out, call.pretty);
}

/// GET /tooling/completions?type=apex|visualforce: the symbol tables of an org without Apex
/// classes or Visualforce components of its own [M: the shape is the documented one, the
/// system namespaces a real org lists are left out].
Response HandleCompletions(Call& call) {
    RequireServedVersion(call.api_version);
    const auto type = call.req.QueryParam("type");
    json::object out;
    if (type && *type == "apex") {
        out["publicDeclarations"] = json::object();
    } else if (type && *type == "visualforce") {
        out["completions"] = json::object();
    } else {
        throw ApiError(
            400,
            "INVALID_TYPE",
            "Invalid type: '" + type.value_or("") + "'. Valid types are 'apex' and 'visualforce'.");
    }
    return JsonResponse(200, out, call.pretty);
}

// ---- metadata-backed entities (PlatformEventChannel, PlatformEventChannelMember) -------------

/// The columns a metadata-backed entity fills from its `Metadata` keys [D: the Tooling API
/// object pages name both; e.g. PlatformEventChannel.ChannelType is Metadata.channelType].
struct MetadataColumn {
    const char* key;
    const char* field;
};

std::vector<MetadataColumn> MetadataColumns(const ObjectDef& object) {
    if (object.name == "PlatformEventChannel") {
        return {{"channelType", "ChannelType"}, {"label", "MasterLabel"}};
    }
    if (object.name == "PlatformEventChannelMember") {
        return {{"eventChannel", "EventChannel"},
                {"selectedEntity", "SelectedEntity"},
                {"filterExpression", "FilterExpression"}};
    }
    return {};
}

/// A create or update body of a metadata-backed entity as the record resources take it:
/// `Metadata` (an object) kept as its JSON text, the columns it implies filled from it, and
/// `DeveloperName` from `FullName` (`Account_Orders_CDC__chn` -> `Account_Orders_CDC`) unless
/// the body gives them. Other bodies (XML, not JSON, other entities) are left as they are: the
/// record resources answer them as usual.
std::optional<std::string> MetadataBody(const ObjectDef& object, const Request& req) {
    if (object.FindField("Metadata") == nullptr || req.body_file != nullptr) {
        return std::nullopt;
    }
    auto parsed = codec::ParseJson(req.body);
    if (!parsed || !parsed->is_object()) {
        return std::nullopt;
    }
    json::object body = parsed->as_object();
    const auto given = [&body](std::string_view name) {
        for (const auto& [k, v] : body) {
            if (ToLowerAscii(std::string_view(k.data(), k.size())) == ToLowerAscii(name)) {
                return true;
            }
        }
        return false;
    };
    if (const auto* full = body.if_contains("FullName");
        full != nullptr && full->is_string() && !given("DeveloperName")) {
        std::string name(full->as_string());
        if (name.size() > 5 && name.compare(name.size() - 5, 5, "__chn") == 0) {
            name.resize(name.size() - 5);
        }
        body["DeveloperName"] = name;
    }
    if (const auto* found = body.if_contains("Metadata"); found != nullptr) {
        // A copy: filling columns below inserts into `body`, which moves its members.
        const json::value metadata = *found;
        if (metadata.is_object()) {
            for (const MetadataColumn& c : MetadataColumns(object)) {
                const auto* v = metadata.as_object().if_contains(c.key);
                if (v != nullptr && (v->is_string() || v->is_null()) && !given(c.field)) {
                    body[c.field] = *v;
                }
            }
        }
        if (!metadata.is_null()) {
            body["Metadata"] = json::serialize(metadata);
        }
    }
    return json::serialize(body);
}

/// Runs `handler` on the call with the body MetadataBody gives (when it gives one).
Response WithMetadataBody(const SObjectContext& ctx,
                          Call& call,
                          Response (*handler)(const SObjectContext&, Call&)) {
    const ObjectDef* object = ctx.schema.FindObject(call.Param("type"));
    std::optional<std::string> body;
    if (object != nullptr) {
        body = MetadataBody(*object, call.req);
    }
    if (!body) {
        return handler(ctx, call);
    }
    Request req = call.req;
    req.body = std::move(*body);
    Call inner{
        req, call.params, call.session, call.format, call.pretty, call.api_version, call.base_url};
    return handler(ctx, inner);
}

/// A retrieved record of a metadata-backed entity answers `Metadata` as the object it holds
/// [D: "Metadata ... the metadata type's fields", returned for single-record retrieval].
Response MetadataAsObject(const ObjectDef* object, const Call& call, Response r) {
    if (object == nullptr || object->FindField("Metadata") == nullptr || r.status != 200 ||
        call.format != Format::kJson) {
        return r;
    }
    auto parsed = codec::ParseJson(r.body);
    if (!parsed || !parsed->is_object()) {
        return r;
    }
    json::object record = parsed->as_object();
    if (auto* metadata = record.if_contains("Metadata"); metadata && metadata->is_string()) {
        if (auto inner = codec::ParseJson(
                std::string_view(metadata->as_string().data(), metadata->as_string().size()))) {
            *metadata = std::move(*inner);
        }
    }
    return JsonResponse(200, record, call.pretty);
}

}  // namespace

struct ToolingApi::Impl {
    Impl(const Schema& org,
         const LocalOrgOptions& options,
         std::int64_t modified_ms,
         Database& org_db)
        : org_schema(&org),
          modified(modified_ms),
          db(":memory:"),
          schema(ToolingSchema()),
          store(std::make_unique<ToolingStore>(
              MakeSqliteRecordStore(db),
              MakeSqliteRecordStore(org_db, "Lo", std::string(kSharedTablePrefix)))),
          records{schema, *store},
          describe{schema, *store, modified_ms},
          queries(db,
                  schema,
                  query::QueryServiceOptions{.clock = options.clock,
                                             .time_limit = options.query_time_limit,
                                             .locator_path = "tooling/query",
                                             .locator_db = &org_db}) {
        store->Bootstrap(schema);
    }

    /// Before each Tooling call: the rows describing the org's model, written on the first
    /// call, not at start (thousands of FieldDefinition rows cost a quarter of a second that
    /// most runs, and every test org, never use); then the local copy of the writable entities
    /// brought up to date with the org's database (what other nodes or earlier runs wrote).
    void Prepare() {
        std::call_once(filled, [this] {
            FillToolingRows(store->Local(),
                            schema,
                            *org_schema,
                            FormatDateTime(Instant(std::chrono::milliseconds(modified))));
        });
        store->Sync();
    }

    const Schema* org_schema;
    std::int64_t modified;
    std::once_flag filled;
    Database db;
    Schema schema;
    std::unique_ptr<ToolingStore> store;
    SObjectContext records;
    DescribeContext describe;
    query::QueryService queries;
};

ToolingApi::ToolingApi(const Schema& org,
                       const LocalOrgOptions& options,
                       std::int64_t modified_ms,
                       Database& org_db)
    : impl_(std::make_unique<Impl>(org, options, modified_ms, org_db)) {}

ToolingApi::~ToolingApi() = default;

void ToolingApi::RegisterRoutes(Router& outer) {
    Router router;  // every route below runs Impl::Prepare before it answers
    const std::string root = "/services/data/v{version}/tooling";
    // Registered before the shared record routes, which they wrap: the metadata-backed
    // entities' bodies and answers (the router prefers the earlier of equally specific routes).
    const SObjectContext* ctx = &impl_->records;
    router.Add({{"POST"}, root + "/sobjects/{type}", true, [ctx](Call& call) {
                    RequireServedVersion(call.api_version);
                    return WithMetadataBody(*ctx, call, &HandleCreate);
                }});
    router.Add(
        {{"GET", "PATCH", "DELETE"}, root + "/sobjects/{type}/{id}", true, [ctx](Call& call) {
             RequireServedVersion(call.api_version);
             Response r = WithMetadataBody(*ctx, call, &HandleRecord);
             if (call.req.method == "GET") {
                 return MetadataAsObject(
                     ctx->schema.FindObject(call.Param("type")), call, std::move(r));
             }
             return r;
         }});
    RegisterSObjectRoutes(router, root, impl_->records, impl_->describe, impl_->queries);
    query::RegisterToolingQueryRoutes(router, impl_->queries, impl_->schema);
    router.Add({{"GET"}, root + "/executeAnonymous", true, HandleExecuteAnonymous});
    router.Add({{"POST"}, root + "/runTestsSynchronous", true, [](Call& call) {
                    return HandleRunTests(call, true);
                }});
    router.Add({{"POST"}, root + "/runTestsAsynchronous", true, [](Call& call) {
                    return HandleRunTests(call, false);
                }});
    router.Add({{"GET"}, root + "/completions", true, HandleCompletions});
    for (Route& route : router.TakeRoutes()) {
        route.handler = [impl = impl_.get(), inner = std::move(route.handler)](Call& call) {
            impl->Prepare();
            return inner(call);
        };
        outer.Add(std::move(route));
    }
}

}  // namespace sfkit::server::tooling
