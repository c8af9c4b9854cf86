// Records on the wire (§B.7, §0.1): `attributes` first, then fields in the requested order;
// compound address fields as nested objects with alphabetical keys (null when all parts are
// null); XML as `<Type type=".." url=".."><Field>..</Field>..</Type>` with xsi:nil for nulls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/schema/schema.hpp"
#include "server/storage/record_store.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace sfkit::server {

class XmlWriter;

/// `/services/data/v<version>/sobjects/<Type>/<id18>`.
std::string RecordUrl(const std::string& api_version,
                      const ObjectDef& object,
                      const std::string& id18);

/// The JSON value of one field (compound fields assembled from `values`).
boost::json::value FieldJson(const ObjectDef& object,
                             const RecordValues& values,
                             std::size_t field_index);

/// `{"attributes":{"type","url"}, <fields...>}` with `fields` (indexes into object.fields).
boost::json::object RecordJson(const ObjectDef& object,
                               const RecordValues& values,
                               const std::vector<std::size_t>& fields,
                               const std::string& api_version);

/// RecordJson written straight to compact JSON text: the same bytes as
/// codec::WriteJson(RecordJson(...)), without building the object (a record GET's answer).
std::string RecordJsonText(const ObjectDef& object,
                           const RecordValues& values,
                           const std::vector<std::size_t>& fields,
                           const std::string& api_version);

/// Writes `<Type type=".." url="..">...</Type>` into `w`. The xsi namespace is declared on
/// the element when `declare_xsi` (true for a document root).
void RecordXml(XmlWriter& w,
               const ObjectDef& object,
               const RecordValues& values,
               const std::vector<std::size_t>& fields,
               const std::string& api_version,
               bool declare_xsi);

/// The fields of a field list such as `?fields=` (§B.7), as indexes into object.fields: in
/// request order, repeats dropped, Id appended when not requested. Names are matched ignoring
/// case. An unknown name throws 400 INVALID_FIELD with SOQL's wording (`No such column 'X' on
/// entity 'Account'. ...`), since such lists run a query underneath (§B.11).
/// Fields newer than `api_major` (VisibleIn, field_version.hpp) are unknown names, as in SOQL.
std::vector<std::size_t> SelectFields(const ObjectDef& object,
                                      const std::vector<std::string>& names,
                                      int api_major = 0);
/// Every field a record read at `api_major` shows (VisibleIn, field_version.hpp), in schema order.
std::vector<std::size_t> VisibleFields(const ObjectDef& object, int api_major);

/// `A, B,,C` -> {"A","B","C"}: comma-separated names, blanks trimmed, empty entries dropped.
std::vector<std::string> SplitFieldList(std::string_view text);

/// Text form of a stored value as XML carries it (`true`, `23.0`, `2010-01-01`, ...).
std::string FieldText(const FieldValue& v);

}  // namespace sfkit::server
