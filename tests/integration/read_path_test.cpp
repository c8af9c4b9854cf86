// The read path under a heavy request (issue "hardening", defect 1): a search of 1,500 OR'ed
// terms over tens of thousands of Accounts must not delay a record GET on another connection,
// and a query or search that runs past the org's query time limit answers Salesforce's
// QUERY_TIMEOUT instead of running on.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server/storage/database.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kAccounts = 30000;

/// An org on disk (so that the test can fill it through SQL) with kAccounts Accounts.
class BigOrg {
public:
    explicit BigOrg(std::chrono::milliseconds query_time_limit) {
        server::LocalOrgOptions options = TestOrg::DefaultOptions();
        options.in_memory = false;
        options.data_dir = dir_.Path() + "/org";
        options.query_time_limit = query_time_limit;
        org_ = std::make_unique<TestOrg>(options);
        auth_ = "Authorization: Bearer " + org_->Login();
        const RawResponse created = Fetch(org_->Port(),
                                          "POST",
                                          "/services/data/v60.0/sobjects/Account",
                                          {auth_, "Content-Type: application/json"},
                                          R"({"Name":"Template Account","Industry":"Energy"})");
        if (created.status != 201) {
            throw std::runtime_error("create failed: " + created.body);
        }
        template_id_ = std::string(json::parse(created.body).at("id").as_string());
        Fill(options.data_dir + "/org.db");
    }
    ~BigOrg() { org_.reset(); }

    RawResponse Get(const std::string& target) const {
        return Fetch(org_->Port(), "GET", target, {auth_});
    }
    const std::string& TemplateId() const { return template_id_; }

private:
    /// Copies the template Account kAccounts times in one INSERT ... SELECT, through a
    /// connection of its own (the org's writer is not involved).
    void Fill(const std::string& db_path) const {
        server::Database db(db_path);
        std::vector<std::string> columns;
        {
            auto lock = db.Acquire();
            server::Statement info =
                db.Prepare("SELECT name FROM pragma_table_info('sobject_Account')");
            while (info.Step()) {
                columns.push_back(info.Text(0));
            }
        }
        std::string names;
        std::string values;
        for (const std::string& c : columns) {
            names += (names.empty() ? "\"" : ",\"") + c + "\"";
            values += values.empty() ? "" : ",";
            if (c == "Id") {
                values += "printf('001Zz%010dAAA', x)";
            } else if (c == "Name") {
                values += "'Bulk Account ' || x";
            } else {
                values += "a.\"" + c + "\"";
            }
        }
        server::Transaction tx(db);
        server::Statement fill =
            db.Prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " +
                       std::to_string(kAccounts) + ") INSERT INTO sobject_Account (" + names +
                       ") SELECT " + values + " FROM c, sobject_Account a WHERE a.\"Id\" = ?");
        fill.Bind(1, template_id_);
        fill.Run();
        tx.Commit();
    }

    TempDir dir_;  // outlives org_ (declared first)
    std::unique_ptr<TestOrg> org_;
    std::string auth_;
    std::string template_id_;
};

/// `FIND {zq OR zq OR ...}` with `terms` terms (1,500 is ~9 KB), URL-encoded.
std::string HugeSearch(int terms) {
    std::string q = "/services/data/v60.0/search?q=FIND+%7Bzq";
    for (int i = 1; i < terms; ++i) {
        q += "+OR+zq";
    }
    return q + "%7D+RETURNING+Account(Id)";
}

bool IsQueryTimeout(const RawResponse& r) {
    if (r.status != 400) {
        return false;
    }
    const json::value body = json::parse(r.body);
    return body.is_array() && body.as_array().size() == 1 &&
           body.as_array()[0].at("errorCode").as_string() == "QUERY_TIMEOUT" &&
           body.as_array()[0].at("message").as_string() ==
               "Your query request was running for too long.";
}

TEST(ReadPath, ARecordGetAnswersWhileAHugeSearchRuns) {
    // A limit long enough that the search keeps one request thread busy for a while on any
    // build, short enough to keep the test quick: it completes or answers QUERY_TIMEOUT.
    BigOrg org(3s);
    const std::string get = "/services/data/v60.0/sobjects/Account/" + org.TemplateId();
    ASSERT_EQ(org.Get(get).status, 200);

    std::atomic<bool> search_done{false};
    RawResponse search;
    Clock::duration search_took{};
    std::thread searcher([&] {
        const auto start = Clock::now();
        search = org.Get(HugeSearch(1500));
        search_took = Clock::now() - start;
        search_done = true;
    });
    std::this_thread::sleep_for(100ms);  // let the search start first
    const auto ms = [](Clock::duration d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::vector<long long> gets;  // ms, of the GETs that overlapped the search
    bool gets_ok = true;
    while (!search_done) {
        const auto start = Clock::now();
        const RawResponse r = org.Get(get);
        const auto took = Clock::now() - start;
        if (search_done) {
            break;
        }
        gets_ok = gets_ok && r.status == 200;
        gets.push_back(ms(took));
        std::this_thread::sleep_for(20ms);
    }
    searcher.join();
    EXPECT_TRUE(gets_ok);
    ASSERT_TRUE(search.status == 200 || IsQueryTimeout(search)) << search.status << search.body;
    ASSERT_FALSE(gets.empty()) << "the search ended before any GET ran";
    const long long slowest = *std::max_element(gets.begin(), gets.end());
    // Before the read pool every GET waited for the search's lock: its latency was the rest of
    // the search. Now it is the GET's own work.
    EXPECT_LT(slowest * 4, ms(search_took)) << "slowest GET " << slowest << " ms of " << gets.size()
                                            << ", search " << ms(search_took) << " ms";
}

TEST(ReadPath, QueriesAndSearchesPastTheTimeLimitAnswerQueryTimeout) {
    BigOrg org(20ms);
    const RawResponse search = org.Get(HugeSearch(1500));
    EXPECT_TRUE(IsQueryTimeout(search)) << search.status << " " << search.body;

    std::string soql =
        "/services/data/v60.0/query?q=SELECT+Id+FROM+Account+WHERE+Name+LIKE+'%25zq0%25'";
    for (int i = 1; i < 200; ++i) {
        soql += "+OR+Name+LIKE+'%25zq" + std::to_string(i) + "%25'";
    }
    const RawResponse query = org.Get(soql);
    EXPECT_TRUE(IsQueryTimeout(query)) << query.status << " " << query.body;

    // The org still answers, and reads of known cost have no time limit.
    const RawResponse record = org.Get("/services/data/v60.0/sobjects/Account/" + org.TemplateId());
    EXPECT_EQ(record.status, 200) << record.body;
    const RawResponse small =
        org.Get("/services/data/v60.0/query?q=SELECT+Name+FROM+Account+WHERE+Id='" +
                org.TemplateId() + "'");
    EXPECT_EQ(small.status, 200) << small.body;
}

}  // namespace
}  // namespace sfkit::test
