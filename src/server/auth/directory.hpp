// The org's directory (organization, profiles, users) as the rest of the server may see it:
// AuthService publishes it to a DirectorySink after every bootstrap, so that User, Profile and
// Organization records exist with the same ids auth issues. Only non-secret facts cross this
// interface; passwords, tokens and lockout state stay in the auth tables.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sfkit::server {

struct DirectoryOrg {
    std::string id;  ///< 18-char 00D id
    std::string name;
    std::int64_t created_ms = 0;
};

struct DirectoryProfile {
    std::string id;  ///< 18-char 00e id
    std::string name;
};

struct DirectoryUser {
    std::string id;  ///< 18-char 005 id
    std::string username;
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string profile_id;
    bool active = true;
    std::int64_t created_ms = 0;
    std::int64_t modified_ms = 0;
};

struct DirectorySnapshot {
    DirectoryOrg org;
    std::string admin_user_id;  ///< creator of the org's records
    std::vector<DirectoryProfile> profiles;
    std::vector<DirectoryUser> users;
};

class DirectorySink {
public:
    virtual ~DirectorySink() = default;
    /// Called inside the bootstrap transaction with the whole directory; throwing aborts the
    /// start.
    virtual void Publish(const DirectorySnapshot& snapshot) = 0;
    /// A login of `user_id` at `when_ms`: runs `work` (which stores the new session) and sets
    /// the user's LastLoginDate in one durable write. Must not be called with the database lock
    /// held. The default only runs `work`.
    virtual void RecordLogin(const std::string& user_id,
                             std::int64_t when_ms,
                             const std::function<void()>& work) {
        (void)user_id;
        (void)when_ms;
        work();
    }
};

}  // namespace sfkit::server
