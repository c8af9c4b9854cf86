// CurlTransport against real sockets on 127.0.0.1: keep-alive reuse, timeouts, chunked and
// truncated answers, error statuses as values, TLS verification, proxy settings.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sfkit/client/http.hpp"

#include "server/net/http_server.hpp"
#include "support/subprocess.hpp"

namespace sfkit::client {
namespace {

using namespace std::chrono_literals;

/// An HttpServer whose handler the test sets; records what it received.
class CannedServer {
public:
    explicit CannedServer(server::HttpHandler handler, server::HttpServerOptions o = {}) {
        o.port = 0;
        o.threads = 2;
        server_ = std::make_unique<server::HttpServer>(o, std::move(handler));
        server_->Start();
    }
    ~CannedServer() { server_->Stop(); }
    std::string Url(const std::string& path = "/") const {
        return "http://127.0.0.1:" + std::to_string(server_->Port()) + path;
    }
    std::uint16_t Port() const { return server_->Port(); }

private:
    std::unique_ptr<server::HttpServer> server_;
};

/// A listening TCP socket on 127.0.0.1 at a free port (written to `port`).
int ListenOnLoopback(std::uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd, 64);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    return fd;
}

/// Reads from `c` up to the end of a request head; false when the peer closed before it.
bool ReadRequestHead(int c) {
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) {
            return false;
        }
        req.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

/// A one-connection server that answers with exactly the bytes it is given, then closes.
/// For answers HttpServer will not produce (chunked framing, truncation).
class ScriptedServer {
public:
    explicit ScriptedServer(std::string reply) : reply_(std::move(reply)) {
        fd_ = ListenOnLoopback(port_);
        thread_ = std::thread([this] {
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) {
                return;
            }
            ReadRequestHead(c);
            ::send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
            ::shutdown(c, SHUT_RDWR);
            ::close(c);
        });
    }
    ~ScriptedServer() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }

private:
    std::string reply_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

server::Response Text(std::string body, int status = 200) {
    server::Response r;
    r.status = status;
    r.SetHeader("Content-Type", "text/plain");
    r.body = std::move(body);
    return r;
}

TEST(ClientTransport, SendsMethodBodyHeadersAndUserAgent) {
    std::mutex m;
    server::Request seen;
    CannedServer srv([&](const server::Request& req) {
        std::lock_guard lock(m);
        seen = req;
        auto r = Text("ok");
        r.SetHeader("Sforce-Limit-Info", "api-usage=1/15000");
        return r;
    });
    CurlTransport t;
    HttpRequest req;
    req.method = "PATCH";
    req.url = srv.Url("/services/data/v60.0/sobjects/Account/001");
    req.headers = {{"Content-Type", "application/json"}, {"X-PrettyPrint", "1"}};
    req.body = R"({"Name":"x"})";
    auto r = t.Send(req);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
    ASSERT_NE(r->Header("sforce-limit-info"), nullptr);
    EXPECT_EQ(*r->Header("Sforce-Limit-Info"), "api-usage=1/15000");
    std::lock_guard lock(m);
    EXPECT_EQ(seen.method, "PATCH");
    EXPECT_EQ(seen.path, "/services/data/v60.0/sobjects/Account/001");
    EXPECT_EQ(seen.body, R"({"Name":"x"})");
    ASSERT_NE(seen.Header("User-Agent"), nullptr);
    EXPECT_EQ(*seen.Header("User-Agent"), "sfkit/0.1.0");
    EXPECT_EQ(*seen.Header("Content-Type"), "application/json");
    EXPECT_EQ(*seen.Header("X-PrettyPrint"), "1");
}

TEST(ClientTransport, KeepAliveReusesOneConnectionAndNothingLeaksBetweenRequests) {
    std::mutex m;
    std::vector<std::string> seen;
    CannedServer srv([&](const server::Request& req) {
        std::lock_guard lock(m);
        seen.push_back(req.method + " " + req.path + " [" + req.body +
                       "] ct=" + (req.Header("Content-Type") ? *req.Header("Content-Type") : "-"));
        return Text("n");
    });
    CurlTransport t;
    HttpRequest post{"POST", srv.Url("/a"), {{"Content-Type", "application/json"}}, "{}"};
    HttpRequest get{"GET", srv.Url("/b"), {}, ""};
    HttpRequest del{"DELETE", srv.Url("/c"), {}, ""};
    for (const auto* req : {&post, &get, &del, &get, &post}) {
        auto r = t.Send(*req);
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->status, 200);
    }
    EXPECT_EQ(t.ConnectionsOpened(), 1);
    std::lock_guard lock(m);
    ASSERT_EQ(seen.size(), 5u);
    EXPECT_EQ(seen[0], "POST /a [{}] ct=application/json");
    EXPECT_EQ(seen[1], "GET /b [] ct=-");
    EXPECT_EQ(seen[2], "DELETE /c [] ct=-");
    EXPECT_EQ(seen[3], "GET /b [] ct=-");
}

TEST(ClientTransport, LargeBodyIsSentWithoutExpectContinue) {
    std::atomic<std::size_t> size{0};
    std::atomic<bool> had_expect{false};
    CannedServer srv([&](const server::Request& req) {
        size = req.body.size();
        had_expect = req.Header("Expect") != nullptr;
        return Text("ok");
    });
    CurlTransport t;
    HttpRequest req{
        "POST", srv.Url("/big"), {{"Content-Type", "text/csv"}}, std::string(3 * 1024 * 1024, 'x')};
    auto r = t.Send(req);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(size.load(), 3u * 1024 * 1024);
    EXPECT_FALSE(had_expect.load());
}

TEST(ClientTransport, ErrorStatusesAreAnswersNotErrors) {
    CannedServer srv([](const server::Request&) {
        server::Response r;
        r.status = 404;
        r.SetHeader("Content-Type", "application/json;charset=UTF-8");
        r.body = R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";
        return r;
    });
    CurlTransport t;
    auto r = t.Send({"GET", srv.Url("/nope"), {}, ""});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find("NOT_FOUND"), std::string::npos);
}

TEST(ClientTransport, TotalTimeoutBecomesTimeoutError) {
    CannedServer srv([](const server::Request&) {
        std::this_thread::sleep_for(1200ms);
        return Text("late");
    });
    TransportOptions o;
    o.timeout = 250ms;
    o.retry.max_retries = 0;  // one attempt: the limit applies to each
    CurlTransport t(o);
    const auto start = std::chrono::steady_clock::now();
    auto r = t.Send({"GET", srv.Url("/slow"), {}, ""});
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
    EXPECT_EQ(r.error().code, "TIMEOUT");
    EXPECT_LT(took, 1000ms);
}

TEST(ClientTransport, RefusedConnectionIsTransportError) {
    std::uint16_t port = 0;
    {
        CannedServer srv([](const server::Request&) { return Text(""); });
        port = srv.Port();
    }  // stopped: nothing listens there any more
    TransportOptions o;
    o.retry.base_delay = 1ms;  // refused connections are retried: keep the waits short
    CurlTransport t(o);
    auto r = t.Send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, ""});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
    EXPECT_EQ(r.error().code, "COULDNT_CONNECT");
    EXPECT_FALSE(r.error().message.empty());
}

TEST(ClientTransport, ChunkedAnswerIsDecoded) {
    ScriptedServer srv(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
        "Transfer-Encoding: chunked\r\nSforce-Limit-Info: api-usage=3/5000\r\n\r\n"
        "5\r\n{\"a\":\r\n4\r\n\"bc\"\r\n1\r\n}\r\n0\r\n\r\n");
    CurlTransport t;
    auto r = t.Send({"GET", srv.Url(), {}, ""});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"a":"bc"})");
    EXPECT_EQ(*r->Header("Sforce-Limit-Info"), "api-usage=3/5000");
}

TEST(ClientTransport, InterimContinueHeadersAreDropped) {
    ScriptedServer srv(
        "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
        "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
    CurlTransport t;
    auto r = t.Send({"POST", srv.Url(), {{"Content-Type", "text/plain"}}, "x"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->Header("X-Interim"), nullptr);
    EXPECT_EQ(*r->Header("Content-Length"), "2");
}

TEST(ClientTransport, TruncatedAnswerIsTransportError) {
    ScriptedServer srv("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little");
    TransportOptions o;
    o.retry.max_retries = 0;  // the server answers one connection only
    CurlTransport t(o);
    auto r = t.Send({"GET", srv.Url(), {}, ""});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kTransport);
    EXPECT_EQ(r.error().code, "PARTIAL_RESPONSE");
}

TEST(ClientTransport, HeaderInjectionIsRefused) {
    CurlTransport t;
    auto r = t.Send({"GET", "http://127.0.0.1:1/", {{"X-A", "v\r\nX-Evil: 1"}}, ""});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
}

TEST(ClientTransport, OnlyHttpAndHttpsAreSpoken) {
    CurlTransport t;
    auto r = t.Send({"GET", "file:///etc/passwd", {}, ""});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "UNSUPPORTED_PROTOCOL");
}

TEST(ClientTransport, TlsIsVerifiedAndCaFileIsHonoured) {
    test::TempDir dir;
    const std::string cert = dir.Path() + "/cert.pem";
    const std::string key = dir.Path() + "/key.pem";
    auto gen = test::RunProcess({"/usr/bin/openssl",
                                 "req",
                                 "-x509",
                                 "-newkey",
                                 "ec",
                                 "-pkeyopt",
                                 "ec_paramgen_curve:prime256v1",
                                 "-nodes",
                                 "-keyout",
                                 key,
                                 "-out",
                                 cert,
                                 "-days",
                                 "1",
                                 "-subj",
                                 "/CN=127.0.0.1",
                                 "-addext",
                                 "subjectAltName=IP:127.0.0.1"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    server::HttpServerOptions o;
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    CannedServer srv([](const server::Request& req) { return Text(req.secure ? "tls" : "plain"); },
                     o);
    const std::string url = "https://127.0.0.1:" + std::to_string(srv.Port()) + "/";

    CurlTransport strict;  // system CAs only: a self-signed certificate must be refused
    auto refused = strict.Send({"GET", url, {}, ""});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::kTransport);
    EXPECT_EQ(refused.error().code, "SSL_PEER_VERIFICATION_FAILED") << refused.error().message;

    TransportOptions trusting;
    trusting.ca_file = cert;
    CurlTransport t(trusting);
    auto r = t.Send({"GET", url, {}, ""});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->body, "tls");
}

/// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) {
            old_ = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

TEST(ClientTransport, ProxyFromEnvironmentAndNoProxyAreHonoured) {
    std::mutex m;
    std::string proxied_target;
    CannedServer proxy([&](const server::Request& req) {
        std::lock_guard lock(m);
        proxied_target = req.target;
        return Text("via proxy");
    });
    CannedServer origin([](const server::Request&) { return Text("direct"); });
    ScopedEnv all_proxy("ALL_PROXY", nullptr);
    ScopedEnv http_proxy("http_proxy", proxy.Url("").c_str());
    {
        ScopedEnv no_proxy_lc("no_proxy", nullptr);
        ScopedEnv no_proxy("NO_PROXY", nullptr);
        CurlTransport t;
        auto r = t.Send({"GET", "http://sfkit-proxy-test.invalid/data", {}, ""});
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->body, "via proxy");
        std::lock_guard lock(m);
        EXPECT_EQ(proxied_target, "http://sfkit-proxy-test.invalid/data");
    }
    {
        ScopedEnv no_proxy_lc("no_proxy", "127.0.0.1");
        CurlTransport t;
        auto r = t.Send({"GET", origin.Url("/x"), {}, ""});
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->body, "direct");
    }
    {
        // An explicit empty proxy option turns proxies off whatever the environment says.
        ScopedEnv no_proxy_lc("no_proxy", nullptr);
        TransportOptions o;
        o.proxy = "";
        CurlTransport t(o);
        auto r = t.Send({"GET", origin.Url("/x"), {}, ""});
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->body, "direct");
    }
}

TEST(ClientTransport, StreamedBodiesGoOutChunkedOrSizedAndAnswersToASink) {
    std::mutex m;
    std::vector<std::string> bodies;
    std::vector<std::string> framing;
    const std::string big(3 * 1024 * 1024 + 17, 'y');
    CannedServer srv([&](const server::Request& req) {
        std::lock_guard lock(m);
        bodies.push_back(req.body);
        const std::string* te = req.Header("Transfer-Encoding");
        framing.push_back(te != nullptr ? *te : "length");
        return Text(req.method == "GET" ? big : "ok", req.method == "DELETE" ? 404 : 201);
    });
    CurlTransport t;
    // A reader handing out 1000 bytes at a time: chunked without a size, sized with one.
    const std::string payload(250'000, 'x');
    for (const std::int64_t size : {std::int64_t{-1}, static_cast<std::int64_t>(payload.size())}) {
        std::size_t at = 0;
        HttpRequest req;
        req.method = "PUT";
        req.url = srv.Url("/up");
        req.headers = {{"Content-Type", "text/csv"}};
        req.body_size = size;
        req.body_reader = [&](char* buf, std::size_t n) -> std::optional<std::size_t> {
            const std::size_t k = std::min({n, std::size_t{1000}, payload.size() - at});
            std::memcpy(buf, payload.data() + at, k);
            at += k;
            return k;
        };
        auto r = t.Send(req);
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->status, 201);
    }
    {
        std::lock_guard lock(m);
        ASSERT_EQ(bodies.size(), 2u);
        EXPECT_EQ(bodies[0], payload);
        EXPECT_EQ(bodies[1], payload);
        EXPECT_EQ(framing[0], "chunked");
        EXPECT_EQ(framing[1], "length");
    }
    // A 2xx body goes to the sink in pieces, not into the response.
    std::string sunk;
    int pieces = 0;
    HttpRequest get;
    get.url = srv.Url("/down");
    get.response_sink = [&](std::string_view piece) {
        sunk.append(piece);
        ++pieces;
        return true;
    };
    auto r = t.Send(get);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 201);
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(sunk, big);
    EXPECT_GT(pieces, 1);
    // An error answer's body stays in the response, for the error.
    HttpRequest del;
    del.method = "DELETE";
    del.url = srv.Url("/gone");
    del.response_sink = [&](std::string_view) {
        ADD_FAILURE() << "an error body reached the sink";
        return true;
    };
    auto e = t.Send(del);
    ASSERT_TRUE(e) << e.error().ToString();
    EXPECT_EQ(e->status, 404);
    EXPECT_EQ(e->body, "ok");
    // A reader that gives up and a sink that refuses end the exchange with kIo.
    HttpRequest bad;
    bad.method = "PUT";
    bad.url = srv.Url("/up");
    bad.body_reader = [](char*, std::size_t) -> std::optional<std::size_t> { return std::nullopt; };
    auto read_failed = t.Send(bad);
    ASSERT_FALSE(read_failed);
    EXPECT_EQ(read_failed.error().code, "BODY_READ_FAILED");
    get.response_sink = [](std::string_view) { return false; };
    auto write_failed = t.Send(get);
    ASSERT_FALSE(write_failed);
    EXPECT_EQ(write_failed.error().code, "BODY_WRITE_FAILED");
}

/// Accepts connections and closes each after reading the request, without answering (what a
/// reset or a crashed server looks like to the client). Counts the connections.
class HangUpServer {
public:
    HangUpServer() {
        fd_ = ListenOnLoopback(port_);
        thread_ = std::thread([this] {
            while (true) {
                const int c = ::accept(fd_, nullptr, nullptr);
                if (c < 0) {
                    return;
                }
                ++accepted_;
                ReadRequestHead(c);
                ::close(c);
            }
        });
    }
    ~HangUpServer() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }
    int Accepted() const { return accepted_.load(); }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> accepted_{0};
    std::thread thread_;
};

TEST(ClientTransport, RetriesA503HonouringRetryAfterThenSucceeds) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        if (calls.fetch_add(1) == 0) {
            auto r = Text("busy", 503);
            r.SetHeader("Retry-After", "1");
            return r;
        }
        return Text("ok");
    });
    TransportOptions o;
    o.retry.base_delay = 1ms;  // the wait must come from Retry-After
    CurlTransport t(o);
    HttpRequest req;
    req.method = "POST";  // a 503 was not carried out: even a POST is retried
    req.url = srv.Url("/x");
    req.body = "{}";
    const auto start = std::chrono::steady_clock::now();
    auto r = t.Send(req);
    const auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(calls.load(), 2);
    EXPECT_GE(waited, 1s);
}

TEST(ClientTransport, RetriesAreBoundedAndCanBeTurnedOff) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        ++calls;
        return Text("bad gateway", 502);
    });
    TransportOptions o;
    o.retry.base_delay = 1ms;
    o.retry.max_retries = 2;
    CurlTransport t(o);
    HttpRequest get;
    get.url = srv.Url("/x");
    auto r = t.Send(get);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 502);
    EXPECT_EQ(calls.load(), 3);

    calls = 0;
    HttpRequest post = get;
    post.method = "POST";  // a 502 leaves a POST's outcome unknown
    ASSERT_TRUE(t.Send(post));
    EXPECT_EQ(calls.load(), 1);

    calls = 0;
    o.retry.max_retries = 0;
    CurlTransport off(o);
    ASSERT_TRUE(off.Send(get));
    EXPECT_EQ(calls.load(), 1);
}

TEST(ClientTransport, RequestLimitExceededIsRetried) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        if (calls.fetch_add(1) == 0) {
            return Text(R"([{"message":"ConcurrentPerOrgLongTxn Limit exceeded.",)"
                        R"("errorCode":"REQUEST_LIMIT_EXCEEDED"}])",
                        403);
        }
        return Text("ok");
    });
    TransportOptions o;
    o.retry.base_delay = 1ms;
    CurlTransport t(o);
    HttpRequest req;
    req.method = "PATCH";
    req.url = srv.Url("/x");
    req.body = "{}";
    auto r = t.Send(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(calls.load(), 2);
}

TEST(ClientTransport, AResetRetriesGetButNeverPostUnlessAllowed) {
    HangUpServer srv;
    TransportOptions o;
    o.retry.base_delay = 1ms;
    o.retry.max_retries = 3;
    CurlTransport t(o);

    HttpRequest post;
    post.method = "POST";
    post.url = srv.Url();
    post.body = R"({"Name":"once"})";
    auto r = t.Send(post);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "EMPTY_REPLY");
    EXPECT_EQ(srv.Accepted(), 1);

    HttpRequest get;
    get.url = srv.Url();
    r = t.Send(get);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "EMPTY_REPLY");
    EXPECT_EQ(srv.Accepted(), 1 + 4);

    o.retry.retry_unsafe = true;
    CurlTransport unsafe(o);
    r = unsafe.Send(post);
    ASSERT_FALSE(r);
    EXPECT_EQ(srv.Accepted(), 1 + 4 + 4);
}

TEST(ClientTransport, RetryAfterAsAnHttpDateIsHonoured) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        if (calls.fetch_add(1) == 0) {
            // Two seconds from now in IMF-fixdate form (RFC 9110 §5.6.7).
            const std::time_t when = std::time(nullptr) + 2;
            std::tm tm{};
            ::gmtime_r(&when, &tm);
            char date[64];
            std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            auto r = Text("maintenance", 503);
            r.SetHeader("Retry-After", date);
            return r;
        }
        return Text("ok");
    });
    TransportOptions o;
    o.retry.base_delay = 1ms;  // the wait must come from Retry-After
    CurlTransport t(o);
    const auto start = std::chrono::steady_clock::now();
    auto r = t.Send({"GET", srv.Url("/x"), {}, ""});
    const auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(calls.load(), 2);
    // The date has whole seconds: between one and two seconds remain when the client reads it.
    EXPECT_GE(waited, 900ms);
}

TEST(ClientTransport, RetryWaitsAreBoundedByMaxDelay) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        ++calls;
        auto r = Text(R"([{"message":"down","errorCode":"SERVER_UNAVAILABLE"}])", 503);
        r.SetHeader("Retry-After", "3600");
        return r;
    });
    std::vector<std::string> waits;
    std::mutex m;
    TransportOptions o;
    o.retry.max_retries = 2;
    o.retry.max_delay = 50ms;
    o.trace = [&](std::string_view line) {
        if (line.rfind("* retrying in ", 0) == 0) {
            std::lock_guard lock(m);
            waits.emplace_back(line);
        }
    };
    CurlTransport t(o);
    auto r = t.Send({"GET", srv.Url("/x"), {}, ""});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 503) << "the last answer is handed back when retries run out";
    EXPECT_EQ(calls.load(), 3) << "one attempt plus max_retries";
    EXPECT_EQ(waits, (std::vector<std::string>{"* retrying in 50 ms", "* retrying in 50 ms"}))
        << "an hour's Retry-After is cut to max_delay";

    // Backoff without Retry-After: base * 2^n with jitter in [half, all], capped by max_delay.
    CannedServer gateway([](const server::Request&) { return Text("gateway timeout", 504); });
    waits.clear();
    o.retry.max_retries = 4;
    o.retry.base_delay = 8ms;
    o.retry.max_delay = 40ms;
    CurlTransport backoff(o);
    ASSERT_TRUE(backoff.Send({"GET", gateway.Url("/x"), {}, ""}));
    ASSERT_EQ(waits.size(), 4u);
    const long long full[] = {8, 16, 32, 40};
    for (std::size_t i = 0; i < waits.size(); ++i) {
        const long long ms = std::stoll(waits[i].substr(std::strlen("* retrying in ")));
        EXPECT_GE(ms, full[i] / 2) << waits[i];
        EXPECT_LE(ms, full[i]) << waits[i];
    }
}

TEST(ClientTransport, DailyApiLimitIsNotRetried) {
    std::atomic<int> calls{0};
    CannedServer srv([&](const server::Request&) {
        ++calls;
        return Text(R"([{"message":"TotalRequests Limit exceeded.",)"
                    R"("errorCode":"REQUEST_LIMIT_EXCEEDED"}])",
                    403);
    });
    TransportOptions o;
    o.retry.base_delay = 1ms;
    CurlTransport t(o);
    auto r = t.Send({"GET", srv.Url("/x"), {}, ""});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(calls.load(), 1);
}

/// Holds every request until `n` requests are in at once, then answers each "together"; a
/// request still alone after a generous wait is answered "alone" (so a transport that
/// serialises its calls fails the test rather than hanging it). One thread per connection.
class BarrierServer {
public:
    explicit BarrierServer(int n) : n_(n) {
        fd_ = ListenOnLoopback(port_);
        acceptor_ = std::thread([this] {
            while (true) {
                const int c = ::accept(fd_, nullptr, nullptr);
                if (c < 0) {
                    return;
                }
                std::lock_guard lock(m_);
                ++connections_;
                workers_.emplace_back([this, c] { Serve(c); });
            }
        });
    }
    ~BarrierServer() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        acceptor_.join();
        for (auto& w : workers_) {
            w.join();
        }
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }
    int Connections() {
        std::lock_guard lock(m_);
        return connections_;
    }

private:
    /// Answers the requests of one keep-alive connection until the client closes it.
    void Serve(int c) {
        while (ReadRequestHead(c)) {
            bool together = false;
            {
                std::unique_lock lock(m_);
                ++arrived_;
                cv_.notify_all();
                together = cv_.wait_for(lock, 30s, [this] { return arrived_ >= n_; });
            }
            const std::string body = together ? "together" : "alone";
            const std::string reply =
                "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                body;
            ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
        }
        ::close(c);
    }

    const int n_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::mutex m_;
    std::condition_variable cv_;
    int arrived_ = 0;
    int connections_ = 0;
    std::thread acceptor_;
    std::vector<std::thread> workers_;
};

TEST(ClientTransport, ConcurrentCallsRunAtOnceOnTheirOwnConnections) {
    constexpr int kThreads = 4;
    BarrierServer srv(kThreads);
    std::vector<std::string> bodies(kThreads);
    {
        CurlTransport t;  // one transport shared by every thread
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                auto r = t.Send({"GET", srv.Url(), {}, ""});
                bodies[i] = r ? r->body : r.error().ToString();
            });
        }
        for (auto& th : threads) {
            th.join();
        }
        EXPECT_EQ(t.ConnectionsOpened(), kThreads);
    }  // the transport closes its connections, so the server's workers finish
    for (const auto& body : bodies) {
        EXPECT_EQ(body, "together") << "every request was in flight at the same time";
    }
    EXPECT_EQ(srv.Connections(), kThreads);
}

TEST(ClientTransport, SfkitDebugTracesToStderrWithSecretsRedacted) {
    CannedServer srv([](const server::Request&) { return Text("ok"); });
    ScopedEnv debug("SFKIT_DEBUG", "1");
    CurlTransport t;
    testing::internal::CaptureStderr();
    auto r = t.Send({"GET",
                     srv.Url("/services/data?access_token=SECRET_Q"),
                     {{"Authorization", "Bearer SECRET_BEARER"}, {"Cookie", "sid=SECRET_SID"}},
                     ""});
    const std::string err = testing::internal::GetCapturedStderr();
    ASSERT_TRUE(r);
    EXPECT_NE(err.find("> GET http://127.0.0.1:"), std::string::npos) << err;
    EXPECT_NE(err.find("< HTTP/1.1 200"), std::string::npos) << err;
    EXPECT_NE(err.find("> Authorization: Bearer REDACTED"), std::string::npos) << err;
    EXPECT_EQ(err.find("SECRET"), std::string::npos) << err;
}

TEST(ClientTransport, TraceShowsTheExchangeWithSecretsRedacted) {
    CannedServer srv([&](const server::Request&) {
        auto r = Text(R"({"access_token":"00Dxx!SECRET_AT","refresh_token":"SECRET_RT"})");
        r.SetHeader("Set-Cookie", "sid=SECRET_COOKIE; Path=/");
        r.SetHeader("Location", "http://localhost:1717/cb?code=SECRET_CODE&state=s1");
        return r;
    });
    std::vector<std::string> lines;
    TransportOptions o;
    o.trace = [&](std::string_view line) { lines.emplace_back(line); };
    CurlTransport t(o);
    HttpRequest req;
    req.method = "POST";
    req.url = srv.Url("/services/oauth2/token?refresh_token=SECRET_Q&format=json");
    req.headers = {{"Authorization", "Bearer SECRET_BEARER"},
                   {"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "grant_type=password&client_secret=SECRET_CS&password=SECRET_PW";
    ASSERT_TRUE(t.Send(req));
    std::string trace;
    for (const auto& l : lines) {
        trace += l + "\n";
    }
    EXPECT_EQ(trace.find("SECRET"), std::string::npos) << trace;
    EXPECT_NE(trace.find("> POST http://127.0.0.1:"), std::string::npos) << trace;
    EXPECT_NE(trace.find("refresh_token=REDACTED&format=json"), std::string::npos) << trace;
    EXPECT_NE(trace.find("> Authorization: Bearer REDACTED"), std::string::npos) << trace;
    EXPECT_NE(trace.find("< HTTP/1.1 200"), std::string::npos) << trace;
    EXPECT_NE(trace.find(" ms)"), std::string::npos) << trace;
    EXPECT_NE(trace.find("code=REDACTED&state=s1"), std::string::npos) << trace;
    EXPECT_NE(trace.find("Content-Type: application/x-www-form-urlencoded"), std::string::npos);
}

}  // namespace
}  // namespace sfkit::client
