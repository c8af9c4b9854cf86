// SOQL syntax tree helpers: name tables for functions and date literals, and the printer that
// turns a tree back into canonical SOQL.
#include "soql/ast.hpp"

#include <algorithm>
#include <array>

#include "soql/lexer.hpp"

namespace sfkit::soql {
namespace {

struct FunctionEntry {
    Function function;
    std::string_view name;
};

constexpr std::array<FunctionEntry, 25> kFunctions = {{
    {Function::kCount, "COUNT"},
    {Function::kCountDistinct, "COUNT_DISTINCT"},
    {Function::kSum, "SUM"},
    {Function::kAvg, "AVG"},
    {Function::kMin, "MIN"},
    {Function::kMax, "MAX"},
    {Function::kCalendarMonth, "CALENDAR_MONTH"},
    {Function::kCalendarQuarter, "CALENDAR_QUARTER"},
    {Function::kCalendarYear, "CALENDAR_YEAR"},
    {Function::kDayInMonth, "DAY_IN_MONTH"},
    {Function::kDayInWeek, "DAY_IN_WEEK"},
    {Function::kDayInYear, "DAY_IN_YEAR"},
    {Function::kDayOnly, "DAY_ONLY"},
    {Function::kFiscalMonth, "FISCAL_MONTH"},
    {Function::kFiscalQuarter, "FISCAL_QUARTER"},
    {Function::kFiscalYear, "FISCAL_YEAR"},
    {Function::kHourInDay, "HOUR_IN_DAY"},
    {Function::kWeekInMonth, "WEEK_IN_MONTH"},
    {Function::kWeekInYear, "WEEK_IN_YEAR"},
    {Function::kToLabel, "toLabel"},
    {Function::kFormat, "FORMAT"},
    {Function::kConvertCurrency, "convertCurrency"},
    {Function::kConvertTimezone, "convertTimezone"},
    {Function::kGrouping, "GROUPING"},
    {Function::kDistance, "DISTANCE"},
}};

struct DateLiteralEntry {
    DateLiteralKind kind;
    std::string_view name;
    bool takes_number;
};

constexpr std::array<DateLiteralEntry, 44> kDateLiterals = {{
    {DateLiteralKind::kYesterday, "YESTERDAY", false},
    {DateLiteralKind::kToday, "TODAY", false},
    {DateLiteralKind::kTomorrow, "TOMORROW", false},
    {DateLiteralKind::kLastWeek, "LAST_WEEK", false},
    {DateLiteralKind::kThisWeek, "THIS_WEEK", false},
    {DateLiteralKind::kNextWeek, "NEXT_WEEK", false},
    {DateLiteralKind::kLastMonth, "LAST_MONTH", false},
    {DateLiteralKind::kThisMonth, "THIS_MONTH", false},
    {DateLiteralKind::kNextMonth, "NEXT_MONTH", false},
    {DateLiteralKind::kLast90Days, "LAST_90_DAYS", false},
    {DateLiteralKind::kNext90Days, "NEXT_90_DAYS", false},
    {DateLiteralKind::kLastNDays, "LAST_N_DAYS", true},
    {DateLiteralKind::kNextNDays, "NEXT_N_DAYS", true},
    {DateLiteralKind::kNDaysAgo, "N_DAYS_AGO", true},
    {DateLiteralKind::kNextNWeeks, "NEXT_N_WEEKS", true},
    {DateLiteralKind::kLastNWeeks, "LAST_N_WEEKS", true},
    {DateLiteralKind::kNWeeksAgo, "N_WEEKS_AGO", true},
    {DateLiteralKind::kNextNMonths, "NEXT_N_MONTHS", true},
    {DateLiteralKind::kLastNMonths, "LAST_N_MONTHS", true},
    {DateLiteralKind::kNMonthsAgo, "N_MONTHS_AGO", true},
    {DateLiteralKind::kThisQuarter, "THIS_QUARTER", false},
    {DateLiteralKind::kLastQuarter, "LAST_QUARTER", false},
    {DateLiteralKind::kNextQuarter, "NEXT_QUARTER", false},
    {DateLiteralKind::kNextNQuarters, "NEXT_N_QUARTERS", true},
    {DateLiteralKind::kLastNQuarters, "LAST_N_QUARTERS", true},
    {DateLiteralKind::kNQuartersAgo, "N_QUARTERS_AGO", true},
    {DateLiteralKind::kThisYear, "THIS_YEAR", false},
    {DateLiteralKind::kLastYear, "LAST_YEAR", false},
    {DateLiteralKind::kNextYear, "NEXT_YEAR", false},
    {DateLiteralKind::kNextNYears, "NEXT_N_YEARS", true},
    {DateLiteralKind::kLastNYears, "LAST_N_YEARS", true},
    {DateLiteralKind::kNYearsAgo, "N_YEARS_AGO", true},
    {DateLiteralKind::kThisFiscalQuarter, "THIS_FISCAL_QUARTER", false},
    {DateLiteralKind::kLastFiscalQuarter, "LAST_FISCAL_QUARTER", false},
    {DateLiteralKind::kNextFiscalQuarter, "NEXT_FISCAL_QUARTER", false},
    {DateLiteralKind::kNextNFiscalQuarters, "NEXT_N_FISCAL_QUARTERS", true},
    {DateLiteralKind::kLastNFiscalQuarters, "LAST_N_FISCAL_QUARTERS", true},
    {DateLiteralKind::kNFiscalQuartersAgo, "N_FISCAL_QUARTERS_AGO", true},
    {DateLiteralKind::kThisFiscalYear, "THIS_FISCAL_YEAR", false},
    {DateLiteralKind::kLastFiscalYear, "LAST_FISCAL_YEAR", false},
    {DateLiteralKind::kNextFiscalYear, "NEXT_FISCAL_YEAR", false},
    {DateLiteralKind::kNextNFiscalYears, "NEXT_N_FISCAL_YEARS", true},
    {DateLiteralKind::kLastNFiscalYears, "LAST_N_FISCAL_YEARS", true},
    {DateLiteralKind::kNFiscalYearsAgo, "N_FISCAL_YEARS_AGO", true},
}};

const DateLiteralEntry& EntryOf(DateLiteralKind k) {
    return kDateLiterals[static_cast<std::size_t>(k)];
}

std::string_view CompareOpText(CompareOp op) {
    switch (op) {
        case CompareOp::kEq:
            return "=";
        case CompareOp::kNe:
            return "!=";
        case CompareOp::kLt:
            return "<";
        case CompareOp::kLe:
            return "<=";
        case CompareOp::kGt:
            return ">";
        case CompareOp::kGe:
            return ">=";
        case CompareOp::kLike:
            return "LIKE";
    }
    return "=";
}

std::string_view SetOpText(SetOp op) {
    switch (op) {
        case SetOp::kIn:
            return "IN";
        case SetOp::kNotIn:
            return "NOT IN";
        case SetOp::kIncludes:
            return "INCLUDES";
        case SetOp::kExcludes:
            return "EXCLUDES";
    }
    return "IN";
}

std::string_view FieldsKindText(FieldsKind k) {
    switch (k) {
        case FieldsKind::kAll:
            return "ALL";
        case FieldsKind::kStandard:
            return "STANDARD";
        case FieldsKind::kCustom:
            return "CUSTOM";
    }
    return "ALL";
}

template <class T, class F>
std::string Join(const std::vector<T>& items, std::string_view sep, F&& print) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += sep;
        }
        out += print(items[i]);
    }
    return out;
}

std::string PrintPath(const FieldPath& p) {
    return p.ToString();
}

// An operand of AND/OR/NOT: a nested AND/OR was parenthesised in the query and must be again.
std::string PrintOperand(const Condition& c) {
    if (std::holds_alternative<Logical>(c.node)) {
        return "(" + ToSoql(c) + ")";
    }
    return ToSoql(c);
}

struct ConditionPrinter {
    std::string operator()(const Comparison& c) const {
        return ToSoql(c.lhs) + " " + std::string(CompareOpText(c.op)) + " " + ToSoql(c.value);
    }
    std::string operator()(const SetComparison& c) const {
        return ToSoql(c.lhs) + " " + std::string(SetOpText(c.op)) + " (" +
               Join(c.values, ", ", [](const Value& v) { return ToSoql(v); }) + ")";
    }
    std::string operator()(const SemiJoin& s) const {
        return s.lhs.ToString() + (s.anti ? " NOT IN (" : " IN (") + s.subquery->ToSoql() + ")";
    }
    std::string operator()(const Logical& l) const {
        return Join(l.operands, l.op == LogicalOp::kAnd ? " AND " : " OR ", PrintOperand);
    }
    std::string operator()(const Not& n) const { return "NOT " + PrintOperand(*n.operand); }
};

struct ValuePrinter {
    std::string operator()(const NullValue&) const { return "NULL"; }
    std::string operator()(const BoolValue& b) const { return b.value ? "TRUE" : "FALSE"; }
    std::string operator()(const NumberValue& n) const { return n.text; }
    std::string operator()(const StringValue& s) const { return QuoteString(s); }
    std::string operator()(const DateValue& d) const { return d.text; }
    std::string operator()(const DateTimeValue& d) const { return d.text; }
    std::string operator()(const TimeValue& d) const { return d.text; }
    std::string operator()(const DateLiteralValue& d) const {
        std::string out(DateLiteralName(d.kind));
        if (d.n) {
            out += ':';
            out += std::to_string(*d.n);
        }
        return out;
    }
    std::string operator()(const CurrencyValue& c) const { return c.iso_code + c.amount; }
};

struct SelectItemPrinter {
    std::string operator()(const SelectExpr& s) const {
        std::string out = ToSoql(s.expr);
        if (s.alias) {
            out += ' ';
            out += *s.alias;
        }
        return out;
    }
    std::string operator()(const FieldsItem& f) const {
        return "FIELDS(" + std::string(FieldsKindText(f.kind)) + ")";
    }
    std::string operator()(const SubqueryItem& s) const { return "(" + s.query->ToSoql() + ")"; }
    std::string operator()(const TypeOfItem& t) const {
        std::string out = "TYPEOF " + t.field;
        for (const TypeOfWhen& w : t.whens) {
            out += " WHEN " + w.object_type + " THEN " + Join(w.fields, ", ", PrintPath);
        }
        if (!t.else_fields.empty()) {
            out += " ELSE " + Join(t.else_fields, ", ", PrintPath);
        }
        out += " END";
        return out;
    }
};

std::string PrintOrderItem(const OrderItem& o) {
    std::string out = ToSoql(o.expr);
    if (o.direction) {
        out += *o.direction == SortDirection::kAsc ? " ASC" : " DESC";
    }
    if (o.nulls) {
        out += *o.nulls == NullsOrder::kFirst ? " NULLS FIRST" : " NULLS LAST";
    }
    return out;
}

}  // namespace

// ---- tables -----------------------------------------------------------------------------------

bool IsAggregate(Function f) {
    switch (f) {
        case Function::kCount:
        case Function::kCountDistinct:
        case Function::kSum:
        case Function::kAvg:
        case Function::kMin:
        case Function::kMax:
            return true;
        default:
            return false;
    }
}

bool IsDateFunction(Function f) {
    return static_cast<int>(f) >= static_cast<int>(Function::kCalendarMonth) &&
           static_cast<int>(f) <= static_cast<int>(Function::kWeekInYear);
}

std::string_view FunctionName(Function f) {
    return kFunctions[static_cast<std::size_t>(f)].name;
}

std::optional<Function> FindFunction(std::string_view name) {
    for (const FunctionEntry& e : kFunctions) {
        if (EqualsIgnoreCase(e.name, name)) {
            return e.function;
        }
    }
    return std::nullopt;
}

const std::vector<DateLiteralKind>& AllDateLiteralKinds() {
    static const std::vector<DateLiteralKind> kAll = [] {
        std::vector<DateLiteralKind> all;
        for (const DateLiteralEntry& e : kDateLiterals) {
            all.push_back(e.kind);
        }
        return all;
    }();
    return kAll;
}

std::string_view DateLiteralName(DateLiteralKind k) {
    return EntryOf(k).name;
}

bool DateLiteralTakesNumber(DateLiteralKind k) {
    return EntryOf(k).takes_number;
}

std::optional<DateLiteralKind> FindDateLiteral(std::string_view name) {
    for (const DateLiteralEntry& e : kDateLiterals) {
        if (EqualsIgnoreCase(e.name, name)) {
            return e.kind;
        }
    }
    return std::nullopt;
}

bool IsDateLiteralWithNumber(std::string_view name) {
    const std::optional<DateLiteralKind> k = FindDateLiteral(name);
    return k && DateLiteralTakesNumber(*k);
}

// ---- node helpers -----------------------------------------------------------------------------

std::string FieldPath::ToString() const {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += '.';
        }
        out += parts[i];
    }
    return out;
}

SourcePos Expr::Pos() const {
    if (const FieldPath* f = AsField()) {
        return f->pos;
    }
    return AsCall()->pos;
}

std::string StringValue::ToLikePattern(char escape) const {
    std::string out;
    out.reserve(value.size());
    auto next_escaped = escaped_wildcards.begin();
    for (std::size_t i = 0; i < value.size(); ++i) {
        while (next_escaped != escaped_wildcards.end() && *next_escaped < i) {
            ++next_escaped;
        }
        const bool literal = next_escaped != escaped_wildcards.end() && *next_escaped == i;
        const char c = value[i];
        if (literal || c == escape) {
            out += escape;
        }
        out += c;
    }
    return out;
}

std::string QuoteString(const StringValue& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "'";
    auto next_escaped = s.escaped_wildcards.begin();
    for (std::size_t i = 0; i < s.value.size(); ++i) {
        while (next_escaped != s.escaped_wildcards.end() && *next_escaped < i) {
            ++next_escaped;
        }
        const char c = s.value[i];
        const bool escaped_wildcard = next_escaped != s.escaped_wildcards.end() &&
                                      *next_escaped == i && (c == '_' || c == '%');
        if (escaped_wildcard) {
            out += '\\';
            out += c;
            continue;
        }
        switch (c) {
            case '\'':
                out += "\\'";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default: {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 || u == 0x7F) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xF];
                } else {
                    out += c;
                }
            }
        }
    }
    out += '\'';
    return out;
}

// ---- printer ----------------------------------------------------------------------------------

std::string ToSoql(const Expr& e) {
    if (const FieldPath* f = e.AsField()) {
        return f->ToString();
    }
    const Call& call = *e.AsCall();
    if (call.function == Function::kDistance) {
        return "DISTANCE(" + ToSoql(call.args.front()) + ", GEOLOCATION(" + call.geo[0] + ", " +
               call.geo[1] + "), '" + call.geo[2] + "')";
    }
    return std::string(FunctionName(call.function)) + "(" +
           Join(call.args, ", ", [](const Expr& a) { return ToSoql(a); }) + ")";
}

std::string ToSoql(const Value& v) {
    return std::visit(ValuePrinter{}, v.node);
}

std::string ToSoql(const Condition& c) {
    return std::visit(ConditionPrinter{}, c.node);
}

std::string ToSoql(const SelectItem& item) {
    return std::visit(SelectItemPrinter{}, item.node);
}

std::string ToSoql(const OrderItem& o) {
    return PrintOrderItem(o);
}

std::string ToSoql(const Query& q) {
    std::string out = "SELECT ";
    out += Join(q.select, ", ", [](const SelectItem& i) { return ToSoql(i); });
    out += " FROM ";
    out += q.from.ToString();
    if (q.from_alias) {
        out += ' ';
        out += *q.from_alias;
    }
    if (q.using_scope) {
        out += " USING SCOPE ";
        out += *q.using_scope;
    }
    if (q.where) {
        out += " WHERE ";
        out += ToSoql(*q.where);
    }
    if (!q.data_category.empty()) {
        out += " WITH DATA CATEGORY ";
        out += Join(q.data_category, " AND ", [](const DataCategorySelection& d) {
            static constexpr const char* kSelectors[] = {"AT", "ABOVE", "BELOW", "ABOVE_OR_BELOW"};
            std::string s = d.group + ' ' + kSelectors[static_cast<int>(d.selector)] + ' ';
            if (d.categories.size() == 1) {
                return s + d.categories.front();
            }
            return s + "(" + Join(d.categories, ", ", [](const std::string& c) { return c; }) + ")";
        });
    }
    if (q.with_security_enforced) {
        out += " WITH SECURITY_ENFORCED";
    }
    if (q.access_mode) {
        out += *q.access_mode == AccessMode::kUser ? " WITH USER_MODE" : " WITH SYSTEM_MODE";
    }
    if (q.group_by) {
        out += " GROUP BY ";
        const std::string list =
            Join(q.group_by->exprs, ", ", [](const Expr& e) { return ToSoql(e); });
        switch (q.group_by->kind) {
            case GroupByKind::kPlain:
                out += list;
                break;
            case GroupByKind::kRollup:
                out += "ROLLUP(" + list + ")";
                break;
            case GroupByKind::kCube:
                out += "CUBE(" + list + ")";
                break;
        }
    }
    if (q.having) {
        out += " HAVING ";
        out += ToSoql(*q.having);
    }
    if (!q.order_by.empty()) {
        out += " ORDER BY ";
        out += Join(q.order_by, ", ", PrintOrderItem);
    }
    if (q.limit) {
        out += " LIMIT " + std::to_string(*q.limit);
    }
    if (q.offset) {
        out += " OFFSET " + std::to_string(*q.offset);
    }
    if (q.for_clause) {
        switch (*q.for_clause) {
            case ForClause::kView:
                out += " FOR VIEW";
                break;
            case ForClause::kReference:
                out += " FOR REFERENCE";
                break;
            case ForClause::kUpdate:
                out += " FOR UPDATE";
                break;
        }
    }
    if (!q.update.empty()) {
        out += " UPDATE ";
        out += Join(q.update, ", ", [](UpdateKind u) {
            return std::string(u == UpdateKind::kTracking ? "TRACKING" : "VIEWSTAT");
        });
    }
    return out;
}

std::string Query::ToSoql() const {
    return soql::ToSoql(*this);
}

}  // namespace sfkit::soql
