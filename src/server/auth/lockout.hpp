// Login lockout policy as pure state transitions (wire reference §A.5 "Login lockout": after N
// consecutive failures the user is locked for M minutes; the API reports it as a plain
// authentication failure). AuthService persists the state per user.
#pragma once

#include <cstdint>

namespace sfkit::server {

struct LockoutPolicy {
    int threshold = 10;                       ///< failures that lock; 0 disables lockout
    std::int64_t lock_ms = 15LL * 60 * 1000;  ///< how long a lock lasts
};

struct LockState {
    int failed = 0;                    ///< consecutive failures since the last success/lock expiry
    std::int64_t locked_until_ms = 0;  ///< 0 when never locked

    friend bool operator==(const LockState&, const LockState&) = default;
};

/// True while a lock is in force at `now_ms`.
inline bool IsLocked(const LockState& s, std::int64_t now_ms) {
    return s.locked_until_ms > now_ms;
}

/// State after a failed attempt at `now_ms`. Attempts during a lock change nothing (the lock is not
/// extended); the first attempt after a lock expired starts a fresh count.
inline LockState AfterFailure(LockState s, const LockoutPolicy& policy, std::int64_t now_ms) {
    if (IsLocked(s, now_ms)) {
        return s;
    }
    if (s.locked_until_ms != 0) {
        s = {};
    }
    ++s.failed;
    if (policy.threshold > 0 && s.failed >= policy.threshold) {
        s.locked_until_ms = now_ms + policy.lock_ms;
    }
    return s;
}

/// State after a successful login: everything resets. Never called while locked (a locked user's
/// correct password is still refused).
inline LockState AfterSuccess() {
    return {};
}

}  // namespace sfkit::server
