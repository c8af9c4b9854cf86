// `sfkit serve`: run a local org until SIGINT/SIGTERM.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <thread>

#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commands.hpp"
#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"

namespace sfkit::cli {

unsigned ServeThreads(unsigned requested) {
    return requested != 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
}

namespace {

/// Binds (and at once releases) host:port as the server will, so that a port already in use
/// fails before the org is opened or created (no credentials generated, no "ready" line).
/// Empty when the port is free (or 0: any port), else why not.
std::string ProbePort(const std::string& host, std::uint16_t port) {
    if (port == 0) {
        return {};
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        return "cannot resolve " + host + ": " + gai_strerror(rc);
    }
    std::string failure;
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        const int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) {
            continue;
        }
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        const bool bound = bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1) == 0;
        const int err = errno;
        close(fd);
        if (bound) {
            failure.clear();
            break;
        }
        failure = std::strerror(err);
    }
    freeaddrinfo(found);
    if (failure.empty()) {
        return {};
    }
    return "cannot listen on " + host + ":" + service + ": " + failure +
           " (is another server running there? pick another --port, or 0 for any free one)";
}

}  // namespace

int RunServe(const ServeOptions& options) {
    spdlog::set_level(spdlog::level::from_str(options.log_level));
    if (const std::string busy = ProbePort(options.host, options.port); !busy.empty()) {
        std::fprintf(stderr, "sfkit serve: %s\n", busy.c_str());
        return kExitError;
    }
    try {
        server::LocalOrgOptions org_options = options.org;
        org_options.bulk_lease = std::chrono::milliseconds(options.bulk_lease_ms);
        org_options.bulk_poll = std::chrono::milliseconds(options.bulk_poll_ms);
        server::LocalOrg org(org_options);
        const auto& creds = org.Credentials();
        if (creds.created) {
            std::printf(
                "New local org %s created. These credentials are shown once%s:\n"
                "  username:        %s\n  password:        %s\n  security token:  %s\n"
                "  consumer key:    %s\n  consumer secret: %s\n",
                org.Org().org_id.c_str(),
                creds.credentials_file.empty()
                    ? ""
                    : (" and saved to " + creds.credentials_file).c_str(),
                creds.username.c_str(),
                creds.password.c_str(),
                creds.security_token.c_str(),
                creds.consumer_key.c_str(),
                creds.consumer_secret.c_str());
        }
        server::HttpServerOptions http;
        http.host = options.host;
        http.port = options.port;
        http.threads = ServeThreads(options.threads);
        http.write_threads = options.write_threads;
        http.header_timeout = std::chrono::seconds(options.header_timeout_seconds);
        http.keep_alive_timeout = std::chrono::seconds(options.keep_alive_timeout_seconds);
        http.max_connections = options.max_connections;
        http.tls_cert_file = options.tls_cert;
        http.tls_key_file = options.tls_key;
        http.body_to_file = org.BodyFileTargets();
        server::HttpServer srv(http, [&org](const server::Request& r) { return org.Handle(r); });
        srv.Start();
        const bool tls = !options.tls_cert.empty();
        std::printf("sfkit local org ready at %s://%s:%u\n",
                    tls ? "https" : "http",
                    options.host.c_str(),
                    static_cast<unsigned>(srv.Port()));
        std::fflush(stdout);
        spdlog::info("{} I/O threads", http.threads);
        const int sig = srv.RunUntilSignal();
        spdlog::info("received signal {}, local org stopped", sig);
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sfkit serve: %s\n", e.what());
        return kExitError;
    }
}

}  // namespace sfkit::cli
