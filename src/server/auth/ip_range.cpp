// IP address and range parsing on top of inet_pton/inet_ntop.
#include "server/auth/ip_range.hpp"

#include <charconv>
#include <cstring>

#include <arpa/inet.h>

namespace sfkit::server {
namespace {

constexpr std::array<unsigned char, 12> kV4MappedPrefix = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

void SetError(std::string* error, std::string message) {
    if (error != nullptr) {
        *error = std::move(message);
    }
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
    const auto zone = text.find('%');
    if (zone != std::string_view::npos) {
        text = text.substr(0, zone);
    }
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    if (text.empty() || text.size() > 45) {
        return std::nullopt;
    }
    const std::string s(text);
    IpAddress ip;
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), ip.bytes.begin());
        std::memcpy(ip.bytes.data() + 12, &v4, 4);
        return ip;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(ip.bytes.data(), &v6, 16);
        return ip;
    }
    return std::nullopt;
}

bool IpAddress::IsV4() const {
    return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

std::string IpAddress::ToString() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (IsV4()) {
        inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    }
    return buf;
}

std::optional<IpRange> IpRange::ParseCidr(std::string_view text, std::string* error) {
    const auto slash = text.find('/');
    const auto addr = IpAddress::Parse(text.substr(0, slash));
    if (!addr) {
        SetError(error, "'" + std::string(text) + "' is not an IP address or CIDR block");
        return std::nullopt;
    }
    if (slash == std::string_view::npos) {
        return IpRange{*addr, *addr};
    }
    const std::string_view len_text = text.substr(slash + 1);
    int prefix = -1;
    const auto r = std::from_chars(len_text.data(), len_text.data() + len_text.size(), prefix);
    const int max_prefix = addr->IsV4() ? 32 : 128;
    if (len_text.empty() || r.ec != std::errc() || r.ptr != len_text.data() + len_text.size() ||
        prefix < 0 || prefix > max_prefix) {
        SetError(error,
                 "'" + std::string(text) + "' has a bad prefix length (0-" +
                     std::to_string(max_prefix) + ")");
        return std::nullopt;
    }
    // Work on the 128-bit form: IPv4 prefixes count from bit 96.
    const int bits = addr->IsV4() ? prefix + 96 : prefix;
    IpRange range{*addr, *addr};
    for (int bit = bits; bit < 128; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const auto mask = static_cast<unsigned char>(0x80u >> (bit % 8));
        range.start.bytes[byte] = static_cast<unsigned char>(range.start.bytes[byte] & ~mask);
        range.end.bytes[byte] = static_cast<unsigned char>(range.end.bytes[byte] | mask);
    }
    return range;
}

std::optional<IpRange> IpRange::FromStartEnd(std::string_view start,
                                             std::string_view end,
                                             std::string* error) {
    const auto s = IpAddress::Parse(start);
    const auto e = IpAddress::Parse(end);
    if (!s || !e) {
        SetError(error, "'" + std::string(!s ? start : end) + "' is not an IP address");
        return std::nullopt;
    }
    if (s->IsV4() != e->IsV4()) {
        SetError(error,
                 "start " + std::string(start) + " and end " + std::string(end) +
                     " are of different address families");
        return std::nullopt;
    }
    if (*e < *s) {
        SetError(error, "start " + std::string(start) + " is after end " + std::string(end));
        return std::nullopt;
    }
    return IpRange{*s, *e};
}

std::string IpRange::ToString() const {
    return start.ToString() + "-" + end.ToString();
}

bool IpInRanges(std::string_view ip_text, const std::vector<IpRange>& ranges) {
    if (ranges.empty()) {
        return false;
    }
    const auto ip = IpAddress::Parse(ip_text);
    if (!ip) {
        return false;
    }
    for (const auto& r : ranges) {
        if (r.Contains(*ip)) {
            return true;
        }
    }
    return false;
}

std::string JoinRanges(const std::vector<IpRange>& ranges) {
    std::string out;
    for (const auto& r : ranges) {
        if (!out.empty()) {
            out += ';';
        }
        out += r.ToString();
    }
    return out;
}

std::vector<IpRange> SplitRanges(std::string_view text) {
    std::vector<IpRange> out;
    while (!text.empty()) {
        const auto semi = text.find(';');
        const std::string_view item = text.substr(0, semi);
        text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
        // IPv6 addresses contain no '-', so the dash splits unambiguously.
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            continue;
        }
        if (auto r = IpRange::FromStartEnd(item.substr(0, dash), item.substr(dash + 1))) {
            out.push_back(*r);
        }
    }
    return out;
}

}  // namespace sfkit::server
