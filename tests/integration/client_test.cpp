// libsfkit end to end against the in-process local org (TestOrg): OAuth password and
// client-credentials logins with signature verification, Account create and retrieve in JSON
// and XML, error answers and Sforce-Limit-Info. Needs the server's OAuth and sObject endpoints.
#include <memory>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/core/id.hpp"

#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

class ClientE2E : public ::testing::Test {
protected:
    PasswordFlow Password() const {
        PasswordFlow f;
        f.login_url = org_.BaseUrl();
        f.client_id = test::kClientId;
        f.client_secret = test::kClientSecret;
        f.username = test::kUser;
        f.password = test::kPassword;
        f.security_token = test::kSecurityToken;
        return f;
    }

    test::TestOrg org_;
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
};

TEST_F(ClientE2E, PasswordLoginGivesAVerifiedToken) {
    auto token = Password().Authenticate(*transport_);
    ASSERT_TRUE(token) << token.error().ToString();
    EXPECT_EQ(token->instance_url, org_.BaseUrl());
    EXPECT_EQ(token->token_type, "Bearer");
    EXPECT_EQ(token->org_id, org_.Org().Org().org_id);
    EXPECT_TRUE(Id::IsValid(token->org_id));
    EXPECT_TRUE(Id::IsValid(token->user_id));
    EXPECT_EQ(token->user_id.substr(0, 3), "005");
    EXPECT_EQ(token->issued_at.size(), 13u);  // milliseconds (§A.3)
    EXPECT_FALSE(token->signature.empty());   // and it verified, or Authenticate would fail
    EXPECT_EQ(token->signature, TokenSignature(test::kClientSecret, token->id, token->issued_at));
}

TEST_F(ClientE2E, WrongPasswordIsInvalidGrant) {
    auto f = Password();
    f.password = "wrong";
    auto token = f.Authenticate(*transport_);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(token.error().code, "invalid_grant");
    EXPECT_EQ(token.error().message, "authentication failure");
    EXPECT_EQ(token.error().http_status, 400);
}

TEST_F(ClientE2E, ClientCredentialsBothWays) {
    ClientCredentialsFlow f;
    f.login_url = org_.BaseUrl();
    f.client_id = test::kClientId;
    f.client_secret = test::kClientSecret;
    auto a = f.Authenticate(*transport_);
    ASSERT_TRUE(a) << a.error().ToString();
    EXPECT_EQ(a->org_id, org_.Org().Org().org_id);
    f.use_basic_auth = true;
    auto b = f.Authenticate(*transport_);
    ASSERT_TRUE(b) << b.error().ToString();
    f.client_secret = "wrong";
    auto c = f.Authenticate(*transport_);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, "invalid_client");
}

TEST_F(ClientE2E, CreateAndGetAccountInJsonAndXml) {
    auto token = Password().Authenticate(*transport_);
    ASSERT_TRUE(token) << token.error().ToString();
    RestClient rest(transport_, *token);

    Record acct;
    acct.Set("Name", "Test Account")
        .Set("Phone", "1234567890")
        .Set("Website", "https://example.com")
        .Set("BillingCity", "New York");
    auto json_id = rest.Create("Account", acct);
    ASSERT_TRUE(json_id) << json_id.error().ToString();
    EXPECT_TRUE(json_id->success);
    EXPECT_TRUE(Id::IsValid(json_id->id));
    EXPECT_EQ(json_id->id.substr(0, 3), "001");
    ASSERT_TRUE(rest.LastApiUsage());
    EXPECT_GT(rest.LastApiUsage()->used, 0);
    EXPECT_GT(rest.LastApiUsage()->max, 0);

    Record xml_acct;
    xml_acct.Set("Name", "Test Account XML").Set("Phone", "1234567890");
    auto xml_id = rest.Create("Account", xml_acct, WireFormat::kXml);
    ASSERT_TRUE(xml_id) << xml_id.error().ToString();
    EXPECT_NE(xml_id->id, json_id->id);

    auto got = rest.Get("Account", json_id->id);
    ASSERT_TRUE(got) << got.error().ToString();
    EXPECT_EQ(got->Type(), "Account");
    EXPECT_EQ(*got->Find("Id")->AsString(), json_id->id);
    EXPECT_EQ(*got->Find("Name")->AsString(), "Test Account");
    EXPECT_EQ(*got->Find("BillingCity")->AsString(), "New York");

    auto some = rest.Get("Account", xml_id->id, {"Name", "Phone"});
    ASSERT_TRUE(some) << some.error().ToString();
    ASSERT_GE(some->size(), 2u);
    EXPECT_EQ(some->Fields()[0].name, "Name");
    EXPECT_EQ(*some->Find("Name")->AsString(), "Test Account XML");

    auto as_xml = rest.Get("Account", json_id->id, {"Name"}, WireFormat::kXml);
    ASSERT_TRUE(as_xml) << as_xml.error().ToString();
    EXPECT_EQ(*as_xml->Find("Name")->AsString(), "Test Account");

    // 15-char ids work too.
    auto short_id = rest.Get("Account", json_id->id.substr(0, 15), {"Name"});
    ASSERT_TRUE(short_id) << short_id.error().ToString();
}

TEST_F(ClientE2E, ApiErrorsComeBackAsValues) {
    auto token = Password().Authenticate(*transport_);
    ASSERT_TRUE(token) << token.error().ToString();
    RestClient rest(transport_, *token);

    Record bad;
    bad.Set("NoSuchField__c", 1);
    auto c = rest.Create("Account", bad);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().kind, ErrorKind::kApi);
    EXPECT_EQ(c.error().code, "INVALID_FIELD");
    EXPECT_EQ(c.error().http_status, 400);

    auto xml_err = rest.Create("Account", bad, WireFormat::kXml);
    ASSERT_FALSE(xml_err);
    EXPECT_EQ(xml_err.error().code, "INVALID_FIELD");

    auto nf = rest.Get("Account", "001000000000000AAA");
    ASSERT_FALSE(nf);
    EXPECT_EQ(nf.error().code, "NOT_FOUND");
    EXPECT_EQ(nf.error().http_status, 404);

    Token stale = *token;
    stale.access_token = "00D000000000000!invalid";
    RestClient expired(transport_, stale);
    auto s = expired.Get("Account", "001000000000000AAA");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::kSession);
    EXPECT_EQ(s.error().code, "INVALID_SESSION_ID");
}

TEST_F(ClientE2E, KeepAliveAcrossLoginAndCalls) {
    auto token = Password().Authenticate(*transport_);
    ASSERT_TRUE(token) << token.error().ToString();
    RestClient rest(transport_, *token);
    Record acct;
    acct.Set("Name", "Reuse");
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(rest.Create("Account", acct));
    }
    EXPECT_EQ(transport_->ConnectionsOpened(), 1);
}

}  // namespace
}  // namespace sfkit::client
