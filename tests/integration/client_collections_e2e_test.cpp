// libsfkit's sObject Collections calls (CreateMany, UpdateMany, UpsertMany, DeleteMany,
// GetMany) end to end against the in-process local org with the custom org definition: chunks of
// 200 over the wire, per-record results, allOrNone, and reading back what was kept.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/client_login.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

class ClientCollectionsE2E : public ::testing::Test {
protected:
    static server::LocalOrgOptions Options() {
        server::LocalOrgOptions options = test::TestOrg::DefaultOptions();
        options.org_def_file = test::TestDataPath("org-def-custom.json");
        return options;
    }
    ClientCollectionsE2E() : org_(Options()) {}

    void SetUp() override {
        auto token = test::AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        rest_ = std::make_unique<RestClient>(transport_, *token);
    }

    test::TestOrg org_;
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
    std::unique_ptr<RestClient> rest_;
};

TEST_F(ClientCollectionsE2E, ManyRecordsInChunks) {
    std::vector<Record> accounts;
    for (int i = 0; i < 450; ++i) {
        Record r;
        r.Set("Name", "Many " + std::to_string(i));
        accounts.push_back(std::move(r));
    }
    auto created = rest_->CreateMany("Account", accounts, /*all_or_none=*/true);
    ASSERT_TRUE(created) << created.error().ToString();
    ASSERT_EQ(created->size(), 450u);
    std::vector<std::string> ids;
    for (const auto& c : *created) {
        ASSERT_TRUE(c.success);
        ids.push_back(c.id);
    }
    EXPECT_EQ(rest_->RecordCount({"Account"}).value().at(0).count, 450);

    std::vector<Record> changes;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        Record r;
        r.Set("Id", ids[i]).Set("Phone", std::to_string(i));
        changes.push_back(std::move(r));
    }
    auto updated = rest_->UpdateMany("Account", changes);
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_EQ(updated->at(449).id, ids[449]);

    auto got =
        rest_->GetMany("Account", {ids[0], ids[449], "001000000000000AAA"}, {"Name", "Phone"});
    ASSERT_TRUE(got) << got.error().ToString();
    ASSERT_EQ(got->size(), 3u);
    EXPECT_EQ(*got->at(0)->GetString("Name"), "Many 0");
    EXPECT_EQ(*got->at(1)->GetString("Phone"), "449");
    EXPECT_FALSE(got->at(2).has_value());
    // Every field, from the describe.
    auto full = rest_->GetMany("Account", {ids[1]});
    ASSERT_TRUE(full) << full.error().ToString();
    EXPECT_EQ(*full->at(0)->GetString("Name"), "Many 1");
    EXPECT_NE(full->at(0)->Find("BillingAddress"), nullptr);

    auto deleted = rest_->DeleteMany(ids);
    ASSERT_TRUE(deleted) << deleted.error().ToString();
    EXPECT_EQ(deleted->size(), 450u);
    EXPECT_TRUE(deleted->at(300).success);
    auto counts = rest_->RecordCount({"Account"});
    ASSERT_TRUE(counts);
    EXPECT_TRUE(counts->empty() || counts->at(0).count == 0);
}

TEST_F(ClientCollectionsE2E, PerRecordErrorsAndUpsert) {
    Record good("Contact");
    good.Set("LastName", "Kept");
    Record bad("Contact");
    bad.Set("FirstName", "No last name");
    auto partial = rest_->CreateMany("", {good, bad});
    ASSERT_TRUE(partial) << partial.error().ToString();
    EXPECT_TRUE(partial->at(0).success);
    ASSERT_EQ(partial->at(1).errors.size(), 1u);
    EXPECT_EQ(partial->at(1).errors[0].code, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ(partial->at(1).errors[0].fields, std::vector<std::string>{"LastName"});

    Record one;
    one.Set("ExtId__c", "E-1").Set("Due_Date__c", "2024-06-30");
    Record two;
    two.Set("ExtId__c", "E-2").Set("Due_Date__c", "2024-07-31");
    auto first = rest_->UpsertMany("Invoice__c", "ExtId__c", {one, two});
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(first->at(0).created, std::optional<bool>(true));
    two.Set("Amount__c", 10.5);
    auto second = rest_->UpsertMany("Invoice__c", "ExtId__c", {two});
    ASSERT_TRUE(second) << second.error().ToString();
    EXPECT_EQ(second->at(0).created, std::optional<bool>(false));
    EXPECT_EQ(second->at(0).id, first->at(1).id);

    // A request-level refusal is the call's error.
    auto old = RestClient(transport_, rest_->GetToken(), "45.0")
                   .UpsertMany("Invoice__c", "ExtId__c", {one});
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().code, "NOT_FOUND");
}

}  // namespace
}  // namespace sfkit::client
