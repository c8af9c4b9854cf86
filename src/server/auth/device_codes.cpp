#include "server/auth/device_codes.hpp"

#include "server/auth/crypto.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

namespace {
// No vowels (no words), no 0/O/1/I (no misreading): 8 of 28 symbols, about 38 bits, plenty for a
// code that lives 10 minutes behind a password login.
constexpr std::string_view kUserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";

/// auth_device_code.decision
constexpr std::int64_t kUndecided = 0;
constexpr std::int64_t kAllowed = 1;
constexpr std::int64_t kDenied = 2;

std::string JoinScopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const std::string& s : scopes) {
        if (!out.empty()) {
            out += ' ';
        }
        out += s;
    }
    return out;
}

std::vector<std::string> SplitScopes(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (end > start) {
            out.emplace_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

/// Whether `code` (normalised) could have been issued: 8 symbols of the alphabet. Nothing else
/// is looked up (nor bound as text the database might refuse).
bool Plausible(std::string_view code) {
    return code.size() == 8 && code.find_first_not_of(kUserCodeAlphabet) == std::string_view::npos;
}

}  // namespace

DeviceCodes::DeviceCodes(Database& db) : db_(db) {
    Transaction tx(db_);
    db_.Exec(
        "CREATE TABLE IF NOT EXISTS auth_device_code ("
        " device_hash TEXT PRIMARY KEY,"
        " user_code TEXT NOT NULL UNIQUE,"
        " app_id TEXT NOT NULL,"
        " scopes TEXT NOT NULL,"
        " expires_ms INTEGER NOT NULL,"
        " last_poll_ms INTEGER NOT NULL DEFAULT -1,"
        " decision INTEGER NOT NULL DEFAULT 0,"
        " user_id TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX IF NOT EXISTS auth_device_code_expiry ON auth_device_code (expires_ms);");
    tx.Commit();
}

DeviceCodes::Issued DeviceCodes::Issue(const std::string& app_id,
                                       std::vector<std::string> scopes,
                                       std::int64_t now) {
    Issued out;
    // Same shape as an authorization code (aPrx..., §A.3.5) would be guesswork; a long
    // base64url secret is what a device code needs.
    std::string code = crypto::Base64Encode(crypto::RandomBytes(48));
    for (char& c : code) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    out.device_code = code;
    const std::string hash = crypto::Sha256Hex(code);
    const std::string joined = JoinScopes(scopes);
    Transaction tx(db_);
    {
        Statement& expired = db_.Cached("DELETE FROM auth_device_code WHERE expires_ms <= ?");
        expired.Bind(1, now);
        expired.Run();
        expired.Reset();
    }
    {
        // At most kMaxPending: the oldest go first.
        Statement count = db_.Prepare("SELECT COUNT(*) FROM auth_device_code");
        const std::int64_t n = count.Step() ? count.Int(0) : 0;
        count.Reset();
        if (n >= static_cast<std::int64_t>(kMaxPending)) {
            db_.Prepare(
                   "DELETE FROM auth_device_code WHERE device_hash IN (SELECT device_hash FROM "
                   "auth_device_code ORDER BY expires_ms, device_hash LIMIT ?)")
                .Bind(1, n - static_cast<std::int64_t>(kMaxPending) + 1)
                .Run();
        }
    }
    Statement& insert = db_.Cached(
        "INSERT OR IGNORE INTO auth_device_code (device_hash, user_code, app_id, scopes, "
        "expires_ms) VALUES (?, ?, ?, ?, ?)");
    do {  // a user code already pending (1 in 28^8 per pending code) is drawn again
        out.user_code = crypto::RandomString(8, kUserCodeAlphabet);
        insert.Bind(1, hash)
            .Bind(2, out.user_code)
            .Bind(3, app_id)
            .Bind(4, joined)
            .Bind(5, now + kLifetimeMs);
        insert.Run();
        insert.Reset();
    } while (db_.Changes() == 0);
    tx.Commit();
    return out;
}

std::string DeviceCodes::NormalizeUserCode(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == ' ' || c == '-' || c == '\t') {
            continue;
        }
        out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    return out;
}

bool DeviceCodes::IsPending(std::string_view user_code, std::int64_t now) {
    const std::string code = NormalizeUserCode(user_code);
    if (!Plausible(code)) {
        return false;
    }
    Database::Reader rd = db_.Read();
    Statement& st =
        rd.Cached("SELECT expires_ms, decision FROM auth_device_code WHERE user_code = ?");
    st.Bind(1, code);
    const bool pending = st.Step() && st.Int(0) > now && st.Int(1) == kUndecided;
    st.Reset();
    return pending;
}

bool DeviceCodes::Decide(std::string_view user_code,
                         const std::string& user_id,
                         bool allow,
                         std::int64_t now) {
    const std::string code = NormalizeUserCode(user_code);
    if (!Plausible(code)) {
        return false;
    }
    // One statement: of two decisions made at once (on two nodes), one changes the row.
    Transaction tx(db_);
    Statement& st = db_.Cached(
        "UPDATE auth_device_code SET decision = ?, user_id = ? WHERE user_code = ? AND "
        "expires_ms > ? AND decision = 0");
    st.Bind(1, allow ? kAllowed : kDenied).Bind(2, user_id).Bind(3, code).Bind(4, now);
    st.Run();
    st.Reset();
    const bool decided = db_.Changes() == 1;
    tx.Commit();
    return decided;
}

DeviceCodes::Poll DeviceCodes::Take(std::string_view device_code,
                                    const std::string& app_id,
                                    std::int64_t now) {
    Poll p;
    if (device_code.empty()) {
        return p;
    }
    const std::string hash = crypto::Sha256Hex(device_code);
    Transaction tx(db_);
    std::int64_t expires = 0;
    std::int64_t last_poll = -1;
    std::int64_t decision = kUndecided;
    {
        Statement& st = db_.Cached(
            "SELECT app_id, scopes, expires_ms, last_poll_ms, decision, user_id FROM "
            "auth_device_code WHERE device_hash = ?");
        st.Bind(1, hash);
        const bool found = st.Step() && st.Text(0) == app_id;
        if (found) {
            p.scopes = SplitScopes(st.Text(1));
            expires = st.Int(2);
            last_poll = st.Int(3);
            decision = st.Int(4);
            p.user_id = st.Text(5);
        }
        st.Reset();
        if (!found) {
            p.scopes.clear();
            return p;
        }
    }
    // A decided or expired authorization is answered to the poll whose DELETE removes it, so
    // that two polls at once (on two nodes) cannot both get the tokens.
    const auto forget = [&] {
        Statement& del = db_.Cached("DELETE FROM auth_device_code WHERE device_hash = ?");
        del.Bind(1, hash);
        del.Run();
        del.Reset();
        return db_.Changes() == 1;
    };
    if (expires <= now) {
        p = Poll{};
        if (forget()) {
            p.state = PollState::kExpired;
        }
        tx.Commit();
        return p;
    }
    if (decision == kUndecided) {
        const bool too_soon = last_poll >= 0 && now - last_poll < kIntervalSeconds * 1000LL;
        Statement& st =
            db_.Cached("UPDATE auth_device_code SET last_poll_ms = ? WHERE device_hash = ?");
        st.Bind(1, now).Bind(2, hash);
        st.Run();
        st.Reset();
        tx.Commit();
        p = Poll{};
        p.state = too_soon ? PollState::kSlowDown : PollState::kPending;
        return p;
    }
    if (!forget()) {
        tx.Commit();
        return Poll{};
    }
    tx.Commit();
    p.state = decision == kAllowed ? PollState::kApproved : PollState::kDenied;
    if (p.state == PollState::kDenied) {
        p.user_id.clear();
        p.scopes.clear();
    }
    return p;
}

}  // namespace sfkit::server
