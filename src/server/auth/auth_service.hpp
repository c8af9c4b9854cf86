// The org's identity side: users, connected apps, access tokens, and the OAuth 2.0 / identity
// endpoints (wire reference §A). Owns the auth tables in the org database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/auth/session.hpp"
#include "server/org/options.hpp"

namespace sfkit::server {

class Database;
class DirectorySink;
class Router;
struct Request;

/// Facts about the org that other parts of the server need.
struct OrgInfo {
    std::string org_id;         ///< 18-char 00D id
    std::string name;           ///< org name
    std::string admin_user_id;  ///< 18-char 005 id of the first user
    std::string pod;            ///< 2-char instance part of the org's ids (for Id::Make)
};

/// Credentials created on an org's first start, to be shown once.
struct FirstStartCredentials {
    bool created = false;  ///< false when the org already existed
    std::string username;
    std::string password;
    std::string security_token;
    std::string consumer_key;
    std::string consumer_secret;
    std::string credentials_file;  ///< where they were written (owner-only), empty in memory
};

class AuthService {
public:
    AuthService(Database& db, const LocalOrgOptions& options);
    ~AuthService();
    AuthService(const AuthService&) = delete;
    AuthService& operator=(const AuthService&) = delete;

    /// Creates the auth tables, then either creates a new org (admin user, connected app,
    /// generated secrets) or loads the existing one; applies the org definition file if given.
    /// Throws std::runtime_error with a clear message on a bad org definition.
    FirstStartCredentials Bootstrap();

    /// Where Bootstrap publishes the org, its profiles and users (as User/Profile/Organization
    /// records); set before Bootstrap. May stay null (then nothing is published).
    void SetDirectorySink(DirectorySink* sink);

    const OrgInfo& Org() const;

    /// Validates `Authorization: Bearer|OAuth <token>` (or `oauth_token` where allowed).
    /// Throws ApiError 401 INVALID_SESSION_ID for a missing/unknown/revoked/expired token, and
    /// 403 API_DISABLED_FOR_ORG for a user without API access.
    Session Authenticate(const Request& req, bool allow_query_token = false) const;
    /// The same checks for a token the caller found elsewhere (Bulk API 1.0's X-SFDC-Session).
    Session AuthenticateToken(const std::string& token) const;

    /// Adds /services/oauth2/{token,revoke,userinfo,introspect} and /id/{org}/{user}.
    void RegisterRoutes(Router& router);

    /// Access-token lifetime in force (serve's option, or the org definition's override).
    std::int64_t SessionTimeoutSeconds() const;

    // -- a user's password (/sobjects/User/{id}/password; user_passwords.cpp) --
    /// Whether `user_id` (an 18- or 15-char 005 id) exists, and whether the caller
    /// `caller_id` may read or change its password: the user itself or a System Administrator.
    /// Throws ApiError: 404 NOT_FOUND for an unknown user, 403 INSUFFICIENT_ACCESS otherwise.
    std::string RequirePasswordAccess(const std::string& caller_id,
                                      const std::string& user_id) const;
    /// Sets the password after Salesforce's default policy (8 characters, letters and digits;
    /// 400 INVALID_NEW_PASSWORD otherwise). The security token is kept only as a hash of
    /// password + token, so it cannot survive the change: it is reset to empty (Salesforce
    /// resets it too, and e-mails the new one). Cached credential checks of the user are dropped.
    void SetUserPassword(const std::string& user_id, const std::string& password);
    /// Sets a random password that meets the policy and returns it (DELETE .../password).
    std::string ResetUserPassword(const std::string& user_id);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::server
