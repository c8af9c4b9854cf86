// The HTTP/1.1 listener of the local org: Boost.Beast coroutines on a thread pool.
// This header is Beast-free; only http_server.cpp includes Beast and Asio.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/http/message.hpp"

namespace sfkit::server {

struct HttpServerOptions {
    std::string host = "127.0.0.1";  ///< address or name to bind; every resolved address is bound
    std::uint16_t port = 8080;       ///< 0 picks a free port
    unsigned threads = 4;            ///< I/O threads running handlers
    /// Threads running handlers' deferred blocking work (Response::deferred: password hashing);
    /// 0 means half the cores, at least one.
    unsigned blocking_threads = 0;
    /// Threads running handlers that wait for a commit (Response::waits_for_commit: durable
    /// writes); they mostly sleep, so there are many: every write waiting at once can share the
    /// next commit. 0 means kDefaultWriteThreads.
    unsigned write_threads = 0;
    static constexpr unsigned kDefaultWriteThreads = 64;
    std::size_t max_header_bytes = 64 * 1024;       ///< beyond this: 431
    std::size_t max_body_bytes = 64 * 1024 * 1024;  ///< beyond this: 413
    /// Routes whose bodies stream to a file as they arrive, with their own limits (see
    /// RequestLimits::body_to_file); LocalOrg::BodyFileTargets() for the local org.
    BodyFileRoute body_to_file;
    /// A request's header must be complete within this of the connection's start (first
    /// request) or of its own first byte (later requests); a connection that sends nothing is
    /// closed after it. A body must also make progress at least this often.
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds keep_alive_timeout{60};  ///< idle limit between two requests
    std::chrono::seconds write_timeout{120};      ///< an answer must be written within this
    /// Open connections at most; beyond, new clients wait in the listen backlog.
    /// 0: derived from the descriptor limit (RLIMIT_NOFILE minus a reserve of 64, or half of
    /// it when that is 128 or less).
    std::size_t max_connections = 0;
    std::string tls_cert_file;  ///< PEM; TLS is on when both files are given
    std::string tls_key_file;
};

/// Synchronous request handler; runs on an I/O thread. Must not throw (wrap with a catch-all).
/// A handler that must block (hash a password) returns a Response with `deferred` set instead:
/// the server awaits it on the blocking pool, so the I/O thread serves other connections. One
/// that waits for a commit returns `waits_for_commit` set: the server calls it with the same
/// request on the write pool (and then runs its `deferred`, if any, on the blocking pool).
using HttpHandler = std::function<Response(const Request&)>;

/// An HTTP server. Start() binds and begins accepting; Stop() closes the listeners, lets running
/// handlers finish, and joins the threads. Safe to Stop() from a signal-watching thread.
class HttpServer {
public:
    HttpServer(HttpServerOptions options, HttpHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts the I/O threads. Throws std::runtime_error if binding fails.
    void Start();
    /// The bound port (useful with port 0). Valid after Start().
    std::uint16_t Port() const;
    /// Blocks until Stop() is called (from another thread or a signal) and the threads end.
    void Wait();
    /// Stops accepting, closes idle connections, joins the I/O threads. Idempotent.
    void Stop();
    /// Blocks until SIGINT or SIGTERM arrives, then stops. Returns the signal number.
    int RunUntilSignal();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::server
