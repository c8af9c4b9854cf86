// The web-server flow's redirect target for command-line tools (RFC 8252 §7.3): a tiny HTTP
// listener on the loopback interface that receives the browser's redirect to
// `http://localhost:PORT/OauthRedirect?code=...&state=...`, answers it with a page saying the
// window may be closed, and hands the code back. Plain sockets, one request at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "sfkit/core/error.hpp"

namespace sfkit::client {

/// Not thread-safe: one thread waits on it.
class LoopbackListener {
public:
    /// Listens on 127.0.0.1 (and on ::1 when the machine has IPv6) at `port`; 0 picks a free
    /// port (the same on both). kIo PORT_IN_USE when the port is taken.
    static Result<LoopbackListener> Open(std::uint16_t port, std::string path = "/OauthRedirect");

    LoopbackListener(LoopbackListener&& other) noexcept;
    LoopbackListener& operator=(LoopbackListener&& other) noexcept;
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;
    ~LoopbackListener();

    std::uint16_t Port() const noexcept { return port_; }
    /// `http://localhost:<port><path>`: the redirect URI to register and send.
    std::string RedirectUri() const;

    /// Serves requests until the redirect arrives at the path (other paths get a 404 and are
    /// ignored) and answers the browser with a small page. Returns the `code`. Errors:
    /// kAuth STATE_MISMATCH when `state` differs from `expected_state` (the code is not used);
    /// kAuth with the redirect's `error` (e.g. `access_denied`) and `error_description`;
    /// kProtocol when the redirect has neither; kTimeout LOGIN_TIMEOUT after `timeout`.
    Result<std::string> WaitForCode(std::string_view expected_state,
                                    std::chrono::milliseconds timeout);

private:
    LoopbackListener() = default;
    void Close() noexcept;

    int fd4_ = -1;
    int fd6_ = -1;
    std::uint16_t port_ = 0;
    std::string path_;
};

}  // namespace sfkit::client
