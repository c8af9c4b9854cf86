// Cryptographic primitives of the identity side: CSPRNG strings, SHA-256, HMAC, Base64, argon2id
// password hashes and constant-time comparison. Thin wrappers over libsodium and OpenSSL so that
// no other file includes either.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfkit::server::crypto {

/// `n` bytes from the operating system's CSPRNG (libsodium randombytes).
std::string RandomBytes(std::size_t n);

/// A uniformly random integer in [lo, hi) from the CSPRNG. Requires lo < hi.
std::uint64_t RandomBetween(std::uint64_t lo, std::uint64_t hi);

/// `n` characters drawn uniformly (no modulo bias) from `alphabet` (2..256 distinct chars).
std::string RandomString(std::size_t n, std::string_view alphabet);

/// Lower-case hex SHA-256 of `data` (64 chars).
std::string Sha256Hex(std::string_view data);

/// Raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(std::string_view key, std::string_view message);

/// Standard Base64 with `=` padding.
std::string Base64Encode(std::string_view data);
/// Decodes standard Base64 (padding optional, no whitespace); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);

/// Lower-case hex of raw bytes.
std::string HexEncode(std::string_view data);

/// Constant-time equality of two strings of equal length; false (early) when lengths differ.
/// Callers compare fixed-length digests so that the length check leaks nothing.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// argon2id hash of `secret` in libsodium's self-describing `$argon2id$v=19$m=...` form.
std::string HashSecret(std::string_view secret);
/// True when `secret` matches `hash` (any argon2 parameters that libsodium understands).
bool VerifySecret(const std::string& hash, std::string_view secret);

/// The argon2id cost parameters HashSecret uses (for documentation and tests).
struct HashParams {
    unsigned long long opslimit;
    std::size_t memlimit_bytes;
};
HashParams SecretHashParams();

}  // namespace sfkit::server::crypto
