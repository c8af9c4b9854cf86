// Schema lookups for the binder.
#include "server/query/schema_lookup.hpp"

#include <map>

namespace sfkit::server::query {
namespace {

bool IEq(std::string_view a, std::string_view b) {
    return ToLowerAscii(a) == ToLowerAscii(b);
}

bool EndsWithI(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && IEq(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

const FieldDef* FindParentRelationship(const ObjectDef& object, std::string_view name) {
    for (const FieldDef& f : object.fields) {
        if (f.type == FieldType::kReference && !f.relationship_name.empty() &&
            IEq(f.relationship_name, name)) {
            return &f;
        }
    }
    if (EndsWithI(name, "__r")) {
        const std::string field_name = std::string(name.substr(0, name.size() - 3)) + "__c";
        const FieldDef* f = object.FindField(field_name);
        if (f != nullptr && f->type == FieldType::kReference) {
            return f;
        }
    }
    return nullptr;
}

std::vector<const ObjectDef*> ReferenceTargets(const Schema& schema, const FieldDef& field) {
    std::vector<const ObjectDef*> out;
    for (const std::string& name : field.reference_to) {
        if (const ObjectDef* o = schema.FindObject(name)) {
            out.push_back(o);
        }
    }
    return out;
}

std::string ChildRelationshipName(const ObjectDef& child, const FieldDef& field) {
    // The names Salesforce gives the standard lookups sfkit models (describe
    // childRelationships); custom lookups get `<Plural>__r` from the org definition.
    static const std::map<std::string, std::string> kStandard = {
        {"Account.ParentId", "ChildAccounts"},
        {"Contact.AccountId", "Contacts"},
        {"Contact.ReportsToId", "ReportsTo"},
        {"Opportunity.AccountId", "Opportunities"},
        {"Case.AccountId", "Cases"},
        {"Case.ContactId", "Cases"},
        {"Case.ParentId", "Cases"},
    };
    const auto it = kStandard.find(child.name + "." + field.name);
    if (it != kStandard.end()) {
        return it->second;
    }
    if (field.custom) {
        // Salesforce's default for a custom lookup: the child's plural label as an API name.
        std::string name;
        for (char c : child.label_plural) {
            const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                               (c >= '0' && c <= '9');
            if (alnum) {
                name += c;
            } else if (!name.empty() && name.back() != '_') {
                name += '_';
            }
        }
        return name.empty() ? std::string() : name + "__r";
    }
    return {};
}

std::optional<ChildRel> FindChildRelationship(const Schema& schema,
                                              const ObjectDef& parent,
                                              std::string_view name) {
    for (const ObjectDef* child : schema.Objects()) {
        for (const FieldDef& f : child->fields) {
            if (f.type != FieldType::kReference) {
                continue;
            }
            bool points_here = false;
            for (const std::string& target : f.reference_to) {
                points_here = points_here || IEq(target, parent.name);
            }
            if (!points_here) {
                continue;
            }
            const std::string rel = ChildRelationshipName(*child, f);
            if (!rel.empty() && IEq(rel, name)) {
                return ChildRel{child, &f, rel};
            }
        }
    }
    return std::nullopt;
}

bool IsLongText(const FieldDef& f) {
    return f.type == FieldType::kTextArea && f.length > 255;
}

bool Filterable(const FieldDef& f) {
    return !f.IsCompound() && !IsLongText(f) && f.type != FieldType::kBase64;
}

bool Sortable(const FieldDef& f) {
    return Filterable(f) && f.type != FieldType::kMultiPicklist;
}

bool Groupable(const FieldDef& f) {
    switch (f.type) {
        case FieldType::kDateTime:
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
        case FieldType::kMultiPicklist:
        case FieldType::kTime:
            return false;
        default:
            return Filterable(f);
    }
}

bool IsNumeric(FieldType t) {
    switch (t) {
        case FieldType::kInt:
        case FieldType::kLong:
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
            return true;
        default:
            return false;
    }
}

bool IsTextual(FieldType t) {
    return IsStringLike(t) || t == FieldType::kId || t == FieldType::kReference;
}

}  // namespace sfkit::server::query
