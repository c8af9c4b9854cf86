// Canonical SOSL printing (sosl_ast.hpp).
#include "soql/sosl_ast.hpp"

namespace sfkit::soql {
namespace {

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

std::string PrintSpec(const SearchFieldSpec& s) {
    std::string out = Join(s.fields, ", ", [](const SelectItem& i) { return ToSoql(i); });
    if (s.where) {
        out += " WHERE " + ToSoql(*s.where);
    }
    if (s.list_view) {
        out += " USING ListView = " + *s.list_view;
    }
    if (!s.order_by.empty()) {
        out += " ORDER BY " + Join(s.order_by, ", ", [](const OrderItem& o) { return ToSoql(o); });
    }
    if (s.limit) {
        out += " LIMIT " + std::to_string(*s.limit);
    }
    if (s.offset) {
        out += " OFFSET " + std::to_string(*s.offset);
    }
    return out;
}

}  // namespace

std::string_view SearchGroupName(SearchGroup g) {
    switch (g) {
        case SearchGroup::kAll:
            return "ALL";
        case SearchGroup::kName:
            return "NAME";
        case SearchGroup::kEmail:
            return "EMAIL";
        case SearchGroup::kPhone:
            return "PHONE";
        case SearchGroup::kSidebar:
            return "SIDEBAR";
    }
    return "ALL";
}

std::string SearchQuery::ToSosl() const {
    std::string out = "FIND {" + term + "}";
    if (in) {
        out += " IN " + std::string(SearchGroupName(*in)) + " FIELDS";
    }
    if (!returning.empty()) {
        out += " RETURNING " + Join(returning, ", ", [](const ReturningItem& r) {
                   return r.spec ? r.object + "(" + PrintSpec(*r.spec) + ")" : r.object;
               });
    }
    for (const std::string& w : with) {
        out += " " + w;
    }
    if (limit) {
        out += " LIMIT " + std::to_string(*limit);
    }
    if (update_tracking || update_viewstat) {
        out += " UPDATE ";
        out += update_tracking && update_viewstat ? "TRACKING, VIEWSTAT"
               : update_tracking                  ? "TRACKING"
                                                  : "VIEWSTAT";
    }
    return out;
}

}  // namespace sfkit::soql
