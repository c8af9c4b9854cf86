// The bound form of a SOQL query: names resolved against the org's schema, literals converted
// to typed SQL parameters, the shape of the result records fixed. Produced by the binder,
// turned into SQL by the translator, and walked by the result renderers. Pure data.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"
#include "soql/ast.hpp"

namespace sfkit::server::query {

/// An object reached from the FROM object: rels[0] is the FROM object itself, every other entry
/// is a child-to-parent hop (`Parent`, `Owner`) through a reference field of `parent`.
struct Rel {
    int parent = -1;                ///< index of the rel holding `via`; -1 for the root
    const FieldDef* via = nullptr;  ///< the reference field on the parent rel's object
    std::string name;               ///< canonical relationship name (`Parent`)
    /// The objects the hop can land on, each joined under its own SQL alias (`t<alias>`).
    /// One for ordinary lookups; several for polymorphic ones (Owner -> User/Group, What, Who).
    std::vector<std::pair<const ObjectDef*, int>> targets;
    bool polymorphic = false;
};

/// A stored column reached through a rel. For a polymorphic rel a field may live in several
/// target tables (`COALESCE` of them); its `Id` is the reference value itself.
struct FieldRef {
    int rel = 0;
    std::string name;               ///< canonical field name
    const FieldDef* def = nullptr;  ///< the definition (of the first target that has it)
    std::vector<std::pair<int, const FieldDef*>> sources;  ///< (alias, field) to read
    bool poly_type = false;  ///< `Type` of a polymorphic rel: the object of the referenced id
    bool operator==(const FieldRef& o) const { return rel == o.rel && name == o.name; }
};

/// One value computed by SQL: a field, an aggregate, a date function, GROUPING().
struct BExpr {
    enum class Kind { kField, kCountAll, kAggregate, kDateFunction, kGrouping, kDistance };
    Kind kind = Kind::kField;
    soql::Function function = soql::Function::kCount;
    FieldRef field;  ///< the field itself, or the function's argument
    /// kDistance: `field` is the latitude component, `field2` the longitude; `geo` = latitude,
    /// longitude of GEOLOCATION() and the earth radius in the unit asked for.
    FieldRef field2;
    std::array<double, 3> geo{};
    FieldType type = FieldType::kString;  ///< type of the result (decoding and rendering)
    bool operator==(const BExpr& o) const {
        return kind == o.kind && (kind == Kind::kField || function == o.function) &&
               field == o.field && (kind != Kind::kDistance || geo == o.geo);
    }
};

struct BoundQuery;

/// A WHERE/HAVING condition with every literal already converted to a bound parameter.
struct BCond {
    enum class Kind {
        kAnd,
        kOr,
        kNot,
        kCompare,    ///< lhs op values[0]
        kIsNull,     ///< `= null`
        kIsNotNull,  ///< `!= null`
        kIn,         ///< lhs IN values
        kNotIn,
        kLike,      ///< lhs LIKE values[0] ESCAPE '\'
        kIncludes,  ///< multi-select picklist: any of `sets`, each a set of values all present
        kExcludes,
        kRange,     ///< date literal: op against [values[0], values[1])
        kSemiJoin,  ///< lhs IN (SELECT sub_field FROM sub ...)
        kAntiJoin,
    };
    Kind kind = Kind::kAnd;
    std::vector<BCond> operands;
    BExpr lhs;
    soql::CompareOp op = soql::CompareOp::kEq;
    std::vector<SqlValue> values;
    std::vector<std::vector<std::string>> sets;
    bool nocase = false;  ///< string comparison: case-insensitive like Salesforce
    std::shared_ptr<const BoundQuery> sub;
};

/// ORDER BY item. Salesforce's defaults match SQLite's: ASC puts nulls first, DESC last.
struct BOrder {
    BExpr expr;
    bool desc = false;
    std::optional<bool> nulls_first;
    bool nocase = false;
};

struct OutObject;

/// One key of a result record, in SELECT order.
struct OutItem {
    enum class Kind {
        kColumn,    ///< a value read from `column`
        kCompound,  ///< address/location: nested object from `parts`
        kRelation,  ///< parent relationship: nested record (null when the lookup is empty)
        kChild,     ///< child relationship subquery: nested query result (null when none)
        kPolyType,  ///< `Type` of a polymorphic relationship (from the id in `column`)
    };
    Kind kind = Kind::kColumn;
    std::string key;
    int column = -1;
    std::vector<std::pair<std::string, int>> parts;  ///< compound: (key, column), key order
    std::shared_ptr<OutObject> object;               ///< kRelation
    int child = -1;                                  ///< kChild: index into children
    const FieldDef* def = nullptr;                   ///< for column metadata
    std::string display;  ///< columns=true displayName (`COUNT(Id)`, `Name`)
    bool aggregate = false;
    /// FORMAT(): kColumn values rendered as the user's locale shows them (format_value.hpp).
    bool formatted = false;
};

/// The shape of one record: the FROM object's rows, a parent relationship, or a TYPEOF.
struct OutObject {
    int rel = 0;
    int id_column = -1;  ///< the record's Id (url, and null test for relationships)
    std::vector<OutItem> items;
    /// TYPEOF: the items to show per object type of the referenced record, and ELSE.
    bool typeof_ = false;
    std::vector<std::pair<const ObjectDef*, std::vector<OutItem>>> when;
    std::vector<OutItem> else_items;
};

struct ChildQuery {
    std::string name;              ///< relationship name as Salesforce spells it (`ChildAccounts`)
    const FieldDef* fk = nullptr;  ///< the reference field on the child object
    std::shared_ptr<BoundQuery> query;
    int fk_column = -1;  ///< column of `query` holding the parent id
};

/// The rows of ActivityHistory / OpenActivity, objects without records of their own that a child
/// subquery reads (`SELECT (SELECT Subject FROM OpenActivities) FROM Account`): Task and Event
/// rows, as the Object Reference defines the two [D]: "open activities—future events and open
/// tasks", "closed activities—past events and closed tasks".
struct ActivityRows {
    const ObjectDef* task = nullptr;
    const ObjectDef* event = nullptr;
    bool open = false;  ///< OpenActivity (else ActivityHistory)
};

struct BoundQuery {
    const ObjectDef* object = nullptr;
    /// Set when `object` is ActivityHistory or OpenActivity: FROM reads these rows.
    std::optional<ActivityRows> activity;
    std::vector<Rel> rels;  ///< rels[0]: the FROM object (alias 0)
    int alias_count = 1;
    std::vector<BExpr> columns;  ///< the SQL select list (after the row id)
    OutObject shape;
    std::vector<ChildQuery> children;
    std::optional<BCond> where;
    soql::GroupByKind group_kind = soql::GroupByKind::kPlain;
    std::vector<BExpr> group_by;
    std::optional<BCond> having;
    std::vector<BOrder> order;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    bool aggregate = false;        ///< rows are AggregateResult (GROUP BY or aggregate functions)
    bool count_only = false;       ///< SELECT COUNT(): only totalSize
    bool include_deleted = false;  ///< queryAll
    bool id_selected = false;      ///< columns=true `idSelected`
};

}  // namespace sfkit::server::query
