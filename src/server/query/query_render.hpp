// Query results on the wire (wire reference §B.11, §0.1): `totalSize, done, [nextRecordsUrl],
// records`; records with `attributes` first and fields in SELECT order; parent relationships
// as nested records (null when empty); child subqueries as nested query results (null when
// none); AggregateResult rows without url. XML `<QueryResult>` per §B.16 ([M]). And the
// `columns=true` column metadata.
#pragma once

#include <string>
#include <string_view>

#include "server/query/query_service.hpp"

namespace boost::json {
class object;
}

namespace sfkit::server {
class XmlWriter;
}

namespace sfkit::server::query {

boost::json::object PageJson(const QueryPage& page,
                             const Schema& schema,
                             const std::string& api_version);

std::string PageXml(const QueryPage& page,
                    const Schema& schema,
                    const std::string& api_version,
                    bool pretty);

/// One result record as /query renders it (`attributes` first, then the SELECT order); the
/// search resources list records this way.
boost::json::object RecordJson(const BoundQuery& q,
                               const ResultRow& row,
                               const Schema& schema,
                               const std::string& api_version);

/// The same as an XML element `<element type=".." url="..">fields</element>`.
void RecordXml(XmlWriter& w,
               std::string_view element,
               const BoundQuery& q,
               const ResultRow& row,
               const Schema& schema,
               const std::string& api_version);

/// `{"columnMetadata":[...],"entityName","groupBy","idSelected","keyPrefix"}`.
boost::json::object ColumnsJson(const BoundQuery& query);

}  // namespace sfkit::server::query
