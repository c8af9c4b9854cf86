// In-process local org for integration tests.
#include "support/test_org.hpp"

#include <stdexcept>

#include <boost/json.hpp>

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

TestOrg::TestOrg(server::LocalOrgOptions options)
    : org_(std::make_unique<testing::LocalOrg::Impl>(std::move(options), 2)) {}

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
