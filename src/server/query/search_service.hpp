// Runs SOSL for the /search and /parameterizedSearch resources (wire reference §B.12): parse,
// bind each RETURNING item with the SOQL binder, then one parameterised SQL statement per
// object whose rows are matched by an SQLite function evaluating the search expression
// (soql/sosl_match.hpp). No search index: see docs/soql.md, "SOSL search".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/query/query_service.hpp"
#include "soql/sosl_ast.hpp"

namespace sfkit::server::query {

/// The records found for one object, in RETURNING order.
struct SearchGroupResult {
    std::shared_ptr<const BoundQuery> query;
    std::vector<ResultRow> rows;
};

struct SearchResult {
    std::vector<SearchGroupResult> groups;
};

class SearchService {
public:
    /// Registers the matching function on every connection of `queries.Db()`.
    SearchService(QueryService& queries, const Schema& schema);

    /// Runs a SOSL statement. Throws ApiError(400) with Salesforce's code and message
    /// (MALFORMED_SEARCH, INVALID_SEARCH, INVALID_TYPE, INVALID_FIELD, ...).
    SearchResult Run(std::string_view sosl, const QueryCall& call);

    /// The fields of `object` that `group` searches (stored text fields; docs/soql.md).
    static std::vector<const FieldDef*> SearchedFields(const ObjectDef& object,
                                                       soql::SearchGroup group);

    /// The SQL function the statements call: `sfkit_sosl_match(term, phones, fields...)`.
    static constexpr std::string_view kMatchFunction = "sfkit_sosl_match";

private:
    QueryService& queries_;
    const Schema& schema_;
};

/// GET /parameterizedSearch parameters (decoded query string pairs, in order) as the SOSL
/// statement they stand for. Throws ApiError(400) when `q` is missing.
std::string ParameterizedSearchToSosl(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace sfkit::server::query
