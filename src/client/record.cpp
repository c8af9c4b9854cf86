// Record and Value: the plain value types of libsfkit records, and their JSON / XML forms.
#include "sfkit/client/record.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <sstream>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/record_codec.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;

namespace {

bool IEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) {
            return false;
        }
    }
    return true;
}

constexpr const char* kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";

bool IsNil(const pugi::xml_node& node) {
    for (const auto& attr : node.attributes()) {
        const std::string_view name = attr.name();
        const auto colon = name.find(':');
        const std::string_view local =
            colon == std::string_view::npos ? name : name.substr(colon + 1);
        if (local == "nil" && std::string_view(attr.value()) == "true") {
            return true;
        }
    }
    return false;
}

std::string_view LocalName(const pugi::xml_node& node) {
    const std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool HasElementChildren(const pugi::xml_node& node) {
    for (const auto& c : node.children()) {
        if (c.type() == pugi::node_element) {
            return true;
        }
    }
    return false;
}

void AppendXml(pugi::xml_node parent, std::string_view name, const Value& v, bool& uses_nil) {
    if (const auto* list = v.AsList()) {
        for (const auto& item : *list) {
            AppendXml(parent, name, item, uses_nil);
        }
        return;
    }
    auto el = parent.append_child(std::string(name).c_str());
    if (v.IsNull()) {
        el.append_attribute("xsi:nil") = "true";
        uses_nil = true;
    } else if (const auto* rec = v.AsRecord()) {
        for (const auto& f : rec->Fields()) {
            AppendXml(el, f.name, f.value, uses_nil);
        }
    } else {
        el.text().set(detail::XmlText(v).c_str());
    }
}

}  // namespace

// ---- Value ---------------------------------------------------------------------------------

Value::Value(unsigned long long i) {
    if (i <= static_cast<unsigned long long>(INT64_MAX)) {
        kind_ = Kind::kInt;
        int_ = static_cast<std::int64_t>(i);
    } else {
        kind_ = Kind::kDouble;
        double_ = static_cast<double>(i);
    }
}

Value::Value(Record r)
    : kind_(Kind::kRecord), record_(std::make_shared<const Record>(std::move(r))) {}
Value::Value(std::vector<Value> list)
    : kind_(Kind::kList), list_(std::make_shared<const std::vector<Value>>(std::move(list))) {}

std::optional<bool> Value::AsBool() const noexcept {
    return kind_ == Kind::kBool ? std::optional<bool>(bool_) : std::nullopt;
}
std::optional<std::int64_t> Value::AsInt() const noexcept {
    return kind_ == Kind::kInt ? std::optional<std::int64_t>(int_) : std::nullopt;
}
std::optional<double> Value::AsDouble() const noexcept {
    if (kind_ == Kind::kDouble) {
        return double_;
    }
    if (kind_ == Kind::kInt) {
        return static_cast<double>(int_);
    }
    return std::nullopt;
}
const std::string* Value::AsString() const noexcept {
    return kind_ == Kind::kString ? &string_ : nullptr;
}
const Record* Value::AsRecord() const noexcept {
    return kind_ == Kind::kRecord ? record_.get() : nullptr;
}
const std::vector<Value>* Value::AsList() const noexcept {
    return kind_ == Kind::kList ? list_.get() : nullptr;
}

std::string Value::ToText() const {
    switch (kind_) {
        case Kind::kNull:
            return {};
        case Kind::kBool:
        case Kind::kInt:
        case Kind::kDouble:
            return detail::XmlText(*this);
        case Kind::kString:
            return string_;
        case Kind::kRecord:
        case Kind::kList:
            return codec::WriteJson(detail::ValueToJson(*this));
    }
    return {};
}

bool operator==(const Value& a, const Value& b) {
    if (a.kind_ != b.kind_) {
        return false;
    }
    switch (a.kind_) {
        case Value::Kind::kNull:
            return true;
        case Value::Kind::kBool:
            return a.bool_ == b.bool_;
        case Value::Kind::kInt:
            return a.int_ == b.int_;
        case Value::Kind::kDouble:
            return a.double_ == b.double_;
        case Value::Kind::kString:
            return a.string_ == b.string_;
        case Value::Kind::kRecord:
            return *a.record_ == *b.record_;
        case Value::Kind::kList:
            return *a.list_ == *b.list_;
    }
    return false;
}

// ---- Record --------------------------------------------------------------------------------

Record& Record::Set(std::string_view name, Value value) {
    for (auto& f : fields_) {
        if (IEquals(f.name, name)) {
            f.value = std::move(value);
            return *this;
        }
    }
    fields_.push_back({std::string(name), std::move(value)});
    return *this;
}

const Value* Record::Find(std::string_view name) const noexcept {
    for (const auto& f : fields_) {
        if (IEquals(f.name, name)) {
            return &f.value;
        }
    }
    return nullptr;
}

bool Record::Remove(std::string_view name) {
    for (auto it = fields_.begin(); it != fields_.end(); ++it) {
        if (IEquals(it->name, name)) {
            fields_.erase(it);
            return true;
        }
    }
    return false;
}

const Value* Record::FindPath(std::string_view path) const noexcept {
    if (const Value* direct = Find(path)) {
        return direct;
    }
    const Record* rec = this;
    for (;;) {
        const auto dot = path.find('.');
        if (dot == std::string_view::npos) {
            return rec->Find(path);
        }
        const Value* v = rec->Find(path.substr(0, dot));
        if (v == nullptr || v->AsRecord() == nullptr) {
            return nullptr;
        }
        rec = v->AsRecord();
        path.remove_prefix(dot + 1);
    }
}

Result<const Value*> Record::Require(std::string_view name) const {
    const Value* v = FindPath(name);
    if (v == nullptr) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "NO_SUCH_FIELD",
                         "the " + (type_.empty() ? std::string("record") : type_) +
                             " has no field " + std::string(name));
    }
    if (v->IsNull()) {
        return MakeError(
            ErrorKind::kInvalidArgument, "NULL_VALUE", "field " + std::string(name) + " is null");
    }
    return v;
}

namespace {

const char* KindName(Value::Kind k) {
    switch (k) {
        case Value::Kind::kNull:
            return "null";
        case Value::Kind::kBool:
            return "a boolean";
        case Value::Kind::kInt:
            return "an integer";
        case Value::Kind::kDouble:
            return "a number";
        case Value::Kind::kString:
            return "a string";
        case Value::Kind::kRecord:
            return "a nested record";
        case Value::Kind::kList:
            return "a list";
    }
    return "a value";
}

Error TypeError(std::string_view name, const Value& v, std::string_view wanted) {
    std::string shown;
    if (const auto* s = v.AsString()) {
        shown = " '" + s->substr(0, 40) + (s->size() > 40 ? "...'" : "'");
    }
    return MakeError(ErrorKind::kInvalidArgument,
                     "INVALID_TYPE",
                     "field " + std::string(name) + " is " + KindName(v.kind()) + shown + ", not " +
                         std::string(wanted));
}

std::optional<double> TextToDouble(const std::string& s) {
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
        return std::nullopt;
    }
    return d;
}

std::optional<std::int64_t> IntegralDouble(double d) {
    // Doubles at or beyond 2^63 do not fit an int64.
    if (std::isnan(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18 ||
        d != static_cast<double>(static_cast<std::int64_t>(d))) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(d);
}

}  // namespace

Result<std::string> Record::GetString(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (const auto* s = (*v)->AsString()) {
        return *s;
    }
    return TypeError(name, **v, "a string");
}

Result<bool> Record::GetBool(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (auto b = (*v)->AsBool()) {
        return *b;
    }
    if (const auto* s = (*v)->AsString(); s != nullptr && (*s == "true" || *s == "false")) {
        return *s == "true";
    }
    return TypeError(name, **v, "a boolean");
}

Result<std::int64_t> Record::GetInt(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (auto i = (*v)->AsInt()) {
        return *i;
    }
    std::optional<double> d = (*v)->AsDouble();
    if (const auto* s = (*v)->AsString()) {
        std::int64_t i = 0;
        const auto r = std::from_chars(s->data(), s->data() + s->size(), i);
        if (!s->empty() && r.ec == std::errc() && r.ptr == s->data() + s->size()) {
            return i;
        }
        d = TextToDouble(*s);
    }
    if (d) {
        if (auto i = IntegralDouble(*d)) {
            return *i;
        }
    }
    return TypeError(name, **v, "an integer");
}

Result<double> Record::GetDouble(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (auto d = (*v)->AsDouble()) {
        return *d;
    }
    if (const auto* s = (*v)->AsString()) {
        if (auto d = TextToDouble(*s)) {
            return *d;
        }
    }
    return TypeError(name, **v, "a number");
}

Result<std::chrono::year_month_day> Record::GetDate(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (const auto* s = (*v)->AsString()) {
        if (auto d = ParseDate(*s)) {
            return *d;
        }
    }
    return TypeError(name, **v, "a date (2024-01-31)");
}

Result<DateTime> Record::GetDateTime(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (const auto* s = (*v)->AsString()) {
        if (auto d = ParseDateTime(*s)) {
            return *d;
        }
    }
    return TypeError(name, **v, "a dateTime (2024-01-31T12:00:00.000+0000)");
}

Result<std::chrono::milliseconds> Record::GetTime(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (const auto* s = (*v)->AsString()) {
        if (auto t = ParseTime(*s)) {
            return *t;
        }
    }
    return TypeError(name, **v, "a time (11:59:59.000Z)");
}

Result<Record> Record::GetRecord(std::string_view name) const {
    auto v = Require(name);
    if (!v) {
        return v.error();
    }
    if (const auto* r = (*v)->AsRecord()) {
        return *r;
    }
    return TypeError(name, **v, "a nested record");
}

bool Record::IsNull(std::string_view name) const noexcept {
    const Value* v = FindPath(name);
    return v != nullptr && v->IsNull();
}

std::string Record::ToJson(bool with_attributes, bool pretty) const {
    return codec::WriteJson(detail::RecordToJsonValue(*this, with_attributes), pretty);
}

Result<Record> Record::FromJson(std::string_view text) {
    auto parsed = codec::ParseJson(text);
    if (!parsed) {
        return parsed.error();
    }
    if (!parsed->is_object()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_TYPE",
                         "expected a JSON object with field values");
    }
    return detail::RecordFromJsonObject(parsed->get_object());
}

std::string Record::ToXml(std::string_view root) const {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto el = doc.append_child(std::string(root).c_str());
    bool uses_nil = false;
    for (const auto& f : fields_) {
        AppendXml(el, f.name, f.value, uses_nil);
    }
    if (uses_nil) {
        el.prepend_attribute("xmlns:xsi") = kXsiNs;
    }
    std::ostringstream os;
    doc.save(os, "", pugi::format_raw);
    return os.str();
}

Result<Record> Record::FromXml(std::string_view text) {
    pugi::xml_document doc;
    const auto r =
        doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "XML_PARSER_ERROR",
                         std::string(r.description()) + " at offset " + std::to_string(r.offset));
    }
    const auto root = doc.document_element();
    if (!root) {
        return MakeError(ErrorKind::kInvalidArgument, "XML_PARSER_ERROR", "no root element");
    }
    Record rec = detail::RecordFromXmlNode(root);
    // In the REST XML form the root element is the sObject name (`<Account>`), unless the
    // record says otherwise in a type attribute.
    if (rec.Type().empty()) {
        rec.SetType(std::string(LocalName(root)));
    }
    return rec;
}

// ---- codec helpers ---------------------------------------------------------------------------

namespace detail {

Value ValueFromJson(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return {};
        case json::kind::bool_:
            return v.get_bool();
        case json::kind::int64:
            return static_cast<long long>(v.get_int64());
        case json::kind::uint64:
            return static_cast<unsigned long long>(v.get_uint64());
        case json::kind::double_:
            return v.get_double();
        case json::kind::string:
            return std::string(v.get_string());
        case json::kind::object:
            return RecordFromJsonObject(v.get_object());
        case json::kind::array: {
            std::vector<Value> list;
            list.reserve(v.get_array().size());
            for (const auto& e : v.get_array()) {
                list.push_back(ValueFromJson(e));
            }
            return list;
        }
    }
    return {};
}

Record RecordFromJsonObject(const json::object& object) {
    Record rec;
    for (const auto& kv : object) {
        if (kv.key() == "attributes" && kv.value().is_object()) {
            const auto& attrs = kv.value().get_object();
            if (const auto* t = attrs.if_contains("type"); t != nullptr && t->is_string()) {
                rec.SetType(std::string(t->get_string()));
            }
            if (const auto* u = attrs.if_contains("url"); u != nullptr && u->is_string()) {
                rec.SetUrl(std::string(u->get_string()));
            }
            continue;
        }
        rec.Set(kv.key(), ValueFromJson(kv.value()));
    }
    return rec;
}

json::value ValueToJson(const Value& v) {
    switch (v.kind()) {
        case Value::Kind::kNull:
            return nullptr;
        case Value::Kind::kBool:
            return *v.AsBool();
        case Value::Kind::kInt:
            return *v.AsInt();
        case Value::Kind::kDouble:
            return *v.AsDouble();
        case Value::Kind::kString:
            return json::string(*v.AsString());
        case Value::Kind::kRecord:
            return RecordToJsonValue(*v.AsRecord(), true);
        case Value::Kind::kList: {
            json::array a;
            for (const auto& e : *v.AsList()) {
                a.push_back(ValueToJson(e));
            }
            return a;
        }
    }
    return nullptr;
}

json::value RecordToJsonValue(const Record& record, bool with_attributes) {
    json::object o;
    if (with_attributes && !record.Type().empty()) {
        json::object attrs;
        attrs["type"] = record.Type();
        if (!record.Url().empty()) {
            attrs["url"] = record.Url();
        }
        o["attributes"] = std::move(attrs);
    }
    for (const auto& f : record.Fields()) {
        o[f.name] = ValueToJson(f.value);
    }
    return o;
}

std::string XmlText(const Value& v) {
    switch (v.kind()) {
        case Value::Kind::kBool:
            return *v.AsBool() ? "true" : "false";
        case Value::Kind::kInt:
            return std::to_string(*v.AsInt());
        case Value::Kind::kDouble:
            return codec::FormatJavaDouble(*v.AsDouble());
        case Value::Kind::kString:
            return *v.AsString();
        default:
            return v.ToText();
    }
}

Record RecordFromXmlNode(const pugi::xml_node& node) {
    Record rec;
    if (const auto t = node.attribute("type")) {
        rec.SetType(t.value());
    }
    if (const auto u = node.attribute("url")) {
        rec.SetUrl(u.value());
    }
    for (const auto& child : node.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string_view name = LocalName(child);
        if (name == "attributes" && HasElementChildren(child)) {
            if (const auto t = child.child("type")) {
                rec.SetType(t.text().get());
            }
            if (const auto u = child.child("url")) {
                rec.SetUrl(u.text().get());
            }
            continue;
        }
        Value v;
        if (IsNil(child)) {
            v = nullptr;
        } else if (HasElementChildren(child)) {
            v = RecordFromXmlNode(child);
        } else {
            v = std::string(child.text().get());
        }
        // A repeated element name is a list (XML has no other way to say it).
        if (const Value* existing = rec.Find(name)) {
            std::vector<Value> list;
            if (const auto* l = existing->AsList()) {
                list = *l;
            } else {
                list.push_back(*existing);
            }
            list.push_back(std::move(v));
            rec.Set(name, std::move(list));
        } else {
            rec.Set(name, std::move(v));
        }
    }
    return rec;
}

}  // namespace detail
}  // namespace sfkit::client
