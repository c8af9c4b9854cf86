// Wire tests of Bulk 2.0 query's GET /jobs/query/{id}/resultPages (API 58.0 and later): up to five
// result URLs an answer, each one page as /results cuts it, then nextRecordsUrl for the next
// five; fetched one by one they give every row once, in order.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/custom_org_test.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

class Bulk2ResultPagesTest : public CustomOrgTest {
protected:
    Bulk2ResultPagesTest() : CustomOrgTest(OnePerPage()) {}
    static server::LocalOrgOptions OnePerPage() {
        server::LocalOrgOptions o = Options();
        o.bulk_query_page_rows = 1;
        return o;
    }
    /// A finished query job over `n` new Accounts named `RP 0`, `RP 1`, ...
    std::string FinishedJob(int n) {
        for (int i = 0; i < n; ++i) {
            auto r = Call("POST",
                          "/services/data/v60.0/sobjects/Account",
                          {"Content-Type: application/json"},
                          R"({"Name":"RP )" + std::to_string(i) + R"("})");
            EXPECT_EQ(r.status, 201) << r.body;
        }
        auto r = Call("POST",
                      "/services/data/v60.0/jobs/query",
                      {"Content-Type: application/json"},
                      R"({"operation":"query","query":"SELECT Name FROM Account WHERE Name )"
                      R"(LIKE 'RP %' ORDER BY Name"})");
        EXPECT_EQ(r.status, 200) << r.body;
        const std::string id(json::parse(r.body).at("id").as_string());
        for (int i = 0; i < 400; ++i) {
            auto info = json::parse(Call("GET", "/services/data/v60.0/jobs/query/" + id).body);
            if (info.at("state") == "JobComplete") {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return id;
    }
};

TEST_F(Bulk2ResultPagesTest, FiveResultUrlsAnAnswerThenTheNextFive) {
    const std::string id = FinishedJob(7);
    auto first = Call("GET", "/services/data/v60.0/jobs/query/" + id + "/resultPages");
    ASSERT_EQ(first.status, 200) << first.body;
    const json::object a = json::parse(first.body).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : a) {
        keys.emplace_back(k);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"resultPages", "nextRecordsUrl", "done"}));
    EXPECT_EQ(a.at("done"), false);
    ASSERT_EQ(a.at("resultPages").as_array().size(), 5u);
    std::vector<std::string> urls;
    for (const auto& p : a.at("resultPages").as_array()) {
        urls.emplace_back(p.at("resultUrl").as_string());
    }
    EXPECT_EQ(urls.front(), "/services/data/v60.0/jobs/query/" + id + "/results?maxRecords=1");
    auto next = Call("GET", std::string(a.at("nextRecordsUrl").as_string()));
    ASSERT_EQ(next.status, 200) << next.body;
    const json::object b = json::parse(next.body).as_object();
    EXPECT_EQ(b.at("done"), true);
    EXPECT_TRUE(b.at("nextRecordsUrl").is_null());
    for (const auto& p : b.at("resultPages").as_array()) {
        urls.emplace_back(p.at("resultUrl").as_string());
    }
    ASSERT_EQ(urls.size(), 7u);
    // Fetched in any order, the pages hold every row once.
    std::string rows;
    for (auto it = urls.rbegin(); it != urls.rend(); ++it) {
        auto page = Call("GET", *it);
        ASSERT_EQ(page.status, 200) << page.body;
        EXPECT_EQ(page.Header("Sforce-NumberOfRecords"), "1");
        rows = page.body.substr(page.body.find('\n') + 1) + rows;
    }
    EXPECT_EQ(rows, "\"RP 0\"\n\"RP 1\"\n\"RP 2\"\n\"RP 3\"\n\"RP 4\"\n\"RP 5\"\n\"RP 6\"\n");
}

TEST_F(Bulk2ResultPagesTest, OnlyFromApi58AndWithTheJobsVersion) {
    const std::string id = FinishedJob(1);
    EXPECT_EQ(Call("GET", "/services/data/v57.0/jobs/query/" + id + "/resultPages").status, 404);
    EXPECT_EQ(Call("GET", "/services/data/v59.0/jobs/query/" + id + "/resultPages").status, 409);
    auto unknown = Call("GET", "/services/data/v60.0/jobs/query/750000000000000AAA/resultPages");
    EXPECT_EQ(unknown.status, 404);
}

}  // namespace
}  // namespace sfkit::test
