// Composite requests (wire reference §B.13) with RestClient: a builder for `POST /composite`
// whose subrequests refer to earlier answers (`@{newAccount.id}`), and the answers read back.
// No JSON library appears in this header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/http.hpp"
#include "sfkit/client/record.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

class RestClient;

/// `@{<reference_id>.<path>}`: a value from the answer of an earlier subrequest, for a later
/// subrequest's path or field values. `Ref("newAccount", "id")` is the id a create answered;
/// `Ref("contacts", "records[0].Id")` reaches into a query page. Salesforce substitutes it
/// before running the subrequest.
std::string Ref(std::string_view reference_id, std::string_view path);

/// One subrequest. `path` is relative to `/services/data/vXX.X/` (`sobjects/Account`), or an
/// absolute `/services/data/vXX.X/...` path for another version.
struct CompositeSubrequest {
    std::string method;
    std::string path;
    std::string reference_id;
    std::string json_body;  ///< the body as JSON text; empty for none
    std::vector<HttpHeader> headers;
};

/// The subrequests of one Composite request, in order (at most 25, Salesforce's limit).
/// Reference ids must be letters, digits and underscores, starting with a letter or digit, and
/// unique. The record helpers take field values as Records (a Ref as a string value works).
/// A value type: not synchronised (build it on one thread; const use from many is fine).
class CompositeRequest {
public:
    explicit CompositeRequest(bool all_or_none = false) : all_or_none_(all_or_none) {}

    /// allOrNone: all subrequests in one transaction, rolled back on the first failure.
    bool AllOrNone() const noexcept { return all_or_none_; }
    CompositeRequest& SetAllOrNone(bool all_or_none) {
        all_or_none_ = all_or_none;
        return *this;
    }

    /// `POST sobjects/{sobject}`: answers `{"id","success","errors"}` (Ref(reference_id, "id")).
    CompositeRequest& Create(std::string reference_id,
                             std::string_view sobject,
                             const Record& fields);
    /// `GET sobjects/{sobject}/{id}[?fields=..]`.
    CompositeRequest& Get(std::string reference_id,
                          std::string_view sobject,
                          std::string_view id,
                          const std::vector<std::string>& fields = {});
    /// `PATCH sobjects/{sobject}/{id}` (answers 204).
    CompositeRequest& Update(std::string reference_id,
                             std::string_view sobject,
                             std::string_view id,
                             const Record& fields);
    /// `PATCH sobjects/{sobject}/{field}/{value}`: update or insert by external id.
    CompositeRequest& Upsert(std::string reference_id,
                             std::string_view sobject,
                             std::string_view field,
                             std::string_view value,
                             const Record& fields);
    /// `DELETE sobjects/{sobject}/{id}`.
    CompositeRequest& Delete(std::string reference_id,
                             std::string_view sobject,
                             std::string_view id);
    /// `GET query?q=<soql>` (the first page; Ref(reference_id, "records[0].Id") and so on).
    CompositeRequest& Query(std::string reference_id, std::string_view soql);
    /// Any other subrequest.
    CompositeRequest& Add(CompositeSubrequest subrequest);

    const std::vector<CompositeSubrequest>& Subrequests() const noexcept { return subrequests_; }

    /// The request body for `api_version` ("60.0"). kInvalidArgument before anything is sent:
    /// no subrequests or more than 25 (TOO_MANY_SUBREQUESTS), a reference id that Salesforce
    /// refuses or that is used twice (INVALID_REFERENCE_ID), a method other than GET, POST, PUT,
    /// PATCH and DELETE (INVALID_METHOD), a body that is not JSON (INVALID_BODY).
    Result<std::string> ToJson(std::string_view api_version) const;

private:
    bool all_or_none_;
    std::vector<CompositeSubrequest> subrequests_;
};

/// The answer of one subrequest.
struct CompositeSubresponse {
    std::string reference_id;
    int http_status = 0;
    std::vector<HttpHeader> headers;  ///< e.g. Location of a create
    std::string body;                 ///< the answer as compact JSON; "null" when there is none
    /// The id of a create or upsert answer (`body.id`), empty otherwise.
    std::string id;
    /// For answers >= 400: the errors, read like a top-level error answer (ParseErrorResponse),
    /// PROCESSING_HALTED for the subrequests an allOrNone failure rolled back or a failed
    /// reference stopped.
    std::optional<Error> error;

    bool Ok() const noexcept { return http_status < 400; }
    /// The body as a record (a retrieved record, a query page, a create's SaveResult ...);
    /// kProtocol INVALID_RESPONSE when it is not a JSON object.
    Result<Record> BodyRecord() const;
};

/// Sends `request` as `POST /composite` through `client` (its token, version and session
/// refresh) and returns the answers in request order. A request Salesforce refuses as a whole
/// (400 for a malformed one, 401, ...) is an Error; failed subrequests are not (see
/// CompositeSubresponse::error).
Result<std::vector<CompositeSubresponse>> SendComposite(RestClient& client,
                                                        const CompositeRequest& request);

}  // namespace sfkit::client
