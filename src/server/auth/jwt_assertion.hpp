// JWT bearer assertions (RFC 7523, wire reference §A.3.4): parsing the compact JWS, checking an
// RS256 signature against a connected app's X.509 certificate, and validating that certificate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfkit::server::jwt {

/// The parts of an assertion the token endpoint looks at. Claims of the wrong JSON type are
/// treated as absent.
struct Assertion {
    std::string alg;                  ///< header `alg` ("" when absent)
    std::string iss;                  ///< consumer key
    std::string sub;                  ///< username
    std::optional<std::string> aud;   ///< only a single string counts (§A.3.4: not an array)
    bool aud_present = false;         ///< `aud` was there, whatever its type
    std::optional<std::int64_t> exp;  ///< epoch seconds
    std::string signing_input;        ///< `<header>.<payload>` as received
    std::string signature;            ///< raw signature bytes
};

/// Splits and decodes a compact JWS (three base64url parts, JSON objects for header and
/// claims). nullopt when malformed.
std::optional<Assertion> ParseAssertion(std::string_view compact);

/// True when `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `signing_input` by
/// the RSA key of the PEM certificate `certificate_pem`.
bool VerifyRs256(std::string_view signing_input,
                 std::string_view signature,
                 std::string_view certificate_pem);

/// Empty when `pem` holds an X.509 certificate (PEM) with an RSA public key; otherwise what is
/// wrong with it, for org-definition messages.
std::string CertificateProblem(std::string_view pem);

}  // namespace sfkit::server::jwt
