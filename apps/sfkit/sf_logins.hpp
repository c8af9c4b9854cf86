// Logins of the Salesforce CLI (`sf`, `sfdx`), read-only, where its files can be read without an
// OS keychain: with SF_USE_GENERIC_UNIX_KEYCHAIN=true (and on Linux without libsecret) sf keeps
// its encryption key in ~/.sfdx/key.json. An org's login is ~/.sfdx/<username>.json with the
// token fields encrypted (AES-256-GCM); aliases are in ~/.sfdx/alias.json. sfkit never writes
// these files. docs/cli.md, "Orgs", describes the formats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/token_store.hpp"
#include "sfkit/core/error.hpp"

namespace boost::json {
class array;
}  // namespace boost::json

namespace sfkit::cli {

class Table;

/// An sf login as sfkit uses it: `login.alias` is the name it is found under (its first sf
/// alias, else its username), `login.flow` is "sf".
struct SfLogin {
    client::StoredLogin login;
    std::vector<std::string> aliases;  ///< its sf aliases, sorted
};

/// Every sf login whose token can be decrypted, sorted by username; empty when there is no
/// ~/.sfdx/key.json (sf then keeps its key in an OS keychain sfkit does not read).
std::vector<SfLogin> ListSfLogins();

/// The sf login named `name` (one of its sf aliases, or its username). kIo NO_SUCH_ALIAS when
/// there is none; kIo SF_LOGIN_UNREADABLE when its token cannot be decrypted.
Result<client::StoredLogin> LoadSfLogin(std::string_view name);

/// sfkit's own login `alias` from `store`, else the sf login of that name. The error is the
/// store's when neither exists.
Result<client::StoredLogin> LoadLogin(const client::TokenStore& store, std::string_view alias);

/// `sfkit org list`'s rows for the sf logins (flow "sf", each under its first alias or its
/// username), after sfkit's own; `target` (the default org's name) marks one as the default.
void AddSfLogins(const std::string& target, boost::json::array& list, Table& table);

}  // namespace sfkit::cli
