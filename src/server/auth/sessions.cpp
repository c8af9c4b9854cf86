// Sessions: bearer tokens read from requests, issued, cached, answered and revoked.
#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/directory.hpp"
#include "server/auth/tokens.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

using namespace oauth;

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
    if (db.Dialect().Postgres()) {
        // Several nodes share the org: a session issued or revoked by another node is only in
        // the database, so it is asked every time (no cache without guaranteed invalidation).
        std::optional<SessionRow> row = store.SessionByHash(hash);
        if (!row || row->expires_ms <= NowMs()) {
            return std::nullopt;
        }
        std::string app_name = std::move(row->app_name);
        std::shared_lock lock(mu);
        const auto u = users.find(row->user_id);
        return SessionOf(std::move(*row),
                         u == users.end() ? std::string() : u->second.username,
                         std::move(app_name));
    }
    std::shared_lock lock(mu);
    const auto it = sessions.find(hash);
    if (it == sessions.end() || it->second.expires_at_ms <= NowMs()) {
        return std::nullopt;
    }
    return it->second;
}

Session AuthService::Impl::SessionOf(SessionRow row,
                                     std::string username,
                                     std::string app_name) const {
    Session s;
    s.org_id = org.org_id;
    s.user_id = std::move(row.user_id);
    s.username = std::move(username);
    s.app_id = std::move(row.app_id);
    s.app_name = std::move(app_name);
    s.scopes = std::move(row.scopes);
    s.issued_at_ms = row.issued_ms;
    s.expires_at_ms = row.expires_ms;
    s.token_hash = std::move(row.token_hash);
    return s;
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
    if (db.Dialect().Postgres()) {  // shared: the database alone knows (FindSession)
        const std::optional<SessionRow> row = store.SessionByHash(hash);
        live = row && row->expires_ms > NowMs();
    }
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

}  // namespace sfkit::server
