// Internal: RestClient's state and the helpers its calls share, so that the calls can live in
// several translation units (rest_client.cpp: core, create, retrieve; rest_describe.cpp;
// rest_records.cpp; rest_limits.cpp). No JSON or XML library in here.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/rest_client.hpp"

namespace sfkit::client {

struct RestClient::Impl {
    std::shared_ptr<Transport> transport;
    Token token;
    std::string version;
    WireFormat format = WireFormat::kJson;
    std::function<Result<Token>()> refresher;
    std::optional<ApiUsage> usage;
    /// Lower-cased sObject name -> describe.
    std::map<std::string, std::shared_ptr<const SObjectDescribe>> describes;

    std::string DataPath() const { return "/services/data/v" + version + "/"; }
    std::string Url(std::string_view path) const;

    /// One exchange: fresh URL and bearer header from the current token, `Accept` of the
    /// client's format unless given, limit info recorded, one retry after a session refresh on
    /// 401. Any HTTP answer is returned as is.
    Result<HttpResponse> Exchange(std::string_view method,
                                  std::string_view path,
                                  const std::string& body,
                                  const std::vector<HttpHeader>& headers);
    /// Exchange of a prepared request (method, headers, body or body_reader, response_sink; the
    /// URL is made from `path`). A 2xx body a transport returned whole goes to the sink. A
    /// streamed body is not resent after a session refresh: the 401 comes back instead.
    Result<HttpResponse> Exchange(HttpRequest request, std::string_view path);
    /// Exchange, with status >= 400 turned into an Error (ParseErrorResponse).
    Result<HttpResponse> Call(std::string_view method,
                              std::string_view path,
                              const std::string& body,
                              const std::vector<HttpHeader>& headers);
    /// Call with `Accept` (and, for a body, `Content-Type`) of `f`.
    Result<HttpResponse> CallIn(WireFormat f,
                                std::string_view method,
                                std::string_view path,
                                const std::string& body = {});

    /// GET of a query page (`query?q=...`, `queryAll?q=...` or a nextRecordsUrl) with the
    /// batch size header, parsed (JSON or XML) and, for XML, typed from cached describes.
    Result<QueryPage> FetchQueryPage(std::string_view path, const QueryOptions& options);

    /// Types an XML record (and its nested parent records) from cached describes; `sobject`
    /// names the record's object when it does not say itself.
    void TypeFromCache(Record& record, std::string_view sobject) const;
};

namespace detail {

/// Whitespace and a UTF-8 byte order mark trimmed.
std::string_view TrimBody(std::string_view s);
/// Whether the body is XML (starts with `<`).
bool IsXmlAnswer(const HttpResponse& response);
/// The describe cache key of an sObject name (lower case: names are case-insensitive).
std::string DescribeKey(std::string_view sobject);
/// At most 160 characters of a body, on one line, for error messages.
std::string Excerpt(std::string_view body);
std::string_view MediaType(WireFormat f);
/// `[A-Za-z0-9_]+` (with `.` when `allow_dot`, for relationship paths).
bool IsName(std::string_view s, bool allow_dot);
/// kInvalidArgument INVALID_SOBJECT_NAME unless `sobject` is a name.
std::optional<Error> CheckSObject(std::string_view sobject);
/// `?fields=A,B` (or "" for none); kInvalidArgument INVALID_FIELD for a name that is not one.
Result<std::string> FieldsQuery(const std::vector<std::string>& fields);
/// The body of a JSON or XML answer as a generic record: a JSON object, or the XML document
/// element's content. `what` names the call in the kProtocol INVALID_RESPONSE error.
Result<Record> AnswerRecord(const HttpResponse& response, std::string_view what);
/// A record body (create, update, upsert) in `f`: JSON without attributes, or XML whose root is
/// the sObject name (§B.16).
std::string RecordBody(const Record& fields, std::string_view sobject, WireFormat f);
/// `id, success, errors[, created]` of a create or upsert answer (JSON, either key order, or
/// XML `<Result>`): the id, `created` when present, or the errors of a failed save.
struct SaveAnswer {
    std::string id;
    std::optional<bool> created;
};
Result<SaveAnswer> ReadSaveAnswer(const HttpResponse& response, std::string_view what);
/// The MULTIPLE_CHOICES error of a 300 answer (a JSON array of URLs, or XML leaves).
Error MultipleChoices(const HttpResponse& response);

}  // namespace detail
}  // namespace sfkit::client
