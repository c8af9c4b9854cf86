// SOSL search over HTTP with a real login (records written through the REST API, found,
// updated, deleted), the resource listing, formats and errors; and the 2,000-record cap and
// long terms on an in-process org.
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/query_fixture.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

class SearchOverHttp : public ::testing::Test {
protected:
    void SetUp() override { auth_ = "Authorization: Bearer " + org_.Login(); }

    RawResponse Get(const std::string& target, std::vector<std::string> headers = {}) {
        headers.push_back(auth_);
        return Fetch(org_.Port(), "GET", target, headers);
    }

    std::string Create(const std::string& type, const std::string& body) {
        const RawResponse r = Fetch(org_.Port(),
                                    "POST",
                                    "/services/data/v60.0/sobjects/" + type,
                                    {auth_, "Content-Type: application/json"},
                                    body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }

    // Names of the records of a 200 search answer, in answer order.
    std::vector<std::string> Names(const RawResponse& r) {
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> names;
        const json::value body = json::parse(r.body);
        for (const json::value& rec : body.at("searchRecords").as_array()) {
            names.emplace_back(rec.at("Name").as_string());
        }
        return names;
    }

    TestOrg org_;
    std::string auth_;
};

TEST_F(SearchOverHttp, FindsWhatTheRestApiWroteAndForgetsWhatItDeleted) {
    const std::string zebra = Create("Account", R"({"Name":"Searchable Zebra"})");
    Create("Account", R"({"Name":"Plain Horse"})");
    Create("Contact", R"({"FirstName":"Zebra","LastName":"Keeper","Email":"keeper@zoo.example"})");

    // `+` for spaces and %7B/%7D braces, with the trailing slash clients send (§B.12).
    const std::string q =
        "/services/data/v60.0/search/"
        "?q=FIND+%7BZebra%7D+IN+NAME+FIELDS+RETURNING+Account(Id,+Name),+Contact(Name,+Email)";
    const RawResponse r = Get(q);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    EXPECT_NE(r.Header("Sforce-Limit-Info").find("api-usage="), std::string::npos);
    const json::array records = json::parse(r.body).at("searchRecords").as_array();
    ASSERT_EQ(records.size(), 2U) << r.body;
    EXPECT_EQ(records[0].at("attributes").at("type").as_string(), "Account");
    EXPECT_EQ(records[0].at("attributes").at("url").as_string(),
              "/services/data/v60.0/sobjects/Account/" + zebra);
    EXPECT_EQ(records[0].at("Id").as_string(), zebra);
    // The contact's Name is the one the REST API derived from FirstName and LastName.
    EXPECT_EQ(records[1].at("Name").as_string(), "Zebra Keeper");
    EXPECT_EQ(records[1].at("Email").as_string(), "keeper@zoo.example");

    const RawResponse renamed = Fetch(org_.Port(),
                                      "PATCH",
                                      "/services/data/v60.0/sobjects/Account/" + zebra,
                                      {auth_, "Content-Type: application/json"},
                                      R"({"Name":"Striped Okapi"})");
    ASSERT_EQ(renamed.status, 204) << renamed.body;
    EXPECT_EQ(Names(Get("/services/data/v60.0/search?q=FIND+%7Bokapi%7D+RETURNING+Account(Name)")),
              std::vector<std::string>{"Striped Okapi"});
    EXPECT_TRUE(Names(Get("/services/data/v60.0/search?q=FIND+%7Bzebra%7D+RETURNING+Account(Name)"))
                    .empty());

    const RawResponse deleted =
        Fetch(org_.Port(), "DELETE", "/services/data/v60.0/sobjects/Account/" + zebra, {auth_});
    ASSERT_EQ(deleted.status, 204) << deleted.body;
    EXPECT_TRUE(Names(Get("/services/data/v60.0/search?q=FIND+%7Bokapi%7D+RETURNING+Account(Name)"))
                    .empty());
}

TEST_F(SearchOverHttp, ErrorsFormatsAndVersions) {
    Create("Account", R"({"Name":"Format Check"})");
    const RawResponse missing = Get("/services/data/v60.0/search");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.body,
              R"([{"message":"No search term found. The search term must be enclosed in braces.",)"
              R"("errorCode":"MALFORMED_SEARCH"}])");
    const RawResponse no_braces = Get("/services/data/v60.0/search?q=FIND+Format");
    EXPECT_EQ(no_braces.status, 400);
    EXPECT_EQ(no_braces.body, missing.body);

    const RawResponse unauth = Fetch(org_.Port(), "GET", "/services/data/v60.0/search?q=x");
    EXPECT_EQ(unauth.status, 401);
    const RawResponse post = Fetch(org_.Port(),
                                   "POST",
                                   "/services/data/v60.0/search",
                                   {auth_, "Content-Type: application/json"},
                                   "{}");
    EXPECT_EQ(post.status, 405) << post.body;

    const RawResponse xml =
        Get("/services/data/v60.0/search.xml?q=FIND+%7Bformat%7D+RETURNING+Account(Name)");
    ASSERT_EQ(xml.status, 200) << xml.body;
    EXPECT_EQ(xml.Header("Content-Type"), "application/xml;charset=UTF-8");
    EXPECT_NE(xml.body.find("<searchRecords type=\"Account\""), std::string::npos) << xml.body;
    EXPECT_NE(xml.body.find("<Name>Format Check</Name>"), std::string::npos) << xml.body;
    const RawResponse bad_xml = Get("/services/data/v60.0/search.xml?q=FIND+%7Ba%7D");
    EXPECT_EQ(bad_xml.status, 400);
    EXPECT_NE(bad_xml.body.find("<errorCode>INVALID_SEARCH</errorCode>"), std::string::npos)
        << bad_xml.body;

    const RawResponse pretty =
        Get("/services/data/v60.0/search?q=FIND+%7Bformat%7D+RETURNING+Account(Name)",
            {"X-PrettyPrint: 1"});
    EXPECT_EQ(pretty.body.rfind("{\n  \"searchRecords\" : [ {\n    \"attributes\" : {", 0), 0U)
        << pretty.body;

    const RawResponse old =
        Get("/services/data/v35.0/search?q=FIND+%7Bformat%7D+RETURNING+Account(Name)");
    ASSERT_EQ(old.status, 200) << old.body;
    EXPECT_TRUE(json::parse(old.body).is_array()) << old.body;

    const RawResponse param = Get(
        "/services/data/v60.0/parameterizedSearch/?q=format&sobject=Account&Account.fields=Name");
    EXPECT_EQ(Names(param), std::vector<std::string>{"Format Check"});
    EXPECT_EQ(Get("/services/data/v35.0/parameterizedSearch?q=format").status, 404);

    const RawResponse resources = Get("/services/data/v60.0/");
    ASSERT_EQ(resources.status, 200);
    const json::object o = json::parse(resources.body).as_object();
    EXPECT_EQ(o.at("search").as_string(), "/services/data/v60.0/search");
    EXPECT_EQ(o.at("parameterizedSearch").as_string(), "/services/data/v60.0/parameterizedSearch");
}

// User input never becomes SQL: quotes, SQL keywords and comment markers are only search text.
TEST_F(SearchOverHttp, TermsAreNeverSql) {
    Create("Account", R"({"Name":"O'Brien; DROP TABLE x --"})");
    const RawResponse r =
        Get("/services/data/v60.0/search?q=FIND+%7BO%5C%27Brien%5C%3B+DROP%7D+RETURNING+"
            "Account(Name+WHERE+Name+LIKE+%27O%5C%27B%25%27)");
    EXPECT_EQ(Names(r), std::vector<std::string>{"O'Brien; DROP TABLE x --"});
    const RawResponse all = Get("/services/data/v60.0/query?q=SELECT+COUNT()+FROM+Account");
    EXPECT_EQ(json::parse(all.body).at("totalSize").as_int64(), 1) << all.body;
}

TEST(SearchLimits, AtMost2000RecordsAndLongTermsFindNothing) {
    QueryFixture org;
    for (int i = 0; i < 2100; ++i) {
        org.Insert("Widget__c", R"({"Name":"Bulk widget )" + std::to_string(i) + "\"}", "");
    }
    const auto count = [&](const std::string& sosl) {
        std::string target = "/services/data/v60.0/search?q=";
        for (char c : sosl) {
            target += c == ' ' ? std::string("+") : std::string(1, c);
        }
        const server::Response r = org.Get(target);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).at("searchRecords").as_array().size();
    };
    EXPECT_EQ(count("FIND {bulk} RETURNING Widget__c(Name)"), 2000U);
    EXPECT_EQ(count("FIND {bulk} RETURNING Widget__c(Name) LIMIT 5000"), 2000U);
    EXPECT_EQ(count("FIND {bulk} RETURNING Widget__c(Name LIMIT 2500)"), 2000U);
    EXPECT_EQ(count("FIND {bulk} RETURNING Widget__c(Name LIMIT 7) LIMIT 5"), 5U);
    EXPECT_EQ(count("FIND {widget AND 2099} RETURNING Widget__c(Name)"), 1U);
    EXPECT_EQ(count("FIND {bulk}"), 2000U);
    // SOSL reference: a SearchQuery longer than 10,000 characters returns no rows.
    std::string long_term = "bulk";
    while (long_term.size() <= 10000) {
        long_term += " OR bulk";
    }
    EXPECT_EQ(count("FIND {" + long_term + "} RETURNING Widget__c(Name)"), 0U);
}

}  // namespace
}  // namespace sfkit::test
