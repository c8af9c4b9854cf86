// The org's data model: sObject and field definitions (what describe reports and what storage
// and validation are driven by) and the registry that looks them up case-insensitively.
// Pure data: no SQLite, no JSON. Standard objects live in standard_objects.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sfkit::server {

/// Salesforce field types (describe `type`, wire reference §B.5).
enum class FieldType {
    kId,
    kBoolean,
    kString,
    kTextArea,
    kPicklist,
    kMultiPicklist,
    kCombobox,
    kReference,
    kEmail,
    kPhone,
    kUrl,
    kEncryptedString,
    kInt,
    kLong,
    kDouble,
    kCurrency,
    kPercent,
    kDate,
    kDateTime,
    kTime,
    kBase64,
    kAddress,   ///< compound, read-only: assembled from its component fields
    kLocation,  ///< compound, read-only
    kAnyType,
};

/// How a field's value is held: decides the SQLite column type and the JSON value kind.
enum class ValueKind {
    kNone,     ///< compound fields: not stored, computed from components
    kText,     ///< strings, ids, dates/times in their canonical text form
    kInteger,  ///< int, long
    kReal,     ///< double, currency, percent
    kBoolean,
};

/// Describe `type` value ("id", "string", "datetime", ...).
std::string_view TypeName(FieldType type);
/// Describe `soapType` value ("tns:ID", "xsd:string", ...).
std::string_view SoapType(FieldType type);
ValueKind KindOf(FieldType type);
/// Text-valued types that carry a `length` limit (string, textarea, picklist, phone, url, ...).
bool IsStringLike(FieldType type);

struct PicklistEntry {
    std::string value;
    std::string label;
    bool active = true;
    bool default_value = false;
};

struct FieldDef {
    std::string name;   ///< API name, canonical case
    std::string label;  ///< used in DML error messages ("Account Name: data value too large")
    FieldType type = FieldType::kString;
    int length = 0;     ///< characters, for string-like types; 0 otherwise
    int precision = 0;  ///< number types
    int scale = 0;
    int digits = 0;  ///< int types
    bool nillable = true;
    bool createable = true;
    bool updateable = true;
    bool defaulted_on_create = false;
    bool external_id = false;
    bool unique = false;
    bool name_field = false;
    bool id_lookup = false;
    bool custom = false;
    bool restricted_picklist = false;
    bool case_sensitive = false;
    /// References: deleting the parent deletes this record too (master-detail, describe
    /// `cascadeDelete`).
    bool cascade_delete = false;
    /// References: a parent referenced by a live record cannot be deleted (describe
    /// `restrictedDelete`).
    bool restricted_delete = false;
    /// Set by the server on every write (Id, IsDeleted, CreatedDate, ..., SystemModstamp);
    /// never taken from a request body.
    bool system_maintained = false;
    std::optional<bool> default_boolean;  ///< describe `defaultValue` of checkboxes
    std::vector<PicklistEntry> picklist;
    std::vector<std::string> reference_to;  ///< target object names, for references
    std::string relationship_name;          ///< e.g. "Parent" for ParentId
    std::string compound_field_name;        ///< e.g. "BillingAddress" for BillingCity
    std::string compound_key;     ///< key inside the compound value, e.g. "city" (derived)
    std::string extra_type_info;  ///< describe `extraTypeInfo` ("plaintextarea", ...)

    /// Salesforce's rule: not nillable, createable, and not defaulted on create.
    bool RequiredOnCreate() const { return !nillable && createable && !defaulted_on_create; }
    /// Compound fields are not stored; they are assembled from their components.
    bool IsStored() const { return KindOf(type) != ValueKind::kNone; }
    bool IsCompound() const { return type == FieldType::kAddress || type == FieldType::kLocation; }
};

/// The object-level flags describe/describeGlobal report, with the defaults of an ordinary
/// standard CRM object.
struct ObjectFlags {
    bool activateable = false;
    bool createable = true;
    bool custom = false;
    bool custom_setting = false;
    bool deep_cloneable = false;
    bool deletable = true;
    bool deprecated_and_hidden = false;
    bool feed_enabled = true;
    bool has_subtypes = false;
    bool is_interface = false;
    bool is_subtype = false;
    bool layoutable = true;
    bool mergeable = false;
    bool mru_enabled = true;
    bool queryable = true;
    bool replicateable = true;
    bool retrieveable = true;
    bool searchable = true;
    bool triggerable = true;
    bool undeletable = true;
    bool updateable = true;
};

class ObjectDef {
public:
    std::string name;  ///< API name, canonical case ("Account", "Invoice__c")
    std::string label;
    std::string label_plural;
    std::string key_prefix;  ///< 3 chars, first chars of every record id
    ObjectFlags flags;
    std::vector<FieldDef> fields;  ///< definition order: GET record and describe use it

    /// Case-insensitive field lookup; nullptr when absent.
    const FieldDef* FindField(std::string_view field_name) const;
    /// Position of `field` in `fields` (it must belong to this object).
    std::size_t IndexOf(const FieldDef& field) const;
    /// Indexes of the components of a compound field, in definition order.
    std::vector<std::size_t> ComponentsOf(const FieldDef& compound) const;
    /// The Id field (always present, always first).
    const FieldDef& IdField() const { return fields.front(); }

    /// Checks consistency, derives compound keys, builds the lookup index. Called by Schema::Add.
    /// Throws std::invalid_argument with a clear message on a bad definition.
    void Finalize();

private:
    std::unordered_map<std::string, std::size_t> index_;  ///< lower-cased name -> position
};

/// All objects of an org. Built once at start-up, read-only afterwards (so shared by threads).
class Schema {
public:
    /// Adds an object (finalizing it). Throws std::invalid_argument on a duplicate name or key
    /// prefix or an inconsistent definition.
    const ObjectDef& Add(ObjectDef object);
    /// Case-insensitive; nullptr when unknown.
    const ObjectDef* FindObject(std::string_view name) const;
    const ObjectDef* FindByKeyPrefix(std::string_view key_prefix) const;
    /// Sorted by name, case-insensitively (describeGlobal order).
    std::vector<const ObjectDef*> Objects() const;

    /// The standard objects sfkit knows (standard_objects.cpp).
    static Schema Standard();

private:
    std::vector<std::unique_ptr<ObjectDef>> objects_;
    std::unordered_map<std::string, std::size_t> by_name_;    ///< lower-cased name
    std::unordered_map<std::string, std::size_t> by_prefix_;  ///< exact prefix
};

/// ASCII lower-casing, used for case-insensitive name keys.
std::string ToLowerAscii(std::string_view s);

}  // namespace sfkit::server
