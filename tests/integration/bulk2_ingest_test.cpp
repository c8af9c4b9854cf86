// Wire tests of Bulk API 2.0 ingest (/services/data/vXX.X/jobs/ingest, bulk-wire.md §0 and §2)
// over HTTP against an org with the custom org definition (Invoice__c with the unique external
// id ExtId__c and a required date Due_Date__c; Account.Customer_Number__c, a non-unique numeric
// external id): job shapes, every state transition, the result CSVs, the CSV rules, errors,
// abort at a chunk boundary, and jobs that survive a restart. Chunks are 2 rows here so that a
// handful of rows runs through several transactions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"

#include "server/bulk/bulk_services.hpp"
#include "support/bulk_rows.hpp"
#include "support/process_memory.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

const std::string kData = "/services/data/v60.0";
const std::string kIngest = kData + "/jobs/ingest";
constexpr const char* kJson = "Content-Type: application/json; charset=utf-8";
constexpr const char* kCsv = "Content-Type: text/csv";

std::vector<std::string> Keys(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    return keys;
}

std::string Str(const json::value& v) {
    return std::string(v.as_string());
}

std::string BulkError(const std::string& code, const std::string& message) {
    return json::serialize(json::array{json::object{{"errorCode", code}, {"message", message}}});
}

/// A step queued on the bulk worker (one thread in these tests) that holds it until released,
/// so that a test can act between two steps of a job.
class WorkerGate {
public:
    explicit WorkerGate(server::LocalOrg& org) {
        org.Bulk().Context().worker.Post([this] {
            std::unique_lock lock(mu_);
            held_ = true;
            cv_.notify_all();
            cv_.wait(lock, [this] { return open_; });
        });
    }
    ~WorkerGate() { Open(); }
    /// Waits until the worker reached this gate.
    void WaitHeld() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return held_; });
    }
    void Open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool held_ = false;
    bool open_ = false;
};

class Bulk2IngestTest : public ::testing::Test {
protected:
    static server::LocalOrgOptions Options() {
        server::LocalOrgOptions options = TestOrg::DefaultOptions();
        options.org_def_file = TestDataPath("org-def-custom.json");
        options.bulk_chunk_rows = 2;
        options.bulk_threads = 1;
        return options;
    }
    Bulk2IngestTest() { Start(Options()); }

    void Start(const server::LocalOrgOptions& options) {
        org_.reset();
        org_ = std::make_unique<TestOrg>(options);
        token_ = org_->Login();
    }

    RawResponse Call(const std::string& method,
                     const std::string& target,
                     std::vector<std::string> headers = {},
                     const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + token_);
        return Fetch(org_->Port(), method, target, headers, body);
    }

    json::object CreateJob(const std::string& spec) {
        auto r = Call("POST", kIngest, {kJson}, spec);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).as_object();
    }
    std::string NewJob(const std::string& spec) {
        return std::string(CreateJob(spec).at("id").as_string());
    }
    void Upload(const std::string& id, const std::string& csv) {
        auto r = Call("PUT", kIngest + "/" + id + "/batches", {kCsv}, csv);
        EXPECT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.body, "");
    }
    json::object Patch(const std::string& id, const std::string& state, int status = 200) {
        auto r = Call("PATCH", kIngest + "/" + id, {kJson}, R"({"state":")" + state + R"("})");
        EXPECT_EQ(r.status, status) << r.body;
        return status == 200 ? json::parse(r.body).as_object() : json::object{};
    }
    json::object Job(const std::string& id) {
        auto r = Call("GET", kIngest + "/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).as_object();
    }
    /// Waits for the worker to finish everything queued, then reads the job.
    json::object Finished(const std::string& id) {
        org_->Org().Bulk().Drain();
        return Job(id);
    }
    /// Create, upload, close, wait: the job info at the end.
    json::object Run(const std::string& spec,
                     const std::string& csv,
                     std::string* id_out = nullptr) {
        const std::string id = NewJob(spec);
        Upload(id, csv);
        Patch(id, "UploadComplete");
        if (id_out != nullptr) {
            *id_out = id;
        }
        return Finished(id);
    }
    std::string Results(const std::string& id, const std::string& kind) {
        auto r = Call("GET", kIngest + "/" + id + "/" + kind);
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.Header("Content-Type"), "text/csv");
        return r.body;
    }
    std::vector<std::string> Column(const std::string& soql, const std::string& field) {
        auto r = Call("GET", kData + "/query?q=" + client::PercentEncode(soql));
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        const json::value parsed = json::parse(r.body);
        for (const auto& rec : parsed.at("records").as_array()) {
            const json::value& v = rec.at(field);
            out.push_back(v.is_string() ? std::string(v.as_string()) : json::serialize(v));
        }
        return out;
    }
    std::string CreateAccount(const std::string& fields) {
        auto r = Call("POST", kData + "/sobjects/Account", {kJson}, "{" + fields + "}");
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }

    std::unique_ptr<TestOrg> org_;
    std::string token_;
};

// ---- create, the job shapes --------------------------------------------------------------------

TEST_F(Bulk2IngestTest, CreateAppliesTheDefaultsAndAnswersTheDocumentedShape) {
    // jsforce sends only the caller's keys (§2.2): contentType, lineEnding and columnDelimiter
    // take their defaults.
    const json::object job = CreateJob(R"({"object":"Account","operation":"insert"})");
    EXPECT_EQ(Keys(job), BulkJobKeys({"contentUrl", "lineEnding", "columnDelimiter"}));
    const std::string id(job.at("id").as_string());
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "750");
    EXPECT_EQ(job.at("operation"), "insert");
    EXPECT_EQ(job.at("object"), "Account");
    EXPECT_EQ(Str(job.at("createdById")).substr(0, 3), "005");
    EXPECT_EQ(job.at("state"), "Open");
    EXPECT_EQ(job.at("concurrencyMode"), "Parallel");
    EXPECT_EQ(job.at("contentType"), "CSV");
    EXPECT_EQ(Str(job.at("contentUrl")), "services/data/v60.0/jobs/ingest/" + id + "/batches");
    EXPECT_EQ(job.at("lineEnding"), "LF");
    EXPECT_EQ(job.at("columnDelimiter"), "COMMA");
    // Timestamps `2022-01-02T21:57:03.000+0000`; apiVersion the number 60.0, written so.
    const std::string created(job.at("createdDate").as_string());
    EXPECT_EQ(created.size(), 28u);
    EXPECT_EQ(created.substr(19), ".000+0000") << created;
    auto raw = Call("GET", kIngest + "/" + id);
    EXPECT_NE(raw.body.find("\"apiVersion\":60.0,"), std::string::npos) << raw.body;
    EXPECT_EQ(raw.Header("Content-Type"), "application/json;charset=UTF-8");

    // sf's and simple-salesforce's bodies, with the external id of an upsert (§2.2).
    const json::object upsert = CreateJob(
        R"({"operation":"upsert","columnDelimiter":"PIPE","lineEnding":"CRLF",)"
        R"("externalIdFieldName":"customer_number__c","object":"account","contentType":"CSV"})");
    EXPECT_EQ(upsert.at("externalIdFieldName"), "Customer_Number__c");
    EXPECT_EQ(upsert.at("object"), "Account");
    EXPECT_EQ(upsert.at("columnDelimiter"), "PIPE");
    EXPECT_EQ(upsert.at("lineEnding"), "CRLF");
    EXPECT_EQ(Keys(upsert)[7], "externalIdFieldName");
}

TEST_F(Bulk2IngestTest, OpenJobInfoHasNoCountersAndTheContentUrl) {
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    const json::object job = Job(id);
    EXPECT_EQ(Keys(job),
              BulkJobKeys({"jobType",
                           "contentUrl",
                           "lineEnding",
                           "columnDelimiter",
                           "retries",
                           "totalProcessingTime",
                           "apiActiveProcessingTime",
                           "apexProcessingTime"}));
    EXPECT_EQ(job.at("jobType"), "V2Ingest");
}

// ---- insert, the whole life of a job
// -------------------------------------------------------------

TEST_F(Bulk2IngestTest, InsertJobRunsToJobCompleteWithTheDocumentedResults) {
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    Upload(id,
           "Name,Phone,NumberOfEmployees\nAcme,555-1,10\n,555-2,\nGlobex,,7\nInitech,555-4,x\n");
    // PATCH answers the job JSON, ending at apiVersion (§2.5).
    const json::object closed = Patch(id, "UploadComplete");
    EXPECT_EQ(closed.at("state"), "UploadComplete");
    EXPECT_EQ(Keys(closed).back(), "apiVersion");
    const json::object job = Finished(id);
    EXPECT_EQ(job.at("state"), "JobComplete");
    EXPECT_EQ(Keys(job),
              BulkJobKeys({"jobType",
                           "lineEnding",
                           "columnDelimiter",
                           "numberRecordsProcessed",
                           "numberRecordsFailed",
                           "retries",
                           "totalProcessingTime",
                           "apiActiveProcessingTime",
                           "apexProcessingTime"}));
    // Numbers, not strings (§0.5); failed rows count as processed.
    EXPECT_TRUE(job.at("numberRecordsProcessed").is_int64());
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 4);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 2);

    const auto names = Column(
        "SELECT Id, Name FROM Account WHERE Name IN ('Acme','Globex') "
        "ORDER BY Name",
        "Id");
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(Results(id, "successfulResults"),
              "\"sf__Id\",\"sf__Created\",Name,Phone,NumberOfEmployees\n"
              "\"" +
                  names[0] +
                  "\",\"true\",\"Acme\",\"555-1\",\"10\"\n"
                  "\"" +
                  names[1] + "\",\"true\",\"Globex\",\"\",\"7\"\n");
    // The failed row's error in `CODE:message:fields --` form, as a live org writes it (§2.9).
    EXPECT_EQ(Results(id, "failedResults"),
              "\"sf__Id\",\"sf__Error\",Name,Phone,NumberOfEmployees\n"
              "\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\","
              "\"\",\"555-2\",\"\"\n"
              "\"\",\"INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: "
              "x:NumberOfEmployees --\",\"Initech\",\"555-4\",\"x\"\n");
    EXPECT_EQ(Results(id, "unprocessedrecords"), "Name,Phone,NumberOfEmployees\n");
    // The derived values and audit fields of a single-record create.
    EXPECT_EQ(Column("SELECT OwnerId FROM Account WHERE Name = 'Acme'", "OwnerId"),
              std::vector<std::string>{std::string(job.at("createdById").as_string())});
}

TEST_F(Bulk2IngestTest, ResultsOfACleanJobAreHeaderOnly) {
    std::string id;
    const json::object job =
        Run(R"({"object":"Account","operation":"insert"})", "Name\nSolo\n", &id);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
    EXPECT_EQ(Results(id, "failedResults"), "\"sf__Id\",\"sf__Error\",Name\n");
    // simple-salesforce spells it unprocessedRecords (§2.1).
    EXPECT_EQ(Results(id, "unprocessedRecords"), "Name\n");
}

// ---- update, upsert, delete
// ------------------------------------------------------------------------

TEST_F(Bulk2IngestTest, UpdateIgnoresEmptyFieldsAndNullsNA) {
    const std::string a = CreateAccount(R"("Name":"Up A","Phone":"111","Region__c":"West")");
    const std::string b = CreateAccount(R"("Name":"Up B","Phone":"222","Region__c":"East")");
    std::string id;
    const json::object job =
        Run(R"({"object":"Account","operation":"update"})",
            "Id,Phone,Region__c\n" + a + ",,#N/A\n" + b + ",999,\n001000000000000AAA,1,x\n,2,y\n",
            &id);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 4);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 2);
    EXPECT_EQ(Column("SELECT Phone FROM Account WHERE Id = '" + a + "'", "Phone"),
              std::vector<std::string>{"111"});
    EXPECT_EQ(Column("SELECT Region__c FROM Account WHERE Id = '" + a + "'", "Region__c"),
              std::vector<std::string>{"null"});
    EXPECT_EQ(Column("SELECT Phone FROM Account WHERE Id = '" + b + "'", "Phone"),
              std::vector<std::string>{"999"});
    EXPECT_EQ(Column("SELECT Region__c FROM Account WHERE Id = '" + b + "'", "Region__c"),
              std::vector<std::string>{"East"});
    EXPECT_EQ(Results(id, "successfulResults"),
              "\"sf__Id\",\"sf__Created\",Id,Phone,Region__c\n"
              "\"" +
                  a + "\",\"false\",\"" + a +
                  "\",\"\",\"#N/A\"\n"
                  "\"" +
                  b + "\",\"false\",\"" + b + "\",\"999\",\"\"\n");
    // A failed update shows the row's Id (recorded from a live org, §2.9).
    EXPECT_EQ(Results(id, "failedResults"),
              "\"sf__Id\",\"sf__Error\",Id,Phone,Region__c\n"
              "\"001000000000000AAA\",\"INVALID_CROSS_REFERENCE_KEY:invalid cross reference "
              "id:--\",\"001000000000000AAA\",\"1\",\"x\"\n"
              "\"\",\"MISSING_ARGUMENT:Id not specified in an update call:--\",\"\",\"2\",\"y\"\n");
}

TEST_F(Bulk2IngestTest, UpsertByExternalIdCreatesAndUpdates) {
    const std::string existing = CreateAccount(R"("Name":"Ups Old","Customer_Number__c":41)");
    std::string id;
    const json::object job = Run(
        R"({"object":"Account","operation":"upsert","externalIdFieldName":"Customer_Number__c"})",
        "Customer_Number__c,Name\n41,Ups Renamed\n42,Ups New\n,Ups NoKey\n",
        &id);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 3);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 1);
    const auto created = Column("SELECT Id FROM Account WHERE Customer_Number__c = 42", "Id");
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Id = '" + existing + "'", "Name"),
              std::vector<std::string>{"Ups Renamed"});
    EXPECT_EQ(Results(id, "successfulResults"),
              "\"sf__Id\",\"sf__Created\",Customer_Number__c,Name\n"
              "\"" +
                  existing +
                  "\",\"false\",\"41\",\"Ups Renamed\"\n"
                  "\"" +
                  created[0] + "\",\"true\",\"42\",\"Ups New\"\n");
    EXPECT_EQ(Results(id, "failedResults"),
              "\"sf__Id\",\"sf__Error\",Customer_Number__c,Name\n"
              "\"\",\"MISSING_ARGUMENT:Customer_Number__c not specified:--\",\"\",\"Ups NoKey\"\n");

    // Upsert on Id (simple-salesforce's default, sf --external-id Id): an empty Id inserts.
    const json::object by_id =
        Run(R"({"object":"Account","operation":"upsert","externalIdFieldName":"Id"})",
            "Id,Name\n" + existing + ",Ups Via Id\n,Ups Fresh\n",
            &id);
    EXPECT_EQ(by_id.at("numberRecordsFailed").as_int64(), 0);
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Id = '" + existing + "'", "Name"),
              std::vector<std::string>{"Ups Via Id"});
    const std::string ok = Results(id, "successfulResults");
    EXPECT_NE(ok.find("\"" + existing + "\",\"false\","), std::string::npos) << ok;
    EXPECT_NE(ok.find("\",\"true\",\"\",\"Ups Fresh\""), std::string::npos) << ok;
}

TEST_F(Bulk2IngestTest, DeleteAndHardDelete) {
    const std::string a = CreateAccount(R"("Name":"Del A")");
    const std::string b = CreateAccount(R"("Name":"Del B")");
    std::string id;
    const json::object job = Run(
        R"({"object":"Account","operation":"delete"})", "Id\n" + a + "\n001000000000000AAA\n", &id);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 2);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 1);
    EXPECT_EQ(Results(id, "successfulResults"),
              "\"sf__Id\",\"sf__Created\",Id\n\"" + a + "\",\"false\",\"" + a + "\"\n");
    // As a live org answers `sf data delete bulk` for an id that names no record (§2.9).
    EXPECT_EQ(Results(id, "failedResults"),
              "\"sf__Id\",\"sf__Error\",Id\n\"001000000000000AAA\",\"INVALID_CROSS_REFERENCE_KEY:"
              "invalid cross reference id:--\",\"001000000000000AAA\"\n");
    // A soft delete: in the recycle bin (queryAll sees it).
    auto all = Call("GET",
                    kData + "/queryAll?q=" +
                        client::PercentEncode("SELECT Id FROM Account WHERE Id = '" + a + "'"));
    EXPECT_EQ(json::parse(all.body).at("totalSize").as_int64(), 1) << all.body;

    const json::object hard =
        Run(R"({"object":"Account","operation":"hardDelete"})", "Id\n" + b + "\n", &id);
    EXPECT_EQ(hard.at("numberRecordsFailed").as_int64(), 0);
    all = Call("GET",
               kData + "/queryAll?q=" +
                   client::PercentEncode("SELECT Id FROM Account WHERE Id = '" + b + "'"));
    EXPECT_EQ(json::parse(all.body).at("totalSize").as_int64(), 0) << all.body;
}

// ---- CSV rules (§2.10)
// -----------------------------------------------------------------------------

TEST_F(Bulk2IngestTest, EveryDelimiterAndLineEndingWithQuotingBomAndHeaderCase) {
    const std::vector<std::pair<std::string, char>> delimiters = {{"COMMA", ','},
                                                                  {"TAB", '\t'},
                                                                  {"PIPE", '|'},
                                                                  {"SEMICOLON", ';'},
                                                                  {"CARET", '^'},
                                                                  {"BACKQUOTE", '`'}};
    int n = 0;
    for (const auto& [name, d] : delimiters) {
        for (const std::string eol : {"\n", "\r\n"}) {
            ++n;
            const std::string tag = "Delim " + std::to_string(n);
            const std::string csv = std::string("\xEF\xBB\xBF") + "NAME" + d + "description" + eol +
                                    "\"" + tag + d + " Inc\"" + d + "\"line one" + eol +
                                    "say \"\"hi\"\"\"" + eol;
            std::string id;
            const json::object job =
                Run(R"({"object":"Account","operation":"insert","columnDelimiter":")" + name +
                        R"(","lineEnding":")" + (eol == "\n" ? "LF" : "CRLF") + R"("})",
                    csv,
                    &id);
            ASSERT_EQ(job.at("state"), "JobComplete") << name << ": " << job.at("errorMessage");
            EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0) << Results(id, "failedResults");
            EXPECT_EQ(Column("SELECT Description FROM Account WHERE Name = '" + tag +
                                 std::string(1, d) + " Inc'",
                             "Description"),
                      std::vector<std::string>{"line one" + eol + "say \"hi\""})
                << name;
            // Results use the job's delimiter and line ending; headers as uploaded.
            const std::string ok = Results(id, "successfulResults");
            const std::string head = std::string("\"sf__Id\"") + d + "\"sf__Created\"" + d +
                                     "NAME" + d + "description" + eol;
            EXPECT_EQ(ok.substr(0, head.size()), head) << name;
        }
    }
}

TEST_F(Bulk2IngestTest, RelationshipColumnsFindTheParentByAField) {
    const std::string acme = CreateAccount(R"("Name":"Rel Parent","Customer_Number__c":501)");
    std::string id;
    const json::object job = Run(R"({"object":"Contact","operation":"insert"})",
                                 "LastName,Account.Customer_Number__c\nKid,501\nOrphan,999\n",
                                 &id);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 1);
    EXPECT_EQ(Column("SELECT AccountId FROM Contact WHERE LastName = 'Kid'", "AccountId"),
              std::vector<std::string>{acme});
    EXPECT_EQ(Results(id, "failedResults"),
              "\"sf__Id\",\"sf__Error\",LastName,Account.Customer_Number__c\n"
              "\"\",\"INVALID_FIELD:Foreign key external ID: 999 not found for field "
              "Customer_Number__c in entity Account:--\",\"Orphan\",\"999\"\n");
    // A polymorphic reference names the parent's type: Lead.OwnerId -> Group or User.
    const json::object lead =
        Run(R"({"object":"Lead","operation":"insert"})",
            "LastName,Company,User:Owner.Username\nPoly,Acme,admin@acme.test\n",
            &id);
    EXPECT_EQ(lead.at("numberRecordsFailed").as_int64(), 0) << Results(id, "failedResults");
    EXPECT_EQ(Column("SELECT OwnerId FROM Lead WHERE LastName = 'Poly'", "OwnerId"),
              std::vector<std::string>{std::string(lead.at("createdById").as_string())});
}

TEST_F(Bulk2IngestTest, SalesforceDateFormats) {
    std::string id;
    const json::object job =
        Run(R"({"object":"Invoice__c","operation":"insert"})",
            "ExtId__c,Due_Date__c\nD-1,2024-01-31\nD-2,1940-06-07Z\nD-3,31/01/2024\n",
            &id);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 1);
    EXPECT_EQ(Column("SELECT Due_Date__c FROM Invoice__c WHERE ExtId__c IN ('D-1','D-2') ORDER BY "
                     "ExtId__c",
                     "Due_Date__c"),
              (std::vector<std::string>{"2024-01-31", "1940-06-07"}));
    EXPECT_NE(Results(id, "failedResults")
                  .find("INVALID_TYPE_ON_FIELD_IN_RECORD:Due Date: value not of required type: "
                        "31/01/2024:Due_Date__c --"),
              std::string::npos);
}

TEST_F(Bulk2IngestTest, AnUnknownColumnFailsTheJob) {
    const json::object job =
        Run(R"({"object":"Account","operation":"insert"})", "Name,Nope\nA,b\n");
    EXPECT_EQ(job.at("state"), "Failed");
    EXPECT_EQ(job.at("errorMessage"), "InvalidBatch : Field name not found : Nope");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 0);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
}

TEST_F(Bulk2IngestTest, AJobClosedWithoutDataFailsAndCanBeDeleted) {
    for (const bool empty_put : {false, true}) {
        const std::string id = NewJob(R"({"object":"Asset","operation":"update"})");
        if (empty_put) {
            Upload(id, "");  // the Postman collection's empty file placeholder
        }
        Patch(id, "UploadComplete");
        const json::object job = Finished(id);
        EXPECT_EQ(job.at("state"), "Failed");
        EXPECT_EQ(job.at("errorMessage"), "InvalidBatch : No data was uploaded to the job");
        EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 0);
        EXPECT_EQ(Results(id, "successfulResults"), "\"sf__Id\",\"sf__Created\"\n");
        EXPECT_EQ(Results(id, "unprocessedrecords"), "");
        EXPECT_EQ(Call("DELETE", kIngest + "/" + id).status, 204);
    }
}

TEST_F(Bulk2IngestTest, MalformedCsvFailsTheJobAfterTheRowsBeforeIt) {
    std::string id;
    const json::object job = Run(R"({"object":"Account","operation":"insert"})",
                                 "Name,Phone\nGood 1,1\nGood 2,2\nGood 3,3\n\"Bad\" ,4\nLater,5\n",
                                 &id);
    EXPECT_EQ(job.at("state"), "Failed");
    EXPECT_EQ(job.at("errorMessage"),
              "InvalidBatch : Unexpected ' ' after a closing quote at row 2, column 1");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 3);
    EXPECT_EQ(Results(id, "unprocessedrecords"), "Name,Phone\n\"Bad\" ,4\nLater,5\n");
}

// ---- states and HTTP-level errors (§2.6, §2.12)
// ----------------------------------------------------

TEST_F(Bulk2IngestTest, ErrorsAsSalesforceAnswersThem) {
    auto r = Call("GET", kIngest + "/750000000000000AAA");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, BulkError("NOT_FOUND", "The requested resource does not exist"));

    // Delete before the job is terminal.
    const std::string open = NewJob(R"({"object":"Account","operation":"insert"})");
    r = Call("DELETE", kIngest + "/" + open);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              BulkError("API_ERROR",
                        "Error encountered when deleting the job because the job is not "
                        "terminated"));

    // Abort a completed job.
    std::string done;
    Run(R"({"object":"Account","operation":"insert"})", "Name\nErr A\n", &done);
    r = Call("PATCH", kIngest + "/" + done, {kJson}, R"({"state":"Aborted"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, BulkError("INVALIDJOBSTATE", "Aborting already Completed Job not allowed"));
    // Upload to a job that is not Open.
    r = Call("PUT", kIngest + "/" + done + "/batches", {kCsv}, "Name\nX\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALIDJOBSTATE"), std::string::npos);

    // Delete a complete job: 204, then it is gone.
    r = Call("DELETE", kIngest + "/" + done);
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.body, "");
    r = Call("GET", kIngest + "/" + done);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, BulkError("NOT_FOUND", "The requested resource does not exist"));
    EXPECT_EQ(Call("GET", kIngest + "/" + done + "/successfulResults").status, 404);

    // Create refusals.
    const auto refused = [&](const std::string& spec, const std::string& message) {
        auto c = Call("POST", kIngest, {kJson}, spec);
        EXPECT_EQ(c.status, 400) << spec;
        EXPECT_EQ(c.body, BulkError("INVALIDJOB", message)) << spec;
    };
    refused(R"({"object":"Nope__c","operation":"insert"})", "Unable to find object: Nope__c");
    refused(R"({"object":"Account","operation":"merge"})", "Invalid operation: merge");
    refused(R"({"object":"Account","operation":"upsert"})",
            "External ID was blank for Account. An External ID must be specified for upsert.");
    refused(R"({"object":"Account","operation":"upsert","externalIdFieldName":"Phone"})",
            "Field name provided, Phone does not match an External ID, Salesforce Id, or "
            "indexed field for Account");
    refused(R"({"object":"Account","operation":"insert","columnDelimiter":"COLON"})",
            "Invalid columnDelimiter: COLON");
    refused(R"({"object":"Account","operation":"insert","lineEnding":"CR"})",
            "Invalid lineEnding: CR");
    refused(R"({"object":"Account","operation":"insert","contentType":"JSON"})",
            "Invalid contentType: JSON. Bulk API 2.0 ingest accepts CSV only");
    r = Call("POST", kIngest, {kJson}, "{\"object\":");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("JSON_PARSER_ERROR"), std::string::npos);
    // Bulk API 2.0 starts at 41.0.
    EXPECT_EQ(Call("GET", "/services/data/v40.0/jobs/ingest").status, 404);
    // Without a session: 401 INVALID_SESSION_ID (jsforce refreshes on it, §0.11).
    r = Fetch(org_->Port(), "GET", kIngest);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("INVALID_SESSION_ID"), std::string::npos);
}

TEST_F(Bulk2IngestTest, OneUploadPerJobAndAbortFromOpen) {
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    Upload(id, "Name\nOnce\n");
    auto r = Call("PUT", kIngest + "/" + id + "/batches", {kCsv}, "Name\nTwice\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALIDJOBSTATE"), std::string::npos);
    const json::object aborted = Patch(id, "Aborted");
    EXPECT_EQ(aborted.at("state"), "Aborted");
    EXPECT_EQ(Keys(aborted).back(), "apiVersion");
    const json::object job = Finished(id);
    EXPECT_EQ(job.at("state"), "Aborted");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 0);
    EXPECT_EQ(Results(id, "unprocessedrecords"), "Name\nOnce\n");
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name = 'Once'", "Id").empty());
    // Closing an aborted job is refused; deleting it is allowed.
    Patch(id, "UploadComplete", 400);
    EXPECT_EQ(Call("DELETE", kIngest + "/" + id).status, 204);
}

TEST_F(Bulk2IngestTest, AbortMidwayStopsAtAChunkBoundary) {
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    Upload(id, "Name\nMid 1\nMid 2\nMid 3\nMid 4\nMid 5\nMid 6\n");
    {
        WorkerGate first(org_->Org());
        first.WaitHeld();
        Patch(id, "UploadComplete");  // step 1 queued behind the first gate
        // Never Open again once closed (§0.8).
        EXPECT_EQ(Job(id).at("state"), "UploadComplete");
        WorkerGate second(org_->Org());  // behind step 1; step 1 posts step 2 behind it
        first.Open();
        second.WaitHeld();
        const json::object running = Job(id);
        EXPECT_EQ(running.at("state"), "InProgress");
        EXPECT_EQ(running.at("numberRecordsProcessed").as_int64(), 2);
        Patch(id, "Aborted");
    }
    const json::object job = Finished(id);
    EXPECT_EQ(job.at("state"), "Aborted");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 2);
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Mid %' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Mid 1", "Mid 2"}));
    EXPECT_EQ(Results(id, "unprocessedrecords"), "Name\nMid 3\nMid 4\nMid 5\nMid 6\n");
    EXPECT_EQ(Results(id, "successfulResults").substr(0, 27), "\"sf__Id\",\"sf__Created\",Name");
}

TEST_F(Bulk2IngestTest, MultipartCreateClosesTheJobAtOnce) {
    const std::string body =
        "--BOUNDARY\r\nContent-Type: application/json\r\nContent-Disposition: form-data; "
        "name=\"job\"\r\n\r\n{\"object\":\"Account\",\"operation\":\"insert\"}\r\n"
        "--BOUNDARY\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name=\"content\"; "
        "filename=\"content\"\r\n\r\nName\nMulti 1\nMulti 2\n\r\n--BOUNDARY--\r\n";
    auto r = Call("POST", kIngest, {"Content-Type: multipart/form-data; boundary=BOUNDARY"}, body);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object created = json::parse(r.body).as_object();
    EXPECT_EQ(created.at("state"), "UploadComplete");
    EXPECT_FALSE(created.contains("contentUrl"));
    const json::object job = Finished(std::string(created.at("id").as_string()));
    EXPECT_EQ(job.at("state"), "JobComplete");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 2);
}

TEST_F(Bulk2IngestTest, ListJobs) {
    const std::string a = NewJob(R"({"object":"Account","operation":"insert"})");
    const std::string b = NewJob(R"({"object":"Contact","operation":"delete"})");
    auto r = Call("GET", kIngest);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object list = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(list), (std::vector<std::string>{"done", "records", "nextRecordsUrl"}));
    EXPECT_EQ(list.at("done"), true);
    EXPECT_TRUE(list.at("nextRecordsUrl").is_null());
    const auto& records = list.at("records").as_array();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(Str(records[0].at("id")), a);
    EXPECT_EQ(Str(records[1].at("id")), b);
    EXPECT_EQ(Keys(records[1].as_object()).back(), "columnDelimiter");
    EXPECT_EQ(records[1].at("jobType"), "V2Ingest");
    EXPECT_FALSE(records[1].as_object().contains("numberRecordsProcessed"));
    // Another jobType lists none of these.
    r = Call("GET", kIngest + "?jobType=Classic");
    EXPECT_TRUE(json::parse(r.body).at("records").as_array().empty());
}

TEST_F(Bulk2IngestTest, ListJobsPagesByAThousand) {
    std::vector<std::string> ids;
    for (int i = 0; i < 1001; ++i) {
        ids.push_back(NewJob(R"({"object":"Account","operation":"insert"})"));
    }
    auto r = Call("GET", kIngest);
    ASSERT_EQ(r.status, 200);
    json::object page = json::parse(r.body).as_object();
    EXPECT_EQ(page.at("done"), false);
    const auto& first = page.at("records").as_array();
    ASSERT_EQ(first.size(), 1000u);
    EXPECT_EQ(Str(first[0].at("id")), ids[0]);
    EXPECT_EQ(Str(first[999].at("id")), ids[999]);
    // An absolute path, unlike contentUrl (§2.8).
    const std::string next = Str(page.at("nextRecordsUrl"));
    EXPECT_EQ(next, kIngest + "?queryLocator=" + ids[999]);
    r = Call("GET", next);
    ASSERT_EQ(r.status, 200);
    page = json::parse(r.body).as_object();
    EXPECT_EQ(page.at("done"), true);
    EXPECT_TRUE(page.at("nextRecordsUrl").is_null());
    ASSERT_EQ(page.at("records").as_array().size(), 1u);
    EXPECT_EQ(Str(page.at("records").as_array()[0].at("id")), ids[1000]);
}

// ---- uploads and results streamed through files ------------------------------------------------

/// Row `i` of a large upload: a name and a 30,000-character description (about 30 KB a row).
std::string BigRow(std::size_t i) {
    return "Big " + std::to_string(i) + "," + std::string(30000, static_cast<char>('a' + i % 26)) +
           "\n";
}

TEST_F(Bulk2IngestTest, AnUploadOver64MbStreamsToDiskAndItsResultsStreamBack) {
    server::LocalOrgOptions options = Options();
    options.bulk_chunk_rows = 10000;
    Start(options);
    constexpr std::size_t kRows = 2400;  // about 72 MB: beyond the 64 MB in-memory body limit
    const std::string header = "Name,Description\n";
    std::uint64_t total = header.size();
    for (std::size_t i = 0; i < kRows; ++i) {
        total += BigRow(i).size();
    }
    ASSERT_GT(total, 64u * 1024 * 1024);
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");

    ASSERT_TRUE(ResetPeakRss());
    long before = StatusKb("VmRSS");
    {
        RawConnection c(org_->Port());
        c.Send("PUT " + kIngest + "/" + id + "/batches HTTP/1.1\r\nHost: h\r\n" + kCsv +
               "\r\nAuthorization: Bearer " + token_ +
               "\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n" + header);
        for (std::size_t i = 0; i < kRows; ++i) {
            c.Send(BigRow(i));
        }
        const RawResponse r = c.Read();
        EXPECT_EQ(r.status, 201) << r.body;
        EXPECT_EQ(r.body, "");
    }
    long peak = StatusKb("VmHWM");
    // The whole process (server and this client) grew by far less than the upload.
    EXPECT_LT(peak - before, 32 * 1024)
        << "upload: VmRSS before " << before << " kB, peak " << peak;
    std::printf("72 MB upload: process peak RSS grew by %ld kB\n", peak - before);

    Patch(id, "UploadComplete");
    const json::object job = Finished(id);
    ASSERT_EQ(job.at("state"), "JobComplete") << json::serialize(job);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), static_cast<std::int64_t>(kRows));
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);

    // The successful results (about 72 MB: the values echoed) stream from their file.
    ASSERT_TRUE(ResetPeakRss());
    before = StatusKb("VmRSS");
    std::uint64_t bytes = 0;
    std::size_t lines = 0;
    std::string head;
    RawConnection c(org_->Port());
    c.Send("GET " + kIngest + "/" + id + "/successfulResults HTTP/1.1\r\nHost: h\r\n" +
           "Authorization: Bearer " + token_ + "\r\n\r\n");
    const RawResponse r = c.ReadTo([&](std::string_view piece) {
        if (head.size() < 64) {
            head.append(piece.substr(0, 64 - head.size()));
        }
        bytes += piece.size();
        lines += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
    });
    peak = StatusKb("VmHWM");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.Header("Content-Type"), "text/csv");
    EXPECT_EQ(r.Header("Content-Length"), std::to_string(bytes));
    EXPECT_EQ(head.rfind("\"sf__Id\",\"sf__Created\",Name,Description\n\"001", 0), 0u) << head;
    EXPECT_EQ(lines, kRows + 1);
    EXPECT_GT(bytes, total);
    EXPECT_LT(peak - before, 32 * 1024)
        << "results: VmRSS before " << before << " kB, peak " << peak;
    std::printf("72 MB results download: process peak RSS grew by %ld kB\n", peak - before);
}

TEST_F(Bulk2IngestTest, AnUploadOver150MbIsRefusedAndTheJobStillTakesOne) {
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    RawConnection c(org_->Port());
    const RawResponse r =
        c.Exchange("PUT " + kIngest + "/" + id + "/batches HTTP/1.1\r\nHost: h\r\n" + kCsv +
                   "\r\nAuthorization: Bearer " + token_ +
                   "\r\nContent-Length: " + std::to_string(150ull * 1024 * 1024 + 1) + "\r\n\r\n");
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("REQUEST_ENTITY_TOO_LARGE"), std::string::npos) << r.body;
    EXPECT_FALSE(Job(id).contains("numberRecordsProcessed"));
    EXPECT_EQ(Job(id).at("state"), "Open");
    const json::object job = [&] {
        Upload(id, "Name\nAfter 413\n");
        Patch(id, "UploadComplete");
        return Finished(id);
    }();
    EXPECT_EQ(job.at("state"), "JobComplete");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 1);
}

// ---- restarts
// ------------------------------------------------------------------------------------

class Bulk2RestartTest : public Bulk2IngestTest {
protected:
    server::LocalOrgOptions OnDisk() {
        server::LocalOrgOptions options = OnDiskOrgOptions(dir_.Path());
        options.org_def_file = TestDataPath("org-def-custom.json");
        options.bulk_chunk_rows = 2;
        options.bulk_threads = 1;
        return options;
    }
    TempDir dir_;
};

TEST_F(Bulk2RestartTest, AJobCutShortResumesAfterARestartAndItsResultsSurvive) {
    Start(OnDisk());
    const std::string id = NewJob(R"({"object":"Account","operation":"insert"})");
    Upload(id, "Name\nRe 1\nRe 2\nRe 3\nRe 4\nRe 5\n");
    {
        WorkerGate first(org_->Org());
        first.WaitHeld();
        Patch(id, "UploadComplete");
        WorkerGate second(org_->Org());
        first.Open();
        second.WaitHeld();  // step 1 done, step 2 queued behind this gate
        EXPECT_EQ(Job(id).at("numberRecordsProcessed").as_int64(), 2);
        // Stop the org's worker while step 2 is queued: it is dropped, as in a shutdown.
        std::thread stopper([&] { org_->Org().Bulk().Stop(); });
        while (!org_->Org().Bulk().Context().worker.Stopping()) {
            std::this_thread::yield();
        }
        second.Open();
        stopper.join();
    }
    EXPECT_EQ(Job(id).at("state"), "InProgress");
    // A chunk's result rows are in the database with the chunk (JobBlobs): a crash before its
    // commit leaves none of them, so there are no torn result bytes to cut off.
    Start(OnDisk());  // a new process, the same data directory
    const json::object job = Finished(id);
    EXPECT_EQ(job.at("state"), "JobComplete");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 5);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
    // Every row exactly once, and every result row.
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Re %' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Re 1", "Re 2", "Re 3", "Re 4", "Re 5"}));
    const std::string ok = Results(id, "successfulResults");
    EXPECT_EQ(std::count(ok.begin(), ok.end(), '\n'), 6) << ok;
    Start(OnDisk());
    EXPECT_EQ(Results(id, "successfulResults"), ok);
}

TEST_F(Bulk2RestartTest, JobsAreKeptSevenDays) {
    Start(OnDisk());
    std::string id;
    Run(R"({"object":"Account","operation":"insert"})", "Name\nKept\n", &id);
    server::LocalOrgOptions later = OnDisk();
    later.clock = [] { return std::chrono::system_clock::now() + std::chrono::hours(24 * 6); };
    Start(later);
    EXPECT_EQ(Call("GET", kIngest + "/" + id).status, 200);
    later.clock = [] { return std::chrono::system_clock::now() + std::chrono::hours(24 * 8); };
    Start(later);
    EXPECT_EQ(Call("GET", kIngest + "/" + id).status, 404);
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir_.Path()) / "bulk" / id));
}

}  // namespace
}  // namespace sfkit::test
