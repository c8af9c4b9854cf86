// CurlTransport: the only translation unit that includes <curl/curl.h>. A pool of easy handles,
// one per request in flight: a request takes an idle handle (the most recently used, so that a
// series of calls from one thread keeps reusing one connection) or makes a new one, and gives it
// back afterwards. Each handle keeps its own connection cache across curl_easy_reset (libcurl's
// shared connection cache is not safe between threads, known bug 11.11); the DNS and TLS
// session caches are shared between the handles through a share handle with locks.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "sfkit/client/http.hpp"

namespace sfkit::client {
namespace {

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// Stable, upper-case names for the failures users meet; the detailed text goes in `message`.
std::string CodeName(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_PROXY:
            return "COULDNT_RESOLVE_PROXY";
        case CURLE_COULDNT_RESOLVE_HOST:
            return "COULDNT_RESOLVE_HOST";
        case CURLE_COULDNT_CONNECT:
            return "COULDNT_CONNECT";
        case CURLE_OPERATION_TIMEDOUT:
            return "TIMEOUT";
        case CURLE_SSL_CONNECT_ERROR:
            return "SSL_CONNECT_ERROR";
        case CURLE_PEER_FAILED_VERIFICATION:
            return "SSL_PEER_VERIFICATION_FAILED";
        case CURLE_SSL_CACERT_BADFILE:
            return "SSL_CA_FILE_BAD";
        case CURLE_SEND_ERROR:
            return "SEND_ERROR";
        case CURLE_RECV_ERROR:
            return "RECV_ERROR";
        case CURLE_GOT_NOTHING:
            return "EMPTY_REPLY";
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "UNSUPPORTED_PROTOCOL";
        case CURLE_URL_MALFORMAT:
            return "MALFORMED_URL";
        case CURLE_PARTIAL_FILE:
            return "PARTIAL_RESPONSE";
        case CURLE_WRITE_ERROR:
        case CURLE_OUT_OF_MEMORY:
            return "OUT_OF_MEMORY";
        default:
            return "TRANSPORT_ERROR";
    }
}

// Callbacks run inside libcurl's C code: nothing may propagate out of them. Returning a short
// count makes libcurl abort the transfer with CURLE_WRITE_ERROR instead.
size_t WriteBody(char* data, size_t size, size_t count, void* user) noexcept {
    try {
        static_cast<std::string*>(user)->append(data, size * count);
        return size * count;
    } catch (...) {
        return 0;
    }
}

/// Where a body goes: into the response, or (a 2xx answer with a sink) to the sink.
struct BodyTarget {
    CURL* easy = nullptr;
    HttpResponse* response = nullptr;
    const BodySink* sink = nullptr;
    bool sink_refused = false;
};

size_t WriteStreamed(char* data, size_t size, size_t count, void* user) noexcept {
    auto* t = static_cast<BodyTarget*>(user);
    try {
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            if (!(*t->sink)(std::string_view(data, size * count))) {
                t->sink_refused = true;
                return 0;
            }
        } else {
            t->response->body.append(data, size * count);
        }
        return size * count;
    } catch (...) {
        t->sink_refused = true;
        return 0;
    }
}

struct BodySource {
    const BodyReader* reader = nullptr;
    bool failed = false;
};

size_t ReadStreamed(char* buffer, size_t size, size_t count, void* user) noexcept {
    auto* s = static_cast<BodySource*>(user);
    try {
        const auto n = (*s->reader)(buffer, size * count);
        if (!n.has_value() || *n > size * count) {
            s->failed = true;
            return CURL_READFUNC_ABORT;
        }
        return *n;
    } catch (...) {
        s->failed = true;
        return CURL_READFUNC_ABORT;
    }
}

/// Collects the headers of the final response: a new status line (after a 100 Continue or
/// other interim answer) starts the list over.
size_t WriteHeader(char* data, size_t size, size_t count, void* user) noexcept try {
    auto* response = static_cast<HttpResponse*>(user);
    auto* headers = &response->headers;
    std::string_view line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.remove_suffix(1);
    }
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();
        response->status_line = std::string(line);
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
            value.remove_prefix(1);
        }
        headers->push_back({std::string(line.substr(0, colon)), std::string(value)});
    }
    return size * count;
} catch (...) {
    return 0;
}

bool Idempotent(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

/// Whether a failed attempt may be tried again (see RetryPolicy).
bool Retryable(const HttpRequest& request,
               const Result<HttpResponse>& outcome,
               const RetryPolicy& policy) {
    if (request.body_reader) {
        return false;
    }
    const bool safe = Idempotent(request.method) || policy.retry_unsafe;
    if (!outcome) {
        const Error& e = outcome.error();
        if (e.code == "COULDNT_CONNECT") {
            return true;
        }
        if (request.response_sink) {
            return false;  // part of a 2xx body may already have been handed over
        }
        return safe && (e.code == "TIMEOUT" || e.code == "SEND_ERROR" || e.code == "RECV_ERROR" ||
                        e.code == "EMPTY_REPLY" || e.code == "PARTIAL_RESPONSE");
    }
    const int status = outcome->status;
    if (status == 403 || status == 503) {
        const std::string& body = outcome->body;
        // The daily API allowance ("TotalRequests Limit exceeded") does not come back within
        // seconds; the concurrency limits and an unavailable server do.
        if (body.find("SERVER_UNAVAILABLE") != std::string::npos ||
            (body.find("REQUEST_LIMIT_EXCEEDED") != std::string::npos &&
             body.find("TotalRequests") == std::string::npos)) {
            return true;
        }
    }
    if (status == 503) {
        return true;
    }
    return (status == 502 || status == 504) && safe;
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP-date (RFC 9110 §10.2.3),
/// nullopt when absent or unreadable. A date in the past asks for no wait.
std::optional<std::chrono::milliseconds> RetryAfter(const HttpResponse& response) {
    const std::string* after = response.Header("Retry-After");
    if (after == nullptr || after->empty()) {
        return std::nullopt;
    }
    if (std::all_of(after->begin(), after->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const long long seconds = std::strtoll(after->c_str(), nullptr, 10);
        return std::chrono::milliseconds(std::min(seconds, 86'400LL) * 1000);
    }
    const std::time_t when = curl_getdate(after->c_str(), nullptr);
    if (when < 0) {
        return std::nullopt;
    }
    const std::time_t now = std::time(nullptr);
    return std::chrono::milliseconds(when > now ? (when - now) * 1000LL : 0LL);
}

/// How long to wait before retry number `retry` (0-based): what `Retry-After` asks, else
/// exponential backoff with jitter; never more than `policy.max_delay`.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy,
                                     int retry,
                                     const Result<HttpResponse>& outcome) {
    if (outcome) {
        if (const auto asked = RetryAfter(*outcome)) {
            return std::min(*asked, policy.max_delay);
        }
    }
    const auto full = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   policy.base_delay * (1LL << std::min(retry, 20))),
                               policy.max_delay);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(full.count() / 2, full.count());
    return std::chrono::milliseconds(jitter(rng));
}

struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

struct CurlTransport::Impl {
    TransportOptions options;
    TraceSink trace;
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
    std::mutex pool_mutex;
    std::vector<CURL*> idle;  ///< handles not in use; the back is the most recently used
    std::atomic<long> connections{0};

    static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) noexcept {
        static_cast<Impl*>(user)->share_locks[static_cast<std::size_t>(data)].lock();
    }
    static void Unlock(CURL*, curl_lock_data data, void* user) noexcept {
        static_cast<Impl*>(user)->share_locks[static_cast<std::size_t>(data)].unlock();
    }

    /// An idle handle, or a new one (nullptr when libcurl cannot make one).
    CURL* Acquire() {
        {
            std::lock_guard lock(pool_mutex);
            if (!idle.empty()) {
                CURL* h = idle.back();
                idle.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }
    void Release(CURL* h) {
        std::lock_guard lock(pool_mutex);
        idle.push_back(h);
    }
};

TraceSink StderrTrace() {
    return [](std::string_view line) {
        std::string out(line);
        out += '\n';
        std::fwrite(out.data(), 1, out.size(), stderr);
    };
}

CurlTransport::CurlTransport(TransportOptions options) : impl_(std::make_unique<Impl>()) {
    GlobalInit();
    impl_->options = std::move(options);
    impl_->share = curl_share_init();
    if (impl_->share != nullptr) {
        curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
        curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
        curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
        curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    impl_->trace = impl_->options.trace;
    if (!impl_->trace) {
        if (const char* debug = std::getenv("SFKIT_DEBUG");
            debug != nullptr && std::string_view(debug) == "1") {
            impl_->trace = StderrTrace();
        }
    }
}

CurlTransport::~CurlTransport() {
    for (CURL* h : impl_->idle) {
        curl_easy_cleanup(h);
    }
    if (impl_->share != nullptr) {
        curl_share_cleanup(impl_->share);
    }
}

const TransportOptions& CurlTransport::Options() const {
    return impl_->options;
}

long CurlTransport::ConnectionsOpened() const {
    return impl_->connections.load();
}

Result<HttpResponse> CurlTransport::SendOnce(const HttpRequest& request) {
    // The handle goes back to the pool when the request is over, however it ended.
    struct Lease {
        Impl& impl;
        CURL* handle;
        ~Lease() {
            if (handle != nullptr) {
                impl.Release(handle);
            }
        }
    } lease{*impl_, impl_->Acquire()};
    CURL* h = lease.handle;
    if (h == nullptr) {
        return MakeError(ErrorKind::kInternal, "TRANSPORT_ERROR", "curl_easy_init failed");
    }
    const TransportOptions& o = impl_->options;
    // Reset keeps the connection, DNS and TLS session caches; everything else is set afresh so
    // nothing (a POST body, a custom method) leaks from one request into the next.
    curl_easy_reset(h);
    if (impl_->share != nullptr) {
        curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
    }

    HttpResponse response;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, o.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
    const bool streamed = request.body_reader || request.response_sink;
    if (!streamed) {
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
    } else if (o.timeout.count() > 0) {
        // A streamed transfer may take as long as it keeps moving: under 1 byte/s for the
        // timeout's length fails it.
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(
            h, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(o.timeout.count() / 1000)));
    }
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.ca_file.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
    }
    if (o.proxy.has_value()) {
        curl_easy_setopt(h, CURLOPT_PROXY, o.proxy->c_str());
    }
    // Offer every compression libcurl was built with; Salesforce gzips large answers.
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    BodyTarget target{h, &response, &request.response_sink, false};
    if (request.response_sink) {
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteStreamed);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &target);
    } else {
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    }
    BodySource source{&request.body_reader, false};
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);

    const std::string& m = request.method;
    const bool sends_body =
        !request.body.empty() || m == "POST" || m == "PUT" || m == "PATCH" || request.body_reader;
    if (request.body_reader) {
        // UPLOAD pulls the body through the read callback; the method is set below.
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadStreamed);
        curl_easy_setopt(h, CURLOPT_READDATA, &source);
        if (request.body_size >= 0) {
            curl_easy_setopt(
                h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body_size));
        }
        if (m != "PUT") {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
        }
    } else if (m == "GET" && request.body.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (m == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        if (sends_body) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(
                h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
        if (m != "POST") {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
        }
    }

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto append = [&headers](const std::string& line) {
        curl_slist* l = curl_slist_append(headers.get(), line.c_str());
        if (l != nullptr) {
            headers.release();
            headers.reset(l);
        }
    };
    bool has_content_type = false;
    for (const auto& hdr : request.headers) {
        if (hdr.name.find_first_of("\r\n:") != std::string::npos ||
            hdr.value.find_first_of("\r\n") != std::string::npos) {
            return MakeError(ErrorKind::kInvalidArgument,
                             "INVALID_HEADER",
                             "header '" + hdr.name + "' contains a line break or colon");
        }
        // "Name;" is libcurl's spelling of a header with an empty value.
        append(hdr.value.empty() ? hdr.name + ";" : hdr.name + ": " + hdr.value);
        has_content_type = has_content_type || HeaderNameEquals(hdr.name, "Content-Type");
    }
    if (sends_body && !has_content_type) {
        // libcurl would otherwise claim a form body.
        append("Content-Type:");
    }
    // No "Expect: 100-continue" round trip before large bodies.
    append("Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

    const CURLcode rc = curl_easy_perform(h);
    long new_connections = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &new_connections);
    impl_->connections.fetch_add(new_connections);
    // The header list and error buffer die with this frame; drop libcurl's pointers to them.
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK && source.failed) {
        return MakeError(ErrorKind::kIo, "BODY_READ_FAILED", "the request body could not be read");
    }
    if (rc != CURLE_OK && target.sink_refused) {
        return MakeError(ErrorKind::kIo, "BODY_WRITE_FAILED", "the answer could not be stored");
    }
    if (rc != CURLE_OK) {
        std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
        const ErrorKind kind =
            rc == CURLE_OPERATION_TIMEDOUT ? ErrorKind::kTimeout : ErrorKind::kTransport;
        return MakeError(kind, CodeName(rc), std::move(detail));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
    const RetryPolicy& policy = impl_->options.retry;
    const TraceSink& trace = impl_->trace;
    for (int attempt = 0;; ++attempt) {
        const auto started = std::chrono::steady_clock::now();
        if (trace) {
            trace("> " + request.method + " " + RedactUrl(request.url) +
                  (attempt > 0 ? " (retry " + std::to_string(attempt) + ")" : ""));
            for (const auto& h : request.headers) {
                trace("> " + h.name + ": " + RedactHeader(h.name, h.value));
            }
            if (!request.body.empty()) {
                trace("> [body " + std::to_string(request.body.size()) + " bytes]");
            } else if (request.body_reader) {
                trace("> [streamed body]");
            }
        }
        Result<HttpResponse> outcome = SendOnce(request);
        if (trace) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            if (outcome) {
                trace("< " +
                      (outcome->status_line.empty() ? std::to_string(outcome->status)
                                                    : outcome->status_line) +
                      " (" + std::to_string(ms) + " ms)");
                for (const auto& h : outcome->headers) {
                    trace("< " + h.name + ": " + RedactHeader(h.name, h.value));
                }
                trace("< [body " + std::to_string(outcome->body.size()) + " bytes]");
            } else {
                trace("< failed: " + outcome.error().code + " " + outcome.error().message + " (" +
                      std::to_string(ms) + " ms)");
            }
        }
        if (attempt >= policy.max_retries || !Retryable(request, outcome, policy)) {
            return outcome;
        }
        const auto delay = RetryDelay(policy, attempt, outcome);
        if (trace) {
            trace("* retrying in " + std::to_string(delay.count()) + " ms");
        }
        std::this_thread::sleep_for(delay);
    }
}

}  // namespace sfkit::client
