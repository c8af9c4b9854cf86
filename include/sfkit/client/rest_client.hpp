// The REST API client (wire reference §B): describeGlobal/describe (cached), record create,
// retrieve, update, delete, upsert and external-id access, getUpdated/getDeleted, limits, raw
// requests; JSON or XML on the wire; Salesforce error answers as Error values; and the API usage
// reported by `Sforce-Limit-Info` after every call.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/datetime.hpp"
#include "sfkit/client/describe.hpp"
#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"
#include "sfkit/client/query.hpp"
#include "sfkit/client/record.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

inline constexpr std::string_view kDefaultApiVersion = "60.0";

/// Body format on the wire. XML follows the REST API's XML form (§B.16): a create body is
/// `<Account><Name>..</Name></Account>`, answers are `<Result>` / a record element / `<Errors>`.
enum class WireFormat { kJson, kXml };

/// `Sforce-Limit-Info` (§0.2): `api-usage=25/5000; per-app-api-usage=17/250(appName=x)`.
struct ApiUsage {
    long long used = 0;
    long long max = 0;
    std::optional<long long> per_app_used;  ///< only when the app has its own limit
    std::optional<long long> per_app_max;
    std::string app_name;
};

/// Parses a `Sforce-Limit-Info` value; nullopt when it has no `api-usage=N/M` part.
std::optional<ApiUsage> ParseLimitInfo(std::string_view header);

/// The answer to a create (§B.6). Salesforce sends `id, success, errors` (old docs
/// `id, errors, success`); a failed create comes back as an Error instead.
struct SaveResult {
    std::string id;  ///< 18-char id of the new record
    bool success = false;
};

/// The answer to an upsert (§B.10): 201 inserted, 200 (API >= 46.0) or 204 (older) updated.
struct UpsertResult {
    std::string id;        ///< 18-char id; empty when an API < 46.0 answered an update with 204
    bool created = false;  ///< true when a new record was inserted
};

/// `GET /sobjects/{Type}/updated/?start=&end=`.
struct UpdatedResult {
    std::vector<std::string> ids;
    DateTime latest_date_covered{};  ///< use as the next call's start
};

struct DeletedRecord {
    std::string id;
    DateTime deleted_date{};
};

/// `GET /sobjects/{Type}/deleted/?start=&end=`.
struct DeletedResult {
    std::vector<DeletedRecord> deleted_records;
    std::optional<DateTime> earliest_date_available;  ///< the delete log reaches back this far
    DateTime latest_date_covered{};
};

/// A connected app's own share of a limit (the sub-entries of e.g. `DailyApiRequests`).
struct AppLimit {
    std::string name;
    std::int64_t max = 0;
    std::int64_t remaining = 0;
};

/// One `GET /limits` entry (§B.14): `{"Max":n,"Remaining":n}`.
struct Limit {
    std::int64_t max = 0;
    std::int64_t remaining = 0;
    std::vector<AppLimit> apps;  ///< per-connected-app sub-limits, as listed
    std::int64_t Used() const noexcept { return max - remaining; }
};

/// Limit name -> limit.
using OrgLimits = std::map<std::string, Limit>;

/// One `GET /limits/recordCount` entry.
struct SObjectCount {
    std::string name;
    std::int64_t count = 0;
};

/// One entry of `GET /services/data` (§B.1).
struct ApiVersionInfo {
    std::string version;  ///< "60.0"
    std::string label;    ///< "Spring '24"
    std::string url;      ///< "/services/data/v60.0"
};

/// Turns an HTTP error answer (status >= 400) into an Error: JSON error arrays
/// `[{"message","errorCode","fields"}]` in either key order, a single such object, OAuth-style
/// `{"error","error_description"}`, and XML `<Errors><Error>...</Error></Errors>`. The first
/// error fills code/message/fields, the others go to `more`. Kind: kSession for 401, kApi
/// otherwise, kProtocol when the body is not Salesforce-shaped (code `HTTP_<status>`).
Error ParseErrorResponse(const HttpResponse& response);

/// A refresher for RestClient::SetSessionRefresher: runs `authenticate` (any login flow whose
/// secret the caller holds: the refresh-token flow, the JWT bearer flow with its key, client
/// credentials the user opted into keeping) over `transport`, and hands each new token to
/// `on_refreshed` (to persist it: a TokenStore, a file, a secret manager). A failed refresh
/// makes the call answer its original 401.
///
///     client::JwtBearerFlow jwt{...};
///     rest.SetSessionRefresher(client::SessionRefresher(
///         transport, [jwt](client::Transport& t) { return jwt.Authenticate(t); }));
std::function<Result<Token>()> SessionRefresher(
    std::shared_ptr<Transport> transport,
    std::function<Result<Token>(Transport&)> authenticate,
    std::function<void(const Token&)> on_refreshed = {});

/// SessionRefresher with the refresh-token flow `flow` (the returned token keeps the refresh
/// token, so storing it whole keeps the login refreshable).
std::function<Result<Token>()> RefreshTokenRefresher(
    std::shared_ptr<Transport> transport,
    RefreshTokenFlow flow,
    std::function<void(const Token&)> on_refreshed = {});

/// A REST client bound to one token and API version. Not thread-safe: use one per thread (or
/// serialise calls). Clients on several threads may share one CurlTransport, which runs their
/// calls at the same time on separate connections.
///
/// Every call speaks the client's wire format (SetFormat; JSON by default): request bodies and
/// `Accept`. Record calls also take a per-call override. Each answer's `Sforce-Limit-Info` is
/// recorded (LastApiUsage), error answers included. Errors: see ParseErrorResponse; arguments
/// that cannot make a valid URL (an sObject name with a `/`, an empty id) are kInvalidArgument
/// before anything is sent. `300 Multiple Choices` (an external id matching several records) is
/// kApi with code MULTIPLE_CHOICES, http_status 300 and the records' URLs in `candidates`.
class RestClient {
public:
    /// Uses a CurlTransport with default options.
    explicit RestClient(Token token, std::string api_version = std::string(kDefaultApiVersion));
    RestClient(std::shared_ptr<Transport> transport,
               Token token,
               std::string api_version = std::string(kDefaultApiVersion));
    ~RestClient();
    RestClient(RestClient&&) noexcept;
    RestClient& operator=(RestClient&&) noexcept;

    const Token& GetToken() const noexcept;
    void SetToken(Token token);
    const std::string& ApiVersion() const noexcept;
    /// "60.0" or "v60.0" (the `v` is dropped).
    void SetApiVersion(std::string version);

    /// Called once when a call answers 401 INVALID_SESSION_ID; a new token it returns is
    /// installed and the call retried once (not a streamed upload, which cannot be replayed).
    /// Without one, or when it fails, the 401 comes back as kSession. See SessionRefresher.
    void SetSessionRefresher(std::function<Result<Token>()> refresher);

    /// The wire format of every call (default JSON).
    WireFormat Format() const noexcept;
    void SetFormat(WireFormat format);

    /// `GET /services/data` (no version): the versions the server supports.
    Result<std::vector<ApiVersionInfo>> Versions();
    /// Switches to the newest version the server lists and returns it.
    Result<std::string> UseLatestVersion();

    // ---- metadata -------------------------------------------------------------------------

    /// `GET /sobjects` (§B.3): every object's summary. Not cached.
    Result<DescribeGlobalResult> DescribeGlobal();

    /// `GET /sobjects/{sobject}/describe` (§B.5). Cached per client, keyed case-insensitively:
    /// a second call for the same object sends nothing. The cache is dropped when the API
    /// version or the instance changes.
    Result<std::shared_ptr<const SObjectDescribe>> Describe(std::string_view sobject);
    /// The cached describe, or nullptr (never sends a request).
    std::shared_ptr<const SObjectDescribe> CachedDescribe(std::string_view sobject) const;
    /// Forgets one object's describe (after a schema change), or all with an empty name.
    void InvalidateDescribe(std::string_view sobject = {});

    // ---- records ----------------------------------------------------------------------------
    // `format` overrides the client's format for one call. XML answers carry no types: their
    // values arrive as text, unless the object's describe is cached (Describe), in which case
    // they are typed from it (ApplyDescribeTypes), nested parent records included.

    /// `POST /sobjects/{sobject}/` with `fields` as the body (§B.6). `attributes` are not sent.
    Result<SaveResult> Create(std::string_view sobject,
                              const Record& fields,
                              std::optional<WireFormat> format = std::nullopt);

    /// `GET /sobjects/{sobject}/{id}[?fields=A,B]` (§B.7).
    Result<Record> Get(std::string_view sobject,
                       std::string_view id,
                       const std::vector<std::string>& fields = {},
                       std::optional<WireFormat> format = std::nullopt);

    /// `GET /sobjects/{sobject}/{field}/{value}[?fields=..]` (§B.7): the record whose external
    /// id field has that value. Several matches: MULTIPLE_CHOICES (see the class comment).
    Result<Record> GetByExternalId(std::string_view sobject,
                                   std::string_view field,
                                   std::string_view value,
                                   const std::vector<std::string>& fields = {},
                                   std::optional<WireFormat> format = std::nullopt);

    /// `PATCH /sobjects/{sobject}/{id}` (§B.8); Salesforce answers 204 with no body.
    Result<void> Update(std::string_view sobject,
                        std::string_view id,
                        const Record& fields,
                        std::optional<WireFormat> format = std::nullopt);

    /// `DELETE /sobjects/{sobject}/{id}` (§B.9); 204 with no body.
    Result<void> Delete(std::string_view sobject, std::string_view id);

    /// `PATCH /sobjects/{sobject}/{field}/{value}` (§B.10): updates the record whose external
    /// id matches, or inserts one. Several matches: MULTIPLE_CHOICES.
    Result<UpsertResult> Upsert(std::string_view sobject,
                                std::string_view field,
                                std::string_view value,
                                const Record& fields,
                                std::optional<WireFormat> format = std::nullopt);

    /// `GET /sobjects/{sobject}/updated/?start=&end=`: ids of records added or changed in that
    /// window (Salesforce ignores the seconds; the window must be a minute or more, within 30
    /// days).
    Result<UpdatedResult> Updated(std::string_view sobject,
                                  std::chrono::system_clock::time_point start,
                                  std::chrono::system_clock::time_point end);
    /// `GET /sobjects/{sobject}/deleted/?start=&end=`: records deleted in that window.
    Result<DeletedResult> Deleted(std::string_view sobject,
                                  std::chrono::system_clock::time_point start,
                                  std::chrono::system_clock::time_point end);

    // ---- limits ------------------------------------------------------------------------------

    /// `GET /limits` (§B.14).
    Result<OrgLimits> Limits();
    /// `GET /limits/recordCount[?sObjects=A,B]`: record counts, all objects when `sobjects` is
    /// empty. Objects without records may be left out (Salesforce does).
    Result<std::vector<SObjectCount>> RecordCount(const std::vector<std::string>& sobjects = {});

    // ---- queries (types in sfkit/client/query.hpp) -----------------------------------------
    // `GET /query?q=` or `/queryAll?q=` (§B.11) in the client's wire format. XML answers
    // (`<QueryResult>`) carry text values; records whose object's describe is cached are typed
    // from it, as for Get. Query errors (MALFORMED_QUERY, INVALID_FIELD, ...) are kApi.

    /// Runs `soql` and returns a lazy cursor over every record of every page (QueryCursor). The
    /// first page is fetched now, so a bad query fails here and TotalSize() is known; later pages
    /// are fetched as iteration reaches them. The client must outlive the cursor.
    Result<QueryCursor> Query(std::string_view soql, QueryOptions options = {});
    /// Query with `options.all_rows` set: deleted and archived records are included.
    Result<QueryCursor> QueryAll(std::string_view soql, QueryOptions options = {});
    /// Only the first page of `soql` (for callers who page themselves).
    Result<QueryPage> QueryFirstPage(std::string_view soql, QueryOptions options = {});
    /// The page behind a `nextRecordsUrl` (of a query, or of a child subquery that was not
    /// done). `options.batch_size` applies; `all_rows` is ignored (the locator knows). A URL that
    /// is not a path on this instance is refused (kInvalidArgument, INVALID_QUERY_LOCATOR)
    /// rather than sent the token.
    Result<QueryPage> QueryMore(std::string_view next_records_url, QueryOptions options = {});
    /// `totalSize` of `soql` from its first page: the count of `SELECT COUNT() FROM ...`, or the
    /// number of rows any other query matches. One request.
    Result<std::int64_t> Count(std::string_view soql, QueryOptions options = {});

    /// `GET /search?q=<SOSL>` (§B.12): the records a `FIND {...} [IN ...] [RETURNING ...]`
    /// statement found, in the answer's order (grouped per object in RETURNING order; each
    /// record's Type() names its object). Search answers are not paged (at most 2,000 records).
    /// Reads `{"searchRecords":[...]}` (API 36.0+), the bare array of older versions, and XML.
    /// Errors: MALFORMED_SEARCH, INVALID_TYPE, INVALID_FIELD, ... as kApi. Build the term with
    /// SoslEscape when it holds user input.
    Result<std::vector<Record>> Search(std::string_view sosl);

    /// Any call. `path`: an absolute URL; a path starting with `/` or `services/` (relative to
    /// the instance URL); `vNN.N/...` (relative to `/services/data/`, as composite batch URLs
    /// are); or a path relative to `/services/data/vXX.X/` (e.g. `limits`). Adds the bearer
    /// token, an `Accept` of the client's format and, for a body, a Content-Type guessed from it
    /// (XML when it starts with `<`), unless `headers` set them. Status >= 400 becomes an Error
    /// (ParseErrorResponse); any other answer is returned as is.
    Result<HttpResponse> Request(std::string_view method,
                                 std::string_view path,
                                 std::string body = {},
                                 std::vector<HttpHeader> headers = {});

    /// Like Request, but every HTTP answer comes back as an HttpResponse, error statuses too
    /// (for tools that show answers as received, such as `sfkit api`). Errors are only failures
    /// to get an answer.
    Result<HttpResponse> Send(std::string_view method,
                              std::string_view path,
                              std::string body = {},
                              std::vector<HttpHeader> headers = {});

    /// API usage from the last answer that carried `Sforce-Limit-Info`.
    std::optional<ApiUsage> LastApiUsage() const;

    // ---- sObject Collections (`/composite/sobjects`, §B.13; API 42.0+, upsert 46.0+) --------
    // [block of the collections branch; kept together at the end of the class]
    // Many records per request, always JSON. Longer lists are sent in chunks of 200 (retrieve:
    // 2000), one request each, in order; the results come back as one list in input order.
    // `all_or_none` is Salesforce's allOrNone and so holds within one chunk: when a chunk has a
    // failure nothing of it is kept, the chunks after it are not sent and their records report
    // NOT_PROCESSED; chunks before it stay committed. A request-level error (400 for a malformed
    // request, 401, a transport failure) ends the call with that Error; earlier chunks stay.

    /// What became of one record. `errors` are the record's own (kApi, http_status 200, code =
    /// Salesforce's `statusCode`), including ALL_OR_NONE_OPERATION_ROLLED_BACK.
    struct CollectionResult {
        std::string id;  ///< 18-char id; empty when the record failed (and for rolled-back inserts)
        bool success = false;
        std::optional<bool> created;  ///< upsert only: whether a record was inserted
        std::vector<Error> errors;
    };
    using CollectionResults = std::vector<CollectionResult>;

    /// `POST /composite/sobjects`: inserts `records`, each of its Type() (records without one
    /// are of `sobject`; mixed types are fine). Their `Id` must not be set.
    Result<CollectionResults> CreateMany(std::string_view sobject,
                                         const std::vector<Record>& records,
                                         bool all_or_none = false);
    /// `PATCH /composite/sobjects`: updates `records`, each identified by its `Id` field (typed
    /// as for CreateMany).
    Result<CollectionResults> UpdateMany(std::string_view sobject,
                                         const std::vector<Record>& records,
                                         bool all_or_none = false);
    /// `PATCH /composite/sobjects/{sobject}/{ext_id_field}`: upserts `records` of `sobject` by
    /// the value of their `ext_id_field`; results carry `created`.
    Result<CollectionResults> UpsertMany(std::string_view sobject,
                                         std::string_view ext_id_field,
                                         const std::vector<Record>& records,
                                         bool all_or_none = false);
    /// `DELETE /composite/sobjects?ids=..`: deletes records of any objects by id.
    Result<CollectionResults> DeleteMany(const std::vector<std::string>& ids,
                                         bool all_or_none = false);
    /// `POST /composite/sobjects/{sobject}` with `{"ids","fields"}`: the records in `ids` order,
    /// nullopt for an id that names no record of `sobject`. Empty `fields`: every field of the
    /// object's describe (Describe, cached).
    Result<std::vector<std::optional<Record>>> GetMany(std::string_view sobject,
                                                       const std::vector<std::string>& ids,
                                                       const std::vector<std::string>& fields = {});
    // ---- end of the sObject Collections block -------------------------------------------------

private:
    friend class Bulk2;  // shares the token, transport and version (sfkit/client/bulk2.hpp)
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::client
