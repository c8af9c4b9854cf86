// The SOQL syntax tree: what the parser produces and the binder walks. Names are kept as written
// (the binder resolves them case-insensitively); every node prints itself back as canonical
// SOQL (keywords upper case, single spaces), and Parse(ToSoql(q)) == q.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "soql/token.hpp"

namespace sfkit::soql {

/// Where a node starts in the query (1-based), for the binder's positioned errors.
/// Positions never take part in equality: a query and its reprint compare equal.
struct SourcePos {
    int row = 1;
    int column = 1;
    bool operator==(const SourcePos&) const noexcept { return true; }
};

/// Owning pointer with value semantics (deep copy, deep ==), for the recursive parts of the tree.
template <class T>
class Box {
public:
    Box() : ptr_(std::make_unique<T>()) {}
    Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit on purpose
    Box(const Box& other) : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
    Box(Box&&) noexcept = default;
    Box& operator=(const Box& other) {
        if (this != &other) {
            ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
        }
        return *this;
    }
    Box& operator=(Box&&) noexcept = default;
    ~Box() = default;

    T& operator*() { return *ptr_; }
    const T& operator*() const { return *ptr_; }
    T* operator->() { return ptr_.get(); }
    const T* operator->() const { return ptr_.get(); }

    bool operator==(const Box& other) const {
        if (!ptr_ || !other.ptr_) {
            return ptr_ == other.ptr_;
        }
        return *ptr_ == *other.ptr_;
    }

private:
    std::unique_ptr<T> ptr_;
};

struct Query;
struct Condition;
struct Expr;

// ---- expressions ------------------------------------------------------------------------------

/// `Name`, `Account.Owner.Name`: one or more names joined by dots, as written. The first part
/// may be the FROM object or its alias (SOQL allows `SELECT Account.Name FROM Account`); only
/// the binder can tell.
struct FieldPath {
    std::vector<std::string> parts;
    SourcePos pos;

    std::string ToString() const;  ///< parts joined by '.'
    bool operator==(const FieldPath&) const = default;
};

/// Functions SOQL accepts in field positions.
enum class Function {
    // aggregates
    kCount,          ///< COUNT() (no argument) or COUNT(field)
    kCountDistinct,  ///< COUNT_DISTINCT(field)
    kSum,
    kAvg,
    kMin,
    kMax,
    // date functions: argument is a field or convertTimezone(field)
    kCalendarMonth,
    kCalendarQuarter,
    kCalendarYear,
    kDayInMonth,
    kDayInWeek,
    kDayInYear,
    kDayOnly,
    kFiscalMonth,
    kFiscalQuarter,
    kFiscalYear,
    kHourInDay,
    kWeekInMonth,
    kWeekInYear,
    // wrappers
    kToLabel,          ///< toLabel(field)
    kFormat,           ///< FORMAT(field | aggregate | convertCurrency(field))
    kConvertCurrency,  ///< convertCurrency(field)
    kConvertTimezone,  ///< convertTimezone(field), only inside a date function
    kGrouping,         ///< GROUPING(field), with GROUP BY ROLLUP/CUBE
    kDistance,  ///< DISTANCE(field, GEOLOCATION(lat, lon), 'mi'|'km'): `geo` holds lat, lon, unit
};

bool IsAggregate(Function f);
bool IsDateFunction(Function f);
/// The canonical spelling printed by ToSoql (`COUNT_DISTINCT`, `toLabel`, `convertCurrency`).
std::string_view FunctionName(Function f);
/// Case-insensitive lookup of a function name; nullopt for anything else (FIELDS is not one).
std::optional<Function> FindFunction(std::string_view name);

/// `NAME(args)`; `args` is empty only for COUNT().
struct Call {
    Function function = Function::kCount;
    std::vector<Expr> args;
    std::vector<std::string> geo;  ///< DISTANCE only: latitude, longitude (as written), unit
    SourcePos pos;
    bool operator==(const Call&) const = default;
};

/// A field path or a function call.
struct Expr {
    std::variant<FieldPath, Call> node;

    const FieldPath* AsField() const { return std::get_if<FieldPath>(&node); }
    const Call* AsCall() const { return std::get_if<Call>(&node); }
    SourcePos Pos() const;
    bool operator==(const Expr&) const = default;
};

// ---- literal values ---------------------------------------------------------------------------

struct NullValue {
    bool operator==(const NullValue&) const = default;
};

struct BoolValue {
    bool value = false;
    bool operator==(const BoolValue&) const = default;
};

/// A number exactly as written (sign included): `5`, `-5`, `+2.50`. The binder converts it.
struct NumberValue {
    std::string text;
    bool is_integer = true;
    bool operator==(const NumberValue&) const = default;
};

/// A string literal, decoded. `\_` and `\%` decode to `_` / `%` and their offsets are listed in
/// `escaped_wildcards`, so LIKE can treat them as literal characters.
struct StringValue {
    std::string value;
    std::vector<std::size_t> escaped_wildcards;

    /// The LIKE pattern for an SQL `LIKE ... ESCAPE 'escape'`: `%` and `_` stay wildcards unless
    /// they were written `\%` / `\_`; those and `escape` itself are prefixed with `escape`.
    std::string ToLikePattern(char escape) const;
    bool operator==(const StringValue&) const = default;
};

/// `2024-01-31` (text as written, fields parsed).
struct DateValue {
    std::string text;
    DateTimeParts parts;
    bool operator==(const DateValue&) const = default;
};

/// `2024-01-31T10:00:00Z`, `...T10:00:00.000+01:00` (text as written, fields parsed).
struct DateTimeValue {
    std::string text;
    DateTimeParts parts;
    bool operator==(const DateTimeValue&) const = default;
};

/// `01:00:00.000Z` (text as written, hour/minute/second/millis parsed; UTC).
struct TimeValue {
    std::string text;
    DateTimeParts parts;
    bool operator==(const TimeValue&) const = default;
};

/// Every SOQL date literal (SOQL reference, "Date Formats and Date Literals").
enum class DateLiteralKind {
    kYesterday,
    kToday,
    kTomorrow,
    kLastWeek,
    kThisWeek,
    kNextWeek,
    kLastMonth,
    kThisMonth,
    kNextMonth,
    kLast90Days,
    kNext90Days,
    kLastNDays,
    kNextNDays,
    kNDaysAgo,
    kNextNWeeks,
    kLastNWeeks,
    kNWeeksAgo,
    kNextNMonths,
    kLastNMonths,
    kNMonthsAgo,
    kThisQuarter,
    kLastQuarter,
    kNextQuarter,
    kNextNQuarters,
    kLastNQuarters,
    kNQuartersAgo,
    kThisYear,
    kLastYear,
    kNextYear,
    kNextNYears,
    kLastNYears,
    kNYearsAgo,
    kThisFiscalQuarter,
    kLastFiscalQuarter,
    kNextFiscalQuarter,
    kNextNFiscalQuarters,
    kLastNFiscalQuarters,
    kNFiscalQuartersAgo,
    kThisFiscalYear,
    kLastFiscalYear,
    kNextFiscalYear,
    kNextNFiscalYears,
    kLastNFiscalYears,
    kNFiscalYearsAgo,
};

/// All kinds, in declaration order (for tests and tables).
const std::vector<DateLiteralKind>& AllDateLiteralKinds();
std::string_view DateLiteralName(DateLiteralKind k);  ///< `LAST_N_DAYS`, `TODAY`, ...
bool DateLiteralTakesNumber(DateLiteralKind k);       ///< true for the `..._N_...` ones
std::optional<DateLiteralKind> FindDateLiteral(std::string_view name);  ///< case-insensitive

/// `TODAY`, `LAST_N_DAYS:30` (`n` is set exactly when the kind takes a number).
struct DateLiteralValue {
    DateLiteralKind kind = DateLiteralKind::kToday;
    std::optional<std::int64_t> n;
    bool operator==(const DateLiteralValue&) const = default;
};

/// A currency literal of multi-currency orgs: `USD5000`, `EUR12.50` (code upper-cased).
struct CurrencyValue {
    std::string iso_code;
    std::string amount;  ///< as written
    bool operator==(const CurrencyValue&) const = default;
};

struct Value {
    std::variant<NullValue,
                 BoolValue,
                 NumberValue,
                 StringValue,
                 DateValue,
                 DateTimeValue,
                 TimeValue,
                 DateLiteralValue,
                 CurrencyValue>
        node;
    SourcePos pos;
    bool operator==(const Value&) const = default;
};

// ---- conditions (WHERE, HAVING) ---------------------------------------------------------------

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kLike };

/// `lhs op value`. `<>` parses as kNe (printed `!=`).
struct Comparison {
    Expr lhs;
    CompareOp op = CompareOp::kEq;
    Value value;
    SourcePos op_pos;
    bool operator==(const Comparison&) const = default;
};

enum class SetOp { kIn, kNotIn, kIncludes, kExcludes };

/// `lhs IN ('a', 'b')`, `NOT IN`, `INCLUDES ('a;b', 'c')`, `EXCLUDES (...)`.
struct SetComparison {
    Expr lhs;
    SetOp op = SetOp::kIn;
    std::vector<Value> values;
    SourcePos op_pos;
    bool operator==(const SetComparison&) const = default;
};

/// Semi-join `lhs IN (SELECT f FROM X [WHERE ...])` or anti-join (`NOT IN`). The subquery has
/// exactly one plain field in `select` and only `from` and `where` set.
struct SemiJoin {
    FieldPath lhs;
    bool anti = false;
    Box<Query> subquery;
    SourcePos op_pos;
    bool operator==(const SemiJoin&) const = default;
};

enum class LogicalOp { kAnd, kOr };

/// `a AND b AND c` or `a OR b`: SOQL never mixes the two without parentheses. An operand that is
/// itself a Logical was parenthesised in the query (and is printed so).
struct Logical {
    LogicalOp op = LogicalOp::kAnd;
    std::vector<Condition> operands;
    bool operator==(const Logical&) const = default;
};

struct Not {
    Box<Condition> operand;
    SourcePos pos;
    bool operator==(const Not&) const = default;
};

struct Condition {
    std::variant<Comparison, SetComparison, SemiJoin, Logical, Not> node;
    bool operator==(const Condition&) const = default;
};

// ---- SELECT list ------------------------------------------------------------------------------

/// A field or function in the SELECT list, with its alias if any (`COUNT(Id) total`).
struct SelectExpr {
    Expr expr;
    std::optional<std::string> alias;
    SourcePos alias_pos;
    bool operator==(const SelectExpr&) const = default;
};

enum class FieldsKind { kAll, kStandard, kCustom };

/// `FIELDS(ALL)`, `FIELDS(STANDARD)`, `FIELDS(CUSTOM)`.
struct FieldsItem {
    FieldsKind kind = FieldsKind::kAll;
    SourcePos pos;
    bool operator==(const FieldsItem&) const = default;
};

/// A child-relationship subquery in the SELECT list: `(SELECT Id FROM Contacts)`.
struct SubqueryItem {
    Box<Query> query;
    SourcePos pos;
    bool operator==(const SubqueryItem&) const = default;
};

/// `WHEN Account THEN Phone, Name` inside TYPEOF.
struct TypeOfWhen {
    std::string object_type;
    std::vector<FieldPath> fields;
    SourcePos pos;
    bool operator==(const TypeOfWhen&) const = default;
};

/// `TYPEOF What WHEN Account THEN Phone WHEN Opportunity THEN Amount ELSE Name END`.
struct TypeOfItem {
    std::string field;  ///< the polymorphic relationship name (`What`, `Owner`)
    std::vector<TypeOfWhen> whens;
    std::vector<FieldPath> else_fields;  ///< empty when there is no ELSE
    SourcePos pos;
    bool operator==(const TypeOfItem&) const = default;
};

struct SelectItem {
    std::variant<SelectExpr, FieldsItem, SubqueryItem, TypeOfItem> node;
    bool operator==(const SelectItem&) const = default;
};

// ---- clauses ----------------------------------------------------------------------------------

enum class GroupByKind { kPlain, kRollup, kCube };

struct GroupBy {
    GroupByKind kind = GroupByKind::kPlain;
    std::vector<Expr> exprs;
    bool operator==(const GroupBy&) const = default;
};

enum class SortDirection { kAsc, kDesc };
enum class NullsOrder { kFirst, kLast };

/// One ORDER BY item; direction and NULLS are kept only when written.
struct OrderItem {
    Expr expr;
    std::optional<SortDirection> direction;
    std::optional<NullsOrder> nulls;
    bool operator==(const OrderItem&) const = default;
};

enum class ForClause { kView, kReference, kUpdate };
/// `WITH USER_MODE` / `WITH SYSTEM_MODE` (the Apex access modes; `WITH SECURITY_ENFORCED` is the
/// separate `with_security_enforced` flag).
enum class AccessMode { kUser, kSystem };
/// `UPDATE TRACKING` / `UPDATE VIEWSTAT` (Knowledge article statistics).
enum class UpdateKind { kTracking, kViewStat };
/// `WITH DATA CATEGORY Geography__c AT (usa__c, uk__c)`: one selection of the AND-ed list.
enum class CategorySelector { kAt, kAbove, kBelow, kAboveOrBelow };
struct DataCategorySelection {
    std::string group;  ///< as written
    CategorySelector selector = CategorySelector::kAt;
    std::vector<std::string> categories;  ///< one, or the parenthesised list
    bool operator==(const DataCategorySelection&) const = default;
};

/// A SOQL query: the top-level statement, a child-relationship subquery (FROM is a relationship
/// name, possibly `Account.Contacts`) or a semi-join subquery.
struct Query {
    std::vector<SelectItem> select;
    FieldPath from;  ///< one part except in child subqueries
    std::optional<std::string> from_alias;
    std::optional<std::string> using_scope;  ///< as written: `mine`, `Everything`, ...
    std::optional<Condition> where;
    bool with_security_enforced = false;
    std::optional<AccessMode> access_mode;             ///< WITH USER_MODE | SYSTEM_MODE
    std::vector<DataCategorySelection> data_category;  ///< WITH DATA CATEGORY (AND-ed)
    std::optional<GroupBy> group_by;
    std::optional<Condition> having;
    std::vector<OrderItem> order_by;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    std::optional<ForClause> for_clause;
    std::vector<UpdateKind> update;  ///< UPDATE TRACKING, VIEWSTAT
    SourcePos pos;                   ///< of SELECT
    SourcePos limit_pos;             ///< of LIMIT's number, when there is one
    SourcePos offset_pos;

    /// Canonical SOQL: `SELECT Id, Name FROM Account WHERE Name LIKE 'A%' LIMIT 10`.
    std::string ToSoql() const;
    bool operator==(const Query&) const = default;
};

// ---- printing ---------------------------------------------------------------------------------

std::string ToSoql(const Query& q);
std::string ToSoql(const Condition& c);
std::string ToSoql(const Expr& e);
std::string ToSoql(const Value& v);
std::string ToSoql(const SelectItem& item);
std::string ToSoql(const OrderItem& o);

/// `'...'` with the escapes needed to read the same value back (`\'`, `\\`, `\n`, `\_` ...).
std::string QuoteString(const StringValue& s);

}  // namespace sfkit::soql
