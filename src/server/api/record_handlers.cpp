// Record resources: create, retrieve, update, delete (with cascade), external-id retrieve /
// upsert / delete, and getUpdated / getDeleted. Every acknowledged write is one committed
// transaction (RecordStore::Atomically) before the answer is rendered; values the server derives
// (schema/derived_fields.hpp) and auto numbers (the store) are filled in inside it.
#include "server/api/record_handlers.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/describe_handlers.hpp"
#include "server/api/record_input.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/derived_fields.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

/// The first API version whose upsert answers carry `created` (and 200 instead of 204 for an
/// update), per the current upsert docs (§B.10).
constexpr int kUpsertCreatedSince = 46;

/// Replication windows look back at most 30 days (SOAP API "Data Replication" docs).
constexpr int kReplicationDays = 30;

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string UserId(const Call& call) {
    return call.session != nullptr ? call.session->user_id : std::string();
}

int MajorVersion(const Call& call) {
    return RequireServedVersion(call.api_version);
}

const std::string& IdText(const RecordValues& values) {
    static const std::string kEmpty;
    const auto* s = std::get_if<std::string>(&values[0]);
    return s != nullptr ? *s : kEmpty;
}

// ---- errors shared by several resources --------------------------------------------------

ApiError ExternalIdFieldNotFound(const std::string& given) {
    return ApiError(404,
                    "NOT_FOUND",
                    "Provided external ID field does not exist or is not accessible: " + given);
}

/// PATCH/DELETE of a record in the recycle bin (§B.9): DML-style, with an empty `fields`.
ApiError EntityIsDeleted() {
    return ApiError::WithFields(404, "ENTITY_IS_DELETED", "entity is deleted", {});
}

// ---- ids and records -----------------------------------------------------------------------

/// The `{id}` segment of /sobjects/{type}/{id} as an id of `object` (§B.7): an 18-char id of
/// this object with a wrong checksum is MALFORMED_ID; any other non-id is read as an external-id
/// field name (404); an id of another object is 404 NOT_FOUND.
Id RequireRecordId(const ObjectDef& object, const std::string& segment) {
    auto id = Id::Parse(segment);
    if (!id) {
        if (segment.size() == 18 && segment.compare(0, 3, object.key_prefix) == 0 &&
            std::all_of(segment.begin(), segment.end(), IsAlnum)) {
            throw ApiError::WithFields(
                400,
                "MALFORMED_ID",
                object.IdField().label + ": id value of incorrect type: " + segment,
                {"Id"});
        }
        throw ExternalIdFieldNotFound(segment);
    }
    if (id->KeyPrefix() != object.key_prefix) {
        throw NotFound();
    }
    return *id;
}

/// A record that exists and is not deleted, for PATCH and DELETE: 404 NOT_FOUND when there is no
/// such record, 404 ENTITY_IS_DELETED when it is in the recycle bin.
RecordValues RequireLiveRecord(const SObjectContext& ctx, const ObjectDef& object, const Id& id) {
    auto record = ctx.store.Find(object, id);
    if (!record) {
        throw NotFound();
    }
    if (IsDeletedRecord(object, *record)) {
        throw EntityIsDeleted();
    }
    return std::move(*record);
}

/// `?fields=A,B`: indexes in request order, Id appended when not requested (§B.7).
std::vector<std::size_t> SelectedFields(const ObjectDef& object, const Request& req) {
    std::vector<std::size_t> out;
    const auto param = req.QueryParam("fields");
    if (!param || Trim(*param).empty()) {
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            out.push_back(i);
        }
        return out;
    }
    std::string_view rest = *param;
    while (true) {
        const auto comma = rest.find(',');
        const std::string name = Trim(rest.substr(0, comma));
        if (!name.empty()) {
            const FieldDef* f = object.FindField(name);
            if (f == nullptr) {
                // ?fields= runs a query underneath, so the error is SOQL's (§B.11).
                throw ApiError(400,
                               "INVALID_FIELD",
                               "No such column '" + name + "' on entity '" + object.name +
                                   "'. If you are attempting to use a custom field, be sure to "
                                   "append the '__c' after the custom field name. Please "
                                   "reference your WSDL or the describe call for the "
                                   "appropriate names.");
            }
            const std::size_t index = object.IndexOf(*f);
            if (std::find(out.begin(), out.end(), index) == out.end()) {
                out.push_back(index);
            }
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(comma + 1);
    }
    if (std::find(out.begin(), out.end(), std::size_t{0}) == out.end()) {
        out.push_back(0);
    }
    return out;
}

// ---- responses -----------------------------------------------------------------------------

Response RecordResponse(const ObjectDef& object,
                        const RecordValues& record,
                        const std::vector<std::size_t>& fields,
                        Call& call) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        RecordXml(w, object, record, fields, call.api_version, /*declare_xsi=*/true);
        return XmlResponse(200, std::move(w).Finish());
    }
    return JsonResponse(200, RecordJson(object, record, fields, call.api_version), call.pretty);
}

/// SaveResult (create) or UpsertResult: `id, success, errors[, created]` in JSON (§B.6, §B.10);
/// XML as captured (§B.16): standalone, no <errors> when empty.
Response SaveResult(Call& call, int status, const std::string& id, std::optional<bool> created) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty, /*standalone=*/true);
        w.Open("Result");
        w.Leaf("id", id);
        w.Leaf("success", "true");
        if (created) {
            w.Leaf("created", *created ? "true" : "false");
        }
        return XmlResponse(status, std::move(w).Finish());
    }
    json::object result;
    result["id"] = id;
    result["success"] = true;
    result["errors"] = json::array();
    if (created) {
        result["created"] = *created;
    }
    return JsonResponse(status, result, call.pretty);
}

/// 300 Multiple Choices: the URLs of the records an external id matched (§B.10).
Response MultipleChoices(Call& call, const ObjectDef& object, const std::vector<RecordValues>& rs) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        w.Open("Results");
        for (const auto& r : rs) {
            w.Leaf("url", RecordUrl(call.api_version, object, IdText(r)));
        }
        return XmlResponse(300, std::move(w).Finish());
    }
    json::array urls;
    for (const auto& r : rs) {
        urls.emplace_back(RecordUrl(call.api_version, object, IdText(r)));
    }
    return JsonResponse(300, urls, call.pretty);
}

// ---- writes --------------------------------------------------------------------------------

std::vector<FieldAssignment> ParseBody(const ObjectDef& object, const Call& call) {
    const BodyFormat format = RequireBodyFormat(call.req);
    return ParseRecordBody(object, format, call.req.body);
}

RecordValues NewRecordValues(const Call& call,
                             const ObjectDef& object,
                             const std::vector<FieldAssignment>& assignments);

/// Runs a store write whose unique values CheckUnique has already cleared. Should the field's
/// UNIQUE index still refuse it (SQLITE_CONSTRAINT), the answer is DUPLICATE_VALUE all the same,
/// never a 500: `written` (the stored values of the unique fields, 18-char id of the record or
/// empty) is checked again to name the record that holds the value.
template <typename Write>
auto GuardUnique(const SObjectContext& ctx,
                 const ObjectDef& object,
                 const std::vector<FieldAssignment>& written,
                 const std::string& self_id,
                 Write&& write) {
    try {
        return write();
    } catch (const StorageError& e) {
        constexpr int kSqliteConstraint = 19;  // SQLITE_CONSTRAINT (primary result code)
        if ((e.code & 0xff) != kSqliteConstraint) {
            throw;
        }
        CheckUnique(ctx.store, object, written, self_id);  // throws DUPLICATE_VALUE
        throw;
    }
}

/// The unique fields among `values` (one per field of `object`), as assignments for CheckUnique.
std::vector<FieldAssignment> UniqueValues(const ObjectDef& object, const RecordValues& values) {
    std::vector<FieldAssignment> out;
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].unique && !IsNull(values[i])) {
            out.push_back({&object.fields[i], values[i]});
        }
    }
    return out;
}

/// Validates and inserts; returns the new 18-char id. Joins an enclosing Atomically.
std::string InsertRecord(const SObjectContext& ctx,
                         const Call& call,
                         const ObjectDef& object,
                         std::vector<FieldAssignment> assignments) {
    RequireCreateable(object);
    std::string id;
    // Validation reads (references, unique values) and the insert form one transaction, so
    // what was checked is still true when the record is written.
    ctx.store.Atomically([&] {
        ValidateWrite(ctx.schema, ctx.store, object, WriteKind::kInsert, assignments);
        CheckUnique(ctx.store, object, assignments, {});
        RecordValues values = NewRecordValues(call, object, assignments);
        // The store assigns the Id, auto numbers and Names that default to the Id.
        id = GuardUnique(ctx, object, UniqueValues(object, values), {}, [&] {
            return ctx.store.Insert(object, values).Str18();
        });
    });
    return id;
}

/// The full row of a new record: checkbox defaults, the body's values, derived values (picklist
/// defaults, Name from its parts, ...), system fields.
RecordValues NewRecordValues(const Call& call,
                             const ObjectDef& object,
                             const std::vector<FieldAssignment>& assignments) {
    RecordValues values(object.fields.size());
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].default_boolean) {
            values[i] = *object.fields[i].default_boolean;
        }
    }
    std::vector<bool> assigned(object.fields.size(), false);
    for (const auto& a : assignments) {
        const std::size_t i = object.IndexOf(*a.field);
        values[i] = a.value;
        assigned[i] = true;
    }
    // System fields (§0.1 formats): one timestamp for all three dates of a create.
    const std::string now = NowDateTime();
    ComputeDerivedFields(object, values, assigned, /*is_insert=*/true, now);
    const std::string user = UserId(call);
    const auto set = [&](std::string_view name, FieldValue v, bool only_if_null = false) {
        if (const FieldDef* f = object.FindField(name)) {
            FieldValue& slot = values[object.IndexOf(*f)];
            if (!only_if_null || IsNull(slot)) {
                slot = std::move(v);
            }
        }
    };
    set("IsDeleted", false);
    set("CreatedDate", now);
    set("LastModifiedDate", now);
    set("SystemModstamp", now);
    set("CreatedById", user);
    set("LastModifiedById", user);
    set("OwnerId", user, /*only_if_null=*/true);
    return values;
}

/// The audit fields every update and delete sets (§B.8: LastModifiedDate/ById, SystemModstamp).
void AddAuditChanges(const ObjectDef& object,
                     const std::string& now,
                     const std::string& user,
                     std::vector<RecordStore::FieldChange>& changes) {
    const auto set = [&](std::string_view name, const std::string& value) {
        if (const FieldDef* f = object.FindField(name)) {
            changes.emplace_back(object.IndexOf(*f), FieldValue{value});
        }
    };
    set("LastModifiedDate", now);
    set("LastModifiedById", user);
    set("SystemModstamp", now);
}

/// Validates and applies an update of a live record. Joins an enclosing Atomically.
void UpdateRecord(const SObjectContext& ctx,
                  const Call& call,
                  const ObjectDef& object,
                  const Id& id,
                  std::vector<FieldAssignment> assignments) {
    RequireUpdateable(object);
    ctx.store.Atomically([&] {
        // 404 NOT_FOUND / ENTITY_IS_DELETED
        const RecordValues stored = RequireLiveRecord(ctx, object, id);
        ValidateWrite(ctx.schema, ctx.store, object, WriteKind::kUpdate, assignments);
        CheckUnique(ctx.store, object, assignments, id.Str18());
        // Derived values are computed over the whole record, the stored values with the body's
        // on top (a new StageName re-defaults Probability, sets LastStageChangeDate, ...).
        RecordValues values = stored;
        std::vector<bool> assigned(object.fields.size(), false);
        for (const auto& a : assignments) {
            const std::size_t i = object.IndexOf(*a.field);
            values[i] = a.value;
            assigned[i] = true;
        }
        const std::string now = NowDateTime();
        ComputeDerivedFields(object, values, assigned, /*is_insert=*/false, now);
        std::vector<RecordStore::FieldChange> changes;
        std::vector<FieldAssignment> unique_written;
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (assigned[i] || values[i] != stored[i]) {
                changes.emplace_back(i, values[i]);
                if (object.fields[i].unique && !IsNull(values[i])) {
                    unique_written.push_back({&object.fields[i], values[i]});
                }
            }
        }
        AddAuditChanges(object, now, UserId(call), changes);
        const bool found = GuardUnique(ctx, object, unique_written, id.Str18(), [&] {
            return ctx.store.Update(object, id, changes);
        });
        if (!found) {
            throw NotFound();
        }
    });
}

std::string RecordName(const ObjectDef& object, const RecordValues& values) {
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].name_field) {
            if (const auto* s = std::get_if<std::string>(&values[i])) {
                return *s;
            }
        }
    }
    return IdText(values);
}

/// Contracts and orders are deleted with their account unless activated; an activated one
/// blocks the delete. That is what a reference with both cascade_delete and restricted_delete
/// means (standard_sales.cpp).
bool IsActivated(const ObjectDef& object, const RecordValues& values) {
    const FieldDef* status = object.FindField("Status");
    if (status == nullptr) {
        return false;
    }
    const auto* s = std::get_if<std::string>(&values[object.IndexOf(*status)]);
    return s != nullptr && *s == "Activated";
}

/// Deletes a live record inside the caller's transaction, walking the schema's child
/// relationships: children whose reference has cascade_delete (master-detail, and the standard
/// relationships Salesforce cascades, such as an account's contacts and opportunities) go too, a
/// child whose reference has restricted_delete (an account's cases) blocks the delete, and other
/// lookups to the record are cleared (Salesforce's default "clear the value of this field").
void DeleteTree(const SObjectContext& ctx,
                const ObjectDef& object,
                const RecordValues& record,
                const std::string& now,
                const std::string& user) {
    const std::string id18 = IdText(record);
    const Id id = *Id::Parse(id18);
    // The record goes first, so that cycles of references (a record pointing at itself or at a
    // descendant) end: deleted rows are not found as children again. A failure further down
    // rolls the whole delete back (it runs in one transaction).
    const FieldDef* is_deleted = object.FindField("IsDeleted");
    if (is_deleted == nullptr) {
        ctx.store.Erase(object, id);
    } else {
        std::vector<RecordStore::FieldChange> changes = {{object.IndexOf(*is_deleted), true}};
        AddAuditChanges(object, now, user, changes);
        ctx.store.Update(object, id, changes);
    }
    ctx.store.LogDeletion(object, id, now);

    for (const ChildRelationship& rel : ctx.schema.ChildRelationships(object)) {
        const ObjectDef& child_object = *rel.child;
        const FieldDef& f = *rel.field;
        const auto children = ctx.store.FindBy(child_object, f, FieldValue{id18}, false, 100000);
        if (children.empty()) {
            continue;
        }
        if (rel.restricted_delete) {
            std::string names;
            for (const auto& c : children) {
                if (!rel.cascade_delete || IsActivated(child_object, c)) {
                    names += (names.empty() ? "" : ", ") + RecordName(child_object, c);
                }
            }
            if (!names.empty()) {
                throw ApiError::WithFields(
                    400,
                    "DELETE_FAILED",
                    "Your attempt to delete " + RecordName(object, record) +
                        " could not be completed because it is associated with the following " +
                        ToLowerAscii(child_object.label_plural) + ".: " + names,
                    {});
            }
        }
        for (const auto& c : children) {
            if (rel.cascade_delete) {
                DeleteTree(ctx, child_object, c, now, user);
            } else {
                ctx.store.Update(
                    child_object, *Id::Parse(IdText(c)), {{child_object.IndexOf(f), FieldValue{}}});
            }
        }
    }
}

/// Deletes a live record (404 NOT_FOUND / ENTITY_IS_DELETED otherwise) and what hangs on it.
void DeleteRecord(const SObjectContext& ctx,
                  const Call& call,
                  const ObjectDef& object,
                  const Id& id) {
    RequireDeletable(object);
    const std::string now = NowDateTime();
    const std::string user = UserId(call);
    ctx.store.Atomically([&] {
        const RecordValues record = RequireLiveRecord(ctx, object, id);
        DeleteTree(ctx, object, record, now, user);
    });
}

// ---- external ids --------------------------------------------------------------------------

/// The field named in /sobjects/{type}/{field}/...: an external-id field or Id (§B.10).
const FieldDef& RequireExternalIdField(const ObjectDef& object, const std::string& given) {
    const FieldDef* f = object.FindField(given);
    if (f == nullptr || !(f->external_id || f->type == FieldType::kId)) {
        throw ExternalIdFieldNotFound(given);
    }
    return *f;
}

/// Live records whose external-id `field` equals the URL `value`.
std::vector<RecordValues> MatchExternalId(const SObjectContext& ctx,
                                          const ObjectDef& object,
                                          const FieldDef& field,
                                          const std::string& value) {
    if (field.type == FieldType::kId) {
        auto id = Id::Parse(value);
        if (!id || id->KeyPrefix() != object.key_prefix) {
            throw ApiError::WithFields(400,
                                       "MALFORMED_ID",
                                       field.label + ": id value of incorrect type: " + value,
                                       {"Id"});
        }
        auto record = ctx.store.Find(object, *id);
        if (record && IsDeletedRecord(object, *record)) {
            throw EntityIsDeleted();
        }
        return record ? std::vector<RecordValues>{std::move(*record)} : std::vector<RecordValues>{};
    }
    auto typed = ParseFieldText(field, value);
    if (!typed || IsNull(*typed)) {
        throw ApiError::WithFields(400,
                                   "INVALID_TYPE_ON_FIELD_IN_RECORD",
                                   field.label + ": value not of required type: " + value,
                                   {field.name});
    }
    return ctx.store.FindBy(object, field, *typed, false, 1000);
}

Response Upsert(const SObjectContext& ctx,
                Call& call,
                const ObjectDef& object,
                const FieldDef& field,
                const std::string& value) {
    auto assignments = ParseBody(object, call);
    for (const auto& a : assignments) {
        if (a.field == &field) {
            // The value comes from the URL only; repeating the field in the body is refused
            // (recorded from live orgs: "The <field> field should not be specified in the
            // sobject data.", INVALID_FIELD).
            throw ApiError(
                400,
                "INVALID_FIELD",
                "The " + field.name + " field should not be specified in the sobject data.");
        }
    }
    const auto update_only = call.req.QueryParam("updateOnly");
    const bool only_update = update_only && ToLowerAscii(*update_only) == "true";
    const bool with_created = MajorVersion(call) >= kUpsertCreatedSince;

    std::optional<Response> answer;
    ctx.store.Atomically([&] {
        const std::vector<RecordValues> matches = value.empty()
                                                      ? std::vector<RecordValues>{}
                                                      : MatchExternalId(ctx, object, field, value);
        if (matches.size() > 1) {
            answer = MultipleChoices(call, object, matches);
            return;
        }
        if (matches.size() == 1) {
            const std::string id18 = IdText(matches[0]);
            UpdateRecord(ctx, call, object, *Id::Parse(id18), std::move(assignments));
            answer = with_created ? SaveResult(call, 200, id18, false) : NoContent();
            return;
        }
        if (only_update || (field.type == FieldType::kId && !value.empty())) {
            // Nothing to update: updateOnly refuses to insert, and an Id that names no record
            // cannot be inserted under that Id.
            throw NotFound();
        }
        if (field.type != FieldType::kId) {
            assignments.push_back({&field, *ParseFieldText(field, value)});
        }
        const std::string id18 = InsertRecord(ctx, call, object, std::move(assignments));
        answer = SaveResult(
            call, 201, id18, with_created ? std::optional<bool>(true) : std::optional<bool>());
    });
    return std::move(*answer);
}

// ---- replication windows -------------------------------------------------------------------

/// `2011-07-07T00:37:00.000+0000` -> `2011-07-07T00:37:00.000Z`, the XML form the replication
/// resources' docs show.
std::string XmlDateTime(const std::string& canonical) {
    if (canonical.size() > 5 && canonical.compare(canonical.size() - 5, 5, "+0000") == 0) {
        return canonical.substr(0, canonical.size() - 5) + "Z";
    }
    return canonical;
}

/// The API ignores the seconds of start and end (resource docs): `…:37:00.000+0000`.
std::string TruncateToMinute(const std::string& canonical) {
    return canonical.substr(0, 17) + "00.000+0000";
}

std::chrono::system_clock::time_point ParseCanonical(const std::string& canonical) {
    // Only called on NormalizeDateTime output, so the fields are where they should be.
    std::tm tm{};
    tm.tm_year = std::stoi(canonical.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(canonical.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(canonical.substr(8, 2));
    tm.tm_hour = std::stoi(canonical.substr(11, 2));
    tm.tm_min = std::stoi(canonical.substr(14, 2));
    tm.tm_sec = std::stoi(canonical.substr(17, 2));
    const int ms = std::stoi(canonical.substr(20, 3));
    return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

struct Window {
    std::string start;   ///< minute-truncated
    std::string upper;   ///< exclusive upper bound of the stored times to report
    std::string latest;  ///< latestDateCovered
};

ApiError ReplicationDate(std::string message) {
    return ApiError(400, "INVALID_REPLICATION_DATE", std::move(message));
}

std::optional<std::string> ReplicationParam(const Request& req, std::string_view name) {
    auto text = req.QueryParam(name);
    if (!text) {
        return std::nullopt;
    }
    // An unencoded `+` of the UTC offset arrives as a space (form decoding); read it back.
    std::string s = Trim(*text);
    if (const auto space = s.rfind(' '); space != std::string::npos && space > 10) {
        s[space] = '+';
    }
    return NormalizeDateTime(s);
}

/// start/end checks of getUpdated/getDeleted, in this order: each parameter readable, start at
/// least a minute before end, start within the last 30 days.
Window RequireWindow(const Request& req) {
    const auto start = ReplicationParam(req, "start");
    if (!start) {
        // Text recorded from a live org (simple-salesforce#266); the code is our choice.
        throw ReplicationDate("Malformed Request, start date is not in the correct format");
    }
    const auto end = ReplicationParam(req, "end");
    if (!end) {
        throw ReplicationDate("Malformed Request, end date is not in the correct format");
    }
    Window w;
    w.start = TruncateToMinute(*start);
    const std::string end_minute = TruncateToMinute(*end);
    const auto start_tp = ParseCanonical(w.start);
    const auto end_tp = ParseCanonical(end_minute);
    if (end_tp - start_tp < std::chrono::minutes(1)) {
        // Salesforce's own (inverted) wording, recorded in restforce#667.
        throw ReplicationDate("startDate must be at least one minute greater than endDate");
    }
    const auto now = std::chrono::system_clock::now();
    if (start_tp < now - std::chrono::hours(24 * kReplicationDays)) {
        throw ReplicationDate("startDate cannot be more than 30 days ago");
    }
    if (end_tp <= now) {
        w.upper = end_minute;
        w.latest = end_minute;
    } else {
        // Nothing after "now" is known yet: report up to now, and say so in latestDateCovered.
        w.latest = FormatDateTime(now);
        w.upper = FormatDateTime(now + std::chrono::milliseconds(1));
    }
    return w;
}

}  // namespace

// ---- handlers ------------------------------------------------------------------------------

Response HandleCreate(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    auto assignments = ParseBody(object, call);
    const std::string id = InsertRecord(ctx, call, object, std::move(assignments));
    return SaveResult(call, 201, id, std::nullopt);
}

Response HandleRecord(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const std::string& method = call.req.method;
    if (method == "PATCH") {
        // Body errors (415, 400 parse) come before the record lookup, as deserialization
        // happens before the DML.
        auto assignments = ParseBody(object, call);
        const Id id = RequireRecordId(object, call.Param("id"));
        UpdateRecord(ctx, call, object, id, std::move(assignments));
        return NoContent();
    }
    const Id id = RequireRecordId(object, call.Param("id"));
    if (method == "DELETE") {
        DeleteRecord(ctx, call, object, id);
        return NoContent();
    }
    // GET / HEAD. The fields are checked before the lookup: a bad ?fields= is a query error.
    const std::vector<std::size_t> fields = SelectedFields(object, call.req);
    auto record = ctx.store.Find(object, id);
    if (!record || IsDeletedRecord(object, *record)) {
        // A record in the recycle bin is not retrievable (the retrieve runs a query, which
        // skips deleted rows).
        throw NotFound();
    }
    return RecordResponse(object, *record, fields, call);
}

Response HandleUpsertWithoutId(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    return Upsert(ctx, call, object, object.IdField(), {});
}

Response HandleExternalId(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const FieldDef& field = RequireExternalIdField(object, call.Param("field"));
    const std::string& value = call.Param("value");
    if (call.req.method == "PATCH") {
        return Upsert(ctx, call, object, field, value);
    }
    std::vector<std::size_t> fields;
    if (call.req.method != "DELETE") {
        fields = SelectedFields(object, call.req);
    }
    const std::vector<RecordValues> matches = MatchExternalId(ctx, object, field, value);
    if (matches.empty()) {
        throw NotFound();
    }
    if (matches.size() > 1) {
        return MultipleChoices(call, object, matches);
    }
    if (call.req.method == "DELETE") {
        DeleteRecord(ctx, call, object, *Id::Parse(IdText(matches[0])));
        return NoContent();
    }
    return RecordResponse(object, matches[0], fields, call);
}

Response HandleGetUpdated(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const Window w = RequireWindow(call.req);
    const std::vector<std::string> ids = ctx.store.ModifiedBetween(object, w.start, w.upper);
    if (call.format == Format::kXml) {
        // Docs' XML: root named after the object, repeated <ids>, Z-suffixed datetimes.
        XmlWriter x(call.pretty);
        x.Open(object.name);
        for (const auto& id : ids) {
            x.Leaf("ids", id);
        }
        x.Leaf("latestDateCovered", XmlDateTime(w.latest));
        return XmlResponse(200, std::move(x).Finish());
    }
    json::object body;
    json::array list;
    for (const auto& id : ids) {
        list.emplace_back(id);
    }
    body["ids"] = std::move(list);
    body["latestDateCovered"] = w.latest;
    return JsonResponse(200, body, call.pretty);
}

Response HandleGetDeleted(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const Window w = RequireWindow(call.req);
    const auto deletions = ctx.store.DeletedBetween(object, w.start, w.upper);
    // Nothing is ever purged from the delete log, so everything since it began is available.
    const std::string earliest = TruncateToMinute(ctx.store.DeleteLogSince());
    if (call.format == Format::kXml) {
        XmlWriter x(call.pretty);
        x.Open(object.name);
        for (const auto& d : deletions) {
            x.Open("deletedRecords");  // children in alphabetical order, as the docs show
            x.Leaf("deletedDate", XmlDateTime(d.deleted_date));
            x.Leaf("id", d.id);
            x.Close();
        }
        x.Leaf("earliestDateAvailable", XmlDateTime(earliest));
        x.Leaf("latestDateCovered", XmlDateTime(w.latest));
        return XmlResponse(200, std::move(x).Finish());
    }
    json::object body;
    json::array list;
    for (const auto& d : deletions) {
        json::object e;
        e["id"] = d.id;
        e["deletedDate"] = d.deleted_date;
        list.emplace_back(std::move(e));
    }
    body["deletedRecords"] = std::move(list);
    body["earliestDateAvailable"] = earliest;
    body["latestDateCovered"] = w.latest;
    return JsonResponse(200, body, call.pretty);
}

}  // namespace sfkit::server
