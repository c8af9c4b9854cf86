// The org's data model: sObject and field definitions (what describe reports and what storage
// and validation are driven by), the registry that looks them up case-insensitively, and the
// relationships between objects in both directions. Pure data: no SQLite, no JSON. Standard
// objects live in standard_*.cpp; custom objects are built by custom_objects.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
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
    /// Set by the server on every write (Id, IsDeleted, CreatedDate, ..., SystemModstamp);
    /// never taken from a request body.
    bool system_maintained = false;
    std::optional<bool> default_boolean;  ///< describe `defaultValue` of checkboxes
    std::vector<PicklistEntry> picklist;
    std::vector<std::string> reference_to;  ///< target object names, for references
    std::string relationship_name;          ///< e.g. "Parent" for ParentId
    std::string compound_field_name;        ///< e.g. "BillingAddress" for BillingCity
    std::string compound_key;      ///< key inside the compound value, e.g. "city" (derived)
    std::string extra_type_info;   ///< describe `extraTypeInfo` ("plaintextarea", ...)
    std::string inline_help_text;  ///< describe `inlineHelpText`; empty = null
    /// The first API version whose describe lists the field (0: every served version); from the
    /// release the cited data set first shows it in (standard_catalog.hpp).
    int since_version = 0;

    // -- references --
    /// The relationship as the parent sees it (`Contacts` for Contact.AccountId); empty when
    /// Salesforce has no named child relationship for the field (describe shows null).
    std::string child_relationship_name;
    /// Deleting the parent deletes these child records too (master-detail and the standard
    /// relationships Salesforce cascades; describe `cascadeDelete`). Drives record delete.
    bool cascade_delete = false;
    /// The parent cannot be deleted while live children exist (describe `restrictedDelete`).
    /// With cascade_delete as well: only activated children (Status "Activated") block, the
    /// others are deleted with the parent (an account's contracts and orders).
    bool restricted_delete = false;
    /// Master-detail fields: 0 for the first master, 1 for the second (describe
    /// `relationshipOrder`); nullopt for everything else.
    std::optional<int> relationship_order;
    bool write_requires_master_read = false;

    // -- values the server generates --
    bool auto_number = false;            ///< assigned on insert from `display_format`
    std::string display_format;          ///< e.g. "INV-{0000}" ({0..} = the number, zero-padded)
    std::int64_t auto_number_start = 1;  ///< the number of the first record
    /// A custom object's Text Name left empty on insert becomes the record's Id (Salesforce).
    bool defaults_to_id = false;
    bool html_formatted = false;

    /// Salesforce's rule: not nillable, createable, and not defaulted on create.
    bool RequiredOnCreate() const { return !nillable && createable && !defaulted_on_create; }
    /// Compound fields are not stored; they are assembled from their components.
    bool IsStored() const { return KindOf(type) != ValueKind::kNone; }
    bool IsCompound() const { return type == FieldType::kAddress || type == FieldType::kLocation; }
    bool IsReference() const { return type == FieldType::kReference; }
    /// References that may point at several objects (OwnerId -> Group/User, WhatId, ...):
    /// describe `polymorphicForeignKey` and `namePointing`.
    bool IsPolymorphic() const { return reference_to.size() > 1; }
    bool IsMasterDetail() const { return relationship_order.has_value(); }

    // Query capabilities that describe reports, derived from the type the way Salesforce
    // does (recorded Account describe, §B.5): long text areas can be neither filtered nor
    // sorted; numbers and datetimes cannot be grouped; booleans cannot be aggregated.
    bool Filterable() const;
    bool Sortable() const;
    bool Groupable() const;
    bool Aggregatable() const;
    /// Field-level security applies (describe `permissionable`): optional, writable fields.
    bool Permissionable() const;
    /// describe `byteLength`: 3 bytes per character for text, 18 for ids, 0 for numbers.
    int ByteLength() const;
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
    bool compact_layoutable = true;
    bool search_layoutable = true;
};

class ObjectDef {
public:
    std::string name;  ///< API name, canonical case ("Account", "Invoice__c")
    std::string label;
    std::string label_plural;
    std::string key_prefix;  ///< 3 chars, first chars of every record id
    ObjectFlags flags;
    std::vector<FieldDef> fields;  ///< definition order: GET record and describe use it
    /// Where the object is served below /services/data/vNN.N/: "sobjects" for the org's data,
    /// "tooling/sobjects" for the Tooling API's entities. Record and describe urls use it.
    std::string resource_path = "sobjects";
    /// The first API version the object exists in (0: every served version): older requests
    /// do not see it (describeGlobal, /sobjects/{Type}, SOQL; field_version.hpp VisibleIn).
    int since_version = 0;

    /// Case-insensitive field lookup; nullptr when absent.
    const FieldDef* FindField(std::string_view field_name) const;
    /// The reference field whose relationship name is `relationship_name` (case-insensitive:
    /// "account" -> Contact.AccountId, "Owner" -> OwnerId, "Account__r" -> Account__c);
    /// nullptr when absent. This is how `Account.Name` in SOQL walks from child to parent.
    const FieldDef* FindRelationship(std::string_view relationship_name) const;
    /// The name field (Name, CaseNumber, Subject, ...), or nullptr.
    const FieldDef* NameField() const;
    /// Position of `field` in `fields` (it must belong to this object).
    std::size_t IndexOf(const FieldDef& field) const;
    /// Indexes of the components of a compound field, in definition order.
    std::vector<std::size_t> ComponentsOf(const FieldDef& compound) const;
    /// Whether upserts may match records by `field`: Id, external-id fields, and on standard
    /// objects any field whose describe says idLookup (Contact.Email, User.Username, ...). SOAP
    /// API upsert docs: "the external ID field attribute for custom objects or the idLookup
    /// field property for standard objects".
    bool IsUpsertKey(const FieldDef& field) const {
        return field.type == FieldType::kId || field.external_id ||
               (field.id_lookup && !flags.custom);
    }
    /// The Id field (always present, always first).
    const FieldDef& IdField() const { return fields.front(); }

    /// Checks consistency, derives compound keys, builds the lookup index. Called by Schema::Add.
    /// Throws std::invalid_argument with a clear message on a bad definition.
    void Finalize();

private:
    std::unordered_map<std::string, std::size_t> index_;          ///< lower-cased name -> position
    std::unordered_map<std::string, std::size_t> relationships_;  ///< lower-cased rel. name
};

/// A relationship from a parent object to the records that point at it (describe
/// `childRelationships`, and SOQL's `SELECT (SELECT .. FROM Contacts) FROM Account`).
struct ChildRelationship {
    const ObjectDef* child = nullptr;  ///< the object holding the reference field
    const FieldDef* field = nullptr;   ///< the reference field on `child`
    /// `field->child_relationship_name`; empty for fields without one (describe null; such
    /// relationships cannot be used in sub-queries).
    std::string name;
    bool cascade_delete = false;
    bool restricted_delete = false;
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

    /// Objects a reference field may point at that this schema models, in `reference_to`
    /// order (targets sfkit does not model, such as Group or RecordType, are skipped).
    std::vector<const ObjectDef*> ReferenceTargets(const FieldDef& field) const;
    /// Every reference (in any object) that can point at `parent`, sorted by child object name
    /// then field name (describe order).
    std::vector<ChildRelationship> ChildRelationships(const ObjectDef& parent) const;
    /// The named child relationship of `parent` (case-insensitive: "contacts",
    /// "Invoices__r"); nullopt when absent.
    std::optional<ChildRelationship> FindChildRelationship(const ObjectDef& parent,
                                                           std::string_view name) const;

    /// Replaces the object called `name` with `object` (same key prefix), re-finalizing it.
    /// Used to add custom fields to standard objects after the fact. Throws
    /// std::invalid_argument when unknown or inconsistent.
    const ObjectDef& Replace(ObjectDef object);

    /// The standard objects sfkit knows (standard_*.cpp).
    static Schema Standard();

private:
    std::vector<std::unique_ptr<ObjectDef>> objects_;
    std::unordered_map<std::string, std::size_t> by_name_;    ///< lower-cased name
    std::unordered_map<std::string, std::size_t> by_prefix_;  ///< exact prefix
};

/// "/services/data/v{version}/{resource_path}/{name}": the object's sObject resource.
std::string ObjectUrl(std::string_view version, const ObjectDef& object);

/// ASCII lower-casing, used for case-insensitive name keys.
std::string ToLowerAscii(std::string_view s);

}  // namespace sfkit::server
