// libsfkit's Composite helpers (sfkit/client/composite.hpp) end to end against the in-process
// local org: references built with Ref() resolved by the server, answers read back, and an
// allOrNone failure that leaves nothing behind.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/client/composite.hpp"
#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

class ClientCompositeE2E : public ::testing::Test {
protected:
    void SetUp() override {
        PasswordFlow login;
        login.login_url = org_.BaseUrl();
        login.client_id = test::kClientId;
        login.client_secret = test::kClientSecret;
        login.username = test::kUser;
        login.password = test::kPassword;
        login.security_token = test::kSecurityToken;
        auto token = login.Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        rest_ = std::make_unique<RestClient>(transport_, *token);
    }

    test::TestOrg org_;
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
    std::unique_ptr<RestClient> rest_;
};

TEST_F(ClientCompositeE2E, ReferencesAndAnswers) {
    CompositeRequest request(/*all_or_none=*/true);
    request.Create("acct", "Account", Record().Set("Name", "E2E & Sons"))
        .Create(
            "ctc", "Contact", Record().Set("LastName", "Doe").Set("AccountId", Ref("acct", "id")))
        .Query("q",
               "SELECT Id, Account.Name FROM Contact WHERE AccountId = '" + Ref("acct", "id") + "'")
        .Get("read", "Contact", Ref("q", "records[0].Id"), {"LastName", "AccountId"});
    auto answers = SendComposite(*rest_, request);
    ASSERT_TRUE(answers) << answers.error().ToString();
    ASSERT_EQ(answers->size(), 4u);
    for (const auto& a : *answers) {
        EXPECT_TRUE(a.Ok()) << a.reference_id << ": " << a.body;
    }
    const std::string account = (*answers)[0].id;
    ASSERT_EQ(account.size(), 18u);
    ASSERT_EQ((*answers)[0].headers.size(), 1u);
    EXPECT_EQ((*answers)[0].headers[0].value, "/services/data/v60.0/sobjects/Account/" + account);
    auto page = (*answers)[2].BodyRecord();
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(page->GetInt("totalSize").value(), 1);
    auto read = (*answers)[3].BodyRecord();
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->GetString("AccountId").value(), account);
    EXPECT_EQ(read->GetString("Id").value(), (*answers)[1].id);
}

TEST_F(ClientCompositeE2E, AllOrNoneFailureKeepsNothing) {
    CompositeRequest request(/*all_or_none=*/true);
    request.Create("acct", "Account", Record().Set("Name", "Never"))
        .Create("ctc", "Contact", Record().Set("AccountId", Ref("acct", "id")));
    auto answers = SendComposite(*rest_, request);
    ASSERT_TRUE(answers) << answers.error().ToString();
    ASSERT_EQ(answers->size(), 2u);
    ASSERT_TRUE((*answers)[0].error);
    EXPECT_EQ((*answers)[0].error->code, "PROCESSING_HALTED");
    ASSERT_TRUE((*answers)[1].error);
    EXPECT_EQ((*answers)[1].error->code, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ(rest_->Count("SELECT COUNT() FROM Account WHERE Name = 'Never'").value(), 0);
}

}  // namespace
}  // namespace sfkit::client
