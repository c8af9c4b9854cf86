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
#include "server/auth/crypto.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/query/query_render.hpp"
#include "server/query/query_service.hpp"
#include "server/records/record_writes.hpp"
#include "server/schema/field_version.hpp"

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

// ---- errors shared by several resources --------------------------------------------------

ApiError ExternalIdFieldNotFound(const std::string& given) {
    return ApiError(404,
                    "NOT_FOUND",
                    "Provided external ID field does not exist or is not accessible: " + given);
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

/// `?fields=A,B`: indexes in request order, Id appended when not requested (§B.7); every field
/// when the parameter is absent or empty.
/// Fields newer than the request's API version are left out / unknown (VisibleIn,
/// the gate describe and SOQL apply).
std::vector<std::size_t> SelectedFields(const ObjectDef& object, const Call& call) {
    const int api_major = ApiMajor(call.api_version);
    const auto param = call.req.QueryParam("fields");
    if (!param || Trim(*param).empty()) {
        return VisibleFields(object, api_major);
    }
    return SelectFields(object, SplitFieldList(*param), api_major);
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
    if (!call.pretty) {
        // Written straight to text: perf (GET one record, release) had 16 % of a GET's samples
        // building and hashing the boost::json::object that WriteJson then walked.
        Response r;
        r.SetHeader("Content-Type", std::string(kJsonContentType));
        r.body = RecordJsonText(object, record, fields, call.api_version);
        return r;
    }
    return JsonResponse(200, RecordJson(object, record, fields, call.api_version), call.pretty);
}

/// SaveResult (create) or UpsertResult: `id, success, errors[, created]` in JSON (§B.6, §B.10);
/// XML as captured (§B.16): standalone, no <errors> when empty. The Tooling API's create answer
/// adds `warnings` (`{"id","success","errors","warnings"}` in a client's fixture of a Tooling
/// create, forcedotcom/salesforcedx-vscode, ApexExecutionOverlayAction at v43.0 [F]); the REST
/// API's does not: its documented answers (v38.0-v62.0) and the recorded ones (sf-fx-runtime-java
/// mappings, v53.0; CumulusCI cassettes) carry `id, success, errors` only [D][R], composite
/// subresponses included, and no recording with `warnings` was found.
Response SaveResult(Call& call,
                    int status,
                    const std::string& id,
                    std::optional<bool> created,
                    bool tooling = false) {
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
    if (tooling) {
        result["warnings"] = json::array();
    }
    return JsonResponse(status, result, call.pretty);
}

/// A write answer naming the record it created or upserted: `Location:
/// /services/data/vNN.N/sobjects/<Type>/<id>` (recorded on a REST create, sf-fx-runtime-java
/// mapping create.json, v53.0; and on composite upsert subresponses, created or not). Composite
/// subresponses carry it because they copy the subrequest's headers.
Response WithLocation(Response r,
                      const Call& call,
                      const ObjectDef& object,
                      const std::string& id) {
    r.SetHeader("Location", RecordUrl(call.api_version, object, id));
    return r;
}

/// 300 Multiple Choices: the URLs of the records an external id matched (§B.10).
Response MultipleChoices(Call& call, const ObjectDef& object, const std::vector<RecordValues>& rs) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        w.Open("Results");
        for (const auto& r : rs) {
            w.Leaf("url", RecordUrl(call.api_version, object, RecordIdText(r)));
        }
        return XmlResponse(300, std::move(w).Finish());
    }
    json::array urls;
    for (const auto& r : rs) {
        urls.emplace_back(RecordUrl(call.api_version, object, RecordIdText(r)));
    }
    return JsonResponse(300, urls, call.pretty);
}

// ---- writes --------------------------------------------------------------------------------

std::vector<FieldAssignment> ParseBody(const ObjectDef& object, const Call& call) {
    if (IsMultipartBody(call.req)) {
        return ParseMultipartRecordBody(object, call.req);
    }
    const BodyFormat format = RequireBodyFormat(call.req);
    return ParseRecordBody(object, format, call.req.body);
}

// ---- external ids --------------------------------------------------------------------------

/// The field named in /sobjects/{type}/{field}/...: Id, an external-id field or an idLookup
/// field of a standard object (§B.10).
const FieldDef& RequireExternalIdField(const ObjectDef& object, const std::string& given) {
    const FieldDef* f = object.FindField(given);
    if (f == nullptr || !object.IsUpsertKey(*f)) {
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
            const std::string id18 = RecordIdText(matches[0]);
            UpdateRecord(ctx, UserId(call), object, *Id::Parse(id18), std::move(assignments));
            answer = with_created
                         ? WithLocation(SaveResult(call, 200, id18, false), call, object, id18)
                         : NoContent();
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
        const std::string id18 = InsertRecord(ctx, UserId(call), object, std::move(assignments));
        answer = WithLocation(
            SaveResult(
                call, 201, id18, with_created ? std::optional<bool>(true) : std::optional<bool>()),
            call,
            object,
            id18);
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
    const std::string id = InsertRecord(ctx, UserId(call), object, std::move(assignments));
    const bool tooling = object.resource_path != "sobjects";
    return WithLocation(SaveResult(call, 201, id, std::nullopt, tooling), call, object, id);
}

Response HandleRecord(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const std::string& method = call.req.method;
    if (method == "PATCH") {
        // Body errors (415, 400 parse) come before the record lookup, as deserialization
        // happens before the DML.
        auto assignments = ParseBody(object, call);
        const Id id = RequireRecordId(object, call.Param("id"));
        UpdateRecord(ctx, UserId(call), object, id, std::move(assignments));
        return NoContent();
    }
    const Id id = RequireRecordId(object, call.Param("id"));
    if (method == "DELETE") {
        DeleteRecord(ctx, UserId(call), object, id);
        return NoContent();
    }
    // GET / HEAD. The fields are checked before the lookup: a bad ?fields= is a query error.
    const std::vector<std::size_t> fields = SelectedFields(object, call);
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

namespace {

/// GET /sobjects/{Type}/{id}/{blobField}: the decoded content of a base64 field (Attachment.Body,
/// ContentVersion.VersionData, any object's base64 field) as `application/octetstream` [D].
Response BlobRetrieve(const SObjectContext& ctx,
                      const ObjectDef& object,
                      const Id& id,
                      const FieldDef& blob) {
    const auto record = ctx.store.Find(object, id);
    if (!record || IsDeletedRecord(object, *record)) {
        throw NotFound();
    }
    const auto* text = std::get_if<std::string>(&(*record)[object.IndexOf(blob)]);
    std::optional<std::string> bytes =
        text != nullptr ? crypto::Base64Decode(*text) : std::optional<std::string>("");
    if (!bytes) {
        throw NotFound();
    }
    Response r;
    r.status = 200;
    r.body = std::move(*bytes);
    r.SetHeader("Content-Type", "application/octetstream");
    return r;
}

/// The first API version with the sObject Relationships resource (REST API Developer Guide,
/// "sObject Relationships": "available in REST API version 36.0 and later" [D]).
constexpr int kRelationshipsSince = 36;

/// The live record `id` of `object`; 404 NOT_FOUND when there is none or it is deleted (as a
/// retrieve answers).
RecordValues RequireReadableRecord(const SObjectContext& ctx,
                                   const ObjectDef& object,
                                   const Id& id) {
    auto record = ctx.store.Find(object, id);
    if (!record || IsDeletedRecord(object, *record)) {
        throw NotFound();
    }
    return std::move(*record);
}

/// Child to parent: /sobjects/{Type}/{id}/{parentRelationship} (`Contact/{id}/Account`,
/// `Account/{id}/Owner`, `Invoice__c/{id}/Account__r`). GET answers the parent record as GET
/// /sobjects/{Parent}/{parentId} does, with its `?fields=`; PATCH updates it (204) and DELETE
/// deletes it (204) [D: the resource's docs, "Update/Delete Records Using sObject
/// Relationships"]. An empty reference is 404 ("If there's no record associated with a
/// relationship field, a 404 error response is returned" [D]).
Response TraverseToParent(const SObjectContext& ctx,
                          Call& call,
                          const ObjectDef& object,
                          const Id& id,
                          const FieldDef& reference) {
    const RecordValues record = RequireReadableRecord(ctx, object, id);
    const auto* parent_text = std::get_if<std::string>(&record[object.IndexOf(reference)]);
    std::optional<Id> parent_id;
    if (parent_text != nullptr) {
        if (auto parsed = Id::Parse(*parent_text)) {
            parent_id = *parsed;
        }
    }
    if (!parent_id) {
        throw NotFound();
    }
    const ObjectDef* parent = ctx.schema.FindByKeyPrefix(parent_id->KeyPrefix());
    if (parent == nullptr) {
        throw NotFound();
    }
    const std::string& method = call.req.method;
    if (method == "PATCH") {
        auto assignments = ParseBody(*parent, call);
        UpdateRecord(ctx, UserId(call), *parent, *parent_id, std::move(assignments));
        return NoContent();
    }
    if (method == "DELETE") {
        DeleteRecord(ctx, UserId(call), *parent, *parent_id);
        return NoContent();
    }
    const std::vector<std::size_t> fields = SelectedFields(*parent, call);
    return RecordResponse(*parent, RequireReadableRecord(ctx, *parent, *parent_id), fields, call);
}

/// Parent to children: /sobjects/{Type}/{id}/{childRelationship} (`Account/{id}/Contacts`):
/// the children as a query result (`totalSize, done, [nextRecordsUrl,] records`, pages through
/// /query/{locator}), every field of the child object or those of `?fields=`, run as `SELECT
/// ... FROM Child WHERE <reference> = '<id>'` through the query service, so an unknown field is
/// the query's 400 INVALID_FIELD [D: "If the fields parameter is used with fields that don't
/// exist ..., a 400 error response is returned"]. No children: 200 with no records [D]. The
/// query-result shape is sfkit's reading of "you can retrieve the complete set of associated
/// records" [M]. Only GET: updates and deletes traverse child-to-parent relationships only [D];
/// other methods are 405 as for any resource without them.
Response TraverseToChildren(const SObjectContext& ctx,
                            query::QueryService& queries,
                            Call& call,
                            const ObjectDef& object,
                            const Id& id,
                            const ChildRelationship& rel) {
    const std::string& method = call.req.method;
    if (method != "GET" && method != "HEAD") {
        throw NoRoute(method, {"GET", "HEAD"});
    }
    RequireReadableRecord(ctx, object, id);
    std::string select;
    const auto param = call.req.QueryParam("fields");
    if (param && !Trim(*param).empty()) {
        for (const std::string& f : SplitFieldList(*param)) {
            select += (select.empty() ? "" : ", ") + f;
        }
    } else {
        // The fields the request's version has (VisibleIn, as describe and SOQL see them).
        for (const std::size_t i : VisibleFields(*rel.child, ApiMajor(call.api_version))) {
            const FieldDef& f = rel.child->fields[i];
            if (f.type == FieldType::kBase64) {
                continue;  // blob fields are read one record at a time (SOQL refuses them)
            }
            select += (select.empty() ? "" : ", ") + f.name;
        }
    }
    const std::string soql = "SELECT " + select + " FROM " + rel.child->name + " WHERE " +
                             rel.field->name + " = '" + id.Str18() + "'";
    query::QueryCall qc;
    qc.user_id = UserId(call);
    qc.api_version = call.api_version;
    const query::QueryPage page = queries.Run(soql, qc);
    if (call.format == Format::kXml) {
        return XmlResponse(200, query::PageXml(page, ctx.schema, call.api_version, call.pretty));
    }
    return JsonResponse(200, query::PageJson(page, ctx.schema, call.api_version), call.pretty);
}

/// The record subresources of /sobjects/{Type}/{id}/{name}: a base64 field, a parent or a child
/// relationship. nullopt when the segment after the type is not a record id of `object` (then
/// the path names an external-id field and value). A record id followed by anything else is
/// 404 NOT_FOUND [M: the dispatcher's answer for a subresource the record does not have].
std::optional<Response> RecordSubresource(const SObjectContext& ctx,
                                          query::QueryService* queries,
                                          Call& call,
                                          const ObjectDef& object) {
    const auto id = Id::Parse(call.Param("field"));
    if (!id || id->KeyPrefix() != object.key_prefix) {
        return std::nullopt;
    }
    const std::string& name = call.Param("value");
    const std::string& method = call.req.method;
    const bool read = method == "GET" || method == "HEAD";
    if (const FieldDef* blob = object.FindField(name);
        blob != nullptr && blob->type == FieldType::kBase64) {
        if (!read) {
            throw NoRoute(method, {"GET", "HEAD"});
        }
        return BlobRetrieve(ctx, object, *id, *blob);
    }
    if (MajorVersion(call) >= kRelationshipsSince) {
        if (const FieldDef* reference = object.FindRelationship(name)) {
            return TraverseToParent(ctx, call, object, *id, *reference);
        }
        if (const auto rel = ctx.schema.FindChildRelationship(object, name);
            rel && !rel->name.empty() && queries != nullptr) {
            return TraverseToChildren(ctx, *queries, call, object, *id, *rel);
        }
    }
    if (read) {
        throw NotFound();
    }
    // PATCH/DELETE on {id}/{unknown}: the external-id path's answers (upsert by a field named
    // like an id does not exist).
    return std::nullopt;
}

}  // namespace

Response HandleRecordSubresource(const SObjectContext& ctx,
                                 query::QueryService* queries,
                                 Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    if (auto sub = RecordSubresource(ctx, queries, call, object)) {
        return std::move(*sub);
    }
    const FieldDef& field = RequireExternalIdField(object, call.Param("field"));
    const std::string& value = call.Param("value");
    if (call.req.method == "PATCH") {
        return Upsert(ctx, call, object, field, value);
    }
    std::vector<std::size_t> fields;
    if (call.req.method != "DELETE") {
        fields = SelectedFields(object, call);
    }
    const std::vector<RecordValues> matches = MatchExternalId(ctx, object, field, value);
    if (matches.empty()) {
        throw NotFound();
    }
    if (matches.size() > 1) {
        return MultipleChoices(call, object, matches);
    }
    if (call.req.method == "DELETE") {
        DeleteRecord(ctx, UserId(call), object, *Id::Parse(RecordIdText(matches[0])));
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
