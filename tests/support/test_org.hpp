// An in-process local org on 127.0.0.1 with a free port, for integration tests: the installed
// sfkit::testing::LocalOrg, started with the full server options and no login.
// Defaults: in memory, tests/data/org-def.json (admin@acme.test / Passw0rd! / TOKEN123,
// consumer key 3MVG9local.key, secret local-secret).
#pragma once

#include <memory>
#include <string>

#include "sfkit/testing/local_org.hpp"

#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "testing/local_org_impl.hpp"

namespace sfkit::test {

inline constexpr const char* kUser = "admin@acme.test";
inline constexpr const char* kPassword = "Passw0rd!";
inline constexpr const char* kSecurityToken = "TOKEN123";
inline constexpr const char* kClientId = "3MVG9local.key";
inline constexpr const char* kClientSecret = "local-secret";

/// Path of a file under tests/data.
std::string TestDataPath(const std::string& name);

class PgScratch;

/// Whether the integration tests run their orgs on PostgreSQL: SFKIT_TEST_ENGINE=postgresql
/// (and SFKIT_TEST_PG naming the server; tests/CMakeLists.txt registers the suite a second time
/// so, with the label `postgresql`). Throws when the engine is asked for without a server.
bool TestOrgsOnPostgres();

/// The database of an on-disk test org in `data_dir`: `<data_dir>/org.db` on SQLite; on
/// PostgreSQL (TestOrgsOnPostgres) a scratch schema of that directory's own, the same for the
/// whole process (TestOrg puts such an org there, and a restart on the directory finds it).
std::string OrgDatabase(const std::string& data_dir);

class TestOrg {
public:
    /// Starts an org; `options.org_def_file` defaults to tests/data/org-def.json when empty and
    /// `options.in_memory` is honoured as given (default true here).
    explicit TestOrg(server::LocalOrgOptions options = DefaultOptions());
    ~TestOrg();

    static server::LocalOrgOptions DefaultOptions();

    std::uint16_t Port() const { return org_.Port(); }
    std::string BaseUrl() const { return org_.InstanceUrl(); }
    server::LocalOrg& Org() { return org_.Internal().Org(); }
    /// The same org through the installed testing API (Client(), Login(), CredentialsOf()).
    testing::LocalOrg& Testing() { return org_; }

    /// Logs in with the password flow and returns the access token (asserts on failure).
    std::string Login();

private:
    /// On PostgreSQL (TestOrgsOnPostgres) an in-memory org lives in a scratch schema of its
    /// own, dropped after the org stops.
    std::unique_ptr<PgScratch> pg_;
    testing::LocalOrg org_;
};

}  // namespace sfkit::test
