// Record body parsing (JSON/XML) and insert validation.
#include "server/api/record_input.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "codec/xml_input.hpp"
#include "server/http/api_error.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

ApiError InvalidField(const std::string& given, const ObjectDef& object) {
    return ApiError(
        400, "INVALID_FIELD", "No such column '" + given + "' on sobject of type " + object.name);
}

ApiError IdInBody() {
    return ApiError(
        400, "INVALID_FIELD", "The Id field should not be specified in the sobject data.");
}

bool IEqualsAscii(std::string_view a, std::string_view b) {
    return ToLowerAscii(a) == ToLowerAscii(b);
}

/// Converts text (a JSON string or an XML element's text) to the field's type; nullopt when the
/// text is not a value of that type. Empty text is null for every type.
std::optional<FieldValue> FromText(const FieldDef& f, std::string_view text) {
    if (text.empty() || f.IsCompound()) {
        return FieldValue{};
    }
    switch (f.type) {
        case FieldType::kBoolean:
            if (IEqualsAscii(text, "true")) {
                return FieldValue{true};
            }
            if (IEqualsAscii(text, "false")) {
                return FieldValue{false};
            }
            return std::nullopt;
        case FieldType::kInt:
        case FieldType::kLong: {
            std::int64_t n = 0;
            const char* first = text.data() + (text.front() == '+' ? 1 : 0);
            const auto r = std::from_chars(first, text.data() + text.size(), n);
            if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
                return std::nullopt;
            }
            if (f.type == FieldType::kInt && (n > INT32_MAX || n < INT32_MIN)) {
                return std::nullopt;
            }
            return FieldValue{n};
        }
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent: {
            // Plain decimal notation only: no hex, inf or nan.
            const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
                return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
                       c == 'E';
            });
            if (!plain) {
                return std::nullopt;
            }
            const std::string s(text);
            char* end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (end != s.c_str() + s.size()) {
                return std::nullopt;
            }
            return FieldValue{d};
        }
        case FieldType::kDate:
            if (auto d = NormalizeDate(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        case FieldType::kDateTime:
            if (auto d = NormalizeDateTime(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        case FieldType::kTime:
            if (auto d = NormalizeTime(text)) {
                return FieldValue{std::move(*d)};
            }
            return std::nullopt;
        default:
            return FieldValue{std::string(text)};
    }
}

/// JSON value -> field value; nullopt on a type mismatch. Numbers and booleans are accepted for
/// text fields and numeric strings for number fields, as Jackson's coercion does.
std::optional<FieldValue> FromJson(const FieldDef& f, const json::value& v) {
    if (f.IsCompound()) {
        return FieldValue{};  // rejected later as not writable, whatever the value
    }
    switch (v.kind()) {
        case json::kind::null:
            return FieldValue{};
        case json::kind::string:
            return FromText(f, v.get_string());
        case json::kind::bool_:
            if (f.type == FieldType::kBoolean) {
                return FieldValue{v.get_bool()};
            }
            if (KindOf(f.type) == ValueKind::kText && f.type != FieldType::kDate &&
                f.type != FieldType::kDateTime && f.type != FieldType::kTime) {
                return FieldValue{std::string(v.get_bool() ? "true" : "false")};
            }
            return std::nullopt;
        case json::kind::int64:
        case json::kind::uint64:
        case json::kind::double_: {
            const ValueKind kind = KindOf(f.type);
            if (kind == ValueKind::kReal) {
                return FieldValue{v.to_number<double>()};
            }
            if (kind == ValueKind::kInteger) {
                if (v.is_double()) {
                    const double d = v.get_double();
                    if (d != static_cast<double>(static_cast<std::int64_t>(d))) {
                        return std::nullopt;
                    }
                    return FromText(f, std::to_string(static_cast<std::int64_t>(d)));
                }
                return FromText(f, json::serialize(v));
            }
            if (IsStringLike(f.type)) {
                return FieldValue{v.is_double() ? codec::FormatJavaDouble(v.get_double())
                                                : json::serialize(v)};
            }
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

std::string_view JacksonToken(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return "VALUE_STRING";
        case json::kind::int64:
        case json::kind::uint64:
            return "VALUE_NUMBER_INT";
        case json::kind::double_:
            return "VALUE_NUMBER_FLOAT";
        case json::kind::bool_:
            return v.get_bool() ? "VALUE_TRUE" : "VALUE_FALSE";
        case json::kind::object:
            return "START_OBJECT";
        case json::kind::array:
            return "START_ARRAY";
        default:
            return "VALUE_NULL";
    }
}

std::string TokenText(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return std::string(v.get_string());
        case json::kind::object:
            return "{";
        case json::kind::array:
            return "[";
        case json::kind::double_:
            return codec::FormatJavaDouble(v.get_double());
        default:
            return json::serialize(v);
    }
}

// ---- positions of top-level members, for Jackson-style [line:L, column:C] -------------------

std::size_t SkipWs(std::string_view t, std::size_t i) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) {
        ++i;
    }
    return i;
}

std::size_t SkipString(std::string_view t, std::size_t i) {  // t[i] == '"'
    for (++i; i < t.size(); ++i) {
        if (t[i] == '\\') {
            ++i;
        } else if (t[i] == '"') {
            return i + 1;
        }
    }
    return t.size();
}

std::size_t SkipValue(std::string_view t, std::size_t i) {
    if (i >= t.size()) {
        return i;
    }
    if (t[i] == '"') {
        return SkipString(t, i);
    }
    if (t[i] == '{' || t[i] == '[') {
        int depth = 0;
        while (i < t.size()) {
            const char c = t[i];
            if (c == '"') {
                i = SkipString(t, i);
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            ++i;
        }
        return i;
    }
    while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
           t[i] != '\n' && t[i] != '\r' && t[i] != '\t') {
        ++i;
    }
    return i;
}

}  // namespace

std::unordered_map<std::string, JsonSpan> JsonMembers(std::string_view text,
                                                      std::size_t object_start) {
    std::unordered_map<std::string, JsonSpan> out;
    std::size_t i = SkipWs(text, object_start);
    if (i >= text.size() || text[i] != '{') {
        return out;
    }
    ++i;
    for (;;) {
        i = SkipWs(text, i);
        if (i >= text.size() || text[i] != '"') {
            break;
        }
        const std::size_t key_end = SkipString(text, i);
        auto key = json::parse(text.substr(i, key_end - i));
        i = SkipWs(text, key_end);
        if (i < text.size() && text[i] == ':') {
            ++i;
        }
        const std::size_t begin = SkipWs(text, i);
        i = SkipValue(text, begin);
        out[std::string(key.as_string())] = JsonSpan{begin, i};
        i = SkipWs(text, i);
        if (i < text.size() && text[i] == ',') {
            ++i;
        }
    }
    return out;
}

std::vector<JsonSpan> JsonElements(std::string_view text, std::size_t array_start) {
    std::vector<JsonSpan> out;
    std::size_t i = SkipWs(text, array_start);
    if (i >= text.size() || text[i] != '[') {
        return out;
    }
    ++i;
    for (;;) {
        i = SkipWs(text, i);
        if (i >= text.size() || text[i] == ']') {
            break;
        }
        const std::size_t begin = i;
        i = SkipValue(text, begin);
        out.push_back(JsonSpan{begin, i});
        i = SkipWs(text, i);
        if (i < text.size() && text[i] == ',') {
            ++i;
        }
    }
    return out;
}

std::string JsonPosition(std::string_view text, std::size_t offset) {
    const auto [line, column] = codec::LineColumn(text, offset);
    return "[line:" + std::to_string(line) + ", column:" + std::to_string(column) + "]";
}

ApiError JsonCannotDeserialize(std::string_view type,
                               const json::value& v,
                               std::string_view text,
                               std::size_t offset) {
    return ApiError(400,
                    "JSON_PARSER_ERROR",
                    "Cannot deserialize instance of " + std::string(type) + " from " +
                        std::string(JacksonToken(v)) + " value " + TokenText(v) +
                        " or request may be missing a required field at " +
                        JsonPosition(text, offset));
}

namespace {

void Assign(std::vector<FieldAssignment>& out, const FieldDef* f, FieldValue v) {
    for (auto& a : out) {
        if (a.field == f) {
            a.value = std::move(v);
            return;
        }
    }
    out.push_back({f, std::move(v)});
}

}  // namespace

std::vector<FieldAssignment> ParseJsonRecord(const ObjectDef& object,
                                             const json::object& record,
                                             std::string_view text,
                                             std::size_t object_start,
                                             std::optional<FieldValue>* id) {
    const auto members = JsonMembers(text, object_start);
    std::vector<FieldAssignment> out;
    for (const auto& member : record) {
        const std::string key(member.key());
        if (key == "attributes") {
            continue;
        }
        const FieldDef* f = object.FindField(key);
        if (f == nullptr) {
            throw InvalidField(key, object);
        }
        if (f->type == FieldType::kId && id == nullptr) {
            throw IdInBody();
        }
        auto value = FromJson(*f, member.value());
        if (!value) {
            const auto it = members.find(key);
            throw JsonCannotDeserialize(TypeName(f->type),
                                        member.value(),
                                        text,
                                        it == members.end() ? text.size() : it->second.end);
        }
        if (f->type == FieldType::kId) {
            *id = std::move(*value);
            continue;
        }
        Assign(out, f, std::move(*value));
    }
    return out;
}

namespace {

std::vector<FieldAssignment> ParseJsonBody(const ObjectDef& object, std::string_view body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    const json::value& root = *parsed;
    if (!root.is_object()) {
        throw JsonCannotDeserialize(object.name, root, body, SkipWs(body, 0) + 1);
    }
    return ParseJsonRecord(object, root.get_object(), body, 0, nullptr);
}

std::vector<FieldAssignment> ParseXmlBody(const ObjectDef& object, std::string_view body) {
    pugi::xml_document doc;
    std::optional<codec::XmlInputError> error =
        codec::LoadXmlInput(doc, body, pugi::parse_default | pugi::parse_declaration);
    const pugi::xml_node root = doc.document_element();
    if (!error && root.empty()) {
        error =
            codec::XmlInputError{body.size(), "Unexpected end of input block; expected an element"};
    }
    if (error) {
        // XML_PARSER_ERROR is an ExceptionCode of Salesforce's own WSDLs [D]; the message text
        // for malformed REST XML bodies was not captured, so the reason and a StAX-style
        // position are ours [M] (docs/rest-api.md, "XML request bodies").
        throw ApiError(400,
                       "XML_PARSER_ERROR",
                       error->reason + " at " + codec::XmlRowCol(body, error->offset));
    }
    // The root element names the record (the seed uses <Account>); its name is not checked,
    // like the JSON body's optional `attributes`.
    std::vector<FieldAssignment> out;
    for (const pugi::xml_node child : root.children()) {
        if (child.type() != pugi::node_element) {
            continue;
        }
        const std::string name = child.name();
        const FieldDef* f = object.FindField(name);
        if (f == nullptr) {
            throw InvalidField(name, object);
        }
        if (f->type == FieldType::kId) {
            throw IdInBody();
        }
        const pugi::xml_attribute nil = child.attribute("xsi:nil");
        std::optional<FieldValue> value;
        if (nil && IEqualsAscii(nil.value(), "true")) {
            value = FieldValue{};
        } else if (child.find_child(
                       [](pugi::xml_node n) { return n.type() == pugi::node_element; })) {
            value = f->IsCompound() ? std::optional<FieldValue>(FieldValue{}) : std::nullopt;
        } else {
            value = FromText(*f, child.text().get());
        }
        if (!value) {
            // SOAP's wording for an XML value of the wrong type.
            throw ApiError::WithFields(
                400,
                "INVALID_TYPE_ON_FIELD_IN_RECORD",
                f->label + ": value not of required type: " + child.text().get(),
                {f->name});
        }
        Assign(out, f, std::move(*value));
    }
    return out;
}

std::string ValueText(const FieldValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    return {};
}

}  // namespace

std::size_t CodePointCount(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

BodyFormat RequireBodyFormat(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    if (ct == nullptr) {
        return BodyFormat::kJson;
    }
    std::string type = ct->substr(0, ct->find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.pop_back();
    }
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) {
        type.erase(0, 1);
    }
    const std::string lower = ToLowerAscii(type);
    if (lower == "application/json") {
        return BodyFormat::kJson;
    }
    if (lower == "application/xml" || lower == "text/xml") {
        return BodyFormat::kXml;
    }
    throw ApiError(415,
                   "UNSUPPORTED_MEDIA_TYPE",
                   "MediaType of '" + type + "' is not supported by this resource");
}

std::vector<FieldAssignment> ParseRecordBody(const ObjectDef& object,
                                             BodyFormat format,
                                             std::string_view body) {
    return format == BodyFormat::kXml ? ParseXmlBody(object, body) : ParseJsonBody(object, body);
}

namespace {

std::string JoinNames(const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) {
        list += (list.empty() ? "" : ", ") + n;
    }
    return list;
}

/// The values of a multi-select picklist (`"a;b"`), empty parts dropped.
std::vector<std::string> SplitMultiPicklist(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto semi = text.find(';', start);
        std::string part = text.substr(start, semi == std::string::npos ? semi : semi - start);
        if (!part.empty()) {
            parts.push_back(std::move(part));
        }
        if (semi == std::string::npos) {
            break;
        }
        start = semi + 1;
    }
    return parts;
}

ApiErrorItem FieldError(std::string code, std::string message, const FieldDef& f) {
    return ApiErrorItem{std::move(code), std::move(message), {f.name}, true};
}

/// The value-level checks of one field (§B.15 texts). Appends errors to `errors`; may rewrite
/// the value (18-char reference ids, numbers rounded to the field's scale).
void CheckValue(const Schema& schema,
                RecordStore& store,
                FieldAssignment& a,
                std::vector<ApiErrorItem>& errors) {
    const FieldDef& f = *a.field;
    if (IsNull(a.value)) {
        return;
    }
    const std::string text = ValueText(a.value);
    if (IsStringLike(f.type) && f.length > 0 &&
        CodePointCount(text) > static_cast<std::size_t>(f.length)) {
        errors.push_back(FieldError("STRING_TOO_LONG",
                                    f.label + ": data value too large: " + text +
                                        " (max length=" + std::to_string(f.length) + ")",
                                    f));
        return;
    }
    if (f.type == FieldType::kEmail && !IsValidEmail(text)) {
        errors.push_back(
            FieldError("INVALID_EMAIL_ADDRESS", f.label + ": invalid email address: " + text, f));
        return;
    }
    if (KindOf(f.type) == ValueKind::kInteger || KindOf(f.type) == ValueKind::kReal) {
        auto fitted = FitNumber(f, a.value);
        if (!fitted) {
            errors.push_back(FieldError("NUMBER_OUTSIDE_VALID_RANGE",
                                        f.label +
                                            ": value outside of valid range on numeric "
                                            "field: " +
                                            NumberText(a.value),
                                        f));
            return;
        }
        a.value = std::move(*fitted);
        return;
    }
    if (f.restricted_picklist &&
        (f.type == FieldType::kPicklist || f.type == FieldType::kMultiPicklist)) {
        const std::vector<std::string> parts = f.type == FieldType::kMultiPicklist
                                                   ? SplitMultiPicklist(text)
                                                   : std::vector<std::string>{text};
        for (const auto& p : parts) {
            const bool known = std::any_of(f.picklist.begin(),
                                           f.picklist.end(),
                                           [&](const PicklistEntry& e) { return e.value == p; });
            if (!known) {
                errors.push_back(
                    FieldError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                               f.label + ": bad value for restricted picklist field: " + p,
                               f));
                return;
            }
        }
    }
    if (f.type == FieldType::kReference) {
        auto id = Id::Parse(text);
        const ObjectDef* target = id ? schema.FindByKeyPrefix(id->KeyPrefix()) : nullptr;
        bool kind_ok = id.has_value();
        bool targets_known = false;
        bool target_modelled = false;  // the id is of one of the field's modelled targets
        if (kind_ok) {
            for (const auto& t : f.reference_to) {
                const ObjectDef* known = schema.FindObject(t);
                targets_known = targets_known || known != nullptr;
                target_modelled = target_modelled || (known != nullptr && known == target);
            }
            // Targets we do not model at all (RecordType, UserRole, ...): any valid id will do.
            kind_ok = target_modelled || !targets_known;
        }
        if (!kind_ok) {
            errors.push_back(
                FieldError("MALFORMED_ID", f.label + ": id value of incorrect type: " + text, f));
            return;
        }
        // The record must exist (and be live) in a modelled target: OwnerId names a User.
        if (target_modelled) {
            const auto parent = store.Find(*target, *id);
            if (!parent) {
                errors.push_back(FieldError(
                    "INVALID_CROSS_REFERENCE_KEY", f.label + ": invalid cross reference id", f));
                return;
            }
            if (IsDeletedRecord(*target, *parent)) {
                // A lookup to a record in the recycle bin (SOAP/Apex report it this way).
                errors.push_back(FieldError("ENTITY_IS_DELETED", "entity is deleted", f));
                return;
            }
        }
        a.value = id->Str18();
    }
}

}  // namespace

bool IsDeletedRecord(const ObjectDef& object, const RecordValues& values) {
    const FieldDef* f = object.FindField("IsDeleted");
    if (f == nullptr) {
        return false;
    }
    const auto* b = std::get_if<bool>(&values[object.IndexOf(*f)]);
    return b != nullptr && *b;
}

bool IsValidEmail(std::string_view text) {
    // The shape Salesforce's email fields accept: local@domain, a dot-separated domain of
    // letters/digits/hyphens with at least two labels, the usual atext characters locally.
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != text.npos) {
        return false;
    }
    const std::string_view local = text.substr(0, at);
    const std::string_view domain = text.substr(at + 1);
    const auto is_alnum = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    };
    constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) {
        return false;
    }
    for (char c : local) {
        if (!is_alnum(c) && kLocalSpecials.find(c) == std::string_view::npos) {
            return false;
        }
    }
    std::size_t labels = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const std::string_view label =
            domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            if (!is_alnum(c) && c != '-') {
                return false;
            }
        }
        ++labels;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return labels >= 2;
}

std::optional<FieldValue> FitNumber(const FieldDef& f, const FieldValue& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        if (f.digits > 0 && f.digits < 19) {
            std::int64_t limit = 1;
            for (int i = 0; i < f.digits; ++i) {
                limit *= 10;
            }
            if (*n >= limit || *n <= -limit) {
                return std::nullopt;
            }
        }
        return value;
    }
    const auto* d = std::get_if<double>(&value);
    if (d == nullptr) {
        return value;
    }
    if (!std::isfinite(*d)) {
        return std::nullopt;
    }
    if (f.precision <= 0) {
        return value;
    }
    // Salesforce keeps `scale` fraction digits (rounding half away from zero) and allows
    // precision - scale digits before the point.
    const int scale = std::clamp(f.scale, 0, 17);
    const double factor = std::pow(10.0, scale);
    double rounded = std::round(*d * factor) / factor;
    if (rounded == 0.0) {
        rounded = 0.0;  // no negative zero on the wire
    }
    const int int_digits = f.precision - f.scale;
    if (std::fabs(rounded) >= std::pow(10.0, int_digits)) {
        return std::nullopt;
    }
    return FieldValue{rounded};
}

std::string NumberText(const FieldValue& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        return std::to_string(*n);
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return codec::FormatJavaDouble(*d);
    }
    return ValueText(value);
}

std::optional<FieldValue> ParseFieldText(const FieldDef& field, std::string_view text) {
    return FromText(field, text);
}

void ValidateWrite(const Schema& schema,
                   RecordStore& store,
                   const ObjectDef& object,
                   WriteKind kind,
                   std::vector<FieldAssignment>& assignments) {
    // 1. Fields this operation may not write: one error listing all of them (§B.8).
    std::vector<std::string> read_only;
    for (const auto& a : assignments) {
        const bool writable =
            kind == WriteKind::kInsert ? a.field->createable : a.field->updateable;
        if (!writable) {
            read_only.push_back(a.field->name);
        }
    }
    if (!read_only.empty()) {
        throw ApiError::WithFields(400,
                                   "INVALID_FIELD_FOR_INSERT_UPDATE",
                                   "Unable to create/update fields: " + JoinNames(read_only) +
                                       ". Please check the security settings of this field and "
                                       "verify that it is read/write for your profile or "
                                       "permission set.",
                                   read_only);
    }

    // 2. Required fields: absent or null on insert, set to null on update. A null checkbox is
    // false, never missing.
    for (auto& a : assignments) {
        if (IsNull(a.value) && a.field->type == FieldType::kBoolean) {
            a.value = a.field->default_boolean.value_or(false);
        }
    }
    std::vector<std::string> missing;
    if (kind == WriteKind::kInsert) {
        for (const FieldDef& f : object.fields) {
            if (!f.RequiredOnCreate()) {
                continue;
            }
            const auto it = std::find_if(assignments.begin(),
                                         assignments.end(),
                                         [&](const FieldAssignment& a) { return a.field == &f; });
            if (it == assignments.end() || IsNull(it->value)) {
                missing.push_back(f.name);
            }
        }
    } else {
        for (const auto& a : assignments) {
            if (!a.field->nillable && IsNull(a.value)) {
                missing.push_back(a.field->name);
            }
        }
    }
    if (!missing.empty()) {
        throw ApiError::WithFields(400,
                                   "REQUIRED_FIELD_MISSING",
                                   "Required fields are missing: [" + JoinNames(missing) + "]",
                                   missing);
    }

    // 3. Value checks, every failing field reported in one answer, in body order.
    std::vector<ApiErrorItem> errors;
    for (auto& a : assignments) {
        CheckValue(schema, store, a, errors);
    }
    if (!errors.empty()) {
        throw ApiError(400, std::move(errors));
    }
}

void CheckUnique(RecordStore& store,
                 const ObjectDef& object,
                 const std::vector<FieldAssignment>& assignments,
                 const std::string& self_id) {
    std::vector<ApiErrorItem> errors;
    for (const auto& a : assignments) {
        if (!a.field->unique || IsNull(a.value)) {
            continue;
        }
        // Records in the recycle bin keep their values and count (Salesforce: "records in the
        // Recycle Bin also count toward duplicate checking"), as in the field's UNIQUE index.
        for (const RecordValues& other : store.FindBy(object, *a.field, a.value, true, 2)) {
            const std::string other_id = ValueText(other[0]);
            if (other_id == self_id) {
                continue;
            }
            // The message names the other record by its 15-char id (§B.15, recorded).
            ApiErrorItem item{"DUPLICATE_VALUE",
                              "duplicate value found: " + a.field->name +
                                  " duplicates value on record with id: " + other_id.substr(0, 15),
                              {},
                              true};
            errors.push_back(std::move(item));
            break;
        }
    }
    if (!errors.empty()) {
        throw ApiError(400, std::move(errors));
    }
}

}  // namespace sfkit::server
