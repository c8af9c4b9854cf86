// GoogleTest + sfkit::testing: the code under test (CreateCustomer) talks to Salesforce through a
// RestClient; the test hands it one logged in to a local org that lives as long as the test.
#include <string>

#include <gtest/gtest.h>
#include <sfkit/sfkit.hpp>
#include <sfkit/testing/local_org.hpp>

namespace {

// ---- the code under test ------------------------------------------------------------------

/// Creates an Account for a customer and returns its id (throws sfkit::Exception on failure).
std::string CreateCustomer(sfkit::client::RestClient& salesforce, const std::string& name) {
    sfkit::client::Record account("Account");
    account.Set("Name", name).Set("Industry", "Energy");
    return salesforce.Create("Account", account).value().id;
}

// ---- the tests ----------------------------------------------------------------------------

// An org definition as `sfkit serve --org-def` reads it (docs/org-definition.md), inline; a file
// path works too. The test org logs in as the first user through the app with "password".
constexpr const char* kOrg = R"({
  "orgName": "Example Org",
  "users": [{"username": "dev@example.test", "password": "Secret123!", "securityToken": "TOK"}],
  "connectedApps": [{"name": "Tests", "consumerKey": "example.key",
                     "consumerSecret": "example.secret", "flows": ["password"]}]
})";

TEST(CustomerTest, CreatesAnAccount) {
    sfkit::testing::LocalOrg org(kOrg);  // started, logged in; stops at the end of the scope

    const std::string id = CreateCustomer(org.Client(), "Acme Energy");

    auto account = org.Client().Get("Account", id, {"Name", "Industry"});
    ASSERT_TRUE(account) << account.error();
    EXPECT_EQ(account->GetString("Name").value(), "Acme Energy");
    EXPECT_EQ(account->GetString("Industry").value(), "Energy");

    auto rows = org.Client().Query("SELECT Id FROM Account");
    ASSERT_TRUE(rows) << rows.error();
    EXPECT_EQ(rows->TotalSize(), 1);
}

TEST(CustomerTest, EveryOrgStartsEmpty) {
    sfkit::testing::LocalOrg org(kOrg);
    auto rows = org.Client().Query("SELECT Id FROM Account");
    ASSERT_TRUE(rows) << rows.error();
    EXPECT_EQ(rows->TotalSize(), 0);
}

TEST(CustomerTest, AFailedCallIsAnError) {
    sfkit::testing::LocalOrg org(kOrg);
    sfkit::client::Record account("Account");  // no Name: a required field
    auto saved = org.Client().Create("Account", account);
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().code, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ(saved.error().kind, sfkit::ErrorKind::kApi) << saved.error().kind;
}

}  // namespace
