// Shapes of the opaque strings the org hands out (wire reference §A.3/A.4): access tokens,
// token-response signatures, generated consumer keys/secrets, passwords and security tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sfkit::server {

/// `<org15>!AQ` + 94 chars of [A-Za-z0-9._] from the CSPRNG: 112 chars, ~564 bits of entropy.
std::string GenerateAccessToken(std::string_view org_id15);

/// "aPrx" + standard Base64 (with `==` padding) of 64 random bytes: the shape of real
/// authorization codes (§A.3.5 [R]); must be URL-encoded in a redirect.
std::string GenerateAuthorizationCode();
/// "5Aep861" + 80 chars of [A-Za-z0-9._]: the typical refresh-token prefix (§A.3 [M]).
std::string GenerateRefreshToken();
/// Base64url without padding of SHA-256(verifier): the PKCE S256 code challenge (RFC 7636).
std::string PkceS256Challenge(std::string_view verifier);

/// True for strings of that exact shape (any org prefix of 15 alphanumerics).
bool LooksLikeAccessToken(std::string_view token);

/// Base64(HMAC-SHA256(key = client_secret, message = id + issued_at)), 44 chars (§A.4).
std::string TokenSignature(std::string_view client_secret,
                           std::string_view id_url,
                           std::string_view issued_at);

/// "3MVG9" + 80 chars of [A-Za-z0-9._], the length and alphabet of real consumer keys.
std::string GenerateConsumerKey();
/// 64 upper-case hex chars (256 bits), like current Salesforce consumer secrets.
std::string GenerateConsumerSecret();
/// A 20-char password with upper, lower, digit and symbol characters.
std::string GeneratePassword();
/// A 25-char alphanumeric security token.
std::string GenerateSecurityToken();

/// Milliseconds since the Unix epoch (wall clock).
std::int64_t NowMs();

}  // namespace sfkit::server
