// Translates a bound SOQL query into parameterized SQL over the typed record tables
// (`sobject_<Name>`, see storage/sqlite_record_store.cpp), in SQLite's or PostgreSQL's spelling
// (`engine`; the text still goes through SqlDialect::Adapt when it runs). Identifiers come only
// from the schema (validated API names); every value from the query is a bound parameter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/query/bound_query.hpp"
#include "server/storage/database.hpp"
#include "soql/sosl_ast.hpp"

namespace sfkit::server::query {

/// The most placeholders one statement may have: SQLite's default SQLITE_MAX_VARIABLE_NUMBER
/// (32766 since SQLite 3.32; Debian's build raises it to 250,000, the lower bound keeps answers
/// independent of the SQLite linked). Every Translate* function refuses a statement with more
/// with 400 QUERY_TOO_COMPLICATED (an ApiError) instead of letting SQLite fail with a 500.
inline constexpr std::size_t kMaxSqlParameters = 32766;

struct SqlText {
    std::string sql;
    std::vector<SqlValue> params;  ///< in placeholder order
};

/// The query itself. Non-aggregate queries select `t0.rowid` then `columns`; aggregate queries
/// select `columns` only. WHERE, GROUP BY (ROLLUP/CUBE as UNION ALL of grouping sets), HAVING,
/// ORDER BY, LIMIT and OFFSET included; deleted rows excluded unless `include_deleted`.
SqlText TranslateQuery(const BoundQuery& q, Engine engine = Engine::kSqlite);

/// `SELECT COUNT(*)` of the rows (or groups) the query returns, for `SELECT COUNT()`.
SqlText TranslateCount(const BoundQuery& q, Engine engine = Engine::kSqlite);

/// The rows with these rowids (any order): `t0.rowid` then `columns`. Pages of a query locator
/// are read this way, so a page shows the rows the query found when it first ran.
SqlText TranslateFetch(const BoundQuery& q,
                       const std::vector<std::int64_t>& rowids,
                       Engine engine = Engine::kSqlite);

/// A child relationship subquery for a batch of parent ids: `t0.rowid` then the child query's
/// columns, rows of all parents mixed, in the subquery's ORDER BY (the caller groups them and
/// applies LIMIT/OFFSET per parent). `now` (canonical datetime; empty: the system clock) tells
/// past events from future ones for ActivityHistory / OpenActivity (BoundQuery::activity).
SqlText TranslateChild(const ChildQuery& child,
                       const std::vector<std::string>& parent_ids,
                       Engine engine = Engine::kSqlite,
                       std::string_view now = {});

/// A SOSL search over `q`'s object (the binder's form of one RETURNING item): `t0.rowid` then
/// `columns`, the rows that satisfy `q`'s WHERE and for which the SQL function `function(term,
/// phones.size(), phones..., others...)` is true, in `q`'s ORDER BY and then rowid order (oldest
/// record first), with `q`'s LIMIT and OFFSET. Deleted rows are excluded. `function` must be a
/// fixed SQL name; `term` is bound as a parameter. PostgreSQL has no such function: there
/// `expr` (the term, parsed) becomes SQL over the fields' search tokens (`sfkit_sosl_tokens`,
/// a migration's), each term a bound parameter; same rows, same order.
SqlText TranslateSearch(const BoundQuery& q,
                        std::string_view function,
                        const std::string& term,
                        const soql::SearchExpr& expr,
                        const std::vector<const FieldDef*>& phones,
                        const std::vector<const FieldDef*>& others,
                        Engine engine = Engine::kSqlite);

/// `"sobject_<Name>"`.
std::string TableName(const ObjectDef& object);

}  // namespace sfkit::server::query
