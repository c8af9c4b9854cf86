#include "server/auth/device_codes.hpp"

#include "server/auth/crypto.hpp"

namespace sfkit::server {

namespace {
// No vowels (no words), no 0/O/1/I (no misreading): 8 of 28 symbols, about 38 bits, plenty for a
// code that lives 10 minutes behind a password login.
constexpr std::string_view kUserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";
}  // namespace

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
    std::lock_guard lock(mu_);
    while (!order_.empty() && (order_.size() >= kMaxPending || !by_hash_.contains(order_.front()) ||
                               by_hash_[order_.front()].expires_ms <= now)) {
        ForgetLocked(order_.front());
        order_.pop_front();
    }
    do {
        out.user_code = crypto::RandomString(8, kUserCodeAlphabet);
    } while (by_user_code_.contains(out.user_code));
    Entry e;
    e.app_id = app_id;
    e.scopes = std::move(scopes);
    e.user_code = out.user_code;
    e.expires_ms = now + kLifetimeMs;
    by_hash_[hash] = std::move(e);
    by_user_code_[out.user_code] = hash;
    order_.push_back(hash);
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
    std::lock_guard lock(mu_);
    const auto it = by_user_code_.find(NormalizeUserCode(user_code));
    if (it == by_user_code_.end()) {
        return false;
    }
    const Entry& e = by_hash_.at(it->second);
    return e.expires_ms > now && e.decision == Entry::Decision::kNone;
}

bool DeviceCodes::Decide(std::string_view user_code,
                         const std::string& user_id,
                         bool allow,
                         std::int64_t now) {
    std::lock_guard lock(mu_);
    const auto it = by_user_code_.find(NormalizeUserCode(user_code));
    if (it == by_user_code_.end()) {
        return false;
    }
    Entry& e = by_hash_.at(it->second);
    if (e.expires_ms <= now || e.decision != Entry::Decision::kNone) {
        return false;
    }
    e.decision = allow ? Entry::Decision::kAllowed : Entry::Decision::kDenied;
    e.user_id = user_id;
    return true;
}

DeviceCodes::Poll DeviceCodes::Take(std::string_view device_code,
                                    const std::string& app_id,
                                    std::int64_t now) {
    Poll p;
    if (device_code.empty()) {
        return p;
    }
    const std::string hash = crypto::Sha256Hex(device_code);
    std::lock_guard lock(mu_);
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end() || it->second.app_id != app_id) {
        return p;
    }
    Entry& e = it->second;
    if (e.expires_ms <= now) {
        ForgetLocked(hash);
        p.state = PollState::kExpired;
        return p;
    }
    if (e.decision == Entry::Decision::kNone) {
        const bool too_soon =
            e.last_poll_ms >= 0 && now - e.last_poll_ms < kIntervalSeconds * 1000LL;
        e.last_poll_ms = now;
        p.state = too_soon ? PollState::kSlowDown : PollState::kPending;
        return p;
    }
    p.state = e.decision == Entry::Decision::kAllowed ? PollState::kApproved : PollState::kDenied;
    p.user_id = e.user_id;
    p.scopes = e.scopes;
    ForgetLocked(hash);
    return p;
}

void DeviceCodes::ForgetLocked(const std::string& hash) {
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) {
        return;
    }
    by_user_code_.erase(it->second.user_code);
    by_hash_.erase(it);  // its entry in order_ goes when it reaches the front
}

}  // namespace sfkit::server
