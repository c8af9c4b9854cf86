// SOQL binder: names -> schema, literals -> typed parameters, result shape.
#include "server/query/binder.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "sfkit/core/id.hpp"

#include "server/query/date_literals.hpp"
#include "server/query/schema_lookup.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/field_version.hpp"
#include "soql/parser.hpp"

namespace sfkit::server::query {
namespace {

using soql::SourcePos;

bool IEq(std::string_view a, std::string_view b) {
    return soql::EqualsIgnoreCase(a, b);
}

std::string NoSuchColumn(std::string_view field, std::string_view entity) {
    // Recorded text (§B.11).
    return "No such column '" + std::string(field) + "' on entity '" + std::string(entity) +
           "'. If you are attempting to use a custom field, be sure to append the '__c' after "
           "the custom field name. Please reference your WSDL or the describe call for the "
           "appropriate names.";
}

std::string BadRelationship(std::string_view name) {
    return "Didn't understand relationship '" + std::string(name) +
           "' in field path. If you are attempting to use a custom relationship, be sure to "
           "append the '__r' after the custom relationship name. Please reference your WSDL or "
           "the describe call for the appropriate names.";
}

std::string UnsupportedType(std::string_view name) {
    // Recorded text (§B.11, CumulusCI cassette).
    return "sObject type '" + std::string(name) +
           "' is not supported. If you are attempting to use a custom object, be sure to "
           "append the '__c' after the entity name. Please reference your WSDL or the describe "
           "call for the appropriate names.";
}

/// The type word of `value of filter criterion for field 'X' must be of type <word>`.
std::string_view TypeWord(FieldType t) {
    switch (t) {
        case FieldType::kId:
        case FieldType::kReference:
            return "id";
        case FieldType::kBoolean:
            return "boolean";
        case FieldType::kInt:
            return "integer";
        case FieldType::kLong:
            return "long";
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
            return "double";
        case FieldType::kDate:
            return "date";
        case FieldType::kDateTime:
            return "dateTime";
        case FieldType::kTime:
            return "time";
        default:
            return "string";
    }
}

/// The word of `invalid operator on <word> field` (describe type names, ids as "id").
std::string OperatorWord(FieldType t) {
    if (t == FieldType::kId || t == FieldType::kReference) {
        return "id";
    }
    return std::string(TypeName(t));
}

// The `Name` entity behind polymorphic relationships (SOAP API object reference, "Name").
constexpr std::array<std::string_view, 20> kNameFields = {"Id",
                                                          "Name",
                                                          "LastName",
                                                          "FirstName",
                                                          "Type",
                                                          "Alias",
                                                          "UserRoleId",
                                                          "RecordTypeId",
                                                          "IsActive",
                                                          "ProfileId",
                                                          "Title",
                                                          "Email",
                                                          "Phone",
                                                          "NameOrAlias",
                                                          "Username",
                                                          "SmallPhotoUrl",
                                                          "MediumPhotoUrl",
                                                          "LastReferencedDate",
                                                          "LastViewedDate",
                                                          "CommunityNickname"};

bool IsScope(std::string_view s) {
    static constexpr std::array<std::string_view, 11> kScopes = {"delegated",
                                                                 "everything",
                                                                 "mine",
                                                                 "mine_and_my_groups",
                                                                 "my_territory",
                                                                 "my_team_territory",
                                                                 "team",
                                                                 "allprivate",
                                                                 "mineandmygroups",
                                                                 "scopingrule",
                                                                 "application"};
    return std::any_of(
        kScopes.begin(), kScopes.end(), [&](std::string_view k) { return IEq(k, s); });
}

soql::Function Unwrap(const soql::Expr*& e) {
    // toLabel, FORMAT and convertCurrency are accepted as the identity (§ docs/soql.md).
    soql::Function outer = soql::Function::kCount;
    bool wrapped = false;
    while (const soql::Call* c = e->AsCall()) {
        if ((c->function == soql::Function::kToLabel || c->function == soql::Function::kFormat ||
             c->function == soql::Function::kConvertCurrency ||
             c->function == soql::Function::kConvertTimezone) &&
            !c->args.empty()) {
            if (!wrapped) {
                outer = c->function;
                wrapped = true;
            }
            e = &c->args.front();
            continue;
        }
        break;
    }
    return outer;
}

class Binder {
public:
    Binder(const Schema& schema, std::string_view text, const BindContext& ctx)
        : schema_(schema), text_(text), ctx_(ctx), today_(DayOf(ctx.now)) {}

    std::shared_ptr<BoundQuery> Top(const soql::Query& q) {
        const ObjectDef* object = FindQueryable(q.from.parts.front(), q.from.pos);
        auto b = std::make_shared<BoundQuery>();
        Scope scope;
        scope.b = b.get();
        scope.names = {object->name};
        if (q.from_alias) {
            scope.alias = *q.from_alias;
        }
        BindQuery(scope, q, *object, /*child=*/false);
        return b;
    }

private:
    struct Scope {
        BoundQuery* b = nullptr;
        std::optional<std::string> alias;
        std::vector<std::string> names;  ///< names that may lead a field path
        std::map<int, OutObject*> objects;
        int expr_counter = 0;
    };

    [[noreturn]] void Fail(std::string_view code, SourcePos pos, std::string reason) const {
        throw soql::SoqlException(soql::MakePositionedError(
            std::string(code), text_, pos.row, pos.column, std::move(reason)));
    }

    const ObjectDef* FindQueryable(const std::string& name, SourcePos pos) const {
        const ObjectDef* object = schema_.FindObject(name);
        if (object == nullptr || !VisibleIn(*object, ctx_.api_major)) {
            Fail(kInvalidType, pos, UnsupportedType(name));
        }
        if (!object->flags.queryable) {
            // An object that exists but answers describe only (ActivityHistory, ...): the
            // plain message real orgs send [R] (client logs quoting the 400 body).
            throw soql::SoqlException(
                soql::MakePlainError("INVALID_TYPE_FOR_OPERATION",
                                     "entity type " + object->name + " does not support query"));
        }
        return object;
    }

    // ---- query levels --------------------------------------------------------------------

    void BindQuery(Scope& scope, const soql::Query& q, const ObjectDef& object, bool child) {
        BoundQuery& b = *scope.b;
        b.object = &object;
        b.include_deleted = ctx_.query_all;
        b.rels.push_back(Rel{-1, nullptr, object.name, {{&object, 0}}, false});
        b.alias_count = 1;

        // Aggregate queries: GROUP BY, or an aggregate function anywhere in SELECT.
        bool has_aggregate = q.group_by.has_value();
        bool count_all = false;
        for (const soql::SelectItem& item : q.select) {
            if (const auto* se = std::get_if<soql::SelectExpr>(&item.node)) {
                const soql::Expr* e = &se->expr;
                Unwrap(e);
                if (const soql::Call* c = e->AsCall()) {
                    if (c->function == soql::Function::kCount && c->args.empty()) {
                        count_all = true;
                    } else if (soql::IsAggregate(c->function) ||
                               c->function == soql::Function::kGrouping) {
                        has_aggregate = true;
                    }
                }
            }
        }
        if (count_all) {
            if (q.select.size() != 1) {
                Fail(soql::kMalformedQuery,
                     q.pos,
                     "COUNT() must be the only element in the SELECT list.");
            }
            b.count_only = true;
        }
        b.aggregate = has_aggregate && !b.count_only;

        if (!b.aggregate && !b.count_only) {
            b.shape.rel = 0;
            b.shape.id_column = AddColumn(b, FieldExpr(IdRef(b, 0)));
        }
        if (q.group_by) {
            BindGroupBy(scope, *q.group_by);
        }
        if (!b.count_only) {
            for (const soql::SelectItem& item : q.select) {
                BindSelectItem(scope, item, child);
            }
        }
        if (q.where) {
            b.where = BindCond(scope, *q.where, false);
        }
        if (!q.data_category.empty()) {
            // Only Knowledge articles and questions carry data categories; the local org has
            // neither, so the filter can match nothing meaningfully (the text is sfkit's).
            Fail(soql::kMalformedQuery,
                 q.pos,
                 "WITH DATA CATEGORY is only supported for Knowledge articles and questions, not " +
                     object.name);
        }
        if (q.using_scope) {
            if (!IsScope(*q.using_scope)) {
                Fail(soql::kMalformedQuery, q.pos, "Invalid scope: " + *q.using_scope);
            }
            if (std::optional<std::string> filter = ScopeFilter(object, *q.using_scope)) {
                BCond scoped = BindInternalCondition(scope, object, *filter);
                if (b.where) {
                    BCond both;
                    both.kind = BCond::Kind::kAnd;
                    both.operands.push_back(std::move(*b.where));
                    both.operands.push_back(std::move(scoped));
                    b.where = std::move(both);
                } else {
                    b.where = std::move(scoped);
                }
            }
        }
        if (q.having) {
            if (!b.aggregate) {
                Fail(soql::kMalformedQuery,
                     q.pos,
                     "HAVING clause is only allowed in aggregate queries");
            }
            b.having = BindCond(scope, *q.having, true);
        }
        for (const soql::OrderItem& o : q.order_by) {
            BOrder bo;
            bo.expr = BindOrderExpr(scope, o.expr);
            bo.desc = o.direction == soql::SortDirection::kDesc;
            if (o.nulls) {
                bo.nulls_first = *o.nulls == soql::NullsOrder::kFirst;
            }
            bo.nocase = IsStringLike(bo.expr.type) && bo.expr.kind != BExpr::Kind::kAggregate;
            b.order.push_back(std::move(bo));
        }
        b.limit = q.limit;
        b.offset = q.offset;
    }

    // ---- names ---------------------------------------------------------------------------

    /// `f` when the request's API version has it (VisibleIn, field_version.hpp), else nullptr: a
    /// field newer than the version is as unknown as a misspelt one.
    const FieldDef* Visible(const FieldDef* f) const {
        return f != nullptr && VisibleIn(*f, ctx_.api_major) ? f : nullptr;
    }

    int AliasOf(const BoundQuery& b, int rel) const { return b.rels[rel].targets.front().second; }

    FieldRef IdRef(const BoundQuery& b, int rel) const {
        const Rel& r = b.rels[rel];
        if (r.polymorphic) {
            return FieldRef{rel, "Id", r.via, {{AliasOf(b, r.parent), r.via}}, false};
        }
        const ObjectDef* o = r.targets.front().first;
        return FieldRef{
            rel, "Id", &o->IdField(), {{r.targets.front().second, &o->IdField()}}, false};
    }

    static BExpr FieldExpr(FieldRef f) {
        BExpr e;
        e.kind = BExpr::Kind::kField;
        e.type = f.poly_type ? FieldType::kString : f.name == "Id" ? FieldType::kId : f.def->type;
        e.field = std::move(f);
        return e;
    }

    static int AddColumn(BoundQuery& b, const BExpr& e) {
        for (std::size_t i = 0; i < b.columns.size(); ++i) {
            if (b.columns[i] == e) {
                return static_cast<int>(i);
            }
        }
        b.columns.push_back(e);
        return static_cast<int>(b.columns.size() - 1);
    }

    int Hop(Scope& scope, int rel, const std::string& name, SourcePos pos) {
        BoundQuery& b = *scope.b;
        if (b.rels[rel].polymorphic) {
            Fail(kInvalidField, pos, BadRelationship(name));
        }
        const ObjectDef& from = *b.rels[rel].targets.front().first;
        const FieldDef* via = Visible(FindParentRelationship(from, name));
        if (via == nullptr) {
            Fail(kInvalidField, pos, BadRelationship(name));
        }
        for (std::size_t i = 1; i < b.rels.size(); ++i) {
            if (b.rels[i].parent == rel && b.rels[i].via == via) {
                return static_cast<int>(i);
            }
        }
        const auto targets = ReferenceTargets(schema_, *via);
        if (targets.empty()) {
            Fail(kInvalidField, pos, BadRelationship(name));
        }
        Rel r;
        r.parent = rel;
        r.via = via;
        r.name = !via->relationship_name.empty()
                     ? via->relationship_name
                     : via->name.substr(0, via->name.size() - 3) + "__r";
        r.polymorphic = via->reference_to.size() > 1;
        for (const ObjectDef* t : targets) {
            r.targets.emplace_back(t, b.alias_count++);
        }
        b.rels.push_back(std::move(r));
        return static_cast<int>(b.rels.size() - 1);
    }

    FieldRef FieldOn(Scope& scope, int rel, const std::string& name, SourcePos pos) {
        const BoundQuery& b = *scope.b;
        const Rel& r = b.rels[rel];
        if (!r.polymorphic) {
            const ObjectDef& o = *r.targets.front().first;
            const FieldDef* def = Visible(o.FindField(name));
            if (def == nullptr) {
                Fail(kInvalidField, pos, NoSuchColumn(name, o.name));
            }
            return FieldRef{rel, def->name, def, {{r.targets.front().second, def}}, false};
        }
        if (IEq(name, "Id")) {
            return IdRef(b, rel);
        }
        if (IEq(name, "Type")) {
            return FieldRef{rel, "Type", r.via, {{AliasOf(b, r.parent), r.via}}, true};
        }
        const auto it = std::find_if(
            kNameFields.begin(), kNameFields.end(), [&](auto f) { return IEq(f, name); });
        FieldRef out{rel, "", nullptr, {}, false};
        if (it != kNameFields.end()) {
            for (const auto& [object, alias] : r.targets) {
                if (const FieldDef* def = Visible(object->FindField(name))) {
                    if (out.def == nullptr) {
                        out.def = def;
                        out.name = def->name;
                    }
                    out.sources.emplace_back(alias, def);
                }
            }
        }
        if (out.def == nullptr) {
            Fail(kInvalidField, pos, NoSuchColumn(name, "Name"));
        }
        return out;
    }

    /// Resolves `Name`, `Parent.Name`, `Account.Parent.Name` (leading object name or alias).
    FieldRef ResolvePath(Scope& scope, const soql::FieldPath& path) {
        const BoundQuery& b = *scope.b;
        std::size_t first = 0;
        if (path.parts.size() > 1) {
            const std::string& lead = path.parts.front();
            const bool is_alias = scope.alias && IEq(*scope.alias, lead);
            const bool is_name = std::any_of(scope.names.begin(),
                                             scope.names.end(),
                                             [&](const auto& n) { return IEq(n, lead); }) &&
                                 FindParentRelationship(*b.object, lead) == nullptr;
            if (is_alias || is_name) {
                first = 1;
            }
        }
        int rel = 0;
        for (std::size_t i = first; i + 1 < path.parts.size(); ++i) {
            rel = Hop(scope, rel, path.parts[i], path.pos);
        }
        return FieldOn(scope, rel, path.parts.back(), path.pos);
    }

    OutObject& ObjectFor(Scope& scope, int rel) {
        BoundQuery& b = *scope.b;
        if (rel == 0) {
            return b.shape;
        }
        if (auto it = scope.objects.find(rel); it != scope.objects.end()) {
            return *it->second;
        }
        OutObject& parent = ObjectFor(scope, b.rels[rel].parent);
        OutItem item;
        item.kind = OutItem::Kind::kRelation;
        item.key = b.rels[rel].name;
        item.display = item.key;
        item.def = b.rels[rel].via;
        item.object = std::make_shared<OutObject>();
        item.object->rel = rel;
        item.object->id_column = AddColumn(b, FieldExpr(IdRef(b, rel)));
        OutObject* out = item.object.get();
        parent.items.push_back(std::move(item));
        scope.objects.emplace(rel, out);
        return *out;
    }

    void CheckDuplicate(const std::vector<OutItem>& items, const std::string& key, SourcePos pos) {
        for (const OutItem& i : items) {
            if (IEq(i.key, key)) {
                Fail(soql::kMalformedQuery, pos, "duplicate field selected: " + key);
            }
        }
    }

    OutItem FieldItem(BoundQuery& b, const FieldRef& f) {
        OutItem item;
        item.key = f.name;
        item.display = f.name;
        item.def = f.def;
        if (f.poly_type) {
            item.kind = OutItem::Kind::kPolyType;
            item.column = AddColumn(b, FieldExpr(f));
            item.def = nullptr;
        } else if (f.def != nullptr && f.def->IsCompound()) {
            item.kind = OutItem::Kind::kCompound;
            const ObjectDef& o = *b.rels[f.rel].targets.front().first;
            auto parts = o.ComponentsOf(*f.def);
            std::sort(parts.begin(), parts.end(), [&](std::size_t x, std::size_t y) {
                return o.fields[x].compound_key < o.fields[y].compound_key;
            });
            for (std::size_t p : parts) {
                const FieldDef* component = &o.fields[p];
                FieldRef cf{f.rel,
                            component->name,
                            component,
                            {{f.sources.front().first, component}},
                            false};
                item.parts.emplace_back(component->compound_key, AddColumn(b, FieldExpr(cf)));
            }
        } else {
            item.kind = OutItem::Kind::kColumn;
            item.column = AddColumn(b, FieldExpr(f));
        }
        return item;
    }

    /// A plain field column; `alias` (FORMAT / convertCurrency only, checked by the parser)
    /// renames its key.
    void AddFieldItem(Scope& scope,
                      const soql::FieldPath& path,
                      const std::optional<std::string>& alias = std::nullopt,
                      soql::SourcePos alias_pos = {},
                      bool formatted = false) {
        const FieldRef f = ResolvePath(scope, path);
        OutObject& object = ObjectFor(scope, f.rel);
        OutItem item = FieldItem(*scope.b, f);
        if (alias) {
            item.key = *alias;
        }
        item.formatted = formatted && item.kind == OutItem::Kind::kColumn;
        CheckDuplicate(object.items, item.key, alias ? alias_pos : path.pos);
        object.items.push_back(std::move(item));
    }

    // ---- SELECT ----------------------------------------------------------------------------

    void BindSelectItem(Scope& scope, const soql::SelectItem& item, bool child) {
        BoundQuery& b = *scope.b;
        if (const auto* se = std::get_if<soql::SelectExpr>(&item.node)) {
            BindSelectExpr(scope, *se);
        } else if (const auto* fi = std::get_if<soql::FieldsItem>(&item.node)) {
            if (b.aggregate) {
                Fail(
                    soql::kMalformedQuery, fi->pos, "FIELDS() is not allowed in aggregate queries");
            }
            for (const FieldDef& f : b.object->fields) {
                const bool take = (fi->kind == soql::FieldsKind::kAll ||
                                   (fi->kind == soql::FieldsKind::kCustom) == f.custom) &&
                                  VisibleIn(f, ctx_.api_major);
                const bool present =
                    std::any_of(b.shape.items.begin(), b.shape.items.end(), [&](const OutItem& i) {
                        return IEq(i.key, f.name);
                    });
                if (take && !present) {
                    b.shape.items.push_back(
                        FieldItem(b, FieldRef{0, f.name, &f, {{0, &f}}, false}));
                }
            }
        } else if (const auto* sub = std::get_if<soql::SubqueryItem>(&item.node)) {
            if (b.aggregate) {
                Fail(soql::kMalformedQuery,
                     sub->pos,
                     "Aggregate queries do not support child relationship subqueries");
            }
            (void)child;
            BindChild(scope, *sub);
        } else if (const auto* to = std::get_if<soql::TypeOfItem>(&item.node)) {
            if (b.aggregate) {
                Fail(soql::kMalformedQuery, to->pos, "TYPEOF is not allowed in aggregate queries");
            }
            BindTypeOf(scope, *to);
        }
    }

    void BindSelectExpr(Scope& scope, const soql::SelectExpr& se) {
        BoundQuery& b = *scope.b;
        const soql::Expr* e = &se.expr;
        // FORMAT() is always the outermost wrapper (FORMAT(convertCurrency(x)), FORMAT(MIN(x))).
        const bool formatted = Unwrap(e) == soql::Function::kFormat;
        if (const soql::FieldPath* path = e->AsField()) {
            if (!b.aggregate) {
                AddFieldItem(scope, *path, se.alias, se.alias_pos, formatted);
                return;
            }
            const FieldRef f = ResolvePath(scope, *path);
            const BExpr ex = FieldExpr(f);
            if (std::find(b.group_by.begin(), b.group_by.end(), ex) == b.group_by.end()) {
                Fail(soql::kMalformedQuery,
                     path->pos,
                     "Field must be grouped or aggregated: " + path->ToString());
            }
            OutItem item = FieldItem(b, f);
            item.key = se.alias.value_or(f.name);
            item.formatted = formatted && item.kind == OutItem::Kind::kColumn;
            CheckDuplicate(b.shape.items, item.key, path->pos);
            b.shape.items.push_back(std::move(item));
            return;
        }
        const soql::Call& call = *e->AsCall();
        if (call.function == soql::Function::kDistance && !b.aggregate) {
            // A computed column: the alias, else `exprN` like any unaliased function column
            // (sfkit's reading of the documented `expri` rule [M]); a number (double).
            BExpr ex = BindDistance(scope, call);
            OutItem item;
            item.kind = OutItem::Kind::kColumn;
            item.key = se.alias ? *se.alias : "expr" + std::to_string(scope.expr_counter++);
            item.display = soql::ToSoql(se.expr);
            item.column = AddColumn(b, ex);
            CheckDuplicate(b.shape.items, item.key, se.alias ? se.alias_pos : call.pos);
            b.shape.items.push_back(std::move(item));
            return;
        }
        if (call.function == soql::Function::kDistance) {
            Fail(soql::kMalformedQuery,
                 call.pos,
                 "Field must be grouped or aggregated: " + soql::ToSoql(se.expr));
        }
        BExpr ex = BindGroupedCall(scope, call, "Field", se.expr);
        OutItem item;
        item.kind = OutItem::Kind::kColumn;
        item.key = se.alias ? *se.alias : "expr" + std::to_string(scope.expr_counter++);
        item.display = soql::ToSoql(se.expr);
        item.def = ex.field.def;
        item.aggregate = true;
        item.formatted = formatted;
        item.column = AddColumn(b, ex);
        CheckDuplicate(b.shape.items, item.key, se.alias ? se.alias_pos : call.pos);
        b.shape.items.push_back(std::move(item));
    }

    /// A function call in SELECT or ORDER BY: only in aggregate queries, and a date function
    /// only when it is one of the GROUP BY expressions (else `<what> must be grouped or
    /// aggregated: <shown>`).
    BExpr BindGroupedCall(Scope& scope,
                          const soql::Call& call,
                          std::string_view what,
                          const soql::Expr& shown) {
        const BoundQuery& b = *scope.b;
        if (!b.aggregate) {
            Fail(soql::kMalformedQuery,
                 call.pos,
                 std::string(soql::FunctionName(call.function)) +
                     " is only allowed in aggregate queries (with GROUP BY or an aggregate "
                     "function)");
        }
        BExpr ex = BindCallExpr(scope, call, /*allow_aggregate=*/true);
        if (ex.kind == BExpr::Kind::kDateFunction &&
            std::find(b.group_by.begin(), b.group_by.end(), ex) == b.group_by.end()) {
            Fail(soql::kMalformedQuery,
                 call.pos,
                 std::string(what) + " must be grouped or aggregated: " + soql::ToSoql(shown));
        }
        return ex;
    }

    /// DISTANCE(field, GEOLOCATION(lat, lon), unit): the field is an address or geolocation
    /// compound; the distance is computed from its latitude and longitude components.
    BExpr BindDistance(Scope& scope, const soql::Call& call) {
        const soql::FieldPath& path = *call.args.front().AsField();
        const FieldRef f = ResolvePath(scope, path);
        if (f.def == nullptr ||
            (f.def->type != FieldType::kAddress && f.def->type != FieldType::kLocation)) {
            Fail(kInvalidField,
                 path.pos,
                 "DISTANCE() needs a geolocation or address field: " + path.ToString());
        }
        const ObjectDef& owner =
            *scope.b->rels[static_cast<std::size_t>(f.rel)].targets.front().first;
        BExpr e;
        e.kind = BExpr::Kind::kDistance;
        e.function = call.function;
        e.type = FieldType::kDouble;
        for (std::size_t i : owner.ComponentsOf(*f.def)) {
            const FieldDef& part = owner.fields[i];
            FieldRef* target = part.compound_key == "latitude"    ? &e.field
                               : part.compound_key == "longitude" ? &e.field2
                                                                  : nullptr;
            if (target != nullptr) {
                *target = f;
                target->name = part.name;
                target->def = &part;
                for (auto& source : target->sources) {
                    source.second = &part;
                }
            }
        }
        const double lat = std::stod(call.geo[0]);
        const double lon = std::stod(call.geo[1]);
        if (e.field.def == nullptr || e.field2.def == nullptr || lat < -90 || lat > 90 ||
            lon < -180 || lon > 180) {
            Fail(soql::kMalformedQuery,
                 call.pos,
                 "Invalid DISTANCE() arguments: " + soql::ToSoql(soql::Expr{call}));
        }
        // Mean earth radius (IUGG): 6371.0088 km, 3958.7613 mi.
        e.geo = {lat, lon, IEq(call.geo[2], "km") ? 6371.0088 : 3958.7613};
        return e;
    }

    BExpr BindCallExpr(Scope& scope, const soql::Call& call, bool allow_aggregate) {
        BoundQuery& b = *scope.b;
        using F = soql::Function;
        if (call.function == F::kCount && call.args.empty()) {
            BExpr e;
            e.kind = BExpr::Kind::kCountAll;
            e.type = FieldType::kInt;
            return e;
        }
        if (call.function == F::kDistance) {
            return BindDistance(scope, call);
        }
        const soql::Expr* arg = &call.args.front();
        Unwrap(arg);
        if (arg->AsCall() != nullptr) {
            Fail(soql::kMalformedQuery,
                 arg->Pos(),
                 "Nested functions are not supported: " + soql::ToSoql(*arg));
        }
        const soql::FieldPath& path = *arg->AsField();
        const FieldRef f = ResolvePath(scope, path);
        const FieldDef& def = *f.def;
        const FieldType ft = f.name == "Id" ? FieldType::kId : def.type;
        BExpr e;
        e.function = call.function;
        e.field = f;
        const std::string fname = std::string(soql::FunctionName(call.function));
        if (soql::IsAggregate(call.function)) {
            if (!allow_aggregate) {
                Fail(soql::kMalformedQuery,
                     call.pos,
                     "Aggregate functions are not allowed in this clause: " + fname);
            }
            e.kind = BExpr::Kind::kAggregate;
            const auto unsupported = [&] {
                Fail(kInvalidField,
                     path.pos,
                     "field " + f.name + " does not support aggregate operator " + fname);
            };
            if (IsLongText(def) || def.IsCompound()) {
                unsupported();
            }
            switch (call.function) {
                case F::kCount:
                case F::kCountDistinct:
                    e.type = FieldType::kInt;
                    break;
                case F::kSum:
                    if (!IsNumeric(ft)) {
                        unsupported();
                    }
                    e.type = ft == FieldType::kInt || ft == FieldType::kLong ? FieldType::kLong
                                                                             : FieldType::kDouble;
                    break;
                case F::kAvg:
                    if (!IsNumeric(ft)) {
                        unsupported();
                    }
                    e.type = FieldType::kDouble;
                    break;
                default:  // MIN, MAX
                    if (ft == FieldType::kBoolean || ft == FieldType::kMultiPicklist) {
                        unsupported();
                    }
                    e.type = ft;
            }
            return e;
        }
        if (soql::IsDateFunction(call.function)) {
            if (ft != FieldType::kDate && ft != FieldType::kDateTime) {
                Fail(kInvalidField,
                     path.pos,
                     "Invalid field " + f.name + " for date function " + fname +
                         ": the field must be a date or datetime field");
            }
            if (call.function == F::kHourInDay && ft != FieldType::kDateTime) {
                Fail(kInvalidField,
                     path.pos,
                     "Invalid field " + f.name + " for date function " + fname +
                         ": the field must be a datetime field");
            }
            e.kind = BExpr::Kind::kDateFunction;
            e.type = call.function == F::kDayOnly ? FieldType::kDate : FieldType::kInt;
            return e;
        }
        if (call.function == F::kGrouping) {
            if (b.group_kind == soql::GroupByKind::kPlain || b.group_by.empty()) {
                Fail(soql::kMalformedQuery,
                     call.pos,
                     "GROUPING() is only allowed with GROUP BY ROLLUP or GROUP BY CUBE");
            }
            if (std::find(b.group_by.begin(), b.group_by.end(), FieldExpr(f)) == b.group_by.end()) {
                Fail(soql::kMalformedQuery,
                     path.pos,
                     "GROUPING() argument must be a grouped field: " + path.ToString());
            }
            e.kind = BExpr::Kind::kGrouping;
            e.type = FieldType::kInt;
            return e;
        }
        Fail(soql::kMalformedQuery, call.pos, "Unexpected function: " + fname);
    }

    void BindChild(Scope& scope, const soql::SubqueryItem& item) {
        BoundQuery& b = *scope.b;
        const soql::Query& q = *item.query;
        const std::vector<std::string>& parts = q.from.parts;
        const std::string& name = parts.back();
        const std::string bad =
            "Didn't understand relationship '" + name +
            "' in FROM part of query call. If you are attempting to use a custom relationship, "
            "be sure to append the '__r' after the custom relationship name. Please reference "
            "your WSDL or the describe call for the appropriate names.";
        if (parts.size() > 2 || (parts.size() == 2 && !IEq(parts.front(), b.object->name) &&
                                 !(scope.alias && IEq(parts.front(), *scope.alias)))) {
            Fail(kInvalidType, q.from.pos, bad);
        }
        const auto rel = FindChildRelationship(schema_, *b.object, name);
        if (!rel || Visible(rel->field) == nullptr || !VisibleIn(*rel->child, ctx_.api_major)) {
            Fail(kInvalidType, q.from.pos, bad);
        }
        CheckDuplicate(b.shape.items, rel->name, q.from.pos);
        ChildQuery cq;
        cq.name = rel->name;
        cq.fk = rel->field;
        cq.query = std::make_shared<BoundQuery>();
        Scope child_scope;
        child_scope.b = cq.query.get();
        child_scope.names = {rel->child->name, rel->name};
        if (q.from_alias) {
            child_scope.alias = *q.from_alias;
        }
        BindQuery(child_scope, q, *rel->child, /*child=*/true);
        if (rel->child->name == "ActivityHistory" || rel->child->name == "OpenActivity") {
            cq.query->activity = ActivityRows{schema_.FindObject("Task"),
                                              schema_.FindObject("Event"),
                                              rel->child->name == "OpenActivity"};
        }
        if (cq.query->aggregate || cq.query->count_only) {
            Fail(soql::kMalformedQuery,
                 q.pos,
                 "Aggregate functions are not allowed in child relationship subqueries");
        }
        cq.fk_column = AddColumn(
            *cq.query,
            FieldExpr(FieldRef{0, rel->field->name, rel->field, {{0, rel->field}}, false}));
        OutItem out;
        out.kind = OutItem::Kind::kChild;
        out.key = cq.name;
        out.display = cq.name;
        out.child = static_cast<int>(b.children.size());
        b.children.push_back(std::move(cq));
        b.shape.items.push_back(std::move(out));
    }

    void BindTypeOf(Scope& scope, const soql::TypeOfItem& item) {
        BoundQuery& b = *scope.b;
        const int rel = Hop(scope, 0, item.field, item.pos);
        const Rel& r = b.rels[rel];
        CheckDuplicate(b.shape.items, r.name, item.pos);
        OutItem out;
        out.kind = OutItem::Kind::kRelation;
        out.key = r.name;
        out.display = r.name;
        out.def = r.via;
        out.object = std::make_shared<OutObject>();
        out.object->rel = rel;
        out.object->typeof_ = true;
        out.object->id_column = AddColumn(b, FieldExpr(IdRef(b, rel)));
        for (const soql::TypeOfWhen& when : item.whens) {
            const ObjectDef* target = FindQueryable(when.object_type, when.pos);
            const auto t = std::find_if(r.targets.begin(), r.targets.end(), [&](const auto& p) {
                return p.first == target;
            });
            if (t == r.targets.end()) {
                Fail(kInvalidType,
                     when.pos,
                     "Invalid type '" + target->name + "' in TYPEOF for relationship " + r.name);
            }
            std::vector<OutItem> items;
            for (const soql::FieldPath& p : when.fields) {
                if (p.parts.size() != 1) {
                    Fail(kInvalidField, p.pos, BadRelationship(p.parts.front()));
                }
                const FieldDef* def = Visible(target->FindField(p.parts.front()));
                if (def == nullptr) {
                    Fail(kInvalidField, p.pos, NoSuchColumn(p.parts.front(), target->name));
                }
                CheckDuplicate(items, def->name, p.pos);
                items.push_back(
                    FieldItem(b, FieldRef{rel, def->name, def, {{t->second, def}}, false}));
            }
            out.object->when.emplace_back(target, std::move(items));
        }
        for (const soql::FieldPath& p : item.else_fields) {
            if (p.parts.size() != 1) {
                Fail(kInvalidField, p.pos, BadRelationship(p.parts.front()));
            }
            const FieldRef f = FieldOn(scope, rel, p.parts.front(), p.pos);
            CheckDuplicate(out.object->else_items, f.name, p.pos);
            out.object->else_items.push_back(FieldItem(b, f));
        }
        b.shape.items.push_back(std::move(out));
    }

    // ---- GROUP BY / ORDER BY -------------------------------------------------------------

    void BindGroupBy(Scope& scope, const soql::GroupBy& g) {
        BoundQuery& b = *scope.b;
        b.group_kind = g.kind;
        for (const soql::Expr& raw : g.exprs) {
            const soql::Expr* e = &raw;
            Unwrap(e);
            BExpr ex;
            if (const soql::FieldPath* path = e->AsField()) {
                const FieldRef f = ResolvePath(scope, *path);
                if (f.def == nullptr || (!f.poly_type && !Groupable(*f.def))) {
                    Fail(kInvalidField,
                         path->pos,
                         "field '" + f.name + "' can not be grouped in a query call");
                }
                ex = FieldExpr(f);
            } else {
                ex = BindCallExpr(scope, *e->AsCall(), /*allow_aggregate=*/false);
                if (ex.kind != BExpr::Kind::kDateFunction) {
                    Fail(soql::kMalformedQuery,
                         e->Pos(),
                         "GROUP BY accepts only fields and date functions");
                }
            }
            b.group_by.push_back(std::move(ex));
        }
    }

    BExpr BindOrderExpr(Scope& scope, const soql::Expr& raw) {
        BoundQuery& b = *scope.b;
        const soql::Expr* e = &raw;
        Unwrap(e);
        if (const soql::FieldPath* path = e->AsField()) {
            const FieldRef f = ResolvePath(scope, *path);
            if (!f.poly_type && !Sortable(*f.def)) {
                Fail(kInvalidField,
                     path->pos,
                     "field '" + f.name + "' can not be sorted in a query call");
            }
            BExpr ex = FieldExpr(f);
            if (b.aggregate &&
                std::find(b.group_by.begin(), b.group_by.end(), ex) == b.group_by.end()) {
                Fail(soql::kMalformedQuery,
                     path->pos,
                     "Ordered field must be grouped or aggregated: " + path->ToString());
            }
            return ex;
        }
        if (e->AsCall()->function == soql::Function::kDistance) {
            return BindDistance(scope, *e->AsCall());
        }
        return BindGroupedCall(scope, *e->AsCall(), "Ordered field", raw);
    }

    // ---- conditions ----------------------------------------------------------------------

    /// The left-hand side of a WHERE/HAVING comparison and the name error messages use.
    BExpr BindFilterLhs(Scope& scope, const soql::Expr& raw, bool having, std::string& name) {
        BoundQuery& b = *scope.b;
        const soql::Expr* e = &raw;
        Unwrap(e);
        if (const soql::FieldPath* path = e->AsField()) {
            const FieldRef f = ResolvePath(scope, *path);
            if (!f.poly_type && !Filterable(*f.def)) {
                Fail(kInvalidField,
                     path->pos,
                     "field '" + f.name + "' can not be filtered in a query call");
            }
            BExpr ex = FieldExpr(f);
            if (having && std::find(b.group_by.begin(), b.group_by.end(), ex) == b.group_by.end()) {
                Fail(soql::kMalformedQuery,
                     path->pos,
                     "Field must be grouped or aggregated: " + path->ToString());
            }
            name = f.name;
            return ex;
        }
        BExpr ex = BindCallExpr(scope, *e->AsCall(), /*allow_aggregate=*/having);
        name = soql::ToSoql(raw);
        return ex;
    }

    [[noreturn]] void WrongValueType(std::string_view name, FieldType t, SourcePos pos) const {
        // Confirmed wording (INVALID_FIELD, e.g. "... must be of type dateTime and should not
        // be enclosed in quotes"); the quoted variant for text fields mirrors it.
        const bool quoted = IsTextual(t);
        Fail(kInvalidField,
             pos,
             "value of filter criterion for field '" + std::string(name) + "' must be of type " +
                 std::string(TypeWord(t)) + " and should " + (quoted ? "" : "not ") +
                 "be enclosed in quotes");
    }

    /// A literal as the parameter compared with a value of type `t` (null -> monostate).
    SqlValue ConvertValue(const soql::Value& v,
                          FieldType t,
                          std::string_view name,
                          bool id_must_be_valid) const {
        if (std::holds_alternative<soql::NullValue>(v.node)) {
            return std::monostate{};
        }
        if (t == FieldType::kId || t == FieldType::kReference) {
            const auto* s = std::get_if<soql::StringValue>(&v.node);
            if (s == nullptr) {
                WrongValueType(name, t, v.pos);
            }
            if (auto id = Id::Parse(s->value)) {
                return id->Str18();
            }
            if (id_must_be_valid) {
                Fail(kInvalidQueryFilterOperator, v.pos, "invalid ID field: " + s->value);
            }
            return s->value;
        }
        if (IsStringLike(t)) {
            const auto* s = std::get_if<soql::StringValue>(&v.node);
            if (s == nullptr) {
                WrongValueType(name, t, v.pos);
            }
            return s->value;
        }
        switch (t) {
            case FieldType::kBoolean:
                if (const auto* bv = std::get_if<soql::BoolValue>(&v.node)) {
                    return std::int64_t{bv->value ? 1 : 0};
                }
                break;
            case FieldType::kInt:
            case FieldType::kLong:
            case FieldType::kDouble:
            case FieldType::kCurrency:
            case FieldType::kPercent: {
                std::string text;
                bool integer = false;
                if (const auto* n = std::get_if<soql::NumberValue>(&v.node)) {
                    text = n->text;
                    integer = n->is_integer;
                } else if (const auto* c = std::get_if<soql::CurrencyValue>(&v.node);
                           c != nullptr && t == FieldType::kCurrency) {
                    text = c->amount;
                } else {
                    break;
                }
                if (!text.empty() && text.front() == '+') {
                    text.erase(0, 1);
                }
                if (integer) {
                    try {
                        return static_cast<std::int64_t>(std::stoll(text));
                    } catch (const std::exception&) {
                        // out of range: compare as a double
                    }
                }
                return std::stod(text);
            }
            case FieldType::kDate:
                if (const auto* d = std::get_if<soql::DateValue>(&v.node)) {
                    return d->text;
                }
                break;
            case FieldType::kDateTime:
                if (const auto* dt = std::get_if<soql::DateTimeValue>(&v.node)) {
                    if (auto canonical = NormalizeDateTime(dt->text)) {
                        return *canonical;
                    }
                }
                break;
            case FieldType::kTime:
                // `13:30:00.000Z` unquoted (the SOQL time literal) or quoted.
                if (const auto* tv = std::get_if<soql::TimeValue>(&v.node)) {
                    if (auto canonical = NormalizeTime(tv->text)) {
                        return *canonical;
                    }
                }
                if (const auto* s = std::get_if<soql::StringValue>(&v.node)) {
                    if (auto canonical = NormalizeTime(s->value)) {
                        return *canonical;
                    }
                }
                break;
            default:
                break;
        }
        WrongValueType(name, t, v.pos);
    }

    std::pair<std::string, std::string> RangeBounds(const soql::DateLiteralValue& lit,
                                                    FieldType t) const {
        const DayRange r = DateLiteralRange(lit, today_, ctx_.fiscal_start_month);
        if (t == FieldType::kDateTime) {
            return {FormatDay(r.first) + "T00:00:00.000+0000",
                    FormatDay(r.last) + "T00:00:00.000+0000"};
        }
        return {FormatDay(r.first), FormatDay(r.last)};
    }

    BCond BindComparison(Scope& scope, const soql::Comparison& c, bool having) {
        std::string name;
        BCond out;
        out.lhs = BindFilterLhs(scope, c.lhs, having, name);
        out.op = c.op;
        const FieldType t = out.lhs.type;
        const bool ordering = c.op == soql::CompareOp::kLt || c.op == soql::CompareOp::kLe ||
                              c.op == soql::CompareOp::kGt || c.op == soql::CompareOp::kGe;
        if (c.op == soql::CompareOp::kLike) {
            if (!IsStringLike(t) || t == FieldType::kMultiPicklist) {
                Fail(kInvalidQueryFilterOperator,
                     c.op_pos,
                     "invalid operator on " + OperatorWord(t) + " field");
            }
            const auto* s = std::get_if<soql::StringValue>(&c.value.node);
            if (s == nullptr) {
                WrongValueType(name, t, c.value.pos);
            }
            out.kind = BCond::Kind::kLike;
            out.values.push_back(s->ToLikePattern('\\'));
            return out;
        }
        if (ordering && (t == FieldType::kBoolean || t == FieldType::kMultiPicklist)) {
            Fail(kInvalidQueryFilterOperator,
                 c.op_pos,
                 "invalid operator on " + OperatorWord(t) + " field");
        }
        if (const auto* lit = std::get_if<soql::DateLiteralValue>(&c.value.node)) {
            if (t != FieldType::kDate && t != FieldType::kDateTime) {
                WrongValueType(name, t, c.value.pos);
            }
            auto [lo, hi] = RangeBounds(*lit, t);
            out.kind = BCond::Kind::kRange;
            out.values = {lo, hi};
            return out;
        }
        SqlValue v = ConvertValue(c.value, t, name, /*id_must_be_valid=*/!ordering);
        if (std::holds_alternative<std::monostate>(v)) {
            if (c.op == soql::CompareOp::kEq) {
                out.kind = BCond::Kind::kIsNull;
                return out;
            }
            if (c.op == soql::CompareOp::kNe) {
                out.kind = BCond::Kind::kIsNotNull;
                return out;
            }
        }
        if (t == FieldType::kMultiPicklist && std::holds_alternative<std::string>(v)) {
            // `= 'a;b'` is an exact match of the set of selected values, in any order.
            out.kind =
                c.op == soql::CompareOp::kEq ? BCond::Kind::kIncludes : BCond::Kind::kExcludes;
            out.sets.push_back(SplitValues(std::get<std::string>(v)));
            out.values.push_back(std::int64_t{1});  // marks "exact set" for the translator
            return out;
        }
        out.kind = BCond::Kind::kCompare;
        out.nocase = IsStringLike(t);
        out.values.push_back(std::move(v));
        return out;
    }

    static std::vector<std::string> SplitValues(const std::string& s) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (start <= s.size()) {
            const auto semi = s.find(';', start);
            std::string part =
                s.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
            while (!part.empty() && part.front() == ' ') {
                part.erase(0, 1);
            }
            while (!part.empty() && part.back() == ' ') {
                part.pop_back();
            }
            if (!part.empty()) {
                out.push_back(std::move(part));
            }
            if (semi == std::string::npos) {
                break;
            }
            start = semi + 1;
        }
        return out;
    }

    BCond BindSet(Scope& scope, const soql::SetComparison& c, bool having) {
        std::string name;
        BCond out;
        out.lhs = BindFilterLhs(scope, c.lhs, having, name);
        const FieldType t = out.lhs.type;
        if (c.op == soql::SetOp::kIncludes || c.op == soql::SetOp::kExcludes) {
            if (t != FieldType::kMultiPicklist) {
                Fail(kInvalidQueryFilterOperator,
                     c.op_pos,
                     "includes or excludes operator only valid on multipicklist field");
            }
            out.kind =
                c.op == soql::SetOp::kIncludes ? BCond::Kind::kIncludes : BCond::Kind::kExcludes;
            for (const soql::Value& v : c.values) {
                const auto* s = std::get_if<soql::StringValue>(&v.node);
                if (s == nullptr) {
                    WrongValueType(name, t, v.pos);
                }
                out.sets.push_back(SplitValues(s->value));
            }
            return out;
        }
        const bool negated = c.op == soql::SetOp::kNotIn;
        out.kind = negated ? BCond::Kind::kNotIn : BCond::Kind::kIn;
        out.nocase = IsStringLike(t);
        bool has_null = false;
        std::vector<BCond> ranges;
        for (const soql::Value& v : c.values) {
            if (const auto* lit = std::get_if<soql::DateLiteralValue>(&v.node)) {
                if (t != FieldType::kDate && t != FieldType::kDateTime) {
                    WrongValueType(name, t, v.pos);
                }
                auto [lo, hi] = RangeBounds(*lit, t);
                BCond r;
                r.kind = BCond::Kind::kRange;
                r.lhs = out.lhs;
                r.op = negated ? soql::CompareOp::kNe : soql::CompareOp::kEq;
                r.values = {lo, hi};
                ranges.push_back(std::move(r));
                continue;
            }
            SqlValue sv = ConvertValue(v, t, name, /*id_must_be_valid=*/true);
            if (std::holds_alternative<std::monostate>(sv)) {
                has_null = true;
            } else {
                out.values.push_back(std::move(sv));
            }
        }
        if (!has_null && ranges.empty()) {
            return out;
        }
        // `IN (null, 'a')` also matches nulls; `NOT IN (null, 'a')` excludes them.
        BCond combined;
        combined.kind = negated ? BCond::Kind::kAnd : BCond::Kind::kOr;
        if (has_null) {
            BCond n;
            n.kind = negated ? BCond::Kind::kIsNotNull : BCond::Kind::kIsNull;
            n.lhs = out.lhs;
            combined.operands.push_back(std::move(n));
        }
        for (BCond& r : ranges) {
            combined.operands.push_back(std::move(r));
        }
        if (!out.values.empty()) {
            combined.operands.push_back(std::move(out));
        }
        return combined;
    }

    BCond BindSemiJoin(Scope& scope, const soql::SemiJoin& sj) {
        BoundQuery& b = *scope.b;
        const FieldRef lhs = ResolvePath(scope, sj.lhs);
        const FieldType lt = lhs.name == "Id" ? FieldType::kId : lhs.def->type;
        if (lt != FieldType::kId && lt != FieldType::kReference) {
            Fail(kInvalidField,
                 sj.lhs.pos,
                 "The left operand field in the where expression for outer query should be an "
                 "id field, cannot use: '" +
                     lhs.name + "'");
        }
        const soql::Query& q = *sj.subquery;
        const ObjectDef* object = FindQueryable(q.from.parts.front(), q.from.pos);
        auto sub = std::make_shared<BoundQuery>();
        Scope sub_scope;
        sub_scope.b = sub.get();
        sub_scope.names = {object->name};
        if (q.from_alias) {
            sub_scope.alias = *q.from_alias;
        }
        sub->object = object;
        sub->include_deleted = ctx_.query_all;
        sub->rels.push_back(Rel{-1, nullptr, object->name, {{object, 0}}, false});
        const auto* se = std::get_if<soql::SelectExpr>(&q.select.front().node);
        const soql::FieldPath* path = se != nullptr ? se->expr.AsField() : nullptr;
        if (path == nullptr) {
            Fail(soql::kMalformedQuery, q.pos, "Semi join sub-selects must select one id field");
        }
        const FieldRef f = ResolvePath(sub_scope, *path);
        const FieldType ft = f.name == "Id" ? FieldType::kId : f.def->type;
        const auto targets_of = [&](const FieldRef& r, FieldType type) {
            if (type == FieldType::kId) {
                return std::vector<std::string>{
                    r.rel == 0 && r.sources.size() == 1 ? scope_object_name(b, r) : std::string()};
            }
            return r.def->reference_to;
        };
        if (ft != FieldType::kId && ft != FieldType::kReference) {
            Fail(kInvalidField,
                 path->pos,
                 "The selected field '" + f.name +
                     "' in the subquery and the left operand field '" + lhs.name +
                     "' in the where expression in the outer query must point to the same object "
                     "type");
        }
        // Both sides must point at a common object (`Id IN (SELECT AccountId FROM Contact)`).
        const auto lt_targets = targets_of(lhs, lt);
        const auto rt_targets = targets_of(f, ft);
        bool common = false;
        for (const auto& x : lt_targets) {
            for (const auto& y : rt_targets) {
                common = common || (!x.empty() && IEq(x, y));
            }
        }
        if (!common) {
            Fail(kInvalidField,
                 path->pos,
                 "The selected field '" + f.name +
                     "' in the subquery and the left operand field '" + lhs.name +
                     "' in the where expression in the outer query must point to the same object "
                     "type");
        }
        sub->columns.push_back(FieldExpr(f));
        if (q.where) {
            sub->where = BindCond(sub_scope, *q.where, false);
        }
        BCond out;
        out.kind = sj.anti ? BCond::Kind::kAntiJoin : BCond::Kind::kSemiJoin;
        out.lhs = FieldExpr(lhs);
        out.sub = std::move(sub);
        return out;
    }

    static std::string scope_object_name(const BoundQuery& b, const FieldRef& r) {
        return b.rels[r.rel].targets.front().first->name;
    }

    /// USING SCOPE as a SOQL condition on `object` for the requesting user (docs/soql.md,
    /// "USING SCOPE"); nullopt when the scope filters nothing. The scopes Salesforce documents
    /// [D] and how the local org (one user, no territories, no delegation) reads them [M]:
    ///   everything, allPrivate, scopingRule, application  every record (no sharing model, no
    ///                                                     scoping rules locally)
    ///   mine                   OwnerId = the user
    ///   mine_and_my_groups     owned by the user or by a queue/group the user is a member of
    ///   team                   records whose <Object>TeamMember lists the user (e.g.
    ///                          OpportunityTeamMember); none for objects without a team object
    ///   delegated, my_territory, my_team_territory   none (no delegation, no territories)
    /// Objects without OwnerId: mine / mine_and_my_groups filter nothing.
    std::optional<std::string> ScopeFilter(const ObjectDef& object, const std::string& name) const {
        const std::string& user = ctx_.user_id;
        const bool safe_user = std::all_of(user.begin(), user.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
        const std::string quoted = "'" + (safe_user ? user : std::string()) + "'";
        const FieldDef* owner = object.FindField("OwnerId");
        const bool owned = owner != nullptr;
        if (IEq(name, "mine") || IEq(name, "mineandmygroups")) {
            return owned ? std::optional<std::string>("OwnerId = " + quoted) : std::nullopt;
        }
        if (IEq(name, "mine_and_my_groups")) {
            if (!owned) {
                return std::nullopt;
            }
            const bool queue_owned = std::any_of(
                owner->reference_to.begin(), owner->reference_to.end(), [](const std::string& t) {
                    return IEq(t, "Group");
                });
            const ObjectDef* member = schema_.FindObject("GroupMember");
            if (!queue_owned || member == nullptr || member->FindField("GroupId") == nullptr ||
                member->FindField("UserOrGroupId") == nullptr) {
                // No way to record membership (GroupMember.UserOrGroupId is polymorphic and not
                // modelled while its targets are not): the caller's own records.
                return "OwnerId = " + quoted;
            }
            return "(OwnerId = " + quoted +
                   " OR OwnerId IN (SELECT GroupId FROM GroupMember WHERE UserOrGroupId = " +
                   quoted + "))";
        }
        if (IEq(name, "team")) {
            const ObjectDef* team = schema_.FindObject(object.name + "TeamMember");
            const FieldDef* user_field = team != nullptr ? team->FindField("UserId") : nullptr;
            const FieldDef* link = nullptr;
            if (team != nullptr) {
                for (const FieldDef& f : team->fields) {
                    if (f.type == FieldType::kReference && f.reference_to.size() == 1 &&
                        IEq(f.reference_to.front(), object.name)) {
                        link = &f;
                        break;
                    }
                }
            }
            if (user_field == nullptr || link == nullptr) {
                return "Id = null";  // no team object: no record is on a team
            }
            return "Id IN (SELECT " + link->name + " FROM " + team->name +
                   " WHERE UserId = " + quoted + ")";
        }
        if (IEq(name, "delegated") || IEq(name, "my_territory") || IEq(name, "my_team_territory")) {
            return "Id = null";
        }
        return std::nullopt;
    }

    /// Binds a condition sfkit writes itself (USING SCOPE) as if it were the query's WHERE.
    BCond BindInternalCondition(Scope& scope, const ObjectDef& object, const std::string& cond) {
        const std::string text = "SELECT Id FROM " + object.name + " WHERE " + cond;
        soql::ParseResult parsed = soql::Parse(text, {});
        if (!parsed || !parsed->where) {
            Fail(soql::kMalformedQuery, {1, 1}, "Invalid scope condition: " + cond);
        }
        const std::string_view saved = text_;
        text_ = text;
        std::optional<std::string> saved_alias;
        saved_alias.swap(scope.alias);  // the condition names fields without the query's alias
        BCond out = BindCond(scope, *parsed->where, false);
        scope.alias.swap(saved_alias);
        text_ = saved;
        return out;
    }

    BCond BindCond(Scope& scope, const soql::Condition& c, bool having) {
        if (const auto* cmp = std::get_if<soql::Comparison>(&c.node)) {
            return BindComparison(scope, *cmp, having);
        }
        if (const auto* set = std::get_if<soql::SetComparison>(&c.node)) {
            return BindSet(scope, *set, having);
        }
        if (const auto* sj = std::get_if<soql::SemiJoin>(&c.node)) {
            return BindSemiJoin(scope, *sj);
        }
        if (const auto* lg = std::get_if<soql::Logical>(&c.node)) {
            BCond out;
            out.kind = lg->op == soql::LogicalOp::kAnd ? BCond::Kind::kAnd : BCond::Kind::kOr;
            for (const soql::Condition& o : lg->operands) {
                out.operands.push_back(BindCond(scope, o, having));
            }
            return out;
        }
        const auto& n = std::get<soql::Not>(c.node);
        BCond out;
        out.kind = BCond::Kind::kNot;
        out.operands.push_back(BindCond(scope, *n.operand, having));
        return out;
    }

    const Schema& schema_;
    std::string_view text_;
    const BindContext& ctx_;
    std::int64_t today_;
};

}  // namespace

bool IsNameEntityField(std::string_view field) {
    return std::any_of(
        kNameFields.begin(), kNameFields.end(), [&](std::string_view f) { return IEq(f, field); });
}

BindResult Bind(const soql::Query& query,
                std::string_view text,
                const Schema& schema,
                const BindContext& context) {
    try {
        Binder binder(schema, text, context);
        return binder.Top(query);
    } catch (const soql::SoqlException& e) {
        return e.error();
    }
}

}  // namespace sfkit::server::query
