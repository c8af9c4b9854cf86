// What an authenticated call knows about its caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sfkit::server {

struct Session {
    std::string org_id;        ///< 18-char
    std::string user_id;       ///< 18-char
    std::string username;
    std::string app_id;        ///< connected app id (18-char), empty for SOAP sessions
    std::string app_name;
    std::vector<std::string> scopes;
    std::int64_t issued_at_ms = 0;
    std::int64_t expires_at_ms = 0;
    std::string token_hash;    ///< hex SHA-256 of the access token; the token itself is never kept
};

}  // namespace sfkit::server
