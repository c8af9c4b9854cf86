// Schema lookups for the binder: thin wrappers over the schema's relationship registry.
#include "server/query/schema_lookup.hpp"

namespace sfkit::server::query {

const FieldDef* FindParentRelationship(const ObjectDef& object, std::string_view name) {
    return object.FindRelationship(name);
}

std::vector<const ObjectDef*> ReferenceTargets(const Schema& schema, const FieldDef& field) {
    return schema.ReferenceTargets(field);
}

std::string ChildRelationshipName(const ObjectDef& /*child*/, const FieldDef& field) {
    return field.child_relationship_name;
}

std::optional<ChildRel> FindChildRelationship(const Schema& schema,
                                              const ObjectDef& parent,
                                              std::string_view name) {
    const auto rel = schema.FindChildRelationship(parent, name);
    if (!rel || rel->name.empty()) {
        return std::nullopt;
    }
    return ChildRel{rel->child, rel->field, rel->name};
}

bool IsLongText(const FieldDef& f) {
    return f.type == FieldType::kTextArea && f.length > 255;
}

bool Filterable(const FieldDef& f) {
    return !f.IsCompound() && f.Filterable();
}

bool Sortable(const FieldDef& f) {
    return f.Sortable();
}

bool Groupable(const FieldDef& f) {
    return f.Groupable();
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
