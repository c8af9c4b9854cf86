// Generators for tokens and credentials; all randomness comes from the CSPRNG.
#include "server/auth/tokens.hpp"

#include <chrono>
#include <string>

#include "server/auth/crypto.hpp"

namespace sfkit::server {
namespace {

constexpr std::string_view kTokenAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string GenerateAccessToken(std::string_view org_id15) {
    // Real tokens: 15-char org id, '!', then 96 chars starting "AQ"/"AR" (§A.3, 5/5 samples).
    std::string token(org_id15.substr(0, 15));
    token += "!AQ";
    token += crypto::RandomString(94, kTokenAlphabet);
    return token;
}

std::string GenerateAuthorizationCode() {
    return "aPrx" + crypto::Base64Encode(crypto::RandomBytes(64));  // 64 % 3 == 1: "==" padding
}

std::string GenerateRefreshToken() {
    return "5Aep861" + crypto::RandomString(80, kTokenAlphabet);
}

std::string PkceS256Challenge(std::string_view verifier) {
    std::string digest;
    const std::string hex = crypto::Sha256Hex(verifier);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        digest.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    std::string b64 = crypto::Base64Encode(digest);
    for (char& c : b64) {
        c = c == '+' ? '-' : (c == '/' ? '_' : c);
    }
    while (!b64.empty() && b64.back() == '=') {
        b64.pop_back();
    }
    return b64;
}

bool LooksLikeAccessToken(std::string_view token) {
    if (token.size() != 112 || token[15] != '!') {
        return false;
    }
    for (std::size_t i = 0; i < 15; ++i) {
        if (!IsAlnum(token[i])) {
            return false;
        }
    }
    for (std::size_t i = 16; i < token.size(); ++i) {
        if (kTokenAlphabet.find(token[i]) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

std::string TokenSignature(std::string_view client_secret,
                           std::string_view id_url,
                           std::string_view issued_at) {
    std::string message(id_url);
    message += issued_at;
    return crypto::Base64Encode(crypto::HmacSha256(client_secret, message));
}

std::string GenerateConsumerKey() {
    return "3MVG9" + crypto::RandomString(80, kTokenAlphabet);
}

std::string GenerateConsumerSecret() {
    std::string hex = crypto::HexEncode(crypto::RandomBytes(32));
    for (auto& c : hex) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return hex;
}

std::string GeneratePassword() {
    // One of each class first so any password policy is met, then random fill. The symbols are
    // URL-unreserved and shell-safe, so the password survives `-d password=...` unencoded.
    std::string pw = crypto::RandomString(1, "ABCDEFGHJKLMNPQRSTUVWXYZ");
    pw += crypto::RandomString(1, "abcdefghijkmnopqrstuvwxyz");
    pw += crypto::RandomString(1, "23456789");
    pw += crypto::RandomString(1, "-_.");
    pw += crypto::RandomString(16, kAlnum);
    return pw;
}

std::string GenerateSecurityToken() {
    return crypto::RandomString(25, kAlnum);
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace sfkit::server
