// Custom objects and fields: validation of the declarations and the ObjectDefs they become.
// Custom objects get Salesforce's standard fields in Salesforce's order (Id, OwnerId, IsDeleted,
// Name, audit fields, LastViewedDate, LastReferencedDate), then their custom fields in file order.
#include "server/schema/custom_objects.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "server/schema/object_builder.hpp"

namespace sfkit::server {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool IsAlpha(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsAlnum(char c) {
    return IsAlpha(c) || (c >= '0' && c <= '9');
}

/// Salesforce's rule for developer names: a letter first, then letters, digits and single
/// underscores, not ending in an underscore.
bool ValidDeveloperName(std::string_view base, std::size_t max_length) {
    if (base.empty() || base.size() > max_length || !IsAlpha(base.front()) || base.back() == '_') {
        return false;
    }
    for (std::size_t i = 0; i < base.size(); ++i) {
        const char c = base[i];
        if (!IsAlnum(c) && c != '_') {
            return false;
        }
        if (c == '_' && i + 1 < base.size() && base[i + 1] == '_') {
            return false;
        }
    }
    return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// "Invoice_Line__c" -> "Invoice Line".
std::string LabelFromName(const std::string& name) {
    std::string base = name.substr(0, name.size() - 3);
    std::replace(base.begin(), base.end(), '_', ' ');
    return base;
}

/// Objects a custom lookup cannot point at (Salesforce offers no lookups to them).
bool LookupTargetAllowed(std::string_view object) {
    for (std::string_view no : {"Organization", "Profile", "Note", "Attachment", "Task", "Event"}) {
        if (object == no) {
            return false;
        }
    }
    return true;
}

/// Objects that cannot be the master of a master-detail relationship.
bool MasterAllowed(std::string_view object) {
    for (std::string_view no : {"User",
                                "Organization",
                                "Profile",
                                "Lead",
                                "Note",
                                "Attachment",
                                "Task",
                                "Event",
                                "CampaignMember",
                                "OpportunityLineItem",
                                "PricebookEntry"}) {
        if (object == no) {
            return false;
        }
    }
    return true;
}

class Builder {
public:
    Builder(Schema& schema, const CustomSchemaSpec& spec) : schema_(schema), spec_(spec) {}

    [[noreturn]] void Fail(const std::string& path, const std::string& problem) const {
        throw std::runtime_error("org definition " + spec_.source + ": " + path + ": " + problem);
    }

    void CheckCustomName(const std::string& name, const std::string& path, const char* what) const {
        if (!EndsWith(name, "__c") ||
            !ValidDeveloperName(std::string_view(name).substr(0, name.size() - 3), 40)) {
            Fail(path + ".name",
                 "'" + name + "' is not a valid custom " + what +
                     " name (letters, digits and single underscores, starting with a letter, at "
                     "most 40 characters, ending in __c)");
        }
    }

    /// The custom object with its standard fields; custom fields come later (AddFields), once
    /// every custom object exists and references between them can be resolved.
    ObjectDef Skeleton(const CustomObjectSpec& o, const std::string& prefix) const {
        CheckCustomName(o.name, o.path, "object");
        if (o.label.empty()) {
            Fail(o.path + ".label", "required (a non-empty string)");
        }
        const std::string plural = o.plural_label.empty() ? o.label + "s" : o.plural_label;
        ObjectBuilder b(o.name, o.label, plural, prefix);
        ObjectFlags& flags = b.Flags();
        flags.custom = true;
        flags.feed_enabled = false;
        flags.mergeable = false;
        const bool detail = std::any_of(o.fields.begin(), o.fields.end(), [](const auto& f) {
            return f.type == "MasterDetail";
        });
        if (!detail) {
            // Records of detail objects belong to their master's owner: no OwnerId then.
            b.Owner("Owner ID", {"Group", "User"});
        }
        b.IsDeleted();
        const std::string name_label =
            o.name_field.label.empty() ? o.label + " Name" : o.name_field.label;
        if (o.name_field.type == "AutoNumber") {
            if (o.name_field.display_format.find('{') == std::string::npos) {
                Fail(o.path + ".nameField.displayFormat",
                     "an AutoNumber name needs a display format with a {0...} number block, "
                     "e.g. \"INV-{0000}\"");
            }
            if (o.name_field.starting_number < 0) {
                Fail(o.path + ".nameField.startingNumber", "must not be negative");
            }
            FieldDef& name = b.AutoNumber("Name",
                                          name_label,
                                          o.name_field.display_format,
                                          static_cast<int>(o.name_field.starting_number));
            name.name_field = true;
        } else if (o.name_field.type == "Text") {
            if (!o.name_field.display_format.empty()) {
                Fail(o.path + ".nameField.displayFormat", "only AutoNumber names have one");
            }
            // Left empty on insert, the Name becomes the record's Id (hence nillable and
            // defaulted on create, as describe shows for custom objects).
            FieldDef& name = b.Text("Name", name_label, 80);
            name.name_field = true;
            name.id_lookup = true;
            name.defaulted_on_create = true;
            name.defaults_to_id = true;
        } else {
            Fail(o.path + ".nameField.type",
                 "'" + o.name_field.type + "' is not a name field type (Text or AutoNumber)");
        }
        b.AuditFields();
        b.ViewedFields();
        return std::move(b).Build();
    }

    /// Adds `specs` to `object`; `is_custom_object` allows master-detail fields.
    void AddFields(ObjectDef& object,
                   const std::vector<CustomFieldSpec>& specs,
                   bool is_custom_object) {
        std::set<std::string> names;
        for (const FieldDef& f : object.fields) {
            names.insert(ToLowerAscii(f.name));
        }
        int master_details = 0;
        for (const CustomFieldSpec& spec : specs) {
            CheckCustomName(spec.name, spec.path, "field");
            if (!names.insert(ToLowerAscii(spec.name)).second) {
                Fail(spec.path + ".name", "duplicate field '" + spec.name + "' on " + object.name);
            }
            FieldDef f = Field(spec, object);
            if (f.IsMasterDetail()) {
                if (!is_custom_object) {
                    Fail(spec.path + ".type",
                         "MasterDetail fields can only be added to custom objects (" + object.name +
                             " cannot be a detail)");
                }
                if (master_details == 2) {
                    Fail(spec.path + ".type", "an object can have at most two MasterDetail fields");
                }
                f.relationship_order = master_details++;
            }
            object.fields.push_back(std::move(f));
        }
    }

    FieldDef Field(const CustomFieldSpec& s, const ObjectDef& object) {
        FieldDef f;
        f.name = s.name;
        f.label = s.label.empty() ? LabelFromName(s.name) : s.label;
        f.custom = true;
        f.inline_help_text = s.help_text;
        const std::string& t = s.type;
        const auto no = [&](bool present, const char* key) {
            if (present) {
                Fail(s.path + "." + key, "not used by " + t + " fields");
            }
        };
        const bool text_length = t == "Text" || t == "TextArea" || t == "LongTextArea";
        const bool number = t == "Number" || t == "Currency" || t == "Percent";
        const bool picklist = t == "Picklist" || t == "MultiselectPicklist";
        const bool reference = t == "Lookup" || t == "MasterDetail";
        no(s.length && !text_length, "length");
        no((s.precision || s.scale) && !number, "precision");
        no(!s.values.empty() && !picklist, "values");
        no(!s.default_value.empty() && !picklist, "defaultValue");
        no(s.restricted && !picklist, "restricted");
        no(!s.reference_to.empty() && !reference, "referenceTo");
        no(!s.relationship_name.empty() && !reference, "relationshipName");
        no(!s.delete_constraint.empty() && t != "Lookup", "deleteConstraint");
        no(s.reparentable && t != "MasterDetail", "reparentable");
        no(!s.display_format.empty() && t != "AutoNumber", "displayFormat");
        no(s.default_checkbox.has_value() && t != "Checkbox", "defaultValue");
        no(s.external_id && t != "Text" && t != "Number" && t != "Email" && t != "AutoNumber",
           "externalId");
        no(s.unique && t != "Text" && t != "Number" && t != "Email", "unique");
        no(s.case_sensitive && !(t == "Text" && s.unique), "caseSensitive");

        const auto length_in = [&](int dflt, int lo, int hi) {
            const int n = s.length.value_or(dflt);
            if (n < lo || n > hi) {
                Fail(s.path + ".length",
                     t + " length must be from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + " (got " + std::to_string(n) + ")");
            }
            return n;
        };
        if (t == "Text") {
            f.type = FieldType::kString;
            f.length = length_in(255, 1, 255);
        } else if (t == "TextArea") {
            f.type = FieldType::kTextArea;
            f.length = length_in(255, 1, 255);
            f.extra_type_info = "plaintextarea";
        } else if (t == "LongTextArea") {
            f.type = FieldType::kTextArea;
            f.length = length_in(32768, 256, 131072);
            f.extra_type_info = "plaintextarea";
        } else if (number) {
            f.type = t == "Number"     ? FieldType::kDouble
                     : t == "Currency" ? FieldType::kCurrency
                                       : FieldType::kPercent;
            f.precision = s.precision.value_or(18);
            f.scale = s.scale.value_or(t == "Number" ? 0 : 2);
            if (f.precision < 1 || f.precision > 18) {
                Fail(s.path + ".precision",
                     "must be from 1 to 18 (got " + std::to_string(f.precision) + ")");
            }
            if (f.scale < 0 || f.scale > f.precision) {
                Fail(s.path + ".scale",
                     "must be from 0 to the precision " + std::to_string(f.precision) + " (got " +
                         std::to_string(f.scale) + ")");
            }
        } else if (t == "Checkbox") {
            f.type = FieldType::kBoolean;
            f.nillable = false;
            f.defaulted_on_create = true;
            f.default_boolean = s.default_checkbox.value_or(false);
            if (s.required) {
                Fail(s.path + ".required", "checkboxes are never empty; drop 'required'");
            }
        } else if (t == "Date") {
            f.type = FieldType::kDate;
        } else if (t == "DateTime") {
            f.type = FieldType::kDateTime;
        } else if (t == "Time") {
            f.type = FieldType::kTime;
        } else if (t == "Email") {
            f.type = FieldType::kEmail;
            f.length = 80;
        } else if (t == "Phone") {
            f.type = FieldType::kPhone;
            f.length = 40;
        } else if (t == "Url") {
            f.type = FieldType::kUrl;
            f.length = 255;
        } else if (picklist) {
            f.type = t == "Picklist" ? FieldType::kPicklist : FieldType::kMultiPicklist;
            f.length = t == "Picklist" ? 255 : 4099;
            f.restricted_picklist = s.restricted;
            if (s.values.empty()) {
                Fail(s.path + ".values", "a " + t + " needs at least one value");
            }
            std::set<std::string> seen;
            for (std::size_t i = 0; i < s.values.size(); ++i) {
                const std::string& v = s.values[i];
                if (v.size() > 255 || (t == "MultiselectPicklist" && v.find(';') != v.npos)) {
                    Fail(s.path + ".values[" + std::to_string(i) + "]",
                         "'" + v + "' is not a valid picklist value");
                }
                if (!seen.insert(ToLowerAscii(v)).second) {
                    Fail(s.path + ".values[" + std::to_string(i) + "]",
                         "duplicate value '" + v + "'");
                }
                f.picklist.push_back({v, v, true, v == s.default_value});
            }
            if (!s.default_value.empty()) {
                if (seen.count(ToLowerAscii(s.default_value)) == 0) {
                    Fail(s.path + ".defaultValue",
                         "'" + s.default_value + "' is not one of the values");
                }
                f.defaulted_on_create = true;
            }
        } else if (reference) {
            Reference(f, s, object);
        } else if (t == "AutoNumber") {
            f.type = FieldType::kString;
            f.length = 30;
            f.createable = false;
            f.updateable = false;
            f.nillable = false;
            f.defaulted_on_create = true;
            f.auto_number = true;
            f.id_lookup = true;
            f.display_format = s.display_format;
            f.auto_number_start = s.starting_number;
            if (s.display_format.find('{') == std::string::npos) {
                Fail(s.path + ".displayFormat",
                     "an AutoNumber needs a display format with a {0...} number block, e.g. "
                     "\"INV-{0000}\"");
            }
            if (s.starting_number < 0) {
                Fail(s.path + ".startingNumber", "must not be negative");
            }
        } else {
            Fail(s.path + ".type",
                 "unknown field type '" + t +
                     "' (Text, TextArea, LongTextArea, Number, Currency, Percent, Checkbox, "
                     "Date, DateTime, Time, Email, Phone, Url, Picklist, MultiselectPicklist, "
                     "Lookup, MasterDetail, AutoNumber)");
        }
        if (s.required && t != "Checkbox" && t != "AutoNumber") {
            f.nillable = false;
        }
        f.external_id = s.external_id;
        f.unique = s.unique;
        f.case_sensitive = s.case_sensitive;
        f.id_lookup = f.id_lookup || s.external_id || s.unique;
        return f;
    }

    void Reference(FieldDef& f, const CustomFieldSpec& s, const ObjectDef& object) {
        const bool master = s.type == "MasterDetail";
        if (s.reference_to.empty()) {
            Fail(s.path + ".referenceTo", "required: the object this " + s.type + " points at");
        }
        const ObjectDef* target = schema_.FindObject(s.reference_to);
        if (target == nullptr) {
            Fail(s.path + ".referenceTo", "unknown object '" + s.reference_to + "'");
        }
        if (master ? !MasterAllowed(target->name) : !LookupTargetAllowed(target->name)) {
            Fail(s.path + ".referenceTo",
                 target->name + " cannot be the " +
                     (master ? std::string("master of a MasterDetail") : "target of a Lookup"));
        }
        if (master && target->name == object.name) {
            Fail(s.path + ".referenceTo", "an object cannot be its own master");
        }
        f.type = FieldType::kReference;
        f.length = 18;
        f.reference_to = {target->name};
        // Custom relationships are named after the field with __r (Account__c -> Account__r)
        // in both directions: `Account__r.Name` and `(SELECT .. FROM Invoices__r)`.
        f.relationship_name = s.name.substr(0, s.name.size() - 3) + "__r";
        std::string child = s.relationship_name;
        if (child.empty()) {
            for (char c : object.label_plural) {
                if (IsAlnum(c)) {
                    child += c;
                }
            }
            if (child.empty() || !IsAlpha(child.front())) {
                child = object.name.substr(0, object.name.size() - 3) + "s";
            }
        } else if (!ValidDeveloperName(child, 40)) {
            Fail(s.path + ".relationshipName",
                 "'" + child +
                     "' is not a valid relationship name (letters, digits and single "
                     "underscores, starting with a letter; __r is added by Salesforce)");
        }
        child += "__r";
        const std::string key = ToLowerAscii(target->name) + "." + ToLowerAscii(child);
        if (schema_.FindChildRelationship(*target, child) || !child_names_.insert(key).second) {
            Fail(s.path + ".relationshipName",
                 "'" + child + "' is already a child relationship of " + target->name);
        }
        f.child_relationship_name = child;
        if (master) {
            f.nillable = false;
            f.updateable = s.reparentable;
            f.cascade_delete = true;
            f.relationship_order = 0;  // renumbered by AddFields
        } else if (s.delete_constraint.empty() || s.delete_constraint == "SetNull") {
            // Deleting the parent clears the lookup.
        } else if (s.delete_constraint == "Restrict") {
            f.restricted_delete = true;
        } else if (s.delete_constraint == "Cascade") {
            f.cascade_delete = true;
        } else {
            Fail(s.path + ".deleteConstraint",
                 "'" + s.delete_constraint + "' is not SetNull, Restrict or Cascade");
        }
    }

    void Run(const KeyPrefixMap& prefixes) {
        // Phase 1: every custom object with its standard fields, so that references between
        // custom objects resolve whatever their order in the file.
        std::set<std::string> seen;
        for (const CustomObjectSpec& o : spec_.objects) {
            if (!seen.insert(ToLowerAscii(o.name)).second || schema_.FindObject(o.name)) {
                Fail(o.path + ".name", "duplicate object '" + o.name + "'");
            }
            const auto prefix = prefixes.find(ToLowerAscii(o.name));
            if (prefix == prefixes.end()) {
                throw std::logic_error("no key prefix assigned to " + o.name);
            }
            schema_.Add(Skeleton(o, prefix->second));
        }
        // Phase 2: their custom fields, then custom fields of existing objects.
        for (const CustomObjectSpec& o : spec_.objects) {
            ObjectDef def = *schema_.FindObject(o.name);
            AddFields(def, o.fields, true);
            Replace(std::move(def), o.path);
        }
        for (const CustomFieldsOnObject& extra : spec_.standard_fields) {
            const ObjectDef* existing = schema_.FindObject(extra.object);
            if (existing == nullptr) {
                Fail(extra.path, "unknown object '" + extra.object + "'");
            }
            if (existing->name == "Organization" || existing->name == "Profile") {
                Fail(extra.path, existing->name + " cannot have custom fields");
            }
            ObjectDef def = *existing;
            AddFields(def, extra.fields, existing->flags.custom);
            Replace(std::move(def), extra.path);
        }
        // Custom objects can have activities, notes and attachments.
        std::vector<std::string> custom_names;
        for (const CustomObjectSpec& o : spec_.objects) {
            custom_names.push_back(schema_.FindObject(o.name)->name);
        }
        if (custom_names.empty()) {
            return;
        }
        for (const auto& [object, field] : {std::pair{"Task", "WhatId"},
                                            std::pair{"Event", "WhatId"},
                                            std::pair{"Note", "ParentId"},
                                            std::pair{"Attachment", "ParentId"}}) {
            ObjectDef def = *schema_.FindObject(object);
            auto& targets = def.fields[def.IndexOf(*def.FindField(field))].reference_to;
            targets.insert(targets.end(), custom_names.begin(), custom_names.end());
            std::sort(targets.begin(), targets.end());
            schema_.Replace(std::move(def));
        }
    }

    void Replace(ObjectDef def, const std::string& path) {
        try {
            schema_.Replace(std::move(def));
        } catch (const std::invalid_argument& e) {
            Fail(path, e.what());
        }
    }

private:
    Schema& schema_;
    const CustomSchemaSpec& spec_;
    std::set<std::string> child_names_;  ///< "<parent>.<relationship>" added in this run
};

}  // namespace

std::string CustomKeyPrefix(int n) {
    std::string p = "a";
    p += kBase62[static_cast<std::size_t>(n / 62 % 62)];
    p += kBase62[static_cast<std::size_t>(n % 62)];
    return p;
}

KeyPrefixMap AssignKeyPrefixes(const CustomSchemaSpec& spec, const KeyPrefixMap& stored) {
    KeyPrefixMap out = stored;
    std::set<std::string> used;
    for (const auto& [name, prefix] : stored) {
        used.insert(prefix);
    }
    int next = 0;
    for (const CustomObjectSpec& o : spec.objects) {
        const std::string key = ToLowerAscii(o.name);
        if (out.count(key) != 0) {
            continue;
        }
        while (used.count(CustomKeyPrefix(next)) != 0) {
            ++next;
        }
        if (next >= 62 * 62) {
            throw std::runtime_error("org definition " + spec.source + ": " + o.path +
                                     ": no custom object key prefix left");
        }
        out[key] = CustomKeyPrefix(next);
        used.insert(out[key]);
    }
    return out;
}

void AddCustomSchema(Schema& schema, const CustomSchemaSpec& spec, const KeyPrefixMap& prefixes) {
    Builder(schema, spec).Run(prefixes);
}

}  // namespace sfkit::server
