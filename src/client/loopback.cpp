#include "sfkit/client/loopback.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec/form.hpp"
#include "codec/utf8.hpp"

namespace sfkit::client {

namespace {

using Clock = std::chrono::steady_clock;

/// The page the browser shows after the redirect: readable on any screen, no external assets.
std::string Page(std::string_view heading, std::string_view text) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>sfkit login</title><style>body{margin:0;padding:2rem 1rem;"
           "font:16px/1.5 system-ui,sans-serif;color:#181818;background:#f3f3f3}"
           "main{max-width:30rem;margin:0 auto;padding:1.5rem;background:#fff;"
           "border:1px solid #c9c9c9;border-radius:.5rem}h1{font-size:1.375rem;margin:0 0 .5rem}"
           "</style></head>\n<body><main><h1>" +
           codec::EscapeMarkup(heading) + "</h1><p>" + codec::EscapeMarkup(text) +
           "</p></main></body></html>\n";
}

void SendAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

void Answer(int fd, int status, std::string_view reason, const std::string& body) {
    SendAll(fd,
            "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
                "Connection: close\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
}

/// The request head of one connection (up to 16 KiB, a few seconds at most), or "".
std::string ReadHead(int fd) {
    std::string head;
    const auto until = Clock::now() + std::chrono::seconds(5);
    char buf[2048];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0) {
            return {};
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
            return {};
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            return head.find('\n') == std::string::npos ? std::string() : head;
        }
        head.append(buf, static_cast<std::size_t>(n));
    }
    return head;
}

/// The decoded value of `name` in a query string; nullopt when absent or the query is malformed.
std::optional<std::string> QueryValue(std::string_view query, std::string_view name) {
    const auto pairs = codec::ParseForm(query);
    if (!pairs) {
        return std::nullopt;
    }
    for (const auto& [k, v] : *pairs) {
        if (k == name) {
            return v;
        }
    }
    return std::nullopt;
}

int Listen(int family, std::uint16_t port, std::uint16_t* bound) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc = -1;
    if (family == AF_INET) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        a.sin6_addr = in6addr_loopback;
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    if (rc != 0 || ::listen(fd, 16) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    *bound = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                     : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return fd;
}

}  // namespace

Result<LoopbackListener> LoopbackListener::Open(std::uint16_t port, std::string path) {
    LoopbackListener l;
    l.path_ = std::move(path);
    l.fd4_ = Listen(AF_INET, port, &l.port_);
    if (l.fd4_ < 0) {
        const int saved = errno;
        return MakeError(ErrorKind::kIo,
                         saved == EADDRINUSE ? "PORT_IN_USE" : "LISTEN_FAILED",
                         "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(saved) +
                             (saved == EADDRINUSE ? " (another login running? try --port)" : ""));
    }
    // "localhost" may resolve to ::1 first; listen there too when the machine has IPv6.
    std::uint16_t port6 = 0;
    l.fd6_ = Listen(AF_INET6, l.port_, &port6);
    return l;
}

LoopbackListener::LoopbackListener(LoopbackListener&& other) noexcept
    : fd4_(std::exchange(other.fd4_, -1)),
      fd6_(std::exchange(other.fd6_, -1)),
      port_(other.port_),
      path_(std::move(other.path_)) {}

LoopbackListener& LoopbackListener::operator=(LoopbackListener&& other) noexcept {
    if (this != &other) {
        Close();
        fd4_ = std::exchange(other.fd4_, -1);
        fd6_ = std::exchange(other.fd6_, -1);
        port_ = other.port_;
        path_ = std::move(other.path_);
    }
    return *this;
}

LoopbackListener::~LoopbackListener() {
    Close();
}

void LoopbackListener::Close() noexcept {
    for (int* fd : {&fd4_, &fd6_}) {
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
    }
}

std::string LoopbackListener::RedirectUri() const {
    return "http://localhost:" + std::to_string(port_) + path_;
}

Result<std::string> LoopbackListener::WaitForCode(std::string_view expected_state,
                                                  std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return MakeError(ErrorKind::kTimeout,
                             "LOGIN_TIMEOUT",
                             "no browser came back to " + RedirectUri() + " in time");
        }
        std::vector<pollfd> fds;
        for (int fd : {fd4_, fd6_}) {
            if (fd >= 0) {
                fds.push_back({fd, POLLIN, 0});
            }
        }
        const int ready =
            ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) {
            return MakeError(ErrorKind::kIo, "LISTEN_FAILED", std::strerror(errno));
        }
        for (const pollfd& p : fds) {
            if ((p.revents & POLLIN) == 0) {
                continue;
            }
            const int conn = ::accept4(p.fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (conn < 0) {
                continue;
            }
            const std::string head = ReadHead(conn);
            // "GET /OauthRedirect?code=...&state=... HTTP/1.1"
            const auto sp1 = head.find(' ');
            const auto sp2 = sp1 == std::string::npos ? sp1 : head.find(' ', sp1 + 1);
            if (sp2 == std::string::npos) {
                ::close(conn);
                continue;
            }
            const std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
            const auto qm = target.find('?');
            const std::string path = target.substr(0, qm);
            const std::string_view query = qm == std::string::npos
                                               ? std::string_view()
                                               : std::string_view(target).substr(qm + 1);
            if (head.compare(0, sp1, "GET") != 0 || path != path_) {
                Answer(
                    conn, 404, "Not Found", Page("Not found", "This is sfkit's login listener."));
                ::close(conn);
                continue;
            }
            Result<std::string> outcome = std::string();
            const std::optional<std::string> state = QueryValue(query, "state");
            const std::string error = QueryValue(query, "error").value_or("");
            const std::string code = QueryValue(query, "code").value_or("");
            if (!state || *state != expected_state) {
                Answer(conn,
                       400,
                       "Bad Request",
                       Page("Login failed",
                            "The answer did not belong to the login sfkit started (state "
                            "mismatch). Run the login again."));
                outcome = MakeError(ErrorKind::kAuth,
                                    "STATE_MISMATCH",
                                    "the browser came back with a state that sfkit did not send; "
                                    "the code was not used");
            } else if (!error.empty()) {
                const std::string description = QueryValue(query, "error_description").value_or("");
                Answer(conn,
                       200,
                       "OK",
                       Page("Login not completed",
                            error + (description.empty() ? "" : ": " + description) +
                                ". You can close this window."));
                outcome = MakeError(ErrorKind::kAuth, error, description);
            } else if (code.empty()) {
                Answer(
                    conn, 400, "Bad Request", Page("Login failed", "The answer carried no code."));
                outcome = MakeError(ErrorKind::kProtocol,
                                    "NO_AUTHORIZATION_CODE",
                                    "the browser came back without a code or an error");
            } else {
                Answer(conn,
                       200,
                       "OK",
                       Page("Logged in", "sfkit has your login. You can close this window."));
                outcome = code;
            }
            ::close(conn);
            return outcome;
        }
    }
}

}  // namespace sfkit::client
