// UI resources generated from the schema (ui_resources.hpp). Shapes follow the REST API
// Developer Guide's resource pages and the describeLayout / describeCompactLayouts results of
// the SOAP API guide [D]; what a fresh org holds (one layout and the System Default compact
// layout per object, the All/My/Recently Viewed list views, the default global actions, no
// flows, approval processes or workflow rules) is sfkit's model of a new org [M], documented in
// docs/rest.md.
#include "server/api/ui_resources.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/describe_handlers.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/query/query_render.hpp"
#include "server/query/query_service.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

constexpr const char* kMasterRecordType = "012000000000000AAA";

struct UiContext {
    const SObjectContext& records;
    query::QueryService& queries;
};

std::string DataRoot(const Call& call) {
    return "/services/data/v" + call.api_version;
}

/// A stable id for generated metadata (layouts 00h, list views 00B, compact layouts 0AH): the
/// same object and name give the same id on every start.
std::string MetadataId(std::string_view prefix, std::string_view object, std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (const std::string_view part : {object, std::string_view("/"), name}) {
        for (const char c : part) {
            h = (h ^ static_cast<unsigned char>(ToLowerAscii(std::string(1, c))[0])) *
                1099511628211ULL;
        }
    }
    return Id::Make(prefix, "00", h % 13537086546263552ULL).Str18();  // < 62^9
}

/// The object of the path's {type}; 404 when unknown or, given `flag`, when that describe
/// flag (layoutable, compact_layoutable) is off: the object has no such resource.
const ObjectDef& RequireObject(const UiContext& ctx,
                               const Call& call,
                               bool ObjectFlags::*flag = nullptr) {
    const ObjectDef* o = ctx.records.schema.FindObject(call.Param("type"));
    if (o == nullptr || (flag != nullptr && !(o->flags.*flag))) {
        throw NotFound();
    }
    return *o;
}

/// The fields a generated page layout shows: what a user can see and edit, in definition order
/// (no Id, no server-maintained audit fields, compound fields through their components).
std::vector<const FieldDef*> LayoutFields(const ObjectDef& o) {
    std::vector<const FieldDef*> out;
    for (const FieldDef& f : o.fields) {
        if (f.type == FieldType::kId || f.system_maintained || f.IsCompound() ||
            f.type == FieldType::kBase64) {
            continue;
        }
        out.push_back(&f);
    }
    return out;
}

/// describe's field entries by name, for the `details` of layout components.
json::object FieldDetails(const json::object& describe, const std::string& name) {
    for (const json::value& f : describe.at("fields").as_array()) {
        if (f.as_object().at("name").as_string() == name) {
            return f.as_object();
        }
    }
    return {};
}

json::object LayoutItem(const json::object& describe, const FieldDef& f, int tab_order) {
    json::object component;
    component["details"] = FieldDetails(describe, f.name);
    component["displayLines"] = f.type == FieldType::kTextArea ? 3 : 1;
    component["tabOrder"] = tab_order;
    component["type"] = "Field";
    component["value"] = f.name;
    json::object item;
    item["editableForNew"] = f.createable;
    item["editableForUpdate"] = f.updateable;
    item["label"] = f.label;
    item["layoutComponents"] = json::array{std::move(component)};
    item["placeholder"] = false;
    item["required"] = f.RequiredOnCreate();
    return item;
}

json::object PlaceholderItem() {
    json::object item;
    item["editableForNew"] = false;
    item["editableForUpdate"] = false;
    item["label"] = "";
    item["layoutComponents"] = json::array();
    item["placeholder"] = true;
    item["required"] = false;
    return item;
}

/// One two-column section "<Label> Information" holding `fields`.
json::object Section(const ObjectDef& o,
                     const json::object& describe,
                     const std::vector<const FieldDef*>& fields,
                     const std::string& layout_id,
                     bool edit) {
    json::array rows;
    for (std::size_t i = 0; i < fields.size(); i += 2) {
        json::array items;
        items.emplace_back(LayoutItem(describe, *fields[i], static_cast<int>(i + 1)));
        items.emplace_back(i + 1 < fields.size()
                               ? LayoutItem(describe, *fields[i + 1], static_cast<int>(i + 2))
                               : PlaceholderItem());
        json::object row;
        row["layoutItems"] = std::move(items);
        row["numItems"] = 2;
        rows.emplace_back(std::move(row));
    }
    json::object s;
    s["collapsed"] = false;
    s["columns"] = 2;
    s["heading"] = o.label + " Information";
    s["layoutRows"] = std::move(rows);
    s["layoutSectionId"] = MetadataId("01B", o.name, edit ? "edit" : "detail");
    s["parentLayoutId"] = layout_id;
    s["rows"] = static_cast<std::int64_t>((fields.size() + 1) / 2);
    s["tabOrder"] = "TopToBottom";
    s["useCollapsibleSection"] = false;
    s["useHeading"] = true;
    return s;
}

/// The default global actions of a new org, as {name, label, type, target object}.
struct ActionDef {
    const char* name;
    const char* label;
    const char* type;
    const char* target;
};
constexpr ActionDef kGlobalActions[] = {
    {"NewTask", "New Task", "Create", "Task"},
    {"NewContact", "New Contact", "Create", "Contact"},
    {"LogACall", "Log a Call", "LogACall", "Task"},
    {"NewOpportunity", "New Opportunity", "Create", "Opportunity"},
    {"NewCase", "New Case", "Create", "Case"},
    {"NewLead", "New Lead", "Create", "Lead"},
    {"NewEvent", "New Event", "Create", "Event"},
};

std::vector<const ActionDef*> GlobalActions(const Schema& schema) {
    std::vector<const ActionDef*> out;
    for (const ActionDef& a : kGlobalActions) {
        if (schema.FindObject(a.target) != nullptr) {
            out.push_back(&a);
        }
    }
    return out;
}

json::object QuickActionListItem(const ActionDef& a) {
    json::object item;
    item["accessLevelRequired"] = nullptr;
    item["colors"] = json::array();
    item["iconUrl"] = nullptr;
    item["icons"] = json::array();
    item["label"] = a.label;
    item["miniIconUrl"] = nullptr;
    item["quickActionName"] = a.name;
    item["targetSobjectType"] = a.target;
    item["type"] = a.type;
    return item;
}

json::object QuickActionList(const Schema& schema) {
    json::array items;
    for (const ActionDef* a : GlobalActions(schema)) {
        items.emplace_back(QuickActionListItem(*a));
    }
    return {{"quickActionListItems", std::move(items)}};
}

/// The object's one page layout (DescribeLayout).
json::object Layout(const UiContext& ctx, const ObjectDef& o, const Call& call) {
    const json::object describe =
        DescribeSObject(ctx.records.schema, o, call.api_version, call.base_url);
    const std::string id = MetadataId("00h", o.name, "layout");
    const std::vector<const FieldDef*> fields = LayoutFields(o);
    std::vector<const FieldDef*> editable;
    for (const FieldDef* f : fields) {
        if (f->createable || f->updateable) {
            editable.push_back(f);
        }
    }
    json::array related;
    for (const ChildRelationship& r : ctx.records.schema.ChildRelationships(o)) {
        if (r.name.empty() || !r.child->flags.layoutable) {
            continue;
        }
        json::object list;
        list["accessLevelRequiredForCreate"] = nullptr;
        list["buttons"] = json::array();
        list["columns"] = json::array();
        list["custom"] = r.child->flags.custom;
        list["field"] = r.field->name;
        list["label"] = r.child->label_plural;
        list["limitRows"] = 5;
        list["name"] = r.name;
        list["sobject"] = r.child->name;
        list["sort"] = json::array();
        related.emplace_back(std::move(list));
    }
    json::object layout;
    layout["buttonLayoutSection"] = json::object{{"detailButtons", json::array()}};
    layout["detailLayoutSections"] = json::array{Section(o, describe, fields, id, false)};
    layout["editLayoutSections"] = json::array{Section(o, describe, editable, id, true)};
    layout["feedView"] = nullptr;
    layout["highlightsPanelLayoutSection"] = nullptr;
    layout["id"] = id;
    layout["multirowEditLayoutSections"] = json::array();
    layout["offlineLinks"] = json::array();
    layout["quickActionList"] = QuickActionList(ctx.records.schema);
    layout["relatedContent"] = nullptr;
    layout["relatedLists"] = std::move(related);
    layout["saveOptions"] = json::array();
    return layout;
}

json::object RecordTypeMapping(const ObjectDef& o, const Call& call, const json::object& describe) {
    json::array picklists;
    for (const json::value& f : describe.at("fields").as_array()) {
        const json::object& field = f.as_object();
        const auto& type = field.at("type").as_string();
        if (type == "picklist" || type == "multipicklist") {
            json::object p;
            p["picklistName"] = field.at("name");
            p["picklistValues"] = field.at("picklistValues");
            picklists.emplace_back(std::move(p));
        }
    }
    json::object m;
    m["active"] = true;
    m["available"] = true;
    m["defaultRecordTypeMapping"] = true;
    m["developerName"] = "Master";
    m["layoutId"] = MetadataId("00h", o.name, "layout");
    m["master"] = true;
    m["name"] = "Master";
    m["picklistsForRecordType"] = std::move(picklists);
    m["recordTypeId"] = kMasterRecordType;
    m["urls"] = json::object{
        {"layout", ObjectUrl(call.api_version, o) + "/describe/layouts/" + kMasterRecordType}};
    return m;
}

/// GET /sobjects/{type}/describe/layouts: the layouts and the record type mappings.
Response HandleLayouts(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call, &ObjectFlags::layoutable);
    json::array mappings;
    if (HasRecordTypes(o)) {
        mappings.emplace_back(RecordTypeMapping(
            o, call, DescribeSObject(ctx.records.schema, o, call.api_version, call.base_url)));
    }
    json::object body;
    body["layouts"] = json::array{Layout(ctx, o, call)};
    body["recordTypeMappings"] = std::move(mappings);
    body["recordTypeSelectorRequired"] = json::array{false};
    return JsonResponse(200, body, call.pretty);
}

/// GET /sobjects/{type}/describe/layouts/{recordTypeId}: the layout the record type uses (only
/// the Master record type exists here).
Response HandleLayoutForRecordType(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call, &ObjectFlags::layoutable);
    const std::string& rt = call.Param("recordTypeId");
    if (rt != kMasterRecordType && rt != std::string_view(kMasterRecordType).substr(0, 15)) {
        throw NotFound();
    }
    return JsonResponse(200, Layout(ctx, o, call), call.pretty);
}

/// GET /sobjects/Global/describe/layouts: the global publisher layout (the global actions).
Response HandleGlobalLayouts(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    json::object layout;
    layout["buttonLayoutSection"] = nullptr;
    layout["detailLayoutSections"] = json::array();
    layout["editLayoutSections"] = json::array();
    layout["feedView"] = nullptr;
    layout["highlightsPanelLayoutSection"] = nullptr;
    layout["id"] = MetadataId("00h", "Global", "layout");
    layout["multirowEditLayoutSections"] = json::array();
    layout["offlineLinks"] = json::array();
    layout["quickActionList"] = QuickActionList(ctx.records.schema);
    layout["relatedContent"] = nullptr;
    layout["relatedLists"] = json::array();
    layout["saveOptions"] = json::array();
    json::object body;
    body["layouts"] = json::array{std::move(layout)};
    body["recordTypeMappings"] = json::array();
    body["recordTypeSelectorRequired"] = json::array{false};
    return JsonResponse(200, body, call.pretty);
}

/// The System Default compact layout: the name field and up to three more fields.
json::object CompactLayout(const UiContext& ctx, const ObjectDef& o, const Call& call) {
    const json::object describe =
        DescribeSObject(ctx.records.schema, o, call.api_version, call.base_url);
    json::array items;
    int order = 1;
    if (const FieldDef* name = o.NameField()) {
        items.emplace_back(LayoutItem(describe, *name, order++));
    }
    for (const FieldDef* f : LayoutFields(o)) {
        if (order > 4) {
            break;
        }
        if (!f->name_field && !f->IsReference()) {
            items.emplace_back(LayoutItem(describe, *f, order++));
        }
    }
    json::object c;
    c["actions"] = json::array();
    c["fieldItems"] = std::move(items);
    c["id"] = nullptr;
    c["imageItems"] = json::array();
    c["label"] = "System Default";
    c["name"] = "SYSTEM";
    c["objectType"] = o.name;
    return c;
}

/// GET /sobjects/{type}/describe/compactLayouts.
Response HandleCompactLayouts(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call, &ObjectFlags::compact_layoutable);
    json::array mappings;
    if (HasRecordTypes(o)) {
        json::object m;
        m["available"] = true;
        m["compactLayoutId"] = nullptr;
        m["compactLayoutName"] = "SYSTEM";
        m["recordTypeId"] = kMasterRecordType;
        m["recordTypeName"] = "Master";
        m["urls"] = json::object{
            {"compactLayout",
             ObjectUrl(call.api_version, o) + "/describe/compactLayouts/" + kMasterRecordType}};
        mappings.emplace_back(std::move(m));
    }
    json::object body;
    body["compactLayouts"] = json::array{CompactLayout(ctx, o, call)};
    body["defaultCompactLayoutId"] = nullptr;
    body["recordTypeCompactLayoutMappings"] = std::move(mappings);
    body["urls"] = json::object{
        {"primary", ObjectUrl(call.api_version, o) + "/describe/compactLayouts/primary"}};
    return JsonResponse(200, body, call.pretty);
}

/// GET /sobjects/{type}/describe/compactLayouts/{primary|recordTypeId}.
Response HandleCompactLayout(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call, &ObjectFlags::compact_layoutable);
    const std::string& which = call.Param("which");
    if (ToLowerAscii(which) != "primary" && which != kMasterRecordType &&
        which != std::string_view(kMasterRecordType).substr(0, 15)) {
        throw NotFound();
    }
    return JsonResponse(200, CompactLayout(ctx, o, call), call.pretty);
}

/// GET /compactLayouts?q=Account,Contact: each object's primary compact layout by name.
Response HandleCompactLayoutsByObject(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    const std::string q = call.req.QueryParam("q").value_or("");
    if (q.empty()) {
        throw ApiError(400, "MISSING_ARGUMENT", "q: Required parameter is missing");
    }
    json::object body;
    std::size_t start = 0;
    while (start <= q.size()) {
        const auto comma = q.find(',', start);
        const std::string name = q.substr(start, comma - start);
        const ObjectDef* o = ctx.records.schema.FindObject(name);
        if (o == nullptr || !o->flags.compact_layoutable) {
            throw ApiError(400, "INVALID_TYPE", "sObject type '" + name + "' is not supported.");
        }
        body[o->name] = CompactLayout(ctx, *o, call);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return JsonResponse(200, body, call.pretty);
}

/// GET /sobjects/{type}/describe/approvalLayouts[/{name}]: no approval processes here.
Response HandleApprovalLayouts(const UiContext& ctx, Call& call) {
    RequireObject(ctx, call, &ObjectFlags::layoutable);
    if (!call.Param("name").empty()) {
        throw NotFound();
    }
    return JsonResponse(200, json::object{{"approvalLayouts", json::array()}}, call.pretty);
}

/// GET /sobjects/{type}/describe/namedLayouts/{name}: no named layouts here (describe's
/// namedLayoutInfos is empty).
Response HandleNamedLayout(const UiContext& ctx, Call& call) {
    RequireObject(ctx, call);
    throw NotFound();
}

// ---- list views ----------------------------------------------------------------------------

struct ListView {
    std::string id;
    std::string developer_name;
    std::string label;
    std::string scope;  ///< "everything", "mine" or "mru"
};

std::string NoSpaces(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s;
}

/// A new org's list views of an object: All, My (owned objects) and Recently Viewed.
std::vector<ListView> ListViews(const ObjectDef& o) {
    std::vector<ListView> out;
    if (!o.flags.layoutable || !o.flags.queryable) {
        return out;
    }
    const std::string plural = NoSpaces(o.label_plural);
    const auto add = [&](std::string dev, std::string label, std::string scope) {
        out.push_back(
            {MetadataId("00B", o.name, dev), std::move(dev), std::move(label), std::move(scope)});
    };
    add("All" + plural, "All " + o.label_plural, "everything");
    if (o.FindField("OwnerId") != nullptr) {
        add("My" + plural, "My " + o.label_plural, "mine");
    }
    if (o.FindField("LastViewedDate") != nullptr) {
        add("RecentlyViewed" + plural, "Recently Viewed " + o.label_plural, "mru");
    }
    return out;
}

json::object ListViewEntry(const ObjectDef& o, const ListView& v, const Call& call) {
    const std::string base = ObjectUrl(call.api_version, o) + "/listviews/" + v.id;
    json::object e;
    e["describeUrl"] = base + "/describe";
    e["developerName"] = v.developer_name;
    e["id"] = v.id;
    e["label"] = v.label;
    e["resultsUrl"] = base + "/results";
    e["soqlCompatible"] = true;
    e["url"] = base;
    return e;
}

json::object ListViewList(const ObjectDef& o,
                          const std::vector<ListView>& views,
                          const Call& call) {
    json::array list;
    for (const ListView& v : views) {
        list.emplace_back(ListViewEntry(o, v, call));
    }
    json::object body;
    body["done"] = true;
    body["listviews"] = std::move(list);
    body["nextRecordsUrl"] = nullptr;
    body["size"] = static_cast<std::int64_t>(views.size());
    body["sobjectType"] = o.name;
    return body;
}

/// GET /sobjects/{type}/listviews.
Response HandleListViews(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call);
    return JsonResponse(200, ListViewList(o, ListViews(o), call), call.pretty);
}

/// GET /sobjects/{type}/listviews/recent: the list views this user used lately. The local org
/// does not record list view use, so there are none.
Response HandleRecentListViews(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call);
    return JsonResponse(200, ListViewList(o, {}, call), call.pretty);
}

const ListView& RequireListView(const ObjectDef& o,
                                const std::vector<ListView>& views,
                                const Call& call) {
    const std::string& id = call.Param("id");
    for (const ListView& v : views) {
        if (v.id == id || v.id.compare(0, 15, id) == 0 ||
            ToLowerAscii(v.developer_name) == ToLowerAscii(id)) {
            return v;
        }
    }
    (void)o;
    throw NotFound();
}

/// A list view's columns: the name field and up to four more filterable fields, then the
/// hidden Id and audit columns Salesforce adds.
std::vector<std::pair<const FieldDef*, bool>> ListColumns(const ObjectDef& o) {
    std::vector<std::pair<const FieldDef*, bool>> out;
    if (const FieldDef* name = o.NameField()) {
        out.emplace_back(name, false);
    }
    for (const FieldDef* f : LayoutFields(o)) {
        if (out.size() >= 5) {
            break;
        }
        if (!f->name_field && f->Filterable() && !f->IsReference() &&
            f->type != FieldType::kTextArea) {
            out.emplace_back(f, false);
        }
    }
    for (const char* hidden : {"Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"}) {
        if (const FieldDef* f = o.FindField(hidden)) {
            out.emplace_back(f, true);
        }
    }
    return out;
}

json::array ColumnsJson(const ObjectDef& o) {
    json::array out;
    for (const auto& [f, hidden] : ListColumns(o)) {
        json::object c;
        c["ascendingLabel"] =
            f->type == FieldType::kDateTime || f->type == FieldType::kDate ? "Low to High" : "A-Z";
        c["descendingLabel"] =
            f->type == FieldType::kDateTime || f->type == FieldType::kDate ? "High to Low" : "Z-A";
        c["fieldNameOrPath"] = f->name;
        c["hidden"] = hidden;
        c["label"] = f->label;
        c["searchable"] = IsStringLike(f->type);
        c["selectListItem"] = f->name;
        c["sortDirection"] = f->name_field ? json::value("ascending") : json::value(nullptr);
        c["sortIndex"] = f->name_field ? json::value(0) : json::value(nullptr);
        c["sortable"] = f->Sortable();
        c["type"] = TypeName(f->type);
        out.emplace_back(std::move(c));
    }
    return out;
}

std::string ListQuery(const ObjectDef& o, const ListView& v, const std::string& user_id) {
    std::string select;
    for (const auto& [f, hidden] : ListColumns(o)) {
        select += (select.empty() ? "" : ", ") + f->name;
    }
    std::string soql = "SELECT " + select + " FROM " + o.name;
    if (v.scope == "mine") {
        soql += " WHERE OwnerId = '" + user_id + "'";
    } else if (v.scope == "mru") {
        soql += " WHERE LastViewedDate != NULL";
    }
    const FieldDef* name = o.NameField();
    if (v.scope == "mru") {
        soql += " ORDER BY LastViewedDate DESC NULLS LAST, Id ASC NULLS FIRST";
    } else if (name != nullptr && name->Sortable()) {
        soql += " ORDER BY " + name->name + " ASC NULLS FIRST, Id ASC NULLS FIRST";
    } else {
        soql += " ORDER BY Id ASC NULLS FIRST";
    }
    return soql;
}

std::string UserOf(const Call& call) {
    return call.session != nullptr ? call.session->user_id : std::string();
}

/// GET /sobjects/{type}/listviews/{id}: the list view's entry.
Response HandleListView(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call);
    const std::vector<ListView> views = ListViews(o);
    return JsonResponse(200, ListViewEntry(o, RequireListView(o, views, call), call), call.pretty);
}

/// GET /sobjects/{type}/listviews/{id}/describe: columns, order and the SOQL it runs.
Response HandleListViewDescribe(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call);
    const std::vector<ListView> views = ListViews(o);
    const ListView& v = RequireListView(o, views, call);
    json::array order;
    const FieldDef* name = o.NameField();
    if (v.scope == "mru") {
        order.emplace_back(json::object{{"fieldNameOrPath", "LastViewedDate"},
                                        {"nullsPosition", "last"},
                                        {"sortDirection", "descending"}});
    } else if (name != nullptr && name->Sortable()) {
        order.emplace_back(json::object{{"fieldNameOrPath", name->name},
                                        {"nullsPosition", "first"},
                                        {"sortDirection", "ascending"}});
    }
    order.emplace_back(json::object{
        {"fieldNameOrPath", "Id"}, {"nullsPosition", "first"}, {"sortDirection", "ascending"}});
    json::object body;
    body["columns"] = ColumnsJson(o);
    body["id"] = v.id;
    body["orderBy"] = std::move(order);
    body["query"] = ListQuery(o, v, UserOf(call));
    body["relatedEntityId"] = nullptr;
    body["scope"] = v.scope;
    body["scopeEntityId"] = nullptr;
    body["sobjectType"] = o.name;
    body["whereCondition"] = json::object{{"conditions", json::array()}, {"conjunction", "and"}};
    return JsonResponse(200, body, call.pretty);
}

std::string ValueText(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return std::string(v.get_string());
        case json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case json::kind::int64:
            return std::to_string(v.get_int64());
        case json::kind::double_:
            return json::serialize(v);
        default:
            return json::serialize(v);
    }
}

/// GET /sobjects/{type}/listviews/{id}/results?limit=&offset=: the view's rows (SOQL through
/// the query service), every value as text (the documented shape).
Response HandleListViewResults(const UiContext& ctx, Call& call) {
    const ObjectDef& o = RequireObject(ctx, call);
    const std::vector<ListView> views = ListViews(o);
    const ListView& v = RequireListView(o, views, call);
    std::int64_t limit = 25;
    std::int64_t offset = 0;
    if (const auto l = call.req.QueryParam("limit"); l && !l->empty()) {
        limit = std::clamp<std::int64_t>(std::atoll(l->c_str()), 1, 2000);
    }
    if (const auto off = call.req.QueryParam("offset"); off && !off->empty()) {
        offset = std::clamp<std::int64_t>(std::atoll(off->c_str()), 0, 2000);
    }
    std::string soql = ListQuery(o, v, UserOf(call));
    soql += " LIMIT " + std::to_string(limit);
    if (offset > 0) {
        soql += " OFFSET " + std::to_string(offset);
    }
    query::QueryCall qc;
    qc.user_id = UserOf(call);
    qc.api_version = call.api_version;
    const query::QueryPage page = ctx.queries.Run(soql, qc);
    const json::object rendered = query::PageJson(page, ctx.records.schema, call.api_version);
    const auto columns = ListColumns(o);
    json::array records;
    for (const json::value& r : rendered.at("records").as_array()) {
        json::array cells;
        for (const auto& [f, hidden] : columns) {
            const json::value* value = r.as_object().if_contains(f->name);
            cells.emplace_back(json::object{
                {"fieldNameOrPath", f->name},
                {"value",
                 value == nullptr || value->is_null() ? json::value(nullptr)
                                                      : json::value(ValueText(*value))}});
        }
        records.emplace_back(json::object{{"columns", std::move(cells)}});
    }
    json::object body;
    body["columns"] = ColumnsJson(o);
    body["developerName"] = v.developer_name;
    body["done"] = page.done;
    body["id"] = v.id;
    body["label"] = v.label;
    body["records"] = std::move(records);
    body["size"] = static_cast<std::int64_t>(body["records"].as_array().size());
    return JsonResponse(200, body, call.pretty);
}

// ---- recent items ---------------------------------------------------------------------------

struct Recent {
    const ObjectDef* object;
    RecordValues values;
    std::string viewed;
};

/// Recently viewed records over every object, most recent first, at most `limit`.
std::vector<Recent> RecentRecords(const UiContext& ctx, std::size_t limit) {
    std::vector<Recent> out;
    for (const ObjectDef* o : ctx.records.schema.Objects()) {
        const FieldDef* viewed = o->FindField("LastViewedDate");
        if (viewed == nullptr || !o->flags.mru_enabled) {
            continue;
        }
        const std::size_t at = o->IndexOf(*viewed);
        for (RecordValues& r : ctx.records.store.RecentlyViewed(*o, limit)) {
            const auto* when = std::get_if<std::string>(&r[at]);
            out.push_back({o, std::move(r), when != nullptr ? *when : std::string()});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Recent& a, const Recent& b) {
        return a.viewed > b.viewed;
    });
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

/// GET /recent?limit=: `[{"attributes":{...},"Id":..,"Name":..}]`, most recent first.
Response HandleRecent(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    std::size_t limit = 200;
    if (const auto l = call.req.QueryParam("limit"); l && !l->empty()) {
        limit = static_cast<std::size_t>(std::clamp(std::atoll(l->c_str()), 1LL, 200LL));
    }
    json::array out;
    for (const Recent& r : RecentRecords(ctx, limit)) {
        std::vector<std::size_t> fields = {0};
        if (const FieldDef* name = r.object->NameField()) {
            fields.push_back(r.object->IndexOf(*name));
        }
        out.emplace_back(RecordJson(*r.object, r.values, fields, call.api_version));
    }
    return JsonResponse(200, out, call.pretty);
}

/// GET /sobjects/relevantItems: the recently viewed records grouped by object.
Response HandleRelevantItems(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    std::vector<std::pair<const ObjectDef*, json::array>> groups;
    for (const Recent& r : RecentRecords(ctx, 200)) {
        auto it = std::find_if(
            groups.begin(), groups.end(), [&](const auto& g) { return g.first == r.object; });
        if (it == groups.end()) {
            groups.emplace_back(r.object, json::array());
            it = groups.end() - 1;
        }
        const auto* id = std::get_if<std::string>(&r.values[0]);
        it->second.emplace_back(id != nullptr ? *id : std::string());
    }
    json::array out;
    for (auto& [o, ids] : groups) {
        json::object g;
        g["apiName"] = o->name;
        g["key"] = o->key_prefix;
        g["label"] = o->label_plural;
        g["lastUpdatedId"] = MetadataId("000", o->name, "relevant");
        g["recordIds"] = std::move(ids);
        out.emplace_back(std::move(g));
    }
    return JsonResponse(200, out, call.pretty);
}

// ---- actions ----------------------------------------------------------------------------------

json::object QuickActionEntry(const ActionDef& a, const std::string& root, const ObjectDef* on) {
    const std::string base = on != nullptr
                                 ? root + "/sobjects/" + on->name + "/quickActions/" + a.name
                                 : root + "/quickActions/" + a.name;
    json::object urls;
    urls["defaultValuesTemplate"] = base + "/defaultValues/{ID}";
    urls["quickAction"] = base;
    urls["description"] = base + "/describe";
    urls["defaultValues"] = base + "/defaultValues";
    json::object e;
    e["actionEnumOrId"] = a.name;
    e["label"] = a.label;
    e["name"] = a.name;
    e["type"] = a.type;
    e["urls"] = std::move(urls);
    return e;
}

/// GET /quickActions and /sobjects/{type}/quickActions: the default global actions.
Response HandleQuickActions(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    const ObjectDef* on = nullptr;
    if (!call.Param("type").empty()) {
        on = &RequireObject(ctx, call, &ObjectFlags::layoutable);
    }
    json::array out;
    for (const ActionDef* a : GlobalActions(ctx.records.schema)) {
        out.emplace_back(QuickActionEntry(*a, DataRoot(call), on));
    }
    return JsonResponse(200, out, call.pretty);
}

/// Standard invocable actions every org has [D: the REST guide's "Standard Invocable Actions"
/// list], cut to those that need no feature the local org lacks.
constexpr std::pair<const char*, const char*> kStandardActions[] = {
    {"chatterPost", "Post to Chatter"},
    {"emailSimple", "Send Email"},
    {"submit", "Submit for Approval"},
};

/// GET /actions: the two kinds of invocable actions.
Response HandleActions(Call& call) {
    RequireServedVersion(call.api_version);
    const std::string root = DataRoot(call) + "/actions";
    return JsonResponse(
        200,
        json::object{{"standard", root + "/standard"}, {"custom", root + "/custom"}},
        call.pretty);
}

/// GET /actions/standard: `{"actions":[{"label","name","type"}]}`.
Response HandleStandardActions(Call& call) {
    RequireServedVersion(call.api_version);
    json::array actions;
    for (const auto& [name, label] : kStandardActions) {
        std::string type = name;
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) {
            return static_cast<char>(std::toupper(c));
        });
        actions.emplace_back(json::object{{"label", label}, {"name", name}, {"type", type}});
    }
    return JsonResponse(200, json::object{{"actions", std::move(actions)}}, call.pretty);
}

/// GET /actions/custom: the custom action types, each with its (empty here) list's URL.
Response HandleCustomActions(Call& call) {
    RequireServedVersion(call.api_version);
    const std::string root = DataRoot(call) + "/actions/custom";
    json::object body;
    for (const char* type : {"apex", "emailAlert", "flow", "quickAction"}) {
        body[type] = root + "/" + type;
    }
    return JsonResponse(200, body, call.pretty);
}

/// GET /actions/custom/{type}: no Apex, email alerts, flows or object actions of its own.
Response HandleCustomActionList(Call& call) {
    RequireServedVersion(call.api_version);
    const std::string type = call.Param("kind");
    if (type != "apex" && type != "emailAlert" && type != "flow" && type != "quickAction") {
        throw NotFound();
    }
    return JsonResponse(200, json::object{{"actions", json::array()}}, call.pretty);
}

// ---- app menu, tabs, theme ---------------------------------------------------------------------

/// Objects with a tab in a new org: the layoutable objects users open from the app
/// navigation (those with a recently-viewed list), custom objects included.
std::vector<const ObjectDef*> TabObjects(const Schema& schema) {
    std::vector<const ObjectDef*> out;
    for (const ObjectDef* o : schema.Objects()) {
        if (o->flags.layoutable && o->flags.mru_enabled && o->flags.queryable &&
            !o->flags.custom_setting) {
            out.push_back(o);
        }
    }
    return out;
}

json::array TabColors(const ObjectDef& o) {
    (void)o;
    return json::array{
        json::object{{"color", "1797C0"}, {"context", "primary"}, {"theme", "theme4"}}};
}

json::object TabJson(const ObjectDef& o, const Call& call) {
    json::object t;
    t["colors"] = TabColors(o);
    t["custom"] = o.flags.custom;
    t["iconUrl"] = nullptr;
    t["icons"] = json::array();
    t["label"] = o.label_plural;
    t["miniIconUrl"] = nullptr;
    t["name"] = o.flags.custom ? o.name : "standard-" + o.name;
    t["sobjectName"] = o.name;
    t["url"] = call.base_url + "/" + o.key_prefix + "/o";
    return t;
}

/// GET /tabs: the tabs the user can see.
Response HandleTabs(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    json::array out;
    for (const ObjectDef* o : TabObjects(ctx.records.schema)) {
        out.emplace_back(TabJson(*o, call));
    }
    return JsonResponse(200, out, call.pretty);
}

/// GET /theme: each tab object's colors and icons.
Response HandleTheme(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    json::array items;
    for (const ObjectDef* o : TabObjects(ctx.records.schema)) {
        items.emplace_back(
            json::object{{"colors", TabColors(*o)}, {"icons", json::array()}, {"name", o->name}});
    }
    return JsonResponse(200, json::object{{"themeItems", std::move(items)}}, call.pretty);
}

/// GET /appMenu: the two menus.
Response HandleAppMenu(Call& call) {
    RequireServedVersion(call.api_version);
    const std::string root = DataRoot(call) + "/appMenu";
    return JsonResponse(200,
                        json::object{{"AppSwitcher", root + "/AppSwitcher"},
                                     {"Salesforce1", root + "/Salesforce1"}},
                        call.pretty);
}

/// GET /appMenu/{menu}: AppSwitcher lists the apps (one, Sales), Salesforce1 the tabs.
Response HandleAppMenuItems(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    const std::string menu = ToLowerAscii(call.Param("menu"));
    json::array items;
    if (menu == "appswitcher") {
        items.emplace_back(json::object{{"colors", nullptr},
                                        {"content", nullptr},
                                        {"icons", nullptr},
                                        {"label", "Sales"},
                                        {"type", "Tabset"},
                                        {"url", "/home/home.jsp?tsid=02u000000000000"}});
    } else if (menu == "salesforce1") {
        for (const ObjectDef* o : TabObjects(ctx.records.schema)) {
            items.emplace_back(json::object{{"colors", TabColors(*o)},
                                            {"content", nullptr},
                                            {"icons", json::array()},
                                            {"label", o->label_plural},
                                            {"name", o->name},
                                            {"type", "Tab.apexPage"},
                                            {"url", "/" + o->key_prefix + "/o"}});
        }
    } else {
        throw NotFound();
    }
    return JsonResponse(200, json::object{{"appMenuItems", std::move(items)}}, call.pretty);
}

// ---- processes ---------------------------------------------------------------------------------

/// GET /process/rules[/{type}]: no workflow rules here.
Response HandleProcessRules(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    if (!call.Param("type").empty()) {
        RequireObject(ctx, call);
        return JsonResponse(200, json::object{{"rules", json::array()}}, call.pretty);
    }
    return JsonResponse(200, json::object{{"rules", json::object()}}, call.pretty);
}

/// GET /process/approvals: no approval processes here. POST submits, approves or rejects: the
/// body must be `{"requests":[...]}`; with no approval process, each request is refused with
/// Salesforce's NO_APPLICABLE_PROCESS.
Response HandleProcessApprovals(Call& call) {
    RequireServedVersion(call.api_version);
    if (call.req.method == "GET" || call.req.method == "HEAD") {
        return JsonResponse(200, json::object{{"approvals", json::object()}}, call.pretty);
    }
    auto parsed = codec::ParseJson(call.req.body);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    const json::value& body = *parsed;
    if (!body.is_object()) {
        throw ApiError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
    }
    const json::value* requests = body.as_object().if_contains("requests");
    if (requests == nullptr || !requests->is_array()) {
        std::string first = body.as_object().empty() ? std::string("requests")
                                                     : std::string(body.as_object().begin()->key());
        throw ApiError(
            400,
            "JSON_PARSER_ERROR",
            "Unrecognized field \"" + first + "\": the body must be {\"requests\":[...]}");
    }
    throw ApiError(400, "NO_APPLICABLE_PROCESS", "No applicable approval process was found.");
}

// ---- search resources --------------------------------------------------------------------------

/// The objects a new user's global search covers first.
constexpr const char* kScopeOrder[] = {"Account", "Contact", "Opportunity", "Lead", "Case"};

/// GET /search/scopeOrder: `[{"type":"Account","url":".../sobjects/Account/describe"}]`.
Response HandleScopeOrder(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    json::array out;
    for (const char* name : kScopeOrder) {
        if (const ObjectDef* o = ctx.records.schema.FindObject(name)) {
            out.emplace_back(json::object{{"type", o->name},
                                          {"url", ObjectUrl(call.api_version, *o) + "/describe"}});
        }
    }
    return JsonResponse(200, out, call.pretty);
}

/// GET /search/layout?q=A,B: each object's search result columns (its name field and the
/// list view columns); an empty q selects nothing.
Response HandleSearchLayout(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    const std::string q = call.req.QueryParam("q").value_or("");
    json::array out;
    std::size_t start = 0;
    while (!q.empty() && start <= q.size()) {
        const auto comma = q.find(',', start);
        const std::string name = q.substr(start, comma - start);
        const ObjectDef* o = ctx.records.schema.FindObject(name);
        json::object entry;
        if (o == nullptr || !o->flags.searchable) {
            entry["errorMsg"] = "Invalid object name: " + name;
            entry["label"] = nullptr;
            entry["limitRows"] = nullptr;
            entry["objectType"] = name;
            entry["searchColumns"] = nullptr;
        } else {
            json::array cols;
            for (const auto& [f, hidden] : ListColumns(*o)) {
                if (hidden) {
                    continue;
                }
                cols.emplace_back(json::object{{"field", o->name + "." + f->name},
                                               {"format", nullptr},
                                               {"label", f->label},
                                               {"name", f->name}});
            }
            entry["errorMsg"] = nullptr;
            entry["label"] = "Search Results";
            entry["limitRows"] = 25;
            entry["objectType"] = o->name;
            entry["searchColumns"] = std::move(cols);
        }
        out.emplace_back(std::move(entry));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return JsonResponse(200, out, call.pretty);
}

/// Suggestions need a search string of 3 characters at least [D]; shorter ones suggest nothing.
constexpr std::size_t kMinSuggestionChars = 3;

/// GET /search/suggestions?q=&sobject=: records whose name starts with (a word of) q, through
/// SOSL-free SOQL LIKE on the name field; `{"autoSuggestResults":[...],"hasMoreResults":..}`.
Response HandleSuggestions(const UiContext& ctx, Call& call) {
    RequireServedVersion(call.api_version);
    const std::string q = call.req.QueryParam("q").value_or("");
    json::array results;
    bool more = false;
    if (q.size() >= kMinSuggestionChars) {
        const std::string sobject = call.req.QueryParam("sobject").value_or("");
        const ObjectDef* o = ctx.records.schema.FindObject(sobject);
        if (o == nullptr || !o->flags.searchable || o->NameField() == nullptr) {
            throw ApiError(400, "INVALID_TYPE", "sObject type '" + sobject + "' is not supported.");
        }
        std::int64_t limit = 5;
        if (const auto l = call.req.QueryParam("limit"); l && !l->empty()) {
            limit = std::clamp<std::int64_t>(std::atoll(l->c_str()), 1, 50);
        }
        std::string escaped;
        for (const char c : q) {
            if (c == '\'' || c == '\\' || c == '%' || c == '_') {
                escaped += '\\';
            }
            escaped += c;
        }
        const std::string name = o->NameField()->name;
        const std::string soql = "SELECT Id, " + name + " FROM " + o->name + " WHERE " + name +
                                 " LIKE '" + escaped + "%' OR " + name + " LIKE '% " + escaped +
                                 "%' ORDER BY " + name + " LIMIT " + std::to_string(limit + 1);
        query::QueryCall qc;
        qc.user_id = UserOf(call);
        qc.api_version = call.api_version;
        const query::QueryPage page = ctx.queries.Run(soql, qc);
        json::object rendered = query::PageJson(page, ctx.records.schema, call.api_version);
        for (json::value& r : rendered["records"].as_array()) {
            if (static_cast<std::int64_t>(results.size()) == limit) {
                more = true;
                break;
            }
            results.emplace_back(std::move(r));
        }
    }
    return JsonResponse(
        200,
        json::object{{"autoSuggestResults", std::move(results)}, {"hasMoreResults", more}},
        call.pretty);
}

/// GET /search/suggestSearchQueries?q=&language=: suggestions come from other users' past
/// searches, which the local org does not keep, so there are none.
Response HandleSuggestQueries(Call& call) {
    RequireServedVersion(call.api_version);
    return JsonResponse(
        200,
        json::object{{"autoSuggestResults", json::array()}, {"hasMoreResults", false}},
        call.pretty);
}

/// GET /knowledgeManagement/settings: an org without Knowledge answers that it is off [D].
Response HandleKnowledgeSettings(Call& call) {
    RequireServedVersion(call.api_version);
    json::object body;
    body["defaultLanguage"] = "en_US";
    body["knowledgeEnabled"] = false;
    body["languages"] = json::array();
    return JsonResponse(200, body, call.pretty);
}

/// /services/apexrest/...: the org has no Apex REST classes, so no URL mapping matches; a
/// real org answers an unmatched mapping with this 404 (SalesforceMobileSDK-ReactNative#183 [R]).
Response HandleApexRest(Call&) {
    throw ApiError(404, "NOT_FOUND", "Could not find a match for URL", true);
}

}  // namespace

void RegisterUiResourceRoutes(Router& router,
                              const SObjectContext& records,
                              query::QueryService& queries) {
    auto ctx = std::make_shared<UiContext>(UiContext{records, queries});
    const auto with = [ctx](Response (*h)(const UiContext&, Call&)) {
        return [ctx, h](Call& call) {
            RequireServedVersion(call.api_version);
            return h(*ctx, call);
        };
    };
    const std::string root = "/services/data/v{version}";
    const std::string sobject = root + "/sobjects/{type}";
    router.Add({{"GET"}, sobject + "/describe/layouts", true, with(&HandleLayouts)});
    router.Add({{"GET"},
                sobject + "/describe/layouts/{recordTypeId}",
                true,
                with(&HandleLayoutForRecordType)});
    router.Add(
        {{"GET"}, root + "/sobjects/Global/describe/layouts", true, with(&HandleGlobalLayouts)});
    router.Add({{"GET"}, sobject + "/describe/compactLayouts", true, with(&HandleCompactLayouts)});
    router.Add(
        {{"GET"}, sobject + "/describe/compactLayouts/{which}", true, with(&HandleCompactLayout)});
    router.Add({{"GET"}, root + "/compactLayouts", true, with(&HandleCompactLayoutsByObject)});
    router.Add(
        {{"GET"}, sobject + "/describe/approvalLayouts", true, with(&HandleApprovalLayouts)});
    router.Add({{"GET"},
                sobject + "/describe/approvalLayouts/{name}",
                true,
                with(&HandleApprovalLayouts)});
    router.Add(
        {{"GET"}, sobject + "/describe/namedLayouts/{name}", true, with(&HandleNamedLayout)});
    router.Add({{"GET"}, sobject + "/listviews", true, with(&HandleListViews)});
    router.Add({{"GET"}, sobject + "/listviews/recent", true, with(&HandleRecentListViews)});
    router.Add({{"GET"}, sobject + "/listviews/{id}", true, with(&HandleListView)});
    router.Add(
        {{"GET"}, sobject + "/listviews/{id}/describe", true, with(&HandleListViewDescribe)});
    router.Add({{"GET"}, sobject + "/listviews/{id}/results", true, with(&HandleListViewResults)});
    router.Add({{"GET"}, root + "/recent", true, with(&HandleRecent)});
    router.Add({{"GET"}, root + "/sobjects/relevantItems", true, with(&HandleRelevantItems)});
    router.Add({{"GET"}, root + "/quickActions", true, with(&HandleQuickActions)});
    router.Add({{"GET"}, sobject + "/quickActions", true, with(&HandleQuickActions)});
    router.Add({{"GET"}, root + "/actions", true, HandleActions});
    router.Add({{"GET"}, root + "/actions/standard", true, HandleStandardActions});
    router.Add({{"GET"}, root + "/actions/custom", true, HandleCustomActions});
    router.Add({{"GET"}, root + "/actions/custom/{kind}", true, HandleCustomActionList});
    router.Add({{"GET"}, root + "/appMenu", true, HandleAppMenu});
    router.Add({{"GET"}, root + "/appMenu/{menu}", true, with(&HandleAppMenuItems)});
    router.Add({{"GET"}, root + "/tabs", true, with(&HandleTabs)});
    router.Add({{"GET"}, root + "/theme", true, with(&HandleTheme)});
    router.Add({{"GET"}, root + "/process/rules", true, with(&HandleProcessRules)});
    router.Add({{"GET"}, root + "/process/rules/{type}", true, with(&HandleProcessRules)});
    router.Add({{"GET", "POST"}, root + "/process/approvals", true, HandleProcessApprovals});
    router.Add({{"GET"}, root + "/search/scopeOrder", true, with(&HandleScopeOrder)});
    router.Add({{"GET"}, root + "/search/layout", true, with(&HandleSearchLayout)});
    router.Add({{"GET"}, root + "/search/suggestions", true, with(&HandleSuggestions)});
    router.Add({{"GET"}, root + "/search/suggestSearchQueries", true, HandleSuggestQueries});
    router.Add({{"GET"}, root + "/knowledgeManagement/settings", true, HandleKnowledgeSettings});
    for (const char* path : {"/services/apexrest", "/services/apexrest/{*mapping}"}) {
        router.Add({{"GET", "POST", "PUT", "PATCH", "DELETE"}, path, true, HandleApexRest});
    }
}

}  // namespace sfkit::server
