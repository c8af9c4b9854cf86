// Blocking socket client used by the wire-level tests.
#include "support/raw_http.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sfkit::test {
namespace {
bool IEq(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}
}  // namespace

std::string RawResponse::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (IEq(k, name))
            return v;
    }
    return "";
}

RawConnection::RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("connect failed");
    }
}

RawConnection::~RawConnection() {
    if (fd_ >= 0)
        ::close(fd_);
}

void RawConnection::Send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return;  // the server may have closed; the read will tell
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool RawConnection::Fill() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0)
        return false;
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0)
        return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
}

bool RawConnection::Closed(int wait_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, wait_ms) <= 0)
        return false;
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK);
    return n == 0 || (n < 0 && errno == ECONNRESET);
}

RawResponse RawConnection::ReadTo(const std::function<void(std::string_view)>& sink) {
    RawResponse r = Read(true);
    const std::string cl = r.Header("Content-Length");
    std::size_t left = cl.empty() ? 0 : std::stoul(cl);
    while (left > 0) {
        if (buf_.empty() && !Fill()) {
            break;
        }
        const std::size_t k = std::min(left, buf_.size());
        sink(std::string_view(buf_.data(), k));
        buf_.erase(0, k);
        left -= k;
    }
    return r;
}

RawResponse RawConnection::Read(bool head) {
    RawResponse r;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill())
            return r;
    }
    const std::string head_block = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    std::size_t pos = head_block.find("\r\n");
    const std::string status_line = head_block.substr(0, pos);
    const auto sp = status_line.find(' ');
    r.status = std::atoi(status_line.c_str() + sp + 1);
    while (pos != std::string::npos && pos < head_block.size()) {
        const std::size_t next = head_block.find("\r\n", pos + 2);
        const std::string line = head_block.substr(
            pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string v = line.substr(colon + 1);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            r.headers.emplace_back(line.substr(0, colon), v);
        }
        pos = next;
    }
    if (head || r.status == 100 || r.status == 204 || r.status == 304)
        return r;
    const std::string te = r.Header("Transfer-Encoding");
    if (IEq(te, "chunked")) {
        for (;;) {
            std::size_t le;
            while ((le = buf_.find("\r\n")) == std::string::npos) {
                if (!Fill())
                    return r;
            }
            const std::size_t size = std::stoul(buf_.substr(0, le), nullptr, 16);
            while (buf_.size() < le + 2 + size + 2) {
                if (!Fill())
                    return r;
            }
            r.body.append(buf_, le + 2, size);
            buf_.erase(0, le + 2 + size + 2);
            if (size == 0)
                break;
        }
        return r;
    }
    const std::string cl = r.Header("Content-Length");
    if (!cl.empty()) {
        const std::size_t len = std::stoul(cl);
        while (buf_.size() < len) {
            if (!Fill())
                break;
        }
        r.body = buf_.substr(0, len);
        buf_.erase(0, std::min(len, buf_.size()));
        return r;
    }
    while (Fill()) {
    }
    r.body = std::move(buf_);
    buf_.clear();
    return r;
}

}  // namespace sfkit::test

namespace sfkit::test {

RawResponse Fetch(std::uint16_t port,
                  std::string_view method,
                  std::string_view target,
                  const std::vector<std::string>& headers,
                  std::string_view body) {
    std::string req;
    req.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:");
    req += std::to_string(port) + "\r\nConnection: close\r\n";
    for (const auto& h : headers) {
        req += h + "\r\n";
    }
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n";
    req.append(body);
    RawConnection c(port);
    return c.Exchange(req, method == "HEAD");
}

}  // namespace sfkit::test
