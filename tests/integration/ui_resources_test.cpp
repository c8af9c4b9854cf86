// Wire tests of the UI resources (docs/rest.md "UI resources"): layouts, compact layouts, list
// views, recent items, quick and invocable actions, app menu, tabs, theme, processes, the search
// scope/layout/suggestion resources, Knowledge's settings, and the user password resource.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kData = "/services/data/v60.0";
constexpr const char* kJson = "Content-Type: application/json";
constexpr const char* kMaster = "012000000000000AAA";

class UiResourcesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        org_ = new TestOrg();
        token_ = new std::string(org_->Login());
        for (const char* name : {"National Utility", "First National Bank", "Acme Corp"}) {
            auto r = Send("POST",
                          std::string(kData) + "/sobjects/Account",
                          {kJson},
                          std::string(R"({"Name":")") + name + "\"}");
            ASSERT_EQ(r.status, 201) << r.body;
        }
    }
    static void TearDownTestSuite() {
        delete org_;
        delete token_;
    }
    static RawResponse Send(const std::string& method,
                            const std::string& target,
                            std::vector<std::string> headers = {},
                            const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + *token_);
        return Fetch(org_->Port(), method, target, headers, body);
    }
    static json::value Get(const std::string& path) {
        auto r = Send("GET", std::string(kData) + path);
        EXPECT_EQ(r.status, 200) << path << " -> " << r.body;
        return json::parse(r.body);
    }
    static std::string ErrorCode(const RawResponse& r) {
        return std::string(json::parse(r.body).as_array()[0].at("errorCode").as_string());
    }

    static TestOrg* org_;
    static std::string* token_;
};

TestOrg* UiResourcesTest::org_ = nullptr;
std::string* UiResourcesTest::token_ = nullptr;

std::vector<std::string> LayoutFieldNames(const json::object& layout) {
    std::vector<std::string> names;
    for (const auto& row :
         layout.at("detailLayoutSections").as_array()[0].at("layoutRows").as_array()) {
        for (const auto& item : row.at("layoutItems").as_array()) {
            for (const auto& c : item.at("layoutComponents").as_array()) {
                names.emplace_back(c.at("value").as_string());
            }
        }
    }
    return names;
}

TEST_F(UiResourcesTest, LayoutsShowTheObjectsFieldsAndTheMasterRecordType) {
    const json::object body = Get("/sobjects/Contact/describe/layouts").as_object();
    const json::object& layout = body.at("layouts").as_array()[0].as_object();
    const auto names = LayoutFieldNames(layout);
    EXPECT_NE(std::find(names.begin(), names.end(), "LastName"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "AccountId"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "Id"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "SystemModstamp"), names.end());
    // Components carry the field's describe entry.
    const auto& first =
        layout.at("detailLayoutSections").as_array()[0].at("layoutRows").as_array()[0];
    EXPECT_TRUE(first.at("layoutItems")
                    .as_array()[0]
                    .at("layoutComponents")
                    .as_array()[0]
                    .at("details")
                    .as_object()
                    .contains("soapType"));
    const auto& mapping = body.at("recordTypeMappings").as_array()[0].as_object();
    EXPECT_EQ(mapping.at("recordTypeId").as_string(), kMaster);
    EXPECT_EQ(mapping.at("layoutId"), layout.at("id"));
    // Related lists from the child relationships.
    const json::value account =
        Get("/sobjects/Account/describe/layouts").at("layouts").as_array()[0];
    bool contacts = false;
    for (const auto& l : account.at("relatedLists").as_array()) {
        contacts = contacts || l.at("name").as_string() == "Contacts";
    }
    EXPECT_TRUE(contacts);
    // The same layout by record type; any other record type is unknown.
    EXPECT_EQ(Get(std::string("/sobjects/Contact/describe/layouts/") + kMaster).at("id"),
              layout.at("id"));
    EXPECT_EQ(
        Send("GET", std::string(kData) + "/sobjects/Contact/describe/layouts/012000000000001AAA")
            .status,
        404);
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Nope/describe/layouts").status, 404);
    // Stable across calls.
    EXPECT_EQ(Get("/sobjects/Contact/describe/layouts").at("layouts").as_array()[0].at("id"),
              layout.at("id"));
}

TEST_F(UiResourcesTest, GlobalLayoutsAndQuickActionsListTheGlobalActions) {
    const json::object global = Get("/sobjects/Global/describe/layouts").as_object();
    const auto& items = global.at("layouts")
                            .as_array()[0]
                            .at("quickActionList")
                            .at("quickActionListItems")
                            .as_array();
    std::vector<std::string> names;
    for (const auto& i : items) {
        names.emplace_back(i.at("quickActionName").as_string());
    }
    EXPECT_NE(std::find(names.begin(), names.end(), "LogACall"), names.end());
    const json::array actions = Get("/quickActions").as_array();
    EXPECT_EQ(actions.size(), items.size());
    EXPECT_EQ(
        actions[0].at("urls").at("quickAction").as_string(),
        std::string(kData) + "/quickActions/" + std::string(actions[0].at("name").as_string()));
    const json::array on_account = Get("/sobjects/Account/quickActions").as_array();
    EXPECT_EQ(on_account[0].at("urls").at("quickAction").as_string(),
              std::string(kData) + "/sobjects/Account/quickActions/" +
                  std::string(on_account[0].at("name").as_string()));
}

TEST_F(UiResourcesTest, CompactLayoutsPerObjectAndByName) {
    const json::object body = Get("/sobjects/Account/describe/compactLayouts").as_object();
    const auto& c = body.at("compactLayouts").as_array()[0].as_object();
    EXPECT_EQ(c.at("name").as_string(), "SYSTEM");
    EXPECT_EQ(c.at("fieldItems")
                  .as_array()[0]
                  .at("layoutComponents")
                  .as_array()[0]
                  .at("value")
                  .as_string(),
              "Name");
    EXPECT_EQ(
        body.at("recordTypeCompactLayoutMappings").as_array()[0].at("recordTypeId").as_string(),
        kMaster);
    EXPECT_EQ(Get("/sobjects/Account/describe/compactLayouts/primary"), json::value(c));
    const json::object both = Get("/compactLayouts?q=Account,Contact").as_object();
    EXPECT_EQ(both.at("Account"), json::value(c));
    EXPECT_EQ(both.at("Contact").at("objectType").as_string(), "Contact");
    auto bad = Send("GET", std::string(kData) + "/compactLayouts?q=Account,Nope");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(ErrorCode(bad), "INVALID_TYPE");
    // No approval processes, no named layouts.
    EXPECT_EQ(Get("/sobjects/Account/describe/approvalLayouts"),
              json::parse(R"({"approvalLayouts":[]})"));
    EXPECT_EQ(
        Send("GET", std::string(kData) + "/sobjects/Account/describe/approvalLayouts/P").status,
        404);
    EXPECT_EQ(
        Send("GET", std::string(kData) + "/sobjects/User/describe/namedLayouts/UserAlt").status,
        404);
}

TEST_F(UiResourcesTest, ListViewResultsRunTheirQuery) {
    const json::object list = Get("/sobjects/Account/listviews").as_object();
    EXPECT_EQ(list.at("sobjectType").as_string(), "Account");
    std::string all_id;
    std::string my_id;
    for (const auto& v : list.at("listviews").as_array()) {
        if (v.at("developerName").as_string() == "AllAccounts") {
            all_id = std::string(v.at("id").as_string());
        } else if (v.at("developerName").as_string() == "MyAccounts") {
            my_id = std::string(v.at("id").as_string());
        }
    }
    ASSERT_EQ(all_id.substr(0, 3), "00B");
    ASSERT_FALSE(my_id.empty());
    const json::object describe =
        Get("/sobjects/Account/listviews/" + all_id + "/describe").as_object();
    const std::string query(describe.at("query").as_string());
    EXPECT_EQ(query.rfind("SELECT Name, ", 0), 0u) << query;
    // The describe's query is SOQL this org runs.
    std::string encoded;
    for (const char c : query) {
        encoded += c == ' ' ? std::string("+") : c == ',' ? std::string("%2C") : std::string(1, c);
    }
    EXPECT_EQ(Get("/query?q=" + encoded).at("totalSize").as_int64(), 3);
    const json::object results =
        Get("/sobjects/Account/listviews/" + all_id + "/results?limit=2").as_object();
    ASSERT_EQ(results.at("records").as_array().size(), 2u);
    const auto& cells = results.at("records").as_array()[0].at("columns").as_array();
    EXPECT_EQ(cells[0].at("fieldNameOrPath").as_string(), "Name");
    EXPECT_EQ(cells[0].at("value").as_string(), "Acme Corp");  // ORDER BY Name
    // My Accounts: the admin owns all three.
    EXPECT_EQ(Get("/sobjects/Account/listviews/" + my_id + "/results").at("size").as_int64(), 3);
    EXPECT_EQ(
        Send("GET", std::string(kData) + "/sobjects/Account/listviews/00B000000000000AAA/results")
            .status,
        404);
    EXPECT_EQ(Get("/sobjects/Account/listviews/recent").at("size").as_int64(), 0);
}

TEST_F(UiResourcesTest, RecentAndRelevantItemsAreArrays) {
    EXPECT_TRUE(Get("/recent").is_array());
    EXPECT_TRUE(Get("/sobjects/relevantItems").is_array());
}

TEST_F(UiResourcesTest, InvocableActionsWithoutFlows) {
    const json::object standard = Get("/actions/standard").as_object();
    bool chatter = false;
    for (const auto& a : standard.at("actions").as_array()) {
        chatter = chatter || (a.at("name").as_string() == "chatterPost" &&
                              a.at("type").as_string() == "CHATTERPOST");
    }
    EXPECT_TRUE(chatter);
    EXPECT_EQ(Get("/actions/custom").at("flow").as_string(),
              std::string(kData) + "/actions/custom/flow");
    EXPECT_EQ(Get("/actions/custom/flow"), json::parse(R"({"actions":[]})"));
    EXPECT_EQ(Send("POST",
                   std::string(kData) + "/actions/custom/flow/My_Flow",
                   {kJson},
                   R"({"inputs":[{}]})")
                  .status,
              404);
}

TEST_F(UiResourcesTest, AppMenuTabsAndTheme) {
    EXPECT_EQ(Get("/appMenu").at("Salesforce1").as_string(),
              std::string(kData) + "/appMenu/Salesforce1");
    EXPECT_EQ(Get("/appMenu/AppSwitcher").at("appMenuItems").as_array()[0].at("label").as_string(),
              "Sales");
    const json::array tabs = Get("/tabs").as_array();
    bool account = false;
    for (const auto& t : tabs) {
        if (t.at("sobjectName").as_string() == "Account") {
            account = true;
            EXPECT_EQ(t.at("name").as_string(), "standard-Account");
        }
    }
    EXPECT_TRUE(account);
    EXPECT_EQ(Get("/theme").at("themeItems").as_array().size(), tabs.size());
}

TEST_F(UiResourcesTest, ProcessesWithoutRulesOrApprovals) {
    EXPECT_EQ(Get("/process/rules"), json::parse(R"({"rules":{}})"));
    EXPECT_EQ(Get("/process/rules/Account"), json::parse(R"({"rules":[]})"));
    EXPECT_EQ(Get("/process/approvals"), json::parse(R"({"approvals":{}})"));
    auto submit =
        Send("POST",
             std::string(kData) + "/process/approvals",
             {kJson},
             R"({"requests":[{"actionType":"Submit","contextId":"001000000000000AAA"}]})");
    EXPECT_EQ(submit.status, 400);
    EXPECT_EQ(ErrorCode(submit), "NO_APPLICABLE_PROCESS");
    auto flat = Send(
        "POST", std::string(kData) + "/process/approvals", {kJson}, R"({"actionType":"Submit"})");
    EXPECT_EQ(flat.status, 400);
    EXPECT_EQ(ErrorCode(flat), "JSON_PARSER_ERROR");
}

TEST_F(UiResourcesTest, SearchScopeLayoutAndSuggestions) {
    EXPECT_EQ(Get("/search/scopeOrder").as_array()[0].at("type").as_string(), "Account");
    const json::array layout = Get("/search/layout?q=Account,Nope").as_array();
    ASSERT_EQ(layout.size(), 2u);
    EXPECT_EQ(layout[0].at("searchColumns").as_array()[0].at("field").as_string(), "Account.Name");
    EXPECT_TRUE(layout[1].at("searchColumns").is_null());
    // "nat" matches the start of a word of the name: two of the three accounts.
    const json::object s = Get("/search/suggestions?q=nat&sobject=Account").as_object();
    std::vector<std::string> names;
    for (const auto& r : s.at("autoSuggestResults").as_array()) {
        names.emplace_back(r.at("Name").as_string());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"First National Bank", "National Utility"}));
    EXPECT_FALSE(s.at("hasMoreResults").as_bool());
    EXPECT_TRUE(
        Get("/search/suggestions?q=nat&sobject=Account&limit=1").at("hasMoreResults").as_bool());
    // Fewer than 3 characters suggest nothing.
    EXPECT_EQ(Get("/search/suggestions?q=na&sobject=Account"),
              json::parse(R"({"autoSuggestResults":[],"hasMoreResults":false})"));
    EXPECT_EQ(Get("/search/suggestSearchQueries?q=national&language=en_US"),
              json::parse(R"({"autoSuggestResults":[],"hasMoreResults":false})"));
    EXPECT_EQ(Get("/knowledgeManagement/settings").at("knowledgeEnabled"), json::value(false));
}

TEST_F(UiResourcesTest, ApexRestHasNoUrlMappings) {
    for (const std::string path : {"/services/apexrest/Orders/1", "/services/apexrest"}) {
        auto r = Send("POST", path, {kJson}, "{}");
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body,
                  R"([{"errorCode":"NOT_FOUND","message":"Could not find a match for URL"}])");
    }
}

TEST(UserPasswordTest, SetCheckAndResetAgainstTheLoginHashes) {
    TestOrg org;
    const std::string token = org.Login();
    const auto send =
        [&](const std::string& method, const std::string& path, const std::string& body = {}) {
            return Fetch(org.Port(),
                         method,
                         std::string(kData) + path,
                         {"Authorization: Bearer " + token, kJson},
                         body);
        };
    const auto login = [&](const std::string& password) {
        return Fetch(org.Port(),
                     "POST",
                     "/services/oauth2/token",
                     {"Content-Type: application/x-www-form-urlencoded"},
                     "grant_type=password&client_id=3MVG9local.key&client_secret=local-secret"
                     "&username=admin%40acme.test&password=" +
                         password)
            .status;
    };
    auto me =
        Fetch(org.Port(), "GET", "/services/oauth2/userinfo", {"Authorization: Bearer " + token});
    const std::string user_id(json::parse(me.body).at("user_id").as_string());
    auto get = send("GET", "/sobjects/User/" + user_id + "/password");
    ASSERT_EQ(get.status, 200) << get.body;
    EXPECT_EQ(json::parse(get.body), json::parse(R"({"isExpired":false})"));
    auto weak =
        send("POST", "/sobjects/User/" + user_id + "/password", R"({"NewPassword":"short1"})");
    EXPECT_EQ(weak.status, 400);
    EXPECT_NE(weak.body.find("INVALID_NEW_PASSWORD"), std::string::npos) << weak.body;
    auto set =
        send("POST", "/sobjects/User/" + user_id + "/password", R"({"NewPassword":"Newpass123"})");
    EXPECT_EQ(set.status, 204) << set.body;
    EXPECT_EQ(login("Passw0rd%21TOKEN123"), 400);  // the old password (and token) no longer work
    EXPECT_EQ(login("Newpass123"), 200);
    auto reset = send("DELETE", "/sobjects/User/" + user_id + "/password");
    ASSERT_EQ(reset.status, 200) << reset.body;
    const std::string generated(json::parse(reset.body).at("NewPassword").as_string());
    EXPECT_EQ(login("Newpass123"), 400);
    EXPECT_EQ(login(generated), 200);
    EXPECT_EQ(send("GET", "/sobjects/User/005000000000000AAA/password").status, 404);
}

}  // namespace
}  // namespace sfkit::test
