// Wire tests of the Tooling API (docs/tooling.md): the entities generated from the org's schema
// through /tooling/sobjects, /tooling/query (with the Tooling keys and pages) and
// /tooling/search, and the Apex resources answered without Apex.
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/bulk_rows.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kTooling = "/services/data/v60.0/tooling";
constexpr const char* kJson = "Content-Type: application/json";

std::string Encode(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == ' ') {
            out += '+';
        } else if (c == '\'' || c == '=' || c == '&' || c == ',' || c == '{' || c == '}') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

class ToolingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server::LocalOrgOptions options = TestOrg::DefaultOptions();
        options.org_def_file = TestDataPath("org-def-custom.json");
        org_ = new TestOrg(options);
        token_ = new std::string(org_->Login());
    }
    static void TearDownTestSuite() {
        delete org_;
        delete token_;
    }
    static RawResponse Send(const std::string& method,
                            const std::string& target,
                            std::vector<std::string> headers = {},
                            const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + *token_);
        return Fetch(org_->Port(), method, target, headers, body);
    }
    static json::object Query(const std::string& soql, std::vector<std::string> headers = {}) {
        auto r =
            Send("GET", std::string(kTooling) + "/query?q=" + Encode(soql), std::move(headers));
        EXPECT_EQ(r.status, 200) << soql << " -> " << r.body;
        return json::parse(r.body).as_object();
    }

    static TestOrg* org_;
    static std::string* token_;
};

TestOrg* ToolingTest::org_ = nullptr;
std::string* ToolingTest::token_ = nullptr;

TEST_F(ToolingTest, DescribeGlobalListsTheEntitiesUnderTooling) {
    auto r = Send("GET", std::string(kTooling) + "/sobjects");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object body = json::parse(r.body).as_object();
    std::vector<std::string> names;
    for (const auto& o : body.at("sobjects").as_array()) {
        names.emplace_back(o.at("name").as_string());
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"ApexClass",
                                        "ApexTrigger",
                                        "CustomField",
                                        "CustomObject",
                                        "EntityDefinition",
                                        "FieldDefinition",
                                        "PlatformEventChannel",
                                        "PlatformEventChannelMember",
                                        "SandboxInfo"}));
    const auto& entity = body.at("sobjects").as_array()[4].as_object();
    EXPECT_EQ(entity.at("urls").at("sobject").as_string(),
              "/services/data/v60.0/tooling/sobjects/EntityDefinition");
    EXPECT_FALSE(entity.at("createable").as_bool());
    // The org's own objects are not Tooling entities.
    EXPECT_EQ(Send("GET", std::string(kTooling) + "/sobjects/Account").status, 404);
}

TEST_F(ToolingTest, QueryAnswersWithTheToolingKeysFromTheOrgSchema) {
    const json::object body = Query(
        "SELECT QualifiedApiName, KeyPrefix, Label, IsCustomSetting FROM EntityDefinition "
        "WHERE QualifiedApiName IN ('Account', 'Invoice__c') ORDER BY QualifiedApiName");
    std::vector<std::string> keys;
    for (const auto& kv : body) {
        keys.emplace_back(kv.key());
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{
                  "size", "totalSize", "done", "queryLocator", "entityTypeName", "records"}));
    EXPECT_EQ(body.at("size").as_int64(), 2);
    EXPECT_TRUE(body.at("queryLocator").is_null());
    EXPECT_EQ(body.at("entityTypeName").as_string(), "EntityDefinition");
    const auto& account = body.at("records").as_array()[0].as_object();
    EXPECT_EQ(account.at("KeyPrefix").as_string(), "001");
    EXPECT_EQ(account.at("Label").as_string(), "Account");
    EXPECT_FALSE(account.at("IsCustomSetting").as_bool());
    EXPECT_EQ(std::string(account.at("attributes").at("url").as_string())
                  .rfind("/services/data/v60.0/tooling/sobjects/EntityDefinition/", 0),
              0u);
    const auto& invoice = body.at("records").as_array()[1].as_object();
    EXPECT_EQ(invoice.at("QualifiedApiName").as_string(), "Invoice__c");
    EXPECT_EQ(invoice.at("KeyPrefix").as_string().size(), 3u);
}

TEST_F(ToolingTest, FieldDefinitionThroughItsEntityAndDataTypes) {
    const json::object body = Query(
        "SELECT QualifiedApiName, DataType, Length, IsNillable, EntityDefinition.QualifiedApiName "
        "FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = 'Contact' AND "
        "QualifiedApiName IN ('LastName', 'AccountId') ORDER BY QualifiedApiName");
    ASSERT_EQ(body.at("totalSize").as_int64(), 2) << json::serialize(body);
    const auto& account_id = body.at("records").as_array()[0].as_object();
    EXPECT_EQ(account_id.at("DataType").as_string(), "Lookup(Account)");
    EXPECT_EQ(account_id.at("EntityDefinition").at("QualifiedApiName").as_string(), "Contact");
    const auto& last_name = body.at("records").as_array()[1].as_object();
    EXPECT_EQ(last_name.at("DataType").as_string(), "Text(80)");
    EXPECT_EQ(last_name.at("Length").as_int64(), 80);
    EXPECT_FALSE(last_name.at("IsNillable").as_bool());
}

TEST_F(ToolingTest, CustomObjectsAndFieldsComeFromTheOrgDefinition) {
    const json::object objects =
        Query("SELECT Id, DeveloperName, FullName FROM CustomObject ORDER BY DeveloperName");
    ASSERT_GE(objects.at("totalSize").as_int64(), 2);
    const auto& invoice = objects.at("records").as_array()[0].as_object();
    EXPECT_EQ(invoice.at("DeveloperName").as_string(), "Invoice");
    EXPECT_EQ(invoice.at("FullName").as_string(), "Invoice__c");
    const std::string invoice_id(invoice.at("Id").as_string());
    EXPECT_EQ(invoice_id.substr(0, 3), "01I");
    // A custom object's durable id is its CustomObject id; its fields hang off it.
    const json::object entity =
        Query("SELECT DurableId FROM EntityDefinition WHERE QualifiedApiName = 'Invoice__c'");
    EXPECT_EQ(entity.at("records").as_array()[0].at("DurableId").as_string(),
              invoice_id.substr(0, 15));
    const json::object fields = Query(
        "SELECT DeveloperName, TableEnumOrId FROM CustomField WHERE DeveloperName = 'Amount'");
    ASSERT_EQ(fields.at("totalSize").as_int64(), 1) << json::serialize(fields);
    EXPECT_EQ(fields.at("records").as_array()[0].at("TableEnumOrId").as_string(),
              invoice_id.substr(0, 15));
    // Record retrieve under /tooling/sobjects, by the id the query gave.
    auto r = Send("GET", std::string(kTooling) + "/sobjects/CustomObject/" + invoice_id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("DeveloperName").as_string(), "Invoice");
}

TEST_F(ToolingTest, ApexEntitiesAreEmptyAndSearchable) {
    EXPECT_EQ(Query("SELECT Id, Name FROM ApexClass").at("totalSize").as_int64(), 0);
    EXPECT_EQ(Query("SELECT Id FROM ApexTrigger").at("totalSize").as_int64(), 0);
    auto r = Send(
        "GET", std::string(kTooling) + "/search?q=" + Encode("FIND {Invoice} RETURNING ApexClass"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("searchRecords").as_array().size(), 0u);
    // The REST objects are not in the Tooling catalogue.
    auto bad = Send("GET", std::string(kTooling) + "/query?q=" + Encode("SELECT Id FROM Account"));
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("INVALID_TYPE"), std::string::npos) << bad.body;
}

TEST_F(ToolingTest, LargeResultsPageWithAToolingLocator) {
    const json::object first = Query("SELECT QualifiedApiName FROM FieldDefinition",
                                     {"Sforce-Query-Options: batchSize=200"});
    ASSERT_FALSE(first.at("done").as_bool());
    EXPECT_EQ(first.at("size").as_int64(), 200);
    const std::string next(first.at("nextRecordsUrl").as_string());
    EXPECT_EQ(next.rfind("/services/data/v60.0/tooling/query/01g", 0), 0u) << next;
    EXPECT_EQ(next.substr(next.rfind('/') + 1), first.at("queryLocator").as_string());
    auto r = Send("GET", next);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("entityTypeName").as_string(), "FieldDefinition");
}

TEST_F(ToolingTest, EntitiesAreReadOnly) {
    auto r = Send("POST",
                  std::string(kTooling) + "/sobjects/EntityDefinition",
                  {kJson},
                  R"({"QualifiedApiName":"X"})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY"), std::string::npos) << r.body;
}

TEST_F(ToolingTest, ExecuteAnonymousReportsThatApexCannotRun) {
    auto r = Send(
        "GET",
        std::string(kTooling) + "/executeAnonymous?anonymousBody=" + Encode("System.debug(1);"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.substr(0, r.body.find("\"compileProblem\"")),
              R"({"line":1,"column":1,"compiled":false,"success":false,)");
    EXPECT_NE(r.body.find("no Apex runtime"), std::string::npos);
    EXPECT_EQ(Send("GET", std::string(kTooling) + "/executeAnonymous").status, 400);
}

TEST_F(ToolingTest, TestRunsKnowNoClasses) {
    auto empty = Send("POST", std::string(kTooling) + "/runTestsSynchronous", {kJson}, "[]");
    ASSERT_EQ(empty.status, 200) << empty.body;
    const json::object result = json::parse(empty.body).as_object();
    EXPECT_EQ(result.at("numTestsRun").as_int64(), 0);
    EXPECT_EQ(result.at("failures").as_array().size(), 0u);
    auto named = Send("POST",
                      std::string(kTooling) + "/runTestsSynchronous",
                      {kJson},
                      R"([{"className":"MyTest","testMethods":["a"]}])");
    EXPECT_EQ(named.status, 400);
    EXPECT_NE(named.body.find("INVALID_INPUT"), std::string::npos) << named.body;
    EXPECT_NE(named.body.find("MyTest"), std::string::npos) << named.body;
    auto async = Send("POST",
                      std::string(kTooling) + "/runTestsAsynchronous",
                      {kJson},
                      R"({"testLevel":"RunLocalTests"})");
    EXPECT_EQ(async.status, 400) << async.body;
    auto garbage = Send("POST", std::string(kTooling) + "/runTestsAsynchronous", {kJson}, "{x");
    EXPECT_EQ(garbage.status, 400);
    EXPECT_NE(garbage.body.find("JSON_PARSER_ERROR"), std::string::npos) << garbage.body;
}

// SandboxInfo: created, read, refreshed (PATCH), queried and deleted through the record
// resources; the Tooling create answer carries `warnings` (docs/tooling.md).
TEST_F(ToolingTest, SandboxInfoRecordsThroughTheRecordResources) {
    const std::string base = std::string(kTooling) + "/sobjects/SandboxInfo";
    auto created =
        Send("POST",
             base,
             {kJson},
             R"({"SandboxName":"devSandbox","LicenseType":"DEVELOPER","TemplateId":null,)"
             R"("HistoryDays":0,"CopyChatter":false,"AutoActivate":false,)"
             R"("ApexClassId":null,"Description":null,"SourceId":null})");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::object save = json::parse(created.body).as_object();
    const std::string id(save.at("id").as_string());
    EXPECT_EQ(id.substr(0, 3), "0GQ");
    EXPECT_EQ(created.body, R"({"id":")" + id + R"(","success":true,"errors":[],"warnings":[]})");
    EXPECT_EQ(created.Header("Location"),
              "/services/data/v60.0/tooling/sobjects/SandboxInfo/" + id);

    auto got = Send("GET", base + "/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    const json::object rec = json::parse(got.body).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : rec) {
        keys.emplace_back(k);
    }
    // The field order of a real GET (docs/tooling.md), ActivationUserGroupId (60.0) last.
    EXPECT_EQ(keys,
              (std::vector<std::string>{"attributes",
                                        "Id",
                                        "IsDeleted",
                                        "CreatedDate",
                                        "CreatedById",
                                        "LastModifiedDate",
                                        "LastModifiedById",
                                        "SystemModstamp",
                                        "SandboxName",
                                        "LicenseType",
                                        "TemplateId",
                                        "HistoryDays",
                                        "CopyChatter",
                                        "AutoActivate",
                                        "ApexClassId",
                                        "Description",
                                        "SourceId",
                                        "ActivationUserGroupId"}));
    EXPECT_EQ(rec.at("LicenseType").as_string(), "DEVELOPER");

    auto refresh = Send(
        "PATCH", base + "/" + id, {kJson}, R"({"LicenseType":"DEVELOPER","AutoActivate":true})");
    EXPECT_EQ(refresh.status, 204) << refresh.body;
    const json::object listed =
        Query("SELECT Id, SandboxName, LicenseType, AutoActivate FROM SandboxInfo");
    ASSERT_EQ(listed.at("size").as_int64(), 1) << json::serialize(listed);
    EXPECT_TRUE(listed.at("records").as_array()[0].at("AutoActivate").as_bool());

    auto bad = Send("POST", base, {kJson}, R"({"SandboxName":"x","LicenseType":"HUGE"})");
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_NE(bad.body.find("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"), std::string::npos)
        << bad.body;
    auto missing = Send("POST", base, {kJson}, R"({"LicenseType":"FULL"})");
    EXPECT_EQ(missing.status, 400) << missing.body;
    EXPECT_NE(missing.body.find("REQUIRED_FIELD_MISSING"), std::string::npos) << missing.body;

    EXPECT_EQ(Send("DELETE", base + "/" + id).status, 204);
    EXPECT_EQ(Send("GET", base + "/" + id).status, 404);
    // A path segment that is no id: the record resources' answer for any object.
    auto unset = Send("GET", base + "/%7B%7BSANDBOX_INFO_ID%7D%7D");
    EXPECT_EQ(unset.status, 404) << unset.body;
}

// PlatformEventChannel and PlatformEventChannelMember: created with FullName and Metadata as
// the Tooling API documents, Metadata answered as an object, its keys in the columns.
TEST_F(ToolingTest, ChangeDataCaptureChannelsWithMetadata) {
    const std::string channels = std::string(kTooling) + "/sobjects/PlatformEventChannel";
    auto created = Send("POST",
                        channels,
                        {kJson},
                        R"({"FullName":"Account_Orders_CDC__chn","Metadata":{"channelType":"data",)"
                        R"("label":"Custom Channel for Accounts and Reseller Orders CDC"}})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string channel(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(channel.substr(0, 3), "0YL");

    auto got = Send("GET", channels + "/" + channel);
    ASSERT_EQ(got.status, 200) << got.body;
    const json::object rec = json::parse(got.body).as_object();
    EXPECT_EQ(rec.at("DeveloperName").as_string(), "Account_Orders_CDC");
    EXPECT_EQ(rec.at("ChannelType").as_string(), "data");
    EXPECT_EQ(rec.at("MasterLabel").as_string(),
              "Custom Channel for Accounts and Reseller Orders CDC");
    EXPECT_EQ(rec.at("FullName").as_string(), "Account_Orders_CDC__chn");
    EXPECT_EQ(rec.at("Metadata").at("channelType").as_string(), "data");

    // FullName is unique.
    auto again = Send(
        "POST",
        channels,
        {kJson},
        R"({"FullName":"Account_Orders_CDC__chn","Metadata":{"channelType":"data","label":"x"}})");
    EXPECT_EQ(again.status, 400) << again.body;
    EXPECT_NE(again.body.find("DUPLICATE_VALUE"), std::string::npos) << again.body;

    const std::string members = std::string(kTooling) + "/sobjects/PlatformEventChannelMember";
    auto member = Send(
        "POST",
        members,
        {kJson},
        R"({"FullName":"Account_Orders_CDC_chn_Order_ChangeEvent","Metadata":{)"
        R"("eventChannel":"Account_Orders_CDC__chn","filterExpression":"Industry='Agriculture'",)"
        R"("enrichedFields":[{"name":"External_Id__c"}],"selectedEntity":"OrderChangeEvent"}})");
    ASSERT_EQ(member.status, 201) << member.body;
    const std::string member_id(json::parse(member.body).at("id").as_string());
    const json::object m = json::parse(Send("GET", members + "/" + member_id).body).as_object();
    EXPECT_EQ(m.at("EventChannel").as_string(), "Account_Orders_CDC__chn");
    EXPECT_EQ(m.at("SelectedEntity").as_string(), "OrderChangeEvent");
    EXPECT_EQ(m.at("Metadata").at("enrichedFields").as_array()[0].at("name").as_string(),
              "External_Id__c");
    const json::object q =
        Query("SELECT DeveloperName, SelectedEntity FROM PlatformEventChannelMember");
    EXPECT_EQ(q.at("size").as_int64(), 1);

    EXPECT_EQ(Send("DELETE", members + "/" + member_id).status, 204);
    EXPECT_EQ(Send("DELETE", channels + "/" + channel).status, 204);
    EXPECT_EQ(Send("GET", channels + "/" + channel).status, 404);
}

// The writable entities are kept in the org's database (docs/tooling.md): records created
// before a restart of the org on the same data (an SQLite data directory; on PostgreSQL, the
// same schema) are read, queried (a join between two of them too), changed and deleted after
// it, a FullName stays taken, and new records get new ids.
class ToolingRestartTest : public ::testing::Test {
protected:
    void Start() {
        org_.reset();
        server::LocalOrgOptions options = OnDiskOrgOptions(dir_.Path());
        options.org_def_file = TestDataPath("org-def-custom.json");
        org_ = std::make_unique<TestOrg>(options);
        token_ = org_->Login();
    }
    RawResponse Send(const std::string& method,
                     const std::string& target,
                     const std::string& body = {}) {
        std::vector<std::string> headers{"Authorization: Bearer " + token_};
        if (!body.empty()) {
            headers.emplace_back(kJson);
        }
        return Fetch(org_->Port(), method, std::string(kTooling) + target, headers, body);
    }
    json::object Query(const std::string& soql) {
        const auto r = Send("GET", "/query?q=" + Encode(soql));
        EXPECT_EQ(r.status, 200) << soql << " -> " << r.body;
        return json::parse(r.body).as_object();
    }
    static std::string IdOf(const RawResponse& r) {
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }

    TempDir dir_;
    std::unique_ptr<TestOrg> org_;
    std::string token_;
};

TEST_F(ToolingRestartTest, WritableRecordsSurviveARestartOfTheOrg) {
    Start();
    const std::string source = IdOf(Send(
        "POST", "/sobjects/SandboxInfo", R"({"SandboxName":"prodCopy","LicenseType":"FULL"})"));
    const std::string sandbox = IdOf(Send(
        "POST",
        "/sobjects/SandboxInfo",
        R"({"SandboxName":"devBox","LicenseType":"DEVELOPER","SourceId":")" + source + R"("})"));
    const std::string channel =
        IdOf(Send("POST",
                  "/sobjects/PlatformEventChannel",
                  R"({"FullName":"Kept_Channel__chn","Metadata":{"channelType":"data",)"
                  R"("label":"Kept"}})"));
    EXPECT_EQ(Send("DELETE", "/sobjects/SandboxInfo/" + source).status, 204);
    const std::string gone = source;
    const std::string kept_source = IdOf(Send(
        "POST", "/sobjects/SandboxInfo", R"({"SandboxName":"partial","LicenseType":"PARTIAL"})"));
    ASSERT_EQ(Send("PATCH",
                   "/sobjects/SandboxInfo/" + sandbox,
                   R"({"SourceId":")" + kept_source + R"(","Description":"refreshed"})")
                  .status,
              204);

    Start();  // a new org on the same data
    auto got = Send("GET", "/sobjects/SandboxInfo/" + sandbox);
    ASSERT_EQ(got.status, 200) << got.body;
    const json::object rec = json::parse(got.body).as_object();
    EXPECT_EQ(rec.at("SandboxName").as_string(), "devBox");
    EXPECT_EQ(rec.at("Description").as_string(), "refreshed");
    EXPECT_EQ(Send("GET", "/sobjects/SandboxInfo/" + gone).status, 404);
    auto ch = Send("GET", "/sobjects/PlatformEventChannel/" + channel);
    ASSERT_EQ(ch.status, 200) << ch.body;
    EXPECT_EQ(json::parse(ch.body).at("Metadata").at("label").as_string(), "Kept");

    // SOQL reads the node's copy of them, which the restarted org filled from the database; the
    // relationship SourceId -> SandboxInfo joins two of them.
    const json::object listed =
        Query("SELECT SandboxName, Source.SandboxName FROM SandboxInfo ORDER BY SandboxName");
    ASSERT_EQ(listed.at("totalSize").as_int64(), 2) << json::serialize(listed);
    const json::array& records = listed.at("records").as_array();
    EXPECT_EQ(records[0].at("SandboxName").as_string(), "devBox");
    EXPECT_EQ(records[0].at("Source").at("SandboxName").as_string(), "partial");
    EXPECT_EQ(records[1].at("SandboxName").as_string(), "partial");
    EXPECT_EQ(Query("SELECT Id FROM PlatformEventChannel WHERE DeveloperName = 'Kept_Channel'")
                  .at("totalSize")
                  .as_int64(),
              1);

    // The FullName is still taken; a new record gets an id of its own.
    auto again = Send("POST",
                      "/sobjects/PlatformEventChannel",
                      R"({"FullName":"Kept_Channel__chn","Metadata":{"channelType":"data"}})");
    EXPECT_EQ(again.status, 400) << again.body;
    EXPECT_NE(again.body.find("DUPLICATE_VALUE"), std::string::npos) << again.body;
    const std::string fresh = IdOf(
        Send("POST", "/sobjects/SandboxInfo", R"({"SandboxName":"newer","LicenseType":"FULL"})"));
    for (const std::string& old : {gone, sandbox, kept_source}) {
        EXPECT_NE(fresh, old);
    }
    // Changed and deleted after the restart, and that survives the next one.
    EXPECT_EQ(Send("PATCH", "/sobjects/SandboxInfo/" + sandbox, R"({"AutoActivate":true})").status,
              204);
    EXPECT_EQ(Send("DELETE", "/sobjects/PlatformEventChannel/" + channel).status, 204);
    Start();
    EXPECT_EQ(Send("GET", "/sobjects/PlatformEventChannel/" + channel).status, 404);
    EXPECT_EQ(Query("SELECT Id FROM PlatformEventChannel").at("totalSize").as_int64(), 0);
    const json::object after =
        Query("SELECT Id, AutoActivate FROM SandboxInfo WHERE Id = '" + sandbox + "'");
    ASSERT_EQ(after.at("totalSize").as_int64(), 1) << json::serialize(after);
    EXPECT_TRUE(after.at("records").as_array()[0].at("AutoActivate").as_bool());
    EXPECT_EQ(Query("SELECT Id FROM SandboxInfo").at("totalSize").as_int64(), 3);
}

}  // namespace
}  // namespace sfkit::test
