// Salesforce record ids: 15-char case-sensitive and 18-char case-insensitive forms.
// Pure value type, no I/O; used by both the client and the local org.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sfkit/core/error.hpp"

namespace sfkit {

/// A syntactically valid Salesforce id, always held in its 18-char form.
class Id {
public:
    /// Parses a 15- or 18-char id. Fails (kInvalidArgument, code MALFORMED_ID) when the length is
    /// wrong, a character is outside [0-9A-Za-z], or an 18-char id has a wrong checksum suffix.
    /// An 18-char id whose suffix differs only in letter case is accepted (the suffix is
    /// case-insensitive by design) and normalised.
    static Result<Id> Parse(std::string_view text);

    /// True when `text` would parse.
    static bool IsValid(std::string_view text);

    /// The 3-char checksum suffix of a 15-char id (no validation of the alphabet).
    static std::string Suffix(std::string_view id15);

    /// Builds an id from a 3-char key prefix, a 2-char pod, and a record counter that is written
    /// in base 62 into the last 9 chars (a `0` sits between pod and counter, as real ids have).
    /// Counter must be < 62^9.
    static Id Make(std::string_view key_prefix, std::string_view pod, std::uint64_t counter);

    const std::string& Str18() const noexcept { return id18_; }
    std::string_view Str15() const noexcept { return std::string_view(id18_).substr(0, 15); }
    std::string_view KeyPrefix() const noexcept { return std::string_view(id18_).substr(0, 3); }

    friend bool operator==(const Id& a, const Id& b) noexcept { return a.id18_ == b.id18_; }
    friend auto operator<=>(const Id& a, const Id& b) noexcept { return a.id18_ <=> b.id18_; }

private:
    explicit Id(std::string id18) : id18_(std::move(id18)) {}
    std::string id18_;
};

}  // namespace sfkit
