// SQLite persistence of the identity side: the org row, profiles, users, connected apps and
// sessions (tables `auth_*` in the shared org database). Secrets are stored only as argon2id
// hashes (passwords, security tokens), salted HMACs (consumer secrets) and SHA-256 (access
// tokens). Every method takes the database lock itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth/ip_range.hpp"
#include "server/auth/lockout.hpp"

namespace sfkit::server {

class Database;

struct OrgRecord {
    std::string org_id;  ///< 18-char 00D id
    std::string name;
    std::string pod;           ///< 2-char instance part shared by every id of the org
    std::int64_t id_base = 0;  ///< random start of the record counters
    std::int64_t created_ms = 0;
};

struct UserRecord {
    std::string id;  ///< 18-char 005 id
    std::string username;
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string profile_id;
    std::string profile_name;
    bool active = true;
    bool api_enabled = true;
    std::vector<IpRange> trusted_ranges;
    std::string password_hash;  ///< argon2id of the password
    std::string login_hash;     ///< argon2id of password + security token
    LockState lock;
    std::int64_t created_ms = 0;
    std::int64_t modified_ms = 0;
};

struct AppRecord {
    std::string id;  ///< 18-char 0H4 (ConnectedApplication) id
    std::string name;
    std::string consumer_key;
    std::string secret_salt;  ///< hex, 32 random bytes
    std::string secret_mac;   ///< hex HMAC-SHA256(key = salt, consumer secret)
    std::vector<std::string> scopes;
    std::vector<std::string> callback_urls;
    std::vector<std::string> flows;
    std::string run_as_user_id;   ///< empty when none
    std::string certificate_pem;  ///< X.509 PEM that checks JWT bearer assertions, or empty
    bool require_secret_web_server = true;  ///< "Require Secret for Web Server Flow"
    bool require_secret_refresh = true;     ///< "Require Secret for Refresh Token Flow"
    /// "Require Proof Key for Code Exchange (PKCE) Extension for Supported Authorization Flows":
    /// an authorize request without `code_challenge` is refused.
    bool require_pkce = false;
    /// A loopback callback (`http://localhost:P/...`, `http://127.0.0.1:P/...`) matches the
    /// same URL on any port (RFC 8252 §7.3); only the built-in CLI app has it.
    bool loopback_any_port = false;
};

struct SessionRow {
    std::string token_hash;  ///< hex SHA-256 of the access token
    std::string user_id;
    std::string app_id;
    std::vector<std::string> scopes;
    std::int64_t issued_ms = 0;
    std::int64_t expires_ms = 0;
    std::string app_name{};  ///< SessionByHash only (one round trip for both): the app's name
};

/// Authorization codes are valid for 15 minutes (§A.3.5 [R]).
inline constexpr std::int64_t kAuthCodeLifetimeMs = 15LL * 60 * 1000;

/// A pending authorization code (web-server flow, §A.3.5): single use, short-lived.
struct AuthCodeRow {
    std::string code_hash;  ///< hex SHA-256 of the code
    std::string app_id;
    std::string user_id;
    std::string redirect_uri;
    std::vector<std::string> scopes;
    std::string code_challenge;    ///< empty without PKCE
    std::string challenge_method;  ///< "S256" or "plain" when code_challenge is set
    std::int64_t expires_ms = 0;
};

/// A refresh token (§A.3.3): lives until revoked.
struct RefreshRow {
    std::string token_hash;  ///< hex SHA-256 of the refresh token
    std::string user_id;
    std::string app_id;
    std::vector<std::string> scopes;
    std::int64_t issued_ms = 0;
};

class AuthStore {
public:
    explicit AuthStore(Database& db) : db_(db) {}

    /// Creates the auth tables if missing.
    void CreateSchema();

    std::optional<OrgRecord> LoadOrg();
    /// Creates the org row with a fresh random pod, org-id counter and id base.
    OrgRecord CreateOrg(const std::string& name);
    void SetOrgName(const std::string& name);

    /// Id of the profile called `name`, created when missing.
    std::string EnsureProfile(const std::string& name);
    /// All profiles as {id, name}, oldest first.
    std::vector<std::pair<std::string, std::string>> Profiles();

    std::vector<UserRecord> Users();
    std::optional<UserRecord> UserByUsername(std::string_view username);  ///< case-insensitive
    std::optional<UserRecord> UserById(std::string_view id18);
    /// Inserts `u` (its id is assigned and written back).
    void InsertUser(UserRecord& u);
    /// Rewrites every column of an existing user except the lock state and created date.
    void UpdateUser(const UserRecord& u);
    /// The argon2id hash of the org definition's credentials (password and security token)
    /// last applied to the user (ApplyDefinition), "" when none was recorded.
    std::string AppliedDefinitionCredentials(const std::string& user_id);
    void SetAppliedDefinitionCredentials(const std::string& user_id, const std::string& hash);
    /// Applies one failed login atomically; returns the new state.
    LockState RecordFailure(const std::string& user_id,
                            const LockoutPolicy& policy,
                            std::int64_t now_ms);
    void ResetFailures(const std::string& user_id);
    /// Counts a failed login of an unknown (or locked) username in the org row: the same kind
    /// of write as RecordFailure, so that the two cannot be told apart by their cost.
    void RecordUnknownFailure();

    std::vector<AppRecord> Apps();
    std::optional<AppRecord> AppByKey(std::string_view consumer_key);
    std::optional<AppRecord> AppByName(std::string_view name);  ///< case-insensitive
    std::optional<AppRecord> AppById(std::string_view id18) const;
    void InsertApp(AppRecord& a);
    void UpdateApp(const AppRecord& a);
    /// Deletes an app (its sessions and refresh tokens then fail the app lookup).
    void DeleteApp(std::string_view app_id);

    void InsertSession(const SessionRow& s);
    /// Returns true when a row was deleted.
    bool DeleteSession(std::string_view token_hash);
    std::vector<SessionRow> LiveSessions(std::int64_t now_ms);
    /// The session with that token hash (expired or not), or nullopt.
    std::optional<SessionRow> SessionByHash(std::string_view token_hash) const;
    void PurgeExpiredSessions(std::int64_t now_ms);

    void InsertAuthCode(const AuthCodeRow& c);
    /// Deletes and returns the code (single use, whatever happens next); nullopt when unknown.
    std::optional<AuthCodeRow> TakeAuthCode(std::string_view code_hash);

    void InsertRefreshToken(const RefreshRow& r);
    std::optional<RefreshRow> RefreshByHash(std::string_view token_hash);
    /// Records that access token `session_hash` was issued alongside/from refresh token
    /// `refresh_hash`, so that revoking the refresh token ends it too (§A.6).
    void LinkRefreshSession(std::string_view refresh_hash, std::string_view session_hash);
    /// Deletes the refresh token and its linked sessions; returns the hashes of those sessions,
    /// or nullopt when the refresh token was unknown.
    std::optional<std::vector<std::string>> DeleteRefreshToken(std::string_view refresh_hash);

private:
    std::string NextId(std::string_view table, std::string_view prefix);

    Database& db_;
    std::optional<OrgRecord> org_;
};

/// Lists as stored in text columns: items joined by `sep`.
std::string JoinList(const std::vector<std::string>& items, char sep);
std::vector<std::string> SplitList(std::string_view text, char sep);

}  // namespace sfkit::server
