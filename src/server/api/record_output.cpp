// Record rendering for JSON and XML.
#include "server/api/record_output.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/xml_writer.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/field_version.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

json::value ValueJson(const FieldValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
        return *b;
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return *i;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return json::string(*s);
    }
    return nullptr;
}

/// Components of a compound field sorted by their key (alphabetical, §0.1).
std::vector<std::size_t> SortedComponents(const ObjectDef& object, const FieldDef& compound) {
    auto parts = object.ComponentsOf(compound);
    std::sort(parts.begin(), parts.end(), [&](std::size_t a, std::size_t b) {
        return object.fields[a].compound_key < object.fields[b].compound_key;
    });
    return parts;
}

bool AllNull(const RecordValues& values, const std::vector<std::size_t>& parts) {
    return std::all_of(
        parts.begin(), parts.end(), [&](std::size_t i) { return IsNull(values[i]); });
}

}  // namespace

std::string RecordUrl(const std::string& api_version,
                      const ObjectDef& object,
                      const std::string& id18) {
    return ObjectUrl(api_version, object) + "/" + id18;
}

std::string FieldText(const FieldValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
        return *b ? "true" : "false";
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return codec::FormatJavaDouble(*d);
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    return {};
}

json::value FieldJson(const ObjectDef& object,
                      const RecordValues& values,
                      std::size_t field_index) {
    const FieldDef& f = object.fields[field_index];
    if (!f.IsCompound()) {
        return ValueJson(values[field_index]);
    }
    const auto parts = SortedComponents(object, f);
    if (AllNull(values, parts)) {
        return nullptr;
    }
    json::object o;
    for (std::size_t i : parts) {
        o[object.fields[i].compound_key] = ValueJson(values[i]);
    }
    return o;
}

json::object RecordJson(const ObjectDef& object,
                        const RecordValues& values,
                        const std::vector<std::size_t>& fields,
                        const std::string& api_version) {
    // Sized up front and filled with emplace: no rehashing or growth while the fields go in
    // (this runs for every record of a GET or a collection). A field listed twice keeps its
    // first place, as operator[] did.
    json::object rec(fields.size() + 1);
    json::object attributes(2);
    attributes.emplace("type", object.name);
    attributes.emplace("url", RecordUrl(api_version, object, FieldText(values[0])));
    rec.emplace("attributes", std::move(attributes));
    for (std::size_t i : fields) {
        rec.emplace(object.fields[i].name, FieldJson(object, values, i));
    }
    return rec;
}

namespace {

void AppendValueJson(std::string& out, const FieldValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
        out += *b ? "true" : "false";
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, *i);
        out.append(buf, r.ptr);
    } else if (const auto* d = std::get_if<double>(&v)) {
        out += codec::FormatJavaDouble(*d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
        codec::AppendJsonString(out, *s);
    } else {
        out += "null";
    }
}

}  // namespace

std::string RecordJsonText(const ObjectDef& object,
                           const RecordValues& values,
                           const std::vector<std::size_t>& fields,
                           const std::string& api_version) {
    std::string out;
    out.reserve(128 + fields.size() * 32);
    out += R"({"attributes":{"type":)";
    codec::AppendJsonString(out, object.name);
    out += R"(,"url":)";
    codec::AppendJsonString(out, RecordUrl(api_version, object, FieldText(values[0])));
    out += '}';
    std::vector<bool> written(object.fields.size(), false);
    for (std::size_t i : fields) {
        if (written[i]) {
            continue;  // listed twice: keeps its first place, as RecordJson's emplace does
        }
        written[i] = true;
        const FieldDef& f = object.fields[i];
        out += ',';
        codec::AppendJsonString(out, f.name);
        out += ':';
        if (!f.IsCompound()) {
            AppendValueJson(out, values[i]);
            continue;
        }
        const auto parts = SortedComponents(object, f);
        if (AllNull(values, parts)) {
            out += "null";
            continue;
        }
        out += '{';
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (k != 0) {
                out += ',';
            }
            codec::AppendJsonString(out, object.fields[parts[k]].compound_key);
            out += ':';
            AppendValueJson(out, values[parts[k]]);
        }
        out += '}';
    }
    out += '}';
    return out;
}

void RecordXml(XmlWriter& w,
               const ObjectDef& object,
               const RecordValues& values,
               const std::vector<std::size_t>& fields,
               const std::string& api_version,
               bool declare_xsi) {
    XmlWriter::Attributes attrs = {{"type", object.name},
                                   {"url", RecordUrl(api_version, object, FieldText(values[0]))}};
    if (declare_xsi) {
        attrs.emplace_back("xmlns:xsi", std::string(kXsiNamespace));
    }
    w.Open(object.name, attrs);
    for (std::size_t i : fields) {
        const FieldDef& f = object.fields[i];
        if (f.IsCompound()) {
            const auto parts = SortedComponents(object, f);
            if (AllNull(values, parts)) {
                w.Nil(f.name);
                continue;
            }
            w.Open(f.name);
            for (std::size_t p : parts) {
                if (IsNull(values[p])) {
                    w.Nil(object.fields[p].compound_key);
                } else {
                    w.Leaf(object.fields[p].compound_key, FieldText(values[p]));
                }
            }
            w.Close();
        } else if (IsNull(values[i])) {
            w.Nil(f.name);
        } else {
            w.Leaf(f.name, FieldText(values[i]));
        }
    }
    w.Close();
}

std::vector<std::size_t> VisibleFields(const ObjectDef& object, int api_major) {
    std::vector<std::size_t> out;
    out.reserve(object.fields.size());
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (VisibleIn(object.fields[i], api_major)) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<std::size_t> SelectFields(const ObjectDef& object,
                                      const std::vector<std::string>& names,
                                      int api_major) {
    std::vector<std::size_t> out;
    for (const std::string& name : names) {
        const FieldDef* f = object.FindField(name);
        if (f == nullptr || !VisibleIn(*f, api_major)) {
            throw ApiError(400,
                           "INVALID_FIELD",
                           "No such column '" + name + "' on entity '" + object.name +
                               "'. If you are attempting to use a custom field, be sure to "
                               "append the '__c' after the custom field name. Please reference "
                               "your WSDL or the describe call for the appropriate names.");
        }
        const std::size_t index = object.IndexOf(*f);
        if (std::find(out.begin(), out.end(), index) == out.end()) {
            out.push_back(index);
        }
    }
    if (std::find(out.begin(), out.end(), std::size_t{0}) == out.end()) {
        out.push_back(0);
    }
    return out;
}

std::vector<std::string> SplitFieldList(std::string_view text) {
    std::vector<std::string> out;
    while (true) {
        const auto comma = text.find(',');
        std::string_view part = text.substr(0, comma);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) {
            part.remove_prefix(1);
        }
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) {
            part.remove_suffix(1);
        }
        if (!part.empty()) {
            out.emplace_back(part);
        }
        if (comma == std::string_view::npos) {
            return out;
        }
        text.remove_prefix(comma + 1);
    }
}

}  // namespace sfkit::server
