// AuthService: org bootstrap, the OAuth 2.0 token / revoke / introspect endpoints, the identity
// service (/id, userinfo) and bearer-token authentication for the REST API (wire reference §A).
//
// Token endpoint order of checks (§A.2, §A.5; Salesforce answers the first failing one):
//   1. grant_type missing/unknown, or the body is not a form        -> unsupported_grant_type
//   2. client_id unknown (body/query or HTTP Basic)                  -> invalid_client_id
//   3. client_secret wrong or missing                                -> invalid_client
//   4. flow not enabled on the app                                   -> invalid_grant
//      (password: "authentication failure", which is what a disabled username-password flow
//      returns in real orgs; client_credentials: "client credentials flow not enabled")
//   5. the user: password grant -> username/password(+token)/lockout -> "authentication failure",
//      then "inactive user" (only revealed once the password was right);
//      client_credentials -> "no client credentials user enabled" without a Run As user.
#include "server/auth/auth_service.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>
#include <variant>

#include <boost/json.hpp>
#include <fcntl.h>
#include <pugixml.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/auth_store.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/directory.hpp"
#include "server/auth/identity.hpp"
#include "server/auth/jwt_assertion.hpp"
#include "server/auth/soap_login.hpp"
#include "server/auth/tokens.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/org/org_def.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kDefaultOrgName = "sfkit local org";
constexpr const char* kDefaultProfile = "System Administrator";

constexpr std::string_view kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
// Audiences of a JWT bearer assertion besides the org's own base URL (§A.3.4).
constexpr std::string_view kProductionLoginHost = "https://login.salesforce.com";
constexpr std::string_view kSandboxLoginHost = "https://test.salesforce.com";
// An assertion stays good this long after its `exp`, for clocks that run apart (docs/oauth.md).
constexpr std::int64_t kJwtClockSkewMs = 3LL * 60 * 1000;

const std::string* Find(const Params& p, std::string_view name) {
    for (const auto& [k, v] : p) {
        if (k == name) {
            return &v;
        }
    }
    return nullptr;
}

std::string Get(const Params& p, std::string_view name) {
    const std::string* v = Find(p, name);
    return v ? *v : std::string();
}

bool StartsWithI(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

bool IsFormBody(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    return ct != nullptr && StartsWithI(*ct, "application/x-www-form-urlencoded");
}

/// Fields of a `multipart/form-data` body (RFC 7578): name -> text of each part without a
/// filename. sfdx sends token requests this way (§A.3.6), and so do the Postman collection's
/// device and web-server requests. Malformed bodies yield what was read before the problem.
Params MultipartParams(const Request& req) {
    Params out;
    const std::string* ct = req.Header("Content-Type");
    if (ct == nullptr || !StartsWithI(*ct, "multipart/form-data")) {
        return out;
    }
    auto pos = ct->find("boundary=");
    if (pos == std::string::npos) {
        return out;
    }
    std::string boundary = ct->substr(pos + 9);
    boundary = boundary.substr(0, boundary.find(';'));
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
        boundary = boundary.substr(1, boundary.size() - 2);
    }
    const std::string delim = "--" + boundary;
    const std::string_view body = req.body;
    std::size_t at = body.find(delim);
    while (at != std::string_view::npos) {
        at += delim.size();
        if (body.substr(at, 2) == "--") {
            break;  // closing delimiter
        }
        const std::size_t head_end = body.find("\r\n\r\n", at);
        const std::size_t next = body.find("\r\n" + delim, at);
        if (head_end == std::string_view::npos || next == std::string_view::npos ||
            head_end > next) {
            break;
        }
        const std::string_view head = body.substr(at, head_end - at);
        const std::string_view value = body.substr(head_end + 4, next - head_end - 4);
        // Content-Disposition: form-data; name="grant_type"[; filename="..."]
        const auto name_pos = head.find("name=\"");
        const bool is_file = head.find("filename=") != std::string_view::npos;
        if (name_pos != std::string_view::npos && !is_file) {
            const auto name_start = name_pos + 6;
            const auto name_end = head.find('"', name_start);
            if (name_end != std::string_view::npos) {
                out.emplace_back(std::string(head.substr(name_start, name_end - name_start)),
                                 std::string(value));
            }
        }
        at = next + 2;
    }
    return out;
}

/// Request parameters the way a servlet container sees them: the query string first, then the
/// body, but the body only when it is declared as a form (so a JSON body yields no parameters
/// and the token endpoint answers unsupported_grant_type, §A.2). `body_if_untyped` also reads a
/// body that has no Content-Type at all (revoke/introspect are lenient about it).
Params RequestParams(const Request& req, bool body_if_untyped = false) {
    Params out;
    if (auto q = ParseForm(req.query)) {
        out = std::move(*q);
    }
    const bool untyped = req.Header("Content-Type") == nullptr;
    if (!req.body.empty() && (IsFormBody(req) || (body_if_untyped && untyped))) {
        if (auto b = ParseForm(req.body)) {
            out.insert(out.end(), b->begin(), b->end());
        }
    } else if (!req.body.empty()) {
        const Params parts = MultipartParams(req);
        out.insert(out.end(), parts.begin(), parts.end());
    }
    return out;
}

// ---- OAuth answers ---------------------------------------------------------------------------

enum class OAuthFormat { kJson, kUrlEncoded, kXml };

/// `format=json|urlencoded|xml`, else the first of the three media types named in Accept,
/// else JSON (§A.2).
OAuthFormat NegotiateOAuthFormat(const Params& params, const Request& req) {
    const std::string f = Get(params, "format");
    if (f == "xml") {
        return OAuthFormat::kXml;
    }
    if (f == "urlencoded") {
        return OAuthFormat::kUrlEncoded;
    }
    if (f == "json") {
        return OAuthFormat::kJson;
    }
    const std::string* accept = req.Header("Accept");
    if (accept == nullptr) {
        return OAuthFormat::kJson;
    }
    const auto json_pos = accept->find("application/json");
    const auto form_pos = accept->find("application/x-www-form-urlencoded");
    const auto xml_pos = std::min(accept->find("application/xml"), accept->find("text/xml"));
    const auto first = std::min({json_pos, form_pos, xml_pos});
    if (first == std::string::npos || first == json_pos) {
        return OAuthFormat::kJson;
    }
    return first == xml_pos ? OAuthFormat::kXml : OAuthFormat::kUrlEncoded;
}

std::string FormEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '*') {
            out.push_back(static_cast<char>(c));
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

/// Token-endpoint answer: every field a string, in the given order, with the no-cache headers
/// Salesforce sends (§0.2).
Response OAuthResponse(int status, const Fields& fields, OAuthFormat format) {
    Response r;
    r.status = status;
    if (format == OAuthFormat::kUrlEncoded) {
        for (const auto& [k, v] : fields) {
            r.body += r.body.empty() ? "" : "&";
            r.body += k + "=" + FormEncode(v);
        }
        r.SetHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
    } else if (format == OAuthFormat::kXml) {
        // Root element as in the old refresh-token docs example [M].
        pugi::xml_document doc;
        auto decl = doc.append_child(pugi::node_declaration);
        decl.append_attribute("version") = "1.0";
        decl.append_attribute("encoding") = "UTF-8";
        auto root = doc.append_child("OAuth");
        for (const auto& [k, v] : fields) {
            root.append_child(k.c_str()).text().set(v.c_str());
        }
        std::ostringstream os;
        doc.save(os, "", pugi::format_raw);
        r.body = os.str();
        r.SetHeader("Content-Type", std::string(kXmlContentType));
    } else {
        json::object o;
        for (const auto& [k, v] : fields) {
            o[k] = v;
        }
        r.body = codec::WriteJson(o);
        r.SetHeader("Content-Type", std::string(kJsonContentType));
    }
    r.SetHeader("Cache-Control", "no-cache, no-store");
    r.SetHeader("Pragma", "no-cache");
    r.SetHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
    return r;
}

Response OAuthError(std::string_view error, std::string_view description, OAuthFormat format) {
    return OAuthResponse(
        400,
        {{"error", std::string(error)}, {"error_description", std::string(description)}},
        format);
}

/// The identity service's error answers: a status and one word of plain text (`Bad_OAuth_Token`),
/// unlike the REST API's JSON arrays. 403 for token problems and another org, 404 for ids,
/// 406 for a bad version (Salesforce "Identity URLs" help page [M]; Bad_OAuth_Token 403 [F]).
Response IdentityError(int status, std::string_view code) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", "text/plain;charset=UTF-8");
    r.body = std::string(code);
    return r;
}

std::string StripTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

/// Client credentials from the parameters, else from `Authorization: Basic` (§A.2).
std::pair<std::string, std::string> ClientCredentials(const Params& params, const Request& req) {
    std::string id = Get(params, "client_id");
    std::string secret = Get(params, "client_secret");
    const std::string* auth = req.Header("Authorization");
    if (auth != nullptr && StartsWithI(*auth, "Basic ")) {
        std::string_view b64 = std::string_view(*auth).substr(6);
        while (!b64.empty() && b64.front() == ' ') {
            b64.remove_prefix(1);
        }
        if (auto decoded = crypto::Base64Decode(b64)) {
            const auto colon = decoded->find(':');
            if (colon != std::string::npos) {
                if (id.empty()) {
                    id = decoded->substr(0, colon);
                }
                if (secret.empty()) {
                    secret = decoded->substr(colon + 1);
                }
            }
        }
    }
    return {id, secret};
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// "60", "60.0" or "latest" -> "60.0"; anything else -> nullopt (406 Invalid_Version).
std::optional<std::string> ParseIdentityVersion(const std::string& v) {
    if (v == "latest") {
        return std::string(kLatestApiVersion);
    }
    const auto dot = v.find('.');
    const std::string major = v.substr(0, dot);
    const std::string minor = dot == std::string::npos ? "0" : v.substr(dot + 1);
    auto digits = [](const std::string& s) {
        return !s.empty() && s.size() <= 3 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(major) || !digits(minor) || std::stoi(major) == 0) {
        return std::nullopt;
    }
    return major + "." + minor;
}

void WriteCredentialsFile(const std::string& path,
                          const std::string& org_id,
                          const FirstStartCredentials& c) {
    json::object o;
    o["orgId"] = org_id;
    o["username"] = c.username;
    o["password"] = c.password;
    o["securityToken"] = c.security_token;
    o["consumerKey"] = c.consumer_key;
    o["consumerSecret"] = c.consumer_secret;
    const std::string text = codec::WriteJson(o, true) + "\n";
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    // The file may have existed with wider permissions: narrow them before writing secrets.
    bool ok = ::fchmod(fd, 0600) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        done += ok ? static_cast<std::size_t>(n) : 0;
    }
    ok = ::fsync(fd) == 0 && ok;
    const int saved = errno;
    ::close(fd);
    if (!ok) {
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(saved));
    }
}

}  // namespace

// ---- Impl ------------------------------------------------------------------------------------

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
    /// against the argon2id hashes, so that repeated logins cost an HMAC, not an argon2 run.
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

    std::once_flag dummy_once;
    std::string dummy_hash;

    DirectorySink* directory = nullptr;

    // -- bootstrap --
    FirstStartCredentials CreateDefaultOrgContent();
    void ApplyDefinition(const OrgDefinition& def);
    void LoadCaches();

    // -- login --
    std::string CredentialMac(const std::string& user_id, std::string_view presented) const;
    void Remember(const std::string& user_id, std::string_view presented, bool with_token);
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

// ---- bootstrap -------------------------------------------------------------------------------

FirstStartCredentials AuthService::Impl::CreateDefaultOrgContent() {
    FirstStartCredentials c;
    c.created = true;
    c.username = "admin@sfkit.local";
    c.password = GeneratePassword();
    c.security_token = GenerateSecurityToken();
    c.consumer_key = GenerateConsumerKey();
    c.consumer_secret = GenerateConsumerSecret();

    UserRecord u;
    u.username = c.username;
    u.first_name = "Admin";
    u.last_name = "User";
    u.email = c.username;
    u.profile_id = store.EnsureProfile(kDefaultProfile);
    u.password_hash = crypto::HashSecret(c.password);
    u.login_hash = crypto::HashSecret(c.password + c.security_token);
    u.created_ms = u.modified_ms = NowMs();
    store.InsertUser(u);
    Remember(u.id, c.password, false);
    Remember(u.id, c.password + c.security_token, true);

    AppRecord a;
    a.name = "sfkit";
    a.consumer_key = c.consumer_key;
    a.secret_salt = crypto::HexEncode(crypto::RandomBytes(32));
    a.secret_mac = crypto::HexEncode(crypto::HmacSha256(a.secret_salt, c.consumer_secret));
    a.scopes = {"api", "id", "web", "openid", "refresh_token"};
    a.callback_urls = {"http://localhost:1717/OauthRedirect"};
    a.flows = {std::string(kFlowPassword), std::string(kFlowClientCredentials)};
    a.run_as_user_id = u.id;
    store.InsertApp(a);
    return c;
}

void AuthService::Impl::ApplyDefinition(const OrgDefinition& def) {
    const std::int64_t now = NowMs();
    std::unordered_map<std::string, std::string> ids_by_username;
    for (const auto& du : def.users) {
        std::optional<UserRecord> existing = store.UserByUsername(du.username);
        UserRecord u = existing.value_or(UserRecord{});
        u.username = du.username;
        u.first_name = du.first_name;
        u.last_name = du.last_name;
        u.email = du.email;
        u.profile_id = store.EnsureProfile(du.profile);
        u.active = du.active;
        u.api_enabled = du.api_enabled;
        u.trusted_ranges = du.trusted_ip_ranges;
        const std::string with_token = du.password + du.security_token;
        // The file is authoritative: keep a stored hash only if it still verifies (this skips
        // re-hashing and a write on an unchanged restart), otherwise hash the file's value.
        if (!existing || !crypto::VerifySecret(u.password_hash, du.password)) {
            u.password_hash = crypto::HashSecret(du.password);
        }
        if (!existing || !crypto::VerifySecret(u.login_hash, with_token)) {
            u.login_hash = crypto::HashSecret(with_token);
        }
        u.modified_ms = now;
        if (existing) {
            store.UpdateUser(u);
        } else {
            u.created_ms = now;
            store.InsertUser(u);
        }
        ids_by_username[du.username] = u.id;
        Remember(u.id, du.password, false);
        Remember(u.id, with_token, true);
    }
    for (std::size_t i = 0; i < def.apps.size(); ++i) {
        const auto& da = def.apps[i];
        std::optional<AppRecord> existing = store.AppByName(da.name);
        if (auto holder = store.AppByKey(da.consumer_key);
            holder && (!existing || holder->id != existing->id)) {
            throw std::runtime_error("org definition " + def.source + ": connectedApps[" +
                                     std::to_string(i) + "].consumerKey: already used by app '" +
                                     holder->name + "' in the org database");
        }
        AppRecord a = existing.value_or(AppRecord{});
        a.name = da.name;
        a.consumer_key = da.consumer_key;
        if (!existing || !SecretMatches(a, da.consumer_secret)) {
            a.secret_salt = crypto::HexEncode(crypto::RandomBytes(32));
            a.secret_mac = crypto::HexEncode(crypto::HmacSha256(a.secret_salt, da.consumer_secret));
        }
        a.scopes = da.scopes;
        a.callback_urls = da.callback_urls;
        a.flows = da.flows;
        a.run_as_user_id =
            da.run_as_user.empty() ? std::string() : ids_by_username.at(da.run_as_user);
        a.certificate_pem = da.certificate_pem;
        if (existing) {
            store.UpdateApp(a);
        } else {
            store.InsertApp(a);
        }
    }
}

void AuthService::Impl::LoadCaches() {
    const std::int64_t now = NowMs();
    store.PurgeExpiredSessions(now);
    std::unordered_map<std::string, UserView> views;
    for (const auto& u : store.Users()) {
        views[u.id] =
            UserView{u.username, u.active, u.api_enabled, u.profile_name == kDefaultProfile};
    }
    std::unordered_map<std::string, std::string> app_names;
    for (const auto& a : store.Apps()) {
        app_names[a.id] = a.name;
    }
    std::unordered_map<std::string, Session> live;
    for (auto& row : store.LiveSessions(now)) {
        Session s;
        s.org_id = org.org_id;
        s.user_id = row.user_id;
        const auto u = views.find(row.user_id);
        s.username = u == views.end() ? std::string() : u->second.username;
        s.app_id = row.app_id;
        s.app_name = app_names[row.app_id];
        s.scopes = std::move(row.scopes);
        s.issued_at_ms = row.issued_ms;
        s.expires_at_ms = row.expires_ms;
        s.token_hash = row.token_hash;
        live.emplace(row.token_hash, std::move(s));
    }
    std::unique_lock lock(mu);
    users = std::move(views);
    sessions = std::move(live);
    last_sweep_ms = now;
}

// ---- login -----------------------------------------------------------------------------------

std::string AuthService::Impl::CredentialMac(const std::string& user_id,
                                             std::string_view presented) const {
    std::string msg = user_id;
    msg.push_back('\0');
    msg.append(presented);
    return crypto::HmacSha256(cache_key, msg);
}

void AuthService::Impl::Remember(const std::string& user_id,
                                 std::string_view presented,
                                 bool with_token) {
    std::string mac = CredentialMac(user_id, presented);
    std::unique_lock lock(mu);
    auto& v = verified[user_id];
    (with_token ? v.login_mac : v.password_mac) = std::move(mac);
}

bool AuthService::Impl::CheckCredential(const UserRecord& u,
                                        const std::string& presented,
                                        bool trusted) {
    const std::string mac = CredentialMac(u.id, presented);
    {
        std::shared_lock lock(mu);
        const auto it = verified.find(u.id);
        if (it != verified.end()) {
            if (crypto::ConstantTimeEquals(mac, it->second.login_mac) ||
                (trusted && crypto::ConstantTimeEquals(mac, it->second.password_mac))) {
                return true;
            }
        }
    }
    // password + security token works from anywhere; the bare password only from a trusted
    // range (§A.3.1, §A.5 "Trusted IP / security token").
    if (crypto::VerifySecret(u.login_hash, presented)) {
        Remember(u.id, presented, true);
        return true;
    }
    if (trusted && crypto::VerifySecret(u.password_hash, presented)) {
        Remember(u.id, presented, false);
        return true;
    }
    return false;
}

void AuthService::Impl::BurnVerify(std::string_view presented) {
    // Unknown and locked users cost the same argon2 run as a wrong password, so response time
    // does not tell them apart.
    std::call_once(dummy_once,
                   [this] { dummy_hash = crypto::HashSecret(crypto::RandomBytes(16)); });
    (void)crypto::VerifySecret(dummy_hash, presented);
}

bool AuthService::Impl::SecretMatches(const AppRecord& app, std::string_view secret) const {
    // Equal-length hex digests compared in constant time.
    const std::string mac = crypto::HexEncode(crypto::HmacSha256(app.secret_salt, secret));
    return crypto::ConstantTimeEquals(mac, app.secret_mac);
}

AuthService::Impl::LoginOutcome AuthService::Impl::VerifyLogin(const std::string& username,
                                                               const std::string& password,
                                                               const std::string& remote_ip,
                                                               bool detect_missing_token,
                                                               std::string_view channel,
                                                               bool token_optional) {
    LoginOutcome out;
    out.user = username.empty() ? std::nullopt : store.UserByUsername(username);
    const std::int64_t now = NowMs();
    if (!out.user) {
        BurnVerify(password);
        // The text is not logged: people paste passwords into the username field.
        spdlog::info("{} login failed: unknown username", channel);
        out.check = LoginCheck::kUnknownUser;
        return out;
    }
    const UserRecord& user = *out.user;
    if (IsLocked(user.lock, now)) {
        // A locked user gets exactly the wrong-password answer (§A.5 "Login lockout").
        BurnVerify(password);
        spdlog::info("{} login refused for '{}': locked out", channel, user.username);
        out.check = LoginCheck::kLocked;
        return out;
    }
    // A browser login (token_optional) needs no security token: Salesforce's login page asks
    // for the password alone and verifies new devices by other means.
    const bool trusted = token_optional || IpInRanges(remote_ip, user.trusted_ranges) ||
                         IpInRanges(remote_ip, org_trusted_ranges);
    if (!CheckCredential(user, password, trusted)) {
        const LockState after = store.RecordFailure(user.id, lockout, now);
        spdlog::info("{} login failed for '{}' ({} consecutive{})",
                     channel,
                     user.username,
                     after.failed,
                     IsLocked(after, now) ? ", now locked" : "");
        // The right password without the security token from outside the trusted ranges (§A.5
        // "Trusted IP / security token"). Still a failure for the lockout count.
        out.check =
            detect_missing_token && !trusted && crypto::VerifySecret(user.password_hash, password)
                ? LoginCheck::kNeedsToken
                : LoginCheck::kBadCredential;
        return out;
    }
    if (user.lock.failed != 0 || user.lock.locked_until_ms != 0) {
        store.ResetFailures(user.id);
    }
    out.check = user.active ? LoginCheck::kOk : LoginCheck::kInactive;
    return out;
}

// ---- sessions --------------------------------------------------------------------------------

std::string AuthService::Impl::ExtractToken(const Request& req, const Params* params) const {
    if (const std::string* auth = req.Header("Authorization")) {
        std::string_view v = *auth;
        for (std::string_view scheme : {"Bearer ", "OAuth "}) {
            if (StartsWithI(v, scheme)) {
                v.remove_prefix(scheme.size());
                while (!v.empty() && v.front() == ' ') {
                    v.remove_prefix(1);
                }
                while (!v.empty() && v.back() == ' ') {
                    v.remove_suffix(1);
                }
                return std::string(v);
            }
        }
    }
    if (params != nullptr) {
        for (std::string_view name : {"oauth_token", "access_token"}) {
            if (const std::string* t = Find(*params, name); t != nullptr && !t->empty()) {
                return *t;
            }
        }
    }
    return {};
}

std::optional<Session> AuthService::Impl::FindSession(const std::string& token) const {
    if (token.empty()) {
        return std::nullopt;
    }
    const std::string hash = crypto::Sha256Hex(token);
    std::shared_lock lock(mu);
    const auto it = sessions.find(hash);
    if (it == sessions.end() || it->second.expires_at_ms <= NowMs()) {
        return std::nullopt;
    }
    return it->second;
}

std::string AuthService::Impl::IssueSession(const UserRecord& user,
                                            const std::string& app_id,
                                            const std::string& app_name,
                                            std::vector<std::string> scopes,
                                            std::int64_t now) {
    const std::string token = GenerateAccessToken(org.org_id.substr(0, 15));
    Session s;
    s.org_id = org.org_id;
    s.user_id = user.id;
    s.username = user.username;
    s.app_id = app_id;
    s.app_name = app_name;
    s.scopes = std::move(scopes);
    s.issued_at_ms = now;
    s.expires_at_ms = now + session_timeout_ms;
    s.token_hash = crypto::Sha256Hex(token);
    const auto insert = [&] {
        store.InsertSession(SessionRow{
            s.token_hash, s.user_id, s.app_id, s.scopes, s.issued_at_ms, s.expires_at_ms});
    };
    if (directory != nullptr) {
        directory->RecordLogin(user.id, now, insert);  // session + User.LastLoginDate, one commit
    } else {
        insert();
    }
    bool sweep = false;
    {
        std::unique_lock lock(mu);
        // Expired sessions leave the cache (and the table) at most once a minute.
        if (now - last_sweep_ms > 60'000) {
            std::erase_if(sessions,
                          [now](const auto& kv) { return kv.second.expires_at_ms <= now; });
            last_sweep_ms = now;
            sweep = true;
        }
        sessions.emplace(s.token_hash, std::move(s));
    }
    if (sweep) {
        store.PurgeExpiredSessions(now);
    }
    return token;
}

Response AuthService::Impl::IssueToken(const AppRecord& app,
                                       const UserRecord& user,
                                       std::vector<std::string> scopes,
                                       const std::string& client_secret,
                                       const std::string& base_url,
                                       OAuthFormat format,
                                       const std::string& refresh_token,
                                       const std::string& refresh_hash) {
    const std::int64_t now = NowMs();
    const std::string scope_text = JoinList(scopes, ' ');
    const std::string token = IssueSession(user, app.id, app.name, std::move(scopes), now);
    if (!refresh_hash.empty()) {
        store.LinkRefreshSession(refresh_hash, crypto::Sha256Hex(token));
    }
    const std::string issued_at = std::to_string(now);
    const std::string id_url = base_url + "/id/" + org.org_id + "/" + user.id;
    // Current docs key order (§A.3): access_token, [refresh_token], signature, scope, ...
    Fields fields{{"access_token", token}};
    if (!refresh_token.empty()) {
        fields.emplace_back("refresh_token", refresh_token);
    }
    // A public (PKCE-only) client has no secret to sign with: no signature then (§A.4 [M]).
    if (!client_secret.empty()) {
        fields.emplace_back("signature", TokenSignature(client_secret, id_url, issued_at));
    }
    fields.emplace_back("scope", scope_text);
    fields.emplace_back("instance_url", base_url);
    fields.emplace_back("id", id_url);
    fields.emplace_back("token_type", "Bearer");
    fields.emplace_back("issued_at", issued_at);
    return OAuthResponse(200, fields, format);
}

bool AuthService::Impl::RevokeSession(const std::string& token) {
    if (token.empty()) {
        return false;
    }
    const std::string hash = crypto::Sha256Hex(token);
    // The cache holds every session issued or loaded, so it alone says whether the token was live.
    bool live = false;
    {
        std::unique_lock lock(mu);
        if (const auto it = sessions.find(hash); it != sessions.end()) {
            live = it->second.expires_at_ms > NowMs();
            sessions.erase(it);
        }
    }
    store.DeleteSession(hash);
    return live;
}

// ---- handlers --------------------------------------------------------------------------------

Response AuthService::Impl::HandleToken(Call& call) {
    const Request& req = call.req;
    const Params params = RequestParams(req);
    const OAuthFormat format = NegotiateOAuthFormat(params, req);
    const std::string base_url = StripTrailingSlash(call.base_url);

    const std::string grant = Get(params, "grant_type");
    if (grant == kJwtBearerGrant) {
        return HandleJwtBearer(Get(params, "assertion"), base_url, format);
    }
    // Grants the local org does not offer (authorization_code, device, token-exchange,
    // saml2-bearer, ...) get Salesforce's answer to an unknown grant (§A.2).
    if (grant != "password" && grant != "client_credentials" && grant != "refresh_token" &&
        grant != "authorization_code") {
        return OAuthError("unsupported_grant_type", "grant type not supported", format);
    }
    const auto [client_id, client_secret] = ClientCredentials(params, req);
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app) {
        return OAuthError("invalid_client_id", "client identifier invalid", format);
    }
    // The refresh flow may omit the secret (§A.3.3 `[&client_secret=...]`); a wrong one still
    // fails.
    // The web-server flow decides once it knows whether the code was bound to a PKCE challenge.
    const bool secret_optional =
        (grant == "refresh_token" || grant == "authorization_code") && client_secret.empty();
    if (!secret_optional && !SecretMatches(*app, client_secret)) {
        return OAuthError("invalid_client", "invalid client credentials", format);
    }

    if (grant == "refresh_token") {
        return HandleRefresh(params, *app, client_secret, base_url, format);
    }
    if (grant == "authorization_code") {
        return HandleAuthorizationCode(params, *app, client_secret, base_url, format);
    }

    if (grant == "client_credentials") {
        if (!Contains(app->flows, kFlowClientCredentials)) {
            return OAuthError("invalid_grant", "client credentials flow not enabled", format);
        }
        const auto user =
            app->run_as_user_id.empty() ? std::nullopt : store.UserById(app->run_as_user_id);
        if (!user) {
            return OAuthError("invalid_grant", "no client credentials user enabled", format);
        }
        if (!user->active) {
            return OAuthError("invalid_grant", "inactive user", format);
        }
        // Never granted in this flow (§A.3.2).
        std::vector<std::string> scopes;
        for (const auto& sc : app->scopes) {
            if (sc != "refresh_token" && sc != "offline_access" && sc != "full" && sc != "web") {
                scopes.push_back(sc);
            }
        }
        spdlog::debug(
            "client_credentials token issued: app '{}', run as {}", app->name, user->username);
        return IssueToken(*app, *user, std::move(scopes), client_secret, base_url, format);
    }

    // grant_type=password
    const std::string username = Get(params, "username");
    const std::string password = Get(params, "password");
    if (!Contains(app->flows, kFlowPassword)) {
        // Real orgs answer a disabled username-password flow with the generic failure and
        // record "Username-Password Flow Disabled" in the login history.
        spdlog::info("password login refused: flow not enabled on app '{}'", app->name);
        return OAuthError("invalid_grant", "authentication failure", format);
    }
    const LoginOutcome login =
        VerifyLogin(username, password, req.remote_ip, /*detect_missing_token=*/false, "password");
    if (login.check == LoginCheck::kInactive) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    if (login.check != LoginCheck::kOk) {
        // Unknown user, wrong password or token, missing token, lockout: one answer (§A.5).
        return OAuthError("invalid_grant", "authentication failure", format);
    }
    const UserRecord* user = &*login.user;
    spdlog::debug("password login: {} via app '{}'", user->username, app->name);
    return IssueToken(*app, *user, app->scopes, client_secret, base_url, format);
}

Response AuthService::Impl::HandleJwtBearer(const std::string& assertion,
                                            const std::string& base_url,
                                            OAuthFormat format) {
    // The assertion is a bearer credential: never logged, not even in part.
    const auto refuse = [&](std::string_view error, std::string_view description) {
        return OAuthError(error, description, format);
    };
    const std::optional<jwt::Assertion> a = jwt::ParseAssertion(assertion);
    // Only RS256 (§A.3.4 header {"alg":"RS256"}); `none`, HS256 and the rest are refused.
    if (!a || a->alg != "RS256") {
        spdlog::info("jwt-bearer login refused: malformed assertion or alg not RS256");
        return refuse("invalid_grant", "invalid assertion");
    }
    const std::optional<AppRecord> app = a->iss.empty() ? std::nullopt : store.AppByKey(a->iss);
    if (!app) {
        spdlog::info("jwt-bearer login refused: unknown issuer (consumer key)");
        return refuse("invalid_client_id", "client identifier invalid");
    }
    if (app->certificate_pem.empty() ||
        !jwt::VerifyRs256(a->signing_input, a->signature, app->certificate_pem)) {
        spdlog::info(
            "jwt-bearer login refused: signature does not verify with the certificate "
            "of app '{}'{}",
            app->name,
            app->certificate_pem.empty() ? " (the app has none)" : "");
        return refuse("invalid_grant", "invalid assertion");
    }
    const bool audience_ok = a->aud && (*a->aud == kProductionLoginHost ||
                                        *a->aud == kSandboxLoginHost || *a->aud == base_url);
    if (!audience_ok) {
        spdlog::info("jwt-bearer login refused: audience (app '{}')", app->name);
        return refuse("invalid_grant", "Audience validation failed");
    }
    const std::int64_t now = NowMs();
    if (!a->exp || *a->exp <= (now - kJwtClockSkewMs) / 1000) {  // seconds: no overflow
        spdlog::info("jwt-bearer login refused: expired or missing exp (app '{}')", app->name);
        return refuse("invalid_grant", "expired authorization code");
    }
    const auto user = a->sub.empty() ? std::nullopt : store.UserByUsername(a->sub);
    if (!user) {
        spdlog::info("jwt-bearer login refused: unknown subject (app '{}')", app->name);
        return refuse("invalid_grant", "user hasn't approved this consumer");
    }
    if (!user->active) {
        spdlog::info("jwt-bearer login refused for '{}': inactive user", user->username);
        return refuse("invalid_grant", "inactive user");
    }
    if (IsLocked(user->lock, now)) {
        spdlog::info("jwt-bearer login refused for '{}': locked out", user->username);
        return refuse("invalid_grant", "authentication failure");
    }
    spdlog::debug("jwt-bearer login: {} via app '{}'", user->username, app->name);
    const std::string scope_text = JoinList(app->scopes, ' ');
    const std::string token = IssueSession(*user, app->id, app->name, app->scopes, now);
    // §A.3.4: the documented answer has no signature, issued_at or refresh_token.
    return OAuthResponse(200,
                         {{"access_token", token},
                          {"scope", scope_text},
                          {"instance_url", base_url},
                          {"id", base_url + "/id/" + org.org_id + "/" + user->id},
                          {"token_type", "Bearer"}},
                         format);
}

Response AuthService::Impl::HandleRevoke(Call& call) {
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    const std::string token = Get(params, "token");
    // §A.6: errors are 400 with a form-encoded body, %20 for spaces: a real capture
    // (omniphx/forrest#213) shows `error=unsupported_token_type&error_description=this%20token%20
    // type%20is%20not%20supported` for a request without a usable `token`, and jsforce parses
    // revoke errors as a form. The invalid_token text is the docs' [D].
    const auto revoke_error = [](std::string_view error, std::string_view description) {
        Response r;
        r.status = 400;
        r.SetHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
        r.SetHeader("Cache-Control", "no-cache, no-store");
        std::string encoded = FormEncode(description);
        std::string spaced;
        for (char c : encoded) {
            spaced += c == '+' ? std::string("%20") : std::string(1, c);
        }
        r.body = "error=" + std::string(error) + "&error_description=" + spaced;
        return r;
    };
    if (token.empty()) {
        return revoke_error("unsupported_token_type", "this token type is not supported");
    }
    if (!RevokeSession(token)) {
        // A refresh token: revoking it also ends the access tokens issued with or from it (§A.6).
        const auto ended = store.DeleteRefreshToken(crypto::Sha256Hex(token));
        if (!ended) {
            return revoke_error("invalid_token", "Token was invalid");
        }
        {
            std::unique_lock lock(mu);
            for (const auto& h : *ended) {
                sessions.erase(h);
            }
        }
        spdlog::debug("refresh token revoked with {} access token(s)", ended->size());
    } else {
        spdlog::debug("access token revoked");
    }
    Response r;
    r.status = 200;
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

Response AuthService::Impl::HandleIntrospect(Call& call) {
    const Request& req = call.req;
    const Params params = RequestParams(req, /*body_if_untyped=*/true);
    const auto [client_id, client_secret] = ClientCredentials(params, req);
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app || !SecretMatches(*app, client_secret)) {
        // RFC 7662 leaves client-authentication failures to RFC 6749 §5.2 (401 invalid_client)
        // [M for Salesforce].
        return OAuthResponse(
            401,
            {{"error", "invalid_client"}, {"error_description", "invalid client credentials"}},
            OAuthFormat::kJson);
    }
    const std::optional<Session> s = FindSession(Get(params, "token"));
    json::object o;
    // Only tokens issued to the calling app are disclosed ("Introspect All Tokens" is off by
    // default); anything else is {"active":false} with 200 (§A.7).
    if (!s || s->app_id != app->id) {
        o["active"] = false;
    } else {
        o["active"] = true;
        o["scope"] = JoinList(s->scopes, ' ');
        o["client_id"] = app->consumer_key;
        o["username"] = s->username;
        o["sub"] = StripTrailingSlash(call.base_url) + "/id/" + org.org_id + "/" + s->user_id;
        o["token_type"] = "access_token";
        o["exp"] = s->expires_at_ms / 1000;
        o["iat"] = s->issued_at_ms / 1000;
        o["nbf"] = s->issued_at_ms / 1000;
    }
    Response r = JsonResponse(200, o, false);
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

IdentityFacts AuthService::Impl::FactsFor(const UserRecord& u, const std::string& base_url) const {
    IdentityFacts f;
    f.base_url = StripTrailingSlash(base_url);
    f.org_id = org.org_id;
    f.user_id = u.id;
    f.username = u.username;
    f.first_name = u.first_name;
    f.last_name = u.last_name;
    f.email = u.email;
    f.active = u.active;
    f.modified_ms = u.modified_ms;
    return f;
}

std::variant<AuthService::Impl::IdentityCall, Response> AuthService::Impl::ReadIdentityCall(
    const Call& call) const {
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    const std::string token = ExtractToken(call.req, &params);
    if (token.empty()) {
        return IdentityError(403, "Missing_OAuth_Token");
    }
    std::optional<Session> s = FindSession(token);
    if (!s) {
        return IdentityError(403, "Bad_OAuth_Token");
    }
    IdentityCall out{std::move(*s), {}, call.format == Format::kXml};
    if (const std::string* v = Find(params, "version")) {
        auto parsed = ParseIdentityVersion(*v);
        if (!parsed) {
            return IdentityError(406, "Invalid_Version");
        }
        out.version = *parsed;
    }
    if (const std::string* fmt = Find(params, "format")) {
        out.xml = *fmt == "xml";
    }
    return out;
}

namespace {

Response IdentityAnswer(std::string body, bool xml) {
    Response r;
    r.status = 200;
    r.body = std::move(body);
    r.SetHeader("Content-Type", std::string(xml ? kXmlContentType : kJsonContentType));
    return r;
}

}  // namespace

Response AuthService::Impl::HandleIdentity(Call& call) {
    auto read = ReadIdentityCall(call);
    if (Response* error = std::get_if<Response>(&read)) {
        return std::move(*error);
    }
    const IdentityCall& ic = std::get<IdentityCall>(read);
    const Session* s = &ic.session;
    const auto org_id = Id::Parse(call.Param("org"));
    const auto user_id = Id::Parse(call.Param("user"));
    if (!org_id || org_id->KeyPrefix() != "00D" || !user_id || user_id->KeyPrefix() != "005") {
        return IdentityError(404, "Bad_Id");
    }
    if (org_id->Str18() != org.org_id) {
        return IdentityError(403, "Wrong_Org");
    }
    const std::optional<UserRecord> user = store.UserById(user_id->Str18());
    if (!user) {
        return IdentityError(404, "Bad_Id");
    }
    if (user->id != s->user_id) {
        // Another user's identity needs an api/full-scoped token of a user who may view all
        // data (here: the System Administrator profile).
        bool admin = false;
        {
            std::shared_lock lock(mu);
            const auto it = users.find(s->user_id);
            admin = it != users.end() && it->second.admin;
        }
        if (!admin || !(Contains(s->scopes, "api") || Contains(s->scopes, "full"))) {
            return IdentityError(404, "No_Access");
        }
    }
    if (!user->active) {
        return IdentityError(404, "Inactive");
    }
    IdentityFacts f = FactsFor(*user, call.base_url);
    f.version = ic.version;
    return IdentityAnswer(IdentityDocument(f, ic.xml, call.pretty), ic.xml);
}

Response AuthService::Impl::HandleUserInfo(Call& call) {
    auto read = ReadIdentityCall(call);
    if (Response* error = std::get_if<Response>(&read)) {
        return std::move(*error);
    }
    const IdentityCall& ic = std::get<IdentityCall>(read);
    const std::optional<UserRecord> user = store.UserById(ic.session.user_id);
    if (!user || !user->active) {
        return IdentityError(403, "Bad_OAuth_Token");
    }
    IdentityFacts f = FactsFor(*user, call.base_url);
    f.version = ic.version;
    return IdentityAnswer(UserInfoDocument(f, ic.xml, call.pretty), ic.xml);
}

// ---- SOAP login (§A.9) -----------------------------------------------------------------------

namespace {

constexpr const char* kInvalidLoginMessage =
    "Invalid username, password, security token; or user locked out.";
// §A.5 "Trusted IP / security token" [R] (jsforce#487), including the typographic apostrophe.
constexpr const char* kMustUseTokenMessage =
    "Invalid username, password, security token; or user locked out. Are you at a new location? "
    "When accessing Salesforce--either via a desktop client or the API--from outside of your "
    "company\u2019s trusted networks, you must add a security token to your password to log in. "
    "To get your new security token, log in to Salesforce. From your personal settings, enter "
    "Reset My Security Token in the Quick Find box, then select Reset My Security Token.";
/// First API version without SOAP login() (peers.md §3; forcedotcom/wsc#363 [R]).
constexpr int kFirstVersionWithoutSoapLogin = 65;

Response SoapAnswer(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.SetHeader("Content-Type", "text/xml;charset=UTF-8");
    return r;
}

}  // namespace

Response AuthService::Impl::HandleSoapLogin(Call& call, SoapApi api) {
    const Request& req = call.req;
    if (req.method != "POST") {
        // §A.9 [R]: anything but POST gets an HTML 405 page, not a SOAP fault.
        Response r;
        r.status = 405;
        r.SetHeader("Content-Type", "text/html;charset=UTF-8");
        r.SetHeader("Allow", "POST");
        r.body =
            "<html><head><title>Error 405 Only POST allowed</title></head><body><h2>HTTP ERROR "
            "405</h2><p>Problem accessing " +
            req.path + ". Reason:<pre>    Only POST allowed</pre></p></body></html>";
        return r;
    }
    const auto fault = [api](const SoapFault& f) { return SoapAnswer(500, SoapFaultXml(f, api)); };
    const std::string& version = call.Param("version");
    const std::optional<int> major = ParseSoapVersion(version);
    if (!major || *major < kMinApiVersion || *major > kMaxApiVersion) {
        // Retired (< 31.0, §B.0) and unknown versions.
        return fault(
            SoapFault::Api("UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL"));
    }
    SoapFault parse_fault;
    const std::optional<SoapCall> soap = ParseSoapEnvelope(req.body, &parse_fault);
    if (!soap) {
        return fault(parse_fault);
    }
    if (soap->operation_ns != SoapNamespace(api)) {
        // A partner envelope sent to the enterprise endpoint, or the reverse.
        return fault(SoapFault::Client("No operation available for request {" + soap->operation_ns +
                                       "}" + soap->operation +
                                       ", please check the WSDL for the service."));
    }
    if (soap->operation != "login") {
        if (!FindSession(soap->session_id)) {
            return fault(
                SoapFault::Api("INVALID_SESSION_ID",
                               "Invalid Session ID found in SessionHeader: Illegal Session",
                               "UnexpectedErrorFault"));
        }
        if (soap->operation == "logout") {
            // jsforce's logout() for SOAP sessions: the session ends at once.
            RevokeSession(soap->session_id);
            return SoapAnswer(200, SoapLogoutResponseXml(api));
        }
        // Only login() and logout() are served over SOAP; the data calls exist over REST.
        return fault(SoapFault::Api("INVALID_OPERATION",
                                    "The SOAP API call " + soap->operation +
                                        "() is not available in sfkit's local org; use the "
                                        "REST API"));
    }
    if (*major >= kFirstVersionWithoutSoapLogin) {
        return fault(SoapFault::Api("INVALID_OPERATION",
                                    "The SOAP Login operation is not available in the API version "
                                    "specified (" +
                                        version +
                                        "). Refer to the documentation for supported versions."));
    }
    const LoginOutcome login = VerifyLogin(
        soap->username, soap->password, req.remote_ip, /*detect_missing_token=*/true, "SOAP");
    if (login.check == LoginCheck::kNeedsToken) {
        return fault(SoapFault::Login("LOGIN_MUST_USE_SECURITY_TOKEN", kMustUseTokenMessage));
    }
    if (login.check != LoginCheck::kOk) {
        // Unknown user, wrong password, lockout and inactive users look the same (§A.5).
        return fault(SoapFault::Login("INVALID_LOGIN", kInvalidLoginMessage));
    }
    const UserRecord& user = *login.user;
    if (!user.api_enabled) {
        // OAuth issues a token and REST refuses it; SOAP refuses the login itself [M].
        return fault(SoapFault::Login("API_CURRENTLY_DISABLED", "API is disabled for this User"));
    }
    // A SOAP session is a full session, usable as a REST Bearer token (§A.4).
    SoapLoginResult r;
    r.session_id = IssueSession(user, /*app_id=*/"", /*app_name=*/"", {"full"}, NowMs());
    r.base_url = StripTrailingSlash(call.base_url);
    r.version = version;
    r.org_id = org.org_id;
    r.org_name = org.name;
    r.user_id = user.id;
    r.profile_id = user.profile_id;
    r.username = user.username;
    r.email = user.email;
    r.full_name = user.first_name.empty() ? user.last_name : user.first_name + " " + user.last_name;
    r.session_seconds_valid = session_timeout_ms / 1000;
    spdlog::debug("SOAP login: {}", user.username);
    return SoapAnswer(200, SoapLoginResponseXml(r, api));
}

// ---- authorize (§A.3.5) -----------------------------------------------------------------------

Response AuthService::Impl::HandleRefresh(const Params& params,
                                          const AppRecord& app,
                                          const std::string& client_secret,
                                          const std::string& base_url,
                                          OAuthFormat format) {
    // Unknown, revoked or another app's refresh token: one answer (§A.3.3, §A.5 [R]).
    const std::string token = Get(params, "refresh_token");
    const auto row = token.empty() ? std::nullopt : store.RefreshByHash(crypto::Sha256Hex(token));
    if (!row || row->app_id != app.id) {
        spdlog::info("refresh_token grant refused: unknown refresh token (app '{}')", app.name);
        return OAuthError("invalid_grant", "expired access/refresh token", format);
    }
    const auto user = store.UserById(row->user_id);
    if (!user) {
        return OAuthError("invalid_grant", "expired access/refresh token", format);
    }
    if (!user->active) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    spdlog::debug("refresh_token grant: {} via app '{}'", user->username, app.name);
    // No new refresh token (rotation is an opt-in app setting on Salesforce, §A.3.3).
    return IssueToken(
        app, *user, row->scopes, client_secret, base_url, format, {}, row->token_hash);
}

Response AuthService::Impl::HandleAuthorizationCode(const Params& params,
                                                    const AppRecord& app,
                                                    const std::string& client_secret,
                                                    const std::string& base_url,
                                                    OAuthFormat format) {
    const std::string code = Get(params, "code");
    // Single use: the code is deleted by the first exchange, whatever its outcome (§A.3.5).
    const auto row = code.empty() ? std::nullopt : store.TakeAuthCode(crypto::Sha256Hex(code));
    const std::int64_t now = NowMs();
    if (!row || row->app_id != app.id || row->expires_ms <= now) {
        spdlog::info("authorization_code grant refused: unknown, used or expired code (app '{}')",
                     app.name);
        return OAuthError("invalid_grant", "expired authorization code", format);
    }
    // "Require Secret for Web Server Flow" is Salesforce's default; like Salesforce with that
    // setting off, a code bound to a PKCE challenge may be exchanged without the secret.
    if (client_secret.empty() && row->code_challenge.empty()) {
        return OAuthError("invalid_client", "invalid client credentials", format);
    }
    if (Get(params, "redirect_uri") != row->redirect_uri) {
        // nforce#134, jsforce#482: a redirect_uri mismatch at the token step (§A.3.5 [R]).
        return OAuthError("invalid_grant", "authentication failure", format);
    }
    const std::string* verifier = Find(params, "code_verifier");
    if (!row->code_challenge.empty()) {
        // §A.3.5 [D]: challenge given but no verifier -> invalid_grant; a verifier that does not
        // match -> invalid_request. Texts [M] (n8n#32421 quotes "Invalid Code Verifier").
        if (verifier == nullptr || verifier->empty()) {
            return OAuthError("invalid_grant", "invalid code verifier", format);
        }
        const std::string expected =
            row->challenge_method == "plain" ? *verifier : PkceS256Challenge(*verifier);
        if (!crypto::ConstantTimeEquals(expected, row->code_challenge)) {
            return OAuthError("invalid_request", "invalid code verifier", format);
        }
    } else if (verifier != nullptr && !verifier->empty()) {
        return OAuthError("invalid_grant", "invalid code verifier", format);
    }
    const auto user = store.UserById(row->user_id);
    if (!user) {
        return OAuthError("invalid_grant", "expired authorization code", format);
    }
    if (!user->active) {
        return OAuthError("invalid_grant", "inactive user", format);
    }
    std::string refresh_token;
    std::string refresh_hash;
    if (Contains(row->scopes, "refresh_token") || Contains(row->scopes, "offline_access")) {
        refresh_token = GenerateRefreshToken();
        refresh_hash = crypto::Sha256Hex(refresh_token);
        store.InsertRefreshToken(RefreshRow{refresh_hash, user->id, app.id, row->scopes, now});
    }
    spdlog::debug("authorization_code grant: {} via app '{}'", user->username, app.name);
    return IssueToken(
        app, *user, row->scopes, client_secret, base_url, format, refresh_token, refresh_hash);
}

namespace {

std::string HtmlEscape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

/// The local org's login page for the web-server flow: no external assets, every echoed value
/// escaped, the authorize request carried in hidden fields.
Response LoginPage(const AppRecord& app,
                   const Params& params,
                   const std::string& username,
                   std::string_view error) {
    std::string h =
        "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>Login | Local Org</title>"
        "</head>\n<body>\n<h1>Log in to allow access</h1>\n<p>App: <strong>" +
        HtmlEscape(app.name) + "</strong></p>\n";
    if (!error.empty()) {
        h += "<p id=\"error\" role=\"alert\">" + HtmlEscape(error) + "</p>\n";
    }
    h += "<form method=\"POST\" action=\"/services/oauth2/authorize\">\n";
    for (const char* name : {"response_type",
                             "client_id",
                             "redirect_uri",
                             "scope",
                             "state",
                             "code_challenge",
                             "code_challenge_method",
                             "nonce",
                             "display",
                             "prompt"}) {
        if (const std::string* v = Find(params, name)) {
            h += "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" +
                 HtmlEscape(*v) + "\">\n";
        }
    }
    h += "<input type=\"hidden\" name=\"sfkit_login\" value=\"1\">\n"
         "<label>Username <input type=\"text\" name=\"username\" value=\"" +
         HtmlEscape(username) +
         "\" autocomplete=\"username\"></label>\n"
         "<label>Password <input type=\"password\" name=\"password\" "
         "autocomplete=\"current-password\"></label>\n"
         "<button type=\"submit\">Log In</button>\n</form>\n</body></html>\n";
    Response r;
    r.status = 200;
    r.SetHeader("Content-Type", "text/html;charset=UTF-8");
    r.SetHeader("Cache-Control", "no-cache, no-store");
    r.SetHeader("X-Frame-Options", "DENY");
    r.body = std::move(h);
    return r;
}

}  // namespace

Response AuthService::Impl::HandleAuthorize(Call& call) {
    // The local org has no browser login yet, so no response type is served. The checks before
    // that are Salesforce's: a bad client_id or redirect_uri is shown as an error page (never
    // redirected, §A.3.5 [R] texts; status and page markup [M]); a valid request is redirected
    // back with the OAuth error for a response type the server does not support (RFC 6749
    // §4.1.2.1; in the fragment for the user-agent flow).
    const Params params = RequestParams(call.req, /*body_if_untyped=*/true);
    auto page = [](std::string_view text) {
        Response r;
        r.status = 400;
        r.SetHeader("Content-Type", "text/html;charset=UTF-8");
        r.body = std::string(text);
        return r;
    };
    const std::string client_id = Get(params, "client_id");
    const std::optional<AppRecord> app =
        client_id.empty() ? std::nullopt : store.AppByKey(client_id);
    if (!app) {
        return page("error=invalid_client_id&error_description=client%20identifier%20invalid");
    }
    const std::string redirect_uri = Get(params, "redirect_uri");
    if (redirect_uri.empty() || !Contains(app->callback_urls, redirect_uri)) {
        return page(
            "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%"
            "20configuration");
    }
    const std::string response_type = Get(params, "response_type");
    const bool fragment = response_type.rfind("token", 0) == 0;
    const std::string* state = Find(params, "state");
    const auto redirect = [&](const std::string& query) {
        std::string location = redirect_uri;
        location += fragment ? '#' : (redirect_uri.find('?') == std::string::npos ? '?' : '&');
        location += query;
        if (state != nullptr) {
            location += "&state=" + FormEncode(*state);
        }
        Response r;
        r.status = 302;
        r.SetHeader("Location", location);
        r.SetHeader("Cache-Control", "no-cache, no-store");
        return r;
    };
    if (response_type == "code") {
        // Granted scopes: the requested ones the app has (all of the app's when none asked).
        std::vector<std::string> scopes;
        const std::vector<std::string> requested = SplitList(Get(params, "scope"), ' ');
        for (const auto& sc : requested) {
            if (!sc.empty() && Contains(app->scopes, sc) && !Contains(scopes, sc)) {
                scopes.push_back(sc);
            }
        }
        bool asked = false;
        for (const auto& sc : requested) {
            asked = asked || !sc.empty();
        }
        if (!asked) {
            scopes = app->scopes;
        } else if (scopes.empty()) {
            // §A.3.5 [R] text; Salesforce shows it on its own error page, we redirect (RFC 6749
            // §4.1.2.1) [M].
            return redirect(
                "error=invalid_scope&error_description=the%20requested%20scope%20is%20not%"
                "20allowed");
        }
        const std::string challenge = Get(params, "code_challenge");
        std::string method = Get(params, "code_challenge_method");
        if (method.empty()) {
            method = "S256";  // Salesforce's docs describe the SHA-256 challenge only
        }
        if (!challenge.empty() && method != "S256" && method != "plain") {
            return redirect(
                "error=invalid_request&error_description=invalid%20code%20challenge%20method");
        }
        if (call.req.method != "POST" || Get(params, "sfkit_login") != "1") {
            return LoginPage(*app, params, Get(params, "login_hint"), {});
        }
        const std::string username = Get(params, "username");
        const LoginOutcome login = VerifyLogin(username,
                                               Get(params, "password"),
                                               call.req.remote_ip,
                                               /*detect_missing_token=*/false,
                                               "web",
                                               /*token_optional=*/true);
        if (login.check != LoginCheck::kOk) {
            return LoginPage(*app,
                             params,
                             username,
                             login.check == LoginCheck::kInactive
                                 ? "Your user is inactive. Contact your administrator."
                                 : "Please check your username and password. If you still "
                                   "can't log in, contact your Salesforce administrator.");
        }
        const std::string code = GenerateAuthorizationCode();
        store.InsertAuthCode(AuthCodeRow{crypto::Sha256Hex(code),
                                         app->id,
                                         login.user->id,
                                         redirect_uri,
                                         scopes,
                                         challenge,
                                         challenge.empty() ? std::string() : method,
                                         NowMs() + kAuthCodeLifetimeMs});
        spdlog::info("authorize: {} approved app '{}'", login.user->username, app->name);
        return redirect("code=" + FormEncode(code));
    }
    spdlog::info("authorize: response type '{}' is not offered by the local org", response_type);
    return redirect(
        "error=unsupported_response_type&error_description=response%20type%20not%20supported");
}

// ---- discovery -------------------------------------------------------------------------------

Response AuthService::Impl::HandleOpenIdConfiguration(Call& call) const {
    // Key order of Salesforce's published sample (Help "Query for the OpenID Connect
    // Configuration"); values point at this org. Only what the local org serves is advertised:
    // no registration or logout endpoints, and grant_types_supported lists the grants the token
    // endpoint accepts.
    const std::string b = StripTrailingSlash(call.base_url);
    auto strings = [](std::initializer_list<const char*> items) {
        json::array a;
        for (const char* i : items) {
            a.emplace_back(i);
        }
        return a;
    };
    json::object o;
    o["issuer"] = b;
    o["authorization_endpoint"] = b + "/services/oauth2/authorize";
    o["token_endpoint"] = b + "/services/oauth2/token";
    o["revocation_endpoint"] = b + "/services/oauth2/revoke";
    o["userinfo_endpoint"] = b + "/services/oauth2/userinfo";
    o["jwks_uri"] = b + "/id/keys";
    o["introspection_endpoint"] = b + "/services/oauth2/introspect";
    o["scopes_supported"] = strings({"id",
                                     "api",
                                     "web",
                                     "full",
                                     "chatter_api",
                                     "visualforce",
                                     "refresh_token",
                                     "openid",
                                     "profile",
                                     "email",
                                     "address",
                                     "phone",
                                     "offline_access",
                                     "custom_permissions",
                                     "wave_api",
                                     "eclair_api"});
    o["response_types_supported"] = strings({"code", "token", "token id_token"});
    o["subject_types_supported"] = strings({"public"});
    o["id_token_signing_alg_values_supported"] = strings({"RS256"});
    o["display_values_supported"] = strings({"page", "popup", "touch"});
    o["token_endpoint_auth_methods_supported"] =
        strings({"client_secret_post", "client_secret_basic"});
    o["claims_supported"] = strings({"active",
                                     "address",
                                     "email",
                                     "email_verified",
                                     "family_name",
                                     "given_name",
                                     "is_app_installed",
                                     "language",
                                     "locale",
                                     "name",
                                     "nickname",
                                     "organization_id",
                                     "phone_number",
                                     "phone_number_verified",
                                     "photos",
                                     "picture",
                                     "preferred_username",
                                     "profile",
                                     "sub",
                                     "updated_at",
                                     "urls",
                                     "user_id",
                                     "user_type",
                                     "zoneinfo"});
    o["grant_types_supported"] = strings({"authorization_code",
                                          "password",
                                          "client_credentials",
                                          "refresh_token",
                                          kJwtBearerGrant.data()});
    Response r = JsonResponse(200, o, call.pretty);
    r.SetHeader("Cache-Control", "no-cache, no-store");
    return r;
}

Response AuthService::Impl::HandleAuthConfiguration(Call& call) const {
    // Shape of the sample in Salesforce's Postman collection / Help "Query SAML Authentication
    // Settings" for an org without SSO or auth providers: 15-char org id, the org's URL.
    json::object mobile;
    mobile["UseiOSNativeBrowserForAuthentication"] = false;
    mobile["UseAndroidNativeBrowserForAuthentication"] = false;
    mobile["shareBrowserSessionIOS"] = false;
    mobile["shareBrowserSessionAndroid"] = false;
    json::object o;
    o["OrgId"] = org.org_id.substr(0, 15);
    o["Url"] = StripTrailingSlash(call.base_url);
    o["MobileSDK"] = std::move(mobile);
    o["LoginPage"] = nullptr;
    o["SamlProviders"] = json::array();
    o["AuthProviders"] = json::array();
    o["CertificateLogin"] = nullptr;
    o["LoginPageType"] = "standard";
    o["LoginPageTypeConfigs"] = json::object();
    return JsonResponse(200, o, call.pretty);
}

// ---- AuthService -----------------------------------------------------------------------------

AuthService::AuthService(Database& db, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(db, options)) {}
AuthService::~AuthService() = default;

FirstStartCredentials AuthService::Bootstrap() {
    Impl& m = *impl_;
    // Parse first: a bad file must not leave a half-created org behind.
    std::optional<OrgDefinition> def;
    if (!m.options.org_def_file.empty()) {
        def = LoadOrgDefinition(m.options.org_def_file);
    }
    FirstStartCredentials creds;
    {
        Transaction tx(m.db);
        m.store.CreateSchema();
        std::optional<OrgRecord> org = m.store.LoadOrg();
        if (!org) {
            org = m.store.CreateOrg(def && def->org_name ? *def->org_name : kDefaultOrgName);
            if (!def) {
                creds = m.CreateDefaultOrgContent();
            }
        } else if (def && def->org_name && *def->org_name != org->name) {
            m.store.SetOrgName(*def->org_name);
            org->name = *def->org_name;
        }
        if (def) {
            m.ApplyDefinition(*def);
        }
        // Every org has these two profiles (others are created on demand by the definition).
        m.store.EnsureProfile(kDefaultProfile);
        m.store.EnsureProfile("Standard User");
        m.org.org_id = org->org_id;
        m.org.name = org->name;
        m.org.pod = org->pod;
        if (m.directory != nullptr) {
            // Inside the transaction: the mirrored records commit together with auth's rows.
            DirectorySnapshot snapshot;
            snapshot.org = {org->org_id, org->name, org->created_ms};
            for (auto& [id, name] : m.store.Profiles()) {
                snapshot.profiles.push_back({std::move(id), std::move(name)});
            }
            for (const UserRecord& u : m.store.Users()) {
                snapshot.users.push_back({u.id,
                                          u.username,
                                          u.first_name,
                                          u.last_name,
                                          u.email,
                                          u.profile_id,
                                          u.active,
                                          u.created_ms,
                                          u.modified_ms});
            }
            snapshot.admin_user_id =
                def ? m.store.UserByUsername(def->users.front().username)->id
                    : (snapshot.users.empty() ? std::string() : snapshot.users.front().id);
            m.directory->Publish(snapshot);
        }
        if (creds.created && !m.options.in_memory) {
            // Written before the commit: if the secrets cannot be saved, no org is created.
            creds.credentials_file =
                (std::filesystem::path(m.options.data_dir) / "credentials.json").string();
            WriteCredentialsFile(creds.credentials_file, org->org_id, creds);
        }
        tx.Commit();
    }
    const auto users = m.store.Users();
    if (def) {
        m.org.admin_user_id = m.store.UserByUsername(def->users.front().username)->id;
    } else if (!users.empty()) {
        m.org.admin_user_id = users.front().id;
    }
    m.session_timeout_ms = static_cast<std::int64_t>(m.options.session_timeout.count()) * 1000;
    if (def && def->session_timeout_seconds) {
        m.session_timeout_ms = *def->session_timeout_seconds * 1000;
    }
    if (def) {
        m.lockout.threshold = def->lockout_threshold;
        m.lockout.lock_ms = static_cast<std::int64_t>(def->lockout_minutes * 60'000.0);
        m.org_trusted_ranges = def->trusted_ip_ranges;
    }
    m.LoadCaches();
    spdlog::info("org {} ('{}') ready: {} user(s), session timeout {} s",
                 m.org.org_id,
                 m.org.name,
                 users.size(),
                 m.session_timeout_ms / 1000);
    return creds;
}

void AuthService::SetDirectorySink(DirectorySink* sink) {
    impl_->directory = sink;
}

const OrgInfo& AuthService::Org() const {
    return impl_->org;
}

std::int64_t AuthService::SessionTimeoutSeconds() const {
    return impl_->session_timeout_ms / 1000;
}

Session AuthService::Authenticate(const Request& req, bool allow_query_token) const {
    const Impl& m = *impl_;
    std::optional<Params> params;
    if (allow_query_token) {
        params = RequestParams(req);
    }
    const std::string token = m.ExtractToken(req, params ? &*params : nullptr);
    std::optional<Session> s = m.FindSession(token);
    bool api_enabled = true;
    if (s) {
        std::shared_lock lock(m.mu);
        const auto it = m.users.find(s->user_id);
        if (it == m.users.end() || !it->second.active) {
            s.reset();
        } else {
            api_enabled = it->second.api_enabled;
        }
    }
    if (!s) {
        throw ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }
    if (!api_enabled) {
        // The token was issued, but REST calls are refused (§A.5 "API disabled").
        throw ApiError(
            403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.");
    }
    return *s;
}

void AuthService::RegisterRoutes(Router& router) {
    Impl* m = impl_.get();
    router.Add({{"POST"}, "/services/oauth2/token", false, [m](Call& call) {
                    return m->HandleToken(call);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/revoke", false, [m](Call& call) {
                    return m->HandleRevoke(call);
                }});
    router.Add({{"POST"}, "/services/oauth2/introspect", false, [m](Call& call) {
                    return m->HandleIntrospect(call);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/userinfo", false, [m](Call& call) {
                    return m->HandleUserInfo(call);
                }});
    // SOAP login(): every method is routed here so that non-POST gets the HTML 405 of §A.9.
    const std::vector<std::string> any_method = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    router.Add({any_method, "/services/Soap/u/{version}", false, [m](Call& call) {
                    return m->HandleSoapLogin(call, SoapApi::kPartner);
                }});
    router.Add({any_method, "/services/Soap/c/{version}", false, [m](Call& call) {
                    return m->HandleSoapLogin(call, SoapApi::kEnterprise);
                }});
    router.Add({{"GET", "POST"}, "/services/oauth2/authorize", false, [m](Call& call) {
                    return m->HandleAuthorize(call);
                }});
    router.Add({{"GET"}, "/.well-known/openid-configuration", false, [m](Call& call) {
                    return m->HandleOpenIdConfiguration(call);
                }});
    router.Add({{"GET"}, "/.well-known/auth-configuration", false, [m](Call& call) {
                    return m->HandleAuthConfiguration(call);
                }});
    // The local org signs no ID tokens yet, so its key set is empty (same shape as Salesforce's
    // JWKS).
    router.Add({{"GET"}, "/id/keys", false, [](Call& call) {
                    json::object o;
                    o["keys"] = json::array();
                    return JsonResponse(200, o, call.pretty);
                }});
    // Not requires_auth: the identity service takes the token from the header or `oauth_token`
    // (jsforce's identity() sends it in the query) and answers errors in its own plain-text way.
    router.Add({{"GET", "POST"}, "/id/{org}/{user}", false, [m](Call& call) {
                    return m->HandleIdentity(call);
                }});
}

}  // namespace sfkit::server
