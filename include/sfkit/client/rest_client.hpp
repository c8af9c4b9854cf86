// The REST API client (wire reference §B): sObject create/retrieve in JSON or XML, raw requests,
// Salesforce error answers as Error values, and the API usage reported by `Sforce-Limit-Info`.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"
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

/// A REST client bound to one token and API version. Not thread-safe (one per thread, or
/// serialise calls); the transport may be shared if it serialises itself (CurlTransport does).
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
    /// installed and the call retried once. Without one, the 401 comes back as kSession.
    void SetSessionRefresher(std::function<Result<Token>()> refresher);

    /// `GET /services/data` (no version): the versions the server supports.
    Result<std::vector<ApiVersionInfo>> Versions();
    /// Switches to the newest version the server lists and returns it.
    Result<std::string> UseLatestVersion();

    /// `POST /services/data/vXX.X/sobjects/{sobject}/` with `fields` as the body, in `format`
    /// (request body and Accept). `attributes` are not sent.
    Result<SaveResult> Create(std::string_view sobject,
                              const Record& fields,
                              WireFormat format = WireFormat::kJson);

    /// `GET /services/data/vXX.X/sobjects/{sobject}/{id}[?fields=A,B]`.
    Result<Record> Get(std::string_view sobject,
                       std::string_view id,
                       const std::vector<std::string>& fields = {},
                       WireFormat format = WireFormat::kJson);

    /// Any call. `path`: an absolute URL; a path starting with `/` (relative to the instance
    /// URL); or a path relative to `/services/data/vXX.X/` (e.g. `limits`). Adds the bearer
    /// token, `Accept: application/json` and, for a body, a Content-Type guessed from it (XML
    /// when it starts with `<`), unless `headers` set them. Status >= 400 becomes an Error
    /// (ParseErrorResponse); any other answer is returned as is.
    Result<HttpResponse> Request(std::string_view method,
                                 std::string_view path,
                                 std::string body = {},
                                 std::vector<HttpHeader> headers = {});

    /// API usage from the last answer that carried `Sforce-Limit-Info`.
    std::optional<ApiUsage> LastApiUsage() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::client
