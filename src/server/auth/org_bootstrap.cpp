// AuthService bootstrap: the auth tables, a new org's default content or the org definition
// applied to it, and the in-memory caches loaded from the tables.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include <boost/json.hpp>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec/json.hpp"
#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/directory.hpp"
#include "server/auth/tokens.hpp"
#include "server/org/org_def.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

using namespace oauth;

namespace {

namespace json = boost::json;

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
    Remember(u.id, CredentialMac(u.id, u.password_hash, c.password), false);
    Remember(u.id, CredentialMac(u.id, u.login_hash, c.password + c.security_token), true);

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
        // The definition's password and security token are applied when the user is created,
        // and again only when the definition's values changed since they were last applied (a
        // hash of them is kept in the user's row): a password changed since (REST, any node)
        // survives restarts and other nodes' starts, and an edited file still takes effect.
        const std::string def_credentials =
            std::to_string(du.password.size()) + ":" + du.password + du.security_token;
        bool apply = !existing;
        if (existing) {
            const std::string applied = store.AppliedDefinitionCredentials(u.id);
            if (!applied.empty()) {
                apply = !crypto::VerifySecret(applied, def_credentials);
            } else {
                // A user from before the hash was kept: every start applied the file, so the
                // file wins unless the stored hashes already are its values.
                apply = !crypto::VerifySecret(u.password_hash, du.password) ||
                        !crypto::VerifySecret(u.login_hash, with_token);
                if (!apply) {
                    store.SetAppliedDefinitionCredentials(u.id,
                                                          crypto::HashSecret(def_credentials));
                }
            }
        }
        if (apply) {
            u.password_hash = crypto::HashSecret(du.password);
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
        if (apply) {
            store.SetAppliedDefinitionCredentials(u.id, crypto::HashSecret(def_credentials));
            // Only values known to be the stored ones are remembered as verified.
            Remember(u.id, CredentialMac(u.id, u.password_hash, du.password), false);
            Remember(u.id, CredentialMac(u.id, u.login_hash, with_token), true);
        }
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
        a.require_secret_web_server = da.require_secret_web_server;
        a.require_secret_refresh = da.require_secret_refresh;
        a.require_pkce = da.require_pkce;
        if (existing) {
            store.UpdateApp(a);
        } else {
            store.InsertApp(a);
        }
    }
}

void AuthService::Impl::EnsureBuiltinCliApp(bool enabled) {
    std::optional<AppRecord> existing = store.AppByKey(kBuiltinCliClientId);
    if (existing && existing->name != kBuiltinCliAppName) {
        return;  // the org definition has its own app with that consumer key: it wins
    }
    if (!enabled) {
        if (existing) {
            store.DeleteApp(existing->id);
            spdlog::info("built-in CLI app removed (builtinCliApp: false)");
        }
        return;
    }
    AppRecord a = existing.value_or(AppRecord{});
    a.name = kBuiltinCliAppName;
    a.consumer_key = std::string(kBuiltinCliClientId);
    // A public client: no consumer secret exists, so none ever matches.
    a.secret_salt = crypto::HexEncode(crypto::RandomBytes(32));
    a.secret_mac.clear();
    a.scopes = {"api", "refresh_token"};
    a.callback_urls = {std::string(kBuiltinCliCallback)};
    a.flows = {std::string(kFlowDevice)};
    a.run_as_user_id.clear();
    a.certificate_pem.clear();
    a.require_secret_web_server = false;
    a.require_secret_refresh = false;
    a.require_pkce = true;
    a.loopback_any_port = true;
    if (existing) {
        store.UpdateApp(a);
    } else {
        store.InsertApp(a);
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
        const auto u = views.find(row.user_id);
        std::string hash = row.token_hash;
        std::string app_name = app_names[row.app_id];
        live.emplace(std::move(hash),
                     SessionOf(std::move(row),
                               u == views.end() ? std::string() : u->second.username,
                               std::move(app_name)));
    }
    std::unique_lock lock(mu);
    users = std::move(views);
    sessions = std::move(live);
    last_sweep_ms = now;
}

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
        m.EnsureBuiltinCliApp(!def || def->builtin_cli_app);
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

}  // namespace sfkit::server
