// `sfkit login jwt` against an in-process local org whose connected app holds a test certificate:
// the stored login works for REST commands, and refusals carry Salesforce's text (§A.3.4).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/cli_fixture.hpp"
#include "support/rsa_test_keys.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

class CliJwtTest : public CliTest {
protected:
    void SetUp() override {
        key_ = MakeRsaTestKey();
        const std::string dir = work_.Path();
        std::ofstream(dir + "/app.crt") << key_.certificate_pem;
        std::ofstream(dir + "/key.pem") << key_.private_key_pem;
        std::ofstream(dir + "/org-def.json") << R"({
  "users": [{"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123"},
            {"username": "ci@acme.test", "password": "Ci-Passw0rd!"}],
  "connectedApps": [
    {"name": "Seed App", "consumerKey": "3MVG9local.key", "consumerSecret": "local-secret"},
    {"name": "CI App", "consumerKey": "3MVG9jwt.key", "consumerSecret": "jwt-secret",
     "certificateFile": "app.crt"}]
})";
        auto options = TestOrg::DefaultOptions();
        options.org_def_file = dir + "/org-def.json";
        org_ = std::make_unique<TestOrg>(options);
    }

    std::vector<std::string> JwtLogin(const std::string& username) {
        return {"login",
                "jwt",
                "--login-url",
                org_->BaseUrl(),
                "--client-id",
                "3MVG9jwt.key",
                "--username",
                username,
                "--jwt-key-file",
                work_.Path() + "/key.pem"};
    }

    RsaTestKey key_;
    std::unique_ptr<TestOrg> org_;
};

TEST_F(CliJwtTest, LoginJwtStoresAWorkingLoginAndPrintsNoSecret) {
    auto args = JwtLogin("ci@acme.test");
    args.insert(args.end(), {"--alias", "ci", "--json"});
    auto r = Sfkit(args, {{"SFKIT_JWT_KEY_FILE", std::nullopt}});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto env = ParseEnvelope(r.out);
    auto& result = env["result"].as_object();
    EXPECT_EQ(S(result["alias"]), "ci");
    EXPECT_EQ(S(result["flow"]), "jwt");
    EXPECT_EQ(S(result["username"]), "ci@acme.test");
    EXPECT_EQ(S(result["instanceUrl"]), org_->BaseUrl());
    EXPECT_EQ(S(result["orgId"]), org_->Org().Org().org_id);
    EXPECT_EQ(r.out.find("PRIVATE KEY"), std::string::npos);
    std::ifstream in(LoginFile("ci"));
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(stored.find("PRIVATE KEY"), std::string::npos);  // never the key

    // The stored login works for REST commands.
    auto limits = Sfkit({"limits", "--alias", "ci", "--json"});
    EXPECT_EQ(limits.exit_code, 0) << limits.err << limits.out;
}

TEST_F(CliJwtTest, AnExpiredJwtSessionIsRenewedWithTheKeyFile) {
    auto options = TestOrg::DefaultOptions();
    options.org_def_file = work_.Path() + "/org-def.json";
    options.session_timeout = std::chrono::seconds(1);
    org_ = std::make_unique<TestOrg>(options);
    auto args = JwtLogin("ci@acme.test");
    args.insert(args.end(), {"--alias", "ci"});
    ASSERT_EQ(Sfkit(args).exit_code, 0);
    auto read = [this] {
        std::ifstream in(LoginFile("ci"));
        return boost::json::parse(std::string((std::istreambuf_iterator<char>(in)), {}))
            .as_object();
    };
    auto first = read();
    EXPECT_EQ(S(first["jwtKeyFile"]), work_.Path() + "/key.pem");
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));

    auto limits = Sfkit({"limits", "--alias", "ci", "--json", "--verbose"});
    EXPECT_EQ(limits.exit_code, 0) << limits.err << limits.out;
    EXPECT_NE(limits.err.find("< HTTP/1.1 401"), std::string::npos) << limits.err;
    auto second = read();
    EXPECT_NE(S(second["accessToken"]), S(first["accessToken"])) << "the new token is stored";
    EXPECT_EQ(limits.err.find(S(second["accessToken"])), std::string::npos);
    EXPECT_EQ(limits.err.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(CliJwtTest, HelpNamesEveryFlag) {
    auto r = Sfkit({"login", "jwt", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* flag : {"--login-url",
                             "--client-id",
                             "--username",
                             "--jwt-key-file",
                             "--audience",
                             "--alias",
                             "--env-file",
                             "--json"}) {
        EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
    }
}

TEST_F(CliJwtTest, RefusalsAndMissingSettings) {
    auto r = Sfkit(JwtLogin("nobody@acme.test"), {{"SFKIT_JWT_KEY_FILE", std::nullopt}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("user hasn't approved this consumer"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(LoginFile("default")));

    // A key whose certificate the app does not hold.
    std::ofstream(work_.Path() + "/other.pem") << MakeRsaTestKey().private_key_pem;
    auto args = JwtLogin("ci@acme.test");
    args.back() = work_.Path() + "/other.pem";
    r = Sfkit(args, {{"SFKIT_JWT_KEY_FILE", std::nullopt}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("invalid assertion"), std::string::npos) << r.err;

    r = Sfkit({"login",
               "jwt",
               "--login-url",
               org_->BaseUrl(),
               "--client-id",
               "3MVG9jwt.key",
               "--username",
               "ci@acme.test"},
              {{"SFKIT_JWT_KEY_FILE", std::nullopt}});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--jwt-key-file"), std::string::npos) << r.err;

    // The key file may come from the environment like other settings.
    r = Sfkit({"login",
               "jwt",
               "--login-url",
               org_->BaseUrl(),
               "--client-id",
               "3MVG9jwt.key",
               "--username",
               "ci@acme.test"},
              {{"SFKIT_JWT_KEY_FILE", work_.Path() + "/key.pem"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace sfkit::test
