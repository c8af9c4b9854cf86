// Wire tests of Bulk API 1.0 (/services/async/XX.X, wire reference §4) over HTTP against a
// TestOrg with the custom org definition (Invoice__c with the unique external id ExtId__c and a
// required Due_Date__c): jobInfo / batchInfo / batchInfoList / results in XML, JSON and CSV, the
// job and batch states, ingest and query batches, the errors of §0 item 10 and §4.6 with their
// statuses, and jobs that survive a restart (and batches that resume after one).
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "server/bulk/bulk_services.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/schema/field_value.hpp"
#include "support/bulk1_fixture.hpp"
#include "support/bulk_rows.hpp"
#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

// ---- jobs -----------------------------------------------------------------------------------

TEST_F(Bulk1Test, CreateJobAnswersJobInfoInTheRecordedXmlLayout) {
    auto r = Async("POST", "/job", {kXmlType}, JobXml("insert", "Account", "CSV"));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/xml", 0), 0u);
    const std::string head = std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo)") +
                             "\n   xmlns=\"" + kNs + "\">\n <id>750";
    EXPECT_EQ(r.body.substr(0, head.size()), head);
    EXPECT_EQ(XmlChildren(r.body),
              (std::vector<std::string>{"id",
                                        "operation",
                                        "object",
                                        "createdById",
                                        "createdDate",
                                        "systemModstamp",
                                        "state",
                                        "concurrencyMode",
                                        "contentType",
                                        "numberBatchesQueued",
                                        "numberBatchesInProgress",
                                        "numberBatchesCompleted",
                                        "numberBatchesFailed",
                                        "numberBatchesTotal",
                                        "numberRecordsProcessed",
                                        "numberRetries",
                                        "apiVersion",
                                        "numberRecordsFailed",
                                        "totalProcessingTime",
                                        "apiActiveProcessingTime",
                                        "apexProcessingTime"}));
    const std::string id = XmlText(r.body, "id");
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(XmlText(r.body, "state"), "Open");
    EXPECT_EQ(XmlText(r.body, "operation"), "insert");
    EXPECT_EQ(XmlText(r.body, "object"), "Account");
    EXPECT_EQ(XmlText(r.body, "concurrencyMode"), "Parallel");
    EXPECT_EQ(XmlText(r.body, "apiVersion"), "60.0");
    EXPECT_EQ(XmlText(r.body, "createdById"), org_.Org().Org().admin_user_id);
    // `2024-11-21T09:28:59.000Z`
    const std::string created = XmlText(r.body, "createdDate");
    EXPECT_EQ(created.size(), 24u) << created;
    EXPECT_EQ(created.back(), 'Z');

    auto got = Async("GET", "/job/" + id);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, r.body);
}

TEST_F(Bulk1Test, JobAndBatchDatesAreWholeSecondsAsRecorded) {
    // Recorded jobInfo and batchInfo dates end `.000Z` (XML) and `.000+0000` (JSON) (§4.3,
    // §4.4); `sf data resume` shows them as they are.
    const std::string job = CreateJob("insert", "Account");
    const std::string batch = AddBatch(job, kCsvType, "Name\nWhole Seconds\n");
    const std::string info = WaitXml(job, batch);
    for (const char* field : {"createdDate", "systemModstamp"}) {
        EXPECT_EQ(XmlText(info, field).substr(19), ".000Z") << field << ": " << info;
        const std::string job_date = XmlText(Async("GET", "/job/" + job).body, field);
        EXPECT_EQ(job_date.substr(19), ".000Z") << field << ": " << job_date;
    }
    auto r = Async("POST", "/job", {kJsonType}, R"({"operation":"insert","object":"Account"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string created(json::parse(r.body).at("createdDate").as_string());
    EXPECT_EQ(created.substr(19), ".000+0000") << created;
}

TEST_F(Bulk1Test, JsonJobInfoHasAlphabeticalKeysAndAcceptsAnOrdinalConcurrencyMode) {
    // simple-salesforce's create body (§4.2): concurrencyMode 1 means Serial.
    auto r = Async("POST",
                   "/job",
                   {kJsonType},
                   R"({"operation":"query","object":"Account","concurrencyMode":1,)"
                   R"("contentType":"JSON"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
    const json::object o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : o) {
        keys.emplace_back(k);
    }
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << r.body;
    EXPECT_EQ(o.at("concurrencyMode"), "Serial");
    EXPECT_EQ(o.at("contentType"), "JSON");
    EXPECT_EQ(o.at("state"), "Open");
    EXPECT_NE(r.body.find(R"("apiVersion":60.0)"), std::string::npos) << r.body;
    const std::string created(o.at("createdDate").as_string());
    EXPECT_EQ(created.substr(created.size() - 5), "+0000");
    // A JSON job answers JSON to a GET without any Content-Type.
    auto got = Fetch(org_.Port(),
                     "GET",
                     kAsync + "/job/" + std::string(o.at("id").as_string()),
                     {"X-SFDC-Session: " + token_});
    EXPECT_EQ(json::parse(got.body).at("id"), o.at("id"));
}

TEST_F(Bulk1Test, UpsertJobCarriesItsExternalIdAfterState) {
    auto r = Async("POST", "/job", {kXmlType}, JobXml("upsert", "invoice__c", "CSV", "extid__c"));
    ASSERT_EQ(r.status, 201) << r.body;
    const auto children = XmlChildren(r.body);
    const auto state = std::find(children.begin(), children.end(), "state");
    ASSERT_NE(state, children.end());
    EXPECT_EQ(*(state + 1), "externalIdFieldName");
    EXPECT_EQ(XmlText(r.body, "externalIdFieldName"), "ExtId__c");
    EXPECT_EQ(XmlText(r.body, "object"), "Invoice__c");

    auto missing = Async("POST", "/job", {kXmlType}, JobXml("upsert", "Invoice__c", "CSV"));
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(XmlText(missing.body, "exceptionCode"), "InvalidJob");
    auto bad = Async("POST", "/job", {kXmlType}, JobXml("upsert", "Invoice__c", "CSV", "Nope"));
    EXPECT_EQ(bad.body, ErrorXml("InvalidJob", "Invalid external ID field name: Nope"));
}

TEST_F(Bulk1Test, CloseAndAbortChangeTheJobState) {
    const std::string job = CreateJob("insert", "Account");
    auto closed = Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    EXPECT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(XmlText(closed.body, "state"), "Closed");
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "state"), "Closed");
    // Closing twice is harmless (jsforce closes again when it cleans up).
    EXPECT_EQ(Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed")).status, 200);
    auto aborted = Async("POST", "/job/" + job, {kXmlType}, StateXml("Aborted"));
    EXPECT_EQ(XmlText(aborted.body, "state"), "Aborted");
    auto reclose = Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    EXPECT_EQ(reclose.status, 400);
    EXPECT_EQ(reclose.body, ErrorXml("InvalidJobState", "Aborted Job cannot be closed"));

    // The JSON form, as simple-salesforce closes its jobs: answered in JSON.
    const std::string other = CreateJob("insert", "Account", "JSON");
    auto json_close = Async("POST", "/job/" + other, {kJsonType}, R"({"state":"Closed"})");
    EXPECT_EQ(json_close.status, 200);
    EXPECT_EQ(json::parse(json_close.body).at("state"), "Closed");
    // Bulk 2.0's UploadComplete is not a 1.0 state (the Postman "Bulk Close Job" sends it).
    auto wrong = Async("POST", "/job/" + other, {kJsonType}, R"({"state":"UploadComplete"})");
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(json::parse(wrong.body).at("exceptionCode"), "InvalidJobState");
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(Bulk1Test, ABadSessionIs400InvalidSessionIdNot401) {
    const std::string body = JobXml("insert", "Account", "CSV");
    // No session at all, an unknown one, and a REST-style bearer token only (jsforce's Bulk 1.0
    // client sends X-SFDC-Session and nothing else).
    for (const auto& headers :
         {std::vector<std::string>{kXmlType},
          std::vector<std::string>{kXmlType, "X-SFDC-Session: 00Dxx0000000001!bogus"},
          std::vector<std::string>{kXmlType, "Authorization: Bearer " + token_}}) {
        auto r = Fetch(org_.Port(), "POST", kAsync + "/job", headers, body);
        EXPECT_EQ(r.status, 400);
        // jsforce refreshes on exactly `<exceptionCode>InvalidSessionId</exceptionCode>`.
        EXPECT_EQ(r.body, ErrorXml("InvalidSessionId", "Invalid session id"));
    }
    // The header name is matched case-insensitively (jsforce writes X-SFDC-SESSION).
    auto upper =
        Fetch(org_.Port(), "POST", kAsync + "/job", {kXmlType, "X-SFDC-SESSION: " + token_}, body);
    EXPECT_EQ(upper.status, 201);
    // JSON requests get the JSON form (simple-salesforce#619).
    auto j = Fetch(org_.Port(), "GET", kAsync + "/job/750000000000000AAA", {kJsonType});
    EXPECT_EQ(j.status, 400);
    EXPECT_EQ(j.body, ErrorJson("InvalidSessionId", "Invalid session id"));
}

TEST(Bulk1SessionTest, AnExpiredSessionIs400InvalidSessionId) {
    auto options = TestOrg::DefaultOptions();
    options.session_timeout = std::chrono::seconds(1);
    TestOrg org(options);
    const std::string token = org.Login();
    auto ok = Fetch(org.Port(),
                    "POST",
                    kAsync + "/job",
                    {kXmlType, "X-SFDC-Session: " + token},
                    JobXml("insert", "Account", "CSV"));
    ASSERT_EQ(ok.status, 201) << ok.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto r = Fetch(
        org.Port(), "GET", kAsync + "/job/" + XmlText(ok.body, "id"), {"X-SFDC-Session: " + token});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, ErrorXml("InvalidSessionId", "Invalid session id"));
}

TEST_F(Bulk1Test, UrlsOutsideTheResourcesAreInvalidUrl) {
    auto r = Async("GET", "/services/async/60.0/job");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        ErrorXml("InvalidUrl", "Failed to parse URL. Was expecting 'job' but found:services"));
    const std::string job = CreateJob("insert", "Account");
    auto del = Async("DELETE", "/job/" + job);
    EXPECT_EQ(del.status, 400);
    EXPECT_EQ(XmlText(del.body, "exceptionCode"), "InvalidUrl");
    auto bad_version =
        Fetch(org_.Port(), "GET", "/services/async/abc/job/" + job, {"X-SFDC-Session: " + token_});
    EXPECT_EQ(bad_version.status, 400);
    EXPECT_EQ(XmlText(bad_version.body, "exceptionCode"), "InvalidUrl");
    auto spec = Async("GET", "/job/" + job + "/spec");
    EXPECT_EQ(spec.status, 400);
    EXPECT_EQ(XmlText(spec.body, "exceptionCode"), "InvalidUrl") << "a spec is only uploaded";
}

TEST_F(Bulk1Test, BadJobRequestsAreInvalidJob) {
    auto unknown = Async("GET", "/job/750000000000000AAA");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.body, ErrorXml("InvalidJob", "Invalid job id: 750000000000000AAA"));
    auto garbage = Async("GET", "/job/nope");
    EXPECT_EQ(garbage.body, ErrorXml("InvalidJob", "Invalid job id: nope"));
    // Operations are case-sensitive.
    auto upper = Async("POST", "/job", {kXmlType}, JobXml("INSERT", "Account", "CSV"));
    EXPECT_EQ(upper.status, 400);
    EXPECT_EQ(upper.body, ErrorXml("InvalidJob", "Invalid job operation: INSERT"));
    auto object = Async("POST", "/job", {kXmlType}, JobXml("insert", "Nope__c", "CSV"));
    EXPECT_EQ(object.body, ErrorXml("InvalidJob", "Unable to find object: Nope__c"));
    auto type = Async("POST", "/job", {kXmlType}, JobXml("insert", "Account", "PDF"));
    EXPECT_EQ(type.body, ErrorXml("InvalidJob", "Invalid content type: PDF"));
    auto xml = Async("POST", "/job", {kXmlType}, "<jobInfo><operation>insert");
    EXPECT_EQ(xml.status, 400);
    EXPECT_EQ(XmlText(xml.body, "exceptionCode"), "InvalidXML");
    auto js = Async("POST", "/job", {kJsonType}, R"({"operation":)");
    EXPECT_EQ(js.status, 400);
    EXPECT_EQ(json::parse(js.body).at("exceptionCode"), "InvalidJob");
}

TEST_F(Bulk1Test, BadBatchRequestsAreInvalidBatchOrInvalidJobState) {
    const std::string job = CreateJob("insert", "Account");
    auto wrong_type = Async("POST", "/job/" + job + "/batch", {kJsonType}, R"([{"Name":"x"}])");
    EXPECT_EQ(wrong_type.status, 400);
    EXPECT_EQ(wrong_type.body,
              ErrorXml("InvalidBatch", "Unsupported content type application/json for a CSV job"));
    auto wrong_version = Fetch(org_.Port(),
                               "POST",
                               "/services/async/59.0/job/" + job + "/batch",
                               {kCsvType, "X-SFDC-Session: " + token_},
                               "Name\nx\n");
    EXPECT_EQ(XmlText(wrong_version.body, "exceptionCode"), "InvalidBatch");
    auto unknown = Async("GET", "/job/" + job + "/batch/751000000000000AAA");
    EXPECT_EQ(unknown.body, ErrorXml("InvalidBatch", "Invalid batch id: 751000000000000AAA"));
    Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    auto closed = Async("POST", "/job/" + job + "/batch", {kCsvType}, "Name\nx\n");
    EXPECT_EQ(closed.status, 400);
    EXPECT_EQ(closed.body, ErrorXml("InvalidJobState", "Job " + job + " is not open"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "numberBatchesTotal"), "0");
    // The empty batch list is the recorded self-closed element.
    auto list = Async("GET", "/job/" + job + "/batch");
    EXPECT_EQ(list.body,
              std::string(R"(<?xml version="1.0" encoding="UTF-8"?><batchInfoList)") +
                  "\n   xmlns=\"" + kNs + "\" />");
}

TEST_F(Bulk1Test, BatchesPastDailyBulkApiBatchesAreExceededQuota) {
    const std::string job = CreateJob("insert", "Account");
    auto& usage = org_.Org().BulkUsage();
    const long long before = usage.Used(server::bulk::BulkLimit::kBatches);
    AddBatch(job, kCsvType, "Name\nCounted\n");
    EXPECT_EQ(usage.Used(server::bulk::BulkLimit::kBatches), before + 1) << "each batch counts";
    usage.Count(server::bulk::BulkLimit::kBatches,
                usage.Remaining(server::bulk::BulkLimit::kBatches));
    auto r = Async("POST", "/job/" + job + "/batch", {kCsvType}, "Name\nRefused\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              ErrorXml("ExceededQuota",
                       "Exceeded the daily limit of Bulk API batches (DailyBulkApiBatches)"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "numberBatchesTotal"), "1");
}

// ---- ingest batches -------------------------------------------------------------------------

TEST_F(Bulk1Test, CsvBatchCompletesWithResultsInRequestOrder) {
    const std::string job = CreateJob("insert", "Account");
    // Quoted cells with quotes and a comma, an empty Name (the row fails), #N/A for null.
    const std::string batch = AddBatch(job,
                                       kCsvType,
                                       "Name,Phone\r\n\"Acme \"\"One\"\", Inc\",111\r\n,222\r\n"
                                       "Two,#N/A\r\n");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Completed") << info;
    EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "3");
    EXPECT_EQ(XmlText(info, "numberRecordsFailed"), "1");
    EXPECT_EQ(XmlText(info, "jobId"), job);

    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("text/csv", 0), 0u);
    const auto names = Column(
        "SELECT Id, Name FROM Account WHERE Phone = '111' OR Name = 'Two' "
        "ORDER BY Name",
        "Id");
    ASSERT_EQ(names.size(), 2u);
    const auto ids = Column(
        "SELECT Id FROM Account WHERE Name IN ('Acme \"One\", Inc', 'Two') ORDER BY Name", "Id");
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(r.body,
              "\"Id\",\"Success\",\"Created\",\"Error\"\n\"" + ids[0] +
                  "\",\"true\",\"true\",\"\"\n\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:"
                  "Required fields are missing: [Name]:Name --\"\n\"" +
                  ids[1] + "\",\"true\",\"true\",\"\"\n");
    EXPECT_EQ(Column("SELECT Phone FROM Account WHERE Name = 'Two'", "Phone"),
              std::vector<std::string>{"null"});

    // The job's counters, and the batch list.
    const std::string j = Async("GET", "/job/" + job).body;
    EXPECT_EQ(XmlText(j, "numberBatchesCompleted"), "1");
    EXPECT_EQ(XmlText(j, "numberBatchesTotal"), "1");
    EXPECT_EQ(XmlText(j, "numberBatchesQueued"), "0");
    EXPECT_EQ(XmlText(j, "numberRecordsProcessed"), "3");
    EXPECT_EQ(XmlText(j, "numberRecordsFailed"), "1");
    const std::string list = Async("GET", "/job/" + job + "/batch").body;
    EXPECT_EQ(XmlText(list, "id"), batch);
    // The request as it was sent.
    auto req = Async("GET", "/job/" + job + "/batch/" + batch + "/request");
    EXPECT_EQ(req.status, 200);
    EXPECT_EQ(req.body.substr(0, 12), "Name,Phone\r\n");
    // Closing after the batches finished: the job stays Closed (there is no Completed state).
    Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "state"), "Closed");
}

TEST_F(Bulk1Test, XmlBatchAnswersXmlResults) {
    const std::string job = CreateJob("insert", "Account", "XML");
    const std::string batch = AddBatch(job,
                                       kXmlType,
                                       std::string(R"(<sObjects xmlns=")") + kNs +
                                           R"("><sObject><Name>X1</Name></sObject>)"
                                           R"(<sObject><Name>X2</Name><Phone>9</Phone></sObject>)"
                                           "</sObjects>");
    EXPECT_EQ(XmlText(WaitXml(job, batch), "state"), "Completed");
    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto ids = Column("SELECT Id FROM Account WHERE Name IN ('X1','X2') ORDER BY Name", "Id");
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(r.body,
              std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)") + "\n<results xmlns=\"" +
                  kNs + "\">\n<result><id>" + ids[0] +
                  "</id><success>true</success><created>true</created></result>\n<result><id>" +
                  ids[1] +
                  "</id><success>true</success><created>true</created></result>\n</results>");
}

TEST_F(Bulk1Test, JsonBatchAnswersJsonBatchInfoAndResults) {
    const std::string job = CreateJob("insert", "Account", "JSON");
    auto created = Async("POST",
                         "/job/" + job + "/batch",
                         {kJsonType},
                         R"([{"Name":"J1","NumberOfEmployees":5},{"NumberOfEmployees":"x"}])");
    ASSERT_EQ(created.status, 201) << created.body;
    const json::object info = json::parse(created.body).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : info) {
        keys.emplace_back(k);
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"apexProcessingTime",
                                        "apiActiveProcessingTime",
                                        "createdDate",
                                        "id",
                                        "jobId",
                                        "numberRecordsFailed",
                                        "numberRecordsProcessed",
                                        "state",
                                        "stateMessage",
                                        "systemModstamp",
                                        "totalProcessingTime"}));
    const std::string batch(info.at("id").as_string());
    EXPECT_EQ(WaitJson(job, batch).at("state"), "Completed");
    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result", {kJsonType});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto ids = Column("SELECT Id FROM Account WHERE Name = 'J1'", "Id");
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(json::parse(r.body),
              json::parse(R"([{"success":true,"created":true,"id":")" + ids[0] +
                          R"(","errors":[]},{"success":false,"created":false,"id":null,)"
                          R"("errors":[{"statusCode":"INVALID_TYPE_ON_FIELD_IN_RECORD",)"
                          R"("message":"Employees: value not of required type: x",)"
                          R"("fields":["NumberOfEmployees"]}]}])"));
    auto list = Async("GET", "/job/" + job + "/batch", {kJsonType});
    EXPECT_EQ(json::parse(list.body).at("batchInfo").as_array().size(), 1u);
}

TEST_F(Bulk1Test, UpsertUpdateDeleteAndHardDelete) {
    const std::string up = CreateJob("upsert", "Invoice__c", "CSV", "ExtId__c");
    const std::string first =
        AddBatch(up, kCsvType, "ExtId__c,Due_Date__c,Amount__c\nE-1,2024-01-31,10\n");
    EXPECT_EQ(XmlText(WaitXml(up, first), "state"), "Completed");
    const std::string second =
        AddBatch(up, kCsvType, "ExtId__c,Due_Date__c,Amount__c\nE-1,2024-01-31,20\nE-2,,5\n");
    EXPECT_EQ(XmlText(WaitXml(up, second), "state"), "Completed");
    const auto ids = Column("SELECT Id FROM Invoice__c WHERE ExtId__c = 'E-1'", "Id");
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(Async("GET", "/job/" + up + "/batch/" + second + "/result").body,
              "\"Id\",\"Success\",\"Created\",\"Error\"\n\"" + ids[0] +
                  "\",\"true\",\"false\",\"\"\n\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:"
                  "Required fields are missing: [Due_Date__c]:Due_Date__c --\"\n");
    EXPECT_EQ(Amount("E-1"), 20);

    const std::string upd = CreateJob("update", "Invoice__c");
    const std::string u = AddBatch(
        upd,
        kCsvType,
        "Id,Amount__c\n" + ids[0] + ",30\n001000000000000AAA,1\n,2\na0B000000000001AAA,3\n");
    EXPECT_EQ(XmlText(WaitXml(upd, u), "numberRecordsFailed"), "3");
    const std::string ures = Async("GET", "/job/" + upd + "/batch/" + u + "/result").body;
    EXPECT_NE(ures.find("\"" + ids[0] + "\",\"true\",\"false\",\"\""), std::string::npos) << ures;
    EXPECT_NE(ures.find("MALFORMED_ID:"), std::string::npos) << ures;
    EXPECT_NE(ures.find("MISSING_ARGUMENT:Id not specified in an update call: --"),
              std::string::npos)
        << ures;
    EXPECT_EQ(Amount("E-1"), 30);

    const std::string del = CreateJob("delete", "Invoice__c");
    const std::string d = AddBatch(del, kCsvType, "Id\n" + ids[0] + "\n");
    EXPECT_EQ(XmlText(WaitXml(del, d), "numberRecordsFailed"), "0");
    EXPECT_TRUE(Column("SELECT Id FROM Invoice__c WHERE ExtId__c = 'E-1'", "Id").empty());
    EXPECT_EQ(AllRows("SELECT Id FROM Invoice__c WHERE ExtId__c = 'E-1'"), 1u)
        << "a delete keeps the record in the recycle bin";

    const std::string ins = CreateJob("insert", "Account");
    const std::string i = AddBatch(ins, kCsvType, "Name\nHard\n");
    WaitXml(ins, i);
    const auto hard = Column("SELECT Id FROM Account WHERE Name = 'Hard'", "Id");
    ASSERT_EQ(hard.size(), 1u);
    const std::string hd = CreateJob("hardDelete", "Account");
    const std::string h = AddBatch(hd, kCsvType, "Id\n" + hard[0] + "\n");
    EXPECT_EQ(XmlText(WaitXml(hd, h), "numberRecordsFailed"), "0");
    EXPECT_EQ(AllRows("SELECT Id FROM Account WHERE Name = 'Hard'"), 0u)
        << "a hard delete does not go to the recycle bin";
}

TEST_F(Bulk1Test, ABatchThatCannotBeReadFails) {
    const std::string job = CreateJob("insert", "Account");
    const std::string batch = AddBatch(job, kCsvType, "Name,Nope__c\nx,y\n");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Failed");
    EXPECT_EQ(XmlText(info, "stateMessage"), "InvalidBatch : Field name not found : Nope__c");
    EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "0");
    // <stateMessage> follows <state>.
    const auto children = XmlChildren(info);
    EXPECT_EQ(*(std::find(children.begin(), children.end(), "state") + 1), "stateMessage");
    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    EXPECT_EQ(r.body, ErrorXml("InvalidBatch", "Records not found for this batch"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "numberBatchesFailed"), "1");
    // A header without records, and a CSV that is not one.
    const std::string empty = AddBatch(job, kCsvType, "Name\n");
    EXPECT_EQ(XmlText(WaitXml(job, empty), "stateMessage"),
              "InvalidBatch : Records not found for this batch");
    const std::string bad = AddBatch(job, kCsvType, "Name\n\"open\n");
    EXPECT_EQ(XmlText(WaitXml(job, bad), "state"), "Failed");
}

// ---- query batches --------------------------------------------------------------------------

TEST_F(Bulk1Test, CsvQueryBatchListsResultIdsThenTheResultSet) {
    const std::string ins = CreateJob("insert", "Account");
    WaitXml(ins, AddBatch(ins, kCsvType, "Name,Phone\nQ1,1\nQ2,\n"));
    const std::string job = CreateJob("query", "Account");
    const std::string batch =
        AddBatch(job,
                 kCsvType,
                 "SELECT Id, Name, Phone, Owner.Name FROM Account WHERE Name LIKE 'Q%' "
                 "ORDER BY Name");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Completed") << info;
    EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "2");
    auto list = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    ASSERT_EQ(list.status, 200) << list.body;
    const std::string rid = XmlText(list.body, "result");
    EXPECT_EQ(rid.size(), 15u);
    EXPECT_EQ(rid.substr(0, 3), "752");
    EXPECT_EQ(list.body,
              std::string(R"(<?xml version="1.0" encoding="UTF-8"?><result-list)") +
                  "\n   xmlns=\"" + kNs + "\">\n <result>" + rid + "</result>\n</result-list>");
    auto rows = Async("GET", "/job/" + job + "/batch/" + batch + "/result/" + rid);
    ASSERT_EQ(rows.status, 200) << rows.body;
    EXPECT_EQ(rows.Header("Content-Type").rfind("text/csv", 0), 0u);
    const auto ids = Column("SELECT Id FROM Account WHERE Name LIKE 'Q%' ORDER BY Name", "Id");
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(rows.body,
              "\"Id\",\"Name\",\"Phone\",\"Owner.Name\"\n\"" + ids[0] +
                  "\",\"Q1\",\"1\",\"Ada Admin\"\n\"" + ids[1] + "\",\"Q2\",\"\",\"Ada Admin\"\n");
    auto wrong = Async("GET", "/job/" + job + "/batch/" + batch + "/result/752000000000000");
    EXPECT_EQ(wrong.body, ErrorXml("InvalidBatch", "Invalid result id: 752000000000000"));
    // The request of a query batch is its SOQL.
    EXPECT_EQ(Async("GET", "/job/" + job + "/batch/" + batch + "/request").body.substr(0, 16),
              "SELECT Id, Name,");
}

TEST_F(Bulk1Test, JsonQueryBatchAnswersRecordsWithAttributes) {
    const std::string ins = CreateJob("insert", "Account");
    WaitXml(ins, AddBatch(ins, kCsvType, "Name\nJQ1\n"));
    // simple-salesforce's calls (§5.6): JSON job, SOQL posted as application/json.
    auto created = Async("POST",
                         "/job",
                         {kJsonType},
                         R"({"operation":"query","object":"Account","concurrencyMode":0,)"
                         R"("contentType":"JSON"})");
    const std::string job(json::parse(created.body).at("id").as_string());
    const std::string batch =
        AddBatch(job, kJsonType, "SELECT Id, Name FROM Account WHERE Name = 'JQ1'");
    EXPECT_EQ(Async("POST", "/job/" + job, {kJsonType}, R"({"state":"Closed"})").status, 200);
    EXPECT_EQ(WaitJson(job, batch).at("state"), "Completed");
    auto list = Async("GET", "/job/" + job + "/batch/" + batch + "/result", {kJsonType});
    const json::array ids = json::parse(list.body).as_array();
    ASSERT_EQ(ids.size(), 1u);
    auto rows =
        Async("GET",
              "/job/" + job + "/batch/" + batch + "/result/" + std::string(ids[0].as_string()),
              {kJsonType});
    ASSERT_EQ(rows.status, 200) << rows.body;
    const auto id = Column("SELECT Id FROM Account WHERE Name = 'JQ1'", "Id");
    EXPECT_EQ(json::parse(rows.body),
              json::parse(R"([{"attributes":{"type":"Account","url":"/services/data/v60.0/)"
                          R"(sobjects/Account/)" +
                          id.at(0) + R"("},"Id":")" + id.at(0) + R"(","Name":"JQ1"}])"));
}

// Datetimes are epoch milliseconds in Bulk 1.0 JSON results (recorded), text in /query.
TEST_F(Bulk1Test, JsonQueryResultsCarryDatetimesAsEpochMilliseconds) {
    const std::string ins = CreateJob("insert", "Account");
    WaitXml(ins, AddBatch(ins, kCsvType, "Name\nWhen\n"));
    const std::string job = CreateJob("query", "Account", "JSON");
    const std::string batch =
        AddBatch(job, kJsonType, "SELECT Name, CreatedDate FROM Account WHERE Name = 'When'");
    EXPECT_EQ(WaitJson(job, batch).at("state"), "Completed");
    const std::string rid(
        json::parse(Async("GET", "/job/" + job + "/batch/" + batch + "/result", {kJsonType}).body)
            .as_array()
            .at(0)
            .as_string());
    const json::value rows = json::parse(
        Async("GET", "/job/" + job + "/batch/" + batch + "/result/" + rid, {kJsonType}).body);
    const json::value& created = rows.at(0).at("CreatedDate");
    ASSERT_TRUE(created.is_int64()) << json::serialize(rows);
    const std::string text =
        Column("SELECT CreatedDate FROM Account WHERE Name = 'When'", "CreatedDate").at(0);
    // `2026-12-07T16:22:45.000+0000`: the same instant.
    const auto t = server::ParseDateTime(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(created.as_int64(), t->time_since_epoch().count());
}

TEST_F(Bulk1Test, AQueryBatchWithBadSoqlFails) {
    const std::string job = CreateJob("query", "Account");
    const std::string batch = AddBatch(job, kCsvType, "SELECT Nope__c FROM Account");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Failed");
    EXPECT_EQ(XmlText(info, "stateMessage").rfind("InvalidBatch : Failed to process query: ", 0),
              0u)
        << info;
    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    EXPECT_EQ(r.body, ErrorXml("InvalidBatch", "Records not found for this batch"));
}

// ---- states without a worker, and restarts ---------------------------------------------------

TEST_F(Bulk1Test, AbortingAJobMakesItsQueuedBatchesNotProcessed) {
    org_.Org().Bulk().Stop();  // nothing runs: the batch stays Queued
    const std::string job = CreateJob("insert", "Account");
    const std::string batch = AddBatch(job, kCsvType, "Name\nNever\n");
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job + "/batch/" + batch).body, "state"), "Queued");
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "numberBatchesQueued"), "1");
    auto r = Async("GET", "/job/" + job + "/batch/" + batch + "/result");
    EXPECT_EQ(r.body, ErrorXml("InvalidBatch", "Batch not completed"));
    Async("POST", "/job/" + job, {kXmlType}, StateXml("Aborted"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job + "/batch/" + batch).body, "state"),
              "NotProcessed");
    const std::string j = Async("GET", "/job/" + job).body;
    EXPECT_EQ(XmlText(j, "state"), "Aborted");
    EXPECT_EQ(XmlText(j, "numberBatchesQueued"), "0");
    EXPECT_EQ(XmlText(j, "numberBatchesTotal"), "1");
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name = 'Never'", "Id").empty());
}

server::LocalOrgOptions DiskOptions(const std::string& dir) {
    server::LocalOrgOptions o = OnDiskOrgOptions(dir);
    o.org_def_file = TestDataPath("org-def-custom.json");
    return o;
}

TEST(Bulk1RestartTest, JobsBatchesAndResultsSurviveARestartAndQueuedBatchesResume) {
    TempDir dir;
    std::string job;
    std::string done;
    std::string query_job;
    std::string query_batch;
    std::string queued;
    std::string job_before;
    std::string result_before;
    std::string rows_before;
    auto wait =
        [&](TestOrg& org, const std::string& token, const std::string& j, const std::string& b) {
            for (int i = 0; i < 400; ++i) {
                const std::string s = XmlText(
                    AsyncCall(org, token, "GET", "/job/" + j + "/batch/" + b).body, "state");
                if (s == "Completed" || s == "Failed") {
                    return s;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            return std::string("timeout");
        };
    {
        TestOrg org(DiskOptions(dir.Path()));
        const std::string token = org.Login();
        job = XmlText(
            AsyncCall(org, token, "POST", "/job", {kXmlType}, JobXml("insert", "Account", "CSV"))
                .body,
            "id");
        done = XmlText(
            AsyncCall(org, token, "POST", "/job/" + job + "/batch", {kCsvType}, "Name\nKept\n")
                .body,
            "id");
        ASSERT_EQ(wait(org, token, job, done), "Completed");
        query_job = XmlText(
            AsyncCall(org, token, "POST", "/job", {kXmlType}, JobXml("query", "Account", "CSV"))
                .body,
            "id");
        query_batch = XmlText(AsyncCall(org,
                                        token,
                                        "POST",
                                        "/job/" + query_job + "/batch",
                                        {kCsvType},
                                        "SELECT Name FROM Account WHERE Name = 'Kept'")
                                  .body,
                              "id");
        ASSERT_EQ(wait(org, token, query_job, query_batch), "Completed");
        const std::string rid = XmlText(
            AsyncCall(org, token, "GET", "/job/" + query_job + "/batch/" + query_batch + "/result")
                .body,
            "result");
        rows_before =
            AsyncCall(
                org, token, "GET", "/job/" + query_job + "/batch/" + query_batch + "/result/" + rid)
                .body;
        EXPECT_EQ(rows_before, "\"Name\"\n\"Kept\"\n");
        // A batch that is still Queued when the org stops.
        org.Org().Bulk().Stop();
        queued = XmlText(
            AsyncCall(org, token, "POST", "/job/" + job + "/batch", {kCsvType}, "Name\nResumed\n")
                .body,
            "id");
        job_before = AsyncCall(org, token, "GET", "/job/" + job).body;
        EXPECT_EQ(XmlText(job_before, "numberBatchesQueued"), "1");
        result_before =
            AsyncCall(org, token, "GET", "/job/" + job + "/batch/" + done + "/result").body;
    }
    TestOrg org(DiskOptions(dir.Path()));
    const std::string token = org.Login();
    EXPECT_EQ(wait(org, token, job, queued), "Completed") << "the queued batch resumes";
    const std::string job_after = AsyncCall(org, token, "GET", "/job/" + job).body;
    EXPECT_EQ(XmlText(job_after, "createdDate"), XmlText(job_before, "createdDate"));
    EXPECT_EQ(XmlText(job_after, "numberBatchesCompleted"), "2");
    EXPECT_EQ(XmlText(job_after, "numberRecordsProcessed"), "2");
    EXPECT_EQ(AsyncCall(org, token, "GET", "/job/" + job + "/batch/" + done + "/result").body,
              result_before);
    const std::string rid = XmlText(
        AsyncCall(org, token, "GET", "/job/" + query_job + "/batch/" + query_batch + "/result")
            .body,
        "result");
    EXPECT_EQ(
        AsyncCall(
            org, token, "GET", "/job/" + query_job + "/batch/" + query_batch + "/result/" + rid)
            .body,
        rows_before);
}

}  // namespace
}  // namespace sfkit::test
