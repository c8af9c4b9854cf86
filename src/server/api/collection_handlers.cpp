// sObject Collections. The body is read whole first: anything that keeps it from being a list
// of records (syntax, types, unknown fields or sObject types, over 200 records) answers 400 for
// the whole request, as Salesforce does for a request that "isn't well formed" (§B.13). The
// records are then written in order, in one RecordStore::Atomically transaction, each in a
// savepoint of its own so that a failing record leaves nothing behind; the DML errors of a record
// (the single-record validators, records/record_writes.hpp) become its result. With allOrNone the
// transaction is abandoned when any record failed, so nothing persists. Choices made where
// Salesforce's behaviour is not recorded are listed in docs/rest-api.md ("sObject Collections").
#include "server/api/collection_handlers.hpp"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/composite_input.hpp"
#include "server/api/record_input.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/records/record_writes.hpp"
#include "server/schema/field_version.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

/// sObject Collections exist from API 42.0, their upsert from 46.0 (collections docs, §B.13);
/// below that the resources are unknown (404 NOT_FOUND).
constexpr int kCollectionsSince = 42;
constexpr int kUpsertSince = 46;
/// "The list can contain up to 200 objects"; retrieve by POST takes up to 2,000 ids.
constexpr std::size_t kMaxWriteRecords = 200;
constexpr std::size_t kMaxRetrieveRecords = 2000;

std::string UserId(const Call& call) {
    return call.session != nullptr ? call.session->user_id : std::string();
}

// ---- request-level errors ------------------------------------------------------------------

/// Over the limit: SOAP's and the REST API's text for a call with too many records.
ApiError TooManyRecords(std::size_t limit) {
    return ApiError(400,
                    "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + std::to_string(limit) +
                        " records into this call");
}

/// A required part of the request (records, ids, fields) absent or empty.
ApiError NotSpecified(const std::string& what) {
    return ApiError(400, "MISSING_ARGUMENT", what + " not specified");
}

/// An unknown sObject type named in a record's attributes: SOQL's INVALID_TYPE text (§B.11).
ApiError UnknownType(const std::string& type) {
    return ApiError(400,
                    "INVALID_TYPE",
                    "sObject type '" + type +
                        "' is not supported. If you are attempting to use a custom object, be "
                        "sure to append the '__c' after the entity name. Please reference your "
                        "WSDL or the describe call for the appropriate names.");
}

json::value ParseJsonOrThrow(std::string_view text) {
    auto parsed = codec::ParseJson(text);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    return std::move(*parsed);
}

/// A list member (`records`, `ids`, `fields`): nullptr when absent or null.
const json::array* ReadList(const json::object& root,
                            const std::unordered_map<std::string, JsonSpan>& spans,
                            std::string_view text,
                            std::string_view key) {
    const json::value* v = root.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return nullptr;
    }
    if (!v->is_array()) {
        throw JsonCannotDeserialize("List", *v, text, spans.at(std::string(key)).end);
    }
    return &v->get_array();
}

const json::object& RequireRoot(const json::value& root, std::string_view text) {
    if (!root.is_object()) {
        std::size_t start = 0;
        while (start < text.size() && (text[start] == ' ' || text[start] == '\t' ||
                                       text[start] == '\n' || text[start] == '\r')) {
            ++start;
        }
        throw JsonCannotDeserialize("SObjectCollectionInput", root, text, start + 1);
    }
    return root.get_object();
}

// ---- per-record results --------------------------------------------------------------------

/// The result of one record: SaveResult `id, success, errors` (UpsertResult adds `created`),
/// errors keyed `statusCode, message, fields` (§B.13).
struct Outcome {
    bool success = false;
    std::string id;  ///< "" -> no `id` key
    std::optional<bool> created;
    std::vector<ApiErrorItem> errors;
};

ApiErrorItem ItemError(std::string code,
                       std::string message,
                       std::vector<std::string> fields = {}) {
    return ApiErrorItem{std::move(code), std::move(message), std::move(fields), true};
}

/// One record (or id) of a write request and what became of it.
struct Piece {
    const ObjectDef* object = nullptr;
    std::vector<FieldAssignment> assignments;
    std::optional<FieldValue> id;         ///< the body's Id (update), absent: nullopt
    std::string id_text;                  ///< delete: the id as given
    std::optional<ApiErrorItem> refused;  ///< known to fail before anything is written
    bool existed = false;                 ///< the record was there before (update, delete, upsert)
    Outcome outcome;
};

/// Runs `apply` for every piece in request order, inside one transaction, each piece in its own
/// savepoint. ApiErrors of a piece become its errors; anything else fails the whole request.
/// With `all_or_none` and a failure the transaction is abandoned and the pieces that had
/// succeeded report ALL_OR_NONE_OPERATION_ROLLED_BACK, keeping their id only when the record
/// existed before (a rolled-back insert has none).
void RunPieces(const SObjectContext& ctx,
               bool all_or_none,
               std::vector<Piece>& pieces,
               const std::function<void(Piece&)>& apply) {
    struct RolledBack {};
    try {
        ctx.store.Atomically([&] {
            bool failed = false;
            for (Piece& p : pieces) {
                p.outcome = Outcome{};
                p.existed = false;
                if (p.refused) {
                    p.outcome.errors = {*p.refused};
                    failed = true;
                    continue;
                }
                try {
                    ctx.store.Savepoint([&] { apply(p); });
                    p.outcome.success = true;
                } catch (const ApiError& e) {
                    p.outcome = Outcome{};
                    p.outcome.errors = e.items;
                    failed = true;
                }
            }
            if (failed && all_or_none) {
                throw RolledBack{};
            }
        });
    } catch (const RolledBack&) {
        for (Piece& p : pieces) {
            if (!p.outcome.success) {
                continue;
            }
            p.outcome.success = false;
            if (!p.existed) {
                p.outcome.id.clear();
            }
            p.outcome.created.reset();
            // Text and code as Salesforce returns them (§B.13, docs and fixtures).
            p.outcome.errors = {ItemError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                          "Record rolled back because not all records were "
                                          "valid and the request was using AllOrNone header")};
        }
    }
}

Response Results(const std::vector<Piece>& pieces, Call& call) {
    json::array out;
    for (const Piece& p : pieces) {
        const Outcome& o = p.outcome;
        json::object r;
        if (!o.id.empty()) {
            r["id"] = o.id;
        }
        r["success"] = o.success;
        json::array errors;
        for (const ApiErrorItem& e : o.errors) {
            json::array fields;
            for (const auto& f : e.fields) {
                fields.emplace_back(f);
            }
            json::object item;
            item["statusCode"] = e.code;
            item["message"] = e.message;
            item["fields"] = std::move(fields);
            errors.emplace_back(std::move(item));
        }
        r["errors"] = std::move(errors);
        if (o.created) {
            r["created"] = *o.created;
        }
        out.emplace_back(std::move(r));
    }
    return JsonResponse(200, out, call.pretty);
}

// ---- reading a records body ----------------------------------------------------------------

struct RecordsBody {
    json::value root;
    bool all_or_none = false;
    /// Each record with the offset of its `{` in the body.
    std::vector<std::pair<const json::object*, std::size_t>> records;
};

/// `{"allOrNone":b,"records":[...]}`: at least one record and at most 200, each an object.
void ReadRecordsBody(const Call& call, RecordsBody& out) {
    RequireJsonExchange(call, /*with_body=*/true);
    const std::string_view text = call.req.body;
    out.root = ParseJsonOrThrow(text);
    const json::object& root = RequireRoot(out.root, text);
    const auto spans = JsonMembers(text, 0);
    // Members are read in body order, as a streaming deserializer meets them.
    const json::array* records = nullptr;
    for (const auto& member : root) {
        if (member.key() == "allOrNone") {
            out.all_or_none = ReadJsonBoolean(member.value(), text, spans.at("allOrNone"));
        } else if (member.key() == "records") {
            records = ReadList(root, spans, text, "records");
        }
    }
    if (records == nullptr || records->empty()) {
        throw NotSpecified("records");
    }
    if (records->size() > kMaxWriteRecords) {
        throw TooManyRecords(kMaxWriteRecords);
    }
    const auto elements = JsonElements(text, spans.at("records").begin);
    for (std::size_t i = 0; i < records->size(); ++i) {
        const json::value& r = (*records)[i];
        const std::size_t start = i < elements.size() ? elements[i].begin : 0;
        if (!r.is_object()) {
            throw JsonCannotDeserialize(
                "SObject", r, text, i < elements.size() ? elements[i].end : text.size());
        }
        out.records.emplace_back(&r.get_object(), start);
    }
}

/// The sObject type of a record: `attributes.type` (required, §B.13). A record without one
/// cannot be deserialized: JSON_PARSER_ERROR pointing just inside the record.
const ObjectDef& RecordType(const SObjectContext& ctx,
                            const json::object& record,
                            std::string_view text,
                            std::size_t start) {
    const json::value* attributes = record.if_contains("attributes");
    const json::value* type = attributes != nullptr && attributes->is_object()
                                  ? attributes->get_object().if_contains("type")
                                  : nullptr;
    if (type == nullptr || !type->is_string() || type->get_string().empty()) {
        throw JsonCannotDeserialize("SObject", json::value(json::object()), text, start + 1);
    }
    const ObjectDef* object = ctx.schema.FindObject(std::string(type->get_string()));
    if (object == nullptr) {
        throw UnknownType(std::string(type->get_string()));
    }
    return *object;
}

/// Turns each record into a piece: its object and typed fields (whole-request errors as in the
/// single-record body parser), and its Id kept aside.
std::vector<Piece> RecordPieces(const SObjectContext& ctx,
                                const RecordsBody& body,
                                std::string_view text) {
    std::vector<Piece> pieces;
    for (const auto& [record, start] : body.records) {
        Piece p;
        p.object = &RecordType(ctx, *record, text, start);
        p.assignments = ParseJsonRecord(*p.object, *record, text, start, &p.id);
        pieces.push_back(std::move(p));
    }
    return pieces;
}

/// The id a record names for `object`, or the per-record MALFORMED_ID Salesforce gives for an id
/// that is not one of this object (docs' update example: `Contact ID: id value of incorrect
/// type: 001...`, fields [Id]).
std::variant<Id, ApiErrorItem> RecordId(const ObjectDef& object, const FieldValue& value) {
    const auto* text = std::get_if<std::string>(&value);
    const std::string shown = text != nullptr ? *text : NumberText(value);
    auto id = Id::Parse(shown);
    if (!id || id->KeyPrefix() != object.key_prefix) {
        return ItemError("MALFORMED_ID",
                         object.IdField().label + ": id value of incorrect type: " + shown,
                         {"Id"});
    }
    return *id;
}

/// A record that does not exist (anywhere): SOAP's code and text for a dangling id.
ApiError NoSuchRecord() {
    return ApiError::WithFields(
        400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {});
}

// ---- the operations ------------------------------------------------------------------------

Response Create(const SObjectContext& ctx, Call& call) {
    RecordsBody body;
    ReadRecordsBody(call, body);
    std::vector<Piece> pieces = RecordPieces(ctx, body, call.req.body);
    for (Piece& p : pieces) {
        if (p.id && !IsNull(*p.id)) {
            // SOAP create's wording for an Id in a new record.
            p.refused = ItemError("INVALID_FIELD", "cannot specify Id in an insert call", {"Id"});
        }
    }
    const std::string user = UserId(call);
    RunPieces(ctx, body.all_or_none, pieces, [&](Piece& p) {
        p.outcome.id = InsertRecord(ctx, user, *p.object, std::move(p.assignments));
    });
    return Results(pieces, call);
}

Response Update(const SObjectContext& ctx, Call& call) {
    RecordsBody body;
    ReadRecordsBody(call, body);
    std::vector<Piece> pieces = RecordPieces(ctx, body, call.req.body);
    for (Piece& p : pieces) {
        if (!p.id || IsNull(*p.id)) {
            // SOAP update's wording for a record without Id.
            p.refused = ItemError("MISSING_ARGUMENT", "Id not specified in an update call");
        } else if (auto id = RecordId(*p.object, *p.id); std::holds_alternative<ApiErrorItem>(id)) {
            p.refused = std::get<ApiErrorItem>(id);
        }
    }
    const std::string user = UserId(call);
    RunPieces(ctx, body.all_or_none, pieces, [&](Piece& p) {
        const Id id = std::get<Id>(RecordId(*p.object, *p.id));
        if (!ctx.store.Find(*p.object, id)) {
            throw NoSuchRecord();
        }
        UpdateRecord(ctx, user, *p.object, id, std::move(p.assignments));
        p.existed = true;
        p.outcome.id = id.Str18();
    });
    return Results(pieces, call);
}

Response Delete(const SObjectContext& ctx, Call& call) {
    RequireJsonExchange(call, /*with_body=*/false);
    const auto ids_param = call.req.QueryParam("ids");
    const std::vector<std::string> ids =
        ids_param ? SplitFieldList(*ids_param) : std::vector<std::string>{};
    if (ids.empty()) {
        throw NotSpecified("ids");
    }
    if (ids.size() > kMaxWriteRecords) {
        throw TooManyRecords(kMaxWriteRecords);
    }
    const auto all_or_none = call.req.QueryParam("allOrNone");
    std::vector<Piece> pieces;
    for (const std::string& text : ids) {
        Piece p;
        p.id_text = text;
        if (!Id::IsValid(text)) {
            // Docs' delete example: `malformed id 001RM000003oLrB000`, no fields.
            p.refused = ItemError("MALFORMED_ID", "malformed id " + text);
        }
        pieces.push_back(std::move(p));
    }
    const std::string user = UserId(call);
    RunPieces(ctx, all_or_none && ToLowerAscii(*all_or_none) == "true", pieces, [&](Piece& p) {
        const Id id = *Id::Parse(p.id_text);
        const ObjectDef* object = ctx.schema.FindByKeyPrefix(id.KeyPrefix());
        if (object == nullptr || !ctx.store.Find(*object, id)) {
            throw NoSuchRecord();
        }
        DeleteRecord(ctx, user, *object, id);
        p.existed = true;
        p.outcome.id = id.Str18();
    });
    return Results(pieces, call);
}

/// Text of an external-id value for messages, and the key two values share when an upsert
/// would match them to the same record (text compares like the field's index).
std::string ValueText(const FieldValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    return s != nullptr ? *s : NumberText(v);
}

}  // namespace

// ---- handlers ------------------------------------------------------------------------------

Response HandleCollection(const SObjectContext& ctx, Call& call) {
    RequireCompositeVersion(call, kCollectionsSince);
    const std::string& method = call.req.method;
    if (method == "POST") {
        return Create(ctx, call);
    }
    if (method == "PATCH") {
        return Update(ctx, call);
    }
    return Delete(ctx, call);
}

Response HandleCollectionUpsert(const SObjectContext& ctx, Call& call) {
    RequireCompositeVersion(call, kUpsertSince);
    const ObjectDef& object = RequireObject(ctx, call);
    // The fields single-record upsert takes, except Id: "Don't use record ids." (docs).
    const std::string& field_name = call.Param("field");
    const FieldDef* field = object.FindField(field_name);
    if (field == nullptr || field->type == FieldType::kId || !object.IsUpsertKey(*field)) {
        throw ApiError(
            404,
            "NOT_FOUND",
            "Provided external ID field does not exist or is not accessible: " + field_name);
    }
    RecordsBody body;
    ReadRecordsBody(call, body);
    const std::string_view text = call.req.body;
    std::vector<Piece> pieces;
    for (const auto& [record, start] : body.records) {
        // The URL names the type; a record may repeat it in its attributes but not name another.
        const json::value* attributes = record->if_contains("attributes");
        const json::value* type = attributes != nullptr && attributes->is_object()
                                      ? attributes->get_object().if_contains("type")
                                      : nullptr;
        if (type != nullptr && type->is_string() &&
            ctx.schema.FindObject(std::string(type->get_string())) != &object) {
            throw ApiError(400,
                           "INVALID_TYPE",
                           "Records of type " + std::string(type->get_string()) +
                               " cannot be upserted as " + object.name);
        }
        Piece p;
        p.object = &object;
        p.assignments = ParseJsonRecord(object, *record, text, start, &p.id);
        pieces.push_back(std::move(p));
    }
    // Per record: the Id may not be given, the external id must be, and no two records may
    // carry the same one (SOAP upsert's codes and texts).
    std::vector<std::optional<FieldValue>> keys(pieces.size());
    std::unordered_map<std::string, int> seen;
    const auto key_of = [&](const FieldValue& v) {
        return field->case_sensitive ? ValueText(v) : ToLowerAscii(ValueText(v));
    };
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        Piece& p = pieces[i];
        for (const auto& a : p.assignments) {
            if (a.field == field && !IsNull(a.value)) {
                keys[i] = a.value;
            }
        }
        if (p.id && !IsNull(*p.id)) {
            p.refused = ItemError("INVALID_FIELD",
                                  "The Id field should not be specified in the sobject data.");
        } else if (!keys[i]) {
            p.refused = ItemError("MISSING_ARGUMENT", field->name + " not specified");
        } else {
            ++seen[key_of(*keys[i])];
        }
    }
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (!pieces[i].refused && seen[key_of(*keys[i])] > 1) {
            pieces[i].refused = ItemError(
                "DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: " + ValueText(*keys[i]));
        }
    }
    const std::string user = UserId(call);
    RunPieces(ctx, body.all_or_none, pieces, [&](Piece& p) {
        const std::size_t i = static_cast<std::size_t>(&p - pieces.data());
        const UpsertOutcome done =
            UpsertRecord(ctx, user, object, *field, *keys[i], std::move(p.assignments));
        p.existed = !done.created;
        p.outcome.id = done.id;
        p.outcome.created = done.created;
    });
    return Results(pieces, call);
}

Response HandleCollectionRetrieve(const SObjectContext& ctx, Call& call) {
    RequireCompositeVersion(call, kCollectionsSince);
    const ObjectDef& object = RequireObject(ctx, call);
    std::vector<std::string> ids;
    std::vector<std::string> names;
    bool have_ids = false;
    bool have_fields = false;
    if (call.req.method == "POST") {
        RequireJsonExchange(call, /*with_body=*/true);
        const std::string_view text = call.req.body;
        const json::value parsed = ParseJsonOrThrow(text);
        const json::object& root = RequireRoot(parsed, text);
        const auto spans = JsonMembers(text, 0);
        const auto strings = [&](std::string_view key, std::vector<std::string>& out) {
            const json::array* list = ReadList(root, spans, text, key);
            if (list == nullptr) {
                return false;
            }
            const auto elements = JsonElements(text, spans.at(std::string(key)).begin);
            for (std::size_t i = 0; i < list->size(); ++i) {
                const json::value& v = (*list)[i];
                if (!v.is_string()) {
                    throw JsonCannotDeserialize(
                        "String", v, text, i < elements.size() ? elements[i].end : text.size());
                }
                out.emplace_back(v.get_string());
            }
            return true;
        };
        have_ids = strings("ids", ids) && !ids.empty();
        have_fields = strings("fields", names) && !names.empty();
    } else {
        RequireJsonExchange(call, /*with_body=*/false);
        if (const auto p = call.req.QueryParam("ids")) {
            ids = SplitFieldList(*p);
        }
        if (const auto p = call.req.QueryParam("fields")) {
            names = SplitFieldList(*p);
        }
        have_ids = !ids.empty();
        have_fields = !names.empty();
    }
    if (!have_ids) {
        throw NotSpecified("ids");
    }
    if (!have_fields) {
        throw NotSpecified("fields");
    }
    if (ids.size() > kMaxRetrieveRecords) {
        throw TooManyRecords(kMaxRetrieveRecords);
    }
    const std::vector<std::size_t> fields = SelectFields(object, names, ApiMajor(call.api_version));
    json::array out;
    for (const std::string& text : ids) {
        // "If a passed ID is invalid, the array returns null for that object" (docs); so does an
        // id of another object, or of a record that is gone.
        auto id = Id::Parse(text);
        std::optional<RecordValues> record;
        if (id && id->KeyPrefix() == object.key_prefix) {
            record = ctx.store.Find(object, *id);
        }
        if (!record || IsDeletedRecord(object, *record)) {
            out.emplace_back(nullptr);
            continue;
        }
        out.emplace_back(RecordJson(object, *record, fields, call.api_version));
    }
    return JsonResponse(200, out, call.pretty);
}

}  // namespace sfkit::server
