// Query results on the wire (wire reference §B.11, §0.1): `totalSize, done, [nextRecordsUrl],
// records`; records with `attributes` first and fields in SELECT order; parent relationships
// as nested records (null when empty); child subqueries as nested query results (null when
// none); AggregateResult rows without url. XML `<QueryResult>` per §B.16 ([M]). And the
// `columns=true` column metadata.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// The columns of a flat (CSV) rendering of `q`'s records, in SELECT order: field names, and
/// parent relationship fields dotted (`Owner.Name`, `Account.Owner.Email`). For queries without
/// child subqueries, TYPEOF or compound fields (Bulk API 2.0 refuses those).
std::vector<std::string> FlatColumns(const BoundQuery& q);

/// One record's values for FlatColumns(q), as text (nullopt for null: a null parent gives
/// null for each of its columns).
void FlatValues(const BoundQuery& q,
                const ResultRow& row,
                const Schema& schema,
                std::vector<std::optional<std::string>>& out);

/// `{"columnMetadata":[...],"entityName","groupBy","idSelected","keyPrefix"}`.
boost::json::object ColumnsJson(const BoundQuery& query);

}  // namespace sfkit::server::query
