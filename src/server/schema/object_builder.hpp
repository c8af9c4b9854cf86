// A fluent builder for ObjectDef, so that standard objects read as one line per field in
// Salesforce's definition order, and custom objects from the org definition can reuse the same
// vocabulary (system fields, address blocks, picklists).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "server/schema/schema.hpp"

namespace sfkit::server {

class ObjectBuilder {
public:
    /// Starts an object and adds its `Id` field (label "<label> ID").
    ObjectBuilder(std::string name,
                  std::string label,
                  std::string label_plural,
                  std::string key_prefix);

    ObjectFlags& Flags() { return object_.flags; }

    /// Adds a field and returns it for further tuning.
    FieldDef& Add(std::string name, std::string label, FieldType type, int length = 0);

    // Typed shorthands with Salesforce's usual attributes.
    FieldDef& Text(std::string name, std::string label, int length);
    FieldDef& TextArea(std::string name, std::string label, int length);
    FieldDef& Phone(std::string name, std::string label);  ///< phone, length 40
    FieldDef& Url(std::string name, std::string label, int length = 255);
    FieldDef& Email(std::string name, std::string label);  ///< email, length 80
    FieldDef& Picklist(std::string name,
                       std::string label,
                       std::initializer_list<std::string_view> values,
                       int length = 40);
    /// A lookup. `child_relationship` names the relationship from the parent's side
    /// (`Contacts`); empty when Salesforce has none.
    FieldDef& Reference(std::string name,
                        std::string label,
                        std::initializer_list<std::string_view> targets,
                        std::string relationship_name,
                        std::string child_relationship = {});
    /// A master-detail reference: required, cascade delete, not reparentable, with the
    /// relationship order (0 for the first master, 1 for the second).
    FieldDef& MasterDetail(std::string name,
                           std::string label,
                           std::string_view target,
                           std::string relationship_name,
                           std::string child_relationship,
                           int order = 0);
    FieldDef& Checkbox(std::string name, std::string label, bool default_value = false);
    FieldDef& Number(std::string name, std::string label, FieldType type, int precision, int scale);
    FieldDef& Integer(std::string name, std::string label, int digits);
    FieldDef& Date(std::string name, std::string label);
    FieldDef& DateTime(std::string name, std::string label);
    /// A combobox (picklist that also takes free text), e.g. Task.Subject.
    FieldDef& Combobox(std::string name,
                       std::string label,
                       std::initializer_list<std::string_view> values,
                       int length = 255);
    /// A read-only auto-number text field (length 30) such as CaseNumber: `format` like
    /// "{00000000}" or "INV-{0000}", numbered from `start`.
    FieldDef& AutoNumber(std::string name, std::string label, std::string format, int start = 1);
    /// LastName (80, required), FirstName (40), Salutation and the read-only compound Name
    /// (121), in Contact/Lead order.
    void PersonName(int last_name_length = 80);

    /// IsDeleted: boolean, server-maintained.
    void IsDeleted();
    /// The street/city/state/postal code/country/latitude/longitude/geocode accuracy block and
    /// the compound `<prefix>Address` field, with Salesforce's standard lengths and labels.
    void Address(const std::string& prefix, const std::string& label_prefix);
    /// OwnerId (createable, defaulted on create to the caller), pointing at `targets`:
    /// {"Group", "User"} where records can be owned by queues.
    void Owner(std::string label = "Owner ID",
               std::initializer_list<std::string_view> targets = {"User"});
    /// CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp.
    void AuditFields();
    /// LastViewedDate, LastReferencedDate (read-only, nillable).
    void ViewedFields();

    /// The finished definition; `mruEnabled` follows from having LastViewedDate.
    ObjectDef Build() &&;

private:
    ObjectDef object_;
};

/// Marks a field read-only (not createable, not updateable).
FieldDef& ReadOnly(FieldDef& f);
/// Marks a field required (not nillable).
FieldDef& Required(FieldDef& f);
/// Marks a field as computed by the server (read-only, defaulted on create), e.g.
/// Opportunity.IsClosed or Contact.Name.
FieldDef& Derived(FieldDef& f);
/// Marks the given picklist value as the default (describe `defaultValue: true` on the entry);
/// the field becomes defaulted on create.
FieldDef& DefaultPicklistValue(FieldDef& f, std::string_view value);

}  // namespace sfkit::server
