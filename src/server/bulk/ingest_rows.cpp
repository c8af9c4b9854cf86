// Rows of a Bulk API 2.0 ingest upload turned into record writes (see ingest_rows.hpp). Texts of
// per-row errors follow SOAP/sObject Collections where Salesforce's Bulk text is not recorded;
// docs/bulk.md lists the choices.
#include "server/bulk/ingest_rows.hpp"

#include <algorithm>

#include "sfkit/core/id.hpp"

#include "server/records/field_text.hpp"
#include "server/records/record_writes.hpp"

namespace sfkit::server::bulk {
namespace {

/// `#N/A` sets a field to null (an empty cell leaves it alone).
constexpr std::string_view kNullCell = "#N/A";

bool IEqualsAscii(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ToLowerAscii(a) == ToLowerAscii(b);
}

[[noreturn]] void NotFoundColumn(const std::string& header) {
    throw InvalidBatch("Field name not found : " + header);
}

/// `Type:Rel.Field` or `Rel.Field`: the reference field, its parent object and the parent's field.
IngestColumn ParentColumn(const Schema& schema,
                          const ObjectDef& object,
                          const std::string& header) {
    const auto dot = header.rfind('.');
    std::string rel = header.substr(0, dot);
    const std::string field_name = header.substr(dot + 1);
    std::string type;
    if (const auto colon = rel.find(':'); colon != std::string::npos) {
        type = rel.substr(0, colon);
        rel = rel.substr(colon + 1);
    }
    const FieldDef* ref = object.FindRelationship(rel);
    if (ref == nullptr || rel.empty() || field_name.empty()) {
        NotFoundColumn(header);
    }
    const ObjectDef* target = nullptr;
    for (const std::string& t : ref->reference_to) {
        const ObjectDef* candidate = schema.FindObject(t);
        if (candidate == nullptr) {
            continue;
        }
        if (type.empty() ? target == nullptr : IEqualsAscii(candidate->name, type)) {
            target = candidate;
        }
    }
    const FieldDef* target_field = target != nullptr ? target->FindField(field_name) : nullptr;
    if (target_field == nullptr || target_field->IsCompound()) {
        NotFoundColumn(header);
    }
    return IngestColumn{ref, target, target_field};
}

std::string Cell(const std::vector<std::string>& row, int i) {
    return i >= 0 && static_cast<std::size_t>(i) < row.size() ? row[static_cast<std::size_t>(i)]
                                                              : std::string();
}

/// A cell as a value of `field`: Salesforce's CSV date may carry a `Z` (`1940-06-07Z`).
FieldValue TypedCell(const FieldDef& field, const std::string& cell) {
    auto value = ParseFieldText(field, cell);
    if (!value && field.type == FieldType::kDate && cell.size() > 1 && cell.back() == 'Z') {
        value = ParseFieldText(field, std::string_view(cell).substr(0, cell.size() - 1));
    }
    if (!value) {
        throw ApiError::WithFields(400,
                                   "INVALID_TYPE_ON_FIELD_IN_RECORD",
                                   field.label + ": value not of required type: " + cell,
                                   {field.name});
    }
    return std::move(*value);
}

/// The parent a relationship cell names, by its identifying field.
FieldValue ParentId(const SObjectContext& ctx, const IngestColumn& col, const std::string& cell) {
    const ObjectDef& target = *col.target;
    const FieldDef& by = *col.target_field;
    const auto not_found = [&] {
        return ApiError::WithFields(400,
                                    "INVALID_FIELD",
                                    "Foreign key external ID: " + cell + " not found for field " +
                                        by.name + " in entity " + target.name,
                                    {});
    };
    if (by.type == FieldType::kId) {
        const auto id = Id::Parse(cell);
        if (!id || id->KeyPrefix() != target.key_prefix) {
            throw not_found();
        }
        return FieldValue{id->Str18()};
    }
    const auto typed = ParseFieldText(by, cell);
    if (!typed || IsNull(*typed)) {
        throw not_found();
    }
    const auto matches = ctx.store.FindBy(target, by, *typed, false, 2);
    if (matches.empty()) {
        throw not_found();
    }
    if (matches.size() > 1) {
        throw ApiError::WithFields(400,
                                   "INVALID_FIELD",
                                   "Foreign key external ID: " + cell +
                                       " matches more than one record for field " + by.name +
                                       " in entity " + target.name,
                                   {});
    }
    return FieldValue{RecordIdText(matches[0])};
}

/// The record a row's Id cell names: MALFORMED_ID for what is not an id of the object,
/// INVALID_CROSS_REFERENCE_KEY when no such record exists (live orgs, bulk-wire.md §2.9).
Id RowRecordId(const SObjectContext& ctx, const ObjectDef& object, const std::string& cell) {
    const auto id = Id::Parse(cell);
    if (!id) {
        throw ApiError::WithFields(400, "MALFORMED_ID", "malformed id " + cell, {});
    }
    if (id->KeyPrefix() != object.key_prefix) {
        throw ApiError::WithFields(400,
                                   "MALFORMED_ID",
                                   object.IdField().label + ": id value of incorrect type: " + cell,
                                   {"Id"});
    }
    if (!ctx.store.Find(object, *id)) {
        throw ApiError::WithFields(
            400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {});
    }
    return *id;
}

std::vector<FieldAssignment> Assignments(const SObjectContext& ctx,
                                         const IngestPlan& plan,
                                         const std::vector<std::string>& row) {
    if (row.size() > plan.columns.size()) {
        for (std::size_t i = plan.columns.size(); i < row.size(); ++i) {
            if (!row[i].empty()) {
                throw ApiError::WithFields(
                    400,
                    "INVALID_FIELD",
                    "The row has more fields than the header row: " + std::to_string(row.size()),
                    {});
            }
        }
    }
    std::vector<FieldAssignment> out;
    for (std::size_t i = 0; i < plan.columns.size(); ++i) {
        if (static_cast<int>(i) == plan.id_column) {
            continue;
        }
        const std::string cell = Cell(row, static_cast<int>(i));
        if (cell.empty()) {
            continue;  // ignored: an empty field never changes a value
        }
        const IngestColumn& col = plan.columns[i];
        FieldValue value;
        if (cell != kNullCell) {
            value = col.target != nullptr ? ParentId(ctx, col, cell) : TypedCell(*col.field, cell);
        }
        const auto same = std::find_if(
            out.begin(), out.end(), [&](const FieldAssignment& a) { return a.field == col.field; });
        if (same != out.end()) {
            same->value = std::move(value);
        } else {
            out.push_back({col.field, std::move(value)});
        }
    }
    return out;
}

}  // namespace

IngestPlan PlanColumns(const Schema& schema,
                       const ObjectDef& object,
                       const std::string& operation,
                       const std::string& external_id_field,
                       const std::vector<std::string>& header) {
    IngestPlan plan;
    plan.object = &object;
    plan.operation = operation;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string& h = header[i];
        IngestColumn col;
        if (h.find('.') != std::string::npos) {
            col = ParentColumn(schema, object, h);
        } else {
            col.field = object.FindField(h);
            if (col.field == nullptr) {
                NotFoundColumn(h);
            }
            if (col.field->type == FieldType::kId) {
                plan.id_column = static_cast<int>(i);
            }
        }
        plan.columns.push_back(col);
    }
    if (operation == "upsert") {
        plan.key_field = object.FindField(external_id_field);
        for (std::size_t i = 0; i < plan.columns.size(); ++i) {
            if (plan.columns[i].target == nullptr && plan.columns[i].field == plan.key_field) {
                plan.key_column = static_cast<int>(i);
            }
        }
    }
    if ((operation == "delete" || operation == "hardDelete") && plan.id_column < 0) {
        NotFoundColumn("Id");
    }
    return plan;
}

RowResult ApplyRow(const SObjectContext& ctx,
                   const std::string& user_id,
                   const IngestPlan& plan,
                   const std::vector<std::string>& row) {
    const ObjectDef& object = *plan.object;
    const std::string& op = plan.operation;
    const std::string id_cell = Cell(row, plan.id_column);
    if (op == "delete" || op == "hardDelete") {
        if (id_cell.empty()) {
            throw ApiError::WithFields(400, "MISSING_ARGUMENT", "Id not specified", {});
        }
        const Id id = RowRecordId(ctx, object, id_cell);
        DeleteRecord(ctx, user_id, object, id);
        if (op == "hardDelete" && object.FindField("IsDeleted") != nullptr) {
            ctx.store.Erase(object, id);  // out of the recycle bin at once
        }
        return {id.Str18(), false};
    }
    std::vector<FieldAssignment> assignments = Assignments(ctx, plan, row);
    const bool by_id = op == "update" || (op == "upsert" && plan.key_field != nullptr &&
                                          plan.key_field->type == FieldType::kId);
    if (op == "insert" || (by_id && op == "upsert" && id_cell.empty())) {
        if (!id_cell.empty()) {
            throw ApiError::WithFields(
                400, "INVALID_FIELD", "cannot specify Id in an insert call", {"Id"});
        }
        return {InsertRecord(ctx, user_id, object, std::move(assignments)), true};
    }
    if (by_id) {
        if (id_cell.empty()) {
            throw ApiError::WithFields(
                400, "MISSING_ARGUMENT", "Id not specified in an update call", {});
        }
        const Id id = RowRecordId(ctx, object, id_cell);
        UpdateRecord(ctx, user_id, object, id, std::move(assignments));
        return {id.Str18(), false};
    }
    // upsert by an external id field
    if (!id_cell.empty()) {
        throw ApiError::WithFields(
            400, "INVALID_FIELD", "The Id field should not be specified in the sobject data.", {});
    }
    const std::string key_cell = Cell(row, plan.key_column);
    if (key_cell.empty() || key_cell == kNullCell) {
        throw ApiError::WithFields(
            400, "MISSING_ARGUMENT", plan.key_field->name + " not specified", {});
    }
    const FieldValue key = TypedCell(*plan.key_field, key_cell);
    const UpsertOutcome done =
        UpsertRecord(ctx, user_id, object, *plan.key_field, key, std::move(assignments));
    return {done.id, done.created};
}

std::variant<RowResult, ApiError> ApplyRowIsolated(const SObjectContext& ctx,
                                                   const std::string& user_id,
                                                   const IngestPlan& plan,
                                                   const std::vector<std::string>& row) {
    try {
        RowResult r;
        ctx.store.Savepoint([&] { r = ApplyRow(ctx, user_id, plan, row); });
        return r;
    } catch (const ApiError& e) {
        return e;
    }
}

std::string FailedRowId(const IngestPlan& plan, const std::vector<std::string>& row) {
    if (plan.operation == "insert") {
        return {};
    }
    return Cell(row, plan.id_column);
}

std::string BulkErrorText(const ApiError& e) {
    std::string out;
    for (const ApiErrorItem& item : e.items) {
        if (!out.empty()) {
            out += ' ';
        }
        out += item.code + ":" + item.message + ":";
        std::string fields;
        for (const auto& f : item.fields) {
            fields += (fields.empty() ? "" : ",") + f;
        }
        out += fields.empty() ? "--" : fields + " --";
    }
    return out;
}

}  // namespace sfkit::server::bulk
