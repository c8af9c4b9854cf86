// ObjectBuilder: shared field vocabulary for standard and custom objects.
#include "server/schema/object_builder.hpp"

namespace sfkit::server {

ObjectBuilder::ObjectBuilder(std::string name,
                             std::string label,
                             std::string label_plural,
                             std::string key_prefix) {
    object_.name = std::move(name);
    object_.label = std::move(label);
    object_.label_plural = std::move(label_plural);
    object_.key_prefix = std::move(key_prefix);
    FieldDef& id = Add("Id", object_.label + " ID", FieldType::kId, 18);
    id.nillable = false;
    id.createable = false;
    id.updateable = false;
    id.defaulted_on_create = true;
    id.id_lookup = true;
    id.system_maintained = true;
}

ObjectDef ObjectBuilder::Build() && {
    object_.flags.mru_enabled = false;
    for (const FieldDef& f : object_.fields) {
        object_.flags.mru_enabled = object_.flags.mru_enabled || f.name == "LastViewedDate";
    }
    return std::move(object_);
}

FieldDef& ObjectBuilder::Add(std::string name, std::string label, FieldType type, int length) {
    FieldDef f;
    f.name = std::move(name);
    f.label = std::move(label);
    f.type = type;
    f.length = length;
    object_.fields.push_back(std::move(f));
    return object_.fields.back();
}

FieldDef& ObjectBuilder::Text(std::string name, std::string label, int length) {
    return Add(std::move(name), std::move(label), FieldType::kString, length);
}

FieldDef& ObjectBuilder::TextArea(std::string name, std::string label, int length) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kTextArea, length);
    f.extra_type_info = "plaintextarea";
    return f;
}

FieldDef& ObjectBuilder::Phone(std::string name, std::string label) {
    return Add(std::move(name), std::move(label), FieldType::kPhone, 40);
}

FieldDef& ObjectBuilder::Url(std::string name, std::string label, int length) {
    return Add(std::move(name), std::move(label), FieldType::kUrl, length);
}

FieldDef& ObjectBuilder::Email(std::string name, std::string label) {
    return Add(std::move(name), std::move(label), FieldType::kEmail, 80);
}

FieldDef& ObjectBuilder::Picklist(std::string name,
                                  std::string label,
                                  std::initializer_list<std::string_view> values,
                                  int length) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kPicklist, length);
    for (std::string_view v : values) {
        f.picklist.push_back({std::string(v), std::string(v), true, false});
    }
    return f;
}

FieldDef& ObjectBuilder::Reference(std::string name,
                                   std::string label,
                                   std::initializer_list<std::string_view> targets,
                                   std::string relationship_name,
                                   std::string child_relationship) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kReference, 18);
    for (std::string_view t : targets) {
        f.reference_to.emplace_back(t);
    }
    f.relationship_name = std::move(relationship_name);
    f.child_relationship_name = std::move(child_relationship);
    return f;
}

FieldDef& ObjectBuilder::MasterDetail(std::string name,
                                      std::string label,
                                      std::string_view target,
                                      std::string relationship_name,
                                      std::string child_relationship,
                                      int order) {
    FieldDef& f = Reference(std::move(name),
                            std::move(label),
                            {target},
                            std::move(relationship_name),
                            std::move(child_relationship));
    f.nillable = false;
    f.updateable = false;
    f.cascade_delete = true;
    f.relationship_order = order;
    return f;
}

FieldDef& ObjectBuilder::Date(std::string name, std::string label) {
    return Add(std::move(name), std::move(label), FieldType::kDate);
}

FieldDef& ObjectBuilder::DateTime(std::string name, std::string label) {
    return Add(std::move(name), std::move(label), FieldType::kDateTime);
}

FieldDef& ObjectBuilder::Combobox(std::string name,
                                  std::string label,
                                  std::initializer_list<std::string_view> values,
                                  int length) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kCombobox, length);
    for (std::string_view v : values) {
        f.picklist.push_back({std::string(v), std::string(v), true, false});
    }
    return f;
}

FieldDef& ObjectBuilder::AutoNumber(std::string name,
                                    std::string label,
                                    std::string format,
                                    int start) {
    FieldDef& f = Text(std::move(name), std::move(label), 30);
    ReadOnly(f);
    f.nillable = false;
    f.defaulted_on_create = true;
    f.auto_number = true;
    f.display_format = std::move(format);
    f.auto_number_start = start;
    f.id_lookup = true;
    return f;
}

void ObjectBuilder::PersonName(int last_name_length) {
    FieldDef& last = Required(Text("LastName", "Last Name", last_name_length));
    last.compound_field_name = "Name";
    Text("FirstName", "First Name", 40).compound_field_name = "Name";
    Picklist("Salutation", "Salutation", {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."})
        .compound_field_name = "Name";
    // The compound full name: read-only, computed from the parts (derived_fields.cpp).
    FieldDef& full = Derived(Text("Name", "Full Name", 121));
    full.name_field = true;
    full.extra_type_info = "personname";
}

FieldDef& ObjectBuilder::Checkbox(std::string name, std::string label, bool default_value) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kBoolean);
    f.nillable = false;
    f.defaulted_on_create = true;
    f.default_boolean = default_value;
    return f;
}

FieldDef& ObjectBuilder::Number(
    std::string name, std::string label, FieldType type, int precision, int scale) {
    FieldDef& f = Add(std::move(name), std::move(label), type);
    f.precision = precision;
    f.scale = scale;
    return f;
}

FieldDef& ObjectBuilder::Integer(std::string name, std::string label, int digits) {
    FieldDef& f = Add(std::move(name), std::move(label), FieldType::kInt);
    f.digits = digits;
    return f;
}

void ObjectBuilder::IsDeleted() {
    FieldDef& f = Checkbox("IsDeleted", "Deleted");
    ReadOnly(f);
    f.system_maintained = true;
}

void ObjectBuilder::Address(const std::string& prefix, const std::string& label_prefix) {
    const std::string compound = prefix + "Address";
    const auto part = [&](FieldDef& f) { f.compound_field_name = compound; };
    // Lead, User and Organization have one unprefixed address ("Street", "Zip/Postal Code").
    const auto label = [&](const char* what) {
        return label_prefix.empty() ? std::string(what) : label_prefix + " " + what;
    };
    part(TextArea(prefix + "Street", label("Street"), 255));
    part(Text(prefix + "City", label("City"), 40));
    part(Text(prefix + "State", label("State/Province"), 80));
    part(Text(prefix + "PostalCode", label("Zip/Postal Code"), 20));
    part(Text(prefix + "Country", label("Country"), 80));
    part(Number(prefix + "Latitude", label("Latitude"), FieldType::kDouble, 18, 15));
    part(Number(prefix + "Longitude", label("Longitude"), FieldType::kDouble, 18, 15));
    FieldDef& accuracy = Picklist(prefix + "GeocodeAccuracy",
                                  label("Geocode Accuracy"),
                                  {"Address",
                                   "NearAddress",
                                   "Block",
                                   "Street",
                                   "ExtendedZip",
                                   "Zip",
                                   "Neighborhood",
                                   "City",
                                   "County",
                                   "State",
                                   "Unknown"});
    accuracy.restricted_picklist = true;
    part(accuracy);
    ReadOnly(Add(compound, label("Address"), FieldType::kAddress));
}

void ObjectBuilder::Owner(std::string label, std::initializer_list<std::string_view> targets) {
    FieldDef& f = Reference("OwnerId", std::move(label), targets, "Owner");
    f.nillable = false;
    f.defaulted_on_create = true;
}

void ObjectBuilder::AuditFields() {
    const auto audit = [](FieldDef& f) {
        ReadOnly(f);
        f.nillable = false;
        f.defaulted_on_create = true;
        f.system_maintained = true;
    };
    audit(Add("CreatedDate", "Created Date", FieldType::kDateTime));
    audit(Reference("CreatedById", "Created By ID", {"User"}, "CreatedBy"));
    audit(Add("LastModifiedDate", "Last Modified Date", FieldType::kDateTime));
    audit(Reference("LastModifiedById", "Last Modified By ID", {"User"}, "LastModifiedBy"));
    audit(Add("SystemModstamp", "System Modstamp", FieldType::kDateTime));
}

void ObjectBuilder::ViewedFields() {
    ReadOnly(Add("LastViewedDate", "Last Viewed Date", FieldType::kDateTime));
    ReadOnly(Add("LastReferencedDate", "Last Referenced Date", FieldType::kDateTime));
}

FieldDef& ReadOnly(FieldDef& f) {
    f.createable = false;
    f.updateable = false;
    return f;
}

FieldDef& Required(FieldDef& f) {
    f.nillable = false;
    return f;
}

FieldDef& Derived(FieldDef& f) {
    ReadOnly(f);
    f.defaulted_on_create = true;
    return f;
}

FieldDef& DefaultPicklistValue(FieldDef& f, std::string_view value) {
    for (PicklistEntry& e : f.picklist) {
        e.default_value = e.value == value;
    }
    f.defaulted_on_create = true;
    return f;
}

}  // namespace sfkit::server
