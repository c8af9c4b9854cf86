// libsfkit's metadata, record and limits calls end to end against the in-process local org
// (TestOrg), in JSON and XML. DescribeGlobal needs only main; Describe needs the schema branch
// (describe resource); update/delete/upsert/external id/getUpdated/getDeleted/limits need the
// records branch. All are named ClientRestE2E so they can be filtered.
#include <algorithm>
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/client_login.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

class ClientRestE2E : public ::testing::Test {
protected:
    void SetUp() override {
        auto token = test::AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        rest_ = std::make_unique<RestClient>(transport_, *token);
    }

    std::string CreateAccount(const std::string& name) {
        Record r;
        r.Set("Name", name).Set("NumberOfEmployees", 7);
        auto saved = rest_->Create("Account", r);
        EXPECT_TRUE(saved) << saved.error().ToString();
        return saved ? saved->id : std::string();
    }

    test::TestOrg org_;
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
    std::unique_ptr<RestClient> rest_;
};

TEST_F(ClientRestE2E, DescribeGlobalInJsonAndXml) {
    auto g = rest_->DescribeGlobal();
    ASSERT_TRUE(g) << g.error().ToString();
    EXPECT_EQ(g->encoding, "UTF-8");
    EXPECT_GT(g->max_batch_size, 0);
    const SObjectSummary* account = nullptr;
    for (const auto& s : g->sobjects) {
        if (s.name == "Account") {
            account = &s;
        }
    }
    ASSERT_NE(account, nullptr);
    EXPECT_EQ(account->key_prefix, "001");
    EXPECT_TRUE(account->createable);
    EXPECT_TRUE(rest_->LastApiUsage());

    rest_->SetFormat(WireFormat::kXml);
    auto x = rest_->DescribeGlobal();
    ASSERT_TRUE(x) << x.error().ToString();
    EXPECT_EQ(x->sobjects.size(), g->sobjects.size());
}

TEST_F(ClientRestE2E, DescribeIsCachedAndTypesXmlRecords) {  // needs the schema branch
    auto d = rest_->Describe("Account");
    ASSERT_TRUE(d) << d.error().ToString();
    const FieldDescribe* name = (*d)->Field("Name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->type, "string");
    EXPECT_EQ(name->length, 255);
    EXPECT_TRUE(name->IsRequired());
    const FieldDescribe* parent = (*d)->Field("ParentId");
    ASSERT_NE(parent, nullptr);
    EXPECT_EQ(parent->reference_to, std::vector<std::string>{"Account"});
    EXPECT_EQ(parent->relationship_name, "Parent");
    const auto used = rest_->LastApiUsage()->used;
    auto again = rest_->Describe("ACCOUNT");
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *d);
    EXPECT_EQ(rest_->LastApiUsage()->used, used);  // served from the cache: no request

    // The XML describe reads the same.
    RestClient xml_client(transport_, rest_->GetToken());
    xml_client.SetFormat(WireFormat::kXml);
    auto xd = xml_client.Describe("Account");
    ASSERT_TRUE(xd) << xd.error().ToString();
    EXPECT_EQ((*xd)->fields.size(), (*d)->fields.size());
    EXPECT_EQ((*xd)->Field("ParentId")->reference_to, std::vector<std::string>{"Account"});

    // An XML record is typed from the cached describe.
    const std::string id = CreateAccount("Typed");
    auto rec = xml_client.Get("Account", id, {"Name", "NumberOfEmployees", "IsDeleted"});
    ASSERT_TRUE(rec) << rec.error().ToString();
    EXPECT_EQ(*rec->Find("NumberOfEmployees")->AsInt(), 7);
    EXPECT_EQ(*rec->Find("IsDeleted")->AsBool(), false);
    EXPECT_EQ(*rec->GetString("Name"), "Typed");
}

TEST_F(ClientRestE2E, UpdateDeleteAndReplication) {  // needs the records branch
    const auto start = std::chrono::system_clock::now() - std::chrono::minutes(5);
    const std::string id = CreateAccount("Before");
    Record changes;
    changes.Set("Name", "After").Set("NumberOfEmployees", 9);
    auto u = rest_->Update("Account", id, changes);
    ASSERT_TRUE(u) << u.error().ToString();
    auto got = rest_->Get("Account", id, {"Name", "NumberOfEmployees", "LastModifiedDate"});
    ASSERT_TRUE(got) << got.error().ToString();
    EXPECT_EQ(*got->GetString("Name"), "After");
    EXPECT_EQ(*got->GetInt("NumberOfEmployees"), 9);
    EXPECT_TRUE(got->GetDateTime("LastModifiedDate"));

    Record xml_changes;
    xml_changes.Set("Name", "After XML");
    ASSERT_TRUE(rest_->Update("Account", id, xml_changes, WireFormat::kXml));

    const auto end = std::chrono::system_clock::now() + std::chrono::minutes(2);
    auto updated = rest_->Updated("Account", start, end);
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_NE(std::find(updated->ids.begin(), updated->ids.end(), id), updated->ids.end());

    auto d = rest_->Delete("Account", id);
    ASSERT_TRUE(d) << d.error().ToString();
    auto gone = rest_->Get("Account", id);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().http_status, 404);
    auto twice = rest_->Delete("Account", id);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().http_status, 404);

    auto deleted = rest_->Deleted("Account", start, end);
    ASSERT_TRUE(deleted) << deleted.error().ToString();
    bool found = false;
    for (const auto& r : deleted->deleted_records) {
        found = found || r.id == id;
    }
    EXPECT_TRUE(found);
    rest_->SetFormat(WireFormat::kXml);
    auto deleted_xml = rest_->Deleted("Account", start, end);
    ASSERT_TRUE(deleted_xml) << deleted_xml.error().ToString();
    EXPECT_EQ(deleted_xml->deleted_records.size(), deleted->deleted_records.size());
}

TEST_F(ClientRestE2E, UpsertAndGetByExternalIdOnId) {  // needs the records branch
    const std::string id = CreateAccount("Upsert me");
    Record fields;
    fields.Set("Phone", "555");
    // Salesforce accepts Id as the upsert key: a match is an update (200, created false).
    auto up = rest_->Upsert("Account", "Id", id, fields);
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_FALSE(up->created);
    EXPECT_EQ(up->id, id);
    auto got = rest_->GetByExternalId("Account", "Id", id, {"Phone"});
    ASSERT_TRUE(got) << got.error().ToString();
    EXPECT_EQ(*got->GetString("Phone"), "555");

    auto bad = rest_->Upsert("Account", "Namez", "1", fields);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "NOT_FOUND");
    EXPECT_EQ(bad.error().http_status, 404);
}

TEST_F(ClientRestE2E, LimitsAndRecordCount) {  // needs the records branch
    CreateAccount("Counted");
    auto l = rest_->Limits();
    ASSERT_TRUE(l) << l.error().ToString();
    ASSERT_TRUE(l->count("DailyApiRequests"));
    const Limit& api = l->at("DailyApiRequests");
    EXPECT_GT(api.max, 0);
    EXPECT_GT(api.Used(), 0);
    // The header after the call and the limit agree on the maximum.
    ASSERT_TRUE(rest_->LastApiUsage());
    EXPECT_EQ(rest_->LastApiUsage()->max, api.max);

    auto counts = rest_->RecordCount({"Account"});
    ASSERT_TRUE(counts) << counts.error().ToString();
    ASSERT_EQ(counts->size(), 1u);
    EXPECT_EQ((*counts)[0].name, "Account");
    EXPECT_GE((*counts)[0].count, 1);

    rest_->SetFormat(WireFormat::kXml);
    auto lx = rest_->Limits();
    ASSERT_TRUE(lx) << lx.error().ToString();
    EXPECT_EQ(lx->at("DailyApiRequests").max, api.max);
}

}  // namespace
}  // namespace sfkit::client
