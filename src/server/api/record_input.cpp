// Record body parsing (JSON/XML): the request side of the record writes (server/records/).
#include "server/api/record_input.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "codec/xml_input.hpp"
#include "server/auth/crypto.hpp"
#include "server/http/api_error.hpp"

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

/// text fields and numeric strings for number fields, as Jackson's coercion does.
std::optional<FieldValue> FromJson(const FieldDef& f, const json::value& v) {
    if (f.IsCompound()) {
        return FieldValue{};  // rejected later as not writable, whatever the value
    }
    switch (v.kind()) {
        case json::kind::null:
            return FieldValue{};
        case json::kind::string:
            return ParseFieldText(f, v.get_string());
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
                    return ParseFieldText(f, std::to_string(static_cast<std::int64_t>(d)));
                }
                return ParseFieldText(f, json::serialize(v));
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
            value = ParseFieldText(*f, child.text().get());
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

}  // namespace

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

/// The value of `name=` in a header's parameters ("form-data; name=\"Body\""), unquoted.
std::string HeaderParam(std::string_view header, std::string_view name) {
    const std::string lower = ToLowerAscii(std::string(header));
    std::size_t at = 0;
    while ((at = lower.find(std::string(name) + "=", at)) != std::string::npos) {
        if (at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ' || lower[at - 1] == '\t') {
            std::size_t start = at + name.size() + 1;
            if (start < header.size() && header[start] == '"') {
                const auto end = header.find('"', start + 1);
                return std::string(header.substr(start + 1, end - start - 1));
            }
            const auto end = header.find(';', start);
            std::string v(header.substr(start, end == std::string_view::npos ? end : end - start));
            while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
                v.pop_back();
            }
            return v;
        }
        at += name.size();
    }
    return {};
}

struct Part {
    std::string name;
    std::string content_type;
    std::string_view data;
};

ApiError BadMultipart(const std::string& why) {
    return ApiError(400, "JSON_PARSER_ERROR", "Malformed multipart request: " + why);
}

std::vector<Part> SplitMultipart(std::string_view body, const std::string& boundary) {
    const std::string delimiter = "--" + boundary;
    std::vector<Part> parts;
    std::size_t at = body.find(delimiter);
    if (at == std::string_view::npos) {
        throw BadMultipart("no boundary line");
    }
    while (true) {
        at += delimiter.size();
        if (body.substr(at, 2) == "--") {
            return parts;  // the closing delimiter
        }
        const auto line_end = body.find("\r\n", at);
        if (line_end == std::string_view::npos) {
            throw BadMultipart("a part has no header");
        }
        // The part's headers end at a blank line (right away when it has none); its data runs
        // from there to the CRLF before the next boundary line.
        const auto headers_end = body.find("\r\n\r\n", line_end);
        if (headers_end == std::string_view::npos) {
            throw BadMultipart("a part's headers are not terminated by a blank line");
        }
        const std::size_t data_start = headers_end + 4;
        const auto next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) {
            throw BadMultipart("a part is not terminated by the boundary");
        }
        Part part;
        std::string_view headers = headers_end > line_end
                                       ? body.substr(line_end + 2, headers_end - line_end - 2)
                                       : std::string_view();
        while (!headers.empty()) {
            const auto eol = headers.find("\r\n");
            const std::string_view line = headers.substr(0, eol);
            const auto colon = line.find(':');
            if (colon != std::string_view::npos) {
                const std::string key = ToLowerAscii(std::string(line.substr(0, colon)));
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') {
                    value.remove_prefix(1);
                }
                if (key == "content-disposition") {
                    part.name = HeaderParam(value, "name");
                } else if (key == "content-type") {
                    part.content_type = ToLowerAscii(std::string(value.substr(0, value.find(';'))));
                }
            }
            if (eol == std::string_view::npos) {
                break;
            }
            headers.remove_prefix(eol + 2);
        }
        part.data = body.substr(data_start, next - data_start);
        parts.push_back(std::move(part));
        at = next + 2;
    }
}

}  // namespace

bool IsMultipartBody(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    return ct != nullptr &&
           ToLowerAscii(ct->substr(0, ct->find(';'))).find("multipart/form-data") == 0;
}

std::vector<FieldAssignment> ParseMultipartRecordBody(const ObjectDef& object, const Request& req) {
    const std::string boundary = HeaderParam(*req.Header("Content-Type"), "boundary");
    if (boundary.empty()) {
        throw BadMultipart("the Content-Type has no boundary");
    }
    const std::vector<Part> parts = SplitMultipart(req.body, boundary);
    std::optional<std::vector<FieldAssignment>> record;
    std::vector<FieldAssignment> blobs;
    for (const Part& part : parts) {
        if (part.content_type == "application/json" && !record) {
            record = ParseRecordBody(object, BodyFormat::kJson, part.data);
            continue;
        }
        const FieldDef* f = object.FindField(part.name);
        if (f == nullptr || f->type != FieldType::kBase64) {
            throw ApiError(400,
                           "INVALID_FIELD",
                           "No such column '" + part.name + "' on sobject of type " + object.name);
        }
        blobs.push_back({f, FieldValue(crypto::Base64Encode(part.data))});
    }
    if (!record) {
        throw BadMultipart("no part with Content-Type application/json holds the record");
    }
    for (FieldAssignment& b : blobs) {
        std::erase_if(*record, [&](const FieldAssignment& a) { return a.field == b.field; });
        record->push_back(std::move(b));
    }
    return std::move(*record);
}

}  // namespace sfkit::server
