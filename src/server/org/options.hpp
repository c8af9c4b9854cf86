// Options of a local org, as `sfkit serve` fills them from its flags.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace sfkit::server {

struct LocalOrgOptions {
    std::string data_dir = ".sfkit/org";  ///< where org.db and credentials.json live
    bool in_memory = false;               ///< no files at all; the org vanishes on exit
    std::string org_def_file;             ///< optional org definition (docs/org-definition.md)
    std::chrono::seconds session_timeout{2 * 60 * 60};  ///< access-token lifetime
    std::string public_url;  ///< instance URL to advertise; default: what the client addressed
    long long api_daily_limit = 15000;  ///< DailyApiRequests Max (Developer Edition figure)
    /// Time source for SOQL date literals and query-locator expiry; empty = the system clock.
    /// Tests inject a fixed or steppable clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

}  // namespace sfkit::server
