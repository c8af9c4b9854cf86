// XML forms of JSON results whose XML layout Salesforce does not document element by element
// (describe, describeGlobal, basic info): the JSON keys become elements in the same order,
// arrays repeat their element, null becomes xsi:nil (§B.16). The element-level conversion is
// WriteJsonAsXml (xml_writer.hpp).
#pragma once

#include <string_view>

#include "server/http/message.hpp"

namespace boost::json {
class object;
}  // namespace boost::json

namespace sfkit::server {

/// `<root xmlns:xsi="...">` + the members of `body` (WriteJsonAsXml) + `</root>` as a response.
Response XmlDocument(int status,
                     std::string_view root,
                     const boost::json::object& body,
                     bool pretty);

}  // namespace sfkit::server
