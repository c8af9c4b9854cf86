// Metadata answers of the REST API as plain structs: describeGlobal (§B.3) and the sObject
// describe (§B.5), plus typing of untyped (XML) records from a describe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/record.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

/// One entry of describeGlobal's `sobjects` (also `objectDescribe` of `GET /sobjects/{Type}`).
struct SObjectSummary {
    std::string name;
    std::string label;
    std::string label_plural;
    std::string key_prefix;  ///< "001"; empty for objects without ids of their own
    bool custom = false;
    bool custom_setting = false;
    bool createable = false;
    bool updateable = false;
    bool deletable = false;
    bool undeletable = false;
    bool queryable = false;
    bool retrieveable = false;
    bool searchable = false;
    bool layoutable = false;
    bool triggerable = false;
    bool deprecated_and_hidden = false;
};

/// `GET /sobjects`: `encoding, maxBatchSize, sobjects`.
struct DescribeGlobalResult {
    std::string encoding;
    std::int64_t max_batch_size = 0;
    std::vector<SObjectSummary> sobjects;
    /// The whole answer, every key as received (JSON values typed; XML values as text).
    Record raw;
};

/// One `picklistValues` entry: `active, defaultValue, label, validFor, value`.
struct PicklistEntry {
    std::string value;
    std::string label;
    bool active = false;
    bool default_value = false;
};

/// One describe `fields` entry. Names follow the JSON keys (`nillable`, `referenceTo`, ...).
struct FieldDescribe {
    std::string name;
    std::string label;
    std::string type;         ///< id, string, boolean, reference, picklist, double, currency, ...
    std::string soap_type;    ///< tns:ID, xsd:string, xsd:double, ...
    std::int64_t length = 0;  ///< characters of text types; 0 for numbers
    std::int64_t byte_length = 0;  ///< 3 x length for text types
    std::int64_t precision = 0;    ///< digits of double/currency/percent
    std::int64_t scale = 0;        ///< digits after the point
    std::int64_t digits = 0;       ///< digits of int fields
    bool nillable = false;
    bool createable = false;
    bool updateable = false;
    bool defaulted_on_create = false;
    bool custom = false;
    bool unique = false;
    bool external_id = false;
    bool id_lookup = false;
    bool name_field = false;
    bool calculated = false;
    bool auto_number = false;
    bool case_sensitive = false;
    bool filterable = false;
    bool sortable = false;
    bool groupable = false;
    bool cascade_delete = false;
    bool restricted_delete = false;
    bool restricted_picklist = false;
    bool dependent_picklist = false;
    bool html_formatted = false;
    bool polymorphic_foreign_key = false;
    bool deprecated_and_hidden = false;
    std::optional<std::string> default_value;  ///< as text; nullopt when null
    std::string inline_help_text;
    std::string compound_field_name;
    std::string controller_name;
    std::vector<PicklistEntry> picklist_values;
    std::vector<std::string> reference_to;  ///< target objects of a reference field
    std::string relationship_name;          ///< "Parent" for ParentId; empty when none

    /// What a create must set: not nillable, createable, and not defaulted by the org (the
    /// meaning Salesforce's own UI gives "required").
    bool IsRequired() const noexcept;
};

/// One `childRelationships` entry.
struct ChildRelationship {
    std::string child_sobject;
    std::string field;
    std::string relationship_name;  ///< empty for relationships not usable in queries
    bool cascade_delete = false;
    bool restricted_delete = false;
    bool deprecated_and_hidden = false;
};

/// One `recordTypeInfos` entry.
struct RecordTypeInfo {
    std::string name;
    std::string developer_name;
    std::string record_type_id;
    bool active = false;
    bool available = false;
    bool master = false;
    bool default_record_type_mapping = false;
};

/// `GET /sobjects/{Type}/describe`.
struct SObjectDescribe {
    SObjectSummary summary;  ///< the object-level flags (name, label, keyPrefix, ...)
    std::vector<FieldDescribe> fields;
    std::vector<ChildRelationship> child_relationships;
    std::vector<RecordTypeInfo> record_type_infos;
    /// The whole answer, every key as received (JSON values typed; XML values as text).
    Record raw;

    const std::string& Name() const noexcept { return summary.name; }
    /// The field of that name (case-insensitive), or nullptr.
    const FieldDescribe* Field(std::string_view name) const noexcept;
    /// The child relationship of that relationship name (case-insensitive), or nullptr.
    const ChildRelationship* ChildByRelationship(std::string_view relationship) const noexcept;
};

/// Reads a describeGlobal answer already parsed into a Record (JSON or XML form).
/// Fails (kProtocol, INVALID_RESPONSE) when it has no `sobjects`.
Result<DescribeGlobalResult> DescribeGlobalFromRecord(Record answer);
/// Reads a describe answer already parsed into a Record (JSON or XML form).
/// Fails (kProtocol, INVALID_RESPONSE) when it has no `name` or no `fields`.
Result<SObjectDescribe> DescribeFromRecord(Record answer);

/// Gives the text values of an XML record the types its describe declares: boolean fields
/// become booleans, int/long integers, double/currency/percent doubles, and the latitude and
/// longitude of compound location/address values doubles. Text that does not spell its type
/// (and fields the describe does not know) stays as it is. JSON records are typed already and
/// pass through unchanged.
void ApplyDescribeTypes(Record& record, const SObjectDescribe& describe);

}  // namespace sfkit::client
