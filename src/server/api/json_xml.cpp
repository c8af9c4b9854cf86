// JSON -> XML for result documents.
#include "server/api/json_xml.hpp"

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"

namespace sfkit::server {

namespace json = boost::json;

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

}  // namespace sfkit::server
