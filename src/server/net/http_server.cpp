// Boost.Beast implementation of HttpServer: accept loop, per-connection coroutine, limits,
// keep-alive, 100-continue, optional TLS. The only translation unit that includes Beast/Asio.
#include "server/net/http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
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
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include "server/net/request_reader.hpp"

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

/// The Date header's value, formatted at most once a second on each thread.
const std::string& CachedHttpDate() {
    thread_local std::time_t formatted_at = -1;
    thread_local std::string text;
    const std::time_t now = std::time(nullptr);
    if (now != formatted_at) {
        text = HttpDate();
        formatted_at = now;
    }
    return text;
}

/// Whether a response with this status has a body (RFC 9110 6.4.1: 1xx, 204 and 304 do not).
bool HasBody(int status) {
    return status / 100 != 1 && status != 204 && status != 304;
}

/// A response's status line and header block, written into one buffer that goes out with the
/// body in one gather write. Beast's serializer walked a chain of buffer views per response
/// (perf, same-stack static server: ~12 % of its samples in buffers_cat/basic_fields writer
/// iterators). Same header order and framing as Beast's prepare_payload and keep_alive gave:
/// Date, the handler's headers, Connection when needed, Content-Length (none on 1xx, 204, 304,
/// which never carry a body). `content_length` is the whole body's (Response::body and any
/// Response::body_files regions).
std::string SerializeHead(const Response& resp,
                          bool keep_alive,
                          unsigned version,
                          std::uint64_t content_length) {
    const auto status = static_cast<unsigned>(resp.status);
    std::string out;
    std::size_t size = 160;
    for (const auto& h : resp.headers) {
        size += h.name.size() + h.value.size() + 4;
    }
    out.reserve(size);
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(status);
    out += ' ';
    const auto reason = http::obsolete_reason(static_cast<http::status>(status));
    out.append(reason.data(), reason.size());
    out += "\r\nDate: ";
    out += CachedHttpDate();
    out += "\r\n";
    for (const auto& h : resp.headers) {
        out += h.name;
        out += ": ";
        out += h.value;
        out += "\r\n";
    }
    if (version == 10 && keep_alive) {
        out += "Connection: keep-alive\r\n";
    } else if (version != 10 && !keep_alive) {
        out += "Connection: close\r\n";
    }
    if (HasBody(resp.status)) {
        out += "Content-Length: ";
        out += std::to_string(content_length);
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

/// Bytes asked of the socket per read.
constexpr std::size_t kReadChunk = 16 * 1024;
/// Piece of a Response::body_files region read and written at a time.
constexpr std::size_t kFileChunk = 64 * 1024;
/// Accept back-off when the process is out of descriptors (EMFILE/ENFILE) or socket memory:
/// the pending connection stays in the listen backlog, and retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptBackoffMin{5};
constexpr std::chrono::milliseconds kAcceptBackoffMax{500};
/// How often the accept loop looks again while at the connection cap.
constexpr std::chrono::milliseconds kCapRecheck{20};

bool OutOfResources(const beast::error_code& ec) {
    return ec == net::error::no_descriptors ||
           ec == boost::system::errc::too_many_files_open_in_system ||
           ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

/// Runs a handler's deferred blocking work; co_spawned on the blocking pool.
net::awaitable<Response> RunDeferred(std::function<Response()> work) {
    co_return work();
}

/// Runs a handler that waits for a commit; co_spawned on the write pool. `req` lives in the
/// awaiting session's frame, which stays suspended until this ends.
net::awaitable<Response> RunWaiting(std::function<Response(const Request&)> work,
                                    const Request* req) {
    co_return work(*req);
}

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions opts;
    HttpHandler handler;
    net::io_context ioc;
    std::optional<net::thread_pool> blocking;  // after ioc: joined and destroyed before it
    std::optional<net::thread_pool> writes;    // likewise
    std::optional<net::ssl::context> ssl;
    std::vector<tcp::acceptor> acceptors;
    std::vector<std::thread> threads;
    std::atomic<bool> stopping{false};
    std::atomic<int> busy{0};  // requests between "headers read" and "response written"
    std::atomic<std::size_t> connections{0};  // open connections (accepted, not yet ended)
    std::size_t max_connections = 0;
    std::uint16_t port = 0;
    std::mutex mu;
    std::condition_variable cv;
    bool stopped = false;

    Impl(HttpServerOptions o, HttpHandler h)
        : opts(std::move(o)), handler(std::move(h)), ioc(static_cast<int>(opts.threads)) {}

    template <class Stream>
    net::awaitable<bool> Write(
        Stream& stream, Response resp, bool keep_alive, bool head, unsigned version) {
        if (!resp.body_files.empty()) {
            co_return co_await WriteWithFiles(stream, std::move(resp), keep_alive, head, version);
        }
        const std::string header = SerializeHead(resp, keep_alive, version, resp.body.size());
        const bool body = !head && HasBody(resp.status);
        const std::array<net::const_buffer, 2> buffers{
            net::buffer(header), net::buffer(body ? std::string_view(resp.body) : "")};
        auto [ec, n] = co_await net::async_write(stream, buffers, kTuple);
        co_return !ec;
    }

    /// A response whose body ends in file regions (Response::body_files): the header with the
    /// whole Content-Length, `body`, then each region read and written kFileChunk at a time, so
    /// a download of any size holds one buffer. A region that reads short (its file was cut
    /// meanwhile) cannot keep the promised length: the connection ends.
    template <class Stream>
    net::awaitable<bool> WriteWithFiles(
        Stream& stream, Response resp, bool keep_alive, bool head, unsigned version) {
        std::uint64_t length = resp.body.size();
        for (const auto& f : resp.body_files) {
            length += f->Length();
        }
        const std::string header = SerializeHead(resp, keep_alive, version, length);
        const bool body = !head && HasBody(resp.status);
        const std::array<net::const_buffer, 2> buffers{
            net::buffer(header), net::buffer(body ? std::string_view(resp.body) : "")};
        if (auto [ec, n] = co_await net::async_write(stream, buffers, kTuple); ec || !body) {
            co_return !ec;
        }
        std::string buf(kFileChunk, '\0');
        for (const auto& f : resp.body_files) {
            for (std::uint64_t done = 0; done < f->Length();) {
                const auto want = std::min<std::uint64_t>(buf.size(), f->Length() - done);
                const ssize_t got = ::pread(f->Fd(),
                                            buf.data(),
                                            static_cast<std::size_t>(want),
                                            static_cast<off_t>(f->Offset() + done));
                if (got < 0 && errno == EINTR) {
                    continue;
                }
                if (got <= 0) {
                    co_return false;
                }
                beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
                auto [ec, n] = co_await net::async_write(
                    stream, net::buffer(buf.data(), static_cast<std::size_t>(got)), kTuple);
                if (ec) {
                    co_return false;
                }
                done += static_cast<std::uint64_t>(got);
            }
        }
        co_return true;
    }

    template <class Stream>
    net::awaitable<bool> WriteContinue(Stream& stream, unsigned version) {
        http::response<http::empty_body> cont{http::status::continue_, version};
        auto [ec, n] = co_await http::async_write(stream, cont, kTuple);
        co_return !ec;
    }

    /// Reads requests off one connection and answers them until it closes, fails or times
    /// out. Deadlines (beast::tcp_stream closes the socket when one passes): a request's
    /// header must be complete within header_timeout of the connection's start (first
    /// request) or of its own first byte (later requests); between requests the connection
    /// may idle for keep_alive_timeout; a body must make progress every header_timeout; an
    /// answer must be written within write_timeout.
    template <class Stream>
    net::awaitable<void> Session(Stream& stream, std::string remote_ip, bool secure) {
        auto& socket_layer = beast::get_lowest_layer(stream);
        const RequestLimits limits{opts.max_header_bytes,
                                   opts.max_body_bytes,
                                   opts.body_to_file ? &opts.body_to_file : nullptr};
        std::string pending;  // received, not yet consumed by a request
        std::string chunk(kReadChunk, '\0');
        for (bool first = true;; first = false) {
            RequestReader reader(limits);
            bool started = !pending.empty();
            socket_layer.expires_after(first || started ? opts.header_timeout
                                                        : opts.keep_alive_timeout);
            bool in_body = false;
            for (;;) {
                pending.erase(0, reader.Feed(pending));
                if (reader.Done() || reader.Failed()) {
                    break;
                }
                if (reader.HeaderDone() && !in_body) {
                    in_body = true;
                    if (reader.ExpectsContinue()) {
                        socket_layer.expires_after(opts.write_timeout);
                        if (!co_await WriteContinue(stream, reader.Version())) {
                            co_return;
                        }
                    }
                    socket_layer.expires_after(opts.header_timeout);
                }
                auto [ec, n] = co_await stream.async_read_some(net::buffer(chunk), kTuple);
                if (ec) {
                    if (ec != net::error::eof && ec != net::ssl::error::stream_truncated) {
                        co_return;  // timeout, reset: nobody to answer
                    }
                    reader.FeedEof();
                    break;
                }
                pending.append(chunk.data(), n);
                if (in_body || (!started && !first)) {
                    socket_layer.expires_after(opts.header_timeout);
                }
                started = true;
            }
            if (reader.Failed()) {
                if (reader.Answer()) {
                    socket_layer.expires_after(opts.write_timeout);
                    co_await Write(stream, *reader.Answer(), false, false, reader.Version());
                }
                co_return;
            }
            if (stopping.load()) {
                co_return;
            }
            busy.fetch_add(1);
            struct BusyGuard {
                std::atomic<int>& b;
                ~BusyGuard() { b.fetch_sub(1); }
            } guard{busy};

            const unsigned version = reader.Version();
            const bool keep_alive = reader.KeepAlive() && !stopping.load();
            const bool head = reader.IsHead();
            Response resp;
            try {
                const Request req = reader.Take(remote_ip, secure);
                resp = handler(req);
                if (resp.waits_for_commit) {
                    // A write waits for its commit on the write pool; this I/O thread moves on.
                    resp =
                        co_await net::co_spawn(*writes,
                                               RunWaiting(std::move(resp.waits_for_commit), &req),
                                               net::use_awaitable);
                }
                if (resp.deferred) {
                    // Blocking work waits on the bounded pool; this I/O thread moves on.
                    resp = co_await net::co_spawn(
                        *blocking, RunDeferred(std::move(resp.deferred)), net::use_awaitable);
                }
            } catch (const std::exception& e) {
                spdlog::error("handler threw: {}", e.what());
                resp = FrameworkError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred.");
            }
            socket_layer.expires_after(opts.write_timeout);
            if (!co_await Write(stream, std::move(resp), keep_alive, head, version) ||
                !keep_alive) {
                co_return;
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
        beast::get_lowest_layer(stream).expires_after(opts.header_timeout);
        auto [hec] = co_await stream.async_handshake(net::ssl::stream_base::server, kTuple);
        if (hec) {
            co_return;
        }
        co_await Session(stream, ip, true);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
        co_await stream.async_shutdown(kTuple);
    }

    /// Runs one connection, counted against max_connections while it lives.
    net::awaitable<void> Connection(tcp::socket socket) {
        struct Count {
            std::atomic<std::size_t>& n;
            ~Count() { n.fetch_sub(1); }
        } count{connections};
        if (ssl) {
            co_await TlsConnection(std::move(socket));
        } else {
            co_await PlainConnection(std::move(socket));
        }
    }

    net::awaitable<void> Pause(net::steady_timer& timer, std::chrono::milliseconds how_long) {
        timer.expires_after(how_long);
        co_await timer.async_wait(kTuple);
    }

    net::awaitable<void> AcceptLoop(tcp::acceptor& acceptor) {
        net::steady_timer timer(co_await net::this_coro::executor);
        auto backoff = kAcceptBackoffMin;
        bool short_of_descriptors = false;
        for (;;) {
            if (connections.load() >= max_connections) {
                // At the cap: new clients wait in the listen backlog until a connection ends.
                co_await Pause(timer, kCapRecheck);
                if (!acceptor.is_open() || stopping.load()) {
                    co_return;
                }
                continue;
            }
            auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), kTuple);
            if (ec) {
                if (!acceptor.is_open() || stopping.load()) {
                    co_return;
                }
                if (OutOfResources(ec)) {
                    // Retrying at once would spin (the connection stays pending): wait, longer
                    // each time, while the connections already open go on being served.
                    if (!short_of_descriptors) {
                        spdlog::warn("cannot accept connections ({}); {} open, retrying",
                                     ec.message(),
                                     connections.load());
                        short_of_descriptors = true;
                    }
                    co_await Pause(timer, backoff);
                    backoff = std::min(backoff * 2, kAcceptBackoffMax);
                }
                continue;  // other errors belong to the one connection (e.g. ECONNABORTED)
            }
            backoff = kAcceptBackoffMin;
            short_of_descriptors = false;
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
            connections.fetch_add(1);
            net::co_spawn(exec, Connection(std::move(socket)), on_done);
        }
    }
};

namespace {

/// The default connection cap: what the descriptor limit leaves after a reserve for the
/// database, logs and the process itself.
std::size_t AutoMaxConnections() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) {
        return 65536;
    }
    const auto soft = static_cast<std::size_t>(std::min<rlim_t>(lim.rlim_cur, 1u << 20));
    return soft > 128 ? soft - 64 : std::max<std::size_t>(soft / 2, 1);
}

}  // namespace

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
    s.max_connections = s.opts.max_connections != 0 ? s.opts.max_connections : AutoMaxConnections();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    s.blocking.emplace(s.opts.blocking_threads != 0 ? s.opts.blocking_threads
                                                    : std::max(1u, cores / 2));
    s.writes.emplace(s.opts.write_threads != 0 ? s.opts.write_threads
                                               : HttpServerOptions::kDefaultWriteThreads);
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
    for (auto* pool : {&s.blocking, &s.writes}) {
        if (*pool) {
            (*pool)->stop();
            (*pool)->join();
        }
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
