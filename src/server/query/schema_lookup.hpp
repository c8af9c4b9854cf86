// The relationship lookups the SOQL binder needs from the schema (parent relationships by
// relationship name, child relationships by their plural name, reference targets) and the
// query capabilities of field types (filterable, sortable, groupable, aggregatable).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/schema/schema.hpp"

namespace sfkit::server::query {

/// The reference field of `object` whose relationship name is `name` (case-insensitive;
/// `Foo__r` finds the custom reference `Foo__c`); nullptr when absent.
const FieldDef* FindParentRelationship(const ObjectDef& object, std::string_view name);

/// Objects of `schema` that `field` may point at, in `reference_to` order (unmodelled targets
/// are skipped).
std::vector<const ObjectDef*> ReferenceTargets(const Schema& schema, const FieldDef& field);

struct ChildRel {
    const ObjectDef* child = nullptr;
    const FieldDef* field = nullptr;
    std::string name;  ///< canonical relationship name (`ChildAccounts`, `Contacts`)
};

/// The child relationship `name` of `parent` (case-insensitive); nullopt when absent.
std::optional<ChildRel> FindChildRelationship(const Schema& schema,
                                              const ObjectDef& parent,
                                              std::string_view name);

/// The child relationship name of a reference field (`Contacts` for Contact.AccountId); empty
/// when it has none.
std::string ChildRelationshipName(const ObjectDef& child, const FieldDef& field);

/// Long text areas (more than 255 characters) can be neither filtered, sorted nor grouped.
bool IsLongText(const FieldDef& f);
bool Filterable(const FieldDef& f);
bool Sortable(const FieldDef& f);
bool Groupable(const FieldDef& f);
bool IsNumeric(FieldType t);
bool IsTextual(FieldType t);  ///< string-like, id and reference: values written in quotes

}  // namespace sfkit::server::query
