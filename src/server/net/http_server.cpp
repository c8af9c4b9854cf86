// Boost.Beast implementation of HttpServer: accept loop, per-connection coroutine, limits,
// keep-alive, 100-continue, optional TLS. The only translation unit that includes Beast/Asio.
#include "server/net/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

namespace sfkit::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

std::string HttpDate() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(buf, n);
}

/// A framework-level error body, in the `errorCode`-first order Salesforce uses for dispatch
/// errors. The texts are fixed ASCII, so no escaping is needed.
Response FrameworkError(int status, std::string_view code, std::string_view message) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", "application/json;charset=UTF-8");
    r.body = "[{\"errorCode\":\"" + std::string(code) + "\",\"message\":\"" + std::string(message) +
             "\"}]";
    return r;
}

/// Runs a handler's deferred blocking work; co_spawned on the blocking pool.
net::awaitable<Response> RunDeferred(std::function<Response()> work) {
    co_return work();
}

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions opts;
    HttpHandler handler;
    net::io_context ioc;
    std::optional<net::thread_pool> blocking;  // after ioc: joined and destroyed before it
    std::optional<net::ssl::context> ssl;
    std::vector<tcp::acceptor> acceptors;
    std::vector<std::thread> threads;
    std::atomic<bool> stopping{false};
    std::atomic<int> busy{0};  // requests between "headers read" and "response written"
    std::uint16_t port = 0;
    std::mutex mu;
    std::condition_variable cv;
    bool stopped = false;

    Impl(HttpServerOptions o, HttpHandler h)
        : opts(std::move(o)), handler(std::move(h)), ioc(static_cast<int>(opts.threads)) {}

    Request Convert(const http::request<http::string_body>& req,
                    const std::string& remote_ip,
                    bool secure) {
        Request r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        const auto q = r.target.find('?');
        const std::string raw_path = r.target.substr(0, q);
        if (q != std::string::npos) {
            r.query = r.target.substr(q + 1);
        }
        r.path = PercentDecode(raw_path, false).value_or(raw_path);
        r.headers.reserve(16);
        for (const auto& field : req) {
            r.headers.push_back({std::string(field.name_string()), std::string(field.value())});
        }
        r.body = req.body();
        r.remote_ip = remote_ip;
        r.secure = secure;
        return r;
    }

    template <class Stream>
    net::awaitable<bool> Write(
        Stream& stream, Response resp, bool keep_alive, bool head, unsigned version) {
        http::response<http::string_body> res;
        res.version(version);
        res.result(static_cast<unsigned>(resp.status));
        res.set(http::field::date, HttpDate());
        for (auto& h : resp.headers) {
            res.insert(h.name, h.value);
        }
        res.body() = std::move(resp.body);
        res.keep_alive(keep_alive);
        res.prepare_payload();
        if (head) {
            const auto len = res.body().size();
            res.body().clear();
            if (resp.status != 204 && resp.status != 304) {
                res.content_length(len);
            }
        }
        auto [ec, n] = co_await http::async_write(stream, res, kTuple);
        co_return !ec;
    }

    template <class Stream>
    net::awaitable<void> Session(Stream& stream, std::string remote_ip, bool secure) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(opts.max_header_bytes));
            parser.body_limit(opts.max_body_bytes);
            beast::get_lowest_layer(stream).expires_after(opts.idle_timeout);
            auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
            if (ec == http::error::header_limit) {
                co_await Write(stream,
                               FrameworkError(431,
                                              "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                              "Request header fields are too large"),
                               false,
                               false,
                               11);
                break;
            }
            if (ec == http::error::body_limit) {
                co_await Write(
                    stream,
                    FrameworkError(413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large"),
                    false,
                    false,
                    11);
                break;
            }
            if (ec) {
                // A syntax error deserves an answer; EOF, timeout and resets do not.
                if (ec.category() == beast::error_code(http::error::bad_method).category() &&
                    ec != http::error::end_of_stream && ec != http::error::partial_message) {
                    co_await Write(stream,
                                   FrameworkError(400, "BAD_REQUEST", "Malformed HTTP request"),
                                   false,
                                   false,
                                   11);
                }
                break;
            }
            if (stopping.load()) {
                break;
            }
            busy.fetch_add(1);
            struct BusyGuard {
                std::atomic<int>& b;
                ~BusyGuard() { b.fetch_sub(1); }
            } guard{busy};

            auto& header = parser.get();
            const unsigned version = header.version();
            const auto expect = header[http::field::expect];
            if (!parser.is_done() && beast::iequals(expect, "100-continue")) {
                http::response<http::empty_body> cont{http::status::continue_, version};
                auto [cec, cn] = co_await http::async_write(stream, cont, kTuple);
                if (cec) {
                    break;
                }
            }
            if (!parser.is_done()) {
                auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
                if (bec == http::error::body_limit) {
                    co_await Write(
                        stream,
                        FrameworkError(
                            413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large"),
                        false,
                        false,
                        version);
                    break;
                }
                if (bec) {
                    break;
                }
            }
            auto req = parser.release();
            const bool keep_alive = req.keep_alive() && !stopping.load();
            const bool head = req.method() == http::verb::head;
            Response resp;
            try {
                resp = handler(Convert(req, remote_ip, secure));
                if (resp.deferred) {
                    // Blocking work waits on the bounded pool; this I/O thread moves on.
                    resp = co_await net::co_spawn(
                        *blocking, RunDeferred(std::move(resp.deferred)), net::use_awaitable);
                }
            } catch (const std::exception& e) {
                spdlog::error("handler threw: {}", e.what());
                resp = FrameworkError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred.");
            }
            if (!co_await Write(stream, std::move(resp), keep_alive, head, version) ||
                !keep_alive) {
                break;
            }
        }
    }

    net::awaitable<void> PlainConnection(tcp::socket socket) {
        std::string ip;
        beast::error_code ec;
        const auto ep = socket.remote_endpoint(ec);
        if (!ec) {
            ip = ep.address().to_string();
        }
        beast::tcp_stream stream(std::move(socket));
        co_await Session(stream, ip, false);
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    net::awaitable<void> TlsConnection(tcp::socket socket) {
        std::string ip;
        beast::error_code ec;
        const auto ep = socket.remote_endpoint(ec);
        if (!ec) {
            ip = ep.address().to_string();
        }
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *ssl);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
        auto [hec] = co_await stream.async_handshake(net::ssl::stream_base::server, kTuple);
        if (hec) {
            co_return;
        }
        co_await Session(stream, ip, true);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
        co_await stream.async_shutdown(kTuple);
    }

    net::awaitable<void> AcceptLoop(tcp::acceptor& acceptor) {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), kTuple);
            if (ec) {
                if (!acceptor.is_open() || stopping.load()) {
                    co_return;
                }
                continue;  // e.g. EMFILE: keep serving the connections we have
            }
            beast::error_code opt_ec;
            socket.set_option(tcp::no_delay(true), opt_ec);
            auto exec = socket.get_executor();
            auto on_done = [](std::exception_ptr ep) {
                if (ep) {
                    try {
                        std::rethrow_exception(ep);
                    } catch (const std::exception& e) {
                        spdlog::warn("connection ended with exception: {}", e.what());
                    }
                }
            };
            if (ssl) {
                net::co_spawn(exec, TlsConnection(std::move(socket)), on_done);
            } else {
                net::co_spawn(exec, PlainConnection(std::move(socket)), on_done);
            }
        }
    }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
    Stop();
}

void HttpServer::Start() {
    auto& s = *impl_;
    if (!s.opts.tls_cert_file.empty() || !s.opts.tls_key_file.empty()) {
        if (s.opts.tls_cert_file.empty() || s.opts.tls_key_file.empty()) {
            throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
        }
        s.ssl.emplace(net::ssl::context::tls_server);
        s.ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1);
        s.ssl->use_certificate_chain_file(s.opts.tls_cert_file);
        s.ssl->use_private_key_file(s.opts.tls_key_file, net::ssl::context::pem);
    }
    tcp::resolver resolver(s.ioc);
    beast::error_code ec;
    auto results =
        resolver.resolve(s.opts.host, std::to_string(s.opts.port), tcp::resolver::passive, ec);
    if (ec) {
        throw std::runtime_error("cannot resolve " + s.opts.host + ": " + ec.message());
    }
    std::uint16_t port = s.opts.port;
    for (const auto& entry : results) {
        tcp::endpoint ep = entry.endpoint();
        ep.port(port);
        tcp::acceptor acceptor(s.ioc);
        acceptor.open(ep.protocol(), ec);
        if (ec) {
            continue;
        }
        acceptor.set_option(net::socket_base::reuse_address(true), ec);
        if (ep.address().is_v6()) {
            acceptor.set_option(net::ip::v6_only(true), ec);
        }
        acceptor.bind(ep, ec);
        if (ec) {
            throw std::runtime_error("cannot bind " + ep.address().to_string() + ":" +
                                     std::to_string(ep.port()) + ": " + ec.message());
        }
        acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (ec) {
            throw std::runtime_error("cannot listen: " + ec.message());
        }
        port = acceptor.local_endpoint().port();
        s.acceptors.push_back(std::move(acceptor));
    }
    if (s.acceptors.empty()) {
        throw std::runtime_error("no address to listen on for " + s.opts.host);
    }
    s.port = port;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    s.blocking.emplace(s.opts.blocking_threads != 0 ? s.opts.blocking_threads
                                                    : std::max(1u, cores / 2));
    for (auto& acceptor : s.acceptors) {
        net::co_spawn(s.ioc, s.AcceptLoop(acceptor), net::detached);
    }
    const unsigned n = s.opts.threads == 0 ? 1 : s.opts.threads;
    for (unsigned i = 0; i < n; ++i) {
        s.threads.emplace_back([&s] { s.ioc.run(); });
    }
}

std::uint16_t HttpServer::Port() const {
    return impl_->port;
}

void HttpServer::Stop() {
    auto& s = *impl_;
    if (s.stopping.exchange(true)) {
        Wait();
        return;
    }
    net::post(s.ioc, [&s] {
        for (auto& a : s.acceptors) {
            beast::error_code ec;
            a.close(ec);
        }
    });
    // Let requests already being handled finish writing their answers (bounded wait).
    for (int i = 0; i < 200 && s.busy.load() > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    s.ioc.stop();
    for (auto& t : s.threads) {
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) {
            t.join();
        }
    }
    if (s.blocking) {
        s.blocking->stop();
        s.blocking->join();
    }
    {
        std::lock_guard lock(s.mu);
        s.stopped = true;
    }
    s.cv.notify_all();
}

void HttpServer::Wait() {
    auto& s = *impl_;
    std::unique_lock lock(s.mu);
    s.cv.wait(lock, [&s] { return s.stopped; });
}

int HttpServer::RunUntilSignal() {
    net::io_context sig_ioc;
    net::signal_set signals(sig_ioc, SIGINT, SIGTERM);
    int received = 0;
    signals.async_wait([&](const beast::error_code& ec, int sig) {
        if (!ec) {
            received = sig;
        }
    });
    sig_ioc.run();
    Stop();
    return received;
}

}  // namespace sfkit::server
