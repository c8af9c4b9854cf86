// describeGlobal and sObject basic info (record create/retrieve live in record_handlers.cpp).
#include "server/api/sobject_handlers.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
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

}  // namespace sfkit::server
