// Create and retrieve (describeGlobal and basic info live in describe_handlers.cpp).
#include "server/api/sobject_handlers.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/describe_handlers.hpp"
#include "server/api/record_input.hpp"
#include "server/api/record_output.hpp"
#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/derived_fields.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return std::string(s);
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

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call) {
    const ObjectDef* object = ctx.schema.FindObject(call.Param("type"));
    if (object == nullptr) {
        throw NotFound();
    }
    return *object;
}

Response HandleCreate(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    RequireCreateable(object);
    const BodyFormat body_format = RequireBodyFormat(call.req);
    auto assignments = ParseRecordBody(object, body_format, call.req.body);
    ValidateInsert(ctx.schema, ctx.store, object, assignments);

    RecordValues values(object.fields.size());
    for (std::size_t i = 0; i < object.fields.size(); ++i) {
        if (object.fields[i].default_boolean) {
            values[i] = *object.fields[i].default_boolean;
        }
    }
    std::vector<bool> assigned(object.fields.size(), false);
    for (auto& a : assignments) {
        const std::size_t i = object.IndexOf(*a.field);
        // A null checkbox is false: checkboxes are never null in Salesforce.
        if (IsNull(a.value) && a.field->type == FieldType::kBoolean) {
            a.value = a.field->default_boolean.value_or(false);
        }
        values[i] = std::move(a.value);
        assigned[i] = true;
    }
    // System fields (§0.1 formats): one timestamp for all three dates of a create.
    const std::string now = NowDateTime();
    ComputeDerivedFields(object, values, assigned, /*is_insert=*/true, now);
    const std::string user = call.session != nullptr ? call.session->user_id : std::string();
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

    const Id id = ctx.store.Insert(object, values);

    if (call.format == Format::kXml) {
        // Salesforce's XML SaveResult (§B.16): standalone="yes", no <errors> when empty.
        XmlWriter w(call.pretty, /*standalone=*/true);
        w.Open("Result");
        w.Leaf("id", id.Str18());
        w.Leaf("success", "true");
        return XmlResponse(201, std::move(w).Finish());
    }
    json::object result;  // id, success, errors: the order of every recording (§B.6)
    result["id"] = id.Str18();
    result["success"] = true;
    result["errors"] = json::array();
    return JsonResponse(201, result, call.pretty);
}

Response HandleRetrieve(const SObjectContext& ctx, Call& call) {
    const ObjectDef& object = RequireObject(ctx, call);
    const std::string& segment = call.Param("id");
    auto id = Id::Parse(segment);
    if (!id) {
        // An 18-char id of this object whose case-safe suffix is wrong: it is clearly meant as
        // an id, so answer MALFORMED_ID rather than treating it as an external-id field name.
        if (segment.size() == 18 && segment.compare(0, 3, object.key_prefix) == 0 &&
            std::all_of(segment.begin(), segment.end(), IsAlnum)) {
            throw ApiError::WithFields(
                400,
                "MALFORMED_ID",
                object.IdField().label + ": id value of incorrect type: " + segment,
                {"Id"});
        }
        // Anything else is read as /sobjects/{type}/{externalIdField} (§B.7).
        throw ApiError(
            404,
            "NOT_FOUND",
            "Provided external ID field does not exist or is not accessible: " + segment);
    }
    if (id->KeyPrefix() != object.key_prefix) {
        throw NotFound();
    }
    const std::vector<std::size_t> fields = SelectedFields(object, call.req);
    auto record = ctx.store.Find(object, *id);
    if (!record) {
        throw NotFound();
    }
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        RecordXml(w, object, *record, fields, call.api_version, /*declare_xsi=*/true);
        return XmlResponse(200, std::move(w).Finish());
    }
    return JsonResponse(200, RecordJson(object, *record, fields, call.api_version), call.pretty);
}

}  // namespace sfkit::server
