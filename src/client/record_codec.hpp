// Internal: Record <-> boost::json / pugixml conversions shared by record.cpp and the REST
// client (which already holds parsed documents). Heavy headers stay out: forward declarations.
#pragma once

#include "sfkit/client/record.hpp"

namespace boost::json {
class value;
class object;
}  // namespace boost::json
namespace pugi {
class xml_node;
}

namespace sfkit::client::detail {

/// Converts a JSON object; `attributes` {type,url} goes to Type()/Url().
Record RecordFromJsonObject(const boost::json::object& object);
/// Converts any JSON value.
Value ValueFromJson(const boost::json::value& v);
/// JSON form of a value (nested records with their attributes).
boost::json::value ValueToJson(const Value& v);
/// Builds the JSON form (attributes first when requested and the type is known).
boost::json::value RecordToJsonValue(const Record& record, bool with_attributes);
/// Converts an XML element's children (see Record::FromXml).
Record RecordFromXmlNode(const pugi::xml_node& node);
/// XML text of a leaf value: booleans `true`/`false`, numbers as Salesforce prints them.
std::string XmlText(const Value& v);

}  // namespace sfkit::client::detail
