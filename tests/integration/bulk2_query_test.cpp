// Bulk API 2.0 query jobs on the wire (bulk-wire.md §0 and §3): create (JSON even with
// `Accept: text/csv`), job info in the documented key order, states, abort and delete, results in
// pages (`Sforce-Locator` ending at `null`, `Sforce-NumberOfRecords` on every page, a header row
// on every page, numberRecordsProcessed equal to the rows returned), dotted relationship
// columns, refusals, restarts, the /limits counters, and a large result in constant memory.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server/bulk/bulk_services.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/bulk/worker.hpp"
#include "support/bulk_rows.hpp"
#include "support/process_memory.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::server::bulk {
namespace {

namespace json = boost::json;
constexpr const char* kBase = "/services/data/v60.0/jobs/query";

std::vector<std::string> Keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& kv : o) {
        out.emplace_back(kv.key());
    }
    return out;
}

/// Lines of a CSV page (no quoted line breaks in these tests).
std::vector<std::string> Lines(const std::string& body, const std::string& eol = "\n") {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < body.size()) {
        const auto end = body.find(eol, at);
        EXPECT_NE(end, std::string::npos) << "a page ends with a line ending";
        if (end == std::string::npos) {
            break;
        }
        out.push_back(body.substr(at, end - at));
        at = end + eol.size();
    }
    return out;
}

class Bulk2Query : public ::testing::Test {
protected:
    void SetUp() override { Start(); }

    void Start() {
        auto options = test::OnDiskOrgOptions(dir_.Path());
        options.bulk_threads = 1;
        org_ = std::make_unique<test::TestOrg>(options);
        const auto r = test::Fetch(org_->Port(),
                                   "POST",
                                   "/services/oauth2/token",
                                   {"Content-Type: application/x-www-form-urlencoded"},
                                   std::string("grant_type=password&client_id=") + test::kClientId +
                                       "&client_secret=" + test::kClientSecret +
                                       "&username=admin%40acme.test&password=Passw0rd%21" +
                                       test::kSecurityToken);
        ASSERT_EQ(r.status, 200) << r.body;
        const auto token = json::parse(r.body).as_object();
        token_ = std::string(token.at("access_token").as_string());
        const std::string id_url(token.at("id").as_string());
        user_id_ = id_url.substr(id_url.rfind('/') + 1);
    }

    test::RawResponse Call(const std::string& method,
                           const std::string& target,
                           const std::string& body = {},
                           std::vector<std::string> headers = {}) {
        headers.push_back("Authorization: Bearer " + token_);
        if (!body.empty()) {
            headers.push_back("Content-Type: application/json; charset=utf-8");
        }
        return test::Fetch(org_->Port(), method, target, headers, body);
    }

    /// POST /jobs/query: the new job's JSON (asserting 200).
    json::object Create(const std::string& soql,
                        const std::string& extra = {},
                        const std::string& operation = "query") {
        json::object body{{"operation", operation}, {"query", soql}};
        std::string text = json::serialize(body);
        if (!extra.empty()) {
            text = text.substr(0, text.size() - 1) + "," + extra + "}";
        }
        const auto r = Call("POST", kBase, text);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
    }

    /// Polls GET /jobs/query/{id} until the job is terminal; its JSON.
    json::object Wait(const std::string& id) {
        for (int i = 0; i < 600; ++i) {
            const auto r = Call("GET", std::string(kBase) + "/" + id);
            EXPECT_EQ(r.status, 200) << r.body;
            auto info = json::parse(r.body).as_object();
            const std::string state(info.at("state").as_string());
            EXPECT_NE(state, "Open") << "query jobs never report Open";
            if (state == "JobComplete" || state == "Failed" || state == "Aborted") {
                return info;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "job " << id << " did not finish";
        return {};
    }

    /// Every page of a complete job's results, following Sforce-Locator until `null`.
    std::vector<test::RawResponse> Pages(const std::string& id, const std::string& max = {}) {
        std::vector<test::RawResponse> pages;
        std::string locator;
        for (int i = 0; i < 10000; ++i) {
            std::string target = std::string(kBase) + "/" + id + "/results";
            std::string sep = "?";
            if (!max.empty()) {
                target += sep + "maxRecords=" + max;
                sep = "&";
            }
            if (!locator.empty()) {
                target += sep + "locator=" + locator;
            }
            auto r = Call("GET", target, {}, {"Accept: text/csv"});
            EXPECT_EQ(r.status, 200) << r.body;
            if (r.status != 200) {
                break;
            }
            locator = r.Header("Sforce-Locator");
            EXPECT_FALSE(locator.empty()) << "every page carries Sforce-Locator";
            EXPECT_FALSE(r.Header("Sforce-NumberOfRecords").empty());
            pages.push_back(std::move(r));
            if (locator == "null" || locator.empty()) {
                break;
            }
        }
        return pages;
    }

    static std::string Str(const json::object& o, const char* key) {
        return std::string(o.at(key).as_string());
    }

    test::TempDir dir_;
    std::unique_ptr<test::TestOrg> org_;
    std::string token_;
    std::string user_id_;
};

TEST_F(Bulk2Query, CreateAnswersJsonInTheDocumentedKeyOrderEvenWhenAskedForCsv) {
    const auto r = Call("POST",
                        kBase,
                        R"({"operation":"query","columnDelimiter":"COMMA","lineEnding":"LF",)"
                        R"("query":"SELECT Id FROM Account"})",
                        {"Accept: text/csv; charset=UTF-8", "X-PrettyPrint: 1"});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
    EXPECT_NE(r.body.find("\"apiVersion\" : 60.0"), std::string::npos) << r.body;
    const auto job = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(job), test::BulkJobKeys({"lineEnding", "columnDelimiter"}));
    const std::string id = Str(job, "id");
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "750");
    EXPECT_EQ(Str(job, "state"), "UploadComplete");
    EXPECT_EQ(Str(job, "object"), "Account");
    EXPECT_EQ(Str(job, "createdById"), user_id_);
    EXPECT_EQ(Str(job, "createdDate").size(), 28u);  // 2024-01-01T00:00:00.000+0000
}

TEST_F(Bulk2Query, JobDatesAreWholeSecondsAsEveryRecordedJobInfoShows) {
    // Every recorded jobInfo (bulk-wire.md §2, §3) ends `.000+0000`; `sf data export bulk`
    // and `sf data export resume` show these dates as they are.
    test::InsertAccounts(dir_.Path(), 2, "Dates ", user_id_);
    const auto job = Create("SELECT Id FROM Account WHERE Name LIKE 'Dates %'");
    EXPECT_EQ(Str(job, "createdDate").substr(19), ".000+0000") << Str(job, "createdDate");
    const auto info = Wait(Str(job, "id"));
    EXPECT_EQ(Str(info, "createdDate").substr(19), ".000+0000") << Str(info, "createdDate");
    EXPECT_EQ(Str(info, "systemModstamp").substr(19), ".000+0000") << Str(info, "systemModstamp");
}

TEST_F(Bulk2Query, JobInfoHasTheDocumentedKeysAndCountsTheRowsReturned) {
    test::InsertAccounts(dir_.Path(), 7, "Info ", user_id_);
    const auto job = Create("SELECT Id, Name FROM Account WHERE Name LIKE 'Info %'");
    const auto info = Wait(Str(job, "id"));
    EXPECT_EQ(Keys(info),
              test::BulkJobKeys({"jobType",
                                 "lineEnding",
                                 "columnDelimiter",
                                 "numberRecordsProcessed",
                                 "retries",
                                 "totalProcessingTime",
                                 "isPkChunkingSupported"}));
    ;
    EXPECT_EQ(Str(info, "state"), "JobComplete");
    EXPECT_EQ(Str(info, "jobType"), "V2Query");
    EXPECT_EQ(info.at("numberRecordsProcessed").as_int64(), 7);
    EXPECT_FALSE(info.contains("numberRecordsFailed"));
}

TEST_F(Bulk2Query, PagesFollowTheLocatorToNullWithAHeaderAndACountOnEveryPage) {
    const auto ids = test::InsertAccounts(dir_.Path(), 25, "Page ", user_id_);
    const auto job = Create("SELECT Id, Name FROM Account WHERE Name LIKE 'Page %' ORDER BY Name");
    const auto info = Wait(Str(job, "id"));
    const auto pages = Pages(Str(job, "id"), "10");
    ASSERT_EQ(pages.size(), 3u);
    std::set<std::string> seen;
    std::int64_t rows = 0;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        EXPECT_EQ(pages[p].Header("Content-Type"), "text/csv; charset=UTF-8");
        const auto lines = Lines(pages[p].body);
        ASSERT_FALSE(lines.empty());
        EXPECT_EQ(lines[0], R"("Id","Name")") << "page " << p << " starts with the header";
        EXPECT_EQ(pages[p].Header("Sforce-NumberOfRecords"), std::to_string(lines.size() - 1));
        for (std::size_t i = 1; i < lines.size(); ++i) {
            seen.insert(lines[i].substr(1, 18));
            ++rows;
        }
    }
    EXPECT_EQ(pages[0].Header("Sforce-NumberOfRecords"), "10");
    EXPECT_EQ(pages[2].Header("Sforce-NumberOfRecords"), "5");
    EXPECT_EQ(pages[2].Header("Sforce-Locator"), "null");
    EXPECT_NE(pages[0].Header("Sforce-Locator"), "null");
    EXPECT_EQ(rows, info.at("numberRecordsProcessed").as_int64());
    EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
    // A locator can be fetched again while the job exists.
    const auto again =
        Call("GET",
             std::string(kBase) + "/" + Str(job, "id") +
                 "/results?maxRecords=10&locator=" + pages[0].Header("Sforce-Locator"));
    EXPECT_EQ(again.body, pages[1].body);
    // Without maxRecords one page holds them all.
    const auto whole = Pages(Str(job, "id"));
    ASSERT_EQ(whole.size(), 1u);
    EXPECT_EQ(whole[0].Header("Sforce-NumberOfRecords"), "25");
    EXPECT_EQ(whole[0].Header("Sforce-Locator"), "null");
}

TEST_F(Bulk2Query, AnEmptyResultIsAHeaderWithZeroRecordsAndANullLocator) {
    const auto job = Create("SELECT Id, Name FROM Account WHERE Name = 'nobody at all'");
    EXPECT_EQ(Wait(Str(job, "id")).at("numberRecordsProcessed").as_int64(), 0);
    const auto pages = Pages(Str(job, "id"));
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pages[0].body, "\"Id\",\"Name\"\n");
    EXPECT_EQ(pages[0].Header("Sforce-NumberOfRecords"), "0");
    EXPECT_EQ(pages[0].Header("Sforce-Locator"), "null");
}

TEST_F(Bulk2Query, RelationshipColumnsAreDottedInSelectOrderAndANullParentIsEmpty) {
    const auto r = Call("POST", "/services/data/v60.0/sobjects/Account", R"({"Name":"Parent Co"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string parent(json::parse(r.body).at("id").as_string());
    ASSERT_EQ(Call("POST",
                   "/services/data/v60.0/sobjects/Account",
                   R"({"Name":"Child Co","ParentId":")" + parent + R"("})")
                  .status,
              201);
    const auto job = Create(
        "SELECT Name, Parent.Name, Owner.Username, Id FROM Account WHERE Name LIKE '% Co' "
        "ORDER BY Name");
    Wait(Str(job, "id"));
    const auto lines = Lines(Pages(Str(job, "id"))[0].body);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], R"("Name","Parent.Name","Owner.Username","Id")");
    EXPECT_EQ(lines[1].rfind(R"("Child Co","Parent Co","admin@acme.test",")", 0), 0u) << lines[1];
    // The parent of Parent Co is null: an empty, unquoted field.
    EXPECT_EQ(lines[2].rfind(R"("Parent Co",,"admin@acme.test",")" + parent + "\"", 0), 0u)
        << lines[2];
}

TEST_F(Bulk2Query, TheJobsDelimiterAndLineEndingShapeTheCsvAndQuotesAreDoubled) {
    const auto r =
        Call("POST", "/services/data/v60.0/sobjects/Account", R"({"Name":"Say \"hi\"|there"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto job = Create("SELECT Name, NumberOfEmployees, IsDeleted FROM Account",
                            R"("columnDelimiter":"PIPE","lineEnding":"CRLF")");
    const auto info = Wait(Str(job, "id"));
    EXPECT_EQ(Str(info, "columnDelimiter"), "PIPE");
    EXPECT_EQ(Str(info, "lineEnding"), "CRLF");
    const auto lines = Lines(Pages(Str(job, "id"))[0].body, "\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], R"("Name"|"NumberOfEmployees"|"IsDeleted")");
    EXPECT_EQ(lines[1], R"("Say ""hi""|there"||"false")");
}

TEST_F(Bulk2Query, QueryAllIncludesDeletedRows) {
    const auto r = Call("POST", "/services/data/v60.0/sobjects/Account", R"({"Name":"Gone"})");
    ASSERT_EQ(r.status, 201);
    const std::string id(json::parse(r.body).at("id").as_string());
    ASSERT_EQ(Call("DELETE", "/services/data/v60.0/sobjects/Account/" + id).status, 204);
    const std::string soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone'";
    const auto live = Create(soql);
    const auto all = Create(soql, {}, "queryAll");
    EXPECT_EQ(Str(all, "operation"), "queryAll");
    EXPECT_EQ(Wait(Str(live, "id")).at("numberRecordsProcessed").as_int64(), 0);
    EXPECT_EQ(Wait(Str(all, "id")).at("numberRecordsProcessed").as_int64(), 1);
    EXPECT_EQ(Lines(Pages(Str(all, "id"))[0].body)[1], "\"" + id + "\",\"true\"");
}

TEST_F(Bulk2Query, WhatBulkQueryDoesNotSupportIsRefusedAtCreate) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"SELECT Name, (SELECT Id FROM Contacts) FROM Account",
         "Aggregate Relationships not supported in Bulk V2 Query with CSV content type"},
        {"SELECT Name, COUNT(Id) FROM Account GROUP BY Name",
         "GROUP BY not supported in Bulk V2 Query"},
        {"SELECT COUNT() FROM Account", "Aggregate queries not supported in Bulk V2 Query"},
        {"SELECT MAX(Name) FROM Account", "Aggregate queries not supported in Bulk V2 Query"},
        {"SELECT Id FROM Account LIMIT 5 OFFSET 2", "OFFSET not supported in Bulk V2 Query"},
        {"SELECT TYPEOF Owner WHEN User THEN Username END FROM Account",
         "TYPEOF not supported in Bulk V2 Query"},
        {"SELECT BillingAddress FROM Account",
         "Compound fields not supported in Bulk V2 Query with CSV content type"},
    };
    for (const auto& [soql, message] : cases) {
        const auto r = Call(
            "POST", kBase, json::serialize(json::object{{"operation", "query"}, {"query", soql}}));
        EXPECT_EQ(r.status, 400) << soql << ": " << r.body;
        const auto err = json::parse(r.body).as_array().at(0).as_object();
        EXPECT_EQ(Str(err, "errorCode"), "API_ERROR") << soql;
        EXPECT_EQ(Str(err, "message"), message) << soql;
    }
    // SOQL errors are the REST query path's; a bad operation or delimiter is refused too.
    auto r = Call("POST", kBase, R"({"operation":"query","query":"SELEC Id FROM Account"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("MALFORMED_QUERY"), std::string::npos) << r.body;
    r = Call("POST", kBase, R"({"operation":"query","query":"SELECT Nope__c FROM Account"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALID_FIELD"), std::string::npos) << r.body;
    r = Call("POST", kBase, R"({"operation":"insert","query":"SELECT Id FROM Account"})");
    EXPECT_EQ(r.status, 400);
    r = Call("POST",
             kBase,
             R"({"operation":"query","query":"SELECT Id FROM Account","columnDelimiter":"X"})");
    EXPECT_EQ(r.status, 400);
    // Child-to-parent relationships are allowed.
    EXPECT_EQ(
        Call("POST", kBase, R"({"operation":"query","query":"SELECT Id, Owner.Name FROM Account"})")
            .status,
        200);
}

TEST_F(Bulk2Query, StatesAbortDeleteAndResultsBeforeCompletion) {
    // Hold the one worker thread so the job stays UploadComplete.
    std::atomic<bool> release{false};
    org_->Org().Bulk().Context().worker.Post([&] {
        while (!release.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    const auto job = Create("SELECT Id FROM Account");
    const std::string id = Str(job, "id");
    const std::string url = std::string(kBase) + "/" + id;
    auto r = Call("GET", url + "/results");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALIDJOBSTATE"), std::string::npos) << r.body;
    r = Call("DELETE", url);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"([{"errorCode":"API_ERROR","message":"Error encountered when deleting the job )"
              R"(because the job is not terminated"}])");
    r = Call("PATCH", url, R"({"state":"Aborted"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto aborted = json::parse(r.body).as_object();
    EXPECT_EQ(Str(aborted, "state"), "Aborted");
    EXPECT_EQ(Keys(aborted), test::BulkJobKeys());  // the short body (bulk-wire.md §3.5)
    release = true;
    org_->Org().Bulk().Drain();
    EXPECT_EQ(Str(Wait(id), "state"), "Aborted");
    r = Call("PATCH", url, R"({"state":"Aborted"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"([{"errorCode":"INVALIDJOBSTATE","message":"Aborting already Completed Job )"
              R"(not allowed"}])");
    EXPECT_EQ(Call("GET", url + "/results").status, 400);
    EXPECT_EQ(Call("DELETE", url).status, 204);
    r = Call("GET", url);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    EXPECT_EQ(Call("GET", std::string(kBase) + "/750000000000000AAA").status, 404);
}

TEST_F(Bulk2Query, AJobAbortedWhileInProgressStopsAndStaysAborted) {
    test::InsertAccounts(dir_.Path(), 100000, "Stop ", user_id_);
    const auto job = Create("SELECT Id, Name FROM Account WHERE Name LIKE 'Stop %'");
    const std::string url = std::string(kBase) + "/" + Str(job, "id");
    std::string state;
    for (int i = 0; i < 2000 && state != "InProgress"; ++i) {
        state = Str(json::parse(Call("GET", url).body).as_object(), "state");
        ASSERT_NE(state, "JobComplete") << "the job finished before it could be aborted";
    }
    ASSERT_EQ(state, "InProgress");
    const auto r = Call("PATCH", url, R"({"state":"Aborted"})");
    ASSERT_EQ(r.status, 200) << r.body;
    org_->Org().Bulk().Drain();  // the run notices the abort at its next check and ends
    const auto info = Wait(Str(job, "id"));
    EXPECT_EQ(Str(info, "state"), "Aborted");
    EXPECT_EQ(info.at("numberRecordsProcessed").as_int64(), 0);
    EXPECT_EQ(Call("GET", url + "/results").status, 400);
    EXPECT_EQ(Call("DELETE", url).status, 204);
}

TEST_F(Bulk2Query, ResultsNeedTheJobsApiVersionAndAKnownLocator) {
    test::InsertAccounts(dir_.Path(), 3, "Ver ", user_id_);
    const auto job = Create("SELECT Id FROM Account WHERE Name LIKE 'Ver %'");
    Wait(Str(job, "id"));
    auto r = Call("GET", "/services/data/v59.0/jobs/query/" + Str(job, "id") + "/results");
    EXPECT_EQ(r.status, 409) << r.body;
    r = Call("GET", std::string(kBase) + "/" + Str(job, "id") + "/results?locator=bm9wZQ");
    EXPECT_EQ(r.status, 400) << r.body;
    r = Call("GET", std::string(kBase) + "/" + Str(job, "id") + "/results?maxRecords=0");
    EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(Bulk2Query, TheJobListIsPagedJsonOfQueryJobs) {
    const auto a = Create("SELECT Id FROM Account");
    const auto b = Create("SELECT Id FROM Contact");
    Wait(Str(b, "id"));
    auto r = Call("GET", kBase);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto list = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(list), (std::vector<std::string>{"done", "records", "nextRecordsUrl"}));
    EXPECT_TRUE(list.at("done").as_bool());
    EXPECT_TRUE(list.at("nextRecordsUrl").is_null());
    const auto& records = list.at("records").as_array();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(Str(records[0].as_object(), "id"), Str(a, "id"));
    EXPECT_EQ(Keys(records[1].as_object()).back(), "columnDelimiter");
    EXPECT_EQ(Str(records[1].as_object(), "jobType"), "V2Query");
    r = Call("GET", std::string(kBase) + "?jobType=V2Ingest");
    EXPECT_TRUE(json::parse(r.body).at("records").as_array().empty());
    // Parameters without a value filter nothing (the Postman collection sends them so).
    r = Call(
        "GET",
        std::string(kBase) + "?isPkChunkingEnabled=false&jobType&concurrencyMode&queryLocator");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("records").as_array().size(), 2u);
}

TEST_F(Bulk2Query, JobsAndResultsSurviveARestartAndAQueuedJobRunsAfterIt) {
    test::InsertAccounts(dir_.Path(), 12, "Keep ", user_id_);
    const auto done = Create("SELECT Id, Name FROM Account WHERE Name LIKE 'Keep %'");
    Wait(Str(done, "id"));
    const auto before = Pages(Str(done, "id"), "5");
    // A job the worker has not run when the org stops.
    std::atomic<bool> release{false};
    org_->Org().Bulk().Context().worker.Post([&] {
        while (!release.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    const auto queued = Create("SELECT Id FROM Account WHERE Name LIKE 'Keep %'");
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        release = true;
    });
    org_.reset();
    releaser.join();
    Start();
    const auto after = Pages(Str(done, "id"), "5");
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(after[i].body, before[i].body);
        EXPECT_EQ(after[i].Header("Sforce-Locator"), before[i].Header("Sforce-Locator"));
    }
    const auto info = Wait(Str(queued, "id"));
    EXPECT_EQ(Str(info, "state"), "JobComplete");
    EXPECT_EQ(info.at("numberRecordsProcessed").as_int64(), 12);
}

TEST_F(Bulk2Query, LimitsCountQueryJobsAndResultStorageAndRefusePastThem) {
    const auto limits = [&] {
        const auto r = Call("GET", "/services/data/v60.0/limits");
        EXPECT_EQ(r.status, 200);
        return json::parse(r.body).as_object();
    };
    const auto remaining = [](const json::object& l, const char* name) {
        return l.at(name).as_object().at("Remaining").as_int64();
    };
    auto l0 = limits();
    EXPECT_EQ(l0.at("DailyBulkV2QueryJobs").as_object().at("Max").as_int64(), 10000);
    EXPECT_EQ(remaining(l0, "DailyBulkV2QueryJobs"), 10000);
    EXPECT_EQ(remaining(l0, "DailyBulkV2QueryFileStorageMB"), 976562);
    EXPECT_EQ(remaining(l0, "DailyBulkApiBatches"), 15000);
    test::InsertAccounts(dir_.Path(), 3, "Lim ", user_id_);
    Wait(Str(Create("SELECT Id FROM Account WHERE Name LIKE 'Lim %'"), "id"));
    auto l1 = limits();
    EXPECT_EQ(remaining(l1, "DailyBulkV2QueryJobs"), 9999);
    EXPECT_EQ(remaining(l1, "DailyBulkV2QueryFileStorageMB"), 976561);  // bytes, rounded up
    // The counting API the other Bulk APIs use (bulk_usage.hpp).
    auto& usage = org_->Org().BulkUsage();
    EXPECT_TRUE(usage.TryCount(BulkLimit::kBatches, 3));
    EXPECT_EQ(remaining(limits(), "DailyBulkApiBatches"), 14997);
    EXPECT_FALSE(usage.TryCount(BulkLimit::kBatches, 14998));
    EXPECT_EQ(remaining(limits(), "DailyBulkApiBatches"), 14997);
    // Past the daily query jobs: refused.
    usage.Count(BulkLimit::kQueryJobs, 9999);
    const auto r = Call("POST", kBase, R"({"operation":"query","query":"SELECT Id FROM Account"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("EXCEEDEDQUOTA"), std::string::npos) << r.body;
    EXPECT_EQ(remaining(limits(), "DailyBulkV2QueryJobs"), 0);
}

TEST_F(Bulk2Query, A200kRowResultStreamsInBoundedServerMemory) {
    constexpr int kRows = 200000;
    test::InsertAccounts(dir_.Path(), kRows, "Big ", user_id_);
    ASSERT_TRUE(test::ResetPeakRss());
    const long before = test::StatusKb("VmRSS");
    const auto job = Create("SELECT Id, Name, Owner.Username FROM Account WHERE Name LIKE 'Big %'");
    const auto info = Wait(Str(job, "id"));
    ASSERT_EQ(info.at("numberRecordsProcessed").as_int64(), kRows);
    std::int64_t rows = 0;
    std::size_t pages = 0;
    std::string locator;
    for (;;) {
        // Pages are counted and dropped one at a time (the test holds one page at most).
        auto r = Call("GET",
                      std::string(kBase) + "/" + Str(job, "id") + "/results?maxRecords=20000" +
                          (locator.empty() ? "" : "&locator=" + locator));
        ASSERT_EQ(r.status, 200);
        ASSERT_EQ(r.body.rfind("\"Id\",\"Name\",\"Owner.Username\"\n", 0), 0u);
        rows += std::stoll(r.Header("Sforce-NumberOfRecords"));
        ++pages;
        locator = r.Header("Sforce-Locator");
        if (locator == "null") {
            break;
        }
    }
    const long peak = test::StatusKb("VmHWM");
    std::printf("200k-row bulk query: process peak RSS grew by %ld kB (before %ld kB)\n",
                peak - before,
                before);
    EXPECT_EQ(rows, kRows);
    EXPECT_EQ(pages, 10u);
    // The whole result is about 13 MB of CSV; the process (server and client) grows by less
    // than 25 MB whatever the row count (10 MB measured) (pages of 20,000 rows, about 1.3 MB each).
    EXPECT_LT(peak - before, 25 * 1024) << "VmRSS before " << before << " kB, peak " << peak;
}

}  // namespace
}  // namespace sfkit::server::bulk
