// Schema registry, field-type tables, and relationship walking.
#include "server/schema/schema.hpp"

#include <algorithm>
#include <stdexcept>

namespace sfkit::server {
namespace {

bool ValidApiName(std::string_view name) {
    if (name.empty() || name.size() > 80) {
        return false;
    }
    const auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (!alpha(name.front())) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [&](char c) {
        return alpha(c) || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

std::string ToLowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string_view TypeName(FieldType type) {
    switch (type) {
        case FieldType::kId:
            return "id";
        case FieldType::kBoolean:
            return "boolean";
        case FieldType::kString:
            return "string";
        case FieldType::kTextArea:
            return "textarea";
        case FieldType::kPicklist:
            return "picklist";
        case FieldType::kMultiPicklist:
            return "multipicklist";
        case FieldType::kCombobox:
            return "combobox";
        case FieldType::kReference:
            return "reference";
        case FieldType::kEmail:
            return "email";
        case FieldType::kPhone:
            return "phone";
        case FieldType::kUrl:
            return "url";
        case FieldType::kEncryptedString:
            return "encryptedstring";
        case FieldType::kInt:
            return "int";
        case FieldType::kLong:
            return "long";
        case FieldType::kDouble:
            return "double";
        case FieldType::kCurrency:
            return "currency";
        case FieldType::kPercent:
            return "percent";
        case FieldType::kDate:
            return "date";
        case FieldType::kDateTime:
            return "datetime";
        case FieldType::kTime:
            return "time";
        case FieldType::kBase64:
            return "base64";
        case FieldType::kAddress:
            return "address";
        case FieldType::kLocation:
            return "location";
        case FieldType::kAnyType:
            return "anyType";
    }
    return "string";
}

std::string_view SoapType(FieldType type) {
    switch (type) {
        case FieldType::kId:
        case FieldType::kReference:
            return "tns:ID";
        case FieldType::kBoolean:
            return "xsd:boolean";
        case FieldType::kInt:
            return "xsd:int";
        case FieldType::kLong:
            return "xsd:long";
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
            return "xsd:double";
        case FieldType::kDate:
            return "xsd:date";
        case FieldType::kDateTime:
            return "xsd:dateTime";
        case FieldType::kTime:
            return "xsd:time";
        case FieldType::kBase64:
            return "xsd:base64Binary";
        case FieldType::kAddress:
            return "urn:address";
        case FieldType::kLocation:
            return "urn:location";
        case FieldType::kAnyType:
            return "xsd:anyType";
        default:
            return "xsd:string";
    }
}

ValueKind KindOf(FieldType type) {
    switch (type) {
        case FieldType::kAddress:
        case FieldType::kLocation:
            return ValueKind::kNone;
        case FieldType::kBoolean:
            return ValueKind::kBoolean;
        case FieldType::kInt:
        case FieldType::kLong:
            return ValueKind::kInteger;
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
            return ValueKind::kReal;
        default:
            return ValueKind::kText;
    }
}

bool IsStringLike(FieldType type) {
    switch (type) {
        case FieldType::kString:
        case FieldType::kTextArea:
        case FieldType::kPicklist:
        case FieldType::kMultiPicklist:
        case FieldType::kCombobox:
        case FieldType::kEmail:
        case FieldType::kPhone:
        case FieldType::kUrl:
        case FieldType::kEncryptedString:
            return true;
        default:
            return false;
    }
}

bool FieldDef::Filterable() const {
    switch (type) {
        case FieldType::kTextArea:
            return length <= 255;  // long text areas cannot appear in WHERE
        case FieldType::kBase64:
        case FieldType::kAnyType:
            return false;
        default:
            return true;
    }
}

bool FieldDef::Sortable() const {
    switch (type) {
        case FieldType::kTextArea:
            return length <= 255;
        case FieldType::kMultiPicklist:
        case FieldType::kAddress:
        case FieldType::kLocation:
        case FieldType::kBase64:
        case FieldType::kAnyType:
            return false;
        default:
            return true;
    }
}

bool FieldDef::Groupable() const {
    switch (type) {
        case FieldType::kTextArea:
            return length <= 255;
        case FieldType::kDouble:
        case FieldType::kCurrency:
        case FieldType::kPercent:
        case FieldType::kDateTime:
        case FieldType::kTime:
        case FieldType::kMultiPicklist:
        case FieldType::kAddress:
        case FieldType::kLocation:
        case FieldType::kBase64:
        case FieldType::kAnyType:
        case FieldType::kEncryptedString:
            return false;
        default:
            return true;
    }
}

bool FieldDef::Aggregatable() const {
    switch (type) {
        case FieldType::kTextArea:
            return length <= 255;
        case FieldType::kBoolean:
        case FieldType::kMultiPicklist:
        case FieldType::kAddress:
        case FieldType::kLocation:
        case FieldType::kBase64:
        case FieldType::kAnyType:
        case FieldType::kEncryptedString:
            return false;
        default:
            return true;
    }
}

bool FieldDef::Permissionable() const {
    // Recorded: writable optional fields and compound addresses are; required, read-only and
    // system fields are not.
    return (nillable && (createable || updateable) && type != FieldType::kId) || IsCompound();
}

int FieldDef::ByteLength() const {
    if (type == FieldType::kId || type == FieldType::kReference) {
        return 18;
    }
    return IsStringLike(type) ? 3 * length : 0;
}

const FieldDef* ObjectDef::FindField(std::string_view field_name) const {
    const auto it = index_.find(ToLowerAscii(field_name));
    return it == index_.end() ? nullptr : &fields[it->second];
}

const FieldDef* ObjectDef::FindRelationship(std::string_view relationship_name) const {
    const auto it = relationships_.find(ToLowerAscii(relationship_name));
    return it == relationships_.end() ? nullptr : &fields[it->second];
}

const FieldDef* ObjectDef::NameField() const {
    for (const FieldDef& f : fields) {
        if (f.name_field) {
            return &f;
        }
    }
    return nullptr;
}

std::size_t ObjectDef::IndexOf(const FieldDef& field) const {
    return static_cast<std::size_t>(&field - fields.data());
}

std::vector<std::size_t> ObjectDef::ComponentsOf(const FieldDef& compound) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].compound_field_name == compound.name && &fields[i] != &compound) {
            out.push_back(i);
        }
    }
    return out;
}

void ObjectDef::Finalize() {
    const auto fail = [&](const std::string& why) {
        throw std::invalid_argument("object " + name + ": " + why);
    };
    if (!ValidApiName(name)) {
        fail("invalid object name");
    }
    // Objects without records of their own (ActivityHistory, the event relation views) have
    // no key prefix: describe shows null.
    if (key_prefix.size() != 3 && !(key_prefix.empty() && !flags.createable)) {
        fail("key prefix must have 3 characters");
    }
    if (fields.empty() || fields.front().name != "Id" || fields.front().type != FieldType::kId) {
        fail("the first field must be Id");
    }
    index_.clear();
    relationships_.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        FieldDef& f = fields[i];
        if (!ValidApiName(f.name)) {
            fail("invalid field name '" + f.name + "'");
        }
        if (!index_.emplace(ToLowerAscii(f.name), i).second) {
            fail("duplicate field " + f.name);
        }
        if (IsStringLike(f.type) && f.length <= 0) {
            fail("field " + f.name + " needs a length");
        }
        if (f.IsReference()) {
            if (f.reference_to.empty()) {
                fail("reference field " + f.name + " has no target");
            }
            if (!f.relationship_name.empty() &&
                !relationships_.emplace(ToLowerAscii(f.relationship_name), i).second) {
                fail("duplicate relationship name " + f.relationship_name);
            }
        }
    }
    // Compound keys: a component's key is its name without the compound's prefix, with a
    // lower-case first letter (BillingPostalCode in BillingAddress -> "postalCode"), which is
    // how Salesforce names the members of address values (§0.1).
    for (FieldDef& f : fields) {
        if (f.compound_field_name.empty() || f.compound_field_name == f.name) {
            continue;
        }
        const FieldDef* compound = FindField(f.compound_field_name);
        if (compound == nullptr) {
            fail("field " + f.name + " names an unknown compound field");
        }
        if (!compound->IsCompound()) {
            continue;  // parts of a person name: Name is an ordinary stored field
        }
        std::string prefix = compound->name;
        for (std::string_view suffix : {"Address", "Location"}) {
            if (prefix.size() >= suffix.size() &&
                prefix.compare(prefix.size() - suffix.size(), suffix.size(), suffix) == 0) {
                prefix.resize(prefix.size() - suffix.size());
                break;
            }
        }
        std::string key = f.name.rfind(prefix, 0) == 0 ? f.name.substr(prefix.size()) : f.name;
        if (!key.empty() && key[0] >= 'A' && key[0] <= 'Z') {
            key[0] = static_cast<char>(key[0] - 'A' + 'a');
        }
        f.compound_key = key;
    }
}

std::string ObjectUrl(std::string_view version, const ObjectDef& object) {
    std::string url = "/services/data/v";
    url.append(version).append("/").append(object.resource_path).append("/").append(object.name);
    return url;
}

const ObjectDef& Schema::Add(ObjectDef object) {
    object.Finalize();
    const std::string key = ToLowerAscii(object.name);
    if (by_name_.count(key) != 0) {
        throw std::invalid_argument("duplicate object " + object.name);
    }
    // Salesforce gives some read-only objects the prefix of another (every field history
    // object is 017, every feed 0D5): records are never created through them, so ids of that
    // prefix keep resolving to the first, createable owner.
    const auto holder = by_prefix_.find(object.key_prefix);
    bool owns_prefix = !object.key_prefix.empty();
    if (holder != by_prefix_.end()) {
        if (object.flags.createable && objects_[holder->second]->flags.createable) {
            throw std::invalid_argument("object " + object.name + ": key prefix " +
                                        object.key_prefix + " is already used");
        }
        owns_prefix = owns_prefix && object.flags.createable;  // a createable owner takes it
    }
    objects_.push_back(std::make_unique<ObjectDef>(std::move(object)));
    by_name_.emplace(key, objects_.size() - 1);
    if (owns_prefix) {
        by_prefix_[objects_.back()->key_prefix] = objects_.size() - 1;
    }
    return *objects_.back();
}

const ObjectDef* Schema::FindObject(std::string_view name) const {
    const auto it = by_name_.find(ToLowerAscii(name));
    return it == by_name_.end() ? nullptr : objects_[it->second].get();
}

const ObjectDef* Schema::FindByKeyPrefix(std::string_view key_prefix) const {
    const auto it = by_prefix_.find(std::string(key_prefix));
    return it == by_prefix_.end() ? nullptr : objects_[it->second].get();
}

const ObjectDef& Schema::Replace(ObjectDef object) {
    const auto it = by_name_.find(ToLowerAscii(object.name));
    if (it == by_name_.end()) {
        throw std::invalid_argument("unknown object " + object.name);
    }
    ObjectDef& slot = *objects_[it->second];
    if (slot.key_prefix != object.key_prefix) {
        throw std::invalid_argument("object " + object.name + ": key prefix cannot change");
    }
    object.Finalize();
    slot = std::move(object);  // in place: pointers to the object stay valid
    return slot;
}

std::vector<const ObjectDef*> Schema::ReferenceTargets(const FieldDef& field) const {
    std::vector<const ObjectDef*> out;
    for (const std::string& t : field.reference_to) {
        if (const ObjectDef* o = FindObject(t)) {
            out.push_back(o);
        }
    }
    return out;
}

std::vector<ChildRelationship> Schema::ChildRelationships(const ObjectDef& parent) const {
    std::vector<ChildRelationship> out;
    for (const auto& child : objects_) {
        for (const FieldDef& f : child->fields) {
            if (!f.IsReference()) {
                continue;
            }
            for (const std::string& t : f.reference_to) {
                if (ToLowerAscii(t) == ToLowerAscii(parent.name)) {
                    out.push_back({child.get(),
                                   &f,
                                   f.child_relationship_name,
                                   f.cascade_delete,
                                   f.restricted_delete});
                    break;
                }
            }
        }
    }
    // Java String.compareTo order (byte order for ASCII names), as describe sorts them.
    std::sort(out.begin(), out.end(), [](const ChildRelationship& a, const ChildRelationship& b) {
        if (a.child->name != b.child->name) {
            return a.child->name < b.child->name;
        }
        return a.field->name < b.field->name;
    });
    return out;
}

std::optional<ChildRelationship> Schema::FindChildRelationship(const ObjectDef& parent,
                                                               std::string_view name) const {
    const std::string key = ToLowerAscii(name);
    for (ChildRelationship& r : ChildRelationships(parent)) {
        if (!r.name.empty() && ToLowerAscii(r.name) == key) {
            return std::move(r);
        }
    }
    return std::nullopt;
}

std::vector<const ObjectDef*> Schema::Objects() const {
    std::vector<const ObjectDef*> out;
    out.reserve(objects_.size());
    for (const auto& o : objects_) {
        out.push_back(o.get());
    }
    std::sort(out.begin(), out.end(), [](const ObjectDef* a, const ObjectDef* b) {
        return ToLowerAscii(a->name) < ToLowerAscii(b->name);
    });
    return out;
}

}  // namespace sfkit::server
