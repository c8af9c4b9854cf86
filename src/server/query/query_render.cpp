// JSON/XML rendering of query pages and column metadata.
#include "server/query/query_render.hpp"

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/xml_writer.hpp"
#include "server/query/format_value.hpp"
#include "server/query/schema_lookup.hpp"

namespace sfkit::server::query {
namespace {

namespace json = boost::json;

/// A column value as JSON of the expression's type (§0.1: booleans, Java doubles, text).
json::value ValueJson(const SqlValue& v, FieldType t) {
    if (std::holds_alternative<std::monostate>(v)) {
        return nullptr;
    }
    switch (KindOf(t)) {
        case ValueKind::kBoolean:
            if (const auto* i = std::get_if<std::int64_t>(&v)) {
                return *i != 0;
            }
            break;
        case ValueKind::kInteger:
            if (const auto* i = std::get_if<std::int64_t>(&v)) {
                return *i;
            }
            if (const auto* d = std::get_if<double>(&v)) {
                return static_cast<std::int64_t>(*d);
            }
            break;
        case ValueKind::kReal:
            if (const auto* i = std::get_if<std::int64_t>(&v)) {
                return static_cast<double>(*i);
            }
            if (const auto* d = std::get_if<double>(&v)) {
                return *d;
            }
            break;
        default:
            break;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return json::string(*s);
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return *i;
    }
    return std::get<double>(v);
}

std::string ValueText(const SqlValue& v, FieldType t) {
    const json::value j = ValueJson(v, t);
    switch (j.kind()) {
        case json::kind::bool_:
            return j.get_bool() ? "true" : "false";
        case json::kind::int64:
            return std::to_string(j.get_int64());
        case json::kind::double_:
            return codec::FormatJavaDouble(j.get_double());
        case json::kind::string:
            return std::string(j.get_string());
        default:
            return {};
    }
}

/// The type FORMAT() formats a column as: SUM/AVG/MIN/MAX keep their field's type (a currency
/// total is money), everything else the column's own type.
FieldType FormatType(const BoundQuery& q, const OutItem& item) {
    const BExpr& e = q.columns[item.column];
    if (e.kind == BExpr::Kind::kAggregate && e.field.def != nullptr &&
        e.function != soql::Function::kCount && e.function != soql::Function::kCountDistinct) {
        return e.field.def->type;
    }
    return e.type;
}

/// A kColumn item's value: FORMAT()ted text where the item asks for it, else ValueJson.
json::value ColumnValueJson(const BoundQuery& q, const OutItem& item, const SqlValue& v) {
    std::string text;
    if (item.formatted &&
        FormatForLocale(v, FormatType(q, item), item.def != nullptr ? item.def->scale : 0, text)) {
        return json::string(text);
    }
    return ValueJson(v, q.columns[item.column].type);
}

std::string ColumnValueText(const BoundQuery& q, const OutItem& item, const SqlValue& v) {
    std::string text;
    if (item.formatted &&
        FormatForLocale(v, FormatType(q, item), item.def != nullptr ? item.def->scale : 0, text)) {
        return text;
    }
    return ValueText(v, q.columns[item.column].type);
}

/// The record's url: below its object's resource (Tooling entities live under /tooling).
std::string RecordUrl(const Schema& schema,
                      const std::string& version,
                      std::string_view type,
                      std::string_view id) {
    const ObjectDef* o = schema.FindObject(type);
    std::string url = o != nullptr
                          ? ObjectUrl(version, *o)
                          : "/services/data/v" + version + "/sobjects/" + std::string(type);
    url.append("/").append(id);
    return url;
}

class Renderer {
public:
    Renderer(const Schema& schema, std::string version)
        : schema_(schema), version_(std::move(version)) {}

    json::object Page(const BoundQuery& q,
                      std::int64_t total,
                      bool done,
                      const std::string& next,
                      const std::vector<ResultRow>& rows) const {
        json::object out;
        out["totalSize"] = total;
        out["done"] = done;
        if (!done) {
            out["nextRecordsUrl"] = next;
        }
        json::array records;
        records.reserve(rows.size());
        for (const ResultRow& r : rows) {
            records.emplace_back(Record(q, r));
        }
        out["records"] = std::move(records);
        return out;
    }

    void PageXml(XmlWriter& w,
                 const BoundQuery& q,
                 std::int64_t total,
                 bool done,
                 const std::string& next,
                 const std::vector<ResultRow>& rows) const {
        // Elements in alphabetical order, as Salesforce's XML bindings write them ([M]).
        w.Leaf("done", done ? "true" : "false");
        if (!done) {
            w.Leaf("nextRecordsUrl", next);
        }
        for (const ResultRow& r : rows) {
            RecordXml(w, "records", q, r);
        }
        w.Leaf("totalSize", std::to_string(total));
    }

    json::object Record(const BoundQuery& q, const ResultRow& r) const {
        json::object rec;
        json::object attributes;
        if (q.aggregate) {
            attributes["type"] = "AggregateResult";
            rec["attributes"] = std::move(attributes);
        } else {
            const std::string& id = std::get<std::string>(r.values[q.shape.id_column]);
            attributes["type"] = q.object->name;
            attributes["url"] = RecordUrl(schema_, version_, q.object->name, id);
            rec["attributes"] = std::move(attributes);
        }
        Items(rec, q, q.shape.items, r);
        return rec;
    }

    void RecordXml(XmlWriter& w,
                   std::string_view element,
                   const BoundQuery& q,
                   const ResultRow& r) const {
        if (q.aggregate) {
            w.Open(element, {{"type", "AggregateResult"}});
        } else {
            const std::string& id = std::get<std::string>(r.values[q.shape.id_column]);
            w.Open(element,
                   {{"type", q.object->name},
                    {"url", RecordUrl(schema_, version_, q.object->name, id)}});
        }
        ItemsXml(w, q, q.shape.items, r);
        w.Close();
    }

    void Flat(const BoundQuery& q,
              const std::vector<OutItem>& items,
              const ResultRow* r,
              std::vector<std::optional<std::string>>& out) const {
        for (const OutItem& item : items) {
            switch (item.kind) {
                case OutItem::Kind::kColumn: {
                    const SqlValue* v = r != nullptr ? &r->values[item.column] : nullptr;
                    if (v == nullptr || std::holds_alternative<std::monostate>(*v)) {
                        out.emplace_back();
                    } else {
                        out.emplace_back(ColumnValueText(q, item, *v));
                    }
                    break;
                }
                case OutItem::Kind::kPolyType: {
                    const auto* id =
                        r != nullptr ? std::get_if<std::string>(&r->values[item.column]) : nullptr;
                    if (id == nullptr) {
                        out.emplace_back();
                    } else {
                        out.emplace_back(TypeOfId(q, q.columns[item.column].field.rel, *id));
                    }
                    break;
                }
                case OutItem::Kind::kRelation: {
                    const OutObject& o = *item.object;
                    const bool present =
                        r != nullptr && std::get_if<std::string>(&r->values[o.id_column]);
                    Flat(q, o.items, present ? r : nullptr, out);
                    break;
                }
                case OutItem::Kind::kCompound:
                case OutItem::Kind::kChild:
                    out.emplace_back();  // refused before a flat rendering is asked for
                    break;
            }
        }
    }

private:
    /// The object type of a record id (polymorphic lookups); `Name` when not modelled.
    std::string TypeOfId(const BoundQuery& q, int rel, std::string_view id) const {
        const Rel& r = q.rels[rel];
        if (!r.polymorphic) {
            return r.targets.front().first->name;
        }
        const ObjectDef* o = id.size() >= 3 ? schema_.FindByKeyPrefix(id.substr(0, 3)) : nullptr;
        return o != nullptr ? o->name : "Name";
    }

    const std::vector<OutItem>& ItemsFor(const OutObject& o, std::string_view type) const {
        if (!o.typeof_) {
            return o.items;
        }
        for (const auto& [object, items] : o.when) {
            if (object->name == type) {
                return items;
            }
        }
        return o.else_items;
    }

    void Items(json::object& rec,
               const BoundQuery& q,
               const std::vector<OutItem>& items,
               const ResultRow& r) const {
        for (const OutItem& item : items) {
            switch (item.kind) {
                case OutItem::Kind::kColumn:
                    rec[item.key] = ColumnValueJson(q, item, r.values[item.column]);
                    break;
                case OutItem::Kind::kPolyType: {
                    const auto* id = std::get_if<std::string>(&r.values[item.column]);
                    if (id == nullptr) {
                        rec[item.key] = nullptr;
                    } else {
                        rec[item.key] = TypeOfId(q, q.columns[item.column].field.rel, *id);
                    }
                    break;
                }
                case OutItem::Kind::kCompound: {
                    json::object o;
                    bool any = false;
                    for (const auto& [key, col] : item.parts) {
                        json::value v = ValueJson(r.values[col], q.columns[col].type);
                        any = any || !v.is_null();
                        o[key] = std::move(v);
                    }
                    if (any) {
                        rec[item.key] = std::move(o);
                    } else {
                        rec[item.key] = nullptr;
                    }
                    break;
                }
                case OutItem::Kind::kRelation: {
                    const OutObject& o = *item.object;
                    const auto* id = std::get_if<std::string>(&r.values[o.id_column]);
                    if (id == nullptr) {
                        rec[item.key] = nullptr;
                        break;
                    }
                    const std::string type = TypeOfId(q, o.rel, *id);
                    json::object nested;
                    json::object attributes;
                    attributes["type"] = type;
                    attributes["url"] = RecordUrl(schema_, version_, type, *id);
                    nested["attributes"] = std::move(attributes);
                    Items(nested, q, ItemsFor(o, type), r);
                    rec[item.key] = std::move(nested);
                    break;
                }
                case OutItem::Kind::kChild: {
                    const auto& slot = r.children[item.child];
                    if (!slot) {
                        rec[item.key] = nullptr;
                        break;
                    }
                    const BoundQuery& cq = *q.children[item.child].query;
                    rec[item.key] =
                        Page(cq, static_cast<std::int64_t>(slot->size()), true, {}, *slot);
                    break;
                }
            }
        }
    }

    void ItemsXml(XmlWriter& w,
                  const BoundQuery& q,
                  const std::vector<OutItem>& items,
                  const ResultRow& r) const {
        for (const OutItem& item : items) {
            switch (item.kind) {
                case OutItem::Kind::kColumn: {
                    const SqlValue& v = r.values[item.column];
                    if (std::holds_alternative<std::monostate>(v)) {
                        w.Nil(item.key);
                    } else {
                        w.Leaf(item.key, ColumnValueText(q, item, v));
                    }
                    break;
                }
                case OutItem::Kind::kPolyType: {
                    const auto* id = std::get_if<std::string>(&r.values[item.column]);
                    if (id == nullptr) {
                        w.Nil(item.key);
                    } else {
                        w.Leaf(item.key, TypeOfId(q, q.columns[item.column].field.rel, *id));
                    }
                    break;
                }
                case OutItem::Kind::kCompound: {
                    bool any = false;
                    for (const auto& part : item.parts) {
                        any = any || !std::holds_alternative<std::monostate>(r.values[part.second]);
                    }
                    if (!any) {
                        w.Nil(item.key);
                        break;
                    }
                    w.Open(item.key);
                    for (const auto& [key, col] : item.parts) {
                        if (std::holds_alternative<std::monostate>(r.values[col])) {
                            w.Nil(key);
                        } else {
                            w.Leaf(key, ValueText(r.values[col], q.columns[col].type));
                        }
                    }
                    w.Close();
                    break;
                }
                case OutItem::Kind::kRelation: {
                    const OutObject& o = *item.object;
                    const auto* id = std::get_if<std::string>(&r.values[o.id_column]);
                    if (id == nullptr) {
                        w.Nil(item.key);
                        break;
                    }
                    const std::string type = TypeOfId(q, o.rel, *id);
                    w.Open(item.key,
                           {{"type", type}, {"url", RecordUrl(schema_, version_, type, *id)}});
                    ItemsXml(w, q, ItemsFor(o, type), r);
                    w.Close();
                    break;
                }
                case OutItem::Kind::kChild: {
                    const auto& slot = r.children[item.child];
                    if (!slot) {
                        w.Nil(item.key);
                        break;
                    }
                    w.Open(item.key);
                    PageXml(w,
                            *q.children[item.child].query,
                            static_cast<std::int64_t>(slot->size()),
                            true,
                            {},
                            *slot);
                    w.Close();
                    break;
                }
            }
        }
    }

    const Schema& schema_;
    std::string version_;
};

std::string_view ApexType(FieldType t) {
    switch (t) {
        case FieldType::kId:
        case FieldType::kReference:
            return "Id";
        case FieldType::kBoolean:
            return "Boolean";
        case FieldType::kInt:
            return "Integer";
        case FieldType::kLong:
            return "Long";
        case FieldType::kDouble:
        case FieldType::kPercent:
            return "Double";
        case FieldType::kCurrency:
            return "Decimal";
        case FieldType::kDate:
            return "Date";
        case FieldType::kDateTime:
            return "Datetime";
        case FieldType::kTime:
            return "Time";
        case FieldType::kAddress:
            return "Address";
        case FieldType::kLocation:
            return "Location";
        case FieldType::kBase64:
            return "Blob";
        default:
            return "String";
    }
}

json::array ColumnArray(const BoundQuery& q, const std::vector<OutItem>& items);

json::object Column(const BoundQuery& q, const OutItem& item) {
    // Keys in the order Salesforce writes them (alphabetical).
    FieldType type = FieldType::kString;
    if (item.kind == OutItem::Kind::kColumn) {
        type = q.columns[item.column].type;
    } else if (item.def != nullptr) {
        type = item.def->type;
    }
    const bool relation =
        item.kind == OutItem::Kind::kRelation || item.kind == OutItem::Kind::kChild;
    json::object c;
    c["aggregate"] = item.aggregate || item.kind == OutItem::Kind::kChild;
    if (item.kind == OutItem::Kind::kRelation) {
        const Rel& r = q.rels[item.object->rel];
        c["apexType"] = r.polymorphic ? "Name" : r.targets.front().first->name;
    } else if (item.kind == OutItem::Kind::kChild) {
        c["apexType"] = nullptr;
    } else {
        c["apexType"] = ApexType(type);
    }
    c["booleanType"] = !relation && type == FieldType::kBoolean;
    c["columnName"] = item.key;
    c["custom"] = item.def != nullptr && item.def->custom;
    c["displayName"] = item.display.empty() ? item.key : item.display;
    c["foreignKeyName"] = nullptr;
    c["insertable"] = item.def != nullptr && !item.aggregate && item.def->createable;
    if (item.kind == OutItem::Kind::kRelation) {
        c["joinColumns"] =
            ColumnArray(q, item.object->typeof_ ? item.object->else_items : item.object->items);
    } else if (item.kind == OutItem::Kind::kChild) {
        const BoundQuery& cq = *q.children[item.child].query;
        c["joinColumns"] = ColumnArray(cq, cq.shape.items);
    } else {
        c["joinColumns"] = json::array();
    }
    c["numberType"] = !relation && IsNumeric(type);
    c["textType"] = !relation &&
                    (IsStringLike(type) || type == FieldType::kId || type == FieldType::kReference);
    c["updatable"] = item.def != nullptr && !item.aggregate && item.def->updateable;
    return c;
}

json::array ColumnArray(const BoundQuery& q, const std::vector<OutItem>& items) {
    json::array out;
    for (const OutItem& item : items) {
        out.emplace_back(Column(q, item));
    }
    return out;
}

void FlatNames(const std::vector<OutItem>& items,
               const std::string& prefix,
               std::vector<std::string>& out) {
    for (const OutItem& item : items) {
        if (item.kind == OutItem::Kind::kRelation) {
            FlatNames(item.object->items, prefix + item.key + ".", out);
        } else {
            out.push_back(prefix + item.key);
        }
    }
}

}  // namespace

std::vector<std::string> FlatColumns(const BoundQuery& q) {
    std::vector<std::string> out;
    FlatNames(q.shape.items, "", out);
    return out;
}

void FlatValues(const BoundQuery& q,
                const ResultRow& row,
                const Schema& schema,
                std::vector<std::optional<std::string>>& out) {
    out.clear();
    Renderer(schema, {}).Flat(q, q.shape.items, &row, out);
}

json::object PageJson(const QueryPage& page, const Schema& schema, const std::string& version) {
    Renderer r(schema, version);
    return r.Page(*page.query, page.total_size, page.done, page.next_records_url, page.rows);
}

std::string PageXml(const QueryPage& page,
                    const Schema& schema,
                    const std::string& version,
                    bool pretty) {
    Renderer r(schema, version);
    XmlWriter w(pretty);
    w.Open("QueryResult", {{"xmlns:xsi", std::string(kXsiNamespace)}});
    r.PageXml(w, *page.query, page.total_size, page.done, page.next_records_url, page.rows);
    return std::move(w).Finish();
}

json::object RecordJson(const BoundQuery& q,
                        const ResultRow& row,
                        const Schema& schema,
                        const std::string& version) {
    return Renderer(schema, version).Record(q, row);
}

void RecordXml(XmlWriter& w,
               std::string_view element,
               const BoundQuery& q,
               const ResultRow& row,
               const Schema& schema,
               const std::string& version) {
    Renderer(schema, version).RecordXml(w, element, q, row);
}

json::object ColumnsJson(const BoundQuery& q) {
    json::object out;
    out["columnMetadata"] = q.count_only ? json::array() : ColumnArray(q, q.shape.items);
    out["entityName"] = q.aggregate ? "AggregateResult" : q.object->name;
    out["groupBy"] = !q.group_by.empty();
    bool id_selected = false;
    for (const OutItem& item : q.shape.items) {
        id_selected = id_selected ||
                      (!q.aggregate && item.key == "Id" && item.kind == OutItem::Kind::kColumn);
    }
    out["idSelected"] = id_selected;
    if (q.aggregate) {
        out["keyPrefix"] = nullptr;
    } else {
        out["keyPrefix"] = q.object->key_prefix;
    }
    return out;
}

}  // namespace sfkit::server::query
