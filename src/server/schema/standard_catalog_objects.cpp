// Turns the generated catalog (standard_catalog.cpp, from a cited real-org data set) into
// ObjectDefs: it completes the hand-written standard objects with the fields, lookup targets
// and child relationship names they lack, and builds the catalog's other objects whole. What
// the data set does not say (labels, lengths, flags) gets the defaults documented in
// docs/schema.md ([M]); the hand-written definitions, checked against recorded describes,
// always win.
#include "server/schema/standard_catalog_objects.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/schema/object_builder.hpp"
#include "server/schema/standard_catalog.hpp"

namespace sfkit::server::standard {
namespace {

/// "OperatingHoursId" -> "Operating Hours ID", "IsPartner" -> "Is Partner" [M].
std::string LabelOf(std::string_view name, bool reference) {
    std::string_view base = name;
    if (reference && base.size() > 2 && base.substr(base.size() - 2) == "Id") {
        base.remove_suffix(2);
    }
    std::string out;
    for (std::size_t i = 0; i < base.size(); ++i) {
        const char c = base[i];
        const bool upper = c >= 'A' && c <= 'Z';
        const bool next_lower = i + 1 < base.size() && base[i + 1] >= 'a' && base[i + 1] <= 'z';
        const bool prev_lower = i > 0 && ((base[i - 1] >= 'a' && base[i - 1] <= 'z') ||
                                          (base[i - 1] >= '0' && base[i - 1] <= '9'));
        if (i > 0 && upper && (prev_lower || next_lower)) {
            out += ' ';
        }
        out += c;
    }
    return reference ? out + " ID" : out;
}

std::vector<std::string> Split(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        out.emplace_back(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return out;
}

/// The compound field `name` is a component of (BillingCity -> BillingAddress), given the
/// object's address fields.
std::string CompoundOf(const std::vector<std::string_view>& addresses, std::string_view name) {
    for (std::string_view part : {"Street",
                                  "City",
                                  "State",
                                  "PostalCode",
                                  "Country",
                                  "Latitude",
                                  "Longitude",
                                  "GeocodeAccuracy"}) {
        if (name.size() < part.size() || name.substr(name.size() - part.size()) != part) {
            continue;
        }
        const std::string compound =
            std::string(name.substr(0, name.size() - part.size())) + "Address";
        if (std::find(addresses.begin(), addresses.end(), compound) != addresses.end()) {
            return compound;
        }
    }
    return {};
}

bool IsAuditField(std::string_view name) {
    return name == "CreatedDate" || name == "CreatedById" || name == "LastModifiedDate" ||
           name == "LastModifiedById" || name == "SystemModstamp" || name == "IsDeleted";
}

/// The describe type a recorded describe names, if sfkit models it.
std::optional<FieldType> TypeOf(std::string_view name) {
    for (int t = 0; t <= static_cast<int>(FieldType::kAnyType); ++t) {
        if (TypeName(static_cast<FieldType>(t)) == name) {
            return static_cast<FieldType>(t);
        }
    }
    return std::nullopt;
}

/// What a real org's recorded describe says of the field replaces the [M] defaults.
void ApplyRecorded(FieldDef& f, const CatalogDescribe& r) {
    if (const auto type = TypeOf(r.type)) {
        f.type = *type;
    }
    f.label = std::string(r.label);
    f.length = r.length;
    f.precision = r.precision;
    f.scale = r.scale;
    f.digits = r.digits;
    f.nillable = r.Flag(0);
    f.createable = r.Flag(1);
    f.updateable = r.Flag(2);
    f.defaulted_on_create = r.Flag(3);
    f.unique = r.Flag(4);
    f.external_id = r.Flag(5);
    f.id_lookup = r.Flag(6);
    f.name_field = r.Flag(7);
    f.restricted_picklist = r.Flag(8);
    f.case_sensitive = r.Flag(9);
    f.html_formatted = r.Flag(10);
    if (r.Flag(11)) {
        f.default_boolean = true;
    } else if (r.Flag(12)) {
        f.default_boolean = false;
    } else if (f.type != FieldType::kBoolean) {
        f.default_boolean.reset();
    }
    f.extra_type_info = std::string(r.extra_type_info);
    f.picklist.clear();
    for (const CatalogPick& p : r.picklist) {
        f.picklist.push_back(
            PicklistEntry{std::string(p.value), std::string(p.label), p.active, p.default_value});
    }
}

/// One catalog field as a FieldDef; nullopt for lookups whose targets the data set leaves
/// unknown (a polymorphic lookup none of the modelled objects lists as a child).
std::optional<FieldDef> Convert(const CatalogObject& object,
                                const std::vector<std::string_view>& addresses,
                                const CatalogField& c) {
    FieldDef f;
    f.name = std::string(c.name);
    f.since_version = c.since;
    const std::string_view t = c.apex_type;
    if (t == "Id") {
        if (c.targets.empty()) {
            return std::nullopt;
        }
        f.type = FieldType::kReference;
        f.length = 18;
        f.reference_to = Split(c.targets);
        f.relationship_name = std::string(c.relationship_name);
        f.child_relationship_name = std::string(c.child_relationship);
    } else if (t == "String") {
        f.type = FieldType::kString;
        f.length = 255;
    } else if (t == "Boolean") {
        f.type = FieldType::kBoolean;
        f.nillable = false;
        f.defaulted_on_create = true;
        f.default_boolean = false;
    } else if (t == "Integer") {
        f.type = FieldType::kInt;
        f.digits = 9;
    } else if (t == "Long") {
        f.type = FieldType::kLong;
        f.digits = 18;
    } else if (t == "Decimal" || t == "Double") {
        f.type = FieldType::kDouble;
        f.precision = 18;
        f.scale = 2;
    } else if (t == "Date") {
        f.type = FieldType::kDate;
    } else if (t == "Datetime") {
        f.type = FieldType::kDateTime;
    } else if (t == "Time") {
        f.type = FieldType::kTime;
    } else if (t == "Blob") {
        f.type = FieldType::kBase64;
    } else if (t == "Address") {
        f.type = FieldType::kAddress;
    } else if (t == "Location") {
        f.type = FieldType::kLocation;
    } else {
        f.type = FieldType::kAnyType;
    }
    f.label = LabelOf(f.name, f.type == FieldType::kReference);
    f.compound_field_name = CompoundOf(addresses, f.name);
    if (!f.compound_field_name.empty() &&
        (f.name.ends_with("Latitude") || f.name.ends_with("Longitude"))) {
        f.scale = 15;
    }
    if (f.IsCompound()) {
        ReadOnly(f);
    }
    if (IsAuditField(f.name)) {
        ReadOnly(f);
        f.nillable = false;
        f.defaulted_on_create = true;
        f.system_maintained = true;
    } else if (f.name == "LastViewedDate" || f.name == "LastReferencedDate" ||
               f.name == "LastActivityDate") {
        ReadOnly(f);
    } else if (f.name == "OwnerId") {
        f.nillable = false;
        f.defaulted_on_create = true;
    }
    if (object.read_only) {
        ReadOnly(f);
    }
    if (c.recorded != nullptr) {
        ApplyRecorded(f, *c.recorded);
    }
    f.cascade_delete = (c.relationship_flags & 1U) != 0;
    f.restricted_delete = (c.relationship_flags & 2U) != 0;
    return f;
}

/// Adds what the catalog knows and `o` lacks: fields, lookup targets, child relationship names.
void Complete(ObjectDef& o, const CatalogObject& c) {
    std::unordered_map<std::string, std::size_t> index;  // lower-cased name -> position
    for (std::size_t i = 0; i < o.fields.size(); ++i) {
        index.emplace(ToLowerAscii(o.fields[i].name), i);
    }
    std::vector<std::string_view> addresses;
    for (const CatalogField& cf : c.fields) {
        if (cf.apex_type == "Address") {
            addresses.push_back(cf.name);
        }
    }
    for (const CatalogField& cf : c.fields) {
        const auto at = index.find(ToLowerAscii(cf.name));
        if (at != index.end()) {
            FieldDef* have = &o.fields[at->second];
            // The release the data set first shows the field in holds for the hand-written
            // definition too (Organization.DelegatedAuthenticationServiceUrl from 57).
            have->since_version = std::max(have->since_version, cf.since);
            // The hand-written owner targets are the recorded ones (Event: Calendar, User);
            // the catalog's owner targets are a default (see the generator).
            if (have->IsReference() && cf.apex_type == "Id" && cf.name != "OwnerId") {
                for (const std::string& t : Split(cf.targets)) {
                    if (std::find(have->reference_to.begin(), have->reference_to.end(), t) ==
                        have->reference_to.end()) {
                        have->reference_to.push_back(t);
                    }
                }
                if (have->child_relationship_name.empty()) {
                    have->child_relationship_name = std::string(cf.child_relationship);
                }
                // A recorded describe's cascade rules complete the hand-written ones.
                have->cascade_delete = have->cascade_delete || (cf.relationship_flags & 1U) != 0;
                have->restricted_delete =
                    have->restricted_delete || (cf.relationship_flags & 2U) != 0;
            }
            continue;
        }
        if (auto f = Convert(c, addresses, cf)) {
            index.emplace(ToLowerAscii(f->name), o.fields.size());
            o.fields.push_back(std::move(*f));
        }
    }
}

ObjectDef Build(const CatalogObject& c) {
    const std::string label = c.label.empty() ? LabelOf(c.name, false) : std::string(c.label);
    const std::string plural =
        c.label_plural.empty() ? label + "s" : std::string(c.label_plural);  // [M] when derived
    ObjectBuilder b(std::string(c.name), label, plural, std::string(c.key_prefix));
    ObjectDef o = std::move(b).Build();
    o.flags.queryable = c.queryable;
    o.since_version = c.since;
    if (!c.queryable) {
        // Describe only: reached as a child relationship, never on its own.
        o.flags.retrieveable = false;
        o.flags.replicateable = false;
        o.flags.triggerable = false;
        o.flags.feed_enabled = false;
        o.flags.mru_enabled = false;
    }
    if (c.read_only) {
        o.flags.createable = false;
        o.flags.updateable = false;
        o.flags.deletable = false;
        o.flags.undeletable = false;
        o.flags.layoutable = false;
        o.flags.searchable = false;
    }
    Complete(o, c);
    // As ObjectBuilder decides it: recently viewed lists need LastViewedDate.
    o.flags.mru_enabled =
        c.queryable && std::any_of(o.fields.begin(), o.fields.end(), [](const FieldDef& f) {
            return f.name == "LastViewedDate";
        });
    return o;
}

}  // namespace

void CompleteFromCatalog(std::vector<ObjectDef>& objects) {
    for (const CatalogObject& c : Catalog()) {
        const auto it = std::find_if(
            objects.begin(), objects.end(), [&](const ObjectDef& o) { return o.name == c.name; });
        if (it != objects.end()) {
            Complete(*it, c);
        } else {
            objects.push_back(Build(c));
        }
    }
}

}  // namespace sfkit::server::standard
