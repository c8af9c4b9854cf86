// Logins saved under an alias, as the sfkit CLI keeps them: one JSON file per alias in
// `$XDG_CONFIG_HOME/sfkit/logins/` (default `~/.config/sfkit/logins/`), directories 0700 and
// files 0600. Holds the access token (a secret) but never passwords or client secrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/oauth.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

struct StoredLogin {
    std::string alias;
    Token token;
    std::string login_url;  ///< where the login happened
    std::string flow;       ///< "web", "device", "password", "client_credentials" or "jwt"
    std::string username;   ///< empty for client credentials
    std::string client_id;  ///< consumer key (not a secret)
    /// JWT logins: the path of the private key file (never the key itself) and the `aud` given
    /// at login (empty: the default), so that an expired session can be renewed.
    std::string jwt_key_file;
    std::string jwt_audience;
};

/// Holds no state but its directory: Load/List may run on several threads (and processes) at
/// once, and a Save replaces the file atomically, so readers see the old or the new login,
/// never a mix. Saves of one alias at the same time from two threads of one process are not
/// supported (they share a temporary file name); from two processes the last one wins.
class TokenStore {
public:
    /// A store rooted at `directory` (the `logins` subdirectory is created below it).
    explicit TokenStore(std::string directory);

    /// `$XDG_CONFIG_HOME/sfkit`, else `$HOME/.config/sfkit`. Fails (kIo) when neither variable
    /// is set to an absolute path.
    static Result<std::string> DefaultDirectory();

    /// Aliases: 1-64 chars of `[A-Za-z0-9._-]`, not starting with `.`.
    static bool IsValidAlias(std::string_view alias);

    /// Writes (atomically: temp file + rename) `<dir>/logins/<alias>.json` with mode 0600,
    /// creating the directories with mode 0700 (and tightening them to 0700 if they exist).
    Result<void> Save(const StoredLogin& login) const;
    /// Reads a login. kIo NO_SUCH_ALIAS when there is none; kIo when the file is unreadable.
    Result<StoredLogin> Load(std::string_view alias) const;
    /// Deletes a login; kIo NO_SUCH_ALIAS when there is none.
    Result<void> Remove(std::string_view alias) const;
    /// Stored aliases, sorted.
    std::vector<std::string> List() const;

    const std::string& Directory() const noexcept { return directory_; }
    /// The file a login for `alias` lives in.
    std::string PathFor(std::string_view alias) const;

private:
    std::string directory_;
};

}  // namespace sfkit::client
