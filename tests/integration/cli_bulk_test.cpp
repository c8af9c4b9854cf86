// `sfkit bulk ...` against a real local org (TestOrg on disk, org-def-custom.json for an external
// id on Account): import, upsert by external id, delete, failed rows saved to a file, export to CSV
// and JSON, --async then status / results / resume with --job-id, usage errors, and the CLI's
// peak RSS, which must not grow with the row count.
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/bulk_rows.hpp"
#include "support/cli_fixture.hpp"
#include "support/client_login.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::size_t CountLines(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

class CliBulk : public CliTest {
protected:
    static server::LocalOrgOptions Options(const std::string& dir) {
        server::LocalOrgOptions o = OnDiskOrgOptions(dir);
        o.org_def_file = TestDataPath("org-def-custom.json");
        return o;
    }

    void SetUp() override {
        auto login = Sfkit(PasswordLogin(org_.BaseUrl()));
        ASSERT_EQ(login.exit_code, 0) << login.err;
        auto token = AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        user_id_ = token->user_id;
        rest_ = std::make_unique<client::RestClient>(transport_, *token);
    }

    /// The envelope of a --json run.
    json::object Run(std::vector<std::string> args, int expected_exit) {
        args.push_back("--json");
        auto r = Sfkit(args);
        EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
        return ParseEnvelope(r.out);
    }

    std::int64_t Count(const std::string& soql) {
        auto n = rest_->Count(soql);
        EXPECT_TRUE(n) << n.error().ToString();
        return n ? *n : -1;
    }

    std::string Path(const std::string& name) const { return work_.Path() + "/" + name; }

    TempDir dir_;
    TestOrg org_{Options(dir_.Path())};
    std::shared_ptr<client::CurlTransport> transport_ = std::make_shared<client::CurlTransport>();
    std::unique_ptr<client::RestClient> rest_;
    std::string user_id_;
};

TEST_F(CliBulk, ImportLoadsEveryRowAndCountsThem) {
    WriteFile("accounts.csv",
              "Name,Description,Customer_Number__c\n"
              "Bulk A,\"comma, and\nline break\",1\n"
              "Bulk B,plain,2\n"
              "Bulk C,,3\n");
    auto env = Run({"bulk", "import", "--sobject", "Account", "--file", "accounts.csv"}, 0);
    ASSERT_TRUE(env.contains("result")) << json::serialize(env);
    const auto& r = env.at("result").as_object();
    EXPECT_EQ(r.at("processedRecords").to_number<int>(), 3);
    EXPECT_EQ(r.at("successfulRecords").to_number<int>(), 3);
    EXPECT_EQ(r.at("failedRecords").to_number<int>(), 0);
    EXPECT_EQ(S(r.at("state")), "JobComplete");
    EXPECT_EQ(S(r.at("jobId")).substr(0, 3), "750");
    EXPECT_EQ(Count("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk %'"), 3);
    // Description is a long text area (not filterable): read it back by name.
    auto stored = rest_->Query("SELECT Description FROM Account WHERE Name = 'Bulk A'");
    ASSERT_TRUE(stored) << stored.error().ToString();
    std::vector<std::string> descriptions;
    for (auto& rec : *stored) {
        ASSERT_TRUE(rec) << rec.error().ToString();
        auto d = rec->GetString("Description");
        descriptions.push_back(d ? *d : "<null>");
    }
    EXPECT_EQ(descriptions, (std::vector<std::string>{"comma, and\nline break"}));

    // Human output names the job and the counts.
    WriteFile("more.csv", "Name\nBulk D\n");
    auto human = Sfkit({"bulk", "import", "-s", "Account", "-f", "more.csv"});
    EXPECT_EQ(human.exit_code, 0) << human.err;
    EXPECT_NE(human.out.find("JobComplete"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("1 succeeded, 0 failed"), std::string::npos) << human.out;
}

TEST_F(CliBulk, FailedRowsAreWrittenToAFileAndTheCommandFails) {
    WriteFile("mixed.csv", "Name,Phone\nGood One,1\n,2\nGood Two,3\n");
    auto env = Run({"bulk", "import", "--sobject", "Account", "--file", "mixed.csv"}, 1);
    EXPECT_EQ(S(env.at("name")), "FAILED_RECORDS");
    ASSERT_TRUE(env.contains("data")) << json::serialize(env);
    const auto& d = env.at("data").as_object();
    EXPECT_EQ(d.at("processedRecords").to_number<int>(), 3);
    EXPECT_EQ(d.at("failedRecords").to_number<int>(), 1);
    const std::string file = S(d.at("failedResultsFile"));
    const std::string failed = ReadFile(Path(file));
    EXPECT_NE(failed.find("sf__Error"), std::string::npos) << failed;
    EXPECT_NE(failed.find("REQUIRED_FIELD_MISSING"), std::string::npos) << failed;
    EXPECT_NE(failed.find("\"2\""), std::string::npos) << failed;  // the row's own values
    EXPECT_EQ(Count("SELECT COUNT() FROM Account WHERE Name LIKE 'Good %'"), 2);

    // The human form says where the file is.
    auto human = Sfkit({"bulk", "import", "-s", "Account", "-f", "mixed.csv"});
    EXPECT_EQ(human.exit_code, 1);
    EXPECT_NE(human.out.find("-failed-records.csv"), std::string::npos) << human.out;
}

TEST_F(CliBulk, UpsertMatchesOnTheExternalIdAndDeleteRemoves) {
    WriteFile("first.csv", "Name,Customer_Number__c\nUp One,101\nUp Two,102\n");
    Run({"bulk", "import", "--sobject", "Account", "--file", "first.csv"}, 0);
    WriteFile("upsert.csv", "Customer_Number__c,Name\n101,Up One Renamed\n103,Up Three\n");
    auto env = Run({"bulk",
                    "upsert",
                    "--sobject",
                    "Account",
                    "--file",
                    "upsert.csv",
                    "--external-id",
                    "Customer_Number__c"},
                   0);
    EXPECT_EQ(env.at("result").at("processedRecords").to_number<int>(), 2);
    EXPECT_EQ(Count("SELECT COUNT() FROM Account WHERE Name LIKE 'Up %'"), 3);
    EXPECT_EQ(Count("SELECT COUNT() FROM Account WHERE Name = 'Up One Renamed' AND "
                    "Customer_Number__c = 101"),
              1);

    // Delete by Id: the ids come from the export of the same rows.
    Run({"bulk",
         "export",
         "--query",
         "SELECT Id FROM Account WHERE Name LIKE 'Up %'",
         "--output-file",
         "ids.csv"},
        0);
    auto del = Run({"bulk", "delete", "--sobject", "Account", "--file", "ids.csv"}, 0);
    EXPECT_EQ(del.at("result").at("processedRecords").to_number<int>(), 3);
    EXPECT_EQ(Count("SELECT COUNT() FROM Account WHERE Name LIKE 'Up %'"), 0);
}

TEST_F(CliBulk, ExportWritesCsvAndJsonFiles) {
    InsertAccounts(dir_.Path(), 1200, "Export ", user_id_);
    const std::string soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Export %'";
    auto csv = Run({"bulk", "export", "--query", soql, "--output-file", "out.csv"}, 0);
    EXPECT_EQ(csv.at("result").at("totalSize").to_number<int>(), 1200);
    const std::string text = ReadFile(Path("out.csv"));
    EXPECT_EQ(CountLines(text), 1201u);
    EXPECT_EQ(text.rfind("\"Id\",\"Name\"\n", 0), 0u) << text.substr(0, 40);

    auto js = Run(
        {"bulk", "export", "--query", soql, "--output-file", "out.json", "--result-format", "json"},
        0);
    EXPECT_EQ(js.at("result").at("totalSize").to_number<int>(), 1200);
    const json::value parsed = json::parse(ReadFile(Path("out.json")));
    ASSERT_TRUE(parsed.is_array());
    ASSERT_EQ(parsed.as_array().size(), 1200u);
    const auto& first = parsed.as_array()[0].as_object();
    EXPECT_EQ(S(first.at("Id")).substr(0, 3), "001");
    EXPECT_EQ(S(first.at("Name")).rfind("Export ", 0), 0u);
}

TEST_F(CliBulk, AsyncJobsArePickedUpWithStatusResultsAndJobId) {
    WriteFile("async.csv", "Name\nAsync A\nAsync B\n");
    auto started =
        Run({"bulk", "import", "--sobject", "Account", "--file", "async.csv", "--async"}, 0);
    const std::string id = S(started.at("result").at("id"));
    ASSERT_EQ(id.size(), 18u);
    EXPECT_NE(S(started.at("result").at("state")), "Open");

    auto status = Run({"bulk", "status", "--job-id", id}, 0);
    EXPECT_EQ(S(status.at("result").at("id")), id);
    EXPECT_EQ(S(status.at("result").at("object")), "Account");

    auto resumed = Run({"bulk", "import", "--job-id", id}, 0);
    EXPECT_EQ(S(resumed.at("result").at("state")), "JobComplete");
    EXPECT_EQ(resumed.at("result").at("processedRecords").to_number<int>(), 2);

    auto results = Run({"bulk", "results", "--job-id", id}, 0);
    const std::string success = ReadFile(Path(S(results.at("result").at("successFilePath"))));
    EXPECT_EQ(success.rfind("\"sf__Id\",\"sf__Created\"", 0), 0u) << success;
    EXPECT_EQ(CountLines(success), 3u);
    EXPECT_FALSE(results.at("result").as_object().contains("failedFilePath"));

    // Export: --async, then --job-id writes the file.
    auto q = Run({"bulk",
                  "export",
                  "--query",
                  "SELECT Name FROM Account WHERE Name LIKE 'Async %'",
                  "--output-file",
                  "async-out.csv",
                  "--async"},
                 0);
    const std::string qid = S(q.at("result").at("id"));
    auto qstatus = Run({"bulk", "status", "--job-id", qid}, 0);
    EXPECT_EQ(S(qstatus.at("result").at("jobType")), "V2Query");
    auto fetched = Run({"bulk", "export", "--job-id", qid, "--output-file", "async-out.csv"}, 0);
    EXPECT_EQ(fetched.at("result").at("totalSize").to_number<int>(), 2);
    EXPECT_EQ(CountLines(ReadFile(Path("async-out.csv"))), 3u);
}

TEST_F(CliBulk, UsageAndApiErrorsHaveTheirExitCodes) {
    auto no_file = Run({"bulk", "import", "--sobject", "Account"}, 2);
    EXPECT_EQ(S(no_file.at("name")), "MISSING_FLAG");
    WriteFile("x.csv", "Name\nX\n");
    auto no_ext = Run({"bulk", "upsert", "--sobject", "Account", "--file", "x.csv"}, 2);
    EXPECT_EQ(S(no_ext.at("name")), "MISSING_FLAG");
    auto bad_id = Run({"bulk", "status", "--job-id", "nope/../x"}, 2);
    EXPECT_EQ(S(bad_id.at("name")), "INVALID_JOB_ID");
    auto unknown = Run({"bulk", "status", "--job-id", "750000000000000AAA"}, 1);
    EXPECT_EQ(S(unknown.at("name")), "NOT_FOUND");
    auto bad_delim =
        Run({"bulk", "import", "-s", "Account", "-f", "x.csv", "--column-delimiter", "COLON"}, 2);
    EXPECT_EQ(S(bad_delim.at("name")), "INVALID_COLUMN_DELIMITER");
    auto bad_object = Run({"bulk", "import", "-s", "NoSuchObject__c", "-f", "x.csv"}, 1);
    EXPECT_EQ(bad_object.at("status").to_number<int>(), 1);
}

TEST_F(CliBulk, MemoryDoesNotGrowWithTheRowCount) {
    timeout_ = std::chrono::minutes(3);
    measure_rss_ = true;
    // Rows of ~2 kB: 10,000 of them (20 MB) held in memory would show at once. Import, then
    // export the same rows; the CLI's peak RSS for 10,000 rows stays within 1.5 times the one
    // for 1,000.
    const std::string filler(2000, 'x');
    auto run = [&](int rows) {
        const std::string tag = "Mem" + std::to_string(rows);
        std::string csv = "Name,Description\n";
        for (int n = 1; n <= rows; ++n) {
            csv += tag + " " + std::to_string(n) + "," + filler + "\n";
        }
        WriteFile(tag + ".csv", csv);
        auto imported = Sfkit({"bulk", "import", "--sobject", "Account", "--file", tag + ".csv"});
        EXPECT_EQ(imported.exit_code, 0) << imported.out << imported.err;
        const std::string out = tag + "-out.csv";
        auto exported =
            Sfkit({"bulk",
                   "export",
                   "--query",
                   "SELECT Name, Description FROM Account WHERE Name LIKE '" + tag + " %'",
                   "--output-file",
                   out});
        EXPECT_EQ(exported.exit_code, 0) << exported.err;
        EXPECT_EQ(CountLines(ReadFile(Path(out))), static_cast<std::size_t>(rows) + 1);
        return std::make_pair(imported.max_rss_kb, exported.max_rss_kb);
    };
    const auto small = run(1000);
    const auto large = run(10000);
    ASSERT_GT(small.first, 0);
    RecordProperty("import_rss_kb_1000", static_cast<int>(small.first));
    RecordProperty("import_rss_kb_10000", static_cast<int>(large.first));
    RecordProperty("export_rss_kb_1000", static_cast<int>(small.second));
    RecordProperty("export_rss_kb_10000", static_cast<int>(large.second));
    EXPECT_LT(static_cast<double>(large.first), 1.5 * static_cast<double>(small.first))
        << "import peak RSS " << small.first << " kB for 1,000 rows, " << large.first
        << " kB for 10,000";
    EXPECT_LT(static_cast<double>(large.second), 1.5 * static_cast<double>(small.second))
        << "export peak RSS " << small.second << " kB for 1,000 rows, " << large.second
        << " kB for 10,000";
}

}  // namespace
}  // namespace sfkit::test
