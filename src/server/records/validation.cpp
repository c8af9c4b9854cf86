// DML checks of record writes: writability, required fields, value checks, uniqueness.
#include "server/records/validation.hpp"

#include <algorithm>

#include "sfkit/core/id.hpp"

#include "server/http/api_error.hpp"
#include "server/records/field_text.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

/// What live orgs answer for an object whose describe says the operation is not allowed:
/// `CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY` `entity type cannot be inserted: <Label>` (seen from
/// REST for Contact and Flow; Apex reports labels such as "Case History" the same way).
[[noreturn]] void CannotOperate(std::string_view verb, const ObjectDef& object) {
    throw ApiError(400,
                   "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
                   "entity type cannot be " + std::string(verb) + ": " + object.label);
}

std::string JoinNames(const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) {
        list += (list.empty() ? "" : ", ") + n;
    }
    return list;
}

/// The values of a multi-select picklist (`"a;b"`), empty parts dropped.
std::vector<std::string> SplitMultiPicklist(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto semi = text.find(';', start);
        std::string part = text.substr(start, semi == std::string::npos ? semi : semi - start);
        if (!part.empty()) {
            parts.push_back(std::move(part));
        }
        if (semi == std::string::npos) {
            break;
        }
        start = semi + 1;
    }
    return parts;
}

ApiErrorItem FieldError(std::string code, std::string message, const FieldDef& f) {
    return ApiErrorItem{std::move(code), std::move(message), {f.name}, true};
}

/// The value-level checks of one field (§B.15 texts). Appends errors to `errors`; may rewrite
/// the value (18-char reference ids, numbers rounded to the field's scale).
void CheckValue(const Schema& schema,
                RecordStore& store,
                FieldAssignment& a,
                std::vector<ApiErrorItem>& errors) {
    const FieldDef& f = *a.field;
    if (IsNull(a.value)) {
        return;
    }
    const std::string text = TextOf(a.value);
    if (IsStringLike(f.type) && f.length > 0 &&
        CodePointCount(text) > static_cast<std::size_t>(f.length)) {
        errors.push_back(FieldError("STRING_TOO_LONG",
                                    f.label + ": data value too large: " + text +
                                        " (max length=" + std::to_string(f.length) + ")",
                                    f));
        return;
    }
    if (f.type == FieldType::kEmail && !IsValidEmail(text)) {
        errors.push_back(
            FieldError("INVALID_EMAIL_ADDRESS", f.label + ": invalid email address: " + text, f));
        return;
    }
    if (KindOf(f.type) == ValueKind::kInteger || KindOf(f.type) == ValueKind::kReal) {
        auto fitted = FitNumber(f, a.value);
        if (!fitted) {
            errors.push_back(FieldError("NUMBER_OUTSIDE_VALID_RANGE",
                                        f.label +
                                            ": value outside of valid range on numeric "
                                            "field: " +
                                            NumberText(a.value),
                                        f));
            return;
        }
        a.value = std::move(*fitted);
        return;
    }
    if (f.restricted_picklist &&
        (f.type == FieldType::kPicklist || f.type == FieldType::kMultiPicklist)) {
        const std::vector<std::string> parts = f.type == FieldType::kMultiPicklist
                                                   ? SplitMultiPicklist(text)
                                                   : std::vector<std::string>{text};
        for (const auto& p : parts) {
            const bool known = std::any_of(f.picklist.begin(),
                                           f.picklist.end(),
                                           [&](const PicklistEntry& e) { return e.value == p; });
            if (!known) {
                errors.push_back(
                    FieldError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                               f.label + ": bad value for restricted picklist field: " + p,
                               f));
                return;
            }
        }
    }
    if (f.type == FieldType::kReference) {
        auto id = Id::Parse(text);
        const ObjectDef* target = id ? schema.FindByKeyPrefix(id->KeyPrefix()) : nullptr;
        bool kind_ok = id.has_value();
        bool targets_known = false;
        bool target_modelled = false;  // the id is of one of the field's modelled targets
        if (kind_ok) {
            for (const auto& t : f.reference_to) {
                const ObjectDef* known = schema.FindObject(t);
                targets_known = targets_known || known != nullptr;
                target_modelled = target_modelled || (known != nullptr && known == target);
            }
            // Targets we do not model at all (RecordType, UserRole, ...): any valid id will do.
            kind_ok = target_modelled || !targets_known;
        }
        if (!kind_ok) {
            errors.push_back(
                FieldError("MALFORMED_ID", f.label + ": id value of incorrect type: " + text, f));
            return;
        }
        // The record must exist (and be live) in a modelled target: OwnerId names a User.
        if (target_modelled) {
            const auto parent = store.Find(*target, *id);
            if (!parent) {
                errors.push_back(FieldError(
                    "INVALID_CROSS_REFERENCE_KEY", f.label + ": invalid cross reference id", f));
                return;
            }
            if (IsDeletedRecord(*target, *parent)) {
                // A lookup to a record in the recycle bin (SOAP/Apex report it this way).
                errors.push_back(FieldError("ENTITY_IS_DELETED", "entity is deleted", f));
                return;
            }
        }
        a.value = id->Str18();
    }
}

}  // namespace

bool IsDeletedRecord(const ObjectDef& object, const RecordValues& values) {
    const FieldDef* f = object.FindField("IsDeleted");
    if (f == nullptr) {
        return false;
    }
    const auto* b = std::get_if<bool>(&values[object.IndexOf(*f)]);
    return b != nullptr && *b;
}

void ValidateWrite(const Schema& schema,
                   RecordStore& store,
                   const ObjectDef& object,
                   WriteKind kind,
                   std::vector<FieldAssignment>& assignments) {
    // 1. Fields this operation may not write: one error listing all of them (§B.8).
    std::vector<std::string> read_only;
    for (const auto& a : assignments) {
        const bool writable =
            kind == WriteKind::kInsert ? a.field->createable : a.field->updateable;
        if (!writable) {
            read_only.push_back(a.field->name);
        }
    }
    if (!read_only.empty()) {
        throw ApiError::WithFields(400,
                                   "INVALID_FIELD_FOR_INSERT_UPDATE",
                                   "Unable to create/update fields: " + JoinNames(read_only) +
                                       ". Please check the security settings of this field and "
                                       "verify that it is read/write for your profile or "
                                       "permission set.",
                                   read_only);
    }

    // 2. Required fields: absent or null on insert, set to null on update. A null checkbox is
    // false, never missing.
    for (auto& a : assignments) {
        if (IsNull(a.value) && a.field->type == FieldType::kBoolean) {
            a.value = a.field->default_boolean.value_or(false);
        }
    }
    std::vector<std::string> missing;
    if (kind == WriteKind::kInsert) {
        for (const FieldDef& f : object.fields) {
            if (!f.RequiredOnCreate()) {
                continue;
            }
            const auto it = std::find_if(assignments.begin(),
                                         assignments.end(),
                                         [&](const FieldAssignment& a) { return a.field == &f; });
            if (it == assignments.end() || IsNull(it->value)) {
                missing.push_back(f.name);
            }
        }
    } else {
        for (const auto& a : assignments) {
            if (!a.field->nillable && IsNull(a.value)) {
                missing.push_back(a.field->name);
            }
        }
    }
    if (!missing.empty()) {
        throw ApiError::WithFields(400,
                                   "REQUIRED_FIELD_MISSING",
                                   "Required fields are missing: [" + JoinNames(missing) + "]",
                                   missing);
    }

    // 3. Value checks, every failing field reported in one answer, in body order.
    std::vector<ApiErrorItem> errors;
    for (auto& a : assignments) {
        CheckValue(schema, store, a, errors);
    }
    if (!errors.empty()) {
        throw ApiError(400, std::move(errors));
    }
}

void CheckUnique(RecordStore& store,
                 const ObjectDef& object,
                 const std::vector<FieldAssignment>& assignments,
                 const std::string& self_id) {
    std::vector<ApiErrorItem> errors;
    for (const auto& a : assignments) {
        if (!a.field->unique || IsNull(a.value)) {
            continue;
        }
        // Records in the recycle bin keep their values and count (Salesforce: "records in the
        // Recycle Bin also count toward duplicate checking"), as in the field's UNIQUE index.
        for (const RecordValues& other : store.FindBy(object, *a.field, a.value, true, 2)) {
            const std::string other_id = TextOf(other[0]);
            if (other_id == self_id) {
                continue;
            }
            // The message names the other record by its 15-char id (§B.15, recorded).
            ApiErrorItem item{"DUPLICATE_VALUE",
                              "duplicate value found: " + a.field->name +
                                  " duplicates value on record with id: " + other_id.substr(0, 15),
                              {},
                              true};
            errors.push_back(std::move(item));
            break;
        }
    }
    if (!errors.empty()) {
        throw ApiError(400, std::move(errors));
    }
}

void RequireCreateable(const ObjectDef& object) {
    if (!object.flags.createable) {
        CannotOperate("inserted", object);
    }
}

void RequireUpdateable(const ObjectDef& object) {
    if (!object.flags.updateable) {
        CannotOperate("updated", object);
    }
}

void RequireDeletable(const ObjectDef& object) {
    if (!object.flags.deletable) {
        CannotOperate("deleted", object);
    }
}

}  // namespace sfkit::server
