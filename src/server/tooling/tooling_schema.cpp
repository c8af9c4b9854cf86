// The Tooling entities and the rows generated from the org's schema. Field lists follow the
// Tooling API reference's object pages (EntityDefinition, FieldDefinition, CustomObject,
// CustomField, ApexClass, ApexTrigger) [D], cut to what describes a data model; the key
// prefixes 01I, 00N, 01p, 01q are Salesforce's [D], those of EntityDefinition and
// FieldDefinition are sfkit's own (real ones are not documented) [M].
#include "server/tooling/tooling_schema.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "server/schema/object_builder.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server::tooling {
namespace {

ObjectDef ReadOnlyEntity(ObjectBuilder&& b, bool searchable = false) {
    ObjectFlags& f = b.Flags();
    f.createable = false;
    f.updateable = false;
    f.deletable = false;
    f.undeletable = false;
    f.mergeable = false;
    f.feed_enabled = false;
    f.layoutable = false;
    f.replicateable = false;
    f.triggerable = false;
    f.searchable = searchable;
    f.compact_layoutable = false;
    f.search_layoutable = false;
    ObjectDef o = std::move(b).Build();
    o.flags.mru_enabled = false;
    o.resource_path = "tooling/sobjects";
    for (FieldDef& field : o.fields) {
        field.createable = false;
        field.updateable = false;
    }
    return o;
}

void Dates(ObjectBuilder& b) {
    b.DateTime("CreatedDate", "Created Date");
    b.DateTime("LastModifiedDate", "Last Modified Date");
}

ObjectDef EntityDefinition() {
    ObjectBuilder b("EntityDefinition", "Entity Definition", "Entity Definitions", "0Ei");
    b.Text("DurableId", "Durable ID", 70);
    b.Text("QualifiedApiName", "Qualified API Name", 250).name_field = true;
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Text("DeveloperName", "Developer Name", 40);
    b.Text("MasterLabel", "Master Label", 40);
    b.Text("Label", "Label", 40);
    b.Text("PluralLabel", "Plural Label", 40);
    b.Text("KeyPrefix", "Key Prefix", 3);
    for (const char* flag : {"IsCustomSetting",
                             "IsCustomizable",
                             "IsApexTriggerable",
                             "IsCompactLayoutable",
                             "IsDeprecatedAndHidden",
                             "IsEverCreatable",
                             "IsEverDeletable",
                             "IsEverUpdatable",
                             "IsFeedEnabled",
                             "IsIdEnabled",
                             "IsLayoutable",
                             "IsMruEnabled",
                             "IsQueryable",
                             "IsReplicateable",
                             "IsRetrieveable",
                             "IsSearchLayoutable",
                             "IsSearchable",
                             "IsTriggerable",
                             "HasSubtypes",
                             "IsSubtype",
                             "IsInterface"}) {
        b.Checkbox(flag, flag);
    }
    b.Text("InternalSharingModel", "Internal Sharing Model", 40);
    b.Text("ExternalSharingModel", "External Sharing Model", 40);
    b.Url("DetailUrl", "Detail URL");
    b.Url("EditUrl", "Edit URL");
    b.Url("NewUrl", "New URL");
    Dates(b);
    return ReadOnlyEntity(std::move(b));
}

ObjectDef FieldDefinition() {
    ObjectBuilder b("FieldDefinition", "Field Definition", "Field Definitions", "0Fi");
    b.Text("DurableId", "Durable ID", 70);
    b.Text("QualifiedApiName", "Qualified API Name", 250).name_field = true;
    b.Reference("EntityDefinitionId",
                "Entity Definition ID",
                {"EntityDefinition"},
                "EntityDefinition",
                "Fields");
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Text("DeveloperName", "Developer Name", 40);
    b.Text("MasterLabel", "Master Label", 40);
    b.Text("Label", "Label", 40);
    b.Integer("Length", "Length", 9);
    b.Integer("Precision", "Precision", 9);
    b.Integer("Scale", "Scale", 9);
    b.Integer("Digits", "Digits", 9);
    b.Text("DataType", "Data Type", 255);
    b.Text("ExtraTypeInfo", "Extra Type Info", 40);
    b.Text("RelationshipName", "Relationship Name", 80);
    for (const char* flag : {"IsApiFilterable",
                             "IsApiGroupable",
                             "IsApiSortable",
                             "IsCalculated",
                             "IsCompound",
                             "IsHtmlFormatted",
                             "IsIndexed",
                             "IsNameField",
                             "IsNillable",
                             "IsPolymorphicForeignKey",
                             "IsFieldHistoryTracked"}) {
        b.Checkbox(flag, flag);
    }
    b.TextArea("Description", "Description", 1000);
    Dates(b);
    return ReadOnlyEntity(std::move(b));
}

ObjectDef CustomObject() {
    ObjectBuilder b("CustomObject", "Custom Object", "Custom Objects", "01I");
    b.Text("DeveloperName", "Object Name", 40).name_field = true;
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Text("ManageableState", "Manageable State", 40);
    b.Text("SharingModel", "Sharing Model", 40);
    b.Text("ExternalSharingModel", "External Sharing Model", 40);
    b.TextArea("Description", "Description", 1000);
    b.Text("FullName", "Full Name", 255);
    Dates(b);
    return ReadOnlyEntity(std::move(b));
}

ObjectDef CustomField() {
    ObjectBuilder b("CustomField", "Custom Field Definition", "Custom Field Definitions", "00N");
    b.Text("DeveloperName", "Field Name", 40).name_field = true;
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Text("TableEnumOrId", "Table Enum or ID", 40);
    b.Text("ManageableState", "Manageable State", 40);
    b.Integer("Length", "Length", 9);
    b.Integer("Precision", "Precision", 9);
    b.Integer("Scale", "Scale", 9);
    b.Text("RelationshipLabel", "Child Relationship Label", 80);
    b.TextArea("Description", "Description", 1000);
    b.TextArea("InlineHelpText", "Help Text", 510);
    b.Text("FullName", "Full Name", 255);
    Dates(b);
    return ReadOnlyEntity(std::move(b));
}

ObjectDef Apex(const char* name, const char* label, const char* plural, const char* prefix) {
    ObjectBuilder b(name, label, plural, prefix);
    b.Text("Name", "Name", 255).name_field = true;
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    if (std::string(name) == "ApexTrigger") {
        b.Text("TableEnumOrId", "Custom Object Definition ID", 40);
    }
    b.Number("ApiVersion", "Api Version", FieldType::kDouble, 18, 1);
    b.Text("Status", "Status", 40);
    b.Checkbox("IsValid", "Is Valid");
    b.Add("Body", "Body", FieldType::kTextArea, 1000000).extra_type_info = "plaintextarea";
    b.Integer("LengthWithoutComments", "Size Without Comments", 9);
    Dates(b);
    return ReadOnlyEntity(std::move(b), true);
}

/// An entity the Tooling API writes through the ordinary record resources (POST, PATCH,
/// DELETE on /tooling/sobjects/{Entity}[/{id}]) [D: each entity's "Supported REST HTTP
/// Methods"].
ObjectDef WritableEntity(ObjectBuilder&& b) {
    ObjectFlags& f = b.Flags();
    f.createable = true;
    f.updateable = true;
    f.deletable = true;
    f.undeletable = false;
    f.mergeable = false;
    f.feed_enabled = false;
    f.layoutable = false;
    f.replicateable = false;
    f.triggerable = false;
    f.searchable = false;
    f.compact_layoutable = false;
    f.search_layoutable = false;
    ObjectDef o = std::move(b).Build();
    o.resource_path = "tooling/sobjects";
    return o;
}

/// SandboxInfo [D: Tooling API object reference]: a create enqueues a sandbox copy, an update a
/// refresh. The local org keeps the records and copies nothing (docs/tooling.md). Field order
/// as a GET of the record shows it in the Postman workspace's example [F: api-evangelist's
/// "get sandbox" schema, derived from it]; ActivationUserGroupId from 60.0 [D]. The key prefix
/// 0GQ is sfkit's reading of real SandboxInfo ids [M].
ObjectDef SandboxInfo() {
    ObjectBuilder b("SandboxInfo", "Sandbox Info", "Sandbox Info", "0GQ");
    b.IsDeleted();
    b.AuditFields();
    FieldDef& name = Required(b.Text("SandboxName", "Sandbox Name", 10));
    name.name_field = true;
    FieldDef& license = Required(b.Picklist(
        "LicenseType", "License Type", {"DEVELOPER", "DEVELOPER_PRO", "PARTIAL", "FULL"}));
    license.restricted_picklist = true;
    // A PartitionLevelScheme id on Salesforce: an object this org does not model.
    b.Text("TemplateId", "Template ID", 18);
    b.Integer("HistoryDays", "History Days", 9);
    b.Checkbox("CopyChatter", "Copy Chatter");
    b.Checkbox("AutoActivate", "Auto Activate");
    b.Reference("ApexClassId", "Apex Class ID", {"ApexClass"}, "ApexClass");
    b.TextArea("Description", "Description", 255);
    b.Reference("SourceId", "Source ID", {"SandboxInfo"}, "Source");
    b.Reference(
         "ActivationUserGroupId", "Activation User Group ID", {"Group"}, "ActivationUserGroup")
        .since_version = 60;
    return WritableEntity(std::move(b));
}

/// The metadata-backed entities' `FullName` (required, unique) and `Metadata` (the metadata
/// type's JSON, kept as text and answered as an object; docs/tooling.md).
void MetadataFields(ObjectBuilder& b) {
    FieldDef& full = Required(b.Text("FullName", "Full Name", 255));
    full.unique = true;
    b.Add("Metadata", "Metadata", FieldType::kTextArea, 131072).extra_type_info = "plaintextarea";
}

/// PlatformEventChannel [D: Tooling API object reference, "PlatformEventChannel"]: a custom
/// channel for Change Data Capture events (`ChannelType` data) or platform events (event).
/// Key prefix 0YL [M].
ObjectDef PlatformEventChannel() {
    ObjectBuilder b(
        "PlatformEventChannel", "Platform Event Channel", "Platform Event Channels", "0YL");
    b.IsDeleted();
    b.Text("DeveloperName", "Developer Name", 80).name_field = true;
    b.Picklist("Language", "Language", {"en_US"});
    b.Text("MasterLabel", "Label", 80);
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Picklist("ChannelType", "Channel Type", {"data", "event"});
    b.AuditFields();
    MetadataFields(b);
    return WritableEntity(std::move(b));
}

/// PlatformEventChannelMember [D: Tooling API object reference]: an entity's change events on a
/// custom channel, optionally filtered (`FilterExpression`, 56.0 [D]). `EventChannel` holds the
/// channel's FullName. Key prefix 0v8 [M].
ObjectDef PlatformEventChannelMember() {
    ObjectBuilder b("PlatformEventChannelMember",
                    "Platform Event Channel Member",
                    "Platform Event Channel Members",
                    "0v8");
    b.IsDeleted();
    b.Text("DeveloperName", "Developer Name", 80).name_field = true;
    b.Text("NamespacePrefix", "Namespace Prefix", 15);
    b.Text("EventChannel", "Event Channel", 255);
    b.Text("SelectedEntity", "Selected Entity", 255);
    b.TextArea("FilterExpression", "Filter Expression", 1000).since_version = 56;
    b.AuditFields();
    MetadataFields(b);
    return WritableEntity(std::move(b));
}

/// One row of `object`, filled by name.
class Row {
public:
    explicit Row(const ObjectDef& object) : object_(object), values_(object.fields.size()) {}

    Row& Set(std::string_view field, FieldValue value) {
        const FieldDef* f = object_.FindField(field);
        if (f == nullptr) {
            throw std::logic_error("tooling: no field " + std::string(field));
        }
        values_[object_.IndexOf(*f)] = std::move(value);
        return *this;
    }
    Row& Text(std::string_view field, const std::string& value) {
        return value.empty() ? *this : Set(field, value);
    }
    std::string Insert(RecordStore& store) { return store.Insert(object_, values_).Str18(); }

private:
    const ObjectDef& object_;
    RecordValues values_;
};

std::string Number(const char* kind, int precision, int scale) {
    return std::string(kind) + "(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
}

/// "Invoice__c" -> "Invoice"; "ns__Invoice__c" -> "Invoice" (namespace in NamespacePrefix).
std::string DeveloperName(const std::string& api_name) {
    std::string name = api_name;
    if (name.size() > 3 && name.compare(name.size() - 3, 3, "__c") == 0) {
        name.resize(name.size() - 3);
    }
    const auto ns = name.find("__");
    return ns == std::string::npos ? name : name.substr(ns + 2);
}

std::string NamespaceOf(const std::string& api_name) {
    const auto first = api_name.find("__");
    const auto last = api_name.rfind("__");
    return first != last ? api_name.substr(0, first) : std::string();
}

}  // namespace

std::string DataTypeText(const FieldDef& f) {
    std::string targets;
    for (const std::string& t : f.reference_to) {
        targets += (targets.empty() ? "" : ",") + t;
    }
    switch (f.type) {
        case FieldType::kId:
            return "Lookup()";
        case FieldType::kBoolean:
            return "Checkbox";
        case FieldType::kString:
            return f.auto_number ? "Auto Number" : "Text(" + std::to_string(f.length) + ")";
        case FieldType::kEncryptedString:
            return "Text (Encrypted)(" + std::to_string(f.length) + ")";
        case FieldType::kTextArea:
            if (f.html_formatted) {
                return "Rich Text Area(" + std::to_string(f.length) + ")";
            }
            return f.length > 255 ? "Long Text Area(" + std::to_string(f.length) + ")"
                                  : "Text Area(" + std::to_string(f.length) + ")";
        case FieldType::kPicklist:
            return "Picklist";
        case FieldType::kMultiPicklist:
            return "Picklist (Multi-Select)";
        case FieldType::kCombobox:
            return "Picklist";
        case FieldType::kReference:
            return (f.IsMasterDetail() ? "Master-Detail(" : "Lookup(") + targets + ")";
        case FieldType::kEmail:
            return "Email";
        case FieldType::kPhone:
            return "Phone";
        case FieldType::kUrl:
            return "URL(" + std::to_string(f.length) + ")";
        case FieldType::kInt:
        case FieldType::kLong:
            return Number("Number", f.digits, 0);
        case FieldType::kDouble:
            return Number("Number", f.precision, f.scale);
        case FieldType::kCurrency:
            return Number("Currency", f.precision, f.scale);
        case FieldType::kPercent:
            return Number("Percent", f.precision, f.scale);
        case FieldType::kDate:
            return "Date";
        case FieldType::kDateTime:
            return "Date/Time";
        case FieldType::kTime:
            return "Time";
        case FieldType::kBase64:
            return "File";
        case FieldType::kAddress:
            return "Address";
        case FieldType::kLocation:
            return "Geolocation";
        case FieldType::kAnyType:
            return "Any Type";
    }
    return std::string(TypeName(f.type));
}

Schema ToolingSchema() {
    Schema s;
    s.Add(EntityDefinition());
    s.Add(FieldDefinition());
    s.Add(CustomObject());
    s.Add(CustomField());
    s.Add(Apex("ApexClass", "Apex Class", "Apex Classes", "01p"));
    s.Add(Apex("ApexTrigger", "Apex Trigger", "Apex Triggers", "01q"));
    s.Add(SandboxInfo());
    s.Add(PlatformEventChannel());
    s.Add(PlatformEventChannelMember());
    return s;
}

void FillToolingRows(RecordStore& store,
                     const Schema& tooling,
                     const Schema& org,
                     const std::string& modified) {
    const ObjectDef& entity = *tooling.FindObject("EntityDefinition");
    const ObjectDef& field_def = *tooling.FindObject("FieldDefinition");
    const ObjectDef& custom_object = *tooling.FindObject("CustomObject");
    const ObjectDef& custom_field = *tooling.FindObject("CustomField");
    store.Atomically([&] {
        for (const ObjectDef* o : org.Objects()) {
            const ObjectFlags& f = o->flags;
            // A custom object's durable id is its CustomObject id (as on Salesforce).
            std::string durable = o->name;
            if (f.custom) {
                durable = Row(custom_object)
                              .Set("DeveloperName", DeveloperName(o->name))
                              .Text("NamespacePrefix", NamespaceOf(o->name))
                              .Set("ManageableState", "unmanaged")
                              .Set("SharingModel", "ReadWrite")
                              .Set("ExternalSharingModel", "Private")
                              .Set("FullName", o->name)
                              .Set("CreatedDate", modified)
                              .Set("LastModifiedDate", modified)
                              .Insert(store)
                              .substr(0, 15);
            }
            const std::string entity_id = Row(entity)
                                              .Set("DurableId", durable)
                                              .Set("QualifiedApiName", o->name)
                                              .Text("NamespacePrefix", NamespaceOf(o->name))
                                              .Set("DeveloperName", DeveloperName(o->name))
                                              .Set("MasterLabel", o->label)
                                              .Set("Label", o->label)
                                              .Set("PluralLabel", o->label_plural)
                                              .Text("KeyPrefix", o->key_prefix)
                                              .Set("IsCustomSetting", f.custom_setting)
                                              .Set("IsCustomizable", f.layoutable)
                                              .Set("IsApexTriggerable", f.triggerable)
                                              .Set("IsCompactLayoutable", f.compact_layoutable)
                                              .Set("IsDeprecatedAndHidden", f.deprecated_and_hidden)
                                              .Set("IsEverCreatable", f.createable)
                                              .Set("IsEverDeletable", f.deletable)
                                              .Set("IsEverUpdatable", f.updateable)
                                              .Set("IsFeedEnabled", f.feed_enabled)
                                              .Set("IsIdEnabled", true)
                                              .Set("IsLayoutable", f.layoutable)
                                              .Set("IsMruEnabled", f.mru_enabled)
                                              .Set("IsQueryable", f.queryable)
                                              .Set("IsReplicateable", f.replicateable)
                                              .Set("IsRetrieveable", f.retrieveable)
                                              .Set("IsSearchLayoutable", f.search_layoutable)
                                              .Set("IsSearchable", f.searchable)
                                              .Set("IsTriggerable", f.triggerable)
                                              .Set("HasSubtypes", f.has_subtypes)
                                              .Set("IsSubtype", f.is_subtype)
                                              .Set("IsInterface", f.is_interface)
                                              .Set("InternalSharingModel", "ReadWrite")
                                              .Set("ExternalSharingModel", "Private")
                                              .Set("CreatedDate", modified)
                                              .Set("LastModifiedDate", modified)
                                              .Insert(store);
            for (const FieldDef& fd : o->fields) {
                std::string field_durable = o->name + "." + fd.name;
                if (fd.custom) {
                    const std::string id =
                        Row(custom_field)
                            .Set("DeveloperName", DeveloperName(fd.name))
                            .Text("NamespacePrefix", NamespaceOf(fd.name))
                            .Set("TableEnumOrId", durable)
                            .Set("ManageableState", "unmanaged")
                            .Set("Length", static_cast<std::int64_t>(fd.length))
                            .Set("Precision", static_cast<std::int64_t>(fd.precision))
                            .Set("Scale", static_cast<std::int64_t>(fd.scale))
                            .Text("InlineHelpText", fd.inline_help_text)
                            .Set("FullName", o->name + "." + fd.name)
                            .Set("CreatedDate", modified)
                            .Set("LastModifiedDate", modified)
                            .Insert(store);
                    field_durable = durable + "." + id.substr(0, 15);
                }
                Row(field_def)
                    .Set("DurableId", field_durable)
                    .Set("QualifiedApiName", fd.name)
                    .Set("EntityDefinitionId", entity_id)
                    .Text("NamespacePrefix", NamespaceOf(fd.name))
                    .Set("DeveloperName", DeveloperName(fd.name))
                    .Set("MasterLabel", fd.label)
                    .Set("Label", fd.label)
                    .Set("Length", static_cast<std::int64_t>(fd.length))
                    .Set("Precision", static_cast<std::int64_t>(fd.precision))
                    .Set("Scale", static_cast<std::int64_t>(fd.scale))
                    .Set("Digits", static_cast<std::int64_t>(fd.digits))
                    .Set("DataType", DataTypeText(fd))
                    .Text("ExtraTypeInfo", fd.extra_type_info)
                    .Text("RelationshipName", fd.relationship_name)
                    .Set("IsApiFilterable", fd.Filterable())
                    .Set("IsApiGroupable", fd.Groupable())
                    .Set("IsApiSortable", fd.Sortable())
                    .Set("IsCalculated", false)
                    .Set("IsCompound", fd.IsCompound())
                    .Set("IsHtmlFormatted", fd.html_formatted)
                    .Set("IsIndexed",
                         fd.type == FieldType::kId || fd.IsReference() || fd.external_id ||
                             fd.unique)
                    .Set("IsNameField", fd.name_field)
                    .Set("IsNillable", fd.nillable)
                    .Set("IsPolymorphicForeignKey", fd.IsPolymorphic())
                    .Set("IsFieldHistoryTracked", false)
                    .Set("CreatedDate", modified)
                    .Set("LastModifiedDate", modified)
                    .Insert(store);
            }
        }
    });
}

}  // namespace sfkit::server::tooling
