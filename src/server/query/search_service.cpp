// SOSL execution: RETURNING items -> bound SOQL queries -> one SQL statement each, filtered by
// the sfkit_sosl_match() SQLite function. The search term reaches SQL only as a bound value.
#include "server/query/search_service.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>

#include <sqlite3.h>

#include "server/http/api_error.hpp"
#include "server/query/sql_translator.hpp"
#include "server/schema/field_version.hpp"
#include "server/storage/database.hpp"
#include "soql/sosl_match.hpp"
#include "soql/sosl_parser.hpp"

namespace sfkit::server::query {
namespace {

constexpr char kMatchFunctionName[] = "sfkit_sosl_match";
static_assert(SearchService::kMatchFunction == kMatchFunctionName);

struct CompiledTerm {
    soql::SearchExpr expr;
};

std::string_view TextOf(sqlite3_value* v) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
    if (text == nullptr) {
        return {};
    }
    return {text, static_cast<std::size_t>(sqlite3_value_bytes(v))};
}

// sfkit_sosl_match(term, phones, field...): 1 when the record whose field values are given
// matches the search term. The first `phones` fields are phone fields. The parsed term is
// cached as auxiliary data of argument 0 (constant for the whole statement).
void MatchFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    try {
        if (argc < 2 || sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
            sqlite3_result_error(ctx, "sfkit_sosl_match: bad arguments", -1);
            return;
        }
        auto* compiled = static_cast<CompiledTerm*>(sqlite3_get_auxdata(ctx, 0));
        std::unique_ptr<CompiledTerm> fresh;
        if (compiled == nullptr) {
            const std::string_view term = TextOf(argv[0]);
            auto parsed = soql::ParseSearchExpr(term, term, 0);
            if (!parsed) {
                sqlite3_result_error(ctx, "sfkit_sosl_match: malformed search term", -1);
                return;
            }
            fresh = std::make_unique<CompiledTerm>(CompiledTerm{std::move(*parsed)});
            compiled = fresh.get();
        }
        const int phones = sqlite3_value_int(argv[1]);
        std::vector<soql::SearchField> fields;
        fields.reserve(static_cast<std::size_t>(argc - 2));
        for (int i = 2; i < argc; ++i) {
            if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
                continue;
            }
            fields.push_back({TextOf(argv[i]), i - 2 < phones});
        }
        const bool match = soql::SearchDocument(fields).Matches(compiled->expr);
        sqlite3_result_int(ctx, match ? 1 : 0);
        if (fresh) {
            // SQLite may destroy the data right away: nothing uses `compiled` after this.
            sqlite3_set_auxdata(
                ctx, 0, fresh.release(), [](void* p) { delete static_cast<CompiledTerm*>(p); });
        }
    } catch (const std::exception&) {
        sqlite3_result_error(ctx, "sfkit_sosl_match failed", -1);
    }
}

[[noreturn]] void Throw(const soql::SoqlError& e) {
    throw ApiError(400, e.code, e.message);
}

bool IsSearchableType(FieldType t) {
    switch (t) {
        case FieldType::kString:
        case FieldType::kTextArea:
        case FieldType::kPicklist:
        case FieldType::kMultiPicklist:
        case FieldType::kCombobox:
        case FieldType::kEmail:
        case FieldType::kPhone:
        case FieldType::kUrl:
            return true;
        default:
            return false;
    }
}

// A name field, or a component of one (Contact.FirstName/LastName of Name).
bool IsNameField(const ObjectDef& object, const FieldDef& f) {
    if (f.name_field) {
        return true;
    }
    if (f.compound_field_name.empty()) {
        return false;
    }
    const FieldDef* compound = object.FindField(f.compound_field_name);
    return compound != nullptr && compound->name_field;
}

// The SOQL query a RETURNING item stands for: its field list (Id when it has none), WHERE,
// ORDER BY, LIMIT, OFFSET; positions are those of the SOSL text, so binder errors echo it.
soql::Query QueryFor(const soql::ReturningItem& item) {
    soql::Query q;
    q.pos = item.pos;
    q.from.parts.push_back(item.object);
    q.from.pos = item.pos;
    if (item.spec) {
        q.select = item.spec->fields;
        q.where = item.spec->where;
        q.order_by = item.spec->order_by;
        q.limit = item.spec->limit;
        q.offset = item.spec->offset;
        q.limit_pos = item.spec->limit_pos;
        q.offset_pos = item.spec->offset_pos;
    } else {
        soql::FieldPath id;
        id.parts.push_back("Id");
        id.pos = item.pos;
        q.select.push_back(soql::SelectItem{soql::SelectExpr{soql::Expr{id}, std::nullopt, {}}});
    }
    return q;
}

struct Planned {
    std::shared_ptr<BoundQuery> query;
    std::vector<const FieldDef*> phones;
    std::vector<const FieldDef*> others;
};

}  // namespace

SearchService::SearchService(QueryService& queries, const Schema& schema)
    : queries_(queries), schema_(schema) {
    // Searches run on the read connections; every one of them gets the function.
    queries_.Db().OnEveryConnection([](sqlite3* db) {
        const int rc = sqlite3_create_function_v2(db,
                                                  kMatchFunctionName,
                                                  -1,
                                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                                  nullptr,
                                                  &MatchFunction,
                                                  nullptr,
                                                  nullptr,
                                                  nullptr);
        if (rc != SQLITE_OK) {
            throw StorageError(rc, "cannot register the SOSL match function");
        }
    });
}

std::vector<const FieldDef*> SearchService::SearchedFields(const ObjectDef& object,
                                                           soql::SearchGroup group) {
    std::vector<const FieldDef*> out;
    for (const FieldDef& f : object.fields) {
        if (!f.IsStored() || !IsSearchableType(f.type)) {
            continue;
        }
        const bool name = IsNameField(object, f);
        const bool email = f.type == FieldType::kEmail;
        const bool phone = f.type == FieldType::kPhone;
        bool take = false;
        switch (group) {
            case soql::SearchGroup::kAll:
                take = true;
                break;
            case soql::SearchGroup::kName:
                take = name;
                break;
            case soql::SearchGroup::kEmail:
                take = email;
                break;
            case soql::SearchGroup::kPhone:
                take = phone;
                break;
            case soql::SearchGroup::kSidebar:
                take = name || email || phone;
                break;
        }
        if (take) {
            out.push_back(&f);
        }
    }
    return out;
}

SearchResult SearchService::Run(std::string_view sosl, const QueryCall& call) {
    auto parsed = soql::ParseSearch(sosl);
    if (!parsed) {
        Throw(parsed.error());
    }
    const soql::SearchQuery& search = *parsed;
    const soql::SearchGroup group = search.in.value_or(soql::SearchGroup::kAll);

    // Without RETURNING Salesforce searches every searchable object and returns Ids only
    // (SOSL reference, "RETURNING FieldSpec").
    BindContext ctx = queries_.Context(call);
    ctx.query_all = false;  // deleted records are never found
    std::vector<soql::ReturningItem> items = search.returning;
    if (items.empty()) {
        for (const ObjectDef* o : schema_.Objects()) {
            // Objects newer than the request's version are not searched (nor named: the binder).
            if (o->flags.searchable && o->flags.queryable && VisibleIn(*o, ctx.api_major) &&
                !SearchedFields(*o, group).empty()) {
                soql::ReturningItem item;
                item.object = o->name;
                items.push_back(std::move(item));
            }
        }
    }

    std::vector<Planned> plan;
    for (const soql::ReturningItem& item : items) {
        const ObjectDef* object = schema_.FindObject(item.object);
        if (object != nullptr && object->flags.queryable && !object->flags.searchable) {
            // sfkit's wording [M]; unknown objects get the binder's recorded INVALID_TYPE text.
            Throw(soql::MakePositionedError(
                std::string(kInvalidType),
                sosl,
                item.pos.row,
                item.pos.column,
                "entity type " + object->name + " does not support search"));
        }
        BindResult bound = Bind(QueryFor(item), sosl, schema_, ctx);
        if (!bound) {
            Throw(bound.error());
        }
        Planned p;
        p.query = std::move(*bound);
        for (const FieldDef* f : SearchedFields(*p.query->object, group)) {
            (f->type == FieldType::kPhone ? p.phones : p.others).push_back(f);
        }
        plan.push_back(std::move(p));
    }

    SearchResult result;
    const std::int64_t overall =
        std::min(search.limit.value_or(soql::kMaxSearchLimit), soql::kMaxSearchLimit);
    // SOSL reference, "FIND {SearchQuery}": a term over 10,000 characters returns no rows.
    const bool too_long = search.term.size() > soql::kMaxSearchTermLength;
    WithinQueryTimeLimit([&] {
        // One snapshot for every object searched.
        Database::Reader rd = queries_.ReadSnapshot();
        std::int64_t found = 0;
        for (Planned& p : plan) {
            SearchGroupResult g;
            const std::int64_t remaining = overall - found;
            BoundQuery& q = *p.query;
            q.limit = std::min(q.limit.value_or(remaining), remaining);
            if (!too_long && remaining > 0 && !(p.phones.empty() && p.others.empty())) {
                const SqlText t = TranslateSearch(q,
                                                  kMatchFunction,
                                                  search.term,
                                                  search.expr,
                                                  p.phones,
                                                  p.others,
                                                  queries_.Db().engine());
                Statement& st = rd.Reusable(t.sql);
                for (std::size_t i = 0; i < t.params.size(); ++i) {
                    st.Bind(static_cast<int>(i + 1), t.params[i]);
                }
                while (st.Step()) {
                    ResultRow row;
                    row.values.reserve(q.columns.size());
                    for (std::size_t i = 0; i < q.columns.size(); ++i) {
                        row.values.push_back(st.Value(1 + static_cast<int>(i)));
                    }
                    row.children.resize(q.children.size());
                    g.rows.push_back(std::move(row));
                }
            }
            found += static_cast<std::int64_t>(g.rows.size());
            g.query = std::move(p.query);
            result.groups.push_back(std::move(g));
        }
    });
    return result;
}

namespace {

// `Account.fields` -> ("Account", "fields").
std::pair<std::string_view, std::string_view> SplitObjectParam(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) {
        return {};
    }
    return {name.substr(0, dot), name.substr(dot + 1)};
}

}  // namespace

std::string ParameterizedSearchToSosl(
    const std::vector<std::pair<std::string, std::string>>& params) {
    const auto global = [&](std::string_view name) -> const std::string* {
        for (const auto& [k, v] : params) {
            if (k == name) {
                return &v;
            }
        }
        return nullptr;
    };
    const auto per_object = [&](std::string_view object,
                                std::string_view what) -> const std::string* {
        for (const auto& [k, v] : params) {
            const auto [o, w] = SplitObjectParam(k);
            if (!o.empty() && soql::EqualsIgnoreCase(o, object) && w == what) {
                return &v;
            }
        }
        return nullptr;
    };

    const std::string* q = global("q");
    if (q == nullptr || q->find_first_not_of(" \t\r\n") == std::string::npos) {
        // The resource requires q (REST API reference, "Search with Parameters in the URI");
        // the wording is sfkit's [M].
        throw ApiError(
            400, "MALFORMED_SEARCH", "The q parameter is required and must not be empty");
    }
    std::vector<std::string> objects;
    for (const auto& [k, v] : params) {
        if (k == "sobject" && !v.empty() &&
            std::none_of(objects.begin(), objects.end(), [&](const std::string& o) {
                return soql::EqualsIgnoreCase(o, v);
            })) {
            objects.push_back(v);
        }
    }
    std::string sosl = "FIND {" + soql::EscapeSearchText(*q) + "}";
    if (const std::string* in = global("in"); in != nullptr && !in->empty()) {
        sosl += " IN " + *in + " FIELDS";
    }
    const std::string* fields = global("fields");
    const std::string* default_limit = global("defaultLimit");
    const std::string* offset = global("offset");
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const std::string& o = objects[i];
        sosl += i == 0 ? " RETURNING " : ", ";
        sosl += o;
        const std::string* f = per_object(o, "fields");
        const std::string* where = per_object(o, "where");
        const std::string* order = per_object(o, "orderBy");
        const std::string* limit = per_object(o, "limit");
        if (limit == nullptr) {
            limit = default_limit;
        }
        if (f == nullptr) {
            f = fields;
        }
        if (f == nullptr && where == nullptr && order == nullptr && limit == nullptr &&
            offset == nullptr) {
            continue;
        }
        sosl += "(" + (f != nullptr && !f->empty() ? *f : std::string("Id"));
        if (where != nullptr) {
            sosl += " WHERE " + *where;
        }
        if (order != nullptr) {
            sosl += " ORDER BY " + *order;
        }
        if (limit != nullptr) {
            sosl += " LIMIT " + *limit;
        }
        if (offset != nullptr) {
            sosl += " OFFSET " + *offset;
        }
        sosl += ")";
    }
    if (const std::string* overall = global("overallLimit")) {
        sosl += " LIMIT " + *overall;
    }
    return sosl;
}

}  // namespace sfkit::server::query
