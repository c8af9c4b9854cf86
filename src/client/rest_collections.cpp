// RestClient sObject Collections calls (§B.13): CreateMany, UpdateMany, UpsertMany, DeleteMany
// and GetMany, in chunks at Salesforce's limits (200 records, 2000 ids to retrieve), with
// per-record results read from `{"id","success","errors":[{"statusCode","message","fields"}]}`.
#include <algorithm>
#include <functional>

#include <boost/json.hpp>

#include "client/record_codec.hpp"
#include "client/rest_client_impl.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace {

namespace json = boost::json;

using CollectionResult = RestClient::CollectionResult;
using CollectionResults = RestClient::CollectionResults;

/// "The list can contain up to 200 objects"; retrieve by POST takes up to 2,000 ids.
constexpr std::size_t kWriteChunk = 200;
constexpr std::size_t kRetrieveChunk = 2000;

/// A record as collections take it: `attributes` with the type first, then its fields.
Result<json::object> CollectionRecord(const Record& r, std::string_view sobject) {
    const std::string type = r.Type().empty() ? std::string(sobject) : r.Type();
    if (auto bad = detail::CheckSObject(type)) {
        return *bad;
    }
    json::object o;
    o["attributes"] = json::object{{"type", type}};
    for (const auto& f : r.Fields()) {
        o[f.name] = detail::ValueToJson(f.value);
    }
    return o;
}

Error InvalidAnswer(const HttpResponse& resp, std::string_view what, std::size_t expected) {
    return MakeError(ErrorKind::kProtocol,
                     "INVALID_RESPONSE",
                     std::string(what) + ": expected a list of " + std::to_string(expected) +
                         " results, got: " + detail::Excerpt(resp.body),
                     resp.status);
}

std::string Text(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// One record's errors: `statusCode` in collection results (`errorCode` accepted too).
std::vector<Error> ItemErrors(const json::object& item, int status) {
    std::vector<Error> out;
    const json::value* errors = item.if_contains("errors");
    if (errors == nullptr || !errors->is_array()) {
        return out;
    }
    for (const auto& e : errors->get_array()) {
        if (!e.is_object()) {
            continue;
        }
        const json::object& o = e.get_object();
        Error err;
        err.kind = ErrorKind::kApi;
        err.http_status = status;
        err.code = o.contains("statusCode") ? Text(o, "statusCode") : Text(o, "errorCode");
        err.message = Text(o, "message");
        if (const json::value* f = o.if_contains("fields"); f != nullptr && f->is_array()) {
            for (const auto& name : f->get_array()) {
                if (name.is_string()) {
                    err.fields.emplace_back(name.get_string());
                }
            }
        }
        if (err.code.empty()) {
            err.code = "UNKNOWN_ERROR";
        }
        out.push_back(std::move(err));
    }
    return out;
}

/// The per-record results of one chunk: exactly `expected` of them.
Result<CollectionResults> ReadResults(const HttpResponse& resp,
                                      std::size_t expected,
                                      std::string_view what) {
    auto parsed = codec::ParseJson(resp.body);
    if (!parsed || !parsed->is_array() || parsed->get_array().size() != expected) {
        return InvalidAnswer(resp, what, expected);
    }
    CollectionResults out;
    for (const auto& item : parsed->get_array()) {
        if (!item.is_object()) {
            return InvalidAnswer(resp, what, expected);
        }
        const json::object& o = item.get_object();
        CollectionResult r;
        r.id = Text(o, "id");
        if (const json::value* s = o.if_contains("success"); s != nullptr && s->is_bool()) {
            r.success = s->get_bool();
        }
        if (const json::value* c = o.if_contains("created"); c != nullptr && c->is_bool()) {
            r.created = c->get_bool();
        }
        r.errors = ItemErrors(o, resp.status);
        out.push_back(std::move(r));
    }
    return out;
}

/// The result of a record that was not sent because an earlier chunk failed under allOrNone.
CollectionResult NotProcessed() {
    CollectionResult r;
    r.errors.push_back(MakeError(ErrorKind::kApi,
                                 "NOT_PROCESSED",
                                 "not sent: an earlier chunk of this allOrNone call failed"));
    return r;
}

/// Sends items [0, n) in chunks of `chunk`; `send(begin, end)` answers one chunk's results.
Result<CollectionResults> InChunks(
    std::size_t n,
    std::size_t chunk,
    bool all_or_none,
    const std::function<Result<CollectionResults>(std::size_t, std::size_t)>& send) {
    CollectionResults out;
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        const std::size_t end = std::min(n, begin + chunk);
        auto part = send(begin, end);
        if (!part) {
            return part.error();
        }
        bool failed = false;
        for (auto& r : *part) {
            failed = failed || !r.success;
            out.push_back(std::move(r));
        }
        if (failed && all_or_none) {
            for (std::size_t i = end; i < n; ++i) {
                out.push_back(NotProcessed());
            }
            break;
        }
    }
    return out;
}

using Sender = std::function<Result<HttpResponse>(const std::string& body)>;

/// Create, update or upsert: `{"allOrNone":b,"records":[...]}` per chunk.
Result<CollectionResults> WriteMany(const Sender& send,
                                    std::string_view sobject,
                                    const std::vector<Record>& records,
                                    bool all_or_none,
                                    std::string_view what) {
    std::vector<json::object> bodies;
    for (const Record& r : records) {
        auto o = CollectionRecord(r, sobject);
        if (!o) {
            return o.error();
        }
        bodies.push_back(std::move(*o));
    }
    return InChunks(records.size(), kWriteChunk, all_or_none, [&](std::size_t b, std::size_t e) {
        json::array list;
        for (std::size_t i = b; i < e; ++i) {
            list.emplace_back(bodies[i]);
        }
        const json::object body{{"allOrNone", all_or_none}, {"records", std::move(list)}};
        auto resp = send(codec::WriteJson(body));
        if (!resp) {
            return Result<CollectionResults>(resp.error());
        }
        return ReadResults(*resp, e - b, what);
    });
}

}  // namespace

Result<RestClient::CollectionResults> RestClient::CreateMany(std::string_view sobject,
                                                             const std::vector<Record>& records,
                                                             bool all_or_none) {
    const Sender send = [this](const std::string& body) {
        return impl_->CallIn(WireFormat::kJson, "POST", "composite/sobjects", body);
    };
    return WriteMany(send, sobject, records, all_or_none, "create many");
}

Result<RestClient::CollectionResults> RestClient::UpdateMany(std::string_view sobject,
                                                             const std::vector<Record>& records,
                                                             bool all_or_none) {
    const Sender send = [this](const std::string& body) {
        return impl_->CallIn(WireFormat::kJson, "PATCH", "composite/sobjects", body);
    };
    return WriteMany(send, sobject, records, all_or_none, "update many");
}

Result<RestClient::CollectionResults> RestClient::UpsertMany(std::string_view sobject,
                                                             std::string_view ext_id_field,
                                                             const std::vector<Record>& records,
                                                             bool all_or_none) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    if (!detail::IsName(ext_id_field, false)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_FIELD",
                         "'" + std::string(ext_id_field) + "' is not a field name");
    }
    const std::string path =
        "composite/sobjects/" + std::string(sobject) + "/" + std::string(ext_id_field);
    const Sender send = [this, &path](const std::string& body) {
        return impl_->CallIn(WireFormat::kJson, "PATCH", path, body);
    };
    return WriteMany(send, sobject, records, all_or_none, "upsert many");
}

Result<RestClient::CollectionResults> RestClient::DeleteMany(const std::vector<std::string>& ids,
                                                             bool all_or_none) {
    for (const auto& id : ids) {
        if (id.empty()) {
            return MakeError(
                ErrorKind::kInvalidArgument, "MALFORMED_ID", "a record id in the list is empty");
        }
    }
    return InChunks(ids.size(), kWriteChunk, all_or_none, [&](std::size_t b, std::size_t e) {
        std::string path = "composite/sobjects?ids=";
        for (std::size_t i = b; i < e; ++i) {
            path += (i > b ? "," : "") + PercentEncode(ids[i]);
        }
        if (all_or_none) {
            path += "&allOrNone=true";
        }
        auto resp = impl_->CallIn(WireFormat::kJson, "DELETE", path);
        if (!resp) {
            return Result<CollectionResults>(resp.error());
        }
        return ReadResults(*resp, e - b, "delete many");
    });
}

Result<std::vector<std::optional<Record>>> RestClient::GetMany(
    std::string_view sobject,
    const std::vector<std::string>& ids,
    const std::vector<std::string>& fields) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    std::vector<std::string> names = fields;
    if (auto checked = detail::FieldsQuery(names); !checked) {
        return checked.error();
    }
    std::vector<std::optional<Record>> out;
    if (ids.empty()) {
        return out;
    }
    if (names.empty()) {
        // Salesforce wants the fields named; as jsforce does, ask for every field it describes.
        auto describe = Describe(sobject);
        if (!describe) {
            return describe.error();
        }
        for (const auto& f : (*describe)->fields) {
            names.push_back(f.name);
        }
    }
    const std::string path = "composite/sobjects/" + std::string(sobject);
    for (std::size_t b = 0; b < ids.size(); b += kRetrieveChunk) {
        const std::size_t e = std::min(ids.size(), b + kRetrieveChunk);
        json::array id_list;
        for (std::size_t i = b; i < e; ++i) {
            id_list.emplace_back(ids[i]);
        }
        json::array field_list;
        for (const auto& n : names) {
            field_list.emplace_back(n);
        }
        const json::object body{{"ids", std::move(id_list)}, {"fields", std::move(field_list)}};
        auto resp = impl_->CallIn(WireFormat::kJson, "POST", path, codec::WriteJson(body));
        if (!resp) {
            return resp.error();
        }
        auto parsed = codec::ParseJson(resp->body);
        if (!parsed || !parsed->is_array() || parsed->get_array().size() != e - b) {
            return InvalidAnswer(*resp, "get many", e - b);
        }
        for (const auto& item : parsed->get_array()) {
            if (item.is_object()) {
                out.emplace_back(detail::RecordFromJsonObject(item.get_object()));
            } else {
                out.emplace_back(std::nullopt);
            }
        }
    }
    return out;
}

}  // namespace sfkit::client
