// The sfkit binary as users run it: help, usage errors, settings lookup (flag > SFKIT_* env >
// .env), stored logins, create/get, --json envelopes and exit codes. `Cli*` tests run against a
// canned org (FakeOrg); `CliE2E*` tests run against a real `sfkit serve` process.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/cli_fixture.hpp"
#include "support/fake_org.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

unsigned Mode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mode & 07777;
}

// ---- no org needed ----------------------------------------------------------------------------

TEST_F(CliTest, EveryCommandHasHelp) {
    for (const auto& cmd :
         std::vector<std::vector<std::string>>{{"--help"},
                                               {"login", "--help"},
                                               {"login", "password", "--help"},
                                               {"login", "client-credentials", "--help"},
                                               {"login", "jwt", "--help"},
                                               {"login", "web", "--help"},
                                               {"login", "device", "--help"},
                                               {"create", "--help"},
                                               {"get", "--help"},
                                               {"update", "--help"},
                                               {"delete", "--help"},
                                               {"upsert", "--help"},
                                               {"sobjects", "--help"},
                                               {"describe", "--help"},
                                               {"limits", "--help"},
                                               {"api", "--help"},
                                               {"serve", "--help"}}) {
        auto r = Sfkit(cmd);
        EXPECT_EQ(r.exit_code, 0) << cmd[0];
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << cmd[0];
    }
    auto lp = Sfkit({"login", "password", "--help"});
    for (const char* flag : {"--login-url",
                             "--client-id",
                             "--client-secret",
                             "--username",
                             "--password",
                             "--security-token",
                             "--alias",
                             "--env-file",
                             "--json",
                             "SFKIT_CLIENT_ID"}) {
        EXPECT_NE(lp.out.find(flag), std::string::npos) << flag;
    }
    auto lw = Sfkit({"login", "web", "--help"});
    for (const char* flag : {"--instance-url",
                             "--client-id",
                             "--client-secret",
                             "--port",
                             "--alias",
                             "--no-browser",
                             "--scopes",
                             "PlatformCLI"}) {
        EXPECT_NE(lw.out.find(flag), std::string::npos) << flag;
    }
}

TEST_F(CliTest, ServeDefaultsToOneIoThreadPerCore) {
    // `sfkit serve` logs its thread count once it is ready; it runs until killed at the timeout.
    const auto serve = [](std::vector<std::string> extra) {
        std::vector<std::string> argv = {SFKIT_BINARY,
                                         "serve",
                                         "--port",
                                         "0",
                                         "--in-memory",
                                         "--org-def",
                                         TestDataPath("org-def.json")};
        argv.insert(argv.end(), extra.begin(), extra.end());
        ProcessOptions o;
        o.timeout = std::chrono::seconds(3);
        return RunProcess(argv, o).out;
    };
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const std::string by_default = serve({});
    EXPECT_NE(by_default.find("] " + std::to_string(cores) + " I/O threads"), std::string::npos)
        << by_default;
    const std::string asked = serve({"--threads", "3"});
    EXPECT_NE(asked.find("] 3 I/O threads"), std::string::npos) << asked;
}

TEST_F(CliTest, UsageErrorsExit2) {
    auto r = Sfkit({"create", "Account"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--data"), std::string::npos);
    EXPECT_EQ(Sfkit({"no-such-command"}).exit_code, 2);
    EXPECT_EQ(Sfkit({}).exit_code, 2);
    auto j = Sfkit({"get", "Account", "--json"});
    EXPECT_EQ(j.exit_code, 2);
    auto env = ParseEnvelope(j.out);
    EXPECT_EQ(env["status"], 2);
    EXPECT_EQ(env["exitCode"], 2);
}

TEST_F(CliTest, MissingSettingsAreUsageErrorsNamingEverySource) {
    auto r = Sfkit({"login",
                    "password",
                    "--login-url",
                    "http://127.0.0.1:1",
                    "--client-id",
                    "x",
                    "--username",
                    "u"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("ERROR MISSING_SETTING: password is not set"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("SFKIT_PASSWORD"), std::string::npos);
}

TEST_F(CliTest, UnreachableOrgExits69) {
    auto r = Sfkit(PasswordLogin("http://127.0.0.1:1"));
    EXPECT_EQ(r.exit_code, 69) << r.err;
    EXPECT_NE(r.err.find("ERROR COULDNT_CONNECT:"), std::string::npos) << r.err;
}

TEST_F(CliTest, CommandsWithoutLoginExit1) {
    auto r = Sfkit({"get", "Account", "001000000000001AAA", "--json", "-o", "nobody"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.empty()) << "--json: the envelope only, " << r.err;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(env["status"], 1);
    EXPECT_EQ(S(env["name"]), "NO_SUCH_ALIAS");
    EXPECT_EQ(env["exitCode"], 1);
}

TEST_F(CliTest, StartsInMilliseconds) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "start-up time is not meaningful under AddressSanitizer";
#endif
    // Help needs no network and no heavy start-up work; allow a wide margin for a busy machine.
    Sfkit({"--version"});  // warm the page cache
    const auto start = std::chrono::steady_clock::now();
    auto r = Sfkit({"get", "--help"});
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_LT(took, std::chrono::milliseconds(500));
}

// ---- against a canned org -------------------------------------------------------------------

TEST_F(CliTest, PasswordLoginStoresAPrivateTokenAndPrintsNoSecret) {
    FakeOrg org;
    auto args = PasswordLogin(org.BaseUrl());
    args.insert(args.end(), {"--alias", "dev"});
    auto r = Sfkit(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(kUser), std::string::npos);
    EXPECT_NE(r.out.find(FakeOrg::kOrgId), std::string::npos);
    EXPECT_NE(r.out.find("'dev'"), std::string::npos);
    for (const std::string& secret :
         {std::string(FakeOrg::kAccessToken), std::string(kPassword), std::string(kClientSecret)}) {
        EXPECT_EQ(r.out.find(secret), std::string::npos);
        EXPECT_EQ(r.err.find(secret), std::string::npos);
    }
    EXPECT_EQ(org.LastTokenField("password"), std::string(kPassword) + kSecurityToken);
    EXPECT_EQ(Mode(config_.Path() + "/sfkit"), 0700u);
    EXPECT_EQ(Mode(config_.Path() + "/sfkit/logins"), 0700u);
    EXPECT_EQ(Mode(LoginFile("dev")), 0600u);
    std::ifstream in(LoginFile("dev"));
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(stored.find(FakeOrg::kAccessToken), std::string::npos);
    EXPECT_EQ(stored.find(kPassword), std::string::npos);  // never the password
    EXPECT_EQ(stored.find(kClientSecret), std::string::npos);
}

TEST_F(CliTest, PasswordLoginJsonEnvelope) {
    FakeOrg org;
    auto args = PasswordLogin(org.BaseUrl());
    args.push_back("--json");
    auto r = Sfkit(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // One compact line, so that scripts can grep it (scripts/demo.sh does).
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(env["status"], 0);
    auto& result = env["result"].as_object();
    EXPECT_EQ(S(result["alias"]), "default");
    EXPECT_EQ(S(result["username"]), kUser);
    EXPECT_EQ(S(result["orgId"]), FakeOrg::kOrgId);
    EXPECT_EQ(S(result["userId"]), FakeOrg::kUserId);
    EXPECT_EQ(S(result["instanceUrl"]), org.BaseUrl());
    EXPECT_EQ(r.out.find(FakeOrg::kAccessToken), std::string::npos);
}

TEST_F(CliTest, SettingsComeFromFlagsThenEnvironmentThenDotEnv) {
    FakeOrg org;
    WriteFile(".env",
              "# Postman variable names\nclient_id=" + std::string(kClientId) +
                  "\nclient_secret=" + kClientSecret + "\nusername=wrong@acme.test\n" +
                  "password=wrong\nsecurity_token=" + kSecurityToken +
                  "\nlogin_url=" + org.BaseUrl() + "\n");
    // .env alone: wrong username and password -> the org refuses.
    auto refused = Sfkit({"login", "password"});
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("ERROR invalid_grant: authentication failure"), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("(check the username, the password and the security token"),
              std::string::npos)
        << "the usual causes follow Salesforce's terse text: " << refused.err;
    EXPECT_EQ(org.LastTokenField("username"), "wrong@acme.test");
    // The environment beats .env, the flag beats the environment.
    auto ok = Sfkit({"login", "password", "--username", kUser},
                    {{"SFKIT_PASSWORD", kPassword}, {"SFKIT_USERNAME", "also-wrong@acme.test"}});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(org.LastTokenField("username"), kUser);
    EXPECT_EQ(org.LastTokenField("password"), std::string(kPassword) + kSecurityToken);
    EXPECT_EQ(org.LastTokenField("client_id"), kClientId);
}

TEST_F(CliTest, ExplicitEnvFile) {
    FakeOrg org;
    WriteFile("org.env",
              "SFKIT_CLIENT_ID=" + std::string(kClientId) + "\nclient_secret=" + kClientSecret +
                  "\nusername=" + kUser + "\npassword='" + kPassword +
                  "'\nsecurity_token=" + kSecurityToken + "\n");
    auto r = Sfkit({"login",
                    "password",
                    "--env-file",
                    work_.Path() + "/org.env",
                    "--login-url",
                    org.BaseUrl(),
                    "-o",
                    "viaenv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Mode(LoginFile("viaenv")), 0600u);
    EXPECT_EQ(Sfkit({"login", "password", "--env-file", "/nonexistent.env"}).exit_code, 2);
    WriteFile("broken.env", "this line is not a setting\n");
    auto broken = Sfkit({"login", "password", "--env-file", work_.Path() + "/broken.env"});
    EXPECT_EQ(broken.exit_code, 2);
    EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

TEST_F(CliTest, ClientCredentialsInFormAndWithBasicAuth) {
    FakeOrg org;
    auto r = Sfkit({"login",
                    "client-credentials",
                    "--login-url",
                    org.BaseUrl(),
                    "--client-id",
                    kClientId,
                    "--client-secret",
                    kClientSecret,
                    "--alias",
                    "cc"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(org.LastTokenField("grant_type"), "client_credentials");
    EXPECT_EQ(org.LastTokenField("client_secret"), kClientSecret);
    auto basic = Sfkit({"login",
                        "client-credentials",
                        "--login-url",
                        org.BaseUrl(),
                        "--client-id",
                        kClientId,
                        "--client-secret",
                        kClientSecret,
                        "--basic-auth",
                        "--json"});
    EXPECT_EQ(basic.exit_code, 0) << basic.err;
    EXPECT_EQ(org.LastTokenField("client_secret"), "");  // it went in the header
    auto bad = Sfkit({"login",
                      "client-credentials",
                      "--login-url",
                      org.BaseUrl(),
                      "--client-id",
                      kClientId,
                      "--client-secret",
                      "nope"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("ERROR invalid_client: invalid client credentials"), std::string::npos);
}

TEST_F(CliTest, CreateAndGetInJsonAndXml) {
    FakeOrg org;
    ASSERT_EQ(Sfkit(PasswordLogin(org.BaseUrl())).exit_code, 0);

    auto created = Sfkit(
        {"create",
         "Account",
         "--data",
         R"({"Name":"Test Account","Phone":"1234567890","Website":"https://example.com","BillingCity":"New York"})"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(created.out, std::string("Created Account ") + FakeOrg::kRecordId + "\n");
    // 14000/15000 is above 90%: the user is warned on stderr.
    EXPECT_NE(created.err.find("WARNING: the org has used 14000 of 15000"), std::string::npos);
    auto sent = org.Requests().back();
    EXPECT_EQ(sent.path, "/services/data/v60.0/sobjects/Account/");
    EXPECT_EQ(*sent.Header("Content-Type"), "application/json");
    EXPECT_EQ(
        sent.body,
        R"({"Name":"Test Account","Phone":"1234567890","Website":"https://example.com","BillingCity":"New York"})");

    // The seed's XML body, from a file: XML on the wire both ways.
    WriteFile("account.xml",
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Account>\n    <Name>Test Account "
              "XML</Name>\n    <Phone>1234567890</Phone>\n</Account>\n");
    auto xml = Sfkit({"create", "Account", "--data", "@account.xml", "--json"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    sent = org.Requests().back();
    EXPECT_EQ(*sent.Header("Content-Type"), "application/xml");
    EXPECT_EQ(*sent.Header("Accept"), "application/xml");
    EXPECT_NE(
        sent.body.find("<Account><Name>Test Account XML</Name><Phone>1234567890</Phone></Account>"),
        std::string::npos)
        << sent.body;
    EXPECT_NE(xml.out.find(std::string(R"("id":")") + FakeOrg::kRecordId + "\""),
              std::string::npos);
    auto env = ParseEnvelope(xml.out);
    EXPECT_EQ(env["status"], 0);
    EXPECT_EQ(S(env["result"].as_object()["id"]), FakeOrg::kRecordId);
    EXPECT_EQ(env["result"].as_object()["success"], true);
    EXPECT_EQ(env["apiUsage"].as_object()["used"], 14000);

    // stdin, and JSON data sent as XML with --xml.
    auto piped = Sfkit({"create", "Account", "--data", "@-", "--xml"}, {}, R"({"Name":"Piped"})");
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_NE(org.Requests().back().body.find("<Name>Piped</Name>"), std::string::npos);

    auto got = Sfkit({"get", "Account", FakeOrg::kRecordId, "--fields", "Name, Phone"});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(org.Requests().back().target,
              std::string("/services/data/v60.0/sobjects/Account/") + FakeOrg::kRecordId +
                  "?fields=Name,Phone");
    EXPECT_NE(got.out.find("Name   Test Account"), std::string::npos) << got.out;

    auto got_json = Sfkit({"get", "Account", FakeOrg::kRecordId, "--json"});
    ASSERT_EQ(got_json.exit_code, 0) << got_json.err;
    auto rec = ParseEnvelope(got_json.out)["result"].as_object();
    EXPECT_EQ(S(rec["attributes"].as_object()["type"]), "Account");
    EXPECT_EQ(S(rec["Name"]), "Test Account");
    EXPECT_TRUE(rec["Fax"].is_null());

    auto got_xml = Sfkit({"get", "Account", FakeOrg::kRecordId, "--xml", "--json"});
    ASSERT_EQ(got_xml.exit_code, 0) << got_xml.err;
    EXPECT_EQ(S(ParseEnvelope(got_xml.out)["result"].as_object()["Name"]), "Test Account");
}

TEST_F(CliTest, SalesforceErrorsExit1AndBadDataExit2) {
    FakeOrg org;
    ASSERT_EQ(Sfkit(PasswordLogin(org.BaseUrl())).exit_code, 0);
    auto r = Sfkit({"create", "Account", "--data", R"({"NoSuchField__c":1})", "--json"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.empty()) << "--json: the envelope only, " << r.err;
    auto env = ParseEnvelope(r.out);
    EXPECT_TRUE(S(env["message"]).starts_with("No such column 'NoSuchField__c'")) << r.out;
    EXPECT_EQ(env["status"], 1);
    EXPECT_EQ(S(env["name"]), "INVALID_FIELD");
    EXPECT_EQ(env["httpStatus"], 400);
    EXPECT_EQ(env["errors"].as_array().size(), 1u);

    auto missing = Sfkit({"get", "Account", "001000000000002AAA"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("ERROR NOT_FOUND: The requested resource does not exist"),
              std::string::npos);

    EXPECT_EQ(Sfkit({"create", "Account", "--data", "Name=x"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"create", "Account", "--data", "{\"Name\":"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"create", "Account", "--data", "@nope.json"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"create", "Account", "--data", "<Contact><LastName>x</LastName></Contact>"})
                  .exit_code,
              2);
}

TEST_F(CliTest, ExpiredSessionSaysToLogInAgain) {
    FakeOrg org;
    ASSERT_EQ(Sfkit(PasswordLogin(org.BaseUrl())).exit_code, 0);
    // Corrupt the stored token as if the org had revoked it.
    std::ifstream in(LoginFile("default"));
    std::string text((std::istreambuf_iterator<char>(in)), {});
    in.close();
    text.replace(text.find(FakeOrg::kAccessToken), 5, "XXXXX");
    std::ofstream(LoginFile("default")) << text;
    auto r = Sfkit({"get", "Account", FakeOrg::kRecordId});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("ERROR INVALID_SESSION_ID"), std::string::npos);
    EXPECT_NE(r.err.find("sfkit login"), std::string::npos);
}

// ---- end to end against `sfkit serve` (needs the server's OAuth and sObject endpoints) -------

class CliE2E : public CliTest {};

TEST_F(CliE2E, LoginCreateGetAgainstServe) {
    ServeProcess serve(TestDataPath("org-def.json"));
    auto login = Sfkit(PasswordLogin(serve.BaseUrl()));
    ASSERT_EQ(login.exit_code, 0) << login.err;

    auto created = Sfkit({"create",
                          "Account",
                          "--data",
                          R"({"Name":"E2E Account","Phone":"1234567890"})",
                          "--json"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const std::string id(ParseEnvelope(created.out)["result"].as_object()["id"].as_string());
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "001");

    auto xml = Sfkit(
        {"create",
         "Account",
         "--data",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account><Name>E2E XML</Name></Account>"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(xml.out.rfind("Created Account 001", 0), 0u) << xml.out;

    auto got = Sfkit({"get", "Account", id, "--fields", "Name,Phone", "--json"});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    auto rec = ParseEnvelope(got.out)["result"].as_object();
    EXPECT_EQ(S(rec["Name"]), "E2E Account");
    EXPECT_EQ(S(rec["Phone"]), "1234567890");

    auto got_xml = Sfkit({"get", "Account", id, "--xml", "--json"});
    ASSERT_EQ(got_xml.exit_code, 0) << got_xml.err;
    EXPECT_EQ(S(ParseEnvelope(got_xml.out)["result"].as_object()["Name"]), "E2E Account");

    auto cc = Sfkit({"login",
                     "client-credentials",
                     "--login-url",
                     serve.BaseUrl(),
                     "--client-id",
                     kClientId,
                     "--client-secret",
                     kClientSecret,
                     "-o",
                     "cc"});
    ASSERT_EQ(cc.exit_code, 0) << cc.err;
    auto cc_get = Sfkit({"get", "Account", id, "-o", "cc"});
    EXPECT_EQ(cc_get.exit_code, 0) << cc_get.err;

    auto wrong = Sfkit({"login",
                        "password",
                        "--login-url",
                        serve.BaseUrl(),
                        "--client-id",
                        kClientId,
                        "--client-secret",
                        kClientSecret,
                        "--username",
                        kUser,
                        "--password",
                        "wrong",
                        "--json"});
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_EQ(S(ParseEnvelope(wrong.out)["name"]), "invalid_grant");
}

}  // namespace
}  // namespace sfkit::test
