// SOQL -> SQL for SQLite or PostgreSQL. Only schema names and fixed SQL fragments are written
// into the text. The PostgreSQL spelling differs where the engines do (each place says how);
// `?` placeholders and COLLATE NOCASE are left to SqlDialect::Adapt, as for every statement.
#include "server/query/sql_translator.hpp"

#include <algorithm>
#include <charconv>

#include "server/http/api_error.hpp"
#include "server/schema/field_value.hpp"
#include "soql/error.hpp"

namespace sfkit::server::query {
namespace {

std::string Quote(std::string_view ident) {
    // API names are validated ([A-Za-z][A-Za-z0-9_]*): quoting cannot be escaped.
    return "\"" + std::string(ident) + "\"";
}

/// SQLite's default SQLITE_MAX_LIKE_PATTERN_LENGTH: a longer pattern fails when the statement
/// runs ("LIKE or GLOB pattern too complex").
constexpr std::size_t kMaxLikePatternBytes = 50000;

/// SQLite's default SQLITE_MAX_COLUMN: the most result columns, ORDER BY terms or GROUP BY
/// terms one statement may have (nothing in SOQL's grammar bounds ORDER BY's length).
constexpr std::size_t kMaxSqlColumns = 2000;

/// Salesforce's answer for a statement that expands beyond what can run (its "SOQL and SOSL
/// Limits" page names QUERY_TOO_COMPLICATED for statements that grow too much internally).
ApiError TooComplicated() {
    return ApiError(400,
                    std::string(soql::kQueryTooComplicated),
                    std::string(soql::kQueryTooComplicatedMessage));
}

/// Operands joined by `op` (" AND " / " OR ") in parentheses. SQLite parses `a OR b OR c …` as
/// a left-deep tree, one level per operand, and refuses an expression deeper than 1000 levels
/// (SQLITE_MAX_EXPR_DEPTH): a WHERE of 1,000 ORed terms, easily written within SOQL's 100,000
/// characters, would fail. Long chains are written as a balanced tree of parenthesised halves
/// instead (depth log2(n)); short ones stay flat. The operands keep their order, so placeholders
/// stay numbered in text order.
std::string JoinBalanced(const std::vector<std::string>& parts,
                         std::size_t lo,
                         std::size_t hi,
                         std::string_view op) {
    constexpr std::size_t kFlat = 4;
    std::string out = "(";
    if (hi - lo <= kFlat) {
        for (std::size_t i = lo; i < hi; ++i) {
            out += (i > lo ? std::string(op) : std::string()) + parts[i];
        }
    } else {
        const std::size_t mid = lo + (hi - lo) / 2;
        out += JoinBalanced(parts, lo, mid, op);
        out += op;
        out += JoinBalanced(parts, mid, hi, op);
    }
    return out + ")";
}

std::string JoinBalanced(const std::vector<std::string>& parts, std::string_view op) {
    return JoinBalanced(parts, 0, parts.size(), op);
}

/// Emits SQL for one query level; `prefix` names its table aliases (`t0`, `s0`, ...).
class Emitter {
public:
    Emitter(const BoundQuery& q, std::string prefix, std::vector<SqlValue>& params, Engine engine)
        : q_(q), prefix_(std::move(prefix)), params_(params), pg_(engine == Engine::kPostgres) {}

    /// Grouping-set context: group expressions that are rolled up (NULL) in this branch.
    void SetRolledUp(std::vector<bool> rolled) { rolled_ = std::move(rolled); }

    std::string Alias(int alias) const { return prefix_ + std::to_string(alias); }

    std::string Field(const FieldRef& f) const {
        if (f.sources.size() == 1) {
            return Alias(f.sources.front().first) + "." + Quote(f.sources.front().second->name);
        }
        std::string out = "COALESCE(";
        for (std::size_t i = 0; i < f.sources.size(); ++i) {
            out += (i ? ", " : "") + Alias(f.sources[i].first) + "." +
                   Quote(f.sources[i].second->name);
        }
        return out + ")";
    }

    /// Great-circle (haversine) distance from the record's latitude/longitude to the fixed
    /// point; NULL when either component is. The numbers are binder-checked doubles.
    std::string Distance(const BExpr& e) const {
        const auto num = [](double d) {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, d);
            return std::string(buf, r.ptr);
        };
        const std::string lat = "RADIANS(" + Field(e.field) + ")";
        const std::string lon = "RADIANS(" + Field(e.field2) + ")";
        const std::string lat0 = "RADIANS(" + num(e.geo[0]) + ")";
        const std::string lon0 = "RADIANS(" + num(e.geo[1]) + ")";
        return "(2 * " + num(e.geo[2]) + " * ASIN(SQRT(POWER(SIN((" + lat + " - " + lat0 +
               ") / 2), 2) + COS(" + lat0 + ") * COS(" + lat + ") * POWER(SIN((" + lon + " - " +
               lon0 + ") / 2), 2))))";
    }

    std::string Expr(const BExpr& e) const {
        for (std::size_t i = 0; i < rolled_.size() && i < q_.group_by.size(); ++i) {
            if (rolled_[i] && q_.group_by[i] == e) {
                return "NULL";
            }
        }
        using F = soql::Function;
        switch (e.kind) {
            case BExpr::Kind::kField:
                return Field(e.field);
            case BExpr::Kind::kCountAll:
                return "COUNT(*)";
            case BExpr::Kind::kGrouping: {
                BExpr field;
                field.kind = BExpr::Kind::kField;
                field.field = e.field;
                for (std::size_t i = 0; i < q_.group_by.size(); ++i) {
                    if (q_.group_by[i] == field) {
                        return i < rolled_.size() && rolled_[i] ? "1" : "0";
                    }
                }
                return "0";
            }
            case BExpr::Kind::kAggregate: {
                const std::string arg = Field(e.field);
                switch (e.function) {
                    case F::kCount:
                        return "COUNT(" + arg + ")";
                    case F::kCountDistinct:
                        return "COUNT(DISTINCT " + arg + ")";
                    case F::kSum:
                        // PostgreSQL sums integers as numeric: back to an integer, as SQLite.
                        if (pg_ && IsIntegerField(e.field)) {
                            return "CAST(SUM(" + arg + ") AS BIGINT)";
                        }
                        return "SUM(" + arg + ")";
                    case F::kAvg:
                        return "AVG(" + arg + ")";
                    case F::kMin:
                        return "MIN(" + arg + ")";
                    default:
                        return "MAX(" + arg + ")";
                }
            }
            case BExpr::Kind::kDateFunction:
                return DateFunction(e.function, Field(e.field), pg_);
            case BExpr::Kind::kDistance:
                return Distance(e);
        }
        return "NULL";
    }

    static bool IsIntegerField(const FieldRef& f) {
        return !f.sources.empty() && KindOf(f.sources.front().second->type) == ValueKind::kInteger;
    }

    static std::string DateFunction(soql::Function f, const std::string& c, bool pg) {
        // Dates are stored as `YYYY-MM-DD`, datetimes as `YYYY-MM-DDThh:mm:ss.sss+0000` (UTC),
        // so calendar parts are substrings. Fiscal functions equal the calendar ones (fiscal
        // year starting in January, Salesforce's default).
        using F = soql::Function;
        const std::string day = "substr(" + c + ", 1, 10)";
        const std::string month = "CAST(substr(" + c + ", 6, 2) AS INTEGER)";
        const std::string doy = pg ? "CAST(EXTRACT(DOY FROM CAST(" + day + " AS date)) AS INTEGER)"
                                   : "CAST(strftime('%j', " + day + ") AS INTEGER)";
        switch (f) {
            case F::kCalendarYear:
            case F::kFiscalYear:
                return "CAST(substr(" + c + ", 1, 4) AS INTEGER)";
            case F::kCalendarMonth:
            case F::kFiscalMonth:
                return month;
            case F::kCalendarQuarter:
            case F::kFiscalQuarter:
                return "((" + month + " + 2) / 3)";
            case F::kDayInMonth:
                return "CAST(substr(" + c + ", 9, 2) AS INTEGER)";
            case F::kDayInWeek:
                return pg ? "(CAST(EXTRACT(DOW FROM CAST(" + day + " AS date)) AS INTEGER) + 1)"
                          : "(CAST(strftime('%w', " + day + ") AS INTEGER) + 1)";
            case F::kDayInYear:
                return doy;
            case F::kDayOnly:
                return day;
            case F::kHourInDay:
                return "CAST(substr(" + c + ", 12, 2) AS INTEGER)";
            case F::kWeekInMonth:
                return "((CAST(substr(" + c + ", 9, 2) AS INTEGER) - 1) / 7 + 1)";
            case F::kWeekInYear:
                return "((" + doy + " - 1) / 7 + 1)";
            default:
                return "NULL";
        }
    }

    std::string Param(const SqlValue& v) {
        params_.push_back(v);
        return "?";
    }
    // Integers get their own overload: constructing a temporary variant there trips GCC 12's
    // -Wmaybe-uninitialized at -O2 (a false positive on the string alternative).
    std::string Param(std::int64_t v) {
        params_.emplace_back(std::in_place_type<std::int64_t>, v);
        return "?";
    }

    std::string Cond(const BCond& c) {
        using K = BCond::Kind;
        const auto lhs = [&] {
            std::string s = Expr(c.lhs);
            return c.nocase ? s + " COLLATE NOCASE" : s;
        };
        switch (c.kind) {
            case K::kAnd:
            case K::kOr: {
                std::vector<std::string> parts;
                parts.reserve(c.operands.size());
                for (const BCond& operand : c.operands) {
                    parts.push_back(Cond(operand));
                }
                return JoinBalanced(parts, c.kind == K::kAnd ? " AND " : " OR ");
            }
            case K::kNot:
                return "NOT " + Cond(c.operands.front());
            case K::kIsNull:
                return Expr(c.lhs) + " IS NULL";
            case K::kIsNotNull:
                return Expr(c.lhs) + " IS NOT NULL";
            case K::kCompare: {
                // SOQL's != also matches nulls: `IS NOT` is SQLite's null-safe inequality,
                // IS DISTINCT FROM PostgreSQL's; ILIKE is PostgreSQL's case-blind LIKE.
                static constexpr const char* kOps[] = {
                    " = ", " IS NOT ", " < ", " <= ", " > ", " >= ", " LIKE "};
                static constexpr const char* kPgOps[] = {
                    " = ", " IS DISTINCT FROM ", " < ", " <= ", " > ", " >= ", " ILIKE "};
                const std::string l = lhs();
                return "(" + l + (pg_ ? kPgOps : kOps)[static_cast<int>(c.op)] +
                       Param(c.values.front()) + ")";
            }
            case K::kLike:
                if (const auto* pattern = std::get_if<std::string>(&c.values.front());
                    pattern != nullptr && pattern->size() > kMaxLikePatternBytes) {
                    throw TooComplicated();
                }
                // SQLite's LIKE is ASCII case-insensitive, like SOQL's; PostgreSQL's ILIKE
                // ignores case too (beyond ASCII as well).
                return "(" + Expr(c.lhs) + (pg_ ? " ILIKE " : " LIKE ") + Param(c.values.front()) +
                       " ESCAPE '\\')";
            case K::kIn:
            case K::kNotIn: {
                std::string list;
                for (const SqlValue& v : c.values) {
                    list += (list.empty() ? "" : ", ") + Param(v);
                }
                if (c.kind == K::kIn) {
                    return "(" + lhs() + " IN (" + list + "))";
                }
                return "(" + Expr(c.lhs) + " IS NULL OR " + lhs() + " NOT IN (" + list + "))";
            }
            case K::kIncludes:
            case K::kExcludes: {
                const std::string col = Expr(c.lhs);
                const std::string wrapped = "(';' || lower(" + col + ") || ';')";
                std::vector<std::string> any;
                for (const auto& set : c.sets) {
                    std::vector<std::string> all;
                    for (const std::string& v : set) {
                        all.push_back(std::string(pg_ ? "strpos(" : "instr(") + wrapped +
                                      ", ';' || lower(" + Param(v) + ") || ';') > 0");
                    }
                    if (!c.values.empty()) {  // exact set (`= 'a;b'`): as many values as given
                        all.push_back(
                            std::string("(length(") + col + ") - length(replace(" + col +
                            ", ';', ''))) = " + Param(static_cast<std::int64_t>(set.size()) - 1));
                    }
                    any.push_back(all.empty() ? std::string("(FALSE)")
                                              : JoinBalanced(all, " AND "));
                }
                const std::string any_sql = any.empty() ? "(FALSE)" : JoinBalanced(any, " OR ");
                if (c.kind == K::kIncludes) {
                    return "(" + col + " IS NOT NULL AND " + any_sql + ")";
                }
                return "(" + col + " IS NULL OR NOT " + any_sql + ")";
            }
            case K::kRange: {
                // Placeholders are numbered in text order: bind each bound before the next.
                const std::string col = Expr(c.lhs);
                switch (c.op) {
                    case soql::CompareOp::kEq: {
                        const std::string lo = Param(c.values[0]);
                        const std::string hi = Param(c.values[1]);
                        return "(" + col + " >= " + lo + " AND " + col + " < " + hi + ")";
                    }
                    case soql::CompareOp::kNe: {
                        const std::string lo = Param(c.values[0]);
                        const std::string hi = Param(c.values[1]);
                        return "(" + col + " IS NULL OR " + col + " < " + lo + " OR " + col +
                               " >= " + hi + ")";
                    }
                    case soql::CompareOp::kLt:
                        return "(" + col + " < " + Param(c.values[0]) + ")";
                    case soql::CompareOp::kLe:
                        return "(" + col + " < " + Param(c.values[1]) + ")";
                    case soql::CompareOp::kGt:
                        return "(" + col + " >= " + Param(c.values[1]) + ")";
                    default:
                        return "(" + col + " >= " + Param(c.values[0]) + ")";
                }
            }
            case K::kSemiJoin:
            case K::kAntiJoin: {
                Emitter sub(*c.sub, "s", params_, pg_ ? Engine::kPostgres : Engine::kSqlite);
                const std::string selected = sub.Expr(c.sub->columns.front());
                const std::string lhs_sql = Expr(c.lhs);
                if (c.kind == K::kSemiJoin) {
                    return "(" + lhs_sql + " IN (SELECT " + selected + sub.From() +
                           sub.WhereWith({}) + "))";
                }
                return "(" + lhs_sql + " IS NULL OR " + lhs_sql + " NOT IN (SELECT " + selected +
                       sub.From() + sub.WhereWith(selected + " IS NOT NULL") + "))";
            }
        }
        return "TRUE";
    }

    /// The current time (canonical datetime) that decides which events are past.
    void SetNow(std::string now) { now_ = std::move(now); }

    std::string From() {
        const std::string table = q_.activity ? ActivityTable(*q_.activity) : TableName(*q_.object);
        std::string out = " FROM " + table + " " + Alias(0);
        for (std::size_t i = 1; i < q_.rels.size(); ++i) {
            const Rel& r = q_.rels[i];
            const int from_alias = q_.rels[r.parent].targets.front().second;
            for (const auto& [object, alias] : r.targets) {
                out += " LEFT JOIN " + TableName(*object) + " " + Alias(alias) + " ON " +
                       Alias(alias) + ".\"Id\" = " + Alias(from_alias) + "." + Quote(r.via->name);
            }
        }
        return out;
    }

    /// ActivityHistory / OpenActivity as a derived table over Task and Event: every stored field
    /// of the object from the same-named Task/Event column, else as below; `rowid` doubled so
    /// that a Task's and an Event's never collide (their tables number rows independently).
    /// Which event is past: [M] an event stays open until its end (EndDateTime, else
    /// ActivityDateTime; an all-day event until the end of its last day, EndDate else
    /// ActivityDate), the moment real orgs move an event from Open Activities to Activity
    /// History in the UI. Tasks: IsClosed (set from Status on every write).
    std::string ActivityTable(const ActivityRows& a) {
        const auto branch = [&](const ObjectDef& src, bool task) {
            std::string cols = task ? "(rowid * 2) AS rowid" : "(rowid * 2 + 1) AS rowid";
            for (const FieldDef& f : q_.object->fields) {
                if (!f.IsStored()) {
                    continue;
                }
                std::string expr;
                const FieldDef* same = src.FindField(f.name);
                if (f.name == "IsTask") {
                    expr = task ? "1" : "0";
                } else if (f.name == "ActivitySubtype") {
                    expr = Quote(task ? "TaskSubtype" : "EventSubtype");
                } else if (f.name == "IsClosed" && !task) {
                    expr = "0";  // [D] IsClosed: "For tasks only"
                } else if (same != nullptr && same->IsStored() &&
                           KindOf(same->type) == KindOf(f.type)) {
                    expr = Quote(same->name);
                } else if (KindOf(f.type) == ValueKind::kBoolean) {
                    expr = "0";
                } else {
                    expr = "CAST(NULL AS " + NullType(f) + ")";
                }
                cols += ", " + expr + " AS " + Quote(f.name);
            }
            return "SELECT " + cols + " FROM " + TableName(src);
        };
        const std::string now =
            now_.empty() ? FormatDateTime(std::chrono::system_clock::now()) : now_;
        std::string out = "(" + branch(*a.task, true) +
                          " WHERE \"IsClosed\" = " + (a.open ? "0" : "1") + " UNION ALL " +
                          branch(*a.event, false) +
                          " WHERE (CASE WHEN (\"IsAllDayEvent\" = 1 AND COALESCE(\"EndDate\", " +
                          "\"ActivityDate\") >= ";
        out += Param(SqlValue(now.substr(0, 10)));
        out +=
            ") OR (\"IsAllDayEvent\" = 0 AND COALESCE(\"EndDateTime\", \"ActivityDateTime\") >= ";
        out += Param(SqlValue(now));
        out += std::string(") THEN 1 ELSE 0 END) = ") + (a.open ? "1" : "0") + ")";
        return out;
    }

    std::string NullType(const FieldDef& f) const {
        switch (KindOf(f.type)) {
            case ValueKind::kInteger:
            case ValueKind::kBoolean:
                return pg_ ? "BIGINT" : "INTEGER";
            case ValueKind::kReal:
                return pg_ ? "DOUBLE PRECISION" : "REAL";
            default:
                return "TEXT";
        }
    }

    /// WHERE with the deleted-row filter, the query's condition and `extra` (already SQL).
    std::string Where(const std::string& extra) { return WhereWith(extra); }

    std::string WhereWith(const std::string& extra) {
        std::vector<std::string> parts;
        if (!q_.include_deleted && q_.object->FindField("IsDeleted") != nullptr) {
            parts.push_back(Alias(0) + ".\"IsDeleted\" = 0");
        }
        if (!extra.empty()) {
            parts.push_back(extra);
        }
        if (q_.where) {
            parts.push_back(Cond(*q_.where));
        }
        if (parts.empty()) {
            return "";
        }
        std::string out = " WHERE ";
        for (std::size_t i = 0; i < parts.size(); ++i) {
            out += (i ? " AND " : "") + parts[i];
        }
        return out;
    }

    std::string OrderTerm(const BOrder& o, const std::string& expr) const {
        std::string out = expr;
        if (o.nocase) {
            out += " COLLATE NOCASE";
        }
        out += o.desc ? " DESC" : " ASC";
        if (o.nulls_first) {
            out += *o.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        } else if (pg_) {  // SQLite's default (and SOQL's): nulls first ascending, last descending
            out += o.desc ? " NULLS LAST" : " NULLS FIRST";
        }
        return out;
    }

    std::string OrderBy() const {
        if (q_.order.empty()) {
            return "";
        }
        std::string out = " ORDER BY ";
        for (std::size_t i = 0; i < q_.order.size(); ++i) {
            out += (i ? ", " : "") + OrderTerm(q_.order[i], Expr(q_.order[i].expr));
        }
        return out;
    }

    std::string LimitOffset() {
        if (!q_.limit && !q_.offset) {
            return "";
        }
        // No limit: SQLite's LIMIT -1, PostgreSQL's LIMIT ALL.
        std::string out =
            !q_.limit && pg_ ? std::string(" LIMIT ALL") : " LIMIT " + Param(q_.limit.value_or(-1));
        if (q_.offset) {
            out += " OFFSET " + Param(*q_.offset);
        }
        return out;
    }

    std::string Columns(bool with_rowid) const {
        std::string out = with_rowid ? Alias(0) + ".rowid" : "";
        for (const BExpr& e : q_.columns) {
            out += (out.empty() ? "" : ", ") + Expr(e);
        }
        return out.empty() ? "1" : out;
    }

    std::string GroupBy(const std::vector<bool>& rolled) const {
        std::string out;
        for (std::size_t i = 0; i < q_.group_by.size(); ++i) {
            if (i < rolled.size() && rolled[i]) {
                continue;
            }
            Emitter plain(q_, prefix_, params_, pg_ ? Engine::kPostgres : Engine::kSqlite);
            out += (out.empty() ? "" : ", ") + plain.Expr(q_.group_by[i]);
        }
        return out.empty() ? "" : " GROUP BY " + out;
    }

    std::string Having() { return q_.having ? " HAVING " + Cond(*q_.having) : ""; }

private:
    const BoundQuery& q_;
    std::string prefix_;
    std::vector<SqlValue>& params_;
    bool pg_;
    std::vector<bool> rolled_;
    std::string now_;  ///< SetNow: the time that tells past events from future ones
};

/// The grouping sets of ROLLUP(a, b, c): (a,b,c), (a,b), (a), (); of CUBE: every subset.
std::vector<std::vector<bool>> GroupingSets(const BoundQuery& q) {
    const std::size_t n = q.group_by.size();
    std::vector<std::vector<bool>> sets;
    if (q.group_kind == soql::GroupByKind::kRollup) {
        for (std::size_t keep = n + 1; keep-- > 0;) {
            std::vector<bool> rolled(n, false);
            for (std::size_t i = keep; i < n; ++i) {
                rolled[i] = true;
            }
            sets.push_back(rolled);
        }
    } else {
        for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
            std::vector<bool> rolled(n, false);
            for (std::size_t i = 0; i < n; ++i) {
                rolled[i] = (mask >> i) & 1U;
            }
            sets.push_back(rolled);
        }
    }
    return sets;
}

SqlText GroupingSetsQuery(const BoundQuery& q, Engine engine) {
    SqlText out;
    std::string branches;
    for (const auto& rolled : GroupingSets(q)) {
        Emitter e(q, "t", out.params, engine);
        e.SetRolledUp(rolled);
        std::string cols;
        for (std::size_t i = 0; i < q.columns.size(); ++i) {
            cols += (i ? ", " : "") + e.Expr(q.columns[i]) + " AS c" + std::to_string(i);
        }
        for (std::size_t i = 0; i < q.group_by.size(); ++i) {
            cols += ", " + e.Expr(q.group_by[i]) + " AS k" + std::to_string(i) + ", " +
                    (rolled[i] ? "1" : "0") + " AS g" + std::to_string(i);
        }
        for (std::size_t i = 0; i < q.order.size(); ++i) {
            cols += ", " + e.Expr(q.order[i].expr) + " AS o" + std::to_string(i);
        }
        const std::string from = e.From();
        const std::string where = e.Where({});
        const std::string group = e.GroupBy(rolled);
        const std::string having = e.Having();
        branches += (branches.empty() ? "" : " UNION ALL ") +
                    ("SELECT " + cols + from + where + group + having);
    }
    std::string cols;
    for (std::size_t i = 0; i < q.columns.size(); ++i) {
        cols += (i ? ", " : "") + std::string("c") + std::to_string(i);
    }
    std::string order;
    Emitter outer(q, "t", out.params, engine);
    for (std::size_t i = 0; i < q.order.size(); ++i) {
        order += (order.empty() ? "" : ", ") + outer.OrderTerm(q.order[i], "o" + std::to_string(i));
    }
    // Subtotal rows follow the rows they sum up, the grand total comes last. Null keys first,
    // as SQLite orders them by default (PostgreSQL's default puts them last).
    for (std::size_t i = 0; i < q.group_by.size(); ++i) {
        order += (order.empty() ? "" : ", ") +
                 ("g" + std::to_string(i) + ", k" + std::to_string(i) + " NULLS FIRST");
    }
    out.sql = "SELECT " + cols + " FROM (" + branches + ") AS g" +
              (order.empty() ? "" : " ORDER BY " + order);
    out.sql += outer.LimitOffset();
    return out;
}

/// A statement SQLite can prepare: at most kMaxSqlParameters placeholders. Within SOQL's
/// 100,000 characters a query can bind more values than that (a multi-select INCLUDES of
/// 50,000 one-letter values).
SqlText Checked(SqlText t) {
    if (t.params.size() > kMaxSqlParameters) {
        throw TooComplicated();
    }
    return t;
}

/// `q` within SQLite's column limits (checked before any SQL is built for it).
const BoundQuery& Checked(const BoundQuery& q) {
    // The select list may gain a row id and grouping-set keys: leave room for them.
    constexpr std::size_t kSpare = 16;
    if (q.columns.size() + kSpare > kMaxSqlColumns || q.order.size() + kSpare > kMaxSqlColumns ||
        q.group_by.size() + kSpare > kMaxSqlColumns) {
        throw TooComplicated();
    }
    return q;
}

SqlText TranslateQueryUnchecked(const BoundQuery& q, Engine engine) {
    if (q.aggregate && q.group_kind != soql::GroupByKind::kPlain && !q.group_by.empty()) {
        return GroupingSetsQuery(q, engine);
    }
    SqlText out;
    Emitter e(q, "t", out.params, engine);
    const std::string cols = e.Columns(/*with_rowid=*/!q.aggregate);
    out.sql = "SELECT " + cols + e.From();
    out.sql += e.Where({});
    if (q.aggregate) {
        out.sql += e.GroupBy({});
        out.sql += e.Having();
    }
    out.sql += e.OrderBy();
    out.sql += e.LimitOffset();
    return out;
}

SqlText TranslateCountUnchecked(const BoundQuery& q, Engine engine) {
    SqlText out;
    Emitter e(q, "t", out.params, engine);
    const std::string from = e.From();
    const std::string where = e.Where({});
    const std::string group = e.GroupBy({});
    if (!q.limit && !q.offset && group.empty()) {
        out.sql = "SELECT COUNT(*)" + from + where;
        return out;
    }
    out.sql = "SELECT COUNT(*) FROM (SELECT 1" + from + where + group + e.LimitOffset() + ") AS c";
    return out;
}

SqlText TranslateFetchUnchecked(const BoundQuery& q,
                                const std::vector<std::int64_t>& rowids,
                                Engine engine) {
    SqlText out;
    Emitter e(q, "t", out.params, engine);
    std::string list;
    for (std::int64_t id : rowids) {
        list += (list.empty() ? "" : ", ") + e.Param(id);
    }
    out.sql = "SELECT " + e.Columns(true) + e.From() + " WHERE " + e.Alias(0) + ".rowid IN (" +
              list + ")";
    return out;
}

// PostgreSQL's form of the SOSL match (SQLite calls a C function, search_service.cpp): the
// expression `e` as SQL over `doc`, the record's searched fields as search tokens (` tok tok `
// and a newline per field, sfkit_sosl_tokens). A term matches when its tokens appear one after
// the other in one field: ` a b ` is a substring of `doc`; with wildcards a regular expression
// (`*` any run of token characters, `?` one).
std::string SearchCondition(const soql::SearchExpr& x, const std::string& doc, Emitter& e) {
    using K = soql::SearchExpr::Kind;
    switch (x.kind) {
        case K::kTerm: {
            if (x.tokens.empty()) {
                return "FALSE";
            }
            std::string text = " ";
            bool wild = false;
            for (const std::string& t : x.tokens) {
                for (char c : t) {
                    if (c == '*') {
                        text += "[^ \n]*";
                        wild = true;
                    } else if (c == '?') {
                        text += "[^ \n]";
                        wild = true;
                    } else {
                        text += c;  // letters and digits only: literal in a pattern
                    }
                }
                text += ' ';
            }
            if (!wild) {
                return "strpos(" + doc + ", " + e.Param(text) + ") > 0";
            }
            return doc + " ~ " + e.Param(text);
        }
        case K::kAnd:
        case K::kOr: {
            // `a OR b OR c …` may nest as deep as it is long: written flat, so a long search
            // does not become a deeply nested SQL expression.
            std::string out = "(";
            bool first = true;
            const auto flat = [&](const auto& self, const soql::SearchExpr& y) -> void {
                for (const soql::SearchExpr& o : y.operands) {
                    if (o.kind == x.kind) {
                        self(self, o);
                        continue;
                    }
                    out += first ? "" : (x.kind == K::kAnd ? " AND " : " OR ");
                    first = false;
                    out += SearchCondition(o, doc, e);
                }
            };
            flat(flat, x);
            return first ? (x.kind == K::kAnd ? "TRUE" : "FALSE") : out + ")";
        }
        case K::kNot:
            return x.operands.empty() ? "FALSE"
                                      : "(NOT " + SearchCondition(x.operands.front(), doc, e) + ")";
    }
    return "FALSE";
}

SqlText TranslateSearchUnchecked(const BoundQuery& q,
                                 std::string_view function,
                                 const std::string& term,
                                 const soql::SearchExpr& expr,
                                 const std::vector<const FieldDef*>& phones,
                                 const std::vector<const FieldDef*>& others,
                                 Engine engine) {
    SqlText out;
    Emitter e(q, "t", out.params, engine);
    const std::string cols = e.Columns(true);
    const std::string from = e.From();
    // Placeholders are numbered in text order: the match comes before the query's WHERE, and
    // each parameter is added in its own statement (operands of `+` are unsequenced).
    std::string match;
    if (engine == Engine::kPostgres) {
        // The document is computed once per row (a subquery), then every term tested on it.
        std::string doc = "concat(";
        for (const auto* list : {&phones, &others}) {
            for (const FieldDef* f : *list) {
                const std::string col = e.Alias(0) + "." + Quote(f->name);
                if (list == &phones) {
                    doc += "sfkit_sosl_digits(" + col + "), ";
                }
                doc += "sfkit_sosl_tokens(" + col + "), ";
            }
        }
        doc.resize(doc.size() - 2);
        doc += ") COLLATE \"C\"";
        match = "(SELECT " + SearchCondition(expr, "(sfkit_s.d COLLATE \"C\")", e) +
                " FROM (SELECT " + doc + " AS d) sfkit_s)";
    } else {
        match = std::string(function) + "(";
        match += e.Param(term);
        match += ", ";
        match += e.Param(static_cast<std::int64_t>(phones.size()));
        for (const auto* list : {&phones, &others}) {
            for (const FieldDef* f : *list) {
                match += ", " + e.Alias(0) + "." + Quote(f->name);
            }
        }
        match += ")";
    }
    const std::string where = e.Where(match);
    std::string order = e.OrderBy();
    order += (order.empty() ? " ORDER BY " : ", ") + e.Alias(0) + ".rowid";
    out.sql = "SELECT " + cols + from + where + order + e.LimitOffset();
    return out;
}

SqlText TranslateChildUnchecked(const ChildQuery& child,
                                const std::vector<std::string>& parent_ids,
                                Engine engine,
                                std::string_view now) {
    SqlText out;
    const BoundQuery& q = *child.query;
    Emitter e(q, "t", out.params, engine);
    e.SetNow(std::string(now));
    const std::string cols = e.Columns(true);
    const std::string from = e.From();
    std::string list;
    for (const std::string& id : parent_ids) {
        list += (list.empty() ? "" : ", ") + e.Param(id);
    }
    const std::string in = e.Alias(0) + "." + Quote(child.fk->name) + " IN (" + list + ")";
    out.sql = "SELECT " + cols + from + e.Where(in) + e.OrderBy();
    return out;
}

}  // namespace

std::string TableName(const ObjectDef& object) {
    return Quote("sobject_" + object.name);
}

SqlText TranslateQuery(const BoundQuery& q, Engine engine) {
    return Checked(TranslateQueryUnchecked(Checked(q), engine));
}

SqlText TranslateCount(const BoundQuery& q, Engine engine) {
    return Checked(TranslateCountUnchecked(Checked(q), engine));
}

SqlText TranslateFetch(const BoundQuery& q,
                       const std::vector<std::int64_t>& rowids,
                       Engine engine) {
    return Checked(TranslateFetchUnchecked(Checked(q), rowids, engine));
}

SqlText TranslateSearch(const BoundQuery& q,
                        std::string_view function,
                        const std::string& term,
                        const soql::SearchExpr& expr,
                        const std::vector<const FieldDef*>& phones,
                        const std::vector<const FieldDef*>& others,
                        Engine engine) {
    return Checked(
        TranslateSearchUnchecked(Checked(q), function, term, expr, phones, others, engine));
}

SqlText TranslateChild(const ChildQuery& child,
                       const std::vector<std::string>& parent_ids,
                       Engine engine,
                       std::string_view now) {
    Checked(*child.query);
    return Checked(TranslateChildUnchecked(child, parent_ids, engine, now));
}

}  // namespace sfkit::server::query
