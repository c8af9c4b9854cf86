// AuthService's internals, shared by the files of src/server/auth/ that implement it:
// org_bootstrap.cpp, credentials.cpp, sessions.cpp, token_handlers.cpp, identity_handlers.cpp,
// soap_handler.cpp, authorize_handlers.cpp and auth_service.cpp (routes, Authenticate).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "server/auth/auth_service.hpp"
#include "server/auth/auth_store.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/device_codes.hpp"
#include "server/auth/identity.hpp"
#include "server/auth/ip_range.hpp"
#include "server/auth/lockout.hpp"
#include "server/auth/login_form.hpp"
#include "server/auth/oauth_answers.hpp"
#include "server/auth/oauth_params.hpp"
#include "server/auth/soap_login.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

struct OrgDefinition;

inline constexpr const char* kDefaultOrgName = "sfkit local org";
inline constexpr const char* kDefaultProfile = "System Administrator";

/// The built-in public connected app for command-line tools (docs/oauth.md#the-built-in-cli-app):
/// the Salesforce CLI's consumer key, so that `sf org login web` works against a local org too.
inline constexpr std::string_view kBuiltinCliClientId = "PlatformCLI";
inline constexpr const char* kBuiltinCliAppName = "sfkit CLI (built-in)";
inline constexpr std::string_view kBuiltinCliCallback = "http://localhost:1717/OauthRedirect";

inline constexpr std::string_view kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Password checks (argon2id) waiting for or running on the server's blocking pool at most; a
/// login beyond it is answered at once with Salesforce's "login rate exceeded" (docs/oauth.md).
inline constexpr int kMaxPendingPasswordChecks = 16;
/// Salesforce's answer to too many logins (n8n#31948 [R]; SOAP fault code [M]).
inline constexpr std::string_view kLoginRateExceeded = "login rate exceeded";

using oauth::OAuthFormat;
using oauth::Params;

/// What a login page refused for forgery says (docs/oauth.md "Login form forgery").
inline constexpr std::string_view kLoginPageExpired =
    "Your login page expired or was not opened on this site. Log in again.";
/// What a login page says after bad credentials, a locked or an inactive user.
inline constexpr std::string_view kLoginPageBadCredentials =
    "Please check your username and password. If you still can't log in, contact your "
    "Salesforce administrator.";
inline constexpr std::string_view kLoginPageInactive =
    "Your user is inactive. Contact your administrator.";

/// The scopes granted for a request asking for `requested` (space-separated): those the app
/// has, all of the app's when none are asked for; nullopt when only unknown ones are asked for.
std::optional<std::vector<std::string>> GrantedScopes(const AppRecord& app,
                                                      const std::string& requested);

struct AuthService::Impl {
    Impl(Database& db_in, const LocalOrgOptions& options_in)
        : db(db_in), options(options_in), store(db_in), cache_key(crypto::RandomBytes(32)) {}

    Database& db;
    const LocalOrgOptions& options;
    AuthStore store;
    OrgInfo org;
    std::int64_t session_timeout_ms = 2LL * 3600 * 1000;
    LockoutPolicy lockout;
    std::vector<IpRange> org_trusted_ranges;

    /// What Authenticate needs to know about a user without touching SQLite.
    struct UserView {
        std::string username;
        bool active = true;
        bool api_enabled = true;
        bool admin = false;  ///< System Administrator profile (may read other users' identity)
    };
    /// Keyed MACs (under a per-process random key, never stored) of credentials already verified
    /// against the argon2id hashes, so that repeated logins cost an HMAC, not an argon2 run. A
    /// MAC covers the hash it was verified against, and every login reads the user's row: a
    /// password changed by any node invalidates it at once (no invalidation message needed).
    struct Verified {
        std::string login_mac;     ///< password + security token: valid from anywhere
        std::string password_mac;  ///< password alone: valid from trusted ranges only
    };

    const std::string cache_key;
    mutable std::shared_mutex mu;                        // guards the three maps below
    std::unordered_map<std::string, Session> sessions;   // token hash -> session
    std::unordered_map<std::string, UserView> users;     // user id -> view
    std::unordered_map<std::string, Verified> verified;  // user id -> MACs
    std::int64_t last_sweep_ms = 0;

    /// A session as requests see it, from its row and the names of its user and app.
    Session SessionOf(SessionRow row, std::string username, std::string app_name) const;

    std::once_flag dummy_once;
    std::string dummy_hash;

    LoginFormTokens form_tokens{db};
    std::atomic<int> pending_password_checks{0};
    /// A slot for one password check on the blocking pool (released when the returned guard
    /// goes), or null when kMaxPendingPasswordChecks are already waiting.
    std::shared_ptr<void> AdmitPasswordCheck();

    DirectorySink* directory = nullptr;

    // -- bootstrap --
    FirstStartCredentials CreateDefaultOrgContent();
    void ApplyDefinition(const OrgDefinition& def);
    /// Creates, refreshes or (when `enabled` is false) removes the built-in CLI app.
    void EnsureBuiltinCliApp(bool enabled);
    void LoadCaches();

    // -- login --
    /// The MAC of `presented` checked against the stored `hash` of `user_id`.
    std::string CredentialMac(const std::string& user_id,
                              std::string_view hash,
                              std::string_view presented) const;
    void Remember(const std::string& user_id, std::string mac, bool with_token);
    bool CheckCredential(const UserRecord& u, const std::string& presented, bool trusted);
    void BurnVerify(std::string_view presented);
    bool SecretMatches(const AppRecord& app, std::string_view secret) const;

    /// Outcome of a username + password(+token) check, shared by the OAuth password grant and
    /// SOAP login so that both count failures towards the same lockout.
    enum class LoginCheck { kOk, kUnknownUser, kLocked, kBadCredential, kNeedsToken, kInactive };
    struct LoginOutcome {
        LoginCheck check = LoginCheck::kUnknownUser;
        std::optional<UserRecord> user;
    };
    /// `detect_missing_token`: when the credential fails from an untrusted address, also test the
    /// bare password so that SOAP can answer LOGIN_MUST_USE_SECURITY_TOKEN (one more argon2 run,
    /// only on that failure path). `channel` names the login kind in log lines.
    LoginOutcome VerifyLogin(const std::string& username,
                             const std::string& password,
                             const std::string& remote_ip,
                             bool detect_missing_token,
                             std::string_view channel,
                             bool token_optional = false);

    // -- sessions --
    std::string ExtractToken(const Request& req, const Params* params) const;
    std::optional<Session> FindSession(const std::string& token) const;
    /// What the identity URL and userinfo share: the caller's session (token from the header,
    /// query or body) and the `version`/`format` parameters, or the error answer to send.
    struct IdentityCall {
        Session session;
        std::string version;
        bool xml = false;
    };
    std::variant<IdentityCall, Response> ReadIdentityCall(const Call& call) const;
    /// Ends a session at once; true when the token was live.
    bool RevokeSession(const std::string& token);
    /// Creates and stores a session; returns the access token (never stored in clear).
    std::string IssueSession(const UserRecord& user,
                             const std::string& app_id,
                             const std::string& app_name,
                             std::vector<std::string> scopes,
                             std::int64_t now);
    /// `refresh_token`: included in the answer when not empty; `refresh_hash`: the refresh token
    /// the new session belongs to (revoking it ends the session), empty for none.
    Response IssueToken(const AppRecord& app,
                        const UserRecord& user,
                        std::vector<std::string> scopes,
                        const std::string& client_secret,
                        const std::string& base_url,
                        OAuthFormat format,
                        const std::string& refresh_token = {},
                        const std::string& refresh_hash = {});

    // -- handlers --
    Response HandleToken(Call& call);
    /// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (§A.3.4).
    Response HandleJwtBearer(const std::string& assertion,
                             const std::string& base_url,
                             OAuthFormat format);
    Response HandleRevoke(Call& call);
    Response HandleIntrospect(Call& call);
    Response HandleIdentity(Call& call);
    Response HandleUserInfo(Call& call);
    Response HandleSoapLogin(Call& call, SoapApi api);
    Response HandleAuthorize(Call& call);
    /// A login on one of the login pages: as the password grant, but no security token needed;
    /// `page_error` is what the page shows on failure ("" on success).
    LoginOutcome VerifyPageLogin(const std::string& username,
                                 const std::string& password,
                                 const std::string& remote_ip,
                                 std::string_view channel,
                                 std::string_view* page_error);
    /// The login form's anti-forgery check (same origin, one-time token in field and cookie);
    /// logs a refusal under `page`.
    bool LoginFormAccepted(const Call& call, const Params& params, std::string_view page);
    /// A new session for `user` via `app` with `scopes`, plus a refresh token when the scopes
    /// include `refresh_token` or `offline_access` (authorization code and device grants).
    Response IssueTokenWithRefresh(const AppRecord& app,
                                   const UserRecord& user,
                                   const std::vector<std::string>& scopes,
                                   const std::string& client_secret,
                                   const std::string& base_url,
                                   OAuthFormat format);
    // -- device flow (§A.3.6, device_handlers.cpp) --
    DeviceCodes device_codes{db};
    /// `response_type=device_code` at the token endpoint: a device and user code.
    Response HandleDeviceAuthorization(const Request& req,
                                       const Params& params,
                                       const std::string& base_url,
                                       OAuthFormat format);
    /// `grant_type=device`: a poll with the device code, after the client was checked.
    Response HandleDevicePoll(const Params& params,
                              const AppRecord& app,
                              const std::string& client_secret,
                              const std::string& base_url,
                              OAuthFormat format);
    /// `GET|POST /setup/connect`: the verification page where a user enters the code, logs in
    /// and allows or denies the device.
    Response HandleDeviceVerification(Call& call);
    /// grant_type=authorization_code (§A.3.5) after the client id was checked.
    Response HandleAuthorizationCode(const Params& params,
                                     const AppRecord& app,
                                     const std::string& client_secret,
                                     const std::string& base_url,
                                     OAuthFormat format);
    /// grant_type=refresh_token (§A.3.3) after the client was checked.
    Response HandleRefresh(const Params& params,
                           const AppRecord& app,
                           const std::string& client_secret,
                           const std::string& base_url,
                           OAuthFormat format);
    Response HandleOpenIdConfiguration(Call& call) const;
    Response HandleAuthConfiguration(Call& call) const;
    IdentityFacts FactsFor(const UserRecord& u, const std::string& base_url) const;
};

}  // namespace sfkit::server
