// Two sfkit nodes serving one org on PostgreSQL (issue 13): what one node writes or revokes the
// other sees at once, because no such state lives in a node's memory (sessions, records, query
// locators, API usage, password changes and lockout counters, device codes, login pages,
// authorization codes, the Tooling API's writable records); a node started with a different org
// definition is refused. Skipped (visibly) without a PostgreSQL server.
#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"

#include "server/http/message.hpp"
#include "support/login_page.hpp"
#include "support/pg_scratch.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

const std::string kData = "/services/data/v60.0";
constexpr const char* kJson = "Content-Type: application/json";
constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

class PgCrossNodeTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto server = PgTestServer();
        if (!server) {
            GTEST_SKIP() << kNoPgServer;
        }
        scratch_ = std::make_unique<PgScratch>(*server);
        a_ = std::make_unique<TestOrg>(NodeOptions());
        b_ = std::make_unique<TestOrg>(NodeOptions());
    }
    server::LocalOrgOptions NodeOptions() const {
        server::LocalOrgOptions o = TestOrg::DefaultOptions();
        o.database = scratch_->Target();
        return o;
    }
    static std::string Bearer(const std::string& token) { return "Authorization: Bearer " + token; }
    static RawResponse Token(const TestOrg& node, const std::string& body) {
        return Fetch(node.Port(), "POST", "/services/oauth2/token", {kForm}, body);
    }
    /// A password grant for admin@acme.test with `secret` (password + security token).
    static RawResponse PasswordLogin(const TestOrg& node, const std::string& secret) {
        return Token(node,
                     "grant_type=password&client_id=3MVG9local.key&client_secret=local-secret&"
                     "username=admin%40acme.test&password=" +
                         client::PercentEncode(secret));
    }
    /// DailyApiRequests used, as node `port`'s /limits reports it (the call itself counted).
    static long long ApiRequestsUsed(std::uint16_t port, const std::string& token) {
        const auto r = Fetch(port, "GET", kData + "/limits", {Bearer(token)});
        EXPECT_EQ(r.status, 200) << r.body;
        const json::value v = json::parse(r.body).at("DailyApiRequests");
        return v.at("Max").as_int64() - v.at("Remaining").as_int64();
    }

    std::unique_ptr<PgScratch> scratch_;
    std::unique_ptr<TestOrg> a_;
    std::unique_ptr<TestOrg> b_;
};

TEST_F(PgCrossNodeTest, ATokenFromOneNodeWorksOnTheOtherAndARevokeIsSeenAtOnce) {
    const std::string token = a_->Login();
    auto r = Fetch(b_->Port(), "GET", kData + "/limits", {Bearer(token)});
    EXPECT_EQ(r.status, 200) << r.body;
    r = Fetch(b_->Port(), "POST", "/services/oauth2/revoke", {kForm}, "token=" + token);
    EXPECT_EQ(r.status, 200) << r.body;
    r = Fetch(a_->Port(), "GET", kData + "/limits", {Bearer(token)});
    EXPECT_EQ(r.status, 401) << r.body;
}

TEST_F(PgCrossNodeTest, ARecordWrittenOnOneNodeIsReadUpdatedAndQueriedOnTheOther) {
    const std::string token = a_->Login();
    auto r = Fetch(a_->Port(),
                   "POST",
                   kData + "/sobjects/Account/",
                   {Bearer(token), kJson},
                   R"({"Name":"Cross Node Co","NumberOfEmployees":42})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(json::parse(r.body).at("id").as_string());
    r = Fetch(b_->Port(), "GET", kData + "/sobjects/Account/" + id, {Bearer(token)});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("Name").as_string(), "Cross Node Co");
    r = Fetch(b_->Port(),
              "PATCH",
              kData + "/sobjects/Account/" + id,
              {Bearer(token), kJson},
              R"({"Name":"Renamed on B"})");
    ASSERT_EQ(r.status, 204) << r.body;
    r = Fetch(a_->Port(),
              "GET",
              kData + "/query?q=SELECT+Id,Name+FROM+Account+WHERE+Id='" + id + "'",
              {Bearer(token)});
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    EXPECT_EQ(v.at("totalSize").as_int64(), 1);
    EXPECT_EQ(v.at("records").at(0).at("Name").as_string(), "Renamed on B");
    // Ids come from one counter in the database: a record made on B gets another id.
    r = Fetch(b_->Port(),
              "POST",
              kData + "/sobjects/Account/",
              {Bearer(token), kJson},
              R"({"Name":"Made on B"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_NE(std::string(json::parse(r.body).at("id").as_string()), id);
    r = Fetch(a_->Port(), "DELETE", kData + "/sobjects/Account/" + id, {Bearer(token)});
    EXPECT_EQ(r.status, 204) << r.body;
    r = Fetch(b_->Port(), "GET", kData + "/sobjects/Account/" + id, {Bearer(token)});
    EXPECT_EQ(r.status, 404) << r.body;
}

// The Tooling API's writable entities are kept in the org's database (docs/tooling.md): a
// SandboxInfo created on A is read, queried, changed and deleted on B; ids made on both nodes
// differ; a PlatformEventChannel FullName taken on B is refused on A.
TEST_F(PgCrossNodeTest, AToolingRecordWrittenOnOneNodeIsReadUpdatedAndDeletedOnTheOther) {
    const std::string token = a_->Login();
    const std::string tooling = kData + "/tooling";
    const auto send = [&](const TestOrg& node,
                          const std::string& method,
                          const std::string& path,
                          const std::string& body = {}) {
        return Fetch(node.Port(), method, tooling + path, {Bearer(token), kJson}, body);
    };
    // B answers a Tooling call first, so its copy of the entities exists before A writes.
    auto r = send(*b_, "GET", "/query?q=SELECT+Id+FROM+SandboxInfo");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("totalSize").as_int64(), 0);
    r = send(*a_,
             "POST",
             "/sobjects/SandboxInfo",
             R"({"SandboxName":"crossDev","LicenseType":"DEVELOPER"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(json::parse(r.body).at("id").as_string());
    r = send(*b_, "GET", "/sobjects/SandboxInfo/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("SandboxName").as_string(), "crossDev");
    r = send(*b_, "PATCH", "/sobjects/SandboxInfo/" + id, R"({"Description":"from B"})");
    ASSERT_EQ(r.status, 204) << r.body;
    r = send(*a_, "GET", "/query?q=SELECT+Id,Description+FROM+SandboxInfo");
    ASSERT_EQ(r.status, 200) << r.body;
    json::value v = json::parse(r.body);
    ASSERT_EQ(v.at("totalSize").as_int64(), 1) << r.body;
    EXPECT_EQ(v.at("records").at(0).at("Description").as_string(), "from B");
    r = send(
        *b_, "POST", "/sobjects/SandboxInfo", R"({"SandboxName":"madeOnB","LicenseType":"FULL"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string other(json::parse(r.body).at("id").as_string());
    EXPECT_NE(other, id);

    r = send(*b_,
             "POST",
             "/sobjects/PlatformEventChannel",
             R"({"FullName":"Shared__chn","Metadata":{"channelType":"event","label":"S"}})");
    ASSERT_EQ(r.status, 201) << r.body;
    r = send(*a_,
             "POST",
             "/sobjects/PlatformEventChannel",
             R"({"FullName":"Shared__chn","Metadata":{"channelType":"event","label":"S"}})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("DUPLICATE_VALUE"), std::string::npos) << r.body;

    r = send(*b_, "DELETE", "/sobjects/SandboxInfo/" + id);
    EXPECT_EQ(r.status, 204) << r.body;
    r = send(*a_, "GET", "/sobjects/SandboxInfo/" + id);
    EXPECT_EQ(r.status, 404) << r.body;
    r = send(*a_, "GET", "/query?q=SELECT+Id+FROM+SandboxInfo");
    ASSERT_EQ(r.status, 200) << r.body;
    v = json::parse(r.body);
    ASSERT_EQ(v.at("totalSize").as_int64(), 1) << r.body;
    EXPECT_EQ(v.at("records").at(0).at("Id").as_string(), other);
}

// Each node's copy of the writable entities is laid out in Id order, so a Tooling query
// locator opened on one node over them pages on the other.
TEST_F(PgCrossNodeTest, AToolingLocatorOverWritableRecordsPagesOnTheOtherNode) {
    const std::string token = a_->Login();
    const std::string tooling = kData + "/tooling";
    std::set<std::string> made;
    for (int i = 0; i < 250; ++i) {
        // Both nodes create, so the ids come from both nodes' blocks.
        const TestOrg& node = i % 2 == 0 ? *a_ : *b_;
        const auto r =
            Fetch(node.Port(),
                  "POST",
                  tooling + "/sobjects/SandboxInfo",
                  {Bearer(token), kJson},
                  R"({"SandboxName":"p)" + std::to_string(i) + R"(","LicenseType":"DEVELOPER"})");
        ASSERT_EQ(r.status, 201) << r.body;
        made.insert(std::string(json::parse(r.body).at("id").as_string()));
    }
    const std::string batch200 = "Sforce-Query-Options: batchSize=200";
    auto r = Fetch(a_->Port(),
                   "GET",
                   tooling + "/query?q=SELECT+Id+FROM+SandboxInfo",
                   {Bearer(token), batch200});
    ASSERT_EQ(r.status, 200) << r.body;
    std::set<std::string> seen;
    json::value page = json::parse(r.body);
    for (const auto& rec : page.at("records").as_array()) {
        EXPECT_TRUE(seen.insert(std::string(rec.at("Id").as_string())).second);
    }
    ASSERT_FALSE(page.at("done").as_bool());
    r = Fetch(b_->Port(),
              "GET",
              std::string(page.at("nextRecordsUrl").as_string()),
              {Bearer(token), batch200});
    ASSERT_EQ(r.status, 200) << r.body;
    page = json::parse(r.body);
    EXPECT_TRUE(page.at("done").as_bool());
    for (const auto& rec : page.at("records").as_array()) {
        EXPECT_TRUE(seen.insert(std::string(rec.at("Id").as_string())).second);
    }
    EXPECT_EQ(seen, made);
}

std::string Enc(std::string_view s) {
    return client::PercentEncode(s);
}

std::string ParamOf(const std::string& location, const std::string& name) {
    const auto q = location.find('?');
    const auto form = server::ParseForm(location.substr(q + 1));
    for (const auto& [k, v] : form.value_or(decltype(form)::value_type{})) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

TEST_F(PgCrossNodeTest, ALocatorOpenedOnOneNodePagesOnTheOtherAndEndsThere) {
    const std::string token = a_->Login();
    // 450 accounts: three pages of 200.
    std::set<std::string> made;
    for (int batch = 0; batch < 3; ++batch) {
        json::array records;
        for (int i = 0; i < (batch < 2 ? 200 : 50); ++i) {
            records.push_back(json::object{{"attributes", json::object{{"type", "Account"}}},
                                           {"Name", "Paged " + std::to_string(batch * 200 + i)}});
        }
        const json::object body{{"allOrNone", true}, {"records", records}};
        const auto r = Fetch(a_->Port(),
                             "POST",
                             kData + "/composite/sobjects",
                             {Bearer(token), kJson},
                             json::serialize(body));
        ASSERT_EQ(r.status, 200) << r.body;
        const json::value results = json::parse(r.body);
        for (const auto& res : results.as_array()) {
            made.insert(std::string(res.at("id").as_string()));
        }
    }
    ASSERT_EQ(made.size(), 450U);
    const std::string batch200 = "Sforce-Query-Options: batchSize=200";
    auto r = Fetch(a_->Port(),
                   "GET",
                   kData + "/query?q=SELECT+Id+FROM+Account+WHERE+Name+LIKE+'Paged%25'",
                   {Bearer(token), batch200});
    ASSERT_EQ(r.status, 200) << r.body;
    std::set<std::string> seen;
    const auto take = [&](const std::string& body) {
        const json::value v = json::parse(body);
        EXPECT_EQ(v.at("totalSize").as_int64(), 450);
        for (const auto& rec : v.at("records").as_array()) {
            EXPECT_TRUE(seen.insert(std::string(rec.at("Id").as_string())).second);
        }
        return v;
    };
    json::value page = take(r.body);
    ASSERT_FALSE(page.at("done").as_bool());
    // Page 2 on B, page 3 on A: each node reads the locator the other wrote.
    const std::string second(page.at("nextRecordsUrl").as_string());
    r = Fetch(b_->Port(), "GET", second, {Bearer(token), batch200});
    ASSERT_EQ(r.status, 200) << r.body;
    page = take(r.body);
    ASSERT_FALSE(page.at("done").as_bool());
    const std::string third(page.at("nextRecordsUrl").as_string());
    r = Fetch(a_->Port(), "GET", third, {Bearer(token), batch200});
    ASSERT_EQ(r.status, 200) << r.body;
    page = take(r.body);
    EXPECT_TRUE(page.at("done").as_bool());
    EXPECT_EQ(page.at("records").as_array().size(), 50U);
    EXPECT_EQ(seen, made);
    // The last page closed the locator for both nodes.
    for (const TestOrg* node : {a_.get(), b_.get()}) {
        r = Fetch(node->Port(), "GET", third, {Bearer(token), batch200});
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(r.body.find("INVALID_QUERY_LOCATOR"), std::string::npos) << r.body;
    }
    r = Fetch(b_->Port(), "GET", second, {Bearer(token), batch200});
    EXPECT_EQ(r.status, 400) << "every page ended with the locator: " << r.body;
}

TEST_F(PgCrossNodeTest, ApiUsageCountedOnBothNodesIsWhatEitherReports) {
    const std::string token = a_->Login();
    const long long before = ApiRequestsUsed(a_->Port(), token);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(Fetch(a_->Port(), "GET", kData + "/sobjects", {Bearer(token)}).status, 200);
    }
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(Fetch(b_->Port(), "GET", kData + "/sobjects", {Bearer(token)}).status, 200);
    }
    // Each node writes its calls back within ApiUsage::kFlushInterval; after two of them every
    // call is in the org's count, whichever node is asked.
    std::this_thread::sleep_for(2 * server::ApiUsage::kFlushInterval +
                                std::chrono::milliseconds(500));
    EXPECT_EQ(ApiRequestsUsed(b_->Port(), token), before + 5 + 7 + 1);
    EXPECT_EQ(ApiRequestsUsed(a_->Port(), token), before + 5 + 7 + 2);
    // B's Sforce-Limit-Info header counts A's calls too (as of B's last write-back).
    const auto r = Fetch(b_->Port(), "GET", kData + "/sobjects", {Bearer(token)});
    const std::string info = r.Header("Sforce-Limit-Info");
    ASSERT_EQ(info.rfind("api-usage=", 0), 0U) << info;
    EXPECT_GE(std::stoll(info.substr(10)), before + 5 + 7 + 2) << info;
}

TEST_F(PgCrossNodeTest, APasswordChangedOnOneNodeRefusesTheOldOneOnTheOtherAtOnce) {
    // A logs in with the password (and remembers it verified).
    auto r = PasswordLogin(*a_, "Passw0rd!TOKEN123");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string token(json::parse(r.body).at("access_token").as_string());
    r = Fetch(b_->Port(),
              "GET",
              kData + "/query?q=SELECT+Id+FROM+User+WHERE+Username='admin@acme.test'",
              {Bearer(token)});
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string user(json::parse(r.body).at("records").at(0).at("Id").as_string());
    // B changes it.
    r = Fetch(b_->Port(),
              "POST",
              kData + "/sobjects/User/" + user + "/password",
              {Bearer(token), kJson},
              R"({"NewPassword":"N3wSecret99"})");
    ASSERT_EQ(r.status, 204) << r.body;
    // A refuses the old one at once and takes the new one (the security token was reset).
    r = PasswordLogin(*a_, "Passw0rd!TOKEN123");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("invalid_grant"), std::string::npos) << r.body;
    r = PasswordLogin(*a_, "N3wSecret99");
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(PgCrossNodeTest, ANodeStartingLaterDoesNotPutTheDefinitionsPasswordBack) {
    const std::string token = a_->Login();
    const std::string user = a_->Org().Org().admin_user_id;
    auto r = Fetch(a_->Port(),
                   "POST",
                   kData + "/sobjects/User/" + user + "/password",
                   {Bearer(token), kJson},
                   R"({"NewPassword":"N3wSecret99"})");
    ASSERT_EQ(r.status, 204) << r.body;
    // A third node starts on the org with the same org definition (as a node added to the
    // cluster, or one restarted, does): the password changed through A stays.
    TestOrg c(NodeOptions());
    for (const TestOrg* node : {a_.get(), b_.get(), &c}) {
        r = PasswordLogin(*node, "Passw0rd!TOKEN123");
        EXPECT_EQ(r.status, 400) << r.body;
        r = PasswordLogin(*node, "N3wSecret99");
        EXPECT_EQ(r.status, 200) << r.body;
    }
}

TEST_F(PgCrossNodeTest, LockoutCountsFailuresFromBothNodesAtOnce) {
    // Ten wrong passwords at the same time, five at each node, lock the user (threshold 10):
    // none of the failures is lost between the nodes.
    std::vector<std::future<int>> attempts;
    for (int i = 0; i < 10; ++i) {
        const TestOrg* node = i % 2 == 0 ? a_.get() : b_.get();
        attempts.push_back(std::async(
            std::launch::async, [node] { return PasswordLogin(*node, "wrong-password").status; }));
    }
    for (auto& f : attempts) {
        EXPECT_EQ(f.get(), 400);
    }
    for (const TestOrg* node : {a_.get(), b_.get()}) {
        const auto r = PasswordLogin(*node, "Passw0rd!TOKEN123");
        EXPECT_EQ(r.status, 400) << "the right password is refused while locked: " << r.body;
    }
}

TEST_F(PgCrossNodeTest, ADeviceFlowStartedOnOneNodeIsApprovedAndPolledOnTheOther) {
    auto r = Token(*a_, "response_type=device_code&client_id=PlatformCLI");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value started = json::parse(r.body);
    const std::string device_code(started.at("device_code").as_string());
    const std::string user_code(started.at("user_code").as_string());
    // Pending on B.
    r = Token(*b_, "grant_type=device&client_id=PlatformCLI&code=" + Enc(device_code));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("authorization_pending"), std::string::npos) << r.body;
    // The verification page comes from A and is submitted to B, which knows its form token.
    const RawResponse page = Fetch(a_->Port(), "GET", "/setup/connect");
    ASSERT_EQ(page.status, 200);
    const LoginForm form = FormOf(page);
    r = Fetch(b_->Port(),
              "POST",
              "/setup/connect",
              {kForm, "Cookie: " + form.cookie},
              "sfkit_login=1&sfkit_csrf=" + Enc(form.token) + "&user_code=" + Enc(user_code) +
                  "&username=admin%40acme.test&password=Passw0rd%21&decision=allow");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Device connected"), std::string::npos) << r.body;
    // The same form cannot be submitted again, on either node.
    r = Fetch(a_->Port(),
              "POST",
              "/setup/connect",
              {kForm, "Cookie: " + form.cookie},
              "sfkit_login=1&sfkit_csrf=" + Enc(form.token) + "&user_code=" + Enc(user_code) +
                  "&username=admin%40acme.test&password=Passw0rd%21&decision=allow");
    EXPECT_EQ(r.status, 403) << r.body;
    // A hands out the tokens, once.
    r = Token(*a_, "grant_type=device&client_id=PlatformCLI&code=" + Enc(device_code));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string access(json::parse(r.body).at("access_token").as_string());
    EXPECT_EQ(Fetch(b_->Port(), "GET", kData + "/sobjects", {Bearer(access)}).status, 200);
    r = Token(*b_, "grant_type=device&client_id=PlatformCLI&code=" + Enc(device_code));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("invalid device code"), std::string::npos) << r.body;
}

TEST_F(PgCrossNodeTest, AnAuthorizationCodeFromOneNodeIsRedeemedOnceOnTheOther) {
    // A verifier and its S256 challenge (as in oauth_device_flow_test.cpp).
    const std::string verifier = "dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk";
    const std::string challenge = "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs";
    const std::string callback = "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect";
    const std::string query = "response_type=code&client_id=PlatformCLI&redirect_uri=" + callback +
                              "&state=x1&code_challenge=" + challenge +
                              "&code_challenge_method=S256";
    const RawResponse page = Fetch(b_->Port(), "GET", "/services/oauth2/authorize?" + query);
    ASSERT_EQ(page.status, 200) << page.body;
    const LoginForm form = FormOf(page);
    const RawResponse login =
        Fetch(a_->Port(),
              "POST",
              "/services/oauth2/authorize",
              {kForm, "Cookie: " + form.cookie},
              query + "&username=admin%40acme.test&password=Passw0rd%21&sfkit_login=1&sfkit_csrf=" +
                  Enc(form.token));
    ASSERT_EQ(login.status, 302) << login.body;
    const std::string code = ParamOf(login.Header("Location"), "code");
    ASSERT_FALSE(code.empty()) << login.Header("Location");
    const std::string exchange =
        "grant_type=authorization_code&client_id=PlatformCLI&code=" + Enc(code) +
        "&redirect_uri=" + callback + "&code_verifier=" + verifier;
    // Redeemed on both nodes at the same moment: exactly one gets tokens.
    auto on_b = std::async(std::launch::async, [&] { return Token(*b_, exchange); });
    auto on_a = std::async(std::launch::async, [&] { return Token(*a_, exchange); });
    const RawResponse rb = on_b.get();
    const RawResponse ra = on_a.get();
    EXPECT_EQ((ra.status == 200 ? 1 : 0) + (rb.status == 200 ? 1 : 0), 1)
        << "A: " << ra.body << "\nB: " << rb.body;
    const RawResponse& won = rb.status == 200 ? rb : ra;
    ASSERT_EQ(won.status, 200) << won.body;
    const std::string access(json::parse(won.body).at("access_token").as_string());
    EXPECT_EQ(Fetch(a_->Port(), "GET", kData + "/sobjects", {Bearer(access)}).status, 200);
}

TEST_F(PgCrossNodeTest, ConcurrentCreatesOnBothNodesGetDistinctIdsAndAutoNumbers) {
    // Case numbers are auto numbers: they come from the id counter row of the key prefix, which
    // both nodes take in turn (row-locked), so no two records get the same id or number.
    const std::string token = a_->Login();
    constexpr int kPerWriter = 15;
    std::vector<std::future<std::vector<std::string>>> writers;
    for (int w = 0; w < 4; ++w) {
        const TestOrg* node = w % 2 == 0 ? a_.get() : b_.get();
        writers.push_back(std::async(std::launch::async, [node, &token, w] {
            std::vector<std::string> ids;
            for (int i = 0; i < kPerWriter; ++i) {
                const auto r = Fetch(node->Port(),
                                     "POST",
                                     kData + "/sobjects/Case/",
                                     {Bearer(token), kJson},
                                     R"({"Subject":"w)" + std::to_string(w) + "\"}");
                EXPECT_EQ(r.status, 201) << r.body;
                if (r.status == 201) {
                    ids.emplace_back(json::parse(r.body).at("id").as_string());
                }
            }
            return ids;
        }));
    }
    std::set<std::string> ids;
    for (auto& w : writers) {
        for (const std::string& id : w.get()) {
            EXPECT_TRUE(ids.insert(id).second) << id;
        }
    }
    EXPECT_EQ(ids.size(), 4U * kPerWriter);
    const auto r = Fetch(
        b_->Port(), "GET", kData + "/query?q=SELECT+Id,CaseNumber+FROM+Case", {Bearer(token)});
    ASSERT_EQ(r.status, 200) << r.body;
    std::set<std::string> numbers;
    const json::value cases = json::parse(r.body);
    for (const auto& rec : cases.at("records").as_array()) {
        EXPECT_TRUE(numbers.insert(std::string(rec.at("CaseNumber").as_string())).second);
    }
    EXPECT_EQ(numbers.size(), 4U * kPerWriter);
}

TEST_F(PgCrossNodeTest, ANodeWithAnotherOrgDefinitionIsRefused) {
    server::LocalOrgOptions o = NodeOptions();
    o.org_def_file = TestDataPath("org-def-custom.json");
    EXPECT_THROW(TestOrg{o}, std::runtime_error);
}

}  // namespace
}  // namespace sfkit::test
