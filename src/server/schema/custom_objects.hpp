// Custom objects and custom fields, as declared in the org definition file
// (docs/org-definition.md), turned into ObjectDefs. The org definition parser fills the spec
// structs below with what the JSON says (shape only); this module checks the meaning (types,
// lengths, reference targets, relationship names) and builds the definitions, so every error
// names the file and the JSON path of the offending value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/schema/schema.hpp"

namespace sfkit::server {

/// A custom field as written in the file. Which members matter depends on `type`, one of
/// Salesforce's metadata type names: Text, TextArea, LongTextArea, Number, Currency, Percent,
/// Checkbox, Date, DateTime, Time, Email, Phone, Url, Picklist, MultiselectPicklist, Lookup,
/// MasterDetail, AutoNumber.
struct CustomFieldSpec {
    std::string path;   ///< JSON path for messages, e.g. "customObjects[0].fields[2]"
    std::string name;   ///< API name, must end in __c
    std::string label;  ///< empty: derived from the name
    std::string type;
    std::optional<int> length;     ///< Text, LongTextArea
    std::optional<int> precision;  ///< Number, Currency, Percent (total digits)
    std::optional<int> scale;      ///< digits after the decimal point
    bool required = false;
    bool external_id = false;
    bool unique = false;
    bool case_sensitive = false;  ///< unique Text fields
    std::optional<bool> default_checkbox;
    std::vector<std::string> values;  ///< Picklist, MultiselectPicklist
    std::string default_value;        ///< picklist value selected by default
    bool restricted = false;          ///< picklists: only the listed values are accepted
    std::string reference_to;         ///< Lookup, MasterDetail
    std::string relationship_name;    ///< child relationship name, without __r
    std::string delete_constraint;    ///< Lookup: SetNull (default), Restrict, Cascade
    bool reparentable = false;        ///< MasterDetail
    std::string display_format;       ///< AutoNumber, e.g. "INV-{0000}"
    std::int64_t starting_number = 1;
    std::string help_text;  ///< describe inlineHelpText
};

/// The Name field of a custom object: Text (80) or AutoNumber.
struct CustomNameFieldSpec {
    std::string label;          ///< empty: "<object label> Name"
    std::string type = "Text";  ///< Text or AutoNumber
    std::string display_format;
    std::int64_t starting_number = 1;
};

struct CustomObjectSpec {
    std::string path;  ///< "customObjects[0]"
    std::string name;  ///< API name, must end in __c
    std::string label;
    std::string plural_label;  ///< empty: label + "s"
    CustomNameFieldSpec name_field;
    std::vector<CustomFieldSpec> fields;
};

/// Custom fields added to an existing (usually standard) object.
struct CustomFieldsOnObject {
    std::string path;    ///< "customFields.Account"
    std::string object;  ///< as written (matched case-insensitively)
    std::vector<CustomFieldSpec> fields;
};

struct CustomSchemaSpec {
    std::string source;  ///< the org definition file, for messages
    std::vector<CustomObjectSpec> objects;
    std::vector<CustomFieldsOnObject> standard_fields;
};

/// Key prefixes of custom objects, keyed by lower-cased object name.
using KeyPrefixMap = std::map<std::string, std::string>;

/// The n-th generated key prefix: a00, a01, ..., a09, a0A, ..., a0z, a10, ... (base 62).
std::string CustomKeyPrefix(int n);

/// `stored` plus a prefix for every object of `spec` that has none yet: the lowest free one,
/// in the file's order. Stored assignments are never changed, so an object keeps its prefix
/// (and its records' ids stay valid) across restarts, even if objects are removed or reordered.
KeyPrefixMap AssignKeyPrefixes(const CustomSchemaSpec& spec, const KeyPrefixMap& stored);

/// Adds the custom objects and fields of `spec` to `schema` (which holds the standard
/// objects). Custom objects also become possible parents of Task/Event WhatId and
/// Note/Attachment ParentId. Throws std::runtime_error("org definition <file>: <path>:
/// <problem>") on any invalid declaration; `schema` may then be partly modified.
void AddCustomSchema(Schema& schema, const CustomSchemaSpec& spec, const KeyPrefixMap& prefixes);

}  // namespace sfkit::server
