// JSON -> XML for result documents.
#include "server/api/json_xml.hpp"

#include <boost/json.hpp>

#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"

namespace sfkit::server {

Response XmlDocument(int status,
                     std::string_view root,
                     const boost::json::object& body,
                     bool pretty) {
    XmlWriter w(pretty);
    w.Open(root, {{"xmlns:xsi", std::string(kXsiNamespace)}});
    for (const auto& kv : body) {
        WriteJsonAsXml(w, kv.key(), kv.value());
    }
    return XmlResponse(status, std::move(w).Finish());
}

}  // namespace sfkit::server
