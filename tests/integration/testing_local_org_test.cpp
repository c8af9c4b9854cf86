// sfkit::testing::LocalOrg, the installed in-process org for C++ users' tests: started from an
// inline definition, a file or nothing, logged in through libsfkit, gone with its scope.
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/sfkit.hpp"
#include "sfkit/testing/local_org.hpp"

#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

constexpr const char* kTwoUsers = R"(  {
  "orgName": "Testing Co",
  "users": [
    {"username": "first@testing.test", "password": "One111!", "securityToken": "T1"},
    {"username": "second@testing.test", "password": "Two222!"}
  ],
  "connectedApps": [
    {"name": "No password", "consumerKey": "k.cc", "consumerSecret": "s.cc",
     "flows": ["client_credentials"], "runAsUser": "first@testing.test"},
    {"name": "Tests", "consumerKey": "k.pw", "consumerSecret": "s.pw", "flows": ["password"]}
  ]
})";

std::set<std::string> ScratchDirs() {
    std::set<std::string> out;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
        if (e.path().filename().string().starts_with("sfkit-testing-")) {
            out.insert(e.path().string());
        }
    }
    return out;
}

TEST(TestingLocalOrgTest, InlineDefinitionLogsInAsTheFirstUser) {
    testing::LocalOrg org(kTwoUsers);
    EXPECT_EQ(org.InstanceUrl(), "http://127.0.0.1:" + std::to_string(org.Port()));
    EXPECT_EQ(org.Token().instance_url, org.InstanceUrl());
    client::Record acct("Account");
    acct.Set("Name", "Inline");
    auto saved = org.Client().Create("Account", acct);
    ASSERT_TRUE(saved) << saved.error();
    auto got = org.Client().Get("Account", saved->id, {"Name", "CreatedById"});
    ASSERT_TRUE(got) << got.error();
    EXPECT_EQ(got->GetString("Name").value(), "Inline");
    EXPECT_EQ(got->GetString("CreatedById").value(), org.Token().user_id);
}

TEST(TestingLocalOrgTest, ChosenUserAndOtherLogins) {
    testing::OrgOptions options;
    options.definition = kTwoUsers;
    options.username = "SECOND@testing.test";
    testing::LocalOrg org(options);
    const auto first = org.Login("first@testing.test");
    ASSERT_TRUE(first) << first.error();
    EXPECT_NE(first->user_id, org.Token().user_id);
    EXPECT_EQ(org.CredentialsOf().username, "second@testing.test");
    EXPECT_EQ(org.CredentialsOf().client_id, "k.pw");  // the first app that allows "password"
    EXPECT_THROW(org.CredentialsOf("nobody@testing.test"), std::runtime_error);
}

TEST(TestingLocalOrgTest, DefinitionFile) {
    testing::LocalOrg org(TestDataPath("org-def.json"));
    EXPECT_EQ(org.CredentialsOf().username, kUser);
    auto limits = org.Client().Limits();
    EXPECT_TRUE(limits) << limits.error();
}

TEST(TestingLocalOrgTest, DefaultOrgUsesItsGeneratedCredentials) {
    testing::LocalOrg org;
    const auto c = org.CredentialsOf();
    EXPECT_FALSE(c.username.empty());
    EXPECT_FALSE(c.client_id.empty());
    auto versions = org.Client().Versions();
    EXPECT_TRUE(versions) << versions.error();
}

TEST(TestingLocalOrgTest, BadDefinitionsFailInTheConstructor) {
    try {
        testing::LocalOrg org(R"({"users": []})");
        FAIL() << "an org definition without users must be refused";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("org definition"), std::string::npos) << e.what();
    }
    try {
        testing::LocalOrg org(R"({"users": [{"username": "a@b.test", "password": "x1"}]})");
        FAIL() << "an org without a password-flow app cannot log in";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("\"password\""), std::string::npos) << e.what();
    }
    EXPECT_THROW(testing::LocalOrg("/nonexistent/org-def.json"), std::runtime_error);
}

TEST(TestingLocalOrgTest, StopsAndCleansUpWithItsScope) {
    // A temporary directory of this test's own: other tests running beside it (CTest -j) make
    // and remove sfkit-testing-* directories in the shared one.
    std::string own = (std::filesystem::temp_directory_path() / "sfkit-scope-XXXXXX").string();
    ASSERT_NE(::mkdtemp(own.data()), nullptr);
    const char* old_tmpdir = std::getenv("TMPDIR");
    const std::string saved = old_tmpdir ? old_tmpdir : "";
    ::setenv("TMPDIR", own.c_str(), 1);
    struct Restore {
        std::string dir, saved;
        bool had;
        ~Restore() {
            if (had) {
                ::setenv("TMPDIR", saved.c_str(), 1);
            } else {
                ::unsetenv("TMPDIR");
            }
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } restore{own, saved, old_tmpdir != nullptr};
    const auto before = ScratchDirs();
    client::Token token;
    {
        testing::LocalOrg org(kTwoUsers);
        token = org.Token();
        const auto during = ScratchDirs();
        EXPECT_EQ(during.size(), before.size() + 1);  // the inline definition's file
        client::RestClient other(token);
        EXPECT_TRUE(other.Limits());
    }
    EXPECT_EQ(ScratchDirs(), before);
    client::RestClient late(token);
    auto answer = late.Limits();
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().kind, ErrorKind::kTransport) << answer.error();
}

TEST(TestingLocalOrgTest, OwnTestsShareTheMechanism) {
    // tests/support's TestOrg is the same object, with full server options and no login.
    TestOrg org;
    EXPECT_EQ(org.Testing().Port(), org.Port());
    EXPECT_EQ(org.Testing().CredentialsOf(kUser).client_id, kClientId);
    auto token = org.Testing().Login(kUser);
    ASSERT_TRUE(token) << token.error();
    EXPECT_EQ(token->instance_url, org.BaseUrl());
}

}  // namespace
}  // namespace sfkit::test
