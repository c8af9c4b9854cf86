// Composite, Composite Batch and Composite Graph (wire reference §B.13). The body is read whole
// first: anything that keeps it from being a list of subrequests (syntax, types, missing members,
// bad methods or URLs, the size limits) answers 400 for the whole request and runs nothing, as the
// Salesforce blog on composite errors describes. Then each subrequest runs in order through the
// org's router (subrequests.hpp) and its answer is embedded, re-rendered with the top-level
// X-PrettyPrint. Choices made where Salesforce's behaviour is not recorded are listed in
// docs/rest-api.md ("Composite").
#include "server/api/composite_handlers.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/composite_input.hpp"
#include "server/api/composite_references.hpp"
#include "server/api/render.hpp"
#include "server/api/subrequests.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

/// API versions the resources exist from: Batch (and Tree, composite_tree.cpp) since Summer '15
/// (34.0), Composite since Winter '17 (38.0), sObject Collections since 42.0, Graph since 50.0
/// (§B.13 and the docs of each).
constexpr int kCompositeSince = 38;
constexpr int kBatchSince = 34;
constexpr int kCollectionsSince = 42;
constexpr int kGraphSince = 50;

/// "You can have up to 25 subrequests in a single call. Up to 5 of these subrequests can be
/// sObject Collections or query operations, including Query and QueryAll requests." (docs)
constexpr std::size_t kMaxSubrequests = 25;
constexpr std::size_t kMaxQueryOrCollections = 5;
constexpr std::size_t kMaxBatchRequests = 25;
/// Composite Graph Limits (docs): 75 graphs and 500 nodes per payload, 500 nodes per graph;
/// "if the number of graph failures exceeds the maximum limit of 14, processing is halted for
/// the remaining graphs".
constexpr std::size_t kMaxGraphs = 75;
constexpr std::size_t kMaxGraphNodes = 500;
constexpr std::size_t kMaxGraphFailures = 14;

/// The rolled-back answer of every other subrequest when allOrNone fails: code and text as
/// recorded from live orgs (a v50.0 capture in a client's tests, CumulusCI, and the
/// allOrNone docs example), errorCode first.
constexpr const char* kRolledBackMessage =
    "The transaction was rolled back since another operation in the same transaction failed.";

/// Methods a subrequest may use (docs: "POST, PUT, PATCH, GET, and DELETE (case-sensitive)").
bool IsSubrequestMethod(std::string_view m) {
    return m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

/// `v60.0` or `v60.0/...`: the start of a URL relative to /services/data.
bool StartsWithVersion(std::string_view rest) {
    if (rest.empty() || rest[0] != 'v') {
        return false;
    }
    std::size_t i = 1;
    const std::size_t digits_start = i;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
        ++i;
    }
    if (i == digits_start || i >= rest.size() || rest[i] != '.') {
        return false;
    }
    ++i;
    const std::size_t minor_start = i;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
        ++i;
    }
    return i > minor_start && (i == rest.size() || rest[i] == '/' || rest[i] == '?');
}

/// Composite resources other than sObject Collections cannot be subrequests.
bool IsNestedComposite(std::string_view resource) {
    return resource == "composite" || resource == "composite/batch" ||
           resource == "composite/graph" || resource.rfind("composite/tree", 0) == 0;
}

/// Subrequests that count against the 5 queries-or-collections limit.
bool IsQueryOrCollections(std::string_view resource) {
    return resource == "query" || resource.rfind("query/", 0) == 0 || resource == "queryall" ||
           resource.rfind("queryall/", 0) == 0 || resource == "composite/sobjects" ||
           resource.rfind("composite/sobjects/", 0) == 0;
}

/// An error body `[{"errorCode":..,"message":..}]`: the code-first order recorded for the
/// composite framework's own PROCESSING_HALTED, used for its other errors too.
json::value FrameworkError(std::string_view code, std::string_view message) {
    json::object e;
    e["errorCode"] = code;
    e["message"] = message;
    return json::array{std::move(e)};
}

/// A string member of a subrequest: required, and a string.
std::string ReadString(const json::object& o,
                       std::string_view name,
                       std::string_view text,
                       const std::unordered_map<std::string, JsonSpan>& spans) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr || v->is_null()) {
        throw RequiredField(name);
    }
    if (!v->is_string()) {
        throw JsonCannotDeserialize("String", *v, text, spans.at(std::string(name)).end);
    }
    return std::string(v->get_string());
}

/// One answer of a subrequest, as embedded in the composite answer.
struct Answer {
    int status = 0;
    json::value body;  ///< parsed JSON, a string for non-JSON text, null when empty
    json::object headers;
};

Answer ToAnswer(const Response& r) {
    Answer a;
    a.status = r.status;
    if (!r.body.empty()) {
        auto parsed = codec::ParseJson(r.body);
        a.body = parsed ? std::move(*parsed) : json::value(json::string(r.body));
    }
    for (const HttpHeader& h : r.headers) {
        // The composite answer carries neither (docs: "doesn't support the Content-Length
        // header"); the type is always JSON here.
        if (IEquals(h.name, "Content-Type") || IEquals(h.name, "Content-Length")) {
            continue;
        }
        a.headers[h.name] = h.value;
    }
    return a;
}

// ---- Composite -----------------------------------------------------------------------------

struct CompositeItem {
    std::string method;
    std::string url;
    std::string reference_id;
    std::optional<json::value> body;
    std::vector<std::pair<std::string, std::string>> headers;
};

struct CompositeInput {
    bool all_or_none = false;
    std::vector<CompositeItem> items;
};

/// The subrequests of a `compositeRequest` list (Composite and each graph of Composite Graph),
/// at `list_begin` in `text`: each with its method, url and referenceId, unique referenceIds.
std::vector<CompositeItem> ReadCompositeItems(const json::array& list,
                                              std::string_view text,
                                              std::size_t list_begin) {
    std::vector<CompositeItem> items;
    const auto elements = JsonElements(text, list_begin);
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json::value& v = list[i];
        const JsonSpan span = i < elements.size() ? elements[i] : JsonSpan{0, text.size()};
        if (!v.is_object()) {
            throw JsonCannotDeserialize("CompositeSubrequest", v, text, span.end);
        }
        const json::object& sub = v.get_object();
        const auto sub_spans = JsonMembers(text, span.begin);
        CompositeItem item;
        item.method = ReadString(sub, "method", text, sub_spans);
        item.url = ReadString(sub, "url", text, sub_spans);
        item.reference_id = ReadString(sub, "referenceId", text, sub_spans);
        if (!IsSubrequestMethod(item.method)) {
            throw MalformedRequest("Invalid HTTP method for a subrequest: '" + item.method +
                                   "'. Use one of GET, POST, PUT, PATCH or DELETE.");
        }
        constexpr std::string_view kData = "/services/data/";
        if (item.url.rfind(kData, 0) != 0 ||
            !StartsWithVersion(std::string_view(item.url).substr(kData.size()))) {
            throw MalformedRequest(
                "The url of a subrequest must start with /services/data/vXX.X: " + item.url);
        }
        if (const json::value* b = sub.if_contains("body"); b != nullptr && !b->is_null()) {
            item.body = *b;
        }
        if (const json::value* h = sub.if_contains("httpHeaders"); h != nullptr && !h->is_null()) {
            if (!h->is_object()) {
                throw JsonCannotDeserialize("Map", *h, text, sub_spans.at("httpHeaders").end);
            }
            for (const auto& header : h->get_object()) {
                const std::string name(header.key());
                // Docs: subrequests inherit these from the top-level request; "if you do [set
                // them], the top-level request fails and returns an HTTP 400 response".
                if (IEquals(name, "Accept") || IEquals(name, "Authorization") ||
                    IEquals(name, "Content-Type")) {
                    throw MalformedRequest("The " + name +
                                           " header can't be set on a subrequest: subrequests "
                                           "use the top-level request's.");
                }
                if (!header.value().is_string()) {
                    throw JsonCannotDeserialize(
                        "String", header.value(), text, sub_spans.at("httpHeaders").end);
                }
                item.headers.emplace_back(name, std::string(header.value().get_string()));
            }
        }
        if (!seen.insert(item.reference_id).second) {
            throw MalformedRequest("Duplicate referenceId provided in the request: " +
                                   item.reference_id);
        }
        items.push_back(std::move(item));
    }
    return items;
}

CompositeInput ReadCompositeInput(std::string_view text) {
    CompositeInput in;
    const json::value root = ParseCompositeBody(text, "CompositeRequest");
    const json::object& o = root.get_object();
    const auto spans = JsonMembers(text, 0);
    const json::array* list = nullptr;
    // Members in body order, as a streaming deserializer meets them; unknown ones are ignored.
    for (const auto& member : o) {
        const std::string key(member.key());
        if (key == "allOrNone") {
            in.all_or_none = ReadJsonBoolean(member.value(), text, spans.at(key));
        } else if (key == "collateSubrequests") {
            // Accepted and ignored: subrequests always run in request order, which is one of
            // the orders collation allows.
            ReadJsonBoolean(member.value(), text, spans.at(key));
        } else if (key == "compositeRequest" && !member.value().is_null()) {
            if (!member.value().is_array()) {
                throw JsonCannotDeserialize("List", member.value(), text, spans.at(key).end);
            }
            list = &member.value().get_array();
        }
    }
    if (list == nullptr) {
        throw RequiredField("compositeRequest");
    }
    if (list->size() > kMaxSubrequests) {
        throw LimitExceeded("Limit of " + std::to_string(kMaxSubrequests) +
                            " reached for number of subrequests in a Composite request");
    }
    in.items = ReadCompositeItems(*list, text, spans.at("compositeRequest").begin);
    std::size_t queries = 0;
    for (const CompositeItem& item : in.items) {
        if (IsQueryOrCollections(ResourcePath(item.url.substr(0, item.url.find('?'))))) {
            ++queries;
        }
    }
    if (queries > kMaxQueryOrCollections) {
        throw LimitExceeded("Limit of " + std::to_string(kMaxQueryOrCollections) +
                            " reached for number of query or sObject Collections subrequests in "
                            "a Composite request");
    }
    return in;
}

/// A collection write whose body reports a record that failed: under an outer allOrNone this
/// fails the composite too, although the subrequest itself answers 200 (allOrNone docs,
/// case 4).
bool CollectionHasFailures(const CompositeItem& item, const Answer& a) {
    if (item.method == "GET" || !a.body.is_array()) {
        return false;
    }
    const std::string resource = ResourcePath(item.url.substr(0, item.url.find('?')));
    if (resource != "composite/sobjects" && resource.rfind("composite/sobjects/", 0) != 0) {
        return false;
    }
    for (const json::value& r : a.body.get_array()) {
        if (r.is_object()) {
            const json::value* success = r.get_object().if_contains("success");
            if (success != nullptr && success->is_bool() && !success->get_bool()) {
                return true;
            }
        }
    }
    return false;
}

/// Runs one subrequest: references first (an unresolvable one answers 400 PROCESSING_HALTED
/// without running it), then the dispatch.
Answer RunCompositeItem(const CompositeContext& ctx,
                        const Call& call,
                        const CompositeItem& item,
                        const ReferenceLookup& lookup) {
    Answer a;
    const auto halted = [&](const std::string& message) {
        a.status = 400;
        a.body = FrameworkError("PROCESSING_HALTED", message);
        return a;
    };
    if (auto problem =
            ReferenceIdProblem(item.reference_id, RequireServedVersion(call.api_version))) {
        return halted(*problem);
    }
    // CumulusCI's recorded text for a reference to a failed subrequest or a missing value.
    const auto unresolved = [&](const UnresolvedReference& r) {
        return halted("Invalid reference specified. No value for " + r.expression + " found in " +
                      r.reference_id);
    };
    Subrequest sub;
    sub.method = item.method;
    sub.url = item.url;
    if (auto bad = SubstituteText(sub.url, lookup)) {
        return unresolved(*bad);
    }
    for (const auto& [name, value] : item.headers) {
        std::string v = value;
        if (auto bad = SubstituteText(v, lookup)) {
            return unresolved(*bad);
        }
        sub.headers.push_back({name, std::move(v)});
    }
    if (item.body) {
        json::value body = *item.body;
        if (auto bad = SubstituteJson(body, lookup)) {
            return unresolved(*bad);
        }
        sub.body = codec::WriteJson(body);
    }
    if (IsNestedComposite(ResourcePath(sub.url.substr(0, sub.url.find('?'))))) {
        // The composite resources do not nest: from inside one they are not found.
        a.status = 404;
        a.body = FrameworkError("NOT_FOUND", "The requested resource does not exist");
        return a;
    }
    // Created and upserted records carry their Location from the record handlers themselves.
    return ToAnswer(DispatchSubrequest(ctx.router, call, sub));
}

/// Runs `items` in order, each seeing the answers of the ones before it. Without allOrNone each
/// subrequest commits on its own, as if sent separately. With it the whole list is one storage
/// transaction, abandoned on the first failure: the failing subrequest keeps its answer, the
/// others (run or not) answer 400 PROCESSING_HALTED. `check` may fail a subrequest before it
/// runs (Composite Graph's URL rules) by returning its answer.
std::vector<Answer> RunCompositeItems(
    const CompositeContext& ctx,
    const Call& call,
    const std::vector<CompositeItem>& items,
    bool all_or_none,
    const std::function<std::optional<Answer>(const CompositeItem&)>& check = {}) {
    std::vector<Answer> answers(items.size());
    std::unordered_map<std::string, std::size_t> answered;  // referenceable: answered < 400
    const ReferenceLookup lookup = [&](std::string_view ref) -> const json::value* {
        const auto it = answered.find(std::string(ref));
        return it == answered.end() ? nullptr : &answers[it->second].body;
    };
    std::optional<std::size_t> failed;  // allOrNone: the subrequest that failed
    const auto run = [&] {
        for (std::size_t i = 0; i < items.size(); ++i) {
            const CompositeItem& item = items[i];
            std::optional<Answer> refused = check ? check(item) : std::nullopt;
            answers[i] = refused ? std::move(*refused) : RunCompositeItem(ctx, call, item, lookup);
            const bool ok = answers[i].status < 400;
            if (ok) {
                answered[item.reference_id] = i;
            }
            if (all_or_none && (!ok || CollectionHasFailures(item, answers[i]))) {
                failed = i;
                return;
            }
        }
    };
    if (!all_or_none) {
        run();
        return answers;
    }
    struct RolledBack {};
    try {
        ctx.records.store.Atomically([&] {
            run();
            if (failed) {
                throw RolledBack{};
            }
        });
    } catch (const RolledBack&) {
        for (std::size_t i = 0; i < answers.size(); ++i) {
            if (i != *failed) {
                answers[i] = Answer{};
                answers[i].status = 400;
                answers[i].body = FrameworkError("PROCESSING_HALTED", kRolledBackMessage);
            }
        }
    }
    return answers;
}

json::value CompositeAnswerJson(const std::vector<Answer>& answers,
                                const std::vector<CompositeItem>& items) {
    json::array out;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        json::object r;
        r["body"] = answers[i].body;
        r["httpHeaders"] = answers[i].headers;
        r["httpStatusCode"] = answers[i].status;
        r["referenceId"] = items[i].reference_id;
        out.emplace_back(std::move(r));
    }
    json::object root;
    root["compositeResponse"] = std::move(out);
    return root;
}

// ---- Batch ---------------------------------------------------------------------------------

struct BatchItem {
    std::string method;
    std::string url;  ///< made absolute: /services/data/v60.0/...
    std::optional<json::value> rich_input;
};

struct BatchInput {
    bool halt_on_error = false;
    std::vector<BatchItem> items;
};

BatchInput ReadBatchInput(std::string_view text) {
    BatchInput in;
    const json::value root = ParseCompositeBody(text, "BatchRequest");
    const auto spans = JsonMembers(text, 0);
    const json::array* list = nullptr;
    for (const auto& member : root.get_object()) {
        const std::string key(member.key());
        if (key == "haltOnError") {
            in.halt_on_error = ReadJsonBoolean(member.value(), text, spans.at(key));
        } else if (key == "batchRequests" && !member.value().is_null()) {
            if (!member.value().is_array()) {
                throw JsonCannotDeserialize("List", member.value(), text, spans.at(key).end);
            }
            list = &member.value().get_array();
        }
    }
    if (list == nullptr) {
        throw RequiredField("batchRequests");
    }
    if (list->size() > kMaxBatchRequests) {
        throw LimitExceeded("Limit of " + std::to_string(kMaxBatchRequests) +
                            " reached for number of subrequests in a Batch request");
    }
    const auto elements = JsonElements(text, spans.at("batchRequests").begin);
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json::value& v = (*list)[i];
        const JsonSpan span = i < elements.size() ? elements[i] : JsonSpan{0, text.size()};
        if (!v.is_object()) {
            throw JsonCannotDeserialize("BatchSubrequest", v, text, span.end);
        }
        const json::object& sub = v.get_object();
        const auto sub_spans = JsonMembers(text, span.begin);
        BatchItem item;
        item.method = ReadString(sub, "method", text, sub_spans);
        std::string url = ReadString(sub, "url", text, sub_spans);
        if (!IsSubrequestMethod(item.method)) {
            throw MalformedRequest("Invalid HTTP method for a subrequest: '" + item.method +
                                   "'. Use one of GET, POST, PUT, PATCH or DELETE.");
        }
        // Relative to /services/data ("v60.0/sobjects/..."); a leading slash is tolerated.
        std::string_view rest = url;
        if (!rest.empty() && rest.front() == '/') {
            rest.remove_prefix(1);
        }
        if (!StartsWithVersion(rest)) {
            throw MalformedRequest(
                "The url of a subrequest must start with the API version, as in vXX.X/sobjects: " +
                url);
        }
        item.url = "/services/data/" + std::string(rest);
        if (const json::value* b = sub.if_contains("richInput"); b != nullptr && !b->is_null()) {
            item.rich_input = *b;
        }
        if (sub.contains("binaryPartName") || sub.contains("binaryPartNameAlias")) {
            // Binary parts come in multipart requests, which this resource does not take.
            throw MalformedRequest("Binary parts are not supported in this Batch request");
        }
        in.items.push_back(std::move(item));
    }
    return in;
}

// ---- Graph ---------------------------------------------------------------------------------

struct Graph {
    std::string graph_id;
    std::vector<CompositeItem> items;
    bool too_big = false;  ///< over kMaxGraphNodes: answered with the recorded limit error
};

std::vector<Graph> ReadGraphInput(std::string_view text) {
    const json::value root = ParseCompositeBody(text, "GraphRequest");
    const auto spans = JsonMembers(text, 0);
    const json::value* graphs = root.get_object().if_contains("graphs");
    if (graphs == nullptr || graphs->is_null()) {
        throw RequiredField("graphs");
    }
    if (!graphs->is_array()) {
        throw JsonCannotDeserialize("List", *graphs, text, spans.at("graphs").end);
    }
    if (graphs->get_array().size() > kMaxGraphs) {
        throw LimitExceeded("Limit of " + std::to_string(kMaxGraphs) +
                            " reached for number of Graphs in the request");
    }
    const auto elements = JsonElements(text, spans.at("graphs").begin);
    std::vector<Graph> out;
    std::unordered_set<std::string> ids;
    std::size_t nodes = 0;
    for (std::size_t i = 0; i < graphs->get_array().size(); ++i) {
        const json::value& v = graphs->get_array()[i];
        const JsonSpan span = i < elements.size() ? elements[i] : JsonSpan{0, text.size()};
        if (!v.is_object()) {
            throw JsonCannotDeserialize("Graph", v, text, span.end);
        }
        const auto graph_spans = JsonMembers(text, span.begin);
        Graph g;
        g.graph_id = ReadString(v.get_object(), "graphId", text, graph_spans);
        if (!ids.insert(g.graph_id).second) {
            throw MalformedRequest("Duplicate graphId provided in the request: " + g.graph_id);
        }
        const json::value* list = v.get_object().if_contains("compositeRequest");
        if (list == nullptr || list->is_null()) {
            throw RequiredField("compositeRequest");
        }
        if (!list->is_array()) {
            throw JsonCannotDeserialize(
                "List", *list, text, graph_spans.at("compositeRequest").end);
        }
        if (list->get_array().size() > kMaxGraphNodes) {
            g.too_big = true;
        } else {
            g.items = ReadCompositeItems(
                list->get_array(), text, graph_spans.at("compositeRequest").begin);
            nodes += g.items.size();
        }
        out.push_back(std::move(g));
    }
    if (nodes > kMaxGraphNodes) {
        throw LimitExceeded("Limit of " + std::to_string(kMaxGraphNodes) +
                            " reached for number of Nodes in the request");
    }
    return out;
}

/// Graph nodes may only use the record resources (docs, "Using Composite Graphs"):
/// POST sobjects/{Type}; GET, PATCH, DELETE sobjects/{Type}/{id}; GET, PATCH, DELETE, POST
/// sobjects/{Type}/{Field}/{value}. Anything else fails the node (and so its graph).
std::optional<Answer> CheckGraphNode(const CompositeItem& item) {
    const std::string resource = ResourcePath(item.url.substr(0, item.url.find('?')));
    std::vector<std::string_view> segments;
    std::string_view rest = resource;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        segments.push_back(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    bool ok = false;
    if (!segments.empty() && segments[0] == "sobjects") {
        const std::string_view m = item.method;
        if (segments.size() == 2) {
            ok = m == "POST";
        } else if (segments.size() == 3) {
            // A record id, or a reference that will become one.
            const bool id_like = Id::IsValid(std::string(segments[2])) ||
                                 segments[2].find("@{") != std::string_view::npos;
            ok = id_like && (m == "GET" || m == "PATCH" || m == "DELETE");
        } else if (segments.size() == 4) {
            ok = m == "GET" || m == "PATCH" || m == "DELETE" || m == "POST";
        }
    }
    if (ok) {
        return std::nullopt;
    }
    Answer a;
    a.status = 400;
    a.body = FrameworkError("INVALID_API_INPUT",
                            "Composite graph subrequests can only use the sObject record "
                            "resources: " +
                                item.method + " " + item.url);
    return a;
}

}  // namespace

// ---- handlers ------------------------------------------------------------------------------

Response HandleCompositeResources(const CompositeContext& /*ctx*/, Call& call) {
    const int major = RequireCompositeVersion(call, kBatchSince);
    const std::string base = "/services/data/v" + call.api_version + "/composite/";
    json::object out;
    out["tree"] = base + "tree";
    out["batch"] = base + "batch";
    if (major >= kCollectionsSince) {
        out["sobjects"] = base + "sobjects";
    }
    if (major >= kGraphSince) {
        out["graph"] = base + "graph";
    }
    if (call.format == Format::kXml) {
        throw ApiError(415,
                       "UNSUPPORTED_MEDIA_TYPE",
                       "MediaType of 'application/xml' is not supported by this resource");
    }
    return JsonResponse(200, out, call.pretty);
}

Response HandleComposite(const CompositeContext& ctx, Call& call) {
    RequireCompositeVersion(call, kCompositeSince);
    RequireJsonExchange(call);
    const CompositeInput in = ReadCompositeInput(call.req.body);

    const std::vector<Answer> answers = RunCompositeItems(ctx, call, in.items, in.all_or_none);
    return JsonResponse(200, CompositeAnswerJson(answers, in.items), call.pretty);
}

Response HandleCompositeBatch(const CompositeContext& ctx, Call& call) {
    RequireCompositeVersion(call, kBatchSince);
    RequireJsonExchange(call);
    const BatchInput in = ReadBatchInput(call.req.body);
    json::array results;
    bool has_errors = false;
    bool halted = false;
    for (const BatchItem& item : in.items) {
        int status = 0;
        json::value result;
        if (halted) {
            // Docs: "an HTTP 412 status code and a BATCH_PROCESSING_HALTED error message for
            // each subsequent subrequest"; the text is sfkit's.
            status = 412;
            result = FrameworkError("BATCH_PROCESSING_HALTED",
                                    "Batch processing halted per request: a previous subrequest "
                                    "failed and haltOnError is true");
        } else if (IsNestedComposite(ResourcePath(item.url.substr(0, item.url.find('?'))))) {
            status = 404;
            result = FrameworkError("NOT_FOUND", "The requested resource does not exist");
        } else {
            Subrequest sub;
            sub.method = item.method;
            sub.url = item.url;
            if (item.rich_input) {
                sub.body = codec::WriteJson(*item.rich_input);
            }
            Answer a = ToAnswer(DispatchSubrequest(ctx.router, call, sub));
            status = a.status;
            result = std::move(a.body);
        }
        if (status >= 400) {
            has_errors = true;
            halted = halted || in.halt_on_error;
        }
        json::object r;
        r["statusCode"] = status;
        r["result"] = std::move(result);
        results.emplace_back(std::move(r));
    }
    json::object out;
    out["hasErrors"] = has_errors;
    out["results"] = std::move(results);
    return JsonResponse(200, out, call.pretty);
}

Response HandleCompositeGraph(const CompositeContext& ctx, Call& call) {
    RequireCompositeVersion(call, kGraphSince);
    RequireJsonExchange(call);
    const std::vector<Graph> graphs = ReadGraphInput(call.req.body);
    json::array out;
    std::size_t failures = 0;
    for (const Graph& g : graphs) {
        json::value responses;
        bool ok = false;
        if (g.too_big) {
            // The recorded answer to a graph over its node limit: one entry, no referenceId.
            json::object r;
            r["body"] = FrameworkError("LIMIT_EXCEEDED",
                                       "Limit of " + std::to_string(kMaxGraphNodes) +
                                           " reached for number of Nodes in the Graph");
            r["httpHeaders"] = json::object();
            r["httpStatusCode"] = 400;
            r["referenceId"] = nullptr;
            responses = json::array{std::move(r)};
        } else if (failures > kMaxGraphFailures) {
            // Not run: every node of the remaining graphs reports PROCESSING_HALTED.
            std::vector<Answer> halted(g.items.size());
            for (Answer& a : halted) {
                a.status = 400;
                a.body = FrameworkError("PROCESSING_HALTED",
                                        "Processing halted: more than " +
                                            std::to_string(kMaxGraphFailures) +
                                            " graphs of this request failed");
            }
            responses = CompositeAnswerJson(halted, g.items).at("compositeResponse");
        } else {
            // Each graph is all or nothing, in a transaction of its own.
            const std::vector<Answer> answers =
                RunCompositeItems(ctx, call, g.items, /*all_or_none=*/true, CheckGraphNode);
            ok = std::all_of(
                answers.begin(), answers.end(), [](const Answer& a) { return a.status < 400; });
            responses = CompositeAnswerJson(answers, g.items).at("compositeResponse");
        }
        if (!ok) {
            ++failures;
        }
        json::object graph_response;
        graph_response["compositeResponse"] = std::move(responses);
        json::object r;
        r["graphId"] = g.graph_id;
        r["graphResponse"] = std::move(graph_response);
        r["isSuccessful"] = ok;
        out.emplace_back(std::move(r));
    }
    json::object root;
    root["graphs"] = std::move(out);
    return JsonResponse(200, root, call.pretty);
}

}  // namespace sfkit::server
