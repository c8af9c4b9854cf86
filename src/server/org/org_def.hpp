// The org definition file (docs/org-definition.md): a JSON description of the org's name, users,
// connected apps, login policy, custom objects and custom fields that `sfkit serve --org-def`
// applies on every start. Parsing only: AuthService applies the identity part, RestApi builds
// the data model from the custom part (schema/custom_objects.hpp checks its meaning).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/auth/ip_range.hpp"
#include "server/schema/custom_objects.hpp"

namespace sfkit::server {

struct OrgDefUser {
    std::string username;        ///< email-shaped, unique case-insensitively
    std::string password;        ///< non-empty
    std::string security_token;  ///< may be empty (then the password alone logs in anywhere)
    std::string first_name;
    std::string last_name;  ///< defaults to the username's local part
    std::string email;      ///< defaults to the username
    std::string profile;    ///< profile name, default "System Administrator"
    bool active = true;
    bool api_enabled = true;
    std::vector<IpRange> trusted_ip_ranges;  ///< no security token needed from these
};

struct OrgDefApp {
    std::string name;  ///< unique case-insensitively; the key for updating an existing app
    std::string consumer_key;
    std::string consumer_secret;
    std::vector<std::string> scopes;  ///< in file order, de-duplicated
    std::vector<std::string> callback_urls;
    std::vector<std::string> flows;  ///< "password", "client_credentials", "device"
    std::string run_as_user;         ///< username of a user in the file, or empty
    /// PEM X.509 certificate (RSA key) that checks the app's JWT bearer assertions; empty when
    /// the app takes no JWT logins. From `certificate` or `certificateFile`, checked on parse.
    std::string certificate_pem;
    /// Salesforce's "Require Secret for Web Server Flow" and "Require Secret for Refresh Token
    /// Flow", both on by default: the token endpoint then refuses a code or refresh token sent
    /// without the client secret.
    bool require_secret_web_server = true;
    bool require_secret_refresh = true;
    /// Salesforce's "Require Proof Key for Code Exchange (PKCE)": off unless asked for here.
    bool require_pkce = false;
};

/// Flows the token endpoint implements, as written in `flows`.
inline constexpr std::string_view kFlowPassword = "password";
inline constexpr std::string_view kFlowClientCredentials = "client_credentials";
inline constexpr std::string_view kFlowDevice = "device";

struct OrgDefinition {
    std::string source;                   ///< file path (for messages)
    std::optional<std::string> org_name;  ///< absent: keep the stored name
    std::vector<OrgDefUser> users;        ///< at least one
    std::vector<OrgDefApp> apps;
    /// `builtinCliApp`: whether the org has the built-in public connected app for command-line
    /// tools (docs/oauth.md#the-built-in-cli-app), on unless the file turns it off.
    bool builtin_cli_app = true;
    std::optional<std::int64_t> session_timeout_seconds;  ///< overrides serve's option
    int lockout_threshold = 10;                           ///< 0 = never lock
    double lockout_minutes = 15;             ///< > 0; fractions allowed (tests use short locks)
    std::vector<IpRange> trusted_ip_ranges;  ///< org-wide trusted networks
    /// `customObjects` and `customFields`, as written (checked when the schema is built).
    CustomSchemaSpec custom;
};

/// Reads and parses `path`. Throws std::runtime_error("org definition <path>: <problem>") when the
/// file is unreadable, not JSON, or breaks a rule of docs/org-definition.md.
OrgDefinition LoadOrgDefinition(const std::string& path);

/// Parses org definition text; `source` names it in error messages. Throws like LoadOrgDefinition.
OrgDefinition ParseOrgDefinition(std::string_view text, const std::string& source);

}  // namespace sfkit::server
