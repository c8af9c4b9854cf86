// RestClient record calls against a scripted transport: update/delete (204), upsert (201, 200,
// 204 and 300 Multiple Choices, §B.10), retrieve by external id, getUpdated/getDeleted, limits
// and record counts (§B.14), in JSON and XML, with errors in both key orders (§B.15).
#include <algorithm>
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "sfkit/client/rest_client.hpp"

#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;
using namespace std::chrono;

using Fixture = test::RestFixture;

constexpr const char* kBase = "https://acme.my.salesforce.com/services/data/v60.0/";

std::string Url(const std::string& tail) {
    return kBase + tail;
}

// ---- update / delete --------------------------------------------------------------------------

TEST(ClientRecords, UpdateSendsPatchAndAccepts204) {
    Fixture f;
    f.fake->Reply(204, "", {{"Sforce-Limit-Info", "api-usage=9/15000"}});
    Record changes;
    changes.Set("Name", "New name").Set("NumberOfEmployees", 3).Set("Fax", nullptr);
    auto r = f.rest.Update("Account", "001xx000003DGb2AAG", changes);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.Last().method, "PATCH");
    EXPECT_EQ(f.Last().url, Url("sobjects/Account/001xx000003DGb2AAG"));
    EXPECT_EQ(*f.Last().Header("Content-Type"), "application/json");
    EXPECT_EQ(f.Last().body, R"({"Name":"New name","NumberOfEmployees":3,"Fax":null})");
    EXPECT_EQ(f.rest.LastApiUsage()->used, 9);
}

TEST(ClientRecords, UpdateXmlBodyHasTheObjectAsRoot) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    f.fake->Reply(204, "");
    Record changes;
    changes.Set("Name", "A & B").Set("Fax", nullptr);
    ASSERT_TRUE(f.rest.Update("Account", "001", changes));
    EXPECT_EQ(*f.Last().Header("Content-Type"), "application/xml");
    EXPECT_EQ(*f.Last().Header("Accept"), "application/xml");
    EXPECT_EQ(f.Last().body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account "
              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>A &amp; B</Name>"
              "<Fax xsi:nil=\"true\"/></Account>");
    // The per-call override beats the client's format.
    f.fake->Reply(204, "");
    ASSERT_TRUE(f.rest.Update("Account", "001", changes, WireFormat::kJson));
    EXPECT_EQ(*f.Last().Header("Content-Type"), "application/json");
}

TEST(ClientRecords, UpdateErrorsInBothKeyOrdersAndXml) {
    Fixture f;
    f.fake->Reply(
        400,
        R"([{"message":"Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["Name"]}])");
    f.fake->Reply(
        404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    f.fake->Reply(400,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Errors><Error><errorCode>"
                  "STRING_TOO_LONG</errorCode><message>Account Name: data value too large"
                  "</message><fields>Name</fields></Error></Errors>");
    Record changes;
    changes.Set("Name", "x");
    auto a = f.rest.Update("Account", "001", changes);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().kind, ErrorKind::kApi);
    EXPECT_EQ(a.error().code, "INVALID_FIELD_FOR_INSERT_UPDATE");
    EXPECT_EQ(a.error().fields, std::vector<std::string>{"Name"});
    EXPECT_EQ(a.error().http_status, 400);
    auto b = f.rest.Update("Account", "001", changes);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, "NOT_FOUND");
    EXPECT_EQ(b.error().message, "The requested resource does not exist");
    auto c = f.rest.Update("Account", "001", changes);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, "STRING_TOO_LONG");
    EXPECT_EQ(c.error().fields, std::vector<std::string>{"Name"});
}

TEST(ClientRecords, DeleteSendsDeleteAndReportsGoneRecords) {
    Fixture f;
    f.fake->Reply(204, "");
    f.fake->Reply(404, R"([{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED"}])");
    ASSERT_TRUE(f.rest.Delete("Account", "001xx000003DGb2AAG"));
    EXPECT_EQ(f.Last().method, "DELETE");
    EXPECT_EQ(f.Last().url, Url("sobjects/Account/001xx000003DGb2AAG"));
    EXPECT_TRUE(f.Last().body.empty());
    EXPECT_EQ(f.Last().Header("Content-Type"), nullptr);
    auto again = f.rest.Delete("Account", "001xx000003DGb2AAG");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "ENTITY_IS_DELETED");
    EXPECT_EQ(again.error().http_status, 404);
}

TEST(ClientRecords, BadArgumentsSendNothing) {
    Fixture f;
    EXPECT_EQ(f.rest.Delete("Account", "").error().code, "MALFORMED_ID");
    EXPECT_EQ(f.rest.Delete("Acc ount", "001").error().code, "INVALID_SOBJECT_NAME");
    EXPECT_EQ(f.rest.Update("Account/x", "001", Record{}).error().kind,
              ErrorKind::kInvalidArgument);
    EXPECT_EQ(f.rest.Upsert("Account", "Ext/../Id", "1", Record{}).error().code, "INVALID_FIELD");
    EXPECT_EQ(f.rest.Upsert("Account", "Ext__c", "", Record{}).error().kind,
              ErrorKind::kInvalidArgument);
    EXPECT_EQ(f.rest.GetByExternalId("Account", "", "1").error().code, "INVALID_FIELD");
    EXPECT_TRUE(f.fake->requests.empty());
}

// ---- upsert ---------------------------------------------------------------------------------

TEST(ClientRecords, UpsertCreated201) {
    Fixture f;
    f.fake->Reply(201, R"({"id":"001000000000001AAA","success":true,"errors":[],"created":true})");
    Record fields;
    fields.Set("Name", "Acme");
    auto r = f.rest.Upsert("Account", "External_Id__c", "EXT/1 2", fields);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->id, "001000000000001AAA");
    EXPECT_TRUE(r->created);
    EXPECT_EQ(f.Last().method, "PATCH");
    // The value is one path segment: `/` and spaces encoded.
    EXPECT_EQ(f.Last().url, Url("sobjects/Account/External_Id__c/EXT%2F1%202"));
    EXPECT_EQ(f.Last().body, R"({"Name":"Acme"})");
}

TEST(ClientRecords, UpsertUpdated200AndDocsKeyOrder) {
    Fixture f;
    f.fake->Reply(200, R"({"id":"001000000000001AAA","errors":[],"success":true,"created":false})");
    auto r = f.rest.Upsert("Account", "External_Id__c", "1", Record{});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->id, "001000000000001AAA");
    EXPECT_FALSE(r->created);
}

TEST(ClientRecords, UpsertOldVersions) {
    Fixture f;
    f.rest.SetApiVersion("45.0");
    // Before 46.0: an update answers 204 with no body, an insert 201 without `created`.
    f.fake->Reply(204, "");
    f.fake->Reply(201, R"({"id":"001000000000002AAA","success":true,"errors":[]})");
    auto updated = f.rest.Upsert("Account", "External_Id__c", "1", Record{});
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_FALSE(updated->created);
    EXPECT_TRUE(updated->id.empty());
    auto created = f.rest.Upsert("Account", "External_Id__c", "2", Record{});
    ASSERT_TRUE(created) << created.error().ToString();
    EXPECT_TRUE(created->created);
    EXPECT_EQ(created->id, "001000000000002AAA");
    EXPECT_NE(f.Last().url.find("/services/data/v45.0/sobjects/"), std::string::npos);
}

TEST(ClientRecords, UpsertXml) {
    Fixture f;
    f.fake->Reply(201,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Result><id>"
                  "001000000000001AAA</id><success>true</success><created>true</created></Result>");
    Record fields;
    fields.Set("Name", "Acme");
    auto r = f.rest.Upsert("Account", "External_Id__c", "1", fields, WireFormat::kXml);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_TRUE(r->created);
    EXPECT_EQ(r->id, "001000000000001AAA");
    EXPECT_EQ(f.Last().body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account><Name>Acme</Name></Account>");
}

TEST(ClientRecords, UpsertMultipleChoicesListsTheCandidates) {
    Fixture f;
    f.fake->Reply(
        300,
        R"(["/services/data/v60.0/sobjects/Account/001000000000001AAA","/services/data/v60.0/sobjects/Account/001000000000002AAA"])");
    auto r = f.rest.Upsert("Account", "External_Id__c", "dup", Record{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kApi);
    EXPECT_EQ(r.error().code, "MULTIPLE_CHOICES");
    EXPECT_EQ(r.error().http_status, 300);
    ASSERT_EQ(r.error().candidates.size(), 2u);
    EXPECT_EQ(r.error().candidates[1], "/services/data/v60.0/sobjects/Account/001000000000002AAA");
    EXPECT_EQ(r.error().message, "The external ID provided matches more than one record (2)");

    f.fake->Reply(300,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Results><url>/a/1</url><url>/a/2"
                  "</url></Results>");
    auto x = f.rest.Upsert("Account", "External_Id__c", "dup", Record{}, WireFormat::kXml);
    ASSERT_FALSE(x);
    EXPECT_EQ(x.error().candidates, (std::vector<std::string>{"/a/1", "/a/2"}));
}

TEST(ClientRecords, UpsertErrors) {
    Fixture f;
    f.fake->Reply(
        404,
        R"([{"message":"Provided external ID field does not exist or is not accessible: Namez","errorCode":"NOT_FOUND"}])");
    f.fake->Reply(
        400,
        R"({"id":null,"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"duplicate value found","fields":["Ext__c"]}],"created":false})");
    auto a = f.rest.Upsert("Account", "Namez", "1", Record{});
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "NOT_FOUND");
    EXPECT_NE(a.error().message.find("Namez"), std::string::npos);
    // A body of the UpsertResult shape reporting failure: the code is under statusCode.
    f.fake->Reply(
        201,
        R"({"id":null,"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"duplicate value found","fields":["Ext__c"]}],"created":false})");
    auto b = f.rest.Upsert("Account", "Ext__c", "1", Record{});  // the 400 above
    ASSERT_FALSE(b);
    auto c = f.rest.Upsert("Account", "Ext__c", "1", Record{});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, "DUPLICATE_VALUE");
    EXPECT_EQ(c.error().fields, std::vector<std::string>{"Ext__c"});
}

// ---- retrieve by external id -------------------------------------------------------------------

TEST(ClientRecords, GetByExternalId) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001000000000001AAA"},"Name":"Acme","External_Id__c":"E 1","Id":"001000000000001AAA"})");
    auto r = f.rest.GetByExternalId("Account", "External_Id__c", "E 1", {"Name"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.Last().method, "GET");
    EXPECT_EQ(f.Last().url, Url("sobjects/Account/External_Id__c/E%201?fields=Name"));
    EXPECT_EQ(*r->GetString("Id"), "001000000000001AAA");
    EXPECT_EQ(r->Type(), "Account");

    f.fake->Reply(300, R"(["/services/data/v60.0/sobjects/Account/001","/x/2","/x/3"])");
    auto many = f.rest.GetByExternalId("Account", "External_Id__c", "dup");
    ASSERT_FALSE(many);
    EXPECT_EQ(many.error().code, "MULTIPLE_CHOICES");
    EXPECT_EQ(many.error().candidates.size(), 3u);
}

// ---- getUpdated / getDeleted
// ----------------------------------------------------------------------

sys_seconds At(int y, unsigned m, unsigned d, int hh, int mm) {
    return sys_days(year{y} / month{m} / day{d}) + hours(hh) + minutes(mm);
}

TEST(ClientRecords, UpdatedJson) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"ids":["a00D0000008pQR5IAM","a00D0000008pQRGIA2"],"latestDateCovered":"2013-05-08T21:20:00.000+0000"})");
    auto r = f.rest.Updated("Merchandise__c", At(2013, 5, 6, 0, 0), At(2013, 5, 10, 0, 0));
    ASSERT_TRUE(r) << r.error().ToString();
    // The docs' example request, byte for byte.
    EXPECT_EQ(
        f.Last().url,
        Url("sobjects/Merchandise__c/updated/"
            "?start=2013-05-06T00%3A00%3A00%2B00%3A00&end=2013-05-10T00%3A00%3A00%2B00%3A00"));
    EXPECT_EQ(r->ids, (std::vector<std::string>{"a00D0000008pQR5IAM", "a00D0000008pQRGIA2"}));
    EXPECT_EQ(r->latest_date_covered, At(2013, 5, 8, 21, 20));
}

TEST(ClientRecords, UpdatedXmlWithOneAndNoIds) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    f.fake->Reply(200,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Merchandise__c><ids>"
                  "a00D0000008pQR5IAM</ids><latestDateCovered>2013-05-08T21:20:00.000Z"
                  "</latestDateCovered></Merchandise__c>");
    f.fake->Reply(200,
                  "<Merchandise__c><latestDateCovered>2013-05-08T21:20:00.000Z"
                  "</latestDateCovered></Merchandise__c>");
    auto one = f.rest.Updated("Merchandise__c", At(2013, 5, 6, 0, 0), At(2013, 5, 10, 0, 0));
    ASSERT_TRUE(one) << one.error().ToString();
    EXPECT_EQ(*f.Last().Header("Accept"), "application/xml");
    EXPECT_EQ(one->ids, std::vector<std::string>{"a00D0000008pQR5IAM"});
    EXPECT_EQ(one->latest_date_covered, At(2013, 5, 8, 21, 20));
    auto none = f.rest.Updated("Merchandise__c", At(2013, 5, 6, 0, 0), At(2013, 5, 10, 0, 0));
    ASSERT_TRUE(none) << none.error().ToString();
    EXPECT_TRUE(none->ids.empty());
}

TEST(ClientRecords, DeletedJsonAndXml) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"deletedRecords":[{"id":"a00D0000008pQRAIA2","deletedDate":"2013-05-07T22:07:19.000+0000"}],"earliestDateAvailable":"2013-05-03T15:57:00.000+0000","latestDateCovered":"2013-05-08T21:20:00.000+0000"})");
    auto r = f.rest.Deleted("Merchandise__c", At(2013, 5, 5, 0, 0), At(2013, 5, 10, 0, 0));
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_NE(f.Last().url.find("/sobjects/Merchandise__c/deleted/?start=2013-05-05T00%3A00"),
              std::string::npos);
    ASSERT_EQ(r->deleted_records.size(), 1u);
    EXPECT_EQ(r->deleted_records[0].id, "a00D0000008pQRAIA2");
    EXPECT_EQ(r->deleted_records[0].deleted_date, At(2013, 5, 7, 22, 7) + seconds(19));
    ASSERT_TRUE(r->earliest_date_available);
    EXPECT_EQ(*r->earliest_date_available, At(2013, 5, 3, 15, 57));
    EXPECT_EQ(r->latest_date_covered, At(2013, 5, 8, 21, 20));

    f.fake->Reply(200,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Merchandise__c><deletedRecords>"
                  "<deletedDate>2013-05-07T22:07:19.000Z</deletedDate><id>a00D0000008pQRAIA2</id>"
                  "</deletedRecords><deletedRecords><deletedDate>2013-05-07T22:08:00.000Z"
                  "</deletedDate><id>a00D0000008pQRBIA2</id></deletedRecords>"
                  "<earliestDateAvailable>2013-05-03T15:57:00.000Z</earliestDateAvailable>"
                  "<latestDateCovered>2013-05-08T21:20:00.000Z</latestDateCovered>"
                  "</Merchandise__c>");
    auto x = f.rest.Deleted("Merchandise__c", At(2013, 5, 5, 0, 0), At(2013, 5, 10, 0, 0));
    ASSERT_TRUE(x) << x.error().ToString();
    ASSERT_EQ(x->deleted_records.size(), 2u);
    EXPECT_EQ(x->deleted_records[1].id, "a00D0000008pQRBIA2");
    EXPECT_EQ(x->deleted_records[1].deleted_date, At(2013, 5, 7, 22, 8));
}

TEST(ClientRecords, ReplicationErrors) {
    Fixture f;
    f.fake->Reply(
        400,
        R"([{"message":"startDate must be at least one minute greater than endDate","errorCode":"INVALID_REPLICATION_DATE"}])");
    f.fake->Reply(200, R"({"ids":[],"latestDateCovered":"yesterday"})");
    auto a = f.rest.Updated("Account", At(2024, 1, 1, 0, 0), At(2024, 1, 1, 0, 0));
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "INVALID_REPLICATION_DATE");
    auto b = f.rest.Updated("Account", At(2024, 1, 1, 0, 0), At(2024, 1, 2, 0, 0));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().kind, ErrorKind::kProtocol);
}

// ---- limits ---------------------------------------------------------------------------------

TEST(ClientLimits, LimitsJsonWithAppShares) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"ConcurrentAsyncGetReportInstances":{"Max":200,"Remaining":200},"DailyApiRequests":{"Max":15000,"Remaining":14998,"Ant Migration Tool":{"Max":0,"Remaining":0},"My App":{"Max":500,"Remaining":480}},"DataStorageMB":{"Max":5,"Remaining":5}})",
        {{"Sforce-Limit-Info", "api-usage=2/15000"}});
    auto l = f.rest.Limits();
    ASSERT_TRUE(l) << l.error().ToString();
    EXPECT_EQ(f.Last().url, Url("limits/"));
    ASSERT_EQ(l->size(), 3u);
    const Limit& api = l->at("DailyApiRequests");
    EXPECT_EQ(api.max, 15000);
    EXPECT_EQ(api.remaining, 14998);
    EXPECT_EQ(api.Used(), 2);
    ASSERT_EQ(api.apps.size(), 2u);
    EXPECT_EQ(api.apps[1].name, "My App");
    EXPECT_EQ(api.apps[1].max, 500);
    EXPECT_EQ(api.apps[1].remaining, 480);
    EXPECT_TRUE(l->at("DataStorageMB").apps.empty());
    EXPECT_EQ(f.rest.LastApiUsage()->used, 2);
}

TEST(ClientLimits, LimitsXml) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    f.fake->Reply(200,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LimitsSnapshot><DailyApiRequests>"
                  "<Max>15000</Max><Remaining>14990</Remaining><My_App><Max>10</Max><Remaining>9"
                  "</Remaining></My_App></DailyApiRequests><DataStorageMB><Max>5</Max><Remaining>"
                  "4</Remaining></DataStorageMB></LimitsSnapshot>");
    auto l = f.rest.Limits();
    ASSERT_TRUE(l) << l.error().ToString();
    EXPECT_EQ(l->at("DailyApiRequests").remaining, 14990);
    ASSERT_EQ(l->at("DailyApiRequests").apps.size(), 1u);
    EXPECT_EQ(l->at("DailyApiRequests").apps[0].remaining, 9);
    EXPECT_EQ(l->at("DataStorageMB").Used(), 1);
}

TEST(ClientLimits, RecordCount) {
    Fixture f;
    f.fake->Reply(200,
                  R"({"sObjects":[{"count":3,"name":"Account"},{"count":1,"name":"Contact"}]})");
    f.fake->Reply(200, R"({"sObjects":[]})");
    auto c = f.rest.RecordCount({"Account", "Contact"});
    ASSERT_TRUE(c) << c.error().ToString();
    EXPECT_EQ(f.Last().url, Url("limits/recordCount?sObjects=Account,Contact"));
    ASSERT_EQ(c->size(), 2u);
    EXPECT_EQ((*c)[0].name, "Account");
    EXPECT_EQ((*c)[0].count, 3);
    auto all = f.rest.RecordCount();
    ASSERT_TRUE(all);
    EXPECT_EQ(f.Last().url, Url("limits/recordCount"));
    EXPECT_TRUE(all->empty());
    EXPECT_EQ(f.rest.RecordCount({"Account,Contact"}).error().kind, ErrorKind::kInvalidArgument);
}

// ---- raw requests -------------------------------------------------------------------------------

TEST(ClientRecords, SendReturnsErrorStatusesAsAnswers) {
    Fixture f;
    f.fake->Reply(
        404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    auto r = f.rest.Send("GET", "sobjects/Nope");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(r->body.find("NOT_FOUND"), std::string::npos);
    // Request turns the same answer into an Error.
    f.fake->Reply(
        404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    EXPECT_EQ(f.rest.Request("GET", "sobjects/Nope").error().code, "NOT_FOUND");
    // Transport failures are still errors.
    f.fake->Fail(MakeError(ErrorKind::kTransport, "COULDNT_CONNECT", "refused"));
    EXPECT_EQ(f.rest.Send("GET", "limits").error().kind, ErrorKind::kTransport);
}

TEST(ClientRecords, PathForms) {
    Fixture f;
    for (int i = 0; i < 4; ++i) {
        f.fake->Reply(200, "{}");
    }
    ASSERT_TRUE(f.rest.Send("GET", "services/data/v59.0/limits"));
    EXPECT_EQ(f.Last().url, "https://acme.my.salesforce.com/services/data/v59.0/limits");
    ASSERT_TRUE(f.rest.Send("GET", "v58.0/sobjects/Account"));
    EXPECT_EQ(f.Last().url, "https://acme.my.salesforce.com/services/data/v58.0/sobjects/Account");
    ASSERT_TRUE(f.rest.Send("GET", "versions_not/limits"));
    EXPECT_EQ(f.Last().url, Url("versions_not/limits"));
    // A caller's Authorization replaces the bearer token instead of doubling it.
    f.fake->Reply(200, "{}");
    ASSERT_TRUE(f.rest.Send("GET", "limits", {}, {{"Authorization", "OAuth other"}}));
    EXPECT_EQ(*f.Last().Header("Authorization"), "OAuth other");
    EXPECT_EQ(std::count_if(f.Last().headers.begin(),
                            f.Last().headers.end(),
                            [](const HttpHeader& h) { return h.name == "Authorization"; }),
              1);
    // Accept follows the client's format unless a header says otherwise.
    f.rest.SetFormat(WireFormat::kXml);
    ASSERT_TRUE(f.rest.Send("GET", "limits"));
    EXPECT_EQ(*f.Last().Header("Accept"), "application/xml");
}

}  // namespace
}  // namespace sfkit::client
