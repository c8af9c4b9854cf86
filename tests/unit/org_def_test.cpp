// Org definition parsing: the documented format, defaults, and one clear error per rule.
#include "server/org/org_def.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace sfkit::server {
namespace {

// The format exactly as the project brief and tests/data/org-def.json write it.
constexpr const char* kReference = R"({
  "orgName": "Acme",
  "users": [
    {"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123",
     "firstName": "Ada", "lastName": "Admin", "email": "admin@acme.test",
     "active": true, "apiEnabled": true, "trustedIpRanges": []}
  ],
  "connectedApps": [
    {"name": "Seed App", "consumerKey": "3MVG9local.key", "consumerSecret": "local-secret",
     "scopes": ["api", "refresh_token"], "callbackUrls": ["http://localhost:1717/OauthRedirect"],
     "runAsUser": "admin@acme.test", "flows": ["password", "client_credentials"]}
  ]
})";

std::string ErrorOf(const std::string& text) {
    try {
        ParseOrgDefinition(text, "org.json");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(OrgDefTest, BuiltinCliAppDeviceFlowAndRequirePkce) {
    const OrgDefinition on = ParseOrgDefinition(kReference, "org.json");
    EXPECT_TRUE(on.builtin_cli_app) << "on unless the file turns it off";
    EXPECT_FALSE(on.apps[0].require_pkce);
    const OrgDefinition off = ParseOrgDefinition(
        R"({"builtinCliApp": false, "users": [{"username": "a@b.c", "password": "pw"}],
            "connectedApps": [{"name": "D", "consumerKey": "k", "consumerSecret": "s",
                               "flows": ["device"], "requirePkce": true}]})",
        "org.json");
    EXPECT_FALSE(off.builtin_cli_app);
    EXPECT_EQ(off.apps[0].flows, std::vector<std::string>{"device"});
    EXPECT_TRUE(off.apps[0].require_pkce);
}

TEST(OrgDefTest, ParsesTheReferenceFormat) {
    const OrgDefinition d = ParseOrgDefinition(kReference, "org.json");
    EXPECT_EQ(d.org_name, "Acme");
    ASSERT_EQ(d.users.size(), 1u);
    const auto& u = d.users[0];
    EXPECT_EQ(u.username, "admin@acme.test");
    EXPECT_EQ(u.password, "Passw0rd!");
    EXPECT_EQ(u.security_token, "TOKEN123");
    EXPECT_EQ(u.first_name, "Ada");
    EXPECT_EQ(u.last_name, "Admin");
    EXPECT_EQ(u.email, "admin@acme.test");
    EXPECT_TRUE(u.active);
    EXPECT_TRUE(u.api_enabled);
    EXPECT_TRUE(u.trusted_ip_ranges.empty());
    EXPECT_EQ(u.profile, "System Administrator");
    ASSERT_EQ(d.apps.size(), 1u);
    const auto& a = d.apps[0];
    EXPECT_EQ(a.name, "Seed App");
    EXPECT_EQ(a.consumer_key, "3MVG9local.key");
    EXPECT_EQ(a.consumer_secret, "local-secret");
    EXPECT_EQ(a.scopes, (std::vector<std::string>{"api", "refresh_token"}));
    EXPECT_EQ(a.callback_urls, (std::vector<std::string>{"http://localhost:1717/OauthRedirect"}));
    EXPECT_EQ(a.run_as_user, "admin@acme.test");
    EXPECT_EQ(a.flows, (std::vector<std::string>{"password", "client_credentials"}));
    EXPECT_FALSE(d.session_timeout_seconds);
    EXPECT_EQ(d.lockout_threshold, 10);
    EXPECT_EQ(d.lockout_minutes, 15);
}

TEST(OrgDefTest, DefaultsAndOptionalKeys) {
    const OrgDefinition d = ParseOrgDefinition(R"({
      "users": [{"username": "bob@x.test", "password": "pw", "profile": "Standard User",
                 "trustedIpRanges": ["10.0.0.0/8", {"start": "192.168.0.1", "end": "192.168.0.9"}]}],
      "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s"}],
      "sessionTimeoutSeconds": 3, "lockoutThreshold": 3, "lockoutMinutes": 0.5,
      "trustedIpRanges": ["127.0.0.1"],
      "someOtherModuleKey": {"ignored": true}
    })",
                                               "org.json");
    EXPECT_FALSE(d.org_name);
    const auto& u = d.users[0];
    EXPECT_EQ(u.security_token, "");
    EXPECT_EQ(u.last_name, "bob");
    EXPECT_EQ(u.email, "bob@x.test");
    EXPECT_EQ(u.profile, "Standard User");
    ASSERT_EQ(u.trusted_ip_ranges.size(), 2u);
    EXPECT_EQ(u.trusted_ip_ranges[1].ToString(), "192.168.0.1-192.168.0.9");
    EXPECT_EQ(d.apps[0].scopes, (std::vector<std::string>{"api"}));
    EXPECT_EQ(d.apps[0].flows, (std::vector<std::string>{"password"}));
    EXPECT_EQ(d.apps[0].run_as_user, "");
    EXPECT_EQ(d.session_timeout_seconds, 3);
    EXPECT_EQ(d.lockout_threshold, 3);
    EXPECT_DOUBLE_EQ(d.lockout_minutes, 0.5);
    ASSERT_EQ(d.trusted_ip_ranges.size(), 1u);
}

TEST(OrgDefTest, RunAsUserMatchesCaseInsensitivelyAndIsCanonicalised) {
    const OrgDefinition d = ParseOrgDefinition(R"({
      "users": [{"username": "Bob@X.test", "password": "pw"}],
      "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s",
                         "runAsUser": "bob@x.TEST", "flows": ["client_credentials"]}]})",
                                               "org.json");
    EXPECT_EQ(d.apps[0].run_as_user, "Bob@X.test");
}

struct BadCase {
    const char* name;
    std::string text;
    const char* expected;  // substring of the message after "org definition org.json: "
};

TEST(OrgDefTest, ClearErrors) {
    const std::string u = R"({"username": "a@b.c", "password": "pw"})";
    const BadCase cases[] = {
        {"bad json", R"({"users": [)", "not valid JSON: Unexpected end-of-input at [line:1"},
        {"bad json char", "{\"users\": x}", "not valid JSON: Unexpected character ('x'"},
        {"not an object", "[]", "(top level): expected an object"},
        {"no users", R"({"orgName": "A"})", "users: required"},
        {"empty users", R"({"users": []})", "users: required"},
        {"missing username", R"({"users": [{"password": "pw"}]})", "users[0].username: required"},
        {"missing password",
         R"({"users": [{"username": "a@b.c"}]})",
         "users[0].password: required"},
        {"not email",
         R"({"users": [{"username": "bob", "password": "pw"}]})",
         "users[0].username: 'bob' is not in the form of an email address"},
        {"duplicate username",
         R"({"users": [{"username": "a@b.c", "password": "pw"}, {"username": "A@B.C", "password": "x"}]})",
         "users[1].username: duplicate username 'A@B.C' (also users[0])"},
        {"unknown user key",
         R"({"users": [{"username": "a@b.c", "password": "pw", "pasword": "x"}]})",
         "users[0]: unknown key 'pasword'"},
        {"bool type",
         R"({"users": [{"username": "a@b.c", "password": "pw", "active": "yes"}]})",
         "users[0].active: expected true or false"},
        {"bad cidr",
         R"({"users": [{"username": "a@b.c", "password": "pw", "trustedIpRanges": ["10.0.0.0/40"]}]})",
         "users[0].trustedIpRanges[0]: '10.0.0.0/40' has a bad prefix length"},
        {"bad range",
         R"({"users": [{"username": "a@b.c", "password": "pw", "trustedIpRanges": [{"start": "10.0.0.9", "end": "10.0.0.1"}]}]})",
         "users[0].trustedIpRanges[0]: start 10.0.0.9 is after end 10.0.0.1"},
        {"range type",
         R"({"users": [{"username": "a@b.c", "password": "pw", "trustedIpRanges": [7]}]})",
         "users[0].trustedIpRanges[0]: expected a CIDR string"},
        {"unknown flow",
         (R"({"users": [)" + u +
          R"(], "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s", "flows": ["password", "jwt"]}]})")

             ,
         "connectedApps[0].flows[1]: unknown flow 'jwt' (supported: password, client_credentials, "
         "device)"},
        {"builtinCliApp type",
         R"({"builtinCliApp": "no", "users": [{"username": "a@b.c", "password": "pw"}]})",
         "org.json: builtinCliApp: expected true or false"},
        {"run as not found",
         (R"({"users": [)" + u +
          R"(], "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s", "runAsUser": "x@y.z"}]})")

             ,
         "connectedApps[0].runAsUser: user 'x@y.z' not found in users"},
        {"missing secret",
         (R"({"users": [)" + u + R"(], "connectedApps": [{"name": "A", "consumerKey": "k"}]})"),
         "connectedApps[0].consumerSecret: required"},
        {"duplicate key",
         (R"({"users": [)" + u +
          R"(], "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s"}, {"name": "B", "consumerKey": "k", "consumerSecret": "s"}]})")

             ,
         "connectedApps[1].consumerKey: duplicate consumer key (also connectedApps[0])"},
        {"duplicate app name",
         (R"({"users": [)" + u +
          R"(], "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s"}, {"name": "a", "consumerKey": "k2", "consumerSecret": "s"}]})")

             ,
         "connectedApps[1].name: duplicate app name 'a'"},
        {"bad scope",
         (R"({"users": [)" + u +
          R"(], "connectedApps": [{"name": "A", "consumerKey": "k", "consumerSecret": "s", "scopes": ["API"]}]})")

             ,
         "connectedApps[0].scopes[0]: 'API' is not a scope name"},
        {"timeout",
         (R"({"users": [)" + u + R"(], "sessionTimeoutSeconds": 0})"),
         "sessionTimeoutSeconds: expected a whole number"},
        {"threshold",
         (R"({"users": [)" + u + R"(], "lockoutThreshold": 2.5})"),
         "lockoutThreshold: expected a whole number"},
        {"minutes",
         (R"({"users": [)" + u + R"(], "lockoutMinutes": 0})"),
         "lockoutMinutes: expected a number of minutes greater than 0"},
        {"minutes type",
         (R"({"users": [)" + u + R"(], "lockoutMinutes": "5"})"),
         "lockoutMinutes: expected a number"},
    };
    for (const auto& c : cases) {
        const std::string msg = ErrorOf(c.text);
        EXPECT_EQ(msg.rfind("org definition org.json: ", 0), 0u) << c.name << ": " << msg;
        EXPECT_NE(msg.find(c.expected), std::string::npos)
            << c.name << ":\n  got:      " << msg << "\n  expected: " << c.expected;
    }
}

TEST(OrgDefTest, MissingFileNamesThePath) {
    try {
        LoadOrgDefinition("/nonexistent/org-def.json");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "org definition /nonexistent/org-def.json: cannot open the file");
    }
}

}  // namespace
}  // namespace sfkit::server
