// Composite requests for RestClient (see sfkit/client/composite.hpp): building the
// `{"allOrNone","compositeRequest":[{"method","url","referenceId","body","httpHeaders"}]}` body
// and reading `{"compositeResponse":[{"body","httpHeaders","httpStatusCode","referenceId"}]}`.
#include "sfkit/client/composite.hpp"

#include <unordered_set>

#include <boost/json.hpp>

#include "sfkit/client/rest_client.hpp"

#include "client/record_codec.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace {

namespace json = boost::json;

/// "You can have up to 25 subrequests in a single call" (Composite docs).
constexpr std::size_t kMaxSubrequests = 25;

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/// What Salesforce accepts as a referenceId (Composite Subrequest Result docs).
bool IsReferenceId(std::string_view s) {
    if (s.empty() || !IsAlnum(s.front())) {
        return false;
    }
    for (char c : s) {
        if (!IsAlnum(c) && c != '_') {
            return false;
        }
    }
    return true;
}

std::string FieldsBody(const Record& fields) {
    return codec::WriteJson(detail::RecordToJsonValue(fields, /*with_attributes=*/false));
}

/// Percent-encodes `text` for a URL, except the references in it: Salesforce substitutes
/// `@{...}` in the URL as written, so they must reach it unencoded.
std::string EncodeKeepingRefs(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        const auto at = text.find("@{");
        const auto close = at == std::string_view::npos ? at : text.find('}', at);
        if (close == std::string_view::npos) {
            out += PercentEncode(text);
            break;
        }
        out += PercentEncode(text.substr(0, at));
        out += text.substr(at, close + 1 - at);
        text.remove_prefix(close + 1);
    }
    return out;
}

std::string RecordPath(std::string_view sobject, std::string_view id) {
    return "sobjects/" + std::string(sobject) + "/" + EncodeKeepingRefs(id);
}

Error Invalid(std::string code, std::string message) {
    return MakeError(ErrorKind::kInvalidArgument, std::move(code), std::move(message));
}

Error InvalidAnswer(const HttpResponse& resp, std::string_view why) {
    std::string body = resp.body.substr(0, 160);
    return MakeError(ErrorKind::kProtocol,
                     "INVALID_RESPONSE",
                     "POST /composite: " + std::string(why) + ": " + body,
                     resp.status);
}

}  // namespace

std::string Ref(std::string_view reference_id, std::string_view path) {
    return "@{" + std::string(reference_id) + "." + std::string(path) + "}";
}

CompositeRequest& CompositeRequest::Create(std::string reference_id,
                                           std::string_view sobject,
                                           const Record& fields) {
    return Add({"POST",
                "sobjects/" + std::string(sobject),
                std::move(reference_id),
                FieldsBody(fields),
                {}});
}

CompositeRequest& CompositeRequest::Get(std::string reference_id,
                                        std::string_view sobject,
                                        std::string_view id,
                                        const std::vector<std::string>& fields) {
    std::string path = RecordPath(sobject, id);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        path += (i == 0 ? "?fields=" : ",") + PercentEncode(fields[i]);
    }
    return Add({"GET", std::move(path), std::move(reference_id), {}, {}});
}

CompositeRequest& CompositeRequest::Update(std::string reference_id,
                                           std::string_view sobject,
                                           std::string_view id,
                                           const Record& fields) {
    return Add({"PATCH", RecordPath(sobject, id), std::move(reference_id), FieldsBody(fields), {}});
}

CompositeRequest& CompositeRequest::Upsert(std::string reference_id,
                                           std::string_view sobject,
                                           std::string_view field,
                                           std::string_view value,
                                           const Record& fields) {
    return Add({"PATCH",
                "sobjects/" + std::string(sobject) + "/" + std::string(field) + "/" +
                    EncodeKeepingRefs(value),
                std::move(reference_id),
                FieldsBody(fields),
                {}});
}

CompositeRequest& CompositeRequest::Delete(std::string reference_id,
                                           std::string_view sobject,
                                           std::string_view id) {
    return Add({"DELETE", RecordPath(sobject, id), std::move(reference_id), {}, {}});
}

CompositeRequest& CompositeRequest::Query(std::string reference_id, std::string_view soql) {
    return Add({"GET", "query?q=" + EncodeKeepingRefs(soql), std::move(reference_id), {}, {}});
}

CompositeRequest& CompositeRequest::Add(CompositeSubrequest subrequest) {
    subrequests_.push_back(std::move(subrequest));
    return *this;
}

Result<std::string> CompositeRequest::ToJson(std::string_view api_version) const {
    if (subrequests_.empty() || subrequests_.size() > kMaxSubrequests) {
        return Invalid("TOO_MANY_SUBREQUESTS",
                       "a Composite request takes 1 to 25 subrequests, not " +
                           std::to_string(subrequests_.size()));
    }
    std::unordered_set<std::string> seen;
    json::array list;
    for (const CompositeSubrequest& s : subrequests_) {
        if (!IsReferenceId(s.reference_id)) {
            return Invalid("INVALID_REFERENCE_ID",
                           "reference id '" + s.reference_id +
                               "' must start with a letter or a digit and contain only letters, "
                               "digits and underscores");
        }
        if (!seen.insert(s.reference_id).second) {
            return Invalid("INVALID_REFERENCE_ID",
                           "reference id '" + s.reference_id + "' is used by two subrequests");
        }
        if (s.method != "GET" && s.method != "POST" && s.method != "PUT" && s.method != "PATCH" &&
            s.method != "DELETE") {
            return Invalid(
                "INVALID_METHOD",
                "subrequest method '" + s.method + "': use GET, POST, PUT, PATCH or DELETE");
        }
        json::object o;
        o["method"] = s.method;
        o["url"] = s.path.rfind("/services/data/", 0) == 0
                       ? s.path
                       : "/services/data/v" + std::string(api_version) + "/" + s.path;
        o["referenceId"] = s.reference_id;
        if (!s.json_body.empty()) {
            auto body = codec::ParseJson(s.json_body);
            if (!body) {
                return Invalid("INVALID_BODY",
                               "the body of subrequest '" + s.reference_id +
                                   "' is not JSON: " + body.error().message);
            }
            o["body"] = std::move(*body);
        }
        if (!s.headers.empty()) {
            json::object headers;
            for (const HttpHeader& h : s.headers) {
                headers[h.name] = h.value;
            }
            o["httpHeaders"] = std::move(headers);
        }
        list.emplace_back(std::move(o));
    }
    json::object root;
    root["allOrNone"] = all_or_none_;
    root["compositeRequest"] = std::move(list);
    return codec::WriteJson(root);
}

Result<Record> CompositeSubresponse::BodyRecord() const {
    auto parsed = codec::ParseJson(body);
    if (!parsed || !parsed->is_object()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         "subrequest '" + reference_id +
                             "' did not answer a JSON object: " + body.substr(0, 160),
                         http_status);
    }
    return detail::RecordFromJsonObject(parsed->get_object());
}

Result<std::vector<CompositeSubresponse>> SendComposite(RestClient& client,
                                                        const CompositeRequest& request) {
    auto body = request.ToJson(client.ApiVersion());
    if (!body) {
        return body.error();
    }
    // JSON both ways whatever the client's wire format: Composite has no XML form here.
    auto resp =
        client.Request("POST",
                       "composite",
                       std::move(*body),
                       {{"Content-Type", "application/json"}, {"Accept", "application/json"}});
    if (!resp) {
        return resp.error();
    }
    auto parsed = codec::ParseJson(resp->body);
    const json::value* items = parsed && parsed->is_object()
                                   ? parsed->get_object().if_contains("compositeResponse")
                                   : nullptr;
    if (items == nullptr || !items->is_array()) {
        return InvalidAnswer(*resp, "expected {\"compositeResponse\":[...]}");
    }
    std::vector<CompositeSubresponse> out;
    for (const json::value& item : items->get_array()) {
        if (!item.is_object()) {
            return InvalidAnswer(*resp, "a subrequest answer is not an object");
        }
        const json::object& o = item.get_object();
        CompositeSubresponse r;
        if (const json::value* ref = o.if_contains("referenceId"); ref && ref->is_string()) {
            r.reference_id = std::string(ref->get_string());
        }
        const json::value* status = o.if_contains("httpStatusCode");
        if (status == nullptr || !status->is_number()) {
            return InvalidAnswer(*resp, "a subrequest answer has no httpStatusCode");
        }
        r.http_status = status->to_number<int>();
        if (const json::value* headers = o.if_contains("httpHeaders");
            headers && headers->is_object()) {
            for (const auto& h : headers->get_object()) {
                r.headers.push_back({std::string(h.key()),
                                     h.value().is_string() ? std::string(h.value().get_string())
                                                           : codec::WriteJson(h.value())});
            }
        }
        const json::value* b = o.if_contains("body");
        r.body = b != nullptr ? codec::WriteJson(*b) : "null";
        if (b != nullptr && b->is_object()) {
            if (const json::value* id = b->get_object().if_contains("id"); id && id->is_string()) {
                r.id = std::string(id->get_string());
            }
        }
        if (r.http_status >= 400) {
            HttpResponse sub;
            sub.status = r.http_status;
            sub.body = r.body;
            r.error = ParseErrorResponse(sub);
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace sfkit::client
