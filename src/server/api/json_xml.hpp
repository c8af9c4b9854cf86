// XML forms of JSON results whose XML layout Salesforce does not document element by element
// (describe, describeGlobal, basic info): the JSON keys become elements in the same order,
// arrays repeat their element, null becomes xsi:nil (§B.16).
#pragma once

#include <string_view>

#include "server/http/message.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace sfkit::server {

class XmlWriter;

/// Writes `v` as element(s) called `name`: objects nest, arrays repeat the element (an empty
/// array writes nothing), null is `<name xsi:nil="true"/>`, doubles in Java's form.
void JsonAsXml(XmlWriter& w, std::string_view name, const boost::json::value& v);

/// `<root xmlns:xsi="...">` + the members of `body` + `</root>` as a response.
Response XmlDocument(int status,
                     std::string_view root,
                     const boost::json::object& body,
                     bool pretty);

}  // namespace sfkit::server
