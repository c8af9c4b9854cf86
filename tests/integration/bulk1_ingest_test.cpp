// Wire tests of Bulk API 1.0 ingest batches beyond the basic shapes (bulk1_test.cpp): relationship
// columns in CSV, XML and JSON batches (read as Bulk 2.0 reads them), batches written in chunks
// of bulk_chunk_rows records (REST writes complete while a batch is half done; a stopped batch
// resumes after its last committed chunk), Serial jobs (one batch at a time, in order), and the
// 7-day lifespan of jobs and batches.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <zlib.h>

#include "server/bulk/async_spec.hpp"
#include "server/bulk/bulk_context.hpp"
#include "server/bulk/bulk_services.hpp"
#include "server/bulk/worker.hpp"
#include "support/bulk1_fixture.hpp"
#include "support/bulk_rows.hpp"
#include "support/subprocess.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

class Bulk1IngestTest : public Bulk1Test {
protected:
    Bulk1IngestTest() = default;
    explicit Bulk1IngestTest(server::LocalOrgOptions o) : Bulk1Test(std::move(o)) {}

    std::string Create(const std::string& object, const std::string& body) {
        auto r = Call("POST",
                      "/services/data/v60.0/sobjects/" + object,
                      {"Content-Type: application/json"},
                      body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }
    std::string Result(const std::string& job, const std::string& batch) {
        return Async("GET", "/job/" + job + "/batch/" + batch + "/result").body;
    }
};

TEST_F(Bulk1IngestTest, CsvRelationshipColumnsFindTheParentByAField) {
    const std::string acme = Create("Account", R"({"Name":"Rel Parent","Customer_Number__c":701})");
    const std::string job = CreateJob("insert", "Contact");
    const std::string batch =
        AddBatch(job, kCsvType, "LastName,Account.Customer_Number__c\nKid1,701\nOrphan,999\n");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Completed") << info;
    EXPECT_EQ(XmlText(info, "numberRecordsFailed"), "1");
    EXPECT_EQ(Column("SELECT AccountId FROM Contact WHERE LastName = 'Kid1'", "AccountId"),
              std::vector<std::string>{acme});
    const std::string kid = Column("SELECT Id FROM Contact WHERE LastName = 'Kid1'", "Id").at(0);
    EXPECT_EQ(Result(job, batch),
              "\"Id\",\"Success\",\"Created\",\"Error\"\n\"" + kid +
                  "\",\"true\",\"true\",\"\"\n\"\",\"false\",\"false\",\"INVALID_FIELD:Foreign "
                  "key external ID: 999 not found for field Customer_Number__c in entity "
                  "Account: --\"\n");

    // Polymorphic: the parent's type before the relationship (Lead.Owner is a User or Group).
    const std::string leads = CreateJob("insert", "Lead");
    const std::string lb = AddBatch(
        leads, kCsvType, "LastName,Company,User:Owner.Username\nPoly,Acme,admin@acme.test\n");
    EXPECT_EQ(XmlText(WaitXml(leads, lb), "numberRecordsFailed"), "0") << Result(leads, lb);
    const std::string admin = XmlText(Async("GET", "/job/" + leads).body, "createdById");
    EXPECT_EQ(Column("SELECT OwnerId FROM Lead WHERE LastName = 'Poly'", "OwnerId"),
              std::vector<std::string>{admin});

    // A relationship that does not exist is a header that names no field: the batch fails.
    const std::string bad = AddBatch(job, kCsvType, "LastName,Nope.Name\nX,Y\n");
    EXPECT_EQ(XmlText(WaitXml(job, bad), "stateMessage"),
              "InvalidBatch : Field name not found : Nope.Name");
}

TEST_F(Bulk1IngestTest, XmlAndJsonRecordsNameTheirParentInANestedRecord) {
    const std::string acme =
        Create("Account", R"({"Name":"Nest Parent","Customer_Number__c":702})");
    const std::string xml_job = CreateJob("insert", "Contact", "XML");
    const std::string xb =
        AddBatch(xml_job,
                 kXmlType,
                 std::string(R"(<sObjects xmlns=")") + kNs +
                     R"("><sObject><LastName>XKid</LastName><Account><sObject>)"
                     R"(<Customer_Number__c>702</Customer_Number__c></sObject></Account></sObject>)"
                     R"(<sObject><LastName>XKid2</LastName><Account><Customer_Number__c>702)"
                     R"(</Customer_Number__c></Account></sObject></sObjects>)");
    EXPECT_EQ(XmlText(WaitXml(xml_job, xb), "numberRecordsFailed"), "0") << Result(xml_job, xb);
    EXPECT_EQ(
        Column("SELECT AccountId FROM Contact WHERE LastName IN ('XKid','XKid2')", "AccountId"),
        (std::vector<std::string>{acme, acme}));

    const std::string lead_job = CreateJob("insert", "Lead", "XML");
    const std::string lb =
        AddBatch(lead_job,
                 kXmlType,
                 std::string(R"(<sObjects xmlns=")") + kNs +
                     R"("><sObject><LastName>XPoly</LastName><Company>C</Company><Owner><sObject>)"
                     R"(<type>User</type><Username>admin@acme.test</Username></sObject></Owner>)"
                     R"(</sObject></sObjects>)");
    EXPECT_EQ(XmlText(WaitXml(lead_job, lb), "numberRecordsFailed"), "0") << Result(lead_job, lb);
    EXPECT_EQ(
        Column("SELECT OwnerId FROM Lead WHERE LastName = 'XPoly'", "OwnerId"),
        std::vector<std::string>{XmlText(Async("GET", "/job/" + lead_job).body, "createdById")});

    const std::string json_job = CreateJob("insert", "Contact", "JSON");
    const std::string jb = AddBatch(json_job,
                                    kJsonType,
                                    R"([{"LastName":"JKid","Account":{"Customer_Number__c":702}},)"
                                    R"({"LastName":"JOrphan","Account":{"Customer_Number__c":9}},)"
                                    R"({"LastName":"JPlain","Email":null}])");
    const json::object info = WaitJson(json_job, jb);
    EXPECT_EQ(info.at("numberRecordsFailed"), 1);
    EXPECT_EQ(Column("SELECT AccountId FROM Contact WHERE LastName = 'JKid'", "AccountId"),
              std::vector<std::string>{acme});
    const json::value results = json::parse(
        Async("GET", "/job/" + json_job + "/batch/" + jb + "/result", {kJsonType}).body);
    ASSERT_EQ(results.as_array().size(), 3u);
    EXPECT_EQ(results.at(1).at("errors").at(0).at("statusCode"), "INVALID_FIELD");
    EXPECT_EQ(results.at(2).at("success"), true);
}

// ---- transformation specs -------------------------------------------------------------------

TEST_F(Bulk1IngestTest, ASpecMapsTheColumnsOfLaterCsvBatches) {
    const std::string job = CreateJob("insert", "Invoice__c");
    auto r = Async("POST",
                   "/job/" + job + "/spec",
                   {kCsvType},
                   "Salesforce Field,Csv Header,Value,Hint\n"
                   "ExtId__c,Number,,\n"
                   "Due_Date__c,Due,,dd MM yy\n"
                   "Paid__c,Settled,,[Yy]es\n"
                   "Notes__c,,Imported from XYZ.csv,\n"
                   "Amount__c,Total,7,\n");
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.body, "");
    // The batch's own headers; a column the spec does not name is not loaded.
    const std::string batch = AddBatch(job,
                                       kCsvType,
                                       "Number,Due,Settled,Total,Ignored\n"
                                       "S-1,31 01 24,Yes,12.5,x\n"
                                       "S-2,01 02 24,no,,y\n"
                                       "S-3,31/01/24,,,\n");
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Completed") << info;
    EXPECT_EQ(XmlText(info, "numberRecordsFailed"), "1") << info << Result(job, batch);
    EXPECT_NE(Result(job, batch)
                  .find("INVALID_TYPE_ON_FIELD_IN_RECORD:Due Date: value not of "
                        "required type: 31/01/24"),
              std::string::npos)
        << "a date not in the hint's pattern fails as written";
    const std::string soql =
        "SELECT ExtId__c, Due_Date__c, Paid__c, Notes__c, Amount__c FROM Invoice__c WHERE "
        "ExtId__c LIKE 'S-%' ORDER BY ExtId__c";
    EXPECT_EQ(Column(soql, "Due_Date__c"), (std::vector<std::string>{"2024-01-31", "2024-02-01"}));
    EXPECT_EQ(Column(soql, "Paid__c"), (std::vector<std::string>{"true", "false"}));
    EXPECT_EQ(Column(soql, "Notes__c"),
              (std::vector<std::string>{"Imported from XYZ.csv", "Imported from XYZ.csv"}));
    EXPECT_EQ(Column(soql, "Amount__c"), (std::vector<std::string>{"1.25E1", "7E0"}));
}

TEST_F(Bulk1IngestTest, ASpecThatIsNotOneIsRefused) {
    const std::string job = CreateJob("insert", "Account");
    // The Postman collection's example spec is for Contacts: Account has no Title.
    auto r = Async("POST",
                   "/job/" + job + "/spec",
                   {kCsvType},
                   "Salesforce Field,Csv Header,Value,Hint\nName,Full Name,,\nTitle,Job Title,,\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, ErrorXml("InvalidBatch", "Field name not found : Title"));
    r = Async("POST", "/job/" + job + "/spec", {kCsvType}, "Field,Header\nName,N\n");
    EXPECT_EQ(XmlText(r.body, "exceptionCode"), "InvalidBatch");
    const std::string xml_job = CreateJob("insert", "Account", "XML");
    r = Async("POST",
              "/job/" + xml_job + "/spec",
              {kCsvType},
              "Salesforce Field,Csv Header,Value,Hint\nName,N,,\n");
    EXPECT_EQ(XmlText(r.body, "exceptionCode"), "InvalidJob");
    Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    r = Async("POST",
              "/job/" + job + "/spec",
              {kCsvType},
              "Salesforce Field,Csv Header,Value,Hint\nName,N,,\n");
    EXPECT_EQ(XmlText(r.body, "exceptionCode"), "InvalidJobState");
}

TEST(Bulk1SpecTest, JavaDatePatterns) {
    using server::bulk1::ReadWithDatePattern;
    EXPECT_EQ(ReadWithDatePattern("31 01 24", "dd MM yy", false), "2024-01-31");
    EXPECT_EQ(ReadWithDatePattern("01-31-1999", "MM-dd-yyyy", false), "1999-01-31");
    EXPECT_EQ(ReadWithDatePattern("20240131", "yyyyMMdd", false), "2024-01-31");
    EXPECT_EQ(ReadWithDatePattern("7 Mar 2024", "d MMM yyyy", false), "2024-03-07");
    EXPECT_EQ(ReadWithDatePattern("2024/03/07 01:02:03 PM", "yyyy/MM/dd hh:mm:ss a", true),
              "2024-03-07T13:02:03.000Z");
    EXPECT_EQ(ReadWithDatePattern("2024-03-07 10:00 +0200", "yyyy-MM-dd HH:mm Z", true),
              "2024-03-07T08:00:00.000Z");
    EXPECT_EQ(ReadWithDatePattern("2024-02-30", "yyyy-MM-dd", false), "");
    EXPECT_EQ(ReadWithDatePattern("31/01/24", "dd MM yy", false), "");
}

// ---- gzip request bodies --------------------------------------------------------------------

std::string Gzip(const std::string& data) {
    z_stream z{};
    EXPECT_EQ(
        deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
        Z_OK);
    std::string out(deflateBound(&z, data.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

TEST_F(Bulk1IngestTest, GzipBatchBodiesAreInflated) {
    const std::string job = CreateJob("insert", "Account");
    auto r = Async("POST",
                   "/job/" + job + "/batch",
                   {kCsvType, "Content-Encoding: gzip"},
                   Gzip("Name,Phone\nZipped One,1\nZipped Two,2\n"));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string batch = XmlText(r.body, "id");
    EXPECT_EQ(XmlText(WaitXml(job, batch), "numberRecordsProcessed"), "2");
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Zipped %' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Zipped One", "Zipped Two"}));
    // The request is kept as it was meant: inflated.
    EXPECT_EQ(Async("GET", "/job/" + job + "/batch/" + batch + "/request").body,
              "Name,Phone\nZipped One,1\nZipped Two,2\n");
    // gzip magic, then no gzip data.
    r = Async("POST",
              "/job/" + job + "/batch",
              {kCsvType, "Content-Encoding: gzip"},
              std::string("\x1f\x8b\x08\x00garbage", 11));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(XmlText(r.body, "exceptionCode"), "ClientInputError") << r.body;
    // Past 10 MB once inflated (it compresses to a few kB).
    r = Async("POST",
              "/job/" + job + "/batch",
              {kCsvType, "Content-Encoding: gzip"},
              Gzip("Name\n" + std::string(10'000'001, 'a')));
    EXPECT_EQ(r.body, ErrorXml("InvalidBatch", "Exceeded max size limit of 10000000"));
}

TEST_F(Bulk1IngestTest, GzipBulk2UploadsAreInflated) {
    auto created = Call("POST",
                        "/services/data/v60.0/jobs/ingest",
                        {"Content-Type: application/json"},
                        R"({"object":"Account","operation":"insert"})");
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    auto put = Call("PUT",
                    "/services/data/v60.0/jobs/ingest/" + id + "/batches",
                    {"Content-Type: text/csv", "Content-Encoding: gzip"},
                    Gzip("Name\nGz2 One\nGz2 Two\nGz2 Three\n"));
    ASSERT_EQ(put.status, 201) << put.body;
    Call("PATCH",
         "/services/data/v60.0/jobs/ingest/" + id,
         {"Content-Type: application/json"},
         R"({"state":"UploadComplete"})");
    json::object job;
    for (int i = 0; i < 400; ++i) {
        job = json::parse(Call("GET", "/services/data/v60.0/jobs/ingest/" + id).body).as_object();
        if (job.at("state") == "JobComplete" || job.at("state") == "Failed") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(job.at("state"), "JobComplete") << json::serialize(job);
    EXPECT_EQ(job.at("numberRecordsProcessed"), 3);
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Gz2 %'", "Name").size(), 3u);
}

// ---- GET /jobs/ingest -----------------------------------------------------------------------

TEST_F(Bulk1IngestTest, GetAllIngestJobsListsBulk1JobsAsClassic) {
    auto v2 = [&] {
        auto r = Call("POST",
                      "/services/data/v60.0/jobs/ingest",
                      {"Content-Type: application/json"},
                      R"({"object":"Account","operation":"insert"})");
        EXPECT_EQ(r.status, 200) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    };
    const std::string first = v2();
    const std::string classic = CreateJob("upsert", "Invoice__c", "JSON", "ExtId__c", "Serial");
    const std::string last = v2();
    auto list = [&](const std::string& query) {
        auto l = Call("GET", "/services/data/v60.0/jobs/ingest" + query);
        EXPECT_EQ(l.status, 200) << l.body;
        return json::parse(l.body).as_object();
    };
    const json::object all = list("");
    EXPECT_EQ(all.at("done"), true);
    EXPECT_TRUE(all.at("nextRecordsUrl").is_null());
    std::vector<std::string> ids;
    std::vector<std::string> types;
    for (const auto& j : all.at("records").as_array()) {
        ids.emplace_back(j.at("id").as_string());
        types.emplace_back(j.at("jobType").as_string());
    }
    EXPECT_EQ(ids, (std::vector<std::string>{first, classic, last})) << "creation order";
    EXPECT_EQ(types, (std::vector<std::string>{"V2Ingest", "Classic", "V2Ingest"}));
    const json::object& c = all.at("records").at(1).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : c) {
        keys.emplace_back(k);
    }
    EXPECT_EQ(keys, BulkJobKeys({"jobType", "lineEnding", "columnDelimiter"}));
    EXPECT_EQ(c.at("operation"), "upsert");
    EXPECT_EQ(c.at("object"), "Invoice__c");
    EXPECT_EQ(c.at("state"), "Open");
    EXPECT_EQ(c.at("concurrencyMode"), "Serial");
    EXPECT_EQ(c.at("contentType"), "JSON");
    EXPECT_EQ(c.at("apiVersion"), 60.0);
    EXPECT_EQ(list("?jobType=Classic").at("records").as_array().size(), 1u);
    EXPECT_EQ(list("?jobType=V2Ingest").at("records").as_array().size(), 2u);
    EXPECT_EQ(list("?concurrencyMode=Serial").at("records").at(0).at("id").as_string(), classic);
    EXPECT_EQ(list("?concurrencyMode=Serial").at("records").as_array().size(), 1u);
    // Paging keys: the locator is the last id of the page before.
    const json::object after = list("?queryLocator=" + first);
    EXPECT_EQ(after.at("records").as_array().size(), 2u);
    EXPECT_EQ(after.at("records").at(0).at("id").as_string(), classic);
}

// ---- chunks ---------------------------------------------------------------------------------

/// Lets a test stop a batch after a chunk committed (LocalOrgOptions::bulk_chunk_committed):
/// every committed chunk is logged; with `hold` set, the worker waits in the hook after the
/// first chunk until the test releases it.
struct ChunkGate {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::string> log;
    bool hold = false;
    bool holding = false;
    bool released = false;

    void Committed(const std::string& batch) {
        std::unique_lock lock(mu);
        log.push_back(batch);
        if (hold && !released && !holding) {
            holding = true;
            cv.notify_all();
            cv.wait_for(lock, std::chrono::seconds(60), [&] { return released; });
        }
    }
    bool WaitHolding() {
        std::unique_lock lock(mu);
        return cv.wait_for(lock, std::chrono::seconds(60), [&] { return holding; });
    }
    void Release() {
        std::lock_guard lock(mu);
        released = true;
        cv.notify_all();
    }
    std::vector<std::string> Log() {
        std::lock_guard lock(mu);
        return log;
    }
};

server::LocalOrgOptions GateOptions(const std::shared_ptr<ChunkGate>& gate,
                                    server::LocalOrgOptions o) {
    o.bulk_chunk_rows = 100;
    o.bulk_chunk_committed = [gate](const std::string& batch) { gate->Committed(batch); };
    return o;
}

std::string Accounts(const std::string& prefix, int n) {
    std::string csv = "Name\n";
    for (int i = 0; i < n; ++i) {
        csv += prefix + std::to_string(i) + "\n";
    }
    return csv;
}

class Bulk1ChunkTest : public Bulk1IngestTest {
protected:
    Bulk1ChunkTest() : Bulk1ChunkTest(std::make_shared<ChunkGate>()) {}
    explicit Bulk1ChunkTest(std::shared_ptr<ChunkGate> gate)
        : Bulk1IngestTest(GateOptions(gate, Options())), gate_(std::move(gate)) {}

    std::shared_ptr<ChunkGate> gate_;
};

TEST_F(Bulk1ChunkTest, RestWritesCompleteWhileABatchIsHalfDone) {
    gate_->hold = true;
    const std::string job = CreateJob("insert", "Account");
    const std::string batch = AddBatch(job, kCsvType, Accounts("Chunked ", 1000));
    // The worker holds after the first chunk of 100 committed: the batch is half done.
    ASSERT_TRUE(gate_->WaitHolding());
    const std::string mid = Async("GET", "/job/" + job + "/batch/" + batch).body;
    EXPECT_EQ(XmlText(mid, "state"), "InProgress");
    EXPECT_EQ(XmlText(mid, "numberRecordsProcessed"), "100") << "progress shows per chunk";
    // A REST create completes while the batch is still being processed.
    auto created = Call("POST",
                        "/services/data/v60.0/sobjects/Account",
                        {"Content-Type: application/json"},
                        R"({"Name":"Interleaved"})");
    EXPECT_EQ(created.status, 201) << created.body;
    auto count =
        Call("GET",
             "/services/data/v60.0/query?q=" +
                 client::PercentEncode("SELECT COUNT() FROM Account WHERE Name LIKE 'Chunked %'"));
    EXPECT_EQ(json::parse(count.body).at("totalSize"), 100) << "the first chunk is committed";
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job + "/batch/" + batch).body, "state"), "InProgress")
        << "the create did not wait for the batch";
    gate_->Release();
    const std::string info = WaitXml(job, batch);
    EXPECT_EQ(XmlText(info, "state"), "Completed");
    EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "1000");
    EXPECT_EQ(gate_->Log().size(), 10u) << "ten chunks of 100";
    const std::string results = Result(job, batch);
    std::size_t rows = 0;
    for (std::size_t p = results.find("\"true\",\"true\""); p != std::string::npos;
         p = results.find("\"true\",\"true\"", p + 1)) {
        ++rows;
    }
    EXPECT_EQ(rows, 1000u) << "one result row per record, in request order";
    count =
        Call("GET",
             "/services/data/v60.0/query?q=" +
                 client::PercentEncode("SELECT COUNT() FROM Account WHERE Name LIKE 'Chunked %'"));
    EXPECT_EQ(json::parse(count.body).at("totalSize"), 1000);
}

TEST_F(Bulk1ChunkTest, ASerialJobRunsItsBatchesOneAtATimeInOrder) {
    gate_->hold = true;
    const std::string job = CreateJob("insert", "Account", "CSV", {}, "Serial");
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "concurrencyMode"), "Serial");
    const std::string b1 = AddBatch(job, kCsvType, Accounts("Serial A ", 300));
    ASSERT_TRUE(gate_->WaitHolding());
    const std::string b2 = AddBatch(job, kCsvType, Accounts("Serial B ", 300));
    const std::string b3 = AddBatch(job, kCsvType, Accounts("Serial C ", 100));
    // The worker has a free thread, but a Serial job's next batch waits for the one before it.
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(XmlText(Async("GET", "/job/" + job + "/batch/" + b2).body, "state"), "Queued");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    gate_->Release();
    for (const auto& b : {b1, b2, b3}) {
        EXPECT_EQ(XmlText(WaitXml(job, b), "state"), "Completed");
    }
    EXPECT_EQ(gate_->Log(), (std::vector<std::string>{b1, b1, b1, b2, b2, b2, b3}))
        << "every chunk of a batch before any of the next";
}

TEST(Bulk1ChunkRestartTest, AStoppedBatchResumesAfterItsLastCommittedChunk) {
    TempDir dir;
    auto gate = std::make_shared<ChunkGate>();
    gate->hold = true;
    server::LocalOrgOptions options = OnDiskOrgOptions(dir.Path());
    options.org_def_file = TestDataPath("org-def-custom.json");
    std::string job;
    std::string batch;
    {
        TestOrg org(GateOptions(gate, options));
        const std::string token = org.Login();
        job = XmlText(
            AsyncCall(org, token, "POST", "/job", {kXmlType}, JobXml("insert", "Account", "CSV"))
                .body,
            "id");
        batch = XmlText(
            AsyncCall(
                org, token, "POST", "/job/" + job + "/batch", {kCsvType}, Accounts("Resume ", 500))
                .body,
            "id");
        ASSERT_TRUE(gate->WaitHolding());
        // Stop the org's worker while the batch is held after its first chunk; released, the
        // batch sees the stop and ends at that chunk boundary.
        std::thread stopper([&] { org.Org().Bulk().Stop(); });
        while (!org.Org().Bulk().Context().worker.Stopping()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        gate->Release();
        stopper.join();
        const std::string info =
            AsyncCall(org, token, "GET", "/job/" + job + "/batch/" + batch).body;
        EXPECT_EQ(XmlText(info, "state"), "InProgress");
        EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "100");
    }
    TestOrg org(options);
    const std::string token = org.Login();
    std::string info;
    for (int i = 0; i < 400; ++i) {
        info = AsyncCall(org, token, "GET", "/job/" + job + "/batch/" + batch).body;
        if (XmlText(info, "state") == "Completed") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(XmlText(info, "state"), "Completed") << info;
    EXPECT_EQ(XmlText(info, "numberRecordsProcessed"), "500");
    const std::string results =
        AsyncCall(org, token, "GET", "/job/" + job + "/batch/" + batch + "/result").body;
    std::size_t lines = 0;
    for (char c : results) {
        lines += c == '\n' ? 1 : 0;
    }
    EXPECT_EQ(lines, 501u) << "the header and one row per record, none twice";
    auto count =
        Fetch(org.Port(),
              "GET",
              "/services/data/v60.0/query?q=" +
                  client::PercentEncode("SELECT COUNT() FROM Account WHERE Name LIKE 'Resume %'"),
              {"Authorization: Bearer " + token});
    EXPECT_EQ(json::parse(count.body).at("totalSize"), 500) << "no record written twice";
}

// ---- lifespan -------------------------------------------------------------------------------

class Bulk1LifespanTest : public Bulk1IngestTest {
protected:
    using Offset = std::shared_ptr<std::atomic<long long>>;  ///< hours added to the clock
    Bulk1LifespanTest() : Bulk1LifespanTest(std::make_shared<std::atomic<long long>>(0)) {}
    explicit Bulk1LifespanTest(Offset offset)
        : Bulk1IngestTest(ClockOptions(offset)), offset_(std::move(offset)) {}
    static server::LocalOrgOptions ClockOptions(const Offset& offset) {
        server::LocalOrgOptions o = Options();
        o.clock = [offset] {
            return std::chrono::system_clock::now() + std::chrono::hours(offset->load());
        };
        return o;
    }
    Offset offset_;
};

TEST_F(Bulk1LifespanTest, JobsGoSevenDaysAfterTheirYoungestBatch) {
    const std::string bare = CreateJob("insert", "Account");
    const std::string busy = CreateJob("insert", "Account");
    WaitXml(busy, AddBatch(busy, kCsvType, "Name\nLife 1\n"));
    offset_->store(6 * 24);
    const std::string late = AddBatch(busy, kCsvType, "Name\nLife 2\n");
    WaitXml(busy, late);
    offset_->store(7 * 24 + 1);
    CreateJob("insert", "Account");  // the check runs when a job is created (and at start)
    EXPECT_EQ(Async("GET", "/job/" + bare).body, ErrorXml("InvalidJob", "Invalid job id: " + bare))
        << "seven days after it was created, a job without batches is gone";
    EXPECT_EQ(XmlText(Async("GET", "/job/" + busy).body, "numberBatchesTotal"), "2")
        << "a job stays while its youngest batch is younger than seven days";
    offset_->store(13 * 24 + 1);
    CreateJob("insert", "Account");
    EXPECT_EQ(Async("GET", "/job/" + busy).body, ErrorXml("InvalidJob", "Invalid job id: " + busy));
    EXPECT_EQ(Async("GET", "/job/" + busy + "/batch/" + late + "/result").body,
              ErrorXml("InvalidJob", "Invalid job id: " + busy));
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Life %' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Life 1", "Life 2"}))
        << "the records stay";
}

}  // namespace
}  // namespace sfkit::test
