// The auth tables and their statements.
#include "server/auth/auth_store.hpp"

#include <stdexcept>

#include "sfkit/core/id.hpp"

#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

// Statement::Bind has string_view and SqlValue overloads; a std::string matches both.
std::string_view Sv(const std::string& s) {
    return s;
}

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS auth_org (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    org_id TEXT NOT NULL,
    name TEXT NOT NULL,
    pod TEXT NOT NULL,
    id_base INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS auth_profile (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE IF NOT EXISTS auth_user (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    profile_id TEXT NOT NULL REFERENCES auth_profile(id),
    active INTEGER NOT NULL,
    api_enabled INTEGER NOT NULL,
    trusted_ranges TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    login_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    def_credentials TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS auth_app (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    consumer_key TEXT NOT NULL UNIQUE,
    secret_salt TEXT NOT NULL,
    secret_mac TEXT NOT NULL,
    scopes TEXT NOT NULL,
    callback_urls TEXT NOT NULL,
    flows TEXT NOT NULL,
    run_as_user_id TEXT,
    certificate TEXT NOT NULL DEFAULT '',
    require_secret_web_server INTEGER NOT NULL DEFAULT 1,
    require_secret_refresh INTEGER NOT NULL DEFAULT 1,
    require_pkce INTEGER NOT NULL DEFAULT 0,
    loopback_any_port INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS auth_session (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    issued_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_session_expiry ON auth_session(expires_ms);
CREATE TABLE IF NOT EXISTS auth_code (
    code_hash TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    challenge_method TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS auth_refresh (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    issued_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS auth_refresh_session (
    refresh_hash TEXT NOT NULL,
    session_hash TEXT NOT NULL,
    PRIMARY KEY (refresh_hash, session_hash)
);
)sql";

constexpr std::string_view kUserColumns =
    "u.id, u.username, u.first_name, u.last_name, u.email, u.profile_id, p.name, u.active, "
    "u.api_enabled, u.trusted_ranges, u.password_hash, u.login_hash, u.failed_logins, "
    "u.locked_until_ms, u.created_ms, u.modified_ms "
    "FROM auth_user u JOIN auth_profile p ON p.id = u.profile_id ";

UserRecord ReadUser(Statement& s) {
    UserRecord u;
    u.id = s.Text(0);
    u.username = s.Text(1);
    u.first_name = s.Text(2);
    u.last_name = s.Text(3);
    u.email = s.Text(4);
    u.profile_id = s.Text(5);
    u.profile_name = s.Text(6);
    u.active = s.Int(7) != 0;
    u.api_enabled = s.Int(8) != 0;
    u.trusted_ranges = SplitRanges(s.Text(9));
    u.password_hash = s.Text(10);
    u.login_hash = s.Text(11);
    u.lock.failed = static_cast<int>(s.Int(12));
    u.lock.locked_until_ms = s.Int(13);
    u.created_ms = s.Int(14);
    u.modified_ms = s.Int(15);
    return u;
}

constexpr std::string_view kAppColumns =
    "id, name, consumer_key, secret_salt, secret_mac, scopes, callback_urls, flows, "
    "run_as_user_id, certificate, require_secret_web_server, require_secret_refresh, require_pkce, "
    "loopback_any_port FROM auth_app ";

AppRecord ReadApp(Statement& s) {
    AppRecord a;
    a.id = s.Text(0);
    a.name = s.Text(1);
    a.consumer_key = s.Text(2);
    a.secret_salt = s.Text(3);
    a.secret_mac = s.Text(4);
    a.scopes = SplitList(s.Text(5), ' ');
    a.callback_urls = SplitList(s.Text(6), '\n');
    a.flows = SplitList(s.Text(7), ' ');
    a.run_as_user_id = s.IsNull(8) ? std::string() : s.Text(8);
    a.certificate_pem = s.Text(9);
    a.require_secret_web_server = s.Int(10) != 0;
    a.require_secret_refresh = s.Int(11) != 0;
    a.require_pkce = s.Int(12) != 0;
    a.loopback_any_port = s.Int(13) != 0;
    return a;
}

void BindApp(Statement& s, const AppRecord& a) {
    s.Bind(1, Sv(a.id))
        .Bind(2, Sv(a.name))
        .Bind(3, Sv(a.consumer_key))
        .Bind(4, Sv(a.secret_salt))
        .Bind(5, Sv(a.secret_mac))
        .Bind(6, Sv(JoinList(a.scopes, ' ')))
        .Bind(7, Sv(JoinList(a.callback_urls, '\n')))
        .Bind(8, Sv(JoinList(a.flows, ' ')));
    if (a.run_as_user_id.empty()) {
        s.BindNull(9);
    } else {
        s.Bind(9, Sv(a.run_as_user_id));
    }
    s.Bind(10, Sv(a.certificate_pem));
    s.Bind(11, std::int64_t{a.require_secret_web_server ? 1 : 0});
    s.Bind(12, std::int64_t{a.require_secret_refresh ? 1 : 0});
    s.Bind(13, std::int64_t{a.require_pkce ? 1 : 0});
    s.Bind(14, std::int64_t{a.loopback_any_port ? 1 : 0});
}

// 62^3 .. 62^5: counters of four or five base-62 digits, like real org ids (00DgK000000OMLx).
constexpr std::uint64_t kCounterLo = 62ULL * 62 * 62;
constexpr std::uint64_t kCounterHi = 62ULL * 62 * 62 * 62 * 62;

/// The one row (or none) that `sql` finds for `key`, read by `read`: a point lookup on the hot
/// path of logins and API calls, so its statement comes from the connection's cache (prepared
/// once per connection).
template <class ReadRow>
auto LookupOne(Database& db, const std::string& sql, std::string_view key, ReadRow read)
    -> std::optional<decltype(read(std::declval<Statement&>()))> {
    auto rd = db.Read();
    Statement& s = rd.Cached(sql);
    s.Bind(1, key);
    std::optional<decltype(read(std::declval<Statement&>()))> out;
    if (s.Step()) {
        out = read(s);
    }
    s.Reset();  // the writer's cached statements must not stay open past the lock
    return out;
}

}  // namespace

std::string JoinList(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += i;
    }
    return out;
}

std::vector<std::string> SplitList(std::string_view text, char sep) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto pos = text.find(sep);
        if (pos != 0) {
            out.emplace_back(text.substr(0, pos));
        }
        if (pos == std::string_view::npos) {
            break;
        }
        text.remove_prefix(pos + 1);
    }
    return out;
}

void AuthStore::CreateSchema() {
    auto lock = db_.Acquire();
    db_.Exec(kSchema);
    // Columns added after the first release: older org databases get them here.
    constexpr std::string_view kAdded[][3] = {
        {"auth_app", "certificate", "TEXT NOT NULL DEFAULT ''"},
        {"auth_app", "require_secret_web_server", "INTEGER NOT NULL DEFAULT 1"},
        {"auth_app", "require_secret_refresh", "INTEGER NOT NULL DEFAULT 1"},
        {"auth_org", "failed_logins", "INTEGER NOT NULL DEFAULT 0"},
        {"auth_app", "require_pkce", "INTEGER NOT NULL DEFAULT 0"},
        {"auth_app", "loopback_any_port", "INTEGER NOT NULL DEFAULT 0"},
        {"auth_user", "def_credentials", "TEXT NOT NULL DEFAULT ''"},
    };
    for (const auto& [table, column, type] : kAdded) {
        bool present = false;
        auto cols = db_.Prepare(db_.Dialect().TableColumns(table));
        while (cols.Step()) {
            present = present || cols.Text(0) == column;
        }
        if (!present) {
            db_.Exec("ALTER TABLE " + std::string(table) + " ADD COLUMN " + std::string(column) +
                     " " + std::string(type));
        }
    }
}

std::optional<OrgRecord> AuthStore::LoadOrg() {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT org_id, name, pod, id_base, created_ms FROM auth_org");
    if (!s.Step()) {
        return std::nullopt;
    }
    org_ = OrgRecord{s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Int(4)};
    return org_;
}

OrgRecord AuthStore::CreateOrg(const std::string& name) {
    static constexpr std::string_view kAlnum =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    OrgRecord org;
    org.pod = crypto::RandomString(2, kAlnum);
    org.org_id = Id::Make("00D", org.pod, crypto::RandomBetween(kCounterLo, kCounterHi)).Str18();
    org.name = name;
    org.id_base = static_cast<std::int64_t>(crypto::RandomBetween(kCounterLo, kCounterHi));
    org.created_ms = NowMs();
    auto lock = db_.Acquire();
    db_.Prepare(
           "INSERT INTO auth_org(singleton, org_id, name, pod, id_base, created_ms) "
           "VALUES (1, ?, ?, ?, ?, ?)")
        .Bind(1, Sv(org.org_id))
        .Bind(2, Sv(org.name))
        .Bind(3, Sv(org.pod))
        .Bind(4, org.id_base)
        .Bind(5, org.created_ms)
        .Run();
    org_ = org;
    return org;
}

void AuthStore::SetOrgName(const std::string& name) {
    auto lock = db_.Acquire();
    db_.Prepare("UPDATE auth_org SET name = ?").Bind(1, Sv(name)).Run();
    if (org_) {
        org_->name = name;
    }
}

std::string AuthStore::NextId(std::string_view table, std::string_view prefix) {
    if (!org_) {
        throw std::logic_error("AuthStore: org not loaded");
    }
    auto s = db_.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + std::string(table));
    s.Step();
    const auto seq = static_cast<std::uint64_t>(s.Int(0));
    return Id::Make(prefix, org_->pod, static_cast<std::uint64_t>(org_->id_base) + seq).Str18();
}

std::string AuthStore::EnsureProfile(const std::string& name) {
    Transaction tx(db_);
    auto find = db_.Prepare("SELECT id FROM auth_profile WHERE name = ?");
    find.Bind(1, Sv(name));
    if (find.Step()) {
        return find.Text(0);
    }
    const std::string id = NextId("auth_profile", "00e");
    db_.Prepare("INSERT INTO auth_profile(id, name) VALUES (?, ?)")
        .Bind(1, Sv(id))
        .Bind(2, Sv(name))
        .Run();
    tx.Commit();
    return id;
}

std::vector<std::pair<std::string, std::string>> AuthStore::Profiles() {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT id, name FROM auth_profile ORDER BY seq");
    std::vector<std::pair<std::string, std::string>> out;
    while (s.Step()) {
        out.emplace_back(s.Text(0), s.Text(1));
    }
    return out;
}

std::vector<UserRecord> AuthStore::Users() {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT " + std::string(kUserColumns) + "ORDER BY u.seq");
    std::vector<UserRecord> out;
    while (s.Step()) {
        out.push_back(ReadUser(s));
    }
    return out;
}

std::optional<UserRecord> AuthStore::UserByUsername(std::string_view username) {
    static const std::string sql = "SELECT " + std::string(kUserColumns) + "WHERE u.username = ?";
    return LookupOne(db_, sql, username, ReadUser);
}

std::optional<UserRecord> AuthStore::UserById(std::string_view id18) {
    static const std::string sql = "SELECT " + std::string(kUserColumns) + "WHERE u.id = ?";
    return LookupOne(db_, sql, id18, ReadUser);
}

void AuthStore::InsertUser(UserRecord& u) {
    Transaction tx(db_);
    u.id = NextId("auth_user", "005");
    db_.Prepare(
           "INSERT INTO auth_user(id, username, first_name, last_name, email, profile_id, active, "
           "api_enabled, trusted_ranges, password_hash, login_hash, failed_logins, "
           "locked_until_ms, created_ms, modified_ms) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)")
        .Bind(1, Sv(u.id))
        .Bind(2, Sv(u.username))
        .Bind(3, Sv(u.first_name))
        .Bind(4, Sv(u.last_name))
        .Bind(5, Sv(u.email))
        .Bind(6, Sv(u.profile_id))
        .Bind(7, std::int64_t{u.active})
        .Bind(8, std::int64_t{u.api_enabled})
        .Bind(9, Sv(JoinRanges(u.trusted_ranges)))
        .Bind(10, Sv(u.password_hash))
        .Bind(11, Sv(u.login_hash))
        .Bind(12, u.created_ms)
        .Bind(13, u.modified_ms)
        .Run();
    tx.Commit();
}

void AuthStore::UpdateUser(const UserRecord& u) {
    auto lock = db_.Acquire();
    db_.Prepare(
           "UPDATE auth_user SET username = ?, first_name = ?, last_name = ?, email = ?, "
           "profile_id = ?, active = ?, api_enabled = ?, trusted_ranges = ?, password_hash = ?, "
           "login_hash = ?, modified_ms = ? WHERE id = ?")
        .Bind(1, Sv(u.username))
        .Bind(2, Sv(u.first_name))
        .Bind(3, Sv(u.last_name))
        .Bind(4, Sv(u.email))
        .Bind(5, Sv(u.profile_id))
        .Bind(6, std::int64_t{u.active})
        .Bind(7, std::int64_t{u.api_enabled})
        .Bind(8, Sv(JoinRanges(u.trusted_ranges)))
        .Bind(9, Sv(u.password_hash))
        .Bind(10, Sv(u.login_hash))
        .Bind(11, u.modified_ms)
        .Bind(12, Sv(u.id))
        .Run();
}

std::string AuthStore::AppliedDefinitionCredentials(const std::string& user_id) {
    auto rd = db_.Read();  // inside the caller's transaction: its writer connection
    auto s = rd.Prepare("SELECT def_credentials FROM auth_user WHERE id = ?");
    s.Bind(1, Sv(user_id));
    return s.Step() ? s.Text(0) : std::string();
}

void AuthStore::SetAppliedDefinitionCredentials(const std::string& user_id,
                                                const std::string& hash) {
    auto lock = db_.Acquire();
    db_.Prepare("UPDATE auth_user SET def_credentials = ? WHERE id = ?")
        .Bind(1, Sv(hash))
        .Bind(2, Sv(user_id))
        .Run();
}

LockState AuthStore::RecordFailure(const std::string& user_id,
                                   const LockoutPolicy& policy,
                                   std::int64_t now_ms) {
    // Compare and set: the new state is written only over the state it was computed from, so
    // that concurrent failures all count, also when they arrive at different nodes sharing the
    // org (whose transactions do not see each other's uncommitted reads).
    for (;;) {
        Transaction tx(db_);
        auto s = db_.Prepare("SELECT failed_logins, locked_until_ms FROM auth_user WHERE id = ?");
        s.Bind(1, Sv(user_id));
        if (!s.Step()) {
            return {};
        }
        const LockState before{static_cast<int>(s.Int(0)), s.Int(1)};
        s.Reset();
        const LockState after = AfterFailure(before, policy, now_ms);
        if (after == before) {
            tx.Commit();
            return after;
        }
        db_.Prepare(
               "UPDATE auth_user SET failed_logins = ?, locked_until_ms = ? WHERE id = ? AND "
               "failed_logins = ? AND locked_until_ms = ?")
            .Bind(1, std::int64_t{after.failed})
            .Bind(2, after.locked_until_ms)
            .Bind(3, Sv(user_id))
            .Bind(4, std::int64_t{before.failed})
            .Bind(5, before.locked_until_ms)
            .Run();
        if (db_.Changes() == 1) {
            tx.Commit();
            return after;
        }
        // Another node changed the state since it was read: read it again.
    }
}

void AuthStore::RecordUnknownFailure() {
    // One write in one transaction, as RecordFailure's, so that an unknown username costs what a
    // known one with a wrong password costs (the commit included).
    Transaction tx(db_);
    db_.Prepare("UPDATE auth_org SET failed_logins = failed_logins + 1").Run();
    tx.Commit();
}

void AuthStore::ResetFailures(const std::string& user_id) {
    auto lock = db_.Acquire();
    db_.Prepare("UPDATE auth_user SET failed_logins = 0, locked_until_ms = 0 WHERE id = ?")
        .Bind(1, Sv(user_id))
        .Run();
}

std::vector<AppRecord> AuthStore::Apps() {
    auto rd = db_.Read();
    auto s = rd.Prepare("SELECT " + std::string(kAppColumns) + "ORDER BY seq");
    std::vector<AppRecord> out;
    while (s.Step()) {
        out.push_back(ReadApp(s));
    }
    return out;
}

std::optional<AppRecord> AuthStore::AppByKey(std::string_view consumer_key) {
    static const std::string sql = "SELECT " + std::string(kAppColumns) + "WHERE consumer_key = ?";
    return LookupOne(db_, sql, consumer_key, ReadApp);
}

std::optional<AppRecord> AuthStore::AppByName(std::string_view name) {
    static const std::string sql = "SELECT " + std::string(kAppColumns) + "WHERE name = ?";
    return LookupOne(db_, sql, name, ReadApp);
}

std::optional<AppRecord> AuthStore::AppById(std::string_view id18) const {
    static const std::string sql = "SELECT " + std::string(kAppColumns) + "WHERE id = ?";
    return LookupOne(db_, sql, id18, ReadApp);
}

void AuthStore::InsertApp(AppRecord& a) {
    Transaction tx(db_);
    a.id = NextId("auth_app", "0H4");
    auto s = db_.Prepare(
        "INSERT INTO auth_app(id, name, consumer_key, secret_salt, secret_mac, scopes, "
        "callback_urls, flows, run_as_user_id, certificate, require_secret_web_server, "
        "require_secret_refresh, require_pkce, loopback_any_port) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    BindApp(s, a);
    s.Run();
    tx.Commit();
}

void AuthStore::UpdateApp(const AppRecord& a) {
    auto lock = db_.Acquire();
    auto s = db_.Prepare(
        "UPDATE auth_app SET id = ?1, name = ?2, consumer_key = ?3, secret_salt = ?4, "
        "secret_mac = ?5, scopes = ?6, callback_urls = ?7, flows = ?8, run_as_user_id = ?9, "
        "certificate = ?10, require_secret_web_server = ?11, require_secret_refresh = ?12, "
        "require_pkce = ?13, loopback_any_port = ?14 WHERE id = ?1");
    BindApp(s, a);
    s.Run();
}

void AuthStore::DeleteApp(std::string_view app_id) {
    auto lock = db_.Acquire();
    db_.Prepare("DELETE FROM auth_app WHERE id = ?").Bind(1, app_id).Run();
}

void AuthStore::InsertSession(const SessionRow& r) {
    auto lock = db_.Acquire();
    // Every login runs this: prepared once per writer connection (perf, client-credentials
    // logins: 2.9 % of the samples were this statement's prepare).
    static const std::string kSql =
        "INSERT INTO auth_session(token_hash, user_id, app_id, scopes, issued_ms, expires_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)";
    Statement& s = db_.Cached(kSql);
    s.Bind(1, Sv(r.token_hash))
        .Bind(2, Sv(r.user_id))
        .Bind(3, Sv(r.app_id))
        .Bind(4, Sv(JoinList(r.scopes, ' ')))
        .Bind(5, r.issued_ms)
        .Bind(6, r.expires_ms)
        .Run();
    s.Reset();
}

bool AuthStore::DeleteSession(std::string_view token_hash) {
    auto lock = db_.Acquire();
    db_.Prepare("DELETE FROM auth_session WHERE token_hash = ?").Bind(1, token_hash).Run();
    return db_.Changes() > 0;
}

std::optional<SessionRow> AuthStore::SessionByHash(std::string_view token_hash) const {
    return LookupOne(
        db_,
        "SELECT s.token_hash, s.user_id, s.app_id, s.scopes, s.issued_ms, s.expires_ms, a.name "
        "FROM auth_session s LEFT JOIN auth_app a ON a.id = s.app_id WHERE s.token_hash = ?",
        token_hash,
        [](Statement& s) {
            return SessionRow{s.Text(0),
                              s.Text(1),
                              s.Text(2),
                              SplitList(s.Text(3), ' '),
                              s.Int(4),
                              s.Int(5),
                              s.Text(6)};
        });
}

std::vector<SessionRow> AuthStore::LiveSessions(std::int64_t now_ms) {
    auto rd = db_.Read();
    auto s = rd.Prepare(
        "SELECT token_hash, user_id, app_id, scopes, issued_ms, expires_ms FROM auth_session "
        "WHERE expires_ms > ?");
    s.Bind(1, now_ms);
    std::vector<SessionRow> out;
    while (s.Step()) {
        out.push_back(SessionRow{
            s.Text(0), s.Text(1), s.Text(2), SplitList(s.Text(3), ' '), s.Int(4), s.Int(5)});
    }
    return out;
}

void AuthStore::PurgeExpiredSessions(std::int64_t now_ms) {
    auto lock = db_.Acquire();
    db_.Prepare("DELETE FROM auth_session WHERE expires_ms <= ?").Bind(1, now_ms).Run();
    // Links from refresh tokens to sessions that no longer exist.
    db_.Exec(
        "DELETE FROM auth_refresh_session WHERE session_hash NOT IN "
        "(SELECT token_hash FROM auth_session)");
}

void AuthStore::InsertAuthCode(const AuthCodeRow& c) {
    auto lock = db_.Acquire();
    // Expired codes are useless: drop those that expired before this one was issued (all codes
    // share one lifetime, so that is any code older than it by a full lifetime).
    db_.Prepare("DELETE FROM auth_code WHERE expires_ms <= ?")
        .Bind(1, c.expires_ms - kAuthCodeLifetimeMs)
        .Run();
    db_.Prepare(
           "INSERT INTO auth_code(code_hash, app_id, user_id, redirect_uri, scopes, "
           "code_challenge, challenge_method, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, Sv(c.code_hash))
        .Bind(2, Sv(c.app_id))
        .Bind(3, Sv(c.user_id))
        .Bind(4, Sv(c.redirect_uri))
        .Bind(5, Sv(JoinList(c.scopes, ' ')))
        .Bind(6, Sv(c.code_challenge))
        .Bind(7, Sv(c.challenge_method))
        .Bind(8, c.expires_ms)
        .Run();
}

std::optional<AuthCodeRow> AuthStore::TakeAuthCode(std::string_view code_hash) {
    // One statement finds and removes the code: of two redemptions at once (on two nodes
    // sharing the org), exactly one gets the row.
    Transaction tx(db_);
    std::optional<AuthCodeRow> out;
    {
        auto s = db_.Prepare(
            "DELETE FROM auth_code WHERE code_hash = ? RETURNING code_hash, app_id, user_id, "
            "redirect_uri, scopes, code_challenge, challenge_method, expires_ms");
        s.Bind(1, code_hash);
        if (s.Step()) {
            out = AuthCodeRow{s.Text(0),
                              s.Text(1),
                              s.Text(2),
                              s.Text(3),
                              SplitList(s.Text(4), ' '),
                              s.Text(5),
                              s.Text(6),
                              s.Int(7)};
        }
        s.Reset();
    }
    tx.Commit();
    return out;
}

void AuthStore::InsertRefreshToken(const RefreshRow& r) {
    auto lock = db_.Acquire();
    db_.Prepare(
           "INSERT INTO auth_refresh(token_hash, user_id, app_id, scopes, issued_ms) "
           "VALUES (?, ?, ?, ?, ?)")
        .Bind(1, Sv(r.token_hash))
        .Bind(2, Sv(r.user_id))
        .Bind(3, Sv(r.app_id))
        .Bind(4, Sv(JoinList(r.scopes, ' ')))
        .Bind(5, r.issued_ms)
        .Run();
}

std::optional<RefreshRow> AuthStore::RefreshByHash(std::string_view token_hash) {
    auto rd = db_.Read();
    auto s = rd.Prepare(
        "SELECT token_hash, user_id, app_id, scopes, issued_ms FROM auth_refresh "
        "WHERE token_hash = ?");
    s.Bind(1, token_hash);
    if (!s.Step()) {
        return std::nullopt;
    }
    return RefreshRow{s.Text(0), s.Text(1), s.Text(2), SplitList(s.Text(3), ' '), s.Int(4)};
}

void AuthStore::LinkRefreshSession(std::string_view refresh_hash, std::string_view session_hash) {
    auto lock = db_.Acquire();
    db_.Prepare(
           "INSERT OR IGNORE INTO auth_refresh_session(refresh_hash, session_hash) VALUES (?, ?)")
        .Bind(1, refresh_hash)
        .Bind(2, session_hash)
        .Run();
}

std::optional<std::vector<std::string>> AuthStore::DeleteRefreshToken(
    std::string_view refresh_hash) {
    Transaction tx(db_);
    db_.Prepare("DELETE FROM auth_refresh WHERE token_hash = ?").Bind(1, refresh_hash).Run();
    if (db_.Changes() == 0) {
        return std::nullopt;
    }
    std::vector<std::string> sessions;
    {
        auto s =
            db_.Prepare("SELECT session_hash FROM auth_refresh_session WHERE refresh_hash = ?");
        s.Bind(1, refresh_hash);
        while (s.Step()) {
            sessions.push_back(s.Text(0));
        }
    }
    for (const auto& h : sessions) {
        db_.Prepare("DELETE FROM auth_session WHERE token_hash = ?").Bind(1, Sv(h)).Run();
    }
    db_.Prepare("DELETE FROM auth_refresh_session WHERE refresh_hash = ?")
        .Bind(1, refresh_hash)
        .Run();
    tx.Commit();
    return sessions;
}

}  // namespace sfkit::server
