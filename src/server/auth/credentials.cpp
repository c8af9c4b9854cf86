// Credential checks: password (+ security token) logins with lockout, the verified-credential
// cache, and connected-app secrets.
#include <spdlog/spdlog.h>

#include "server/auth/auth_impl.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"

namespace sfkit::server {

using namespace oauth;

// ---- login -----------------------------------------------------------------------------------

std::string AuthService::Impl::CredentialMac(const std::string& user_id,
                                             std::string_view hash,
                                             std::string_view presented) const {
    // The stored hash is part of what is signed: once the user's password or security token
    // changes (on this node or another sharing the org), what was remembered no longer matches
    // the user record every login reads, and the new hash is checked instead.
    std::string msg = user_id;
    msg.push_back('\0');
    msg.append(hash);
    msg.push_back('\0');
    msg.append(presented);
    return crypto::HmacSha256(cache_key, msg);
}

void AuthService::Impl::Remember(const std::string& user_id, std::string mac, bool with_token) {
    std::unique_lock lock(mu);
    auto& v = verified[user_id];
    (with_token ? v.login_mac : v.password_mac) = std::move(mac);
}

bool AuthService::Impl::CheckCredential(const UserRecord& u,
                                        const std::string& presented,
                                        bool trusted) {
    std::string login_mac = CredentialMac(u.id, u.login_hash, presented);
    std::string password_mac =
        trusted ? CredentialMac(u.id, u.password_hash, presented) : std::string();
    {
        std::shared_lock lock(mu);
        const auto it = verified.find(u.id);
        if (it != verified.end()) {
            if (crypto::ConstantTimeEquals(login_mac, it->second.login_mac) ||
                (trusted && crypto::ConstantTimeEquals(password_mac, it->second.password_mac))) {
                return true;
            }
        }
    }
    // password + security token works from anywhere; the bare password only from a trusted
    // range (§A.3.1, §A.5 "Trusted IP / security token").
    if (crypto::VerifySecret(u.login_hash, presented)) {
        Remember(u.id, std::move(login_mac), true);
        return true;
    }
    if (trusted && crypto::VerifySecret(u.password_hash, presented)) {
        Remember(u.id, std::move(password_mac), false);
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

std::shared_ptr<void> AuthService::Impl::AdmitPasswordCheck() {
    if (pending_password_checks.fetch_add(1) >= kMaxPendingPasswordChecks) {
        pending_password_checks.fetch_sub(1);
        return nullptr;
    }
    return std::shared_ptr<void>(this, [](Impl* m) { m->pending_password_checks.fetch_sub(1); });
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
    // Every failure costs the same: the argon2id runs a known user's wrong password costs (a
    // second one when the bare password is tried too: from a trusted address, or for SOAP's
    // missing-token answer) and one committed write (issue "hardening" defect 10).
    const auto burn = [&](bool trusted_ip) {
        BurnVerify(password);
        if (trusted_ip || detect_missing_token) {
            BurnVerify(password);
        }
        store.RecordUnknownFailure();
    };
    if (!out.user) {
        burn(token_optional || IpInRanges(remote_ip, org_trusted_ranges));
        // The text is not logged: people paste passwords into the username field.
        spdlog::info("{} login failed: unknown username", channel);
        out.check = LoginCheck::kUnknownUser;
        return out;
    }
    const UserRecord& user = *out.user;
    if (IsLocked(user.lock, now)) {
        // A locked user gets exactly the wrong-password answer (§A.5 "Login lockout").
        burn(token_optional || IpInRanges(remote_ip, user.trusted_ranges) ||
             IpInRanges(remote_ip, org_trusted_ranges));
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

}  // namespace sfkit::server
