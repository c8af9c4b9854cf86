// A tiny blocking HTTP/1.1 client over a raw socket, for wire-level tests that must control
// every byte sent (chunked bodies, oversized headers, garbage). Not a general client.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::test {

struct RawResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Value of the first header with that name (case-insensitive), or "".
    std::string Header(std::string_view name) const;
};

class RawConnection {
public:
    explicit RawConnection(std::uint16_t port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void Send(std::string_view bytes);
    /// Reads one response (Content-Length or chunked or until close). `head`: no body expected.
    RawResponse Read(bool head = false);
    RawResponse Exchange(std::string_view request, bool head = false) {
        Send(request);
        return Read(head);
    }
    /// Reads one response with a Content-Length body, handing the body to `sink` as it arrives
    /// (never held whole: for downloads whose memory a test bounds); the result's body is empty.
    RawResponse ReadTo(const std::function<void(std::string_view)>& sink);
    /// True once the peer has closed (or reset) the connection; waits up to `wait_ms` for it.
    bool Closed(int wait_ms = 2000);

private:
    bool Fill();
    int fd_ = -1;
    std::string buf_;
};

}  // namespace sfkit::test

namespace sfkit::test {

/// One request on a fresh connection: adds Host, Content-Length (when a body is given) and
/// Connection: close. `headers` are "Name: value" lines without CRLF.
RawResponse Fetch(std::uint16_t port,
                  std::string_view method,
                  std::string_view target,
                  const std::vector<std::string>& headers = {},
                  std::string_view body = {});

}  // namespace sfkit::test
