// Query resource behaviour beyond single answers: locator pages (batchSize, walk, snapshot,
// expiry, per-user bound, ownership), nested child subqueries across pages, XML and pretty
// output, missing q, and the whole stack over HTTP (`+` in q, Sforce-Limit-Info) with a real login.
#include <atomic>
#include <cstring>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/core/id.hpp"

#include "server/query/query_service.hpp"
#include "support/query_fixture.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

class QueryPages : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 2500; ++i) {
            org_.Insert(
                "Widget__c",
                "{\"Name\":\"W" + std::to_string(i) + "\",\"Count__c\":" + std::to_string(i) + "}",
                "");
        }
    }

    json::object GetJson(const std::string& target, const std::vector<std::string>& headers = {}) {
        const server::Response r = org_.Get(target, headers);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).as_object();
    }

    static std::string Q(const std::string& soql) {
        std::string out = "/services/data/v60.0/query?q=";
        for (char c : soql) {
            out += c == ' ' ? std::string("+") : std::string(1, c);
        }
        return out;
    }

    QueryFixture org_;
};

TEST_F(QueryPages, DefaultBatchIs2000AndTheLocatorWalksTheRest) {
    org_.SetUserId(Id::Make("005", "Xy", 7).Str18());  // a pod other than the fixture's "Lo"
    json::object first = GetJson(Q("SELECT Name, Count__c FROM Widget__c ORDER BY Count__c DESC"));
    EXPECT_EQ(first.at("totalSize").as_int64(), 2500);
    EXPECT_FALSE(first.at("done").as_bool());
    const std::string next(first.at("nextRecordsUrl").as_string());
    EXPECT_EQ(next.rfind("/services/data/v60.0/query/01g", 0), 0U) << next;
    // The locator's pod (characters 4-5) is the org's, the same as in the session user's id.
    EXPECT_EQ(next.substr(std::string("/services/data/v60.0/query/01g").size(), 2),
              org_.UserId().substr(3, 2));
    EXPECT_EQ(next.substr(next.size() - 5), "-2000");
    EXPECT_EQ(next.size(), std::string("/services/data/v60.0/query/").size() + 18 + 5);
    // Keys in Salesforce's order: totalSize, done, nextRecordsUrl, records.
    std::vector<std::string> keys;
    for (const auto& kv : first) {
        keys.emplace_back(kv.key());
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"totalSize", "done", "nextRecordsUrl", "records"}));
    const auto& records = first.at("records").as_array();
    ASSERT_EQ(records.size(), 2000U);
    EXPECT_EQ(records[0].at("Count__c").as_int64(), 2499);

    json::object second = GetJson(next);
    EXPECT_EQ(second.at("totalSize").as_int64(), 2500);
    EXPECT_TRUE(second.at("done").as_bool());
    EXPECT_FALSE(second.contains("nextRecordsUrl"));
    const auto& rest = second.at("records").as_array();
    ASSERT_EQ(rest.size(), 500U);
    EXPECT_EQ(rest[0].at("Count__c").as_int64(), 499);
    EXPECT_EQ(rest[499].at("Count__c").as_int64(), 0);
    // The last page closes the cursor.
    EXPECT_EQ(org_.Get(next).status, 400);
}

TEST_F(QueryPages, BatchSizeHeaderIsClampedTo200Through2000) {
    const std::string q = Q("SELECT Id FROM Widget__c");
    auto page = GetJson(q, {"Sforce-Query-Options: batchSize=300"});
    EXPECT_EQ(page.at("records").as_array().size(), 300U);
    EXPECT_TRUE(page.at("nextRecordsUrl").as_string().ends_with("-300"));
    page = GetJson(q, {"Sforce-Query-Options: batchSize=10"});
    EXPECT_EQ(page.at("records").as_array().size(), 200U);
    page = GetJson(q, {"Sforce-Query-Options: batchSize=9000"});
    EXPECT_EQ(page.at("records").as_array().size(), 2000U);
    page = GetJson(q, {"Sforce-Query-Options: nonsense"});
    EXPECT_EQ(page.at("records").as_array().size(), 2000U);

    // Walking with 200-row pages visits every row exactly once.
    std::set<std::string> seen;
    page = GetJson(q, {"Sforce-Query-Options: batchSize=200"});
    int pages = 1;
    while (true) {
        for (const auto& r : page.at("records").as_array()) {
            EXPECT_TRUE(seen.insert(std::string(r.at("Id").as_string())).second);
        }
        if (page.at("done").as_bool()) {
            break;
        }
        page = GetJson(std::string(page.at("nextRecordsUrl").as_string()),
                       {"Sforce-Query-Options: batchSize=200"});
        ++pages;
    }
    EXPECT_EQ(seen.size(), 2500U);
    EXPECT_EQ(pages, 13);
}

TEST_F(QueryPages, PagesAreASnapshotOfTheFirstRun) {
    auto first = GetJson(Q("SELECT Name FROM Widget__c WHERE Count__c >= 0"));
    org_.Insert("Widget__c", R"({"Name":"late","Count__c":1})", "");
    auto second = GetJson(std::string(first.at("nextRecordsUrl").as_string()));
    EXPECT_EQ(second.at("totalSize").as_int64(), 2500);
    for (const auto& r : second.at("records").as_array()) {
        EXPECT_NE(r.at("Name").as_string(), "late");
    }
}

TEST_F(QueryPages, LocatorsExpireAfter15IdleMinutes) {
    const auto first =
        GetJson(Q("SELECT Id FROM Widget__c"), {"Sforce-Query-Options: batchSize=200"});
    const std::string next(first.at("nextRecordsUrl").as_string());
    org_.Advance(std::chrono::minutes(14));
    const auto second = GetJson(next, {"Sforce-Query-Options: batchSize=200"});  // refreshes
    org_.Advance(std::chrono::minutes(15) + std::chrono::seconds(1));
    const server::Response r = org_.Get(std::string(second.at("nextRecordsUrl").as_string()));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"([{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}])");
}

TEST_F(QueryPages, LocatorsBelongToTheirUserAndAreBoundedPerUser) {
    std::vector<std::string> urls;
    for (int i = 0; i < 11; ++i) {
        urls.emplace_back(GetJson(Q("SELECT Id FROM Widget__c")).at("nextRecordsUrl").as_string());
        org_.Advance(std::chrono::seconds(1));
    }
    EXPECT_EQ(org_.Service().OpenLocators(), 10U);
    EXPECT_EQ(org_.Get(urls[0]).status, 400);  // the oldest was released
    const std::string mine = org_.UserId();
    org_.SetUserId(Id::Make("005", "Lo", 2).Str18());
    EXPECT_EQ(org_.Get(urls[5]).status, 400);  // another user's locator
    org_.SetUserId(mine);
    EXPECT_EQ(org_.Get(urls[5]).status, 200);
    EXPECT_EQ(org_.Get("/services/data/v60.0/query/01gLo0000000000000-2000").status, 400);
    EXPECT_EQ(org_.Get("/services/data/v60.0/query/garbage").status, 400);
}

TEST_F(QueryPages, LimitCapsTheTotalAndQueryAllPagesToo) {
    auto page = GetJson(Q("SELECT Id FROM Widget__c LIMIT 2100"));
    EXPECT_EQ(page.at("totalSize").as_int64(), 2100);
    page = GetJson("/services/data/v60.0/queryAll?q=SELECT+Id+FROM+Widget__c");
    EXPECT_EQ(page.at("totalSize").as_int64(), 2500);
    EXPECT_NE(page.at("nextRecordsUrl").as_string().find("/query/01g"), std::string::npos);
}

/// Counts the SELECT statements run on any connection of `db` while it exists, on either engine
/// (Database::ObserveStatements; queries run on the read connections, their BEGIN/ROLLBACK are
/// not counted, nor SQLite's trigger programs, reported as `-- …`).
class StatementCounter {
public:
    explicit StatementCounter(server::Database& db) : db_(db) {
        db_.ObserveStatements([this](std::string_view sql) {
            // Not the locator's own tables (a fixed few statements per page, whatever it holds).
            if (sql.substr(0, 6) == "SELECT" && sql.find("query_locator") == std::string_view::npos) {
                ++count_;
            }
        });
    }
    ~StatementCounter() { db_.ObserveStatements({}); }
    StatementCounter(const StatementCounter&) = delete;
    StatementCounter& operator=(const StatementCounter&) = delete;
    int Count() const { return count_; }

private:
    server::Database& db_;
    std::atomic<int> count_{0};
};

TEST(QueryNested, GrandchildrenAreRightOnEveryPageWithOneStatementPerLevel) {
    // 450 accounts over three pages of 200: account i has a contact unless i % 5 == 0; the
    // contact has two cases unless i % 3 == 0, each case a child case when i % 4 == 0.
    QueryFixture org;
    constexpr int kAccounts = 450;
    const auto num = [](int i) {
        std::string s = std::to_string(i);
        return std::string(3 - s.size(), '0') + s;
    };
    for (int i = 0; i < kAccounts; ++i) {
        const std::string n = num(i);
        org.Insert("Account", R"({"Name":"A)" + n + R"("})", "a" + n);
        if (i % 5 == 0) {
            continue;
        }
        org.Insert(
            "Contact", R"({"LastName":"L)" + n + R"(","AccountId":"@a)" + n + R"("})", "c" + n);
        if (i % 3 == 0) {
            continue;
        }
        for (const char* suffix : {"b", "a"}) {  // stored in reverse: ORDER BY must sort them
            const std::string subject = "S" + n + suffix;
            org.Insert("Case",
                       R"({"Subject":")" + subject + R"(","ContactId":"@c)" + n + R"("})",
                       "k" + n + suffix);
            if (i % 4 == 0) {
                org.Insert(
                    "Case",
                    R"({"Subject":"Sub)" + subject + R"(","ParentId":"@k)" + n + suffix + R"("})",
                    "");
            }
        }
    }
    const std::string soql =
        "SELECT Name, (SELECT LastName, (SELECT Subject, (SELECT Subject FROM Cases) FROM Cases "
        "WHERE ParentId = null ORDER BY Subject) FROM Contacts) FROM Account ORDER BY Name";
    std::string target = "/services/data/v60.0/query?q=";
    for (char c : soql) {
        target += c == ' ' ? '+' : c;
    }
    int seen = 0;
    int pages = 0;
    while (!target.empty()) {
        StatementCounter counter(org.Db());
        const server::Response r = org.Get(target, {"Sforce-Query-Options: batchSize=200"});
        ASSERT_EQ(r.status, 200) << r.body;
        // One statement for the page's rows and one per child level (three levels), however
        // many records the page holds.
        EXPECT_EQ(counter.Count(), 4) << "page " << pages;
        ++pages;
        const json::object page = json::parse(r.body).as_object();
        EXPECT_EQ(page.at("totalSize").as_int64(), kAccounts);
        for (const json::value& v : page.at("records").as_array()) {
            const int i = seen++;
            const std::string n = num(i);
            SCOPED_TRACE("account " + n);
            const json::object& account = v.as_object();
            ASSERT_EQ(account.at("Name").as_string(), "A" + n);
            if (i % 5 == 0) {
                EXPECT_TRUE(account.at("Contacts").is_null());
                continue;
            }
            const json::object& contacts = account.at("Contacts").as_object();
            ASSERT_EQ(contacts.at("totalSize").as_int64(), 1);
            const json::object& contact = contacts.at("records").as_array()[0].as_object();
            EXPECT_EQ(contact.at("LastName").as_string(), "L" + n);
            if (i % 3 == 0) {
                EXPECT_TRUE(contact.at("Cases").is_null());
                continue;
            }
            const json::object& cases = contact.at("Cases").as_object();
            EXPECT_EQ(cases.at("totalSize").as_int64(), 2);
            EXPECT_TRUE(cases.at("done").as_bool());
            const json::array& list = cases.at("records").as_array();
            ASSERT_EQ(list.size(), 2U);
            for (int k = 0; k < 2; ++k) {
                const std::string subject = "S" + n + (k == 0 ? "a" : "b");
                const json::object& kase = list[k].as_object();
                EXPECT_EQ(kase.at("Subject").as_string(), subject);
                if (i % 4 != 0) {
                    EXPECT_TRUE(kase.at("Cases").is_null());
                    continue;
                }
                const json::array& subs = kase.at("Cases").at("records").as_array();
                ASSERT_EQ(subs.size(), 1U);
                EXPECT_EQ(subs[0].at("Subject").as_string(), "Sub" + subject);
                EXPECT_EQ(subs[0].at("attributes").at("type").as_string(), "Case");
            }
        }
        target = page.contains("nextRecordsUrl")
                     ? std::string(page.at("nextRecordsUrl").as_string())
                     : std::string();
    }
    EXPECT_EQ(seen, kAccounts);
    EXPECT_EQ(pages, 3);
}

TEST(QueryResource, XmlPrettyAndMissingQuery) {
    QueryFixture org;
    org.Insert("Account", R"({"Name":"O'Neil & Co","NumberOfEmployees":3})", "a");
    org.Insert("Account", R"({"Name":"Kid","ParentId":"@a"})", "b");
    const std::string q =
        "/services/data/v60.0/query/?q=SELECT+Name,+Parent.Name,+NumberOfEmployees+FROM+"
        "Account+ORDER+BY+Name";
    server::Response r = org.Get(q, {"Accept: application/xml"});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(*r.Header("Content-Type"), "application/xml;charset=UTF-8");
    EXPECT_EQ(org.Unexpand(r.body),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><QueryResult "
              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><done>true</done>"
              "<records type=\"Account\" url=\"/services/data/v60.0/sobjects/Account/@b\">"
              "<Name>Kid</Name><Parent type=\"Account\" "
              "url=\"/services/data/v60.0/sobjects/Account/@a\"><Name>O&apos;Neil &amp; "
              "Co</Name></Parent><NumberOfEmployees xsi:nil=\"true\"/></records>"
              "<records type=\"Account\" url=\"/services/data/v60.0/sobjects/Account/@a\">"
              "<Name>O&apos;Neil &amp; Co</Name><Parent xsi:nil=\"true\"/>"
              "<NumberOfEmployees>3</NumberOfEmployees></records><totalSize>2</totalSize>"
              "</QueryResult>");

    r = org.Get("/services/data/v60.0/query?q=SELECT+Name+FROM+Account+WHERE+Name+=+'Kid'",
                {"X-PrettyPrint: 1"});
    EXPECT_EQ(org.Unexpand(r.body),
              "{\n  \"totalSize\" : 1,\n  \"done\" : true,\n  \"records\" : [ {\n"
              "    \"attributes\" : {\n      \"type\" : \"Account\",\n      \"url\" : "
              "\"/services/data/v60.0/sobjects/Account/@b\"\n    },\n    \"Name\" : \"Kid\"\n"
              "  } ]\n}");

    r = org.Get("/services/data/v60.0/query?q=SELECT+Id+FROM+Account+WHERE+Name+=+'none'",
                {"X-PrettyPrint: 1"});
    EXPECT_EQ(r.body, "{\n  \"totalSize\" : 0,\n  \"done\" : true,\n  \"records\" : [ ]\n}");

    r = org.Get("/services/data/v60.0/query");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        R"([{"message":"A query string has to be specified","errorCode":"MALFORMED_QUERY"}])");
    EXPECT_EQ(org.Get("/services/data/v60.0/query?explain=SELECT+Id+FROM+Account").status, 400);
    EXPECT_EQ(org.Get("/services/data/v30.0/query?q=SELECT+Id+FROM+Account").status, 410);
}

TEST(QueryOverHttp, PlusIsASpaceAndTheAnswerCarriesTheLimitHeader) {
    TestOrg org;
    const std::string token = org.Login();
    const std::string auth = "Authorization: Bearer " + token;
    const RawResponse created = Fetch(org.Port(),
                                      "POST",
                                      "/services/data/v60.0/sobjects/Account",
                                      {auth, "Content-Type: application/json"},
                                      R"({"Name":"Plus Test"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const RawResponse r = Fetch(org.Port(),
                                "GET",
                                "/services/data/v60.0/query?q=SELECT+Name+FROM+Account+WHERE+Name"
                                "+%3D+%27Plus+Test%27",
                                {auth});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.Header("Sforce-Limit-Info").find("api-usage="), std::string::npos);
    const json::object body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("totalSize").as_int64(), 1);
    EXPECT_EQ(body.at("records").as_array()[0].at("Name").as_string(), "Plus Test");
    const RawResponse unauth =
        Fetch(org.Port(), "GET", "/services/data/v60.0/query?q=SELECT+Id+FROM+Account");
    EXPECT_EQ(unauth.status, 401);
}

}  // namespace
}  // namespace sfkit::test
