// describeGlobal / describe answers -> structs, read from the generic Record form so that the JSON
// and XML answers share one reader (XML: repeated elements are lists, a single one is not).
#include "sfkit/client/describe.hpp"

#include <charconv>

#include "client/value_read.hpp"

namespace sfkit::client {
using detail::ReadBool;
using detail::ReadInt;
using detail::ReadItems;
using detail::ReadStrings;
using detail::ReadText;

namespace {

bool IEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = static_cast<unsigned char>(a[i]);
        auto y = static_cast<unsigned char>(b[i]);
        x = (x >= 'A' && x <= 'Z') ? static_cast<unsigned char>(x + 32) : x;
        y = (y >= 'A' && y <= 'Z') ? static_cast<unsigned char>(y + 32) : y;
        if (x != y) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> OptionalText(const Record& r, std::string_view key) {
    const Value* v = r.Find(key);
    if (v == nullptr || v->IsNull()) {
        return std::nullopt;
    }
    return v->ToText();
}

SObjectSummary ReadSummary(const Record& r) {
    SObjectSummary s;
    s.name = ReadText(r, "name");
    s.label = ReadText(r, "label");
    s.label_plural = ReadText(r, "labelPlural");
    s.key_prefix = ReadText(r, "keyPrefix");
    s.custom = ReadBool(r, "custom");
    s.custom_setting = ReadBool(r, "customSetting");
    s.createable = ReadBool(r, "createable");
    s.updateable = ReadBool(r, "updateable");
    s.deletable = ReadBool(r, "deletable");
    s.undeletable = ReadBool(r, "undeletable");
    s.queryable = ReadBool(r, "queryable");
    s.retrieveable = ReadBool(r, "retrieveable");
    s.searchable = ReadBool(r, "searchable");
    s.layoutable = ReadBool(r, "layoutable");
    s.triggerable = ReadBool(r, "triggerable");
    s.deprecated_and_hidden = ReadBool(r, "deprecatedAndHidden");
    return s;
}

FieldDescribe ReadField(const Record& r) {
    FieldDescribe f;
    f.name = ReadText(r, "name");
    f.label = ReadText(r, "label");
    f.type = ReadText(r, "type");
    f.soap_type = ReadText(r, "soapType");
    f.length = ReadInt(r, "length");
    f.byte_length = ReadInt(r, "byteLength");
    f.precision = ReadInt(r, "precision");
    f.scale = ReadInt(r, "scale");
    f.digits = ReadInt(r, "digits");
    f.nillable = ReadBool(r, "nillable");
    f.createable = ReadBool(r, "createable");
    f.updateable = ReadBool(r, "updateable");
    f.defaulted_on_create = ReadBool(r, "defaultedOnCreate");
    f.custom = ReadBool(r, "custom");
    f.unique = ReadBool(r, "unique");
    f.external_id = ReadBool(r, "externalId");
    f.id_lookup = ReadBool(r, "idLookup");
    f.name_field = ReadBool(r, "nameField");
    f.calculated = ReadBool(r, "calculated");
    f.auto_number = ReadBool(r, "autoNumber");
    f.case_sensitive = ReadBool(r, "caseSensitive");
    f.filterable = ReadBool(r, "filterable");
    f.sortable = ReadBool(r, "sortable");
    f.groupable = ReadBool(r, "groupable");
    f.cascade_delete = ReadBool(r, "cascadeDelete");
    f.restricted_delete = ReadBool(r, "restrictedDelete");
    f.restricted_picklist = ReadBool(r, "restrictedPicklist");
    f.dependent_picklist = ReadBool(r, "dependentPicklist");
    f.html_formatted = ReadBool(r, "htmlFormatted");
    f.polymorphic_foreign_key = ReadBool(r, "polymorphicForeignKey");
    f.deprecated_and_hidden = ReadBool(r, "deprecatedAndHidden");
    f.default_value = OptionalText(r, "defaultValue");
    f.inline_help_text = ReadText(r, "inlineHelpText");
    f.compound_field_name = ReadText(r, "compoundFieldName");
    f.controller_name = ReadText(r, "controllerName");
    for (const auto& item : ReadItems(r, "picklistValues")) {
        if (const Record* p = item.AsRecord()) {
            f.picklist_values.push_back({ReadText(*p, "value"),
                                         ReadText(*p, "label"),
                                         ReadBool(*p, "active"),
                                         ReadBool(*p, "defaultValue")});
        }
    }
    f.reference_to = ReadStrings(r, "referenceTo");
    f.relationship_name = ReadText(r, "relationshipName");
    return f;
}

Error Malformed(std::string what) {
    return MakeError(ErrorKind::kProtocol, "INVALID_RESPONSE", std::move(what));
}

/// The text as the field's type, or nullopt when it does not spell one.
std::optional<Value> Typed(const std::string& text, std::string_view type) {
    if (type == "boolean") {
        if (text == "true" || text == "false") {
            return Value(text == "true");
        }
        return std::nullopt;
    }
    if (type == "int" || type == "long") {
        long long i = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), i);
        if (!text.empty() && r.ec == std::errc() && r.ptr == text.data() + text.size()) {
            return Value(i);
        }
        return std::nullopt;
    }
    if (type == "double" || type == "currency" || type == "percent") {
        double d = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
        if (!text.empty() && r.ec == std::errc() && r.ptr == text.data() + text.size()) {
            return Value(d);
        }
    }
    return std::nullopt;
}

/// latitude/longitude inside compound address/location values are numbers.
Record TypeCompound(const Record& compound) {
    Record out = compound;
    for (const auto& f : compound.Fields()) {
        if (IEquals(f.name, "latitude") || IEquals(f.name, "longitude")) {
            if (const auto* s = f.value.AsString()) {
                if (auto v = Typed(*s, "double")) {
                    out.Set(f.name, *std::move(v));
                }
            }
        }
    }
    return out;
}

}  // namespace

bool FieldDescribe::IsRequired() const noexcept {
    return !nillable && createable && !defaulted_on_create;
}

const FieldDescribe* SObjectDescribe::Field(std::string_view name) const noexcept {
    for (const auto& f : fields) {
        if (IEquals(f.name, name)) {
            return &f;
        }
    }
    return nullptr;
}

const ChildRelationship* SObjectDescribe::ChildByRelationship(
    std::string_view relationship) const noexcept {
    for (const auto& c : child_relationships) {
        if (!c.relationship_name.empty() && IEquals(c.relationship_name, relationship)) {
            return &c;
        }
    }
    return nullptr;
}

Result<DescribeGlobalResult> DescribeGlobalFromRecord(Record answer) {
    if (answer.Find("sobjects") == nullptr) {
        return Malformed("the describeGlobal answer has no sobjects");
    }
    DescribeGlobalResult out;
    out.encoding = ReadText(answer, "encoding");
    out.max_batch_size = ReadInt(answer, "maxBatchSize");
    for (const auto& item : ReadItems(answer, "sobjects")) {
        if (const Record* r = item.AsRecord()) {
            out.sobjects.push_back(ReadSummary(*r));
        }
    }
    out.raw = std::move(answer);
    return out;
}

Result<SObjectDescribe> DescribeFromRecord(Record answer) {
    if (ReadText(answer, "name").empty() || answer.Find("fields") == nullptr) {
        return Malformed("the describe answer has no name or no fields");
    }
    SObjectDescribe out;
    out.summary = ReadSummary(answer);
    for (const auto& item : ReadItems(answer, "fields")) {
        if (const Record* r = item.AsRecord()) {
            out.fields.push_back(ReadField(*r));
        }
    }
    for (const auto& item : ReadItems(answer, "childRelationships")) {
        if (const Record* r = item.AsRecord()) {
            out.child_relationships.push_back({ReadText(*r, "childSObject"),
                                               ReadText(*r, "field"),
                                               ReadText(*r, "relationshipName"),
                                               ReadBool(*r, "cascadeDelete"),
                                               ReadBool(*r, "restrictedDelete"),
                                               ReadBool(*r, "deprecatedAndHidden")});
        }
    }
    for (const auto& item : ReadItems(answer, "recordTypeInfos")) {
        if (const Record* r = item.AsRecord()) {
            out.record_type_infos.push_back({ReadText(*r, "name"),
                                             ReadText(*r, "developerName"),
                                             ReadText(*r, "recordTypeId"),
                                             ReadBool(*r, "active"),
                                             ReadBool(*r, "available"),
                                             ReadBool(*r, "master"),
                                             ReadBool(*r, "defaultRecordTypeMapping")});
        }
    }
    out.raw = std::move(answer);
    return out;
}

void ApplyDescribeTypes(Record& record, const SObjectDescribe& describe) {
    // Collect first: Set on the record while iterating its fields would invalidate the loop.
    std::vector<std::pair<std::string, Value>> changes;
    for (const auto& f : record.Fields()) {
        const FieldDescribe* fd = describe.Field(f.name);
        if (fd == nullptr) {
            continue;
        }
        if (const auto* s = f.value.AsString()) {
            if (auto v = Typed(*s, fd->type)) {
                changes.emplace_back(f.name, *std::move(v));
            }
        } else if (const Record* nested = f.value.AsRecord();
                   nested != nullptr && (fd->type == "address" || fd->type == "location")) {
            changes.emplace_back(f.name, TypeCompound(*nested));
        }
    }
    for (auto& [name, value] : changes) {
        record.Set(name, std::move(value));
    }
}

}  // namespace sfkit::client
