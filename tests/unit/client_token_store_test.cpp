// TokenStore: round trip, owner-only permissions, alias validation, default location.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sfkit/client/token_store.hpp"

namespace sfkit::client {
namespace {

namespace fs = std::filesystem;

class TokenStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::path(::testing::TempDir()) /
                ("sfkit_store_" + std::to_string(::getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    static unsigned Mode(const fs::path& p) {
        struct stat st {};
        EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
        return st.st_mode & 07777;
    }

    static StoredLogin Sample(const std::string& alias) {
        StoredLogin l;
        l.alias = alias;
        l.flow = "password";
        l.login_url = "http://127.0.0.1:8080";
        l.username = "admin@acme.test";
        l.client_id = "3MVG9local.key";
        l.token.access_token = "00Dxx!secret";
        l.token.instance_url = "http://127.0.0.1:8080";
        l.token.id = "http://127.0.0.1:8080/id/00D/005";
        l.token.org_id = "00D";
        l.token.user_id = "005";
        l.token.issued_at = "1700000000000";
        l.token.scope = "api";
        l.token.token_type = "Bearer";
        return l;
    }

    fs::path root_;
};

TEST_F(TokenStoreTest, SaveLoadRoundTripWithPrivatePermissions) {
    const fs::path dir = root_ / "cfg" / "sfkit";
    TokenStore store(dir.string());
    ::umask(0);  // the store must not rely on the caller's umask
    auto saved = store.Save(Sample("dev"));
    ::umask(022);
    ASSERT_TRUE(saved) << saved.error().ToString();
    EXPECT_EQ(Mode(dir), 0700u);
    EXPECT_EQ(Mode(dir / "logins"), 0700u);
    EXPECT_EQ(Mode(store.PathFor("dev")), 0600u);
    EXPECT_EQ(store.PathFor("dev"), (dir / "logins" / "dev.json").string());

    auto loaded = store.Load("dev");
    ASSERT_TRUE(loaded) << loaded.error().ToString();
    EXPECT_EQ(loaded->token.access_token, "00Dxx!secret");
    EXPECT_EQ(loaded->token.instance_url, "http://127.0.0.1:8080");
    EXPECT_EQ(loaded->token.org_id, "00D");
    EXPECT_EQ(loaded->username, "admin@acme.test");
    EXPECT_EQ(loaded->flow, "password");
    EXPECT_EQ(store.List(), std::vector<std::string>{"dev"});
    // No temp files left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "logins"), fs::directory_iterator()), 1);
}

TEST_F(TokenStoreTest, TightensExistingDirectoriesAndOverwrites) {
    const fs::path dir = root_ / "sfkit";
    fs::create_directories(dir / "logins");
    fs::permissions(dir, fs::perms::all);
    fs::permissions(dir / "logins", fs::perms::all);
    TokenStore store(dir.string());
    ASSERT_TRUE(store.Save(Sample("default")));
    auto second = Sample("default");
    second.token.access_token = "newer";
    ASSERT_TRUE(store.Save(second));
    EXPECT_EQ(Mode(dir), 0700u);
    EXPECT_EQ(Mode(dir / "logins"), 0700u);
    EXPECT_EQ(Mode(store.PathFor("default")), 0600u);
    EXPECT_EQ(store.Load("default")->token.access_token, "newer");
}

TEST_F(TokenStoreTest, MissingAliasAndRemove) {
    TokenStore store(root_.string());
    auto missing = store.Load("nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "NO_SUCH_ALIAS");
    ASSERT_TRUE(store.Save(Sample("a")));
    ASSERT_TRUE(store.Remove("a"));
    EXPECT_FALSE(store.Load("a"));
    EXPECT_EQ(store.Remove("a").error().code, "NO_SUCH_ALIAS");
}

TEST_F(TokenStoreTest, AliasValidationKeepsFilesInsideTheStore) {
    EXPECT_TRUE(TokenStore::IsValidAlias("my-org_1.dev"));
    EXPECT_FALSE(TokenStore::IsValidAlias(""));
    EXPECT_FALSE(TokenStore::IsValidAlias("../evil"));
    EXPECT_FALSE(TokenStore::IsValidAlias(".hidden"));
    EXPECT_FALSE(TokenStore::IsValidAlias("a/b"));
    EXPECT_FALSE(TokenStore::IsValidAlias(std::string(65, 'a')));
    TokenStore store(root_.string());
    auto bad = store.Save(Sample("../evil"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_FALSE(fs::exists(root_));
}

TEST_F(TokenStoreTest, CorruptFileIsReported) {
    TokenStore store(root_.string());
    ASSERT_TRUE(store.Save(Sample("x")));
    { std::ofstream(store.PathFor("x")) << "{not json"; }
    auto r = store.Load("x");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "CORRUPT_LOGIN_FILE");
}

TEST(TokenStoreDefault, FollowsXdgThenHome) {
    const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string saved_xdg = old_xdg != nullptr ? old_xdg : "";
    ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(*TokenStore::DefaultDirectory(), "/tmp/xdg-test/sfkit");
    ::setenv("XDG_CONFIG_HOME", "relative/ignored", 1);  // the spec requires absolute paths
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] == '/') {
        EXPECT_EQ(*TokenStore::DefaultDirectory(), std::string(home) + "/.config/sfkit");
    }
    if (old_xdg != nullptr) {
        ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
    } else {
        ::unsetenv("XDG_CONFIG_HOME");
    }
}

}  // namespace
}  // namespace sfkit::client
