// Trusted IP ranges (Salesforce "Network Access" / login IP ranges): parsing of start-end pairs
// and CIDR blocks, and membership tests. IPv4 addresses are held as IPv4-mapped IPv6 so that a
// peer seen as "::ffff:127.0.0.1" matches a range written as "127.0.0.1".
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::server {

/// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d), ordered numerically.
struct IpAddress {
    std::array<unsigned char, 16> bytes{};

    /// Parses dotted IPv4 or textual IPv6 (an IPv6 zone like "%eth0" is ignored).
    static std::optional<IpAddress> Parse(std::string_view text);
    bool IsV4() const;
    std::string ToString() const;

    friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

/// An inclusive range [start, end] of one address family.
struct IpRange {
    IpAddress start;
    IpAddress end;

    /// "10.0.0.0/8", "2001:db8::/32", or a single address (a range of one).
    /// Fails on a bad address or a prefix longer than the family allows.
    static std::optional<IpRange> ParseCidr(std::string_view text, std::string* error = nullptr);
    /// Two addresses of the same family with start <= end.
    static std::optional<IpRange> FromStartEnd(std::string_view start,
                                               std::string_view end,
                                               std::string* error = nullptr);

    bool Contains(const IpAddress& ip) const { return start <= ip && ip <= end; }
    /// "start-end", the form the org database stores.
    std::string ToString() const;
};

/// True when `ip_text` (a peer address as the HTTP layer reports it) is inside any range.
bool IpInRanges(std::string_view ip_text, const std::vector<IpRange>& ranges);

/// Serialises ranges as "start-end;start-end" and back (the database column format).
std::string JoinRanges(const std::vector<IpRange>& ranges);
std::vector<IpRange> SplitRanges(std::string_view text);

}  // namespace sfkit::server
