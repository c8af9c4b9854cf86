// libsodium / OpenSSL wrappers for the identity side.
#include "server/auth/crypto.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace sfkit::server::crypto {
namespace {

// argon2id cost. libsodium's INTERACTIVE preset (t=2, 64 MiB) measured ~560 ms per hash on our
// 2-core build machine; a login verifies one hash and every start hashes each org-definition user
// twice, so that preset would make a local org (and its test suite) sluggish. We use instead one of
// the equivalent-strength argon2id settings the OWASP Password Storage Cheat Sheet recommends,
// m=12 MiB, t=3, p=1 (~90 ms here): still memory-hard argon2id, a fifth of the memory.
constexpr unsigned long long kOpsLimit = 3;
constexpr std::size_t kMemLimit = 12u * 1024u * 1024u;

void EnsureSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            throw std::runtime_error("libsodium failed to initialise");
        }
    });
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int B64Value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

}  // namespace

std::string RandomBytes(std::size_t n) {
    EnsureSodium();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::uint64_t RandomBetween(std::uint64_t lo, std::uint64_t hi) {
    if (lo >= hi) {
        throw std::invalid_argument("RandomBetween: empty range");
    }
    EnsureSodium();
    const std::uint64_t span = hi - lo;
    // Rejection sampling: draw 64 bits, discard the biased tail.
    const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
    for (;;) {
        std::uint64_t r = 0;
        randombytes_buf(&r, sizeof r);
        if (r < limit) {
            return lo + r % span;
        }
    }
}

std::string RandomString(std::size_t n, std::string_view alphabet) {
    if (alphabet.size() < 2 || alphabet.size() > 256) {
        throw std::invalid_argument("RandomString: bad alphabet");
    }
    EnsureSodium();
    std::string out;
    out.reserve(n);
    // One random byte per character, drawn in batches (one CSPRNG call per batch, not per
    // character). Rejection sampling keeps it unbiased: bytes at or above the largest multiple
    // of the alphabet's size are discarded, so `b % size` is uniform (for a 64-character
    // alphabet nothing is discarded).
    const std::size_t size = alphabet.size();
    const std::size_t limit = 256 - (256 % size);
    unsigned char buf[128];
    while (out.size() < n) {
        const std::size_t want = std::min(sizeof buf, (n - out.size()) + (n - out.size()) / 4 + 8);
        randombytes_buf(buf, want);
        for (std::size_t i = 0; i < want && out.size() < n; ++i) {
            if (buf[i] < limit) {
                out.push_back(alphabet[buf[i] % size]);
            }
        }
    }
    sodium_memzero(buf, sizeof buf);
    return out;
}

// SHA-256 and HMAC-SHA256 come from libsodium: OpenSSL 3's one-shot SHA256() and HMAC() look
// the algorithm up in the provider store on every call (EVP_Q_digest -> EVP_MD_fetch, locks and
// all). perf (GET one record, release): Sha256Hex of the bearer token was 3.7 % of a GET's
// samples, half of it in EVP_MD_fetch.
std::string Sha256Hex(std::string_view data) {
    EnsureSodium();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HmacSha256(std::string_view key, std::string_view message) {
    EnsureSodium();
    crypto_auth_hmacsha256_state state;
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&state, out);
    sodium_memzero(&state, sizeof state);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string Base64Encode(std::string_view data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                           (static_cast<unsigned char>(data[i + 1]) << 8) |
                           static_cast<unsigned char>(data[i + 2]);
        out.push_back(kB64[(v >> 18) & 63]);
        out.push_back(kB64[(v >> 12) & 63]);
        out.push_back(kB64[(v >> 6) & 63]);
        out.push_back(kB64[v & 63]);
    }
    const std::size_t rest = data.size() - i;
    if (rest > 0) {
        unsigned v = static_cast<unsigned char>(data[i]) << 16;
        if (rest == 2) {
            v |= static_cast<unsigned char>(data[i + 1]) << 8;
        }
        out.push_back(kB64[(v >> 18) & 63]);
        out.push_back(kB64[(v >> 12) & 63]);
        out.push_back(rest == 2 ? kB64[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = B64Value(c);
        if (v < 0) {
            return std::nullopt;
        }
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::string HexEncode(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (unsigned char c : data) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    EnsureSodium();
    return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HashSecret(std::string_view secret) {
    EnsureSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out,
                              secret.data(),
                              secret.size(),
                              kOpsLimit,
                              kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("argon2id hashing failed (out of memory?)");
    }
    return out;
}

bool VerifySecret(const std::string& hash, std::string_view secret) {
    EnsureSodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    char buf[crypto_pwhash_STRBYTES] = {};
    hash.copy(buf, hash.size());
    return crypto_pwhash_str_verify(buf, secret.data(), secret.size()) == 0;
}

HashParams SecretHashParams() {
    return {kOpsLimit, kMemLimit};
}

}  // namespace sfkit::server::crypto
