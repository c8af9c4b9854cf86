// .env parsing: the forms users write, and clear errors for the rest.
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "sfkit/client/dotenv.hpp"

namespace sfkit::client {
namespace {

TEST(ClientDotEnv, PostmanVariableNamesAndCommonForms) {
    auto env = ParseDotEnv(
        "# Salesforce org\n"
        "client_id=3MVG9local.key\n"
        "client_secret = local-secret   # trailing comment\n"
        "export username=admin@acme.test\r\n"
        "password='Passw0rd!#notacomment'\n"
        "security_token=TOK#EN123\n"
        "login_url=\"http://127.0.0.1:8080\"\n"
        "\n"
        "   \n"
        "EMPTY=\n"
        "MULTI=\"line1\\nline2 \\\"q\\\"\"\n");
    ASSERT_TRUE(env) << env.error().ToString();
    EXPECT_EQ(*DotEnvLookup(*env, "client_id"), "3MVG9local.key");
    EXPECT_EQ(*DotEnvLookup(*env, "client_secret"), "local-secret");
    EXPECT_EQ(*DotEnvLookup(*env, "username"), "admin@acme.test");
    EXPECT_EQ(*DotEnvLookup(*env, "password"), "Passw0rd!#notacomment");
    EXPECT_EQ(*DotEnvLookup(*env, "security_token"), "TOK#EN123");  // '#' inside a value stays
    EXPECT_EQ(*DotEnvLookup(*env, "login_url"), "http://127.0.0.1:8080");
    EXPECT_EQ(*DotEnvLookup(*env, "EMPTY"), "");
    EXPECT_EQ(*DotEnvLookup(*env, "MULTI"), "line1\nline2 \"q\"");
    EXPECT_EQ(DotEnvLookup(*env, "CLIENT_ID"), nullptr);  // keys are case-sensitive
}

TEST(ClientDotEnv, LaterDuplicateWinsAndQuotedValuesMaySpanLines) {
    auto env = ParseDotEnv("A=1\nB=\"x\ny\"\nA=2\n");
    ASSERT_TRUE(env) << env.error().ToString();
    EXPECT_EQ(*DotEnvLookup(*env, "A"), "2");
    EXPECT_EQ(*DotEnvLookup(*env, "B"), "x\ny");
}

TEST(ClientDotEnv, SyntaxErrorsNameTheLine) {
    auto a = ParseDotEnv("A=1\nthis is not a setting\n");
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "DOTENV_SYNTAX");
    EXPECT_NE(a.error().message.find("line 2"), std::string::npos);
    auto b = ParseDotEnv("A=\"unterminated\n");
    ASSERT_FALSE(b);
    EXPECT_NE(b.error().message.find("line 1"), std::string::npos);
    auto c = ParseDotEnv("1A=x\n");
    ASSERT_FALSE(c);
    auto d = ParseDotEnv("A=\"x\" junk\n");
    ASSERT_FALSE(d);
}

TEST(ClientDotEnv, FileLoading) {
    auto missing = LoadDotEnvFile("/nonexistent/sfkit/.env");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::kIo);

    const std::string path = ::testing::TempDir() + "sfkit_dotenv_test.env";
    {
        std::ofstream out(path);
        out << "\xEF\xBB\xBFusername=u\n";  // editors on Windows add a BOM
    }
    auto env = LoadDotEnvFile(path);
    std::remove(path.c_str());
    ASSERT_TRUE(env) << env.error().ToString();
    EXPECT_EQ(*DotEnvLookup(*env, "username"), "u");
}

}  // namespace
}  // namespace sfkit::client
