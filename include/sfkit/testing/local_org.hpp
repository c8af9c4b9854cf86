// sfkit::testing: a local org inside your test process, for testing code that talks to
// Salesforce through libsfkit. Link sfkit::testing (find_package(sfkit COMPONENTS testing)).
//
//     sfkit::testing::LocalOrg org(R"({"users":[{"username":"me@example.test",
//                                             "password":"pw1"}], ...})");
//     auto id = org.Client().Create(record);   // a RestClient logged in as the first user
//
// The org lives in memory on 127.0.0.1 at a free port and stops when the object is destroyed.
// The definition is the one `sfkit serve --org-def` reads (docs/org-definition.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::testing {

struct OrgOptions {
    /// The org definition: a file path, or the JSON text itself (anything whose first
    /// non-blank character is `{`). Empty: a default org with generated credentials.
    std::string definition;
    /// Who Client() is logged in as: a user of the definition; empty = its first user. The
    /// login is the username-password flow through the first connected app that allows it.
    std::string username;
    /// API version of Client().
    std::string api_version = std::string(client::kDefaultApiVersion);
    /// Access-token lifetime (the definition's `sessionTimeoutSeconds` wins when present).
    std::chrono::seconds session_timeout{2 * 60 * 60};
    /// Threads answering requests.
    unsigned threads = 2;
};

/// Username, password and connected app of one user, as the password flow needs them.
struct Credentials {
    std::string username;
    std::string password;
    std::string security_token;
    std::string client_id;
    std::string client_secret;
};

/// The org serves requests on its own threads, so test code on any number of threads may call
/// it. The const members (Port, InstanceUrl, CredentialsOf, Login) may be called from several
/// threads at once; Client() is one RestClient and, like every RestClient, belongs to one
/// thread at a time: give other threads their own (`RestClient(transport, org.Login(...))`).
class LocalOrg {
public:
    /// Starts the org and logs in. Throws std::runtime_error when the definition is unreadable
    /// or invalid, has no user or connected app to log in with, or the login fails.
    explicit LocalOrg(OrgOptions options = {});
    /// Same as LocalOrg(OrgOptions{definition}).
    explicit LocalOrg(std::string definition);
    ~LocalOrg();
    LocalOrg(LocalOrg&&) noexcept;
    LocalOrg& operator=(LocalOrg&&) noexcept;

    /// The port on 127.0.0.1.
    std::uint16_t Port() const;
    /// `http://127.0.0.1:<port>`: the login URL and instance URL.
    std::string InstanceUrl() const;

    /// A client logged in as OrgOptions::username (or the first user). Logs in on first use
    /// when the org was not started by the public constructor.
    client::RestClient& Client();
    /// The token Client() uses.
    const client::Token& Token();

    /// The credentials of `username` (empty = the login user) from the definition, or the
    /// generated ones of a default org. Throws std::runtime_error for an unknown user.
    Credentials CredentialsOf(const std::string& username = {}) const;
    /// Logs `username` in (password flow) and returns the token, or the token endpoint's error.
    Result<client::Token> Login(const std::string& username = {}) const;

    /// sfkit's own tests reach the server through this (src/testing/local_org_impl.hpp).
    class Impl;
    explicit LocalOrg(std::unique_ptr<Impl> impl);
    Impl& Internal() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sfkit::testing
