// The Bulk API 2.0 client against a scripted transport (bulk wire reference §2, §3): request
// shapes, streamed uploads, the Bulk 2.0 error array as Error values, polling with backoff and a
// deadline, job failures, the Sforce-Locator loop (stops at the literal `null`, refuses a missing
// or repeated locator instead of looping), and the lazy row range over pages.
#include <chrono>
#include <ranges>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/bulk2.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

using namespace std::chrono_literals;
using Fixture = test::RestFixture;

static_assert(std::ranges::input_range<BulkRows>);
static_assert(std::input_iterator<BulkRows::Iterator>);

constexpr const char* kJobId = "7505fEXAMPLE4C2AAM";

std::string Job(const std::string& state,
                long processed = 0,
                long failed = 0,
                const std::string& extra = "") {
    return R"({"id":"7505fEXAMPLE4C2AAM","operation":"insert","object":"Account",)"
           R"("createdById":"0055fEXAMPLEtG4AAM","createdDate":"2022-01-02T21:33:43.000+0000",)"
           R"("state":")" +
           state +
           R"(","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":66.0,)"
           R"("jobType":"V2Ingest","lineEnding":"LF","columnDelimiter":"COMMA",)"
           R"("numberRecordsProcessed":)" +
           std::to_string(processed) + R"(,"numberRecordsFailed":)" + std::to_string(failed) +
           extra + "}";
}

std::vector<HttpHeader> Page(const std::string& locator, int rows) {
    return {{"Sforce-Locator", locator},
            {"Sforce-NumberOfRecords", std::to_string(rows)},
            {"Content-Type", "text/csv; charset=UTF-8"}};
}

TEST(ClientBulk2, CreateIngestJobSendsTheSfCliBodyAndReadsTheJob) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(200, Job("Open"));
    IngestJobRequest req;
    req.object = "Account";
    req.operation = BulkOperation::kUpsert;
    req.external_id_field = "Ext__c";
    req.column_delimiter = ColumnDelimiter::kPipe;
    req.line_ending = LineEnding::kCrlf;
    auto job = bulk.CreateIngestJob(req);
    ASSERT_TRUE(job) << job.error().ToString();
    EXPECT_EQ(job->id, kJobId);
    EXPECT_EQ(job->state, "Open");
    EXPECT_EQ(job->api_version, 66.0);
    EXPECT_EQ(f.Last().method, "POST");
    EXPECT_EQ(f.Last().url, "https://acme.my.salesforce.com/services/data/v60.0/jobs/ingest");
    auto body = boost::json::parse(f.Last().body).as_object();
    EXPECT_EQ(body.at("object").as_string(), "Account");
    EXPECT_EQ(body.at("operation").as_string(), "upsert");
    EXPECT_EQ(body.at("externalIdFieldName").as_string(), "Ext__c");
    EXPECT_EQ(body.at("columnDelimiter").as_string(), "PIPE");
    EXPECT_EQ(body.at("lineEnding").as_string(), "CRLF");
    EXPECT_EQ(body.at("contentType").as_string(), "CSV");
    ASSERT_NE(f.Last().Header("Authorization"), nullptr);
    EXPECT_EQ(*f.Last().Header("Authorization"), "Bearer 00Dxx!secret");
}

TEST(ClientBulk2, UpsertWithoutExternalIdAndBadJobIdsSendNothing) {
    Fixture f;
    Bulk2 bulk(f.rest);
    IngestJobRequest req;
    req.object = "Account";
    req.operation = BulkOperation::kUpsert;
    auto job = bulk.CreateIngestJob(req);
    ASSERT_FALSE(job);
    EXPECT_EQ(job.error().kind, ErrorKind::kInvalidArgument);
    for (const char* bad : {"", "750/../../sobjects", "7505fEXAMPLE4C2AA?", "750"}) {
        auto got = bulk.GetIngestJob(bad);
        ASSERT_FALSE(got) << bad;
        EXPECT_EQ(got.error().code, "INVALID_JOB_ID") << bad;
    }
    EXPECT_EQ(f.Sent(), 0u);
}

TEST(ClientBulk2, UploadStreamsTheInputAndCountsRowsOutsideQuotes) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(201, "");
    // A quoted field holding a line break is one row, not two.
    const std::string csv = "Name,Description\nAcme,\"two\nlines\"\nGlobex,plain\n";
    std::istringstream in(csv);
    std::int64_t last_rows = -1;
    std::int64_t last_bytes = -1;
    auto up = bulk.Upload(kJobId, in, [&](std::int64_t bytes, std::int64_t rows) {
        last_bytes = bytes;
        last_rows = rows;
    });
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(f.Last().method, "PUT");
    EXPECT_EQ(f.Last().url,
              "https://acme.my.salesforce.com/services/data/v60.0/jobs/ingest/"
              "7505fEXAMPLE4C2AAM/batches");
    EXPECT_EQ(f.Last().body, csv);
    ASSERT_NE(f.Last().Header("Content-Type"), nullptr);
    EXPECT_EQ(*f.Last().Header("Content-Type"), "text/csv");
    EXPECT_EQ(last_bytes, static_cast<std::int64_t>(csv.size()));
    EXPECT_EQ(last_rows, 2);
}

TEST(ClientBulk2, ErrorArraysBecomeTypedErrors) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(
        404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    auto got = bulk.GetIngestJob(kJobId);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, ErrorKind::kApi);
    EXPECT_EQ(got.error().code, "NOT_FOUND");
    EXPECT_EQ(got.error().message, "The requested resource does not exist");
    EXPECT_EQ(got.error().http_status, 404);

    f.fake->Reply(
        400,
        R"([{"errorCode":"INVALIDJOBSTATE","message":"Aborting already Completed Job not allowed"}])");
    auto aborted = bulk.AbortIngestJob(kJobId);
    ASSERT_FALSE(aborted);
    EXPECT_EQ(aborted.error().code, "INVALIDJOBSTATE");
    EXPECT_EQ(f.Last().body, R"({"state":"Aborted"})");

    f.fake->Reply(401,
                  R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
    auto expired = bulk.UploadFile(kJobId, "/dev/null");
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().kind, ErrorKind::kSession);
    EXPECT_EQ(expired.error().code, "INVALID_SESSION_ID");
}

TEST(ClientBulk2, WaitPollsWithGrowingDelaysUntilTheJobEnds) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(200, Job("UploadComplete"))
        .Reply(200, Job("InProgress", 10))
        .Reply(200, Job("InProgress", 20))
        .Reply(200, Job("JobComplete", 30, 1));
    std::vector<std::chrono::milliseconds> slept;
    std::vector<std::string> states;
    PollOptions o;
    o.first_interval = 100ms;
    o.factor = 2;
    o.max_interval = 300ms;
    o.sleep = [&](std::chrono::milliseconds d) { slept.push_back(d); };
    o.on_poll = [&](const BulkJob& j) { states.push_back(j.state); };
    auto done = bulk.WaitForIngestJob(kJobId, o);
    ASSERT_TRUE(done) << done.error().ToString();
    EXPECT_EQ(done->records_processed, 30);
    EXPECT_EQ(done->records_failed, 1);
    EXPECT_EQ(slept, (std::vector<std::chrono::milliseconds>{100ms, 200ms, 300ms}));
    EXPECT_EQ(
        states,
        (std::vector<std::string>{"UploadComplete", "InProgress", "InProgress", "JobComplete"}));
    EXPECT_EQ(f.Sent(), 4u);
    EXPECT_EQ(f.Last().method, "GET");
}

TEST(ClientBulk2, PollDelayGrowsAndIsCapped) {
    PollOptions o;
    o.first_interval = 250ms;
    o.factor = 1.5;
    o.max_interval = 5000ms;
    EXPECT_EQ(PollDelay(o, 0), 250ms);
    EXPECT_EQ(PollDelay(o, 1), 375ms);
    EXPECT_EQ(PollDelay(o, 2), 562ms);
    EXPECT_EQ(PollDelay(o, 100), 5000ms);
}

TEST(ClientBulk2, FailedAndAbortedJobsAreErrorsWithTheJobsMessage) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(
        200, Job("Failed", 0, 0, R"(,"errorMessage":"InvalidBatch : Field name not found : Nme")"));
    PollOptions o;
    o.sleep = [](std::chrono::milliseconds) {};
    auto failed = bulk.WaitForIngestJob(kJobId, o);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::kApi);
    EXPECT_EQ(failed.error().code, "JOB_FAILED");
    EXPECT_EQ(failed.error().message, "InvalidBatch : Field name not found : Nme");

    f.fake->Reply(200, Job("Aborted"));
    auto aborted = bulk.WaitForIngestJob(kJobId, o);
    ASSERT_FALSE(aborted);
    EXPECT_EQ(aborted.error().code, "JOB_ABORTED");
}

TEST(ClientBulk2, WaitGivesUpAtTheDeadline) {
    Fixture f;
    Bulk2 bulk(f.rest);
    for (int i = 0; i < 10; ++i) {
        f.fake->Reply(200, Job("InProgress"));
    }
    PollOptions o;
    o.first_interval = 40ms;
    o.max_interval = 40ms;
    o.timeout = 100ms;
    auto got = bulk.WaitForIngestJob(kJobId, o);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind, ErrorKind::kTimeout);
    EXPECT_EQ(got.error().code, "POLL_TIMEOUT");
    EXPECT_NE(got.error().message.find("InProgress"), std::string::npos);
    EXPECT_LE(f.Sent(), 4u);
}

TEST(ClientBulk2, QueryResultsFollowLocatorsUntilNullAndDropRepeatedHeaders) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(200, "\"Id\",\"Name\"\n\"001A\",\"A\"\n\"001B\",\"B\"\n", Page("MTAw", 2))
        .Reply(200, "\"Id\",\"Name\"\n\"001C\",\"C, \"\"quoted\"\"\"\n", Page("MjAw", 1))
        .Reply(200, "\"Id\",\"Name\"\n\"001D\",\"D\"\n", Page("null", 1));
    std::string out;
    std::vector<std::int64_t> pages;
    auto rows = bulk.DownloadQueryResults(
        kJobId,
        [&](std::string_view piece) {
            out.append(piece);
            return true;
        },
        0,
        [&](std::int64_t n) { pages.push_back(n); });
    ASSERT_TRUE(rows) << rows.error().ToString();
    EXPECT_EQ(*rows, 4);
    EXPECT_EQ(out,
              "\"Id\",\"Name\"\n\"001A\",\"A\"\n\"001B\",\"B\"\n\"001C\",\"C, \"\"quoted\"\"\"\n"
              "\"001D\",\"D\"\n");
    EXPECT_EQ(pages, (std::vector<std::int64_t>{2, 3, 4}));
    ASSERT_EQ(f.Sent(), 3u);
    const std::string base =
        "https://acme.my.salesforce.com/services/data/v60.0/jobs/query/7505fEXAMPLE4C2AAM/results";
    EXPECT_EQ(f.fake->requests[0].url, base);
    EXPECT_EQ(f.fake->requests[1].url, base + "?locator=MTAw");
    EXPECT_EQ(f.fake->requests[2].url, base + "?locator=MjAw");
}

TEST(ClientBulk2, AMissingOrRepeatedLocatorIsAnErrorNotALoop) {
    Fixture f;
    Bulk2 bulk(f.rest);
    const BodySink ignore = [](std::string_view) { return true; };
    f.fake->Reply(200, "\"Id\"\n\"001A\"\n", {{"Sforce-NumberOfRecords", "1"}});
    auto missing = bulk.DownloadQueryResults(kJobId, ignore);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(missing.error().code, "INVALID_LOCATOR");
    EXPECT_EQ(f.Sent(), 1u);

    f.fake->Reply(200, "\"Id\"\n\"001A\"\n", Page("MTAw", 1))
        .Reply(200, "\"Id\"\n\"001A\"\n", Page("MTAw", 1));
    auto repeated = bulk.DownloadQueryResults(kJobId, ignore, 1000);
    ASSERT_FALSE(repeated);
    EXPECT_EQ(repeated.error().code, "INVALID_LOCATOR");
    EXPECT_EQ(f.Sent(), 3u);
    EXPECT_NE(f.fake->requests[1].url.find("?maxRecords=1000"), std::string::npos);
    EXPECT_NE(f.fake->requests[2].url.find("?locator=MTAw&maxRecords=1000"), std::string::npos);
}

TEST(ClientBulk2, QueryResultRowsAreALazyRangeOverPages) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(200, "\"Id\",\"Name\"\n\"001A\",\"x\ny\"\n\"001B\",\"B\"\n", Page("MTAw", 2))
        .Reply(200, "\"Id\",\"Name\"\n\"001C\",\"C\"\n", Page("null", 1));
    auto rows = bulk.QueryResultRows(kJobId);
    EXPECT_EQ(f.Sent(), 0u);  // nothing is fetched before the range is read
    EXPECT_EQ(rows.Columns(), (std::vector<std::string>{"Id", "Name"}));
    EXPECT_EQ(f.Sent(), 1u);
    std::vector<BulkRow> got;
    for (auto& row : rows) {
        ASSERT_TRUE(row) << row.error().ToString();
        got.push_back(*row);
        if (got.size() == 2) {
            EXPECT_EQ(f.Sent(), 1u);  // the second page waits until the first is used up
        }
    }
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0], (BulkRow{"001A", "x\ny"}));
    EXPECT_EQ(got[2], (BulkRow{"001C", "C"}));
    EXPECT_EQ(rows.RowsRead(), 3);
    EXPECT_EQ(rows.PagesFetched(), 2);
    EXPECT_FALSE(rows.error().has_value());
}

TEST(ClientBulk2, ARowRangeEndsWithThePageError) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(200, "\"Id\"\n\"001A\"\n", Page("MTAw", 1))
        .Reply(400, R"([{"errorCode":"INVALIDJOBSTATE","message":"gone"}])");
    auto rows = bulk.QueryResultRows(kJobId, 0, ColumnDelimiter::kComma);
    auto first = rows.Next();
    ASSERT_TRUE(first.has_value() && *first);
    auto second = rows.Next();
    ASSERT_TRUE(second.has_value());
    ASSERT_FALSE(*second);
    EXPECT_EQ(second->error().code, "INVALIDJOBSTATE");
    EXPECT_FALSE(rows.Next().has_value());
    ASSERT_TRUE(rows.error().has_value());
}

TEST(ClientBulk2, FailedResultsRowsUseTheJobsDelimiter) {
    Fixture f;
    Bulk2 bulk(f.rest);
    f.fake->Reply(
        200,
        "\"sf__Id\"|\"sf__Error\"|Name\n"
        "\"\"|\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\"|\"\"\n");
    auto rows = bulk.IngestResultRows(kJobId, IngestResults::kFailed, ColumnDelimiter::kPipe);
    EXPECT_EQ(rows.Columns(), (std::vector<std::string>{"sf__Id", "sf__Error", "Name"}));
    auto row = rows.Next();
    ASSERT_TRUE(row.has_value() && *row);
    EXPECT_EQ((**row)[1], "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --");
    EXPECT_FALSE(rows.Next().has_value());
    EXPECT_EQ(f.Last().url,
              "https://acme.my.salesforce.com/services/data/v60.0/jobs/ingest/"
              "7505fEXAMPLE4C2AAM/failedResults/");
}

TEST(ClientBulk2, DelimiterNamesAndDetection) {
    EXPECT_EQ(ParseColumnDelimiter("semicolon"), ColumnDelimiter::kSemicolon);
    EXPECT_EQ(ParseColumnDelimiter("BACKQUOTE"), ColumnDelimiter::kBackquote);
    EXPECT_FALSE(ParseColumnDelimiter("colon").has_value());
    EXPECT_EQ(ColumnDelimiterChar(ColumnDelimiter::kTab), '\t');
    EXPECT_EQ(DetectColumnDelimiter("Name|Phone|\"a,b,c\"\n1,2,3,4,5\n"), ColumnDelimiter::kPipe);
    EXPECT_EQ(DetectColumnDelimiter("Name\tPhone\n"), ColumnDelimiter::kTab);
    EXPECT_EQ(DetectColumnDelimiter("Name\n"), ColumnDelimiter::kComma);
}

}  // namespace
}  // namespace sfkit::client
