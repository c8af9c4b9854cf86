// The daily-tool commands of the sfkit binary (issue 12): org list / org display / logout,
// the default target org, and the CLI behaviour items, run against an in-process org.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/cli_fixture.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CliDaily : public CliTest {
protected:
    void Login(const std::string& alias) {
        auto args = PasswordLogin(org_.BaseUrl());
        args.insert(args.end(), {"--alias", alias});
        auto r = Sfkit(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::string AccessToken(const std::string& alias) {
        std::ifstream in(LoginFile(alias));
        const std::string text(std::istreambuf_iterator<char>(in), {});
        auto v = boost::json::parse(text);
        return S(v.as_object()["accessToken"]);
    }
    TestOrg org_;
};

TEST_F(CliDaily, OrgListDisplayAndDefaultTargetOrg) {
    Login("dev");
    Login("prod");
    auto list = Sfkit({"org", "list", "--json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    auto result = ParseEnvelope(list.out)["result"].as_array();
    ASSERT_EQ(result.size(), 2u);
    EXPECT_EQ(S(result[0].as_object()["alias"]), "dev");
    EXPECT_EQ(S(result[1].as_object()["instanceUrl"]), org_.BaseUrl());
    EXPECT_FALSE(result[0].as_object()["isDefault"].as_bool());

    // Without -o: no "default" login exists, so the command fails naming it.
    auto none = Sfkit({"sobjects", "--json"});
    EXPECT_EQ(none.exit_code, 1) << none.out;
    EXPECT_TRUE(Has(none.out, "default")) << none.out;

    auto set = Sfkit({"config", "set", "target-org", "prod"});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    auto after = Sfkit({"org", "list"});
    EXPECT_TRUE(Has(after.out, "* ")) << after.out;
    auto q = Sfkit({"sobjects", "--json"});
    EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
    // SFKIT_TARGET_ORG wins over the setting, --target-org over both.
    auto env = Sfkit({"org", "display", "--json"}, {{"SFKIT_TARGET_ORG", "dev"}});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    auto shown = ParseEnvelope(env.out)["result"].as_object();
    EXPECT_EQ(S(shown["alias"]), "dev");
    EXPECT_EQ(S(shown["connectedStatus"]), "Connected");
    EXPECT_EQ(S(shown["accessToken"]), AccessToken("dev"));
    EXPECT_EQ(S(shown["instanceUrl"]), org_.BaseUrl());
    EXPECT_FALSE(S(shown["orgId"]).empty());
    EXPECT_FALSE(S(shown["userId"]).empty());
    EXPECT_EQ(S(shown["apiVersion"]), "60.0");
    auto flag =
        Sfkit({"org", "display", "--target-org", "prod", "--json"}, {{"SFKIT_TARGET_ORG", "dev"}});
    ASSERT_EQ(flag.exit_code, 0) << flag.err;
    EXPECT_EQ(S(ParseEnvelope(flag.out)["result"].as_object()["alias"]), "prod");
}

TEST_F(CliDaily, LogoutRevokesAtTheOrgThenForgets) {
    Login("a");
    Login("b");
    Login("c");
    const std::string token = AccessToken("a");
    auto out = Sfkit({"logout", "-o", "a"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_FALSE(std::filesystem::exists(LoginFile("a")));
    // The token no longer works at the org: revoked, not only forgotten.
    auto api = Sfkit({"api", "GET", "limits", "-H", "Authorization: Bearer " + token, "-o", "b"});
    EXPECT_EQ(api.exit_code, 1) << api.out;
    EXPECT_TRUE(Has(api.out, "INVALID_SESSION_ID")) << api.out;

    auto all = Sfkit({"logout", "--all", "--json"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    EXPECT_EQ(ParseEnvelope(all.out)["result"].as_array().size(), 2u);
    EXPECT_FALSE(std::filesystem::exists(LoginFile("b")));
    EXPECT_FALSE(std::filesystem::exists(LoginFile("c")));
    auto list = Sfkit({"org", "list", "--json"});
    EXPECT_TRUE(ParseEnvelope(list.out)["result"].as_array().empty()) << list.out;
}

TEST_F(CliDaily, ValuesForCreateAndUpdate) {
    Login("default");
    auto created = Sfkit({"create",
                          "Account",
                          "--values",
                          "Name='Acme Inc' Industry=Energy Description=\"say \\\"hi\\\"\"",
                          "--json"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    const std::string id = S(ParseEnvelope(created.out)["result"].as_object()["id"]);
    auto updated = Sfkit({"update", "Account", id, "--values", "Industry='Oil and Gas'"});
    ASSERT_EQ(updated.exit_code, 0) << updated.out << updated.err;
    auto got = Sfkit({"get", "Account", id, "--fields", "Name,Industry,Description", "--json"});
    ASSERT_EQ(got.exit_code, 0) << got.err;
    auto rec = ParseEnvelope(got.out)["result"].as_object();
    EXPECT_EQ(S(rec["Name"]), "Acme Inc");
    EXPECT_EQ(S(rec["Industry"]), "Oil and Gas");
    EXPECT_EQ(S(rec["Description"]), "say \"hi\"");

    auto bad = Sfkit({"create", "Account", "--values", "Name='unterminated"});
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_TRUE(Has(bad.err, "unterminated quote")) << bad.err;
    auto both = Sfkit({"create", "Account", "--values", "Name=A", "--data", "{}"});
    EXPECT_EQ(both.exit_code, 2) << both.err;
    auto neither = Sfkit({"create", "Account"});
    EXPECT_EQ(neither.exit_code, 2) << neither.err;
    EXPECT_TRUE(Has(neither.err, "--values")) << neither.err;
}

TEST_F(CliDaily, DidYouMeanForMistypedCommands) {
    auto r = Sfkit({"qeury", "SELECT Id FROM Account"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "'qeury' is not a sfkit command. Did you mean 'query'?")) << r.err;
    auto sub = Sfkit({"login", "pasword"});
    EXPECT_EQ(sub.exit_code, 2);
    EXPECT_TRUE(Has(sub.err, "Did you mean 'password'?")) << sub.err;
    auto json = Sfkit({"org", "lsit", "--json"});
    EXPECT_EQ(json.exit_code, 2);
    EXPECT_EQ(S(ParseEnvelope(json.out)["name"]), "UnknownCommand");
    auto far = Sfkit({"frobnicate"});
    EXPECT_EQ(far.exit_code, 2);
    EXPECT_FALSE(Has(far.err, "Did you mean")) << far.err;
    EXPECT_TRUE(Has(far.err, "is not a sfkit command")) << far.err;
}

TEST_F(CliDaily, MalformedIdIsCaughtBeforeAnyRequest) {
    // No stored login at all: had the command tried to connect, it would fail with
    // NO_SUCH_ALIAS (exit 1); the id is checked first.
    for (const auto& cmd : std::vector<std::vector<std::string>>{
             {"get", "Account", "001xyz"},
             {"delete", "Account", "001xyz"},
             {"update", "Account", "001xyz", "--values", "Name=A"},
             {"get", "Account", "001xx000003DGb2AAG-"}}) {
        auto r = Sfkit(cmd);
        EXPECT_EQ(r.exit_code, 2) << cmd[0] << " " << r.err;
        EXPECT_TRUE(Has(r.err, "MALFORMED_ID")) << r.err;
        EXPECT_TRUE(Has(r.err, "'" + cmd[2] + "' is not a record id")) << r.err;
    }
}

TEST_F(CliDaily, ServeOnABusyPortFailsBeforeCredentialsOrReady) {
    // The in-process org holds its port: a second server there must not start.
    TempDir data;
    auto r = Sfkit({"serve", "--port", std::to_string(org_.Port()), "--data-dir", data.Path()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(Has(r.out, "ready")) << r.out;
    EXPECT_FALSE(Has(r.out, "credentials")) << r.out;
    EXPECT_TRUE(Has(r.err, "cannot listen on 127.0.0.1:" + std::to_string(org_.Port()))) << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(data.Path()));
}

}  // namespace
}  // namespace sfkit::test
