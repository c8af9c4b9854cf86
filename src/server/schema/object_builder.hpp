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
    FieldDef& Reference(std::string name,
                        std::string label,
                        std::initializer_list<std::string_view> targets,
                        std::string relationship_name);
    FieldDef& Checkbox(std::string name, std::string label, bool default_value = false);
    FieldDef& Number(std::string name, std::string label, FieldType type, int precision, int scale);
    FieldDef& Integer(std::string name, std::string label, int digits);

    /// IsDeleted: boolean, server-maintained.
    void IsDeleted();
    /// The street/city/state/postal code/country/latitude/longitude/geocode accuracy block and
    /// the compound `<prefix>Address` field, with Salesforce's standard lengths and labels.
    void Address(const std::string& prefix, const std::string& label_prefix);
    /// OwnerId (createable, defaulted on create to the caller).
    void Owner(std::string label = "Owner ID");
    /// CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp.
    void AuditFields();
    /// LastViewedDate, LastReferencedDate (read-only, nillable).
    void ViewedFields();

    ObjectDef Build() && { return std::move(object_); }

private:
    ObjectDef object_;
};

/// Marks a field read-only (not createable, not updateable).
FieldDef& ReadOnly(FieldDef& f);
/// Marks a field required (not nillable).
FieldDef& Required(FieldDef& f);

}  // namespace sfkit::server
