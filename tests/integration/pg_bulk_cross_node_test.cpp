// Bulk jobs of one org served by two sfkit nodes on PostgreSQL (issue 13): a job is claimed by
// exactly one node (a lease in the job's row, FOR UPDATE SKIP LOCKED), its bytes (upload,
// results) are in the database so any node serves them, and a node that stops renewing its
// lease mid-job loses the job to the other, which finishes it from the last committed chunk
// without losing or repeating a row, also when the node is killed with SIGKILL (a real
// `sfkit serve` process). Skipped (visibly) without a PostgreSQL server; run by CTest
// as `pg_bulk_cross_node` with the cluster fixture.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server/bulk/bulk_services.hpp"
#include "server/storage/database.hpp"
#include "support/pg_scratch.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

const std::string kData = "/services/data/v60.0";
const std::string kIngest = kData + "/jobs/ingest";
constexpr const char* kJson = "Content-Type: application/json";
constexpr const char* kCsv = "Content-Type: text/csv";

/// Rows of a CSV result body without its header line.
std::vector<std::string> DataLines(const std::string& body) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    bool header = true;
    while (pos < body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string::npos) {
            end = body.size();
        }
        if (!header && end > pos) {
            lines.push_back(body.substr(pos, end - pos));
        }
        header = false;
        pos = end + 1;
    }
    return lines;
}

/// `Name` cells `<prefix> <i>` for i in [0, rows).
std::string AccountsCsv(const std::string& prefix, int rows) {
    std::string csv = "Name,NumberOfEmployees\n";
    for (int i = 0; i < rows; ++i) {
        csv += prefix + " " + std::to_string(i) + "," + std::to_string(i) + "\n";
    }
    return csv;
}

/// Blocks the first chunk-committed call for a job until opened: a node "stalls" mid-job
/// holding its lease, as a node that hangs or dies would.
class ChunkGate {
public:
    void Committed() {
        std::unique_lock lock(mu_);
        if (++calls_ != 1) {
            return;
        }
        held_ = true;
        cv_.notify_all();
        cv_.wait(lock, [this] { return open_; });
    }
    /// Whether the gate was reached (within a deadline against a hang).
    bool WaitHeld() {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(90), [this] { return held_; });
    }
    void Open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int calls_ = 0;
    bool held_ = false;
    bool open_ = false;
};

class PgBulkCrossNodeTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto server = PgTestServer();
        if (!server) {
            GTEST_SKIP() << kNoPgServer;
        }
        scratch_ = std::make_unique<PgScratch>(*server);
    }
    server::LocalOrgOptions NodeOptions() const {
        server::LocalOrgOptions o = TestOrg::DefaultOptions();
        o.database = scratch_->Target();
        o.bulk_chunk_rows = 5;
        o.bulk_threads = 1;
        o.bulk_lease = std::chrono::milliseconds(500);
        o.bulk_poll = std::chrono::milliseconds(50);
        return o;
    }
    void Auth(TestOrg& node) { token_ = node.Login(); }
    RawResponse Call(TestOrg& node,
                     const std::string& method,
                     const std::string& target,
                     std::vector<std::string> headers = {},
                     const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + token_);
        return Fetch(node.Port(), method, target, headers, body);
    }
    std::string NewJob(TestOrg& node) {
        auto r = Call(node,
                      "POST",
                      kIngest,
                      {kJson},
                      R"({"object":"Account","operation":"insert","lineEnding":"LF"})");
        EXPECT_EQ(r.status, 200) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }
    void Upload(TestOrg& node, const std::string& id, const std::string& csv) {
        auto r = Call(node, "PUT", kIngest + "/" + id + "/batches", {kCsv}, csv);
        EXPECT_EQ(r.status, 201) << r.body;
    }
    void Close(TestOrg& node, const std::string& id) {
        auto r = Call(node, "PATCH", kIngest + "/" + id, {kJson}, R"({"state":"UploadComplete"})");
        EXPECT_EQ(r.status, 200) << r.body;
    }
    json::object Job(TestOrg& node, const std::string& id) {
        auto r = Call(node, "GET", kIngest + "/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
    }
    /// Reads the job on `node` until it is terminal (a deadline against a hang, not a timing
    /// assertion).
    json::object WaitTerminal(TestOrg& node, const std::string& id) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (true) {
            json::object job = Job(node, id);
            const auto* state = job.if_contains("state");
            if (state == nullptr) {
                return job;
            }
            const std::string s(state->as_string());
            if (s == "JobComplete" || s == "Failed" || s == "Aborted" ||
                std::chrono::steady_clock::now() > deadline) {
                return job;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    std::string Results(TestOrg& node, const std::string& id, const std::string& kind) {
        auto r = Call(node, "GET", kIngest + "/" + id + "/" + kind);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.body;
    }
    /// The names of the Accounts whose Name starts with `prefix`, through REST SOQL (all pages).
    std::vector<std::string> AccountNames(TestOrg& node, const std::string& prefix) {
        std::vector<std::string> names;
        std::string next =
            kData + "/query?q=SELECT+Name+FROM+Account+WHERE+Name+LIKE+'" + prefix + "%25'";
        while (!next.empty()) {
            auto r = Call(node, "GET", next);
            EXPECT_EQ(r.status, 200) << r.body;
            if (r.status != 200) {
                break;
            }
            const json::object page = json::parse(r.body).as_object();
            for (const auto& rec : page.at("records").as_array()) {
                names.emplace_back(rec.at("Name").as_string());
            }
            const auto* url = page.if_contains("nextRecordsUrl");
            next = url != nullptr && url->is_string() ? std::string(url->as_string()) : "";
        }
        return names;
    }

    // ---- Bulk API 1.0 (/services/async), JSON jobs ----
    RawResponse Async(TestOrg& node,
                      const std::string& method,
                      const std::string& path,
                      const std::string& body = {}) {
        return Fetch(node.Port(),
                     method,
                     "/services/async/60.0" + path,
                     {kJson, "X-SFDC-Session: " + token_},
                     body);
    }
    std::string NewBulk1Job(TestOrg& node, const std::string& mode = "Parallel") {
        auto r = Async(node,
                       "POST",
                       "/job",
                       R"({"operation":"insert","object":"Account","contentType":"JSON",)"
                       R"("concurrencyMode":")" +
                           mode + R"("})");
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(json::parse(r.body).at("id").as_string()) : "";
    }
    /// Adds a batch of `rows` Accounts named `<prefix> <i>`; its id.
    std::string AddBulk1Batch(TestOrg& node,
                              const std::string& job,
                              const std::string& prefix,
                              int rows) {
        json::array records;
        for (int i = 0; i < rows; ++i) {
            records.emplace_back(json::object{{"Name", prefix + " " + std::to_string(i)}});
        }
        auto r = Async(node, "POST", "/job/" + job + "/batch", json::serialize(records));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(json::parse(r.body).at("id").as_string()) : "";
    }
    json::object Bulk1Batch(TestOrg& node, const std::string& job, const std::string& batch) {
        auto r = Async(node, "GET", "/job/" + job + "/batch/" + batch);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
    }
    /// Reads the batch on `node` until it is Completed, Failed or NotProcessed (a deadline
    /// against a hang, not a timing assertion).
    json::object WaitBulk1Batch(TestOrg& node, const std::string& job, const std::string& batch) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (true) {
            json::object info = Bulk1Batch(node, job, batch);
            const auto* state = info.if_contains("state");
            if (state == nullptr) {
                return info;
            }
            const std::string s(state->as_string());
            if (s == "Completed" || s == "Failed" || s == "NotProcessed" ||
                std::chrono::steady_clock::now() > deadline) {
                return info;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    /// The ids of a completed ingest batch's results, each checked successful and created.
    std::vector<std::string> Bulk1ResultIds(TestOrg& node,
                                            const std::string& job,
                                            const std::string& batch) {
        auto r = Async(node, "GET", "/job/" + job + "/batch/" + batch + "/result");
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> ids;
        if (r.status != 200) {
            return ids;
        }
        const json::value rows = json::parse(r.body);
        for (const auto& row : rows.as_array()) {
            EXPECT_TRUE(row.at("success").as_bool()) << json::serialize(row);
            EXPECT_TRUE(row.at("created").as_bool()) << json::serialize(row);
            ids.emplace_back(row.at("id").as_string());
        }
        return ids;
    }

    std::unique_ptr<PgScratch> scratch_;
    std::string token_;
};

TEST_F(PgBulkCrossNodeTest, UploadedOnAClosedOnBResultsServedByBoth) {
    TestOrg a(NodeOptions());
    TestOrg b(NodeOptions());
    Auth(a);
    const std::string id = NewJob(a);
    std::string csv = AccountsCsv("XNode", 23);
    csv += ",7\n";  // no Name: this row fails
    Upload(a, id, csv);
    Close(b, id);
    const json::object job = WaitTerminal(b, id);
    ASSERT_EQ(job.at("state").as_string(), "JobComplete") << json::serialize(job);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), 24);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 1);
    // Each node serves the same results, whichever processed the job.
    for (TestOrg* node : {&a, &b}) {
        const std::string ok = Results(*node, id, "successfulResults");
        EXPECT_EQ(ok.substr(0, ok.find('\n')), R"("sf__Id","sf__Created",Name,NumberOfEmployees)");
        EXPECT_EQ(DataLines(ok).size(), 23u) << ok;
        const std::string failed = Results(*node, id, "failedResults");
        ASSERT_EQ(DataLines(failed).size(), 1u) << failed;
        EXPECT_NE(failed.find("REQUIRED_FIELD_MISSING"), std::string::npos) << failed;
        EXPECT_EQ(DataLines(Results(*node, id, "unprocessedrecords")).size(), 0u);
    }
    EXPECT_EQ(Results(a, id, "successfulResults"), Results(b, id, "successfulResults"));
    EXPECT_EQ(AccountNames(a, "XNode").size(), 23u);
    // Deleted through one node: gone on both.
    auto r = Call(b, "DELETE", kIngest + "/" + id);
    EXPECT_EQ(r.status, 204) << r.body;
    r = Call(a, "GET", kIngest + "/" + id + "/successfulResults");
    EXPECT_EQ(r.status, 404) << r.body;
}

TEST_F(PgBulkCrossNodeTest, UnprocessedRowsOfAnAbortedJobAreServedByTheOtherNode) {
    TestOrg a(NodeOptions());
    TestOrg b(NodeOptions());
    Auth(a);
    const std::string id = NewJob(a);
    const std::string csv = AccountsCsv("Unproc", 12);
    Upload(a, id, csv);
    auto r = Call(a, "PATCH", kIngest + "/" + id, {kJson}, R"({"state":"Aborted"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Results(b, id, "unprocessedrecords"), csv);
}

TEST_F(PgBulkCrossNodeTest, TwoNodesRacingForJobsProcessEachExactlyOnce) {
    TestOrg a(NodeOptions());
    TestOrg b(NodeOptions());
    Auth(a);
    constexpr int kJobs = 8;
    constexpr int kRows = 31;
    std::vector<std::string> ids;
    for (int j = 0; j < kJobs; ++j) {
        TestOrg& node = j % 2 == 0 ? a : b;
        ids.push_back(NewJob(node));
        Upload(node, ids.back(), AccountsCsv("Race" + std::to_string(j) + "x", kRows));
    }
    // Closed through alternating nodes, so both pollers see ready jobs at once.
    for (int j = 0; j < kJobs; ++j) {
        Close(j % 2 == 0 ? b : a, ids[static_cast<std::size_t>(j)]);
    }
    for (const auto& id : ids) {
        const json::object job = WaitTerminal(a, id);
        ASSERT_EQ(job.at("state").as_string(), "JobComplete") << json::serialize(job);
        EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), kRows);
        EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
        EXPECT_EQ(DataLines(Results(b, id, "successfulResults")).size(),
                  static_cast<std::size_t>(kRows));
    }
    const std::vector<std::string> names = AccountNames(b, "Race");
    const std::set<std::string> unique(names.begin(), names.end());
    EXPECT_EQ(names.size(), static_cast<std::size_t>(kJobs * kRows));
    EXPECT_EQ(unique.size(), names.size()) << "a row was inserted twice";
}

TEST_F(PgBulkCrossNodeTest, ANodeThatStallsMidJobLosesItAndItsNextChunkWritesNothing) {
    // A: a short lease, and it hangs after its first committed chunk (as a node that hangs or
    // is cut off would), holding the lease until it lapses.
    auto gate_a = std::make_shared<ChunkGate>();
    server::LocalOrgOptions oa = NodeOptions();
    oa.bulk_chunk_committed = [gate_a](const std::string&) { gate_a->Committed(); };
    auto a = std::make_unique<TestOrg>(oa);
    Auth(*a);
    constexpr int kRows = 53;
    const std::string id = NewJob(*a);
    Upload(*a, id, AccountsCsv("Stall", kRows));
    Close(*a, id);
    ASSERT_TRUE(gate_a->WaitHeld());
    EXPECT_EQ(Job(*a, id).at("numberRecordsProcessed").as_int64(), 5);
    // B starts only now (so it cannot have claimed the job first), takes the job over once A's
    // lease lapsed, and hangs after its own first chunk, with a lease long enough to hold.
    auto gate_b = std::make_shared<ChunkGate>();
    server::LocalOrgOptions ob = NodeOptions();
    ob.bulk_lease = std::chrono::minutes(5);
    ob.bulk_chunk_committed = [gate_b](const std::string&) { gate_b->Committed(); };
    TestOrg b(ob);
    // Whatever happens below, the gates open before the nodes stop (a node waits for its steps).
    struct Opener {
        std::shared_ptr<ChunkGate> a, b;
        ~Opener() {
            a->Open();
            b->Open();
        }
    } opener{gate_a, gate_b};
    ASSERT_TRUE(gate_b->WaitHeld());
    EXPECT_EQ(Job(b, id).at("numberRecordsProcessed").as_int64(), 10);
    // A wakes up: its next chunk finds the job taken (the lease check in the chunk's
    // transaction) and writes nothing; it cannot claim the job back while B's lease holds.
    gate_a->Open();
    a->Org().Bulk().Drain();
    EXPECT_EQ(Job(*a, id).at("numberRecordsProcessed").as_int64(), 10);
    EXPECT_EQ(AccountNames(*a, "Stall").size(), 10u);
    // B goes on and finishes: every row once.
    gate_b->Open();
    const json::object job = WaitTerminal(b, id);
    ASSERT_EQ(job.at("state").as_string(), "JobComplete") << json::serialize(job);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), kRows);
    const std::vector<std::string> ok = DataLines(Results(*a, id, "successfulResults"));
    EXPECT_EQ(ok.size(), static_cast<std::size_t>(kRows));
    const std::vector<std::string> names = AccountNames(b, "Stall");
    const std::set<std::string> unique(names.begin(), names.end());
    EXPECT_EQ(names.size(), static_cast<std::size_t>(kRows));
    EXPECT_EQ(unique.size(), names.size()) << "a row was inserted twice";
    for (int i = 0; i < kRows; ++i) {
        EXPECT_EQ(unique.count("Stall " + std::to_string(i)), 1u) << i;
    }
}

// Bulk 1.0: a query batch's result set is in the database too, so the other node serves it.
TEST_F(PgBulkCrossNodeTest, ABulk1QueryResultIsServedByTheOtherNode) {
    TestOrg a(NodeOptions());
    TestOrg b(NodeOptions());
    Auth(a);
    const std::string async = "/services/async/60.0";
    const std::string session = "X-SFDC-Session: " + token_;
    auto r = Call(a,
                  "POST",
                  kData + "/composite/sobjects",
                  {kJson},
                  R"({"records":[{"attributes":{"type":"Account"},"Name":"One Q1"},)"
                  R"({"attributes":{"type":"Account"},"Name":"One Q2"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    r = Fetch(a.Port(),
              "POST",
              async + "/job",
              {kJson, session},
              R"({"operation":"query","object":"Account","contentType":"JSON"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string job(json::parse(r.body).at("id").as_string());
    r = Fetch(a.Port(),
              "POST",
              async + "/job/" + job + "/batch",
              {kJson, session},
              "SELECT Name FROM Account WHERE Name LIKE 'One Q%' ORDER BY Name");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string batch(json::parse(r.body).at("id").as_string());
    const std::string url = async + "/job/" + job + "/batch/" + batch;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    std::string state;
    while (state != "Completed" && state != "Failed" &&
           std::chrono::steady_clock::now() < deadline) {
        r = Fetch(b.Port(), "GET", url, {kJson, session});
        ASSERT_EQ(r.status, 200) << r.body;
        state = std::string(json::parse(r.body).at("state").as_string());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(state, "Completed") << r.body;
    r = Fetch(b.Port(), "GET", url + "/result", {kJson, session});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string rid(json::parse(r.body).as_array().at(0).as_string());
    for (TestOrg* node : {&b, &a}) {
        r = Fetch(node->Port(), "GET", url + "/result/" + rid, {kJson, session});
        ASSERT_EQ(r.status, 200) << r.body;
        const json::array rows = json::parse(r.body).as_array();
        ASSERT_EQ(rows.size(), 2u) << r.body;
        EXPECT_EQ(rows[0].at("Name").as_string(), "One Q1");
        EXPECT_EQ(rows[1].at("Name").as_string(), "One Q2");
    }
}

// A real node (the sfkit binary) is killed with SIGKILL while it processes a job; the other node
// takes the job over once the dead node's lease lapsed and finishes it from the last committed
// chunk. Deterministic without timing: the test holds a row lock on the record of row 23, so
// the dead node's fifth chunk cannot commit; it is killed once four chunks committed.
TEST_F(PgBulkCrossNodeTest, Kill9OfTheNodeProcessingAJobTheOtherFinishesItWithEveryRowOnce) {
    TempDir root;
    ServeConfig config;
    config.org_def_file = TestDataPath("org-def.json");
    config.data_dir = root.Path() + "/a";
    config.extra_args = {"--database",
                         scratch_->Target(),
                         "--bulk-chunk-rows",
                         "5",
                         "--bulk-lease-ms",
                         "500",
                         "--bulk-poll-ms",
                         "50"};
    auto a = std::make_unique<ServeProcess>(config);
    const std::string login = std::string("grant_type=password&client_id=") + kClientId +
                              "&client_secret=" + kClientSecret +
                              "&username=admin%40acme.test&password=Passw0rd%21" + kSecurityToken;
    auto r = Fetch(a->Port(),
                   "POST",
                   "/services/oauth2/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   login);
    ASSERT_EQ(r.status, 200) << r.body;
    token_ = std::string(json::parse(r.body).at("access_token").as_string());
    const auto on_a = [&](const std::string& method,
                          const std::string& target,
                          std::vector<std::string> headers = {},
                          const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + token_);
        return Fetch(a->Port(), method, target, headers, body);
    };
    // 40 Accounts, then a job that updates each one's NumberOfEmployees.
    constexpr int kRows = 40;
    json::array records;
    for (int i = 0; i < kRows; ++i) {
        records.emplace_back(json::object{{"attributes", json::object{{"type", "Account"}}},
                                          {"Name", "Kill " + std::to_string(i)}});
    }
    r = on_a("POST",
             kData + "/composite/sobjects",
             {kJson},
             json::serialize(json::object{{"allOrNone", true}, {"records", records}}));
    ASSERT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json::value created = json::parse(r.body);
    for (const auto& res : created.as_array()) {
        ASSERT_TRUE(res.as_object().contains("id")) << r.body;
        ids.emplace_back(res.at("id").as_string());
    }
    ASSERT_EQ(ids.size(), static_cast<std::size_t>(kRows));
    std::string csv = "Id,NumberOfEmployees\n";
    for (int i = 0; i < kRows; ++i) {
        csv += ids[static_cast<std::size_t>(i)] + "," + std::to_string(1000 + i) + "\n";
    }
    r = on_a(
        "POST", kIngest, {kJson}, R"({"object":"Account","operation":"update","lineEnding":"LF"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string id(json::parse(r.body).at("id").as_string());
    {
        // Row 23 (the fifth chunk) waits for this lock.
        server::Database db(scratch_->Target());
        server::Transaction lock(db);
        server::Statement st =
            db.Prepare(R"(SELECT 1 FROM "sobject_Account" WHERE "Id" = ? FOR UPDATE)");
        st.Bind(1, ids[23]);
        ASSERT_TRUE(st.Step());
        while (st.Step()) {
        }
        r = on_a("PUT", kIngest + "/" + id + "/batches", {kCsv}, csv);
        ASSERT_EQ(r.status, 201) << r.body;
        r = on_a("PATCH", kIngest + "/" + id, {kJson}, R"({"state":"UploadComplete"})");
        ASSERT_EQ(r.status, 200) << r.body;
        // Four chunks commit; the fifth cannot (a deadline against a hang, not a timing check).
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        std::int64_t processed = 0;
        while (processed < 20 && std::chrono::steady_clock::now() < deadline) {
            r = on_a("GET", kIngest + "/" + id);
            ASSERT_EQ(r.status, 200) << r.body;
            const auto* n = json::parse(r.body).as_object().if_contains("numberRecordsProcessed");
            processed = n != nullptr ? n->as_int64() : 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ASSERT_EQ(processed, 20);
        a->KillHard();
    }  // the lock goes: the dead node's half chunk is rolled back with its connection
    TestOrg b(NodeOptions());
    const json::object job = WaitTerminal(b, id);
    ASSERT_EQ(job.at("state").as_string(), "JobComplete") << json::serialize(job);
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), kRows);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
    // Every row exactly once in the results, and every record updated.
    const std::vector<std::string> ok = DataLines(Results(b, id, "successfulResults"));
    ASSERT_EQ(ok.size(), static_cast<std::size_t>(kRows));
    std::set<std::string> seen;
    for (const auto& line : ok) {
        seen.insert(line.substr(1, 18));
    }
    EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
    r = Call(
        b, "GET", kData + "/query?q=SELECT+COUNT()+FROM+Account+WHERE+NumberOfEmployees+>=+1000");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("totalSize").as_int64(), kRows);
}

}  // namespace
}  // namespace sfkit::test

namespace sfkit::test {
namespace {

// Bulk 1.0 batches are claimed with a lease like Bulk 2.0 jobs: A stalls mid-batch holding its
// batch, and a second batch posted to A (whose one worker thread is busy) is claimed and run by
// B; once A's lease lapsed B takes the first batch over from A's last committed chunk; A's next
// chunk, when it wakes, writes nothing. Every row exactly once.
TEST_F(PgBulkCrossNodeTest, Bulk1BatchesOfAStalledNodeAreRunByTheOtherWithEveryRowOnce) {
    auto gate_a = std::make_shared<ChunkGate>();
    server::LocalOrgOptions oa = NodeOptions();
    oa.bulk_chunk_committed = [gate_a](const std::string&) { gate_a->Committed(); };
    auto a = std::make_unique<TestOrg>(oa);
    struct Opener {
        std::shared_ptr<ChunkGate> gate;
        ~Opener() { gate->Open(); }
    } opener{gate_a};
    Auth(*a);
    constexpr int kFirst = 23;
    constexpr int kSecond = 17;
    const std::string job = NewBulk1Job(*a);
    ASSERT_FALSE(job.empty());
    const std::string first = AddBulk1Batch(*a, job, "OneStall", kFirst);
    ASSERT_TRUE(gate_a->WaitHeld());
    EXPECT_EQ(Bulk1Batch(*a, job, first).at("numberRecordsProcessed").as_int64(), 5);
    // Posted to A while A's only worker thread is stuck: A cannot claim it.
    const std::string second = AddBulk1Batch(*a, job, "OneMore", kSecond);
    EXPECT_EQ(Bulk1Batch(*a, job, second).at("state").as_string(), "Queued");
    // B (started only now, so it claimed nothing before) runs both while A is still stalled.
    server::LocalOrgOptions ob = NodeOptions();
    ob.bulk_lease = std::chrono::minutes(5);
    TestOrg b(ob);
    for (const auto& [batch, rows] : {std::pair{first, kFirst}, std::pair{second, kSecond}}) {
        const json::object info = WaitBulk1Batch(b, job, batch);
        ASSERT_EQ(info.at("state").as_string(), "Completed") << json::serialize(info);
        EXPECT_EQ(info.at("numberRecordsProcessed").as_int64(), rows);
        EXPECT_EQ(info.at("numberRecordsFailed").as_int64(), 0);
    }
    // A wakes up: its next chunk of the first batch finds the batch taken and writes nothing.
    gate_a->Open();
    a->Org().Bulk().Drain();
    EXPECT_EQ(Bulk1Batch(*a, job, first).at("numberRecordsProcessed").as_int64(), kFirst);
    const std::vector<std::string> ids = Bulk1ResultIds(*a, job, first);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kFirst));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    EXPECT_EQ(Bulk1ResultIds(b, job, second).size(), static_cast<std::size_t>(kSecond));
    for (const auto& [prefix, rows] :
         {std::pair{std::string("OneStall"), kFirst}, std::pair{std::string("OneMore"), kSecond}}) {
        const std::vector<std::string> names = AccountNames(b, prefix);
        const std::set<std::string> unique(names.begin(), names.end());
        EXPECT_EQ(names.size(), static_cast<std::size_t>(rows)) << prefix;
        EXPECT_EQ(unique.size(), names.size()) << "a row of " << prefix << " was inserted twice";
    }
}

// A real node (the sfkit binary) is killed with SIGKILL mid-way through a Bulk 1.0 batch; the
// other node takes the batch over once the dead node's lease lapsed and finishes it from the
// last committed chunk. As for the Bulk 2.0 test above, a row lock held by the test on the
// record of row 23 keeps the dead node's fifth chunk from committing.
TEST_F(PgBulkCrossNodeTest, Kill9OfTheNodeRunningABulk1BatchTheOtherFinishesItWithEveryRowOnce) {
    TempDir root;
    ServeConfig config;
    config.org_def_file = TestDataPath("org-def.json");
    config.data_dir = root.Path() + "/a";
    config.extra_args = {"--database",
                         scratch_->Target(),
                         "--bulk-chunk-rows",
                         "5",
                         "--bulk-lease-ms",
                         "500",
                         "--bulk-poll-ms",
                         "50"};
    auto a = std::make_unique<ServeProcess>(config);
    auto r = Fetch(a->Port(),
                   "POST",
                   "/services/oauth2/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   std::string("grant_type=password&client_id=") + kClientId +
                       "&client_secret=" + kClientSecret +
                       "&username=admin%40acme.test&password=Passw0rd%21" + kSecurityToken);
    ASSERT_EQ(r.status, 200) << r.body;
    token_ = std::string(json::parse(r.body).at("access_token").as_string());
    const auto on_a =
        [&](const std::string& method, const std::string& target, const std::string& body = {}) {
            return Fetch(a->Port(),
                         method,
                         target,
                         {kJson, "Authorization: Bearer " + token_, "X-SFDC-Session: " + token_},
                         body);
        };
    constexpr int kRows = 40;
    json::array records;
    for (int i = 0; i < kRows; ++i) {
        records.emplace_back(json::object{{"attributes", json::object{{"type", "Account"}}},
                                          {"Name", "OneKill " + std::to_string(i)}});
    }
    r = on_a("POST",
             kData + "/composite/sobjects",
             json::serialize(json::object{{"allOrNone", true}, {"records", records}}));
    ASSERT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json::value created = json::parse(r.body);
    for (const auto& res : created.as_array()) {
        ids.emplace_back(res.at("id").as_string());
    }
    ASSERT_EQ(ids.size(), static_cast<std::size_t>(kRows));
    json::array updates;
    for (int i = 0; i < kRows; ++i) {
        updates.emplace_back(json::object{{"Id", ids[static_cast<std::size_t>(i)]},
                                          {"NumberOfEmployees", 2000 + i}});
    }
    const std::string async = "/services/async/60.0";
    r = on_a("POST",
             async + "/job",
             R"({"operation":"update","object":"Account","contentType":"JSON"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string job(json::parse(r.body).at("id").as_string());
    std::string batch;
    {
        // Row 23 (the fifth chunk) waits for this lock.
        server::Database db(scratch_->Target());
        server::Transaction lock(db);
        server::Statement st =
            db.Prepare(R"(SELECT 1 FROM "sobject_Account" WHERE "Id" = ? FOR UPDATE)");
        st.Bind(1, ids[23]);
        ASSERT_TRUE(st.Step());
        while (st.Step()) {
        }
        r = on_a("POST", async + "/job/" + job + "/batch", json::serialize(updates));
        ASSERT_EQ(r.status, 201) << r.body;
        batch = std::string(json::parse(r.body).at("id").as_string());
        // Four chunks commit; the fifth cannot (a deadline against a hang, not a timing check).
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        std::int64_t processed = 0;
        while (processed < 20 && std::chrono::steady_clock::now() < deadline) {
            r = on_a("GET", async + "/job/" + job + "/batch/" + batch);
            ASSERT_EQ(r.status, 200) << r.body;
            processed = json::parse(r.body).at("numberRecordsProcessed").as_int64();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ASSERT_EQ(processed, 20);
        a->KillHard();
    }  // the lock goes: the dead node's half chunk is rolled back with its connection
    TestOrg b(NodeOptions());
    const json::object info = WaitBulk1Batch(b, job, batch);
    ASSERT_EQ(info.at("state").as_string(), "Completed") << json::serialize(info);
    EXPECT_EQ(info.at("numberRecordsProcessed").as_int64(), kRows);
    EXPECT_EQ(info.at("numberRecordsFailed").as_int64(), 0);
    // Every row exactly once in the results (updates: success, not created), in request order.
    r = Async(b, "GET", "/job/" + job + "/batch/" + batch + "/result");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value results = json::parse(r.body);
    ASSERT_EQ(results.as_array().size(), static_cast<std::size_t>(kRows)) << r.body;
    for (int i = 0; i < kRows; ++i) {
        const json::value& row = results.as_array()[static_cast<std::size_t>(i)];
        EXPECT_EQ(row.at("id").as_string(), ids[static_cast<std::size_t>(i)]) << i;
        EXPECT_TRUE(row.at("success").as_bool()) << i;
        EXPECT_FALSE(row.at("created").as_bool()) << i;
    }
    r = Call(
        b, "GET", kData + "/query?q=SELECT+COUNT()+FROM+Account+WHERE+NumberOfEmployees+>=+2000");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("totalSize").as_int64(), kRows);
}

// A Serial job's batches run one at a time and in order, whichever node claims each: batches
// posted alternately to two nodes commit their chunks batch after batch (each node logs its
// committed chunks into one list; a node logs a chunk just after its commit, so a batch's last
// entry may trail the next batch's first one, and the check allows exactly that).
TEST_F(PgBulkCrossNodeTest, Bulk1SerialBatchesPostedToTwoNodesRunInOrder) {
    struct Log {
        std::mutex mu;
        std::vector<std::string> chunks;  // batch ids, one per committed chunk
    };
    auto log = std::make_shared<Log>();
    server::LocalOrgOptions options = NodeOptions();
    options.bulk_chunk_committed = [log](const std::string& batch) {
        std::lock_guard lock(log->mu);
        log->chunks.push_back(batch);
    };
    TestOrg a(options);
    TestOrg b(options);
    Auth(a);
    const std::string job = NewBulk1Job(a, "Serial");
    ASSERT_FALSE(job.empty());
    constexpr int kBatches = 6;
    std::vector<std::string> batches;
    for (int i = 0; i < kBatches; ++i) {
        // 12 records: three chunks of at most 5.
        batches.push_back(AddBulk1Batch(i % 2 == 0 ? a : b, job, "Ser" + std::to_string(i), 12));
    }
    std::set<std::string> all_ids;
    for (const auto& batch : batches) {
        const json::object info = WaitBulk1Batch(a, job, batch);
        ASSERT_EQ(info.at("state").as_string(), "Completed") << json::serialize(info);
        const auto ids = Bulk1ResultIds(b, job, batch);
        EXPECT_EQ(ids.size(), 12u);
        all_ids.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(all_ids.size(), static_cast<std::size_t>(kBatches) * 12u);
    std::lock_guard lock(log->mu);
    std::vector<std::vector<std::size_t>> at(kBatches);  // each batch's positions in the log
    for (std::size_t n = 0; n < log->chunks.size(); ++n) {
        for (int i = 0; i < kBatches; ++i) {
            if (log->chunks[n] == batches[static_cast<std::size_t>(i)]) {
                at[static_cast<std::size_t>(i)].push_back(n);
            }
        }
    }
    for (std::size_t i = 0; i < at.size(); ++i) {
        ASSERT_EQ(at[i].size(), 3u) << "batch " << i << ": chunks committed";
    }
    for (std::size_t i = 1; i < at.size(); ++i) {
        EXPECT_GT(at[i][0], at[i - 1][1])
            << "batch " << i << " started before batch " << i - 1 << " was done";
        EXPECT_GT(at[i][1], at[i - 1][2]) << "batch " << i << " ran alongside batch " << i - 1;
    }
}

}  // namespace
}  // namespace sfkit::test
