// describeGlobal, sObject basic info, create and retrieve.
#include "server/api/sobject_handlers.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/record_input.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

/// Re-orders keys by Java's String.compareTo, which for ASCII names is byte order (§0.1).
json::object SortedKeys(json::object o) {
    std::vector<std::pair<std::string, json::value>> entries;
    for (auto& kv : o) {
        entries.emplace_back(std::string(kv.key()), std::move(kv.value()));
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    json::object out;
    for (auto& [k, v] : entries) {
        out[k] = std::move(v);
    }
    return out;
}

/// A describeGlobal entry: keys sorted by Java String.compareTo, i.e. byte order (§B.3);
/// `urls` in Salesforce's hash order.
json::object DescribeGlobalEntry(const ObjectDef& o, const std::string& version) {
    const ObjectFlags& f = o.flags;
    json::object d;
    d["activateable"] = f.activateable;
    d["associateEntityType"] = nullptr;
    d["associateParentEntity"] = nullptr;
    d["createable"] = f.createable;
    d["custom"] = f.custom;
    d["customSetting"] = f.custom_setting;
    d["deepCloneable"] = f.deep_cloneable;
    d["deletable"] = f.deletable;
    d["deprecatedAndHidden"] = f.deprecated_and_hidden;
    d["feedEnabled"] = f.feed_enabled;
    d["hasSubtypes"] = f.has_subtypes;
    d["isInterface"] = f.is_interface;
    d["isSubtype"] = f.is_subtype;
    d["keyPrefix"] = o.key_prefix;
    d["label"] = o.label;
    d["labelPlural"] = o.label_plural;
    d["layoutable"] = f.layoutable;
    d["mergeable"] = f.mergeable;
    d["mruEnabled"] = f.mru_enabled;
    d["name"] = o.name;
    d["queryable"] = f.queryable;
    d["replicateable"] = f.replicateable;
    d["retrieveable"] = f.retrieveable;
    d["searchable"] = f.searchable;
    d["triggerable"] = f.triggerable;
    d["undeletable"] = f.undeletable;
    d["updateable"] = f.updateable;
    const std::string base = "/services/data/v" + version + "/sobjects/" + o.name;
    json::object urls;
    if (f.layoutable) {
        urls["compactLayouts"] = base + "/describe/compactLayouts";
        urls["rowTemplate"] = base + "/{ID}";
        urls["approvalLayouts"] = base + "/describe/approvalLayouts";
        urls["listviews"] = base + "/listviews";
        urls["describe"] = base + "/describe";
        urls["quickActions"] = base + "/quickActions";
        urls["layouts"] = base + "/describe/layouts";
        urls["sobject"] = base;
    } else {
        urls["rowTemplate"] = base + "/{ID}";
        urls["describe"] = base + "/describe";
        urls["sobject"] = base;
    }
    d["urls"] = std::move(urls);
    return SortedKeys(std::move(d));
}

/// Generic JSON -> XML used for resources whose XML form Salesforce does not document in
/// detail: objects become nested elements, arrays repeat the element, null is xsi:nil.
void JsonAsXml(XmlWriter& w, std::string_view name, const json::value& v) {
    switch (v.kind()) {
        case json::kind::object:
            w.Open(name);
            for (const auto& kv : v.get_object()) {
                JsonAsXml(w, kv.key(), kv.value());
            }
            w.Close();
            break;
        case json::kind::array:
            for (const auto& e : v.get_array()) {
                JsonAsXml(w, name, e);
            }
            break;
        case json::kind::null:
            w.Nil(name);
            break;
        case json::kind::string:
            w.Leaf(name, v.get_string());
            break;
        case json::kind::double_:
            w.Leaf(name, codec::FormatJavaDouble(v.get_double()));
            break;
        default:
            w.Leaf(name, json::serialize(v));
    }
}

Response XmlDocument(int status, std::string_view root, const json::object& body, bool pretty) {
    XmlWriter w(pretty);
    w.Open(root, {{"xmlns:xsi", std::string(kXsiNamespace)}});
    for (const auto& kv : body) {
        JsonAsXml(w, kv.key(), kv.value());
    }
    return XmlResponse(status, std::move(w).Finish());
}

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

/// `?fields=A,B`: indexes in request order, Id appended when not requested (§B.7).
std::vector<std::size_t> SelectedFields(const ObjectDef& object, const Request& req) {
    std::vector<std::size_t> out;
    const auto param = req.QueryParam("fields");
    if (!param || Trim(*param).empty()) {
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            out.push_back(i);
        }
        return out;
    }
    std::string_view rest = *param;
    while (true) {
        const auto comma = rest.find(',');
        const std::string name = Trim(rest.substr(0, comma));
        if (!name.empty()) {
            const FieldDef* f = object.FindField(name);
            if (f == nullptr) {
                // ?fields= runs a query underneath, so the error is SOQL's (§B.11).
                throw ApiError(400,
                               "INVALID_FIELD",
                               "No such column '" + name + "' on entity '" + object.name +
                                   "'. If you are attempting to use a custom field, be sure to "
                                   "append the '__c' after the custom field name. Please "
                                   "reference your WSDL or the describe call for the "
                                   "appropriate names.");
            }
            const std::size_t index = object.IndexOf(*f);
            if (std::find(out.begin(), out.end(), index) == out.end()) {
                out.push_back(index);
            }
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(comma + 1);
    }
    if (std::find(out.begin(), out.end(), std::size_t{0}) == out.end()) {
        out.push_back(0);
    }
    return out;
}

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call) {
    const ObjectDef* object = ctx.schema.FindObject(call.Param("type"));
    if (object == nullptr) {
        throw NotFound();
    }
    return *object;
}

Response HandleDescribeGlobal(const SObjectContext& ctx, Call& call) {
    json::object body;
    body["encoding"] = "UTF-8";
    body["maxBatchSize"] = 200;
    json::array sobjects;
    for (const ObjectDef* o : ctx.schema.Objects()) {
        sobjects.emplace_back(DescribeGlobalEntry(*o, call.api_version));
    }
    body["sobjects"] = std::move(sobjects);
    if (call.format == Format::kXml) {
        return XmlDocument(200, "DescribeGlobal", body, call.pretty);
    }
    return JsonResponse(200, body, call.pretty);
}

Response HandleBasicInfo(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    std::vector<std::size_t> fields = {0};
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].name_field) {
            fields.push_back(i);
        }
    }
    json::array recent;
    for (const RecordValues& r : ctx.store.RecentlyViewed(object, 25)) {
        recent.emplace_back(RecordJson(object, r, fields, call.api_version));
    }
    json::object body;
    body["objectDescribe"] = DescribeGlobalEntry(object, call.api_version);
    body["recentItems"] = std::move(recent);
    if (call.format == Format::kXml) {
        return XmlDocument(200, "SObject", body, call.pretty);
    }
    return JsonResponse(200, body, call.pretty);
}

Response HandleCreate(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const BodyFormat body_format = RequireBodyFormat(call.req);
    auto assignments = ParseRecordBody(object, body_format, call.req.body);
    ValidateInsert(ctx.schema, ctx.store, object, assignments);

    RecordValues values(object.fields.size());
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].default_boolean) {
            values[i] = *object.fields[i].default_boolean;
        }
    }
    for (auto& a : assignments) {
        const std::size_t i = object.IndexOf(*a.field);
        // A null checkbox is false: checkboxes are never null in Salesforce.
        if (IsNull(a.value) && a.field->type == FieldType::kBoolean) {
            a.value = a.field->default_boolean.value_or(false);
        }
        values[i] = std::move(a.value);
    }
    // System fields (§0.1 formats): one timestamp for all three dates of a create.
    const std::string now = NowDateTime();
    const std::string user = call.session != nullptr ? call.session->user_id : std::string();
    const auto set = [&](std::string_view name, FieldValue v, bool only_if_null = false) {
        if (const FieldDef* f = object.FindField(name)) {
            FieldValue& slot = values[object.IndexOf(*f)];
            if (!only_if_null || IsNull(slot)) {
                slot = std::move(v);
            }
        }
    };
    set("IsDeleted", false);
    set("CreatedDate", now);
    set("LastModifiedDate", now);
    set("SystemModstamp", now);
    set("CreatedById", user);
    set("LastModifiedById", user);
    set("OwnerId", user, /*only_if_null=*/true);

    const Id id = ctx.store.Insert(object, values);

    if (call.format == Format::kXml) {
        // Salesforce's XML SaveResult (§B.16): standalone="yes", no <errors> when empty.
        XmlWriter w(call.pretty, /*standalone=*/true);
        w.Open("Result");
        w.Leaf("id", id.Str18());
        w.Leaf("success", "true");
        return XmlResponse(201, std::move(w).Finish());
    }
    json::object result;  // id, success, errors: the order of every recording (§B.6)
    result["id"] = id.Str18();
    result["success"] = true;
    result["errors"] = json::array();
    return JsonResponse(201, result, call.pretty);
}

Response HandleRetrieve(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const std::string& segment = call.Param("id");
    auto id = Id::Parse(segment);
    if (!id) {
        // An 18-char id of this object whose case-safe suffix is wrong: it is clearly meant as
        // an id, so answer MALFORMED_ID rather than treating it as an external-id field name.
        if (segment.size() == 18 && segment.compare(0, 3, object.key_prefix) == 0 &&
            std::all_of(segment.begin(), segment.end(), IsAlnum)) {
            throw ApiError::WithFields(
                400,
                "MALFORMED_ID",
                object.IdField().label + ": id value of incorrect type: " + segment,
                {"Id"});
        }
        // Anything else is read as /sobjects/{type}/{externalIdField} (§B.7).
        throw ApiError(
            404,
            "NOT_FOUND",
            "Provided external ID field does not exist or is not accessible: " + segment);
    }
    if (id->KeyPrefix() != object.key_prefix) {
        throw NotFound();
    }
    const std::vector<std::size_t> fields = SelectedFields(object, call.req);
    auto record = ctx.store.Find(object, *id);
    if (!record) {
        throw NotFound();
    }
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        RecordXml(w, object, *record, fields, call.api_version, /*declare_xsi=*/true);
        return XmlResponse(200, std::move(w).Finish());
    }
    return JsonResponse(200, RecordJson(object, *record, fields, call.api_version), call.pretty);
}

}  // namespace sfkit::server
