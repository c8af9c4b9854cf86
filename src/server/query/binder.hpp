// The SOQL binder: resolves a parsed query against the org's schema (objects, fields, parent
// and child relationships, case-insensitively), checks what Salesforce checks once names are
// known (types of literals, operators per field type, grouping), and converts every literal
// into a typed SQL parameter. Errors carry Salesforce's codes and positioned messages (§B.11).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "server/query/bound_query.hpp"
#include "soql/error.hpp"

namespace sfkit::server::query {

struct BindContext {
    std::chrono::system_clock::time_point now;  ///< date literals are computed from it (UTC)
    std::string user_id;                        ///< USING SCOPE mine
    bool query_all = false;                     ///< /queryAll: deleted rows too
    int fiscal_start_month = 1;                 ///< 1 = fiscal year is the calendar year
    /// API version of the request (58 for v58.0): fields newer than it are unknown
    /// (VisibleIn, as describe shows them). 0 = every field.
    int api_major = 0;
};

using BindResult = boost::system::result<std::shared_ptr<BoundQuery>, soql::SoqlError>;

/// Binds `query` (parsed from `text`, which error messages echo) against `schema`.
BindResult Bind(const soql::Query& query,
                std::string_view text,
                const Schema& schema,
                const BindContext& context);

/// Polymorphic relationships without TYPEOF resolve to Salesforce's `Name` entity: only these
/// fields can be read through them.
bool IsNameEntityField(std::string_view field);

inline constexpr std::string_view kInvalidField = "INVALID_FIELD";
inline constexpr std::string_view kInvalidType = "INVALID_TYPE";
inline constexpr std::string_view kInvalidQueryFilterOperator = "INVALID_QUERY_FILTER_OPERATOR";

}  // namespace sfkit::server::query
