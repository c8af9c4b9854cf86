// Helpers on the plain HTTP structs: header lookup, query and form decoding.
#include "server/http/message.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sfkit::server {
namespace {

char Lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

const std::string* FindHeader(const std::vector<HttpHeader>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (IEquals(h.name, name)) {
            return &h.value;
        }
    }
    return nullptr;
}

}  // namespace

std::shared_ptr<const FileRegion> FileRegion::Open(const std::string& path,
                                                   std::uint64_t offset,
                                                   std::uint64_t length) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return nullptr;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < offset + length) {
        ::close(fd);
        return nullptr;
    }
    return std::shared_ptr<const FileRegion>(new FileRegion(fd, offset, length));
}

FileRegion::~FileRegion() {
    ::close(fd_);
}

BodyFile::~BodyFile() {
    if (owned_) {
        ::unlink(path_.c_str());
    }
}

bool BodyFile::MoveTo(const std::string& dest, std::string* error) {
    if (std::rename(path_.c_str(), dest.c_str()) != 0) {
        if (error != nullptr) {
            *error = std::strerror(errno);
        }
        return false;
    }
    owned_ = false;
    path_ = dest;
    return true;
}

bool IEquals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (Lower(a[i]) != Lower(b[i])) {
            return false;
        }
    }
    return true;
}

const std::string* Request::Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
}

const std::string* Response::Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
}

void Response::SetHeader(std::string_view name, std::string value) {
    for (auto& h : headers) {
        if (IEquals(h.name, name)) {
            h.value = std::move(value);
            return;
        }
    }
    headers.push_back({std::string(name), std::move(value)});
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
    auto pairs = ParseForm(query);
    if (!pairs) {
        return std::nullopt;
    }
    for (auto& [k, v] : *pairs) {
        if (k == name) {
            return std::move(v);
        }
    }
    return std::nullopt;
}

bool IsValidHostHeader(std::string_view host) noexcept {
    if (host.empty()) {
        return false;
    }
    std::string_view name = host;
    std::string_view port;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos || close == 1) {
            return false;
        }
        for (char c : host.substr(1, close - 1)) {
            const bool ok =
                std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        const std::string_view rest = host.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return false;
        }
        name = {};
        port = rest.empty() ? rest : rest.substr(1);
        if (!rest.empty() && port.empty()) {
            return false;
        }
    } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon + 1);
        if (name.empty() || port.empty()) {
            return false;
        }
    }
    for (char c : port) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    if (port.size() > 5) {
        return false;
    }
    static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=%";
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && kAllowed.find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

int TransferEncodingStatus(std::string_view value) noexcept {
    // Codings, comma-separated, with optional white space around each.
    std::vector<std::string_view> codings;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto comma = value.find(',', start);
        if (comma == std::string_view::npos) {
            comma = value.size();
        }
        std::string_view c = value.substr(start, comma - start);
        while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) {
            c.remove_prefix(1);
        }
        while (!c.empty() && (c.back() == ' ' || c.back() == '\t')) {
            c.remove_suffix(1);
        }
        if (!c.empty()) {
            codings.push_back(c);
        }
        start = comma + 1;
    }
    if (codings.empty() || !IEquals(codings.back(), "chunked")) {
        return 400;
    }
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
        if (IEquals(codings[i], "chunked")) {
            return 400;  // chunked applied twice
        }
    }
    return codings.size() == 1 ? 0 : 501;
}

std::string Request::BaseUrl(std::string_view fallback) const {
    const std::string* host = Header("Host");
    if (host == nullptr || host->empty()) {
        return std::string(fallback);
    }
    return std::string(secure ? "https://" : "http://") + *host;
}

}  // namespace sfkit::server
