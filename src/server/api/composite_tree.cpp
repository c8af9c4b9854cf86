// sObject Tree (wire reference §B.13): POST /composite/tree/{type} creates records with their
// children in one transaction. The body is read whole first; what keeps it from being a tree
// (syntax, a records member that is not a list, missing attributes, the 200-record and 5-level
// limits) answers 400 in the usual error shape. Problems of single records (an unknown field,
// a wrong type, a duplicate referenceId) answer 400 in the tree's own shape, naming those
// records, before anything is written. Then the records are inserted level by level (parents
// before children, each child pointing at its parent), each in a savepoint of its own; when a
// level has failing records the transaction is abandoned and those records are reported. The
// choices made where Salesforce is silent are listed in docs/rest-api.md ("Composite").
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "server/api/api_versions.hpp"
#include "server/api/composite_handlers.hpp"
#include "server/api/composite_input.hpp"
#include "server/api/composite_references.hpp"
#include "server/api/record_input.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/records/record_writes.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

constexpr int kTreeSince = 34;
/// Docs: "up to a total of 200 records across all trees" and "up to five levels deep".
constexpr std::size_t kMaxRecords = 200;
constexpr int kMaxLevels = 5;

struct TreeNode {
    const ObjectDef* object = nullptr;
    std::string reference_id;
    int level = 1;
    std::optional<std::size_t> parent;  ///< index of the parent node
    const FieldDef* parent_field = nullptr;
    std::vector<FieldAssignment> assignments;
    std::vector<ApiErrorItem> errors;
    std::string id;
};

ApiErrorItem RecordError(std::string code, std::string message) {
    return ApiErrorItem{std::move(code), std::move(message), {}, true};
}

class TreeReader {
public:
    TreeReader(const Schema& schema, std::string_view text) : schema_(schema), text_(text) {}

    /// Reads the `records` list at `list_span` (members of a `{"records":[...]}` object whose
    /// `{` is at `holder_start`): records of `expected` (the URL's type, or the child object of
    /// the relationship they hang under), at `level`.
    void ReadList(const json::object& holder,
                  std::size_t holder_start,
                  const ObjectDef& expected,
                  int level,
                  std::optional<std::size_t> parent,
                  const FieldDef* parent_field) {
        if (level > kMaxLevels) {
            throw LimitExceeded("Limit of " + std::to_string(kMaxLevels) +
                                " reached for number of levels in an sObject tree");
        }
        const auto spans = JsonMembers(text_, holder_start);
        const json::value* records = holder.if_contains("records");
        if (records == nullptr || records->is_null()) {
            throw RequiredField("records");
        }
        if (!records->is_array()) {
            throw JsonCannotDeserialize("List", *records, text_, spans.at("records").end);
        }
        const auto elements = JsonElements(text_, spans.at("records").begin);
        for (std::size_t i = 0; i < records->get_array().size(); ++i) {
            const json::value& r = records->get_array()[i];
            const JsonSpan span = i < elements.size() ? elements[i] : JsonSpan{0, text_.size()};
            if (!r.is_object()) {
                throw JsonCannotDeserialize("SObject", r, text_, span.end);
            }
            ReadRecord(r.get_object(), span.begin, expected, level, parent, parent_field);
        }
    }

    std::vector<TreeNode>& Nodes() { return nodes_; }

private:
    void ReadRecord(const json::object& record,
                    std::size_t start,
                    const ObjectDef& expected,
                    int level,
                    std::optional<std::size_t> parent,
                    const FieldDef* parent_field) {
        if (nodes_.size() >= kMaxRecords) {
            // The collections' text for their own 200-record limit (sObject Collections).
            throw ApiError(400,
                           "EXCEEDED_ID_LIMIT",
                           "record limit reached. cannot submit more than " +
                               std::to_string(kMaxRecords) + " records into this call");
        }
        const auto spans = JsonMembers(text_, start);
        const json::value* attributes = record.if_contains("attributes");
        if (attributes == nullptr || attributes->is_null()) {
            throw RequiredField("attributes");
        }
        if (!attributes->is_object()) {
            throw JsonCannotDeserialize(
                "SObjectTreeAttributes", *attributes, text_, spans.at("attributes").end);
        }
        const auto attribute_spans = JsonMembers(text_, spans.at("attributes").begin);
        const auto attribute = [&](std::string_view name) {
            const json::value* v = attributes->get_object().if_contains(name);
            if (v == nullptr || v->is_null()) {
                throw RequiredField(name);
            }
            if (!v->is_string()) {
                throw JsonCannotDeserialize(
                    "String", *v, text_, attribute_spans.at(std::string(name)).end);
            }
            return std::string(v->get_string());
        };
        const std::string type = attribute("type");
        TreeNode node;
        node.reference_id = attribute("referenceId");
        node.level = level;
        node.parent = parent;
        node.parent_field = parent_field;
        node.object = &expected;
        if (schema_.FindObject(type) != &expected) {
            // Roots must be of the URL's type, children of their relationship's object.
            node.errors.push_back(RecordError(
                "INVALID_TYPE",
                "The type of this record, " + type + ", should be " + expected.name + "."));
        }
        // Members that name a child relationship of the object and hold a `{"records":[...]}`
        // are children; everything else is a field of the record.
        json::object fields;
        std::vector<std::pair<const json::object*, std::string>> children;
        for (const auto& member : record) {
            const std::string key(member.key());
            if (key != "attributes" && member.value().is_object()) {
                if (schema_.FindChildRelationship(expected, key)) {
                    children.emplace_back(&member.value().get_object(), key);
                    continue;
                }
            }
            fields[key] = member.value();
        }
        if (node.errors.empty()) {
            try {
                node.assignments = ParseJsonRecord(expected, fields, text_, start, nullptr);
            } catch (const ApiError& e) {
                if (e.items.size() == 1 && e.items[0].code == "JSON_PARSER_ERROR") {
                    throw;  // a value JSON cannot carry: the request is malformed
                }
                for (ApiErrorItem item : e.items) {
                    item.with_fields = true;
                    node.errors.push_back(std::move(item));
                }
            }
        }
        const std::size_t index = nodes_.size();
        nodes_.push_back(std::move(node));
        for (const auto& [child, name] : children) {
            const auto rel = schema_.FindChildRelationship(expected, name);
            ReadList(*child, spans.at(name).begin, *rel->child, level + 1, index, rel->field);
        }
    }

    const Schema& schema_;
    std::string_view text_;
    std::vector<TreeNode> nodes_;
};

json::value ErrorsJson(const std::vector<ApiErrorItem>& errors) {
    json::array out;
    for (const ApiErrorItem& e : errors) {
        json::array fields;
        for (const auto& f : e.fields) {
            fields.emplace_back(f);
        }
        json::object o;
        o["statusCode"] = e.code;
        o["message"] = e.message;
        o["fields"] = std::move(fields);
        out.emplace_back(std::move(o));
    }
    return out;
}

/// The failure answer: 400, only the records with errors, level by level.
Response Failed(const std::vector<TreeNode>& nodes,
                const std::vector<std::size_t>& order,
                bool pretty) {
    json::array results;
    for (std::size_t i : order) {
        if (nodes[i].errors.empty()) {
            continue;
        }
        json::object r;
        r["referenceId"] = nodes[i].reference_id;
        r["errors"] = ErrorsJson(nodes[i].errors);
        results.emplace_back(std::move(r));
    }
    json::object out;
    out["hasErrors"] = true;
    out["results"] = std::move(results);
    return JsonResponse(400, out, pretty);
}

}  // namespace

Response HandleCompositeTree(const CompositeContext& ctx, Call& call) {
    RequireCompositeVersion(call, kTreeSince);
    const ObjectDef& root_type = RequireObject(ctx.records, call);
    RequireJsonExchange(call);
    const std::string_view text = call.req.body;
    const json::value root = ParseCompositeBody(text, "SObjectTreeRequest");
    TreeReader reader(ctx.records.schema, text);
    reader.ReadList(root.get_object(), 0, root_type, 1, std::nullopt, nullptr);
    std::vector<TreeNode>& nodes = reader.Nodes();

    // Level order: parents are inserted (and listed) before their children.
    std::vector<std::size_t> order(nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return nodes[a].level < nodes[b].level;
    });

    // Docs: "In the case of duplicate reference IDs, results contains one item for each
    // instance of the duplicate ID."
    std::unordered_map<std::string, int> uses;
    for (const TreeNode& n : nodes) {
        ++uses[n.reference_id];
    }
    bool invalid = false;
    const int api_major = RequireServedVersion(call.api_version);
    for (TreeNode& n : nodes) {
        if (auto problem = ReferenceIdProblem(n.reference_id, api_major)) {
            // The shared rule and text; the tree's per-record error shape and code [M].
            n.errors.insert(n.errors.begin(), RecordError("INVALID_INPUT", *problem));
        }
        if (uses[n.reference_id] > 1) {
            n.errors.insert(
                n.errors.begin(),
                RecordError("INVALID_INPUT",
                            "Duplicate ReferenceId provided in the request: " + n.reference_id));
        }
        invalid = invalid || !n.errors.empty();
    }
    if (invalid) {
        return Failed(nodes, order, call.pretty);
    }

    const std::string user = call.session != nullptr ? call.session->user_id : std::string();
    struct RolledBack {};
    try {
        ctx.records.store.Atomically([&] {
            for (std::size_t k = 0; k < order.size();) {
                // One level at a time, like one DML call per level; a level with failures
                // stops the tree.
                const int level = nodes[order[k]].level;
                bool failed = false;
                for (; k < order.size() && nodes[order[k]].level == level; ++k) {
                    TreeNode& n = nodes[order[k]];
                    std::vector<FieldAssignment> assignments = n.assignments;
                    if (n.parent) {
                        std::erase_if(assignments, [&](const FieldAssignment& a) {
                            return a.field == n.parent_field;
                        });
                        assignments.push_back({n.parent_field, FieldValue{nodes[*n.parent].id}});
                    }
                    try {
                        ctx.records.store.Savepoint([&] {
                            n.id =
                                InsertRecord(ctx.records, user, *n.object, std::move(assignments));
                        });
                    } catch (const ApiError& e) {
                        for (ApiErrorItem item : e.items) {
                            item.with_fields = true;
                            n.errors.push_back(std::move(item));
                        }
                        failed = true;
                    }
                }
                if (failed) {
                    throw RolledBack{};
                }
            }
        });
    } catch (const RolledBack&) {
        return Failed(nodes, order, call.pretty);
    }

    json::array results;
    for (std::size_t i : order) {
        json::object r;
        r["referenceId"] = nodes[i].reference_id;
        r["id"] = nodes[i].id;
        results.emplace_back(std::move(r));
    }
    json::object out;
    out["hasErrors"] = false;
    out["results"] = std::move(results);
    return JsonResponse(201, out, call.pretty);
}

}  // namespace sfkit::server
