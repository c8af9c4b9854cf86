// In-process local org for integration tests.
#include "support/test_org.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include <boost/json.hpp>

#include "support/pg_scratch.hpp"
#include "support/raw_http.hpp"

namespace sfkit::test {

std::string TestDataPath(const std::string& name) {
    return std::string(SFKIT_SOURCE_DIR) + "/tests/data/" + name;
}

server::LocalOrgOptions TestOrg::DefaultOptions() {
    server::LocalOrgOptions o;
    o.in_memory = true;
    o.org_def_file = TestDataPath("org-def.json");
    return o;
}

bool TestOrgsOnPostgres() {
    const char* engine = std::getenv("SFKIT_TEST_ENGINE");
    if (engine == nullptr || std::string_view(engine) != "postgresql") {
        return false;
    }
    if (!PgTestServer()) {
        throw std::runtime_error("SFKIT_TEST_ENGINE=postgresql without SFKIT_TEST_PG");
    }
    return true;
}

std::string OrgDatabase(const std::string& data_dir) {
    if (!TestOrgsOnPostgres()) {
        return (std::filesystem::path(data_dir) / "org.db").string();
    }
    // One scratch schema per data directory, kept while the process lives: an org restarted on
    // the same directory (or a second connection that writes rows into it) finds its data.
    static std::mutex mu;
    static std::map<std::string, std::unique_ptr<PgScratch>> scratches;
    std::lock_guard lock(mu);
    auto& scratch = scratches[std::filesystem::absolute(data_dir).lexically_normal().string()];
    if (!scratch) {
        scratch = std::make_unique<PgScratch>(*PgTestServer());
    }
    return scratch->Target();
}

namespace {

/// An org's options moved onto PostgreSQL when the tests run there: an in-memory org gets a
/// fresh scratch schema of its own (dropped after the org stops), an on-disk one the schema of
/// its data directory (OrgDatabase), the directory keeping only the node's files.
server::LocalOrgOptions OnEngine(server::LocalOrgOptions options,
                                 std::unique_ptr<PgScratch>& scratch) {
    if (!options.database.empty() || !TestOrgsOnPostgres()) {
        return options;
    }
    if (options.in_memory) {
        scratch = std::make_unique<PgScratch>(*PgTestServer());
        options.database = scratch->Target();
    } else if (!options.data_dir.empty()) {
        options.database = OrgDatabase(options.data_dir);
    }
    return options;
}

}  // namespace

TestOrg::TestOrg(server::LocalOrgOptions options)
    : org_(std::make_unique<testing::LocalOrg::Impl>(OnEngine(std::move(options), pg_), 2)) {}

TestOrg::~TestOrg() = default;

std::string TestOrg::Login() {
    const std::string body = std::string("grant_type=password&client_id=") + kClientId +
                             "&client_secret=" + kClientSecret + "&username=admin%40acme.test" +
                             "&password=Passw0rd%21" + kSecurityToken;
    auto r = Fetch(Port(),
                   "POST",
                   "/services/oauth2/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   body);
    if (r.status != 200) {
        throw std::runtime_error("login failed: " + std::to_string(r.status) + " " + r.body);
    }
    return std::string(boost::json::parse(r.body).at("access_token").as_string());
}

}  // namespace sfkit::test
