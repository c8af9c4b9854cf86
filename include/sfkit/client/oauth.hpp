// OAuth 2.0 logins against a Salesforce token endpoint (wire reference §A): the username-password
// client-credentials, JWT bearer, web-server (authorization code + PKCE) and refresh-token flows,
// token-answer parsing and `signature` verification (§A.4). The flows are plain values: their
// const members (Authenticate, ...) may run on several threads at once over a thread-safe
// transport such as CurlTransport.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sfkit/client/http.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

inline constexpr std::string_view kProductionLoginUrl = "https://login.salesforce.com";
inline constexpr std::string_view kSandboxLoginUrl = "https://test.salesforce.com";

/// The consumer key of the public connected app for command-line tools: the one the Salesforce
/// CLI uses, which every local org also has built in (docs/oauth.md#the-built-in-cli-app). No
/// secret, PKCE required, callback `http://localhost:1717/OauthRedirect`.
inline constexpr std::string_view kCliClientId = "PlatformCLI";
/// The loopback port of that app's callback.
inline constexpr std::uint16_t kCliCallbackPort = 1717;

/// A successful token answer (§A.3). Strings are empty when the server did not send the key.
struct Token {
    std::string access_token;   ///< secret: never log or print it
    std::string refresh_token;  ///< secret; only some flows return one
    std::string instance_url;   ///< base URL for every REST call, without trailing slash
    std::string id;             ///< identity URL `https://login.../id/<OrgId>/<UserId>`
    std::string org_id;         ///< second-to-last path segment of `id`
    std::string user_id;        ///< last path segment of `id`
    std::string issued_at;      ///< milliseconds since the epoch, as a string
    std::string scope;          ///< space-separated granted scopes
    std::string token_type;     ///< "Bearer"
    std::string signature;      ///< base64(HMAC-SHA256(client_secret, id + issued_at))
};

/// Username-password flow (§A.3.1). `password` and `security_token` are concatenated, as
/// Salesforce expects when the caller is outside the org's trusted IP ranges.
struct PasswordFlow {
    std::string login_url =
        std::string(kProductionLoginUrl);  ///< login host, My Domain, or local org
    std::string client_id;
    std::string client_secret;  ///< may be empty when the app does not require it
    std::string username;
    std::string password;
    std::string security_token;

    /// POSTs to `<login_url>/services/oauth2/token`. Errors: kAuth with the OAuth `error` as
    /// code and `error_description` as message; kProtocol when the answer is not an OAuth
    /// answer (e.g. a redirect or HTML page), kTransport/kTimeout from the transport, and kAuth
    /// SIGNATURE_MISMATCH when the answer's signature does not verify with `client_secret`.
    Result<Token> Authenticate(Transport& transport) const;
};

/// Client-credentials flow (§A.3.2): the connected app's "Run As" user. Real orgs accept it only
/// at their My Domain host.
struct ClientCredentialsFlow {
    std::string login_url = std::string(kProductionLoginUrl);
    std::string client_id;
    std::string client_secret;
    /// Send the client id/secret as HTTP Basic credentials instead of in the form body (§A.2).
    bool use_basic_auth = false;

    /// Same error contract as PasswordFlow::Authenticate.
    Result<Token> Authenticate(Transport& transport) const;
};

/// JWT bearer flow (§A.3.4): a JWT `{"alg":"RS256"}` with claims `iss` = client_id, `sub` =
/// username, `aud`, `exp`, signed with the private key whose certificate the connected app holds.
/// No client secret; the answer has no signature, issued_at or refresh token.
struct JwtBearerFlow {
    std::string login_url = std::string(kProductionLoginUrl);
    std::string client_id;  ///< the connected app's consumer key (`iss`)
    std::string username;   ///< `sub`
    /// PEM private key (PKCS#8 "BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY"), RSA. Secret.
    std::string private_key_pem;
    /// Read the key from this file when `private_key_pem` is empty.
    std::string private_key_file;
    /// `aud`; empty = DefaultJwtAudience(login_url).
    std::string audience;
    /// `exp` = now + lifetime. Salesforce wants assertions that expire within minutes.
    std::chrono::seconds lifetime{180};

    /// Builds and signs the assertion, then POSTs it to `<login_url>/services/oauth2/token`.
    /// Errors: kInvalidArgument for an empty client_id/username, kIo when the key file cannot be
    /// read, kInvalidArgument KEY_INVALID when the key is not an RSA private key in PEM form;
    /// otherwise as PasswordFlow::Authenticate.
    Result<Token> Authenticate(Transport& transport) const;

    /// The signed compact JWS that Authenticate sends, with `exp` = `now_epoch_seconds` +
    /// lifetime (exposed for tests and for callers with their own HTTP stack).
    Result<std::string> MakeAssertion(std::int64_t now_epoch_seconds) const;
};

/// A PKCE pair (RFC 7636): `verifier` is 43..128 chars of [A-Za-z0-9-._~]; `challenge` is the
/// unpadded base64url SHA-256 of it (method S256, the one Salesforce documents, §A.3.5).
struct Pkce {
    std::string verifier;  ///< secret until the code exchange
    std::string challenge;
};
/// A fresh pair: a 64-char verifier from the CSPRNG (OpenSSL RAND_bytes).
Result<Pkce> GeneratePkce();
/// The S256 challenge of `verifier`.
std::string PkceChallenge(std::string_view verifier);

/// Web-server flow (§A.3.5): send the user's browser to AuthorizeUrl(), receive the `code` on
/// the redirect URI, then ExchangeCode(). With PKCE, set `code_verifier` (GeneratePkce) for
/// both steps.
struct AuthorizationCodeFlow {
    std::string login_url = std::string(kProductionLoginUrl);
    std::string client_id;
    std::string client_secret;  ///< may be empty for a PKCE client the app does not require one of
    std::string redirect_uri;   ///< must be one of the app's callback URLs, exactly
    std::string scope;          ///< space-separated; empty = the app's scopes
    std::string code_verifier;  ///< empty = no PKCE
    std::string login_hint;     ///< optional username to pre-fill

    /// `<login_url>/services/oauth2/authorize?response_type=code&client_id=...&redirect_uri=...`
    /// [`&scope`][`&state`][`&code_challenge=...&code_challenge_method=S256`][`&login_hint`].
    /// Errors: kInvalidArgument for a bad login URL or empty client_id/redirect_uri.
    Result<std::string> AuthorizeUrl(std::string_view state = {}) const;

    /// POSTs `grant_type=authorization_code` with the (URL-decoded) `code`; the answer may carry
    /// a refresh token. Same error contract as PasswordFlow::Authenticate.
    Result<Token> ExchangeCode(Transport& transport, std::string_view code) const;
};

/// Refresh-token flow (§A.3.3): a new access token for a stored refresh token. The answer has
/// no new refresh token; the returned Token carries the presented one so that callers can
/// store it again.
struct RefreshTokenFlow {
    std::string login_url = std::string(kProductionLoginUrl);
    std::string client_id;
    std::string client_secret;  ///< optional (§A.3.3); verifies the signature when given
    std::string refresh_token;  ///< secret

    /// Same error contract as PasswordFlow::Authenticate; an unknown or revoked refresh token is
    /// kAuth `invalid_grant` / "expired access/refresh token".
    Result<Token> Authenticate(Transport& transport) const;
};

/// What the device flow's first step hands out (§A.3.6).
struct DeviceAuthorization {
    std::string device_code;           ///< the device's secret for polling
    std::string user_code;             ///< what the user types on the verification page
    std::string verification_uri;      ///< where the user goes
    std::chrono::seconds interval{5};  ///< wait between polls (raised by slow_down)
};

/// Device flow (§A.3.6): Start() asks for a device code and a user code; the user enters the
/// user code at `verification_uri` and approves; Poll() or Wait() then get the token (with a
/// refresh token when the app grants `refresh_token`). Salesforce has been retiring this flow
/// for apps it did not install; the local org serves it.
struct DeviceFlow {
    std::string login_url = std::string(kProductionLoginUrl);
    std::string client_id;
    std::string client_secret;  ///< optional: a device is a public client
    std::string scope;          ///< space-separated; empty = the app's scopes

    /// POSTs `response_type=device_code`. Errors as PasswordFlow::Authenticate (kAuth with the
    /// OAuth error, kProtocol INVALID_DEVICE_RESPONSE for an answer without the codes).
    Result<DeviceAuthorization> Start(Transport& transport) const;
    /// One poll (`grant_type=device&code=...`): nullopt while the user has not decided
    /// (`authorization_pending`; on `slow_down` `auth.interval` also grows by 5 s, RFC 8628
    /// §3.5). A denial or an expired code is kAuth with the server's error (`access_denied`, ...).
    Result<std::optional<Token>> Poll(Transport& transport, DeviceAuthorization& auth) const;
    /// Polls every `auth.interval` until a token or an error; kTimeout DEVICE_CODE_TIMEOUT when
    /// `timeout` passes first.
    Result<Token> Wait(Transport& transport,
                       DeviceAuthorization& auth,
                       std::chrono::seconds timeout) const;
};

/// The `aud` a JWT for `login_url` carries by default: `https://test.salesforce.com` for the
/// sandbox login host, `https://login.salesforce.com` for the production host and for My Domain
/// hosts (`*.my.salesforce.com`, `*.sandbox.my.salesforce.com` map to test), and the normalised
/// `login_url` itself for any other host (e.g. a local org, which accepts its own base URL).
std::string DefaultJwtAudience(std::string_view login_url);

/// Normalises a login URL: adds `https://` when no scheme is given and drops trailing slashes.
/// Fails (kInvalidArgument) for an empty URL or a scheme other than http/https.
Result<std::string> NormalizeLoginUrl(std::string_view url);

/// Turns a token-endpoint answer into a Token or an Error (see PasswordFlow::Authenticate).
/// When `client_secret` is non-empty and the answer carries a `signature`, it is verified.
Result<Token> ParseTokenResponse(const HttpResponse& response, std::string_view client_secret);

/// base64(HMAC-SHA256(key = client_secret, message = id + issued_at)), standard alphabet with
/// padding (§A.4).
std::string TokenSignature(std::string_view client_secret,
                           std::string_view id,
                           std::string_view issued_at);

}  // namespace sfkit::client
