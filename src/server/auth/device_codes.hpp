// Pending authorizations of the OAuth 2.0 device flow (§A.3.6): what a device was handed
// (device code, user code) and what the user decided on the verification page. Kept in the
// org's database (table auth_device_code), so that a flow started on one sfkit node is approved
// and polled on any other (issue 13); at most kMaxPending at once, and only the SHA-256 of a
// device code is kept. Every change is one statement or one transaction whose outcome is
// decided by the row it changes: a decision is taken once, an approval answered to one poll.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::server {

class Database;

class DeviceCodes {
public:
    /// Uses (and creates when missing) the table auth_device_code of `db`.
    explicit DeviceCodes(Database& db);

    /// How long a device code and its user code stay usable [M: Salesforce publishes no figure].
    static constexpr std::int64_t kLifetimeMs = 10LL * 60 * 1000;
    /// The polling interval handed to the device, in seconds (§A.3.6 [F]: 5).
    static constexpr int kIntervalSeconds = 5;
    static constexpr std::size_t kMaxPending = 10'000;

    struct Issued {
        std::string device_code;  ///< secret of the device
        std::string user_code;    ///< 8 characters the user types, e.g. "KXRT4BQM"
    };
    /// A new pending authorization for `app_id` with the granted `scopes`.
    Issued Issue(const std::string& app_id, std::vector<std::string> scopes, std::int64_t now);

    /// The user code in the canonical form (upper case, spaces and dashes dropped).
    static std::string NormalizeUserCode(std::string_view code);
    /// True when `user_code` names an unexpired authorization nobody decided yet.
    bool IsPending(std::string_view user_code, std::int64_t now);
    /// Records the user's decision; false when the code is unknown, expired or decided.
    bool Decide(std::string_view user_code,
                const std::string& user_id,
                bool allow,
                std::int64_t now);

    enum class PollState { kUnknown, kExpired, kPending, kSlowDown, kDenied, kApproved };
    struct Poll {
        PollState state = PollState::kUnknown;
        std::string user_id;              ///< kApproved
        std::vector<std::string> scopes;  ///< kApproved
    };
    /// A device's poll with its device code. A decided or expired authorization is answered once
    /// and then forgotten; polling again before the interval passed is kSlowDown.
    Poll Take(std::string_view device_code, const std::string& app_id, std::int64_t now);

private:
    Database& db_;
};

}  // namespace sfkit::server
