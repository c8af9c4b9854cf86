// HTTP as libsfkit sees it: plain request/response structs, the Transport interface (the seam
// tests replace with a fake) and the libcurl-backed CurlTransport. No libcurl type leaks here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/core/error.hpp"
#include "sfkit/version.hpp"

namespace sfkit::client {

/// One header line; names compare case-insensitively.
struct HttpHeader {
    std::string name;
    std::string value;
};

/// Case-insensitive ASCII comparison, as HTTP header names need.
bool HeaderNameEquals(std::string_view a, std::string_view b) noexcept;

/// Pulls the next piece of a streamed request body into `buffer` (at most `size` bytes): the
/// number of bytes written, 0 at the end of the body, or nullopt to give up (the exchange then
/// fails with kIo BODY_READ_FAILED).
using BodyReader = std::function<std::optional<std::size_t>(char* buffer, std::size_t size)>;

/// Receives the body of a 2xx answer piece by piece as it arrives; returning false stops the
/// transfer (the exchange then fails with kIo BODY_WRITE_FAILED).
using BodySink = std::function<bool(std::string_view piece)>;

struct HttpRequest {
    std::string method = "GET";       ///< upper case
    std::string url;                  ///< absolute http:// or https:// URL, already encoded
    std::vector<HttpHeader> headers;  ///< sent as given (plus User-Agent and Host)
    std::string body;                 ///< sent when non-empty (or always for POST/PUT/PATCH)

    /// Streamed body instead of `body` (uploads of any size in constant memory). It is read as
    /// the transport sends; `body_size` is its Content-Length when known, -1 sends it chunked.
    BodyReader body_reader{};
    std::int64_t body_size = -1;
    /// When set, the body of a 2xx answer goes here as it arrives instead of into
    /// HttpResponse::body (downloads of any size in constant memory); the body of any other
    /// answer still lands in HttpResponse::body, for the error. A transport may also deliver a
    /// 2xx body whole in HttpResponse::body (the fake of the tests does): callers then pass it to
    /// the sink themselves (DeliverToSink). With a streamed body or sink, the whole-exchange
    /// timeout does not apply; a transfer that moves nothing for that long fails instead.
    BodySink response_sink{};

    /// First header with that name, or nullptr.
    const std::string* Header(std::string_view name) const noexcept;
};

struct HttpResponse {
    int status = 0;
    std::string status_line;          ///< "HTTP/1.1 200 OK" as received (final response)
    std::vector<HttpHeader> headers;  ///< of the final response (interim 100s are dropped)
    std::string body;                 ///< decoded (chunked framing and gzip removed)

    /// First header with that name, or nullptr.
    const std::string* Header(std::string_view name) const noexcept;
};

/// For callers of a transport with `request.response_sink` set: hands a 2xx body that the
/// transport left in `response.body` to the sink and empties it. Fails (kIo BODY_WRITE_FAILED)
/// when the sink refuses it.
Result<void> DeliverToSink(const HttpRequest& request, HttpResponse& response);

/// Sends one request and waits for the whole answer. Implementations turn every failure to get
/// an answer (connect, TLS, reset, timeout) into an Error of kind kTransport or kTimeout; an
/// HTTP error status is *not* a transport failure and comes back as an HttpResponse. Whether
/// Send may be called from several threads at once is the implementation's to say
/// (CurlTransport: yes).
class Transport {
public:
    virtual ~Transport() = default;
    virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

/// When CurlTransport tries a request again. A retry waits `base_delay * 2^n` (n = retries so
/// far) with random jitter (between half and all of it), at most `max_delay`; a `Retry-After`
/// on the answer (seconds or an HTTP-date) is waited instead, also capped by `max_delay`. So a
/// request takes at most `max_retries + 1` attempts and `max_retries * max_delay` of waiting.
/// Retried:
/// - a failure to connect (nothing was sent), for every method;
/// - other connection failures (reset, timeout, empty or cut-off reply) for idempotent methods
///   (GET, HEAD, PUT, DELETE, OPTIONS) only, since a POST/PATCH may have been carried out: set
///   `retry_unsafe` to retry those too;
/// - 503, and 403/503 answers whose body names `SERVER_UNAVAILABLE` or `REQUEST_LIMIT_EXCEEDED`
///   (the server refused the request without carrying it out; not the daily allowance,
///   "TotalRequests Limit exceeded", which does not come back within seconds), for every method;
/// - 502 and 504 (a gateway lost the answer) for idempotent methods, or all with `retry_unsafe`.
/// Requests with a streamed body (`body_reader`) are never retried (the body cannot be
/// replayed), nor are connection failures of requests with a `response_sink` (part of the
/// answer may have been handed over).
struct RetryPolicy {
    int max_retries = 3;  ///< further attempts after the first; 0 turns retrying off
    std::chrono::milliseconds base_delay{500};
    std::chrono::milliseconds max_delay{30'000};
    bool retry_unsafe = false;
};

/// Receives the HTTP trace, one line at a time (no trailing newline).
using TraceSink = std::function<void(std::string_view line)>;

/// A TraceSink writing each line to stderr in one write, so that the lines of concurrent
/// requests do not interleave (what SFKIT_DEBUG=1 uses).
TraceSink StderrTrace();

/// Knobs of CurlTransport. Defaults are safe for production use.
struct TransportOptions {
    RetryPolicy retry;
    /// HTTP trace (method, URL, status, time, headers; bodies only by size) with secrets
    /// redacted (RedactUrl, RedactHeader). Unset: traced to stderr when the environment has
    /// SFKIT_DEBUG=1, else not traced.
    TraceSink trace;
    /// TCP + TLS handshake limit; elapsing gives Error{kTimeout}.
    std::chrono::milliseconds connect_timeout{10'000};
    /// Whole-exchange limit (connect, send, wait, receive); 0 means none.
    std::chrono::milliseconds timeout{120'000};
    /// PEM bundle to trust instead of the system store (e.g. for a local org with --tls-cert).
    /// Certificate and host name verification are always on.
    std::string ca_file;
    std::string user_agent = std::string("sfkit/") + SFKIT_VERSION_STRING;
    /// Unset: libcurl reads HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY from the
    /// environment (the usual behaviour). Set: that proxy URL; an empty string disables proxies.
    std::optional<std::string> proxy;
};

/// Transport over libcurl. Thread-safe: one instance may be shared by any number of threads,
/// and concurrent calls run at the same time, each on its own pooled connection (a pool of
/// libcurl easy handles, one per request in flight, idle ones kept with their keep-alive
/// connections; DNS and TLS sessions are shared between them). A series of calls from one
/// thread reuses one connection. Retries as `TransportOptions::retry` says; traces as `trace`
/// says (the trace sink may be called from several threads at once). Redirects are not
/// followed (a login host that redirects is reported, not silently turned from POST into GET).
class CurlTransport final : public Transport {
public:
    explicit CurlTransport(TransportOptions options = {});
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    Result<HttpResponse> Send(const HttpRequest& request) override;

    /// New connections opened so far (keep-alive keeps this at 1 for a series of calls to one
    /// host from one thread; N concurrent calls open N). For diagnostics and tests.
    long ConnectionsOpened() const;

    const TransportOptions& Options() const;

private:
    Result<HttpResponse> SendOnce(const HttpRequest& request);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// `url` with the values of secret query parameters (access_token, refresh_token,
/// client_secret, password, code, code_verifier, assertion, sid, token) replaced by `REDACTED`.
std::string RedactUrl(std::string_view url);

/// A header value fit for a trace: credentials (Authorization keeps its scheme, Cookie,
/// Set-Cookie, any header whose name mentions a session or token) become `REDACTED`; URLs in
/// Location go through RedactUrl.
std::string RedactHeader(std::string_view name, std::string_view value);

/// Percent-encodes everything except RFC 3986 unreserved characters (`A-Za-z0-9-._~`).
std::string PercentEncode(std::string_view text);

/// `application/x-www-form-urlencoded` body from pairs (space as %20, which every server
/// decodes; `+` is encoded, so passwords containing it survive).
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace sfkit::client
