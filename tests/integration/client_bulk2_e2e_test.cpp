// libsfkit's Bulk2 end to end against a real local org (TestOrg on disk): ingest from a stream
// with a non-default delimiter and line ending, results read as rows, query results over many
// pages through the locator loop (as rows and as one CSV), a job that fails with its message, and
// abort.
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/client/bulk2.hpp"
#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/bulk_rows.hpp"
#include "support/client_login.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

using namespace std::chrono_literals;

class ClientBulk2E2E : public ::testing::Test {
protected:
    void SetUp() override {
        auto token = test::AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        user_id_ = token->user_id;
        rest_ = std::make_unique<RestClient>(transport_, *token);
        bulk_ = std::make_unique<Bulk2>(*rest_);
    }

    static PollOptions Fast() {
        PollOptions o;
        o.first_interval = 20ms;
        o.max_interval = 200ms;
        o.timeout = 60s;
        return o;
    }

    test::TempDir dir_;
    test::TestOrg org_{test::OnDiskOrgOptions(dir_.Path())};
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
    std::unique_ptr<RestClient> rest_;
    std::unique_ptr<Bulk2> bulk_;
    std::string user_id_;
};

TEST_F(ClientBulk2E2E, IngestFromAStreamThenReadTheResultsAsRows) {
    IngestJobRequest req;
    req.object = "Account";
    req.column_delimiter = ColumnDelimiter::kPipe;
    req.line_ending = LineEnding::kCrlf;
    auto job = bulk_->CreateIngestJob(req);
    ASSERT_TRUE(job) << job.error().ToString();
    EXPECT_EQ(job->state, "Open");
    std::istringstream csv("Name|Description\r\nPipe One|\"has | and\r\nbreak\"\r\nPipe Two|x\r\n");
    std::int64_t rows_seen = 0;
    auto up =
        bulk_->Upload(job->id, csv, [&](std::int64_t, std::int64_t rows) { rows_seen = rows; });
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(rows_seen, 2);
    auto closed = bulk_->CloseIngestJob(job->id);
    ASSERT_TRUE(closed) << closed.error().ToString();
    EXPECT_EQ(closed->state, "UploadComplete");
    auto done = bulk_->WaitForIngestJob(job->id, Fast());
    ASSERT_TRUE(done) << done.error().ToString();
    EXPECT_EQ(done->state, "JobComplete");
    EXPECT_EQ(done->records_processed, 2);
    EXPECT_EQ(done->records_failed, 0);

    auto rows =
        bulk_->IngestResultRows(job->id, IngestResults::kSuccessful, ColumnDelimiter::kPipe);
    ASSERT_GE(rows.Columns().size(), 3u);
    EXPECT_EQ(rows.Columns()[0], "sf__Id");
    EXPECT_EQ(rows.Columns()[1], "sf__Created");
    std::set<std::string> names;
    for (auto& row : rows) {
        ASSERT_TRUE(row) << row.error().ToString();
        EXPECT_EQ((*row)[0].substr(0, 3), "001");
        EXPECT_EQ((*row)[1], "true");
        names.insert((*row)[2]);
    }
    EXPECT_EQ(names, (std::set<std::string>{"Pipe One", "Pipe Two"}));
    auto stored = rest_->Query("SELECT Description FROM Account WHERE Name = 'Pipe One'");
    ASSERT_TRUE(stored) << stored.error().ToString();
    for (auto& rec : *stored) {
        ASSERT_TRUE(rec);
        auto d = rec->GetString("Description");
        ASSERT_TRUE(d);
        EXPECT_EQ(*d, "has | and\r\nbreak");
    }
}

TEST_F(ClientBulk2E2E, QueryResultsComeThroughEveryPageOnce) {
    test::InsertAccounts(dir_.Path(), 2500, "Paged ", user_id_);
    QueryJobRequest req;
    req.query = "SELECT Id, Name FROM Account WHERE Name LIKE 'Paged %'";
    auto job = bulk_->CreateQueryJob(req);
    ASSERT_TRUE(job) << job.error().ToString();
    auto done = bulk_->WaitForQueryJob(job->id, Fast());
    ASSERT_TRUE(done) << done.error().ToString();
    EXPECT_EQ(done->records_processed, 2500);

    auto rows = bulk_->QueryResultRows(job->id, 1000);
    EXPECT_EQ(rows.Columns(), (std::vector<std::string>{"Id", "Name"}));
    std::set<std::string> ids;
    for (auto& row : rows) {
        ASSERT_TRUE(row) << row.error().ToString();
        ids.insert((*row)[0]);
    }
    EXPECT_EQ(ids.size(), 2500u);
    EXPECT_EQ(rows.PagesFetched(), 3);

    std::string csv;
    auto n = bulk_->DownloadQueryResults(
        job->id,
        [&](std::string_view piece) {
            csv.append(piece);
            return true;
        },
        1000);
    ASSERT_TRUE(n) << n.error().ToString();
    EXPECT_EQ(*n, 2500);
    std::size_t lines = 0;
    std::size_t headers = 0;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        ++lines;
        headers += line.rfind("\"Id\"", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(lines, 2501u);
    EXPECT_EQ(headers, 1u);
}

TEST_F(ClientBulk2E2E, AJobThatFailsReportsItsMessageAndAbortStopsAnOpenJob) {
    IngestJobRequest req;
    req.object = "Account";
    auto job = bulk_->CreateIngestJob(req);
    ASSERT_TRUE(job) << job.error().ToString();
    std::istringstream csv("Name,No_Such_Field__c\nA,1\n");
    ASSERT_TRUE(bulk_->Upload(job->id, csv));
    ASSERT_TRUE(bulk_->CloseIngestJob(job->id));
    auto done = bulk_->WaitForIngestJob(job->id, Fast());
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, "JOB_FAILED");
    EXPECT_NE(done.error().message.find("No_Such_Field__c"), std::string::npos)
        << done.error().message;

    auto open = bulk_->CreateIngestJob(req);
    ASSERT_TRUE(open) << open.error().ToString();
    auto aborted = bulk_->AbortIngestJob(open->id);
    ASSERT_TRUE(aborted) << aborted.error().ToString();
    EXPECT_EQ(aborted->state, "Aborted");
    auto again = bulk_->AbortIngestJob(open->id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::kApi);
    auto missing = bulk_->GetIngestJob("750000000000000AAA");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "NOT_FOUND");
}

}  // namespace
}  // namespace sfkit::client
