// Wire tests of the differences issue 14 found between the local org and responses recorded
// from real orgs: WWW-Authenticate on every 401, Location on created and upserted records,
// upsert by idLookup fields, and the API-version rule for composite referenceIds.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kJson = "Content-Type: application/json";

class FidelityWireTest : public CustomOrgTest {
protected:
    std::string IdOf(const RawResponse& r) {
        return std::string(json::parse(r.body).at("id").as_string());
    }
};

TEST(FidelityAuthTest, EveryUnauthorizedAnswerNamesTheTokenScheme) {
    TestOrg org;
    // No credentials, a bad bearer token, and a REST write: each a 401 INVALID_SESSION_ID with
    // the scheme named.
    const std::vector<RawResponse> answers = {
        Fetch(org.Port(), "GET", "/services/data/v60.0/"),
        Fetch(org.Port(),
              "GET",
              "/services/data/v60.0/sobjects/Account/describe",
              {"Authorization: Bearer 00Dnot!aSession"}),
        Fetch(org.Port(), "POST", "/services/data/v60.0/sobjects/Account", {kJson}, "{}"),
        Fetch(org.Port(), "GET", "/services/data/v60.0/query?q=SELECT+Id+FROM+Account", {}),
    };
    for (const RawResponse& r : answers) {
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_EQ(r.Header("WWW-Authenticate"), "Token");
        EXPECT_NE(r.body.find("INVALID_SESSION_ID"), std::string::npos);
    }
    // Not on other errors.
    const std::string token = org.Login();
    auto missing = Fetch(org.Port(),
                         "GET",
                         "/services/data/v60.0/sobjects/NoSuchThing",
                         {"Authorization: Bearer " + token});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.Header("WWW-Authenticate"), "");
}

TEST_F(FidelityWireTest, CreatesCarryTheLocationOfTheNewRecord) {
    auto r = Call("POST", "/services/data/v53.0/sobjects/Account", {kJson}, R"({"Name":"Loc"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Location"), "/services/data/v53.0/sobjects/Account/" + IdOf(r));
    // XML bodies too, and custom objects by their API name.
    r = Call(
        "POST",
        "/services/data/v60.0/sobjects/Invoice__c",
        {"Content-Type: application/xml", "Accept: application/xml"},
        "<Invoice__c><Amount__c>5</Amount__c><Due_Date__c>2024-01-01</Due_Date__c></Invoice__c>");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id_at = r.body.find("<id>");
    ASSERT_NE(id_at, std::string::npos);
    EXPECT_EQ(r.Header("Location"),
              "/services/data/v60.0/sobjects/Invoice__c/" + r.body.substr(id_at + 4, 18));
    // Failed creates have none.
    r = Call("POST", "/services/data/v60.0/sobjects/Account", {kJson}, R"({"Phone":"1"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.Header("Location"), "");
}

TEST_F(FidelityWireTest, UpsertsCarryLocationCreatedOrNot) {
    const std::string url = "/services/data/v60.0/sobjects/Invoice__c/ExtId__c/LOC-1";
    auto created = Call("PATCH", url, {kJson}, R"({"Amount__c":1,"Due_Date__c":"2024-01-01"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = IdOf(created);
    EXPECT_EQ(created.Header("Location"), "/services/data/v60.0/sobjects/Invoice__c/" + id);
    auto updated = Call("PATCH", url, {kJson}, R"({"Amount__c":2})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.Header("Location"), "/services/data/v60.0/sobjects/Invoice__c/" + id);
    // Before 46.0 an update answers 204 without a body, and without a Location.
    auto old = Call("PATCH",
                    "/services/data/v45.0/sobjects/Invoice__c/ExtId__c/LOC-1",
                    {kJson},
                    R"({"Amount__c":3})");
    EXPECT_EQ(old.status, 204);
    EXPECT_EQ(old.Header("Location"), "");
}

TEST_F(FidelityWireTest, CompositeSubresponsesTakeTheLocationOfTheirSubrequest) {
    const std::string body =
        R"({"compositeRequest":[)"
        R"({"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"acc",)"
        R"("body":{"Name":"In composite"}},)"
        R"({"method":"PATCH","url":"/services/data/v60.0/sobjects/Invoice__c/ExtId__c/C-1",)"
        R"("referenceId":"ups","body":{"Amount__c":4,"Due_Date__c":"2024-01-01"}}]})";
    auto r = Call("POST", "/services/data/v60.0/composite", {kJson}, body);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::array items = json::parse(r.body).at("compositeResponse").as_array();
    ASSERT_EQ(items.size(), 2u);
    const auto location = [&](std::size_t i) {
        return std::string(items[i].at("httpHeaders").at("Location").as_string());
    };
    const auto id = [&](std::size_t i) {
        return std::string(items[i].at("body").at("id").as_string());
    };
    EXPECT_EQ(location(0), "/services/data/v60.0/sobjects/Account/" + id(0));
    EXPECT_EQ(items[1].at("httpStatusCode"), 201);
    EXPECT_EQ(location(1), "/services/data/v60.0/sobjects/Invoice__c/" + id(1));
}

TEST_F(FidelityWireTest, UpsertMatchesByIdLookupFieldsOfStandardObjects) {
    // Contact.Email is idLookup (not an external id): a real org upserts by it.
    const std::string url = "/services/data/v60.0/sobjects/Contact/Email/ada@example.com";
    auto created = Call("PATCH", url, {kJson}, R"({"LastName":"Lovelace"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = IdOf(created);
    // Matching is case-insensitive, like the field's equality in SOQL.
    auto updated = Call("PATCH",
                        "/services/data/v60.0/sobjects/Contact/Email/ADA@example.com",
                        {kJson},
                        R"({"Title":"Countess"})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(IdOf(updated), id);
    EXPECT_EQ(Column("SELECT Title FROM Contact WHERE Id = '" + id + "'", "Title"),
              std::vector<std::string>{"Countess"});

    // sObject Collections upsert takes the same fields.
    auto coll = Call("PATCH",
                     "/services/data/v60.0/composite/sobjects/Contact/Email",
                     {kJson},
                     R"({"allOrNone":false,"records":[)"
                     R"({"attributes":{"type":"Contact"},"Email":"ada@example.com","Phone":"1"},)"
                     R"({"attributes":{"type":"Contact"},"Email":"new@example.com",)"
                     R"("LastName":"New"}]})");
    ASSERT_EQ(coll.status, 200) << coll.body;
    const json::array results = json::parse(coll.body).as_array();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].at("id").as_string(), id);
    EXPECT_EQ(results[0].at("created"), false);
    EXPECT_EQ(results[1].at("created"), true);

    // A field that is neither: still 404, single and collection alike.
    auto bad = Call(
        "PATCH", "/services/data/v60.0/sobjects/Contact/Title/x", {kJson}, R"({"LastName":"X"})");
    EXPECT_EQ(bad.status, 404);
    EXPECT_NE(bad.body.find("Provided external ID field does not exist or is not accessible: "
                            "Title"),
              std::string::npos);
    bad = Call("PATCH",
               "/services/data/v60.0/composite/sobjects/Contact/Title",
               {kJson},
               R"({"records":[{"attributes":{"type":"Contact"},"Title":"x","LastName":"X"}]})");
    EXPECT_EQ(bad.status, 404);
    // Collections still refuse Id ("Don't use record ids").
    bad = Call("PATCH",
               "/services/data/v60.0/composite/sobjects/Contact/Id",
               {kJson},
               R"({"records":[{"attributes":{"type":"Contact"},"LastName":"X"}]})");
    EXPECT_EQ(bad.status, 404);
}

TEST_F(FidelityWireTest, CustomObjectsUpsertOnlyByExternalIds) {
    // A custom object's Name is idLookup in describe, but upsert wants an external id there
    // (SOAP API upsert docs).
    auto r = Call("PATCH",
                  "/services/data/v60.0/sobjects/Invoice__c/Name/INV-9",
                  {kJson},
                  R"({"Amount__c":1})");
    EXPECT_EQ(r.status, 404) << r.body;
}

TEST_F(FidelityWireTest, GraphReferenceIdsWithHyphensBefore54) {
    // sf-fx-runtime-java's recorded composite/graph call at v53.0, referenceId `insert-anh`.
    const auto graph = [&](const std::string& version) {
        return Call("POST",
                    "/services/data/v" + version + "/composite/graph",
                    {kJson},
                    R"({"graphs":[{"graphId":"graph0","compositeRequest":[{"url":)"
                    R"("/services/data/v)" +
                        version +
                        R"(/sobjects/Account","method":"POST","referenceId":"insert-anh",)"
                        R"("body":{"Name":"Star Wars Episode IV - A New Hope"}}]}]})");
    };
    auto r = graph("53.0");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value g53 = json::parse(r.body).at("graphs").at(0);
    EXPECT_EQ(g53.at("isSuccessful"), true) << r.body;
    const json::value& node = g53.at("graphResponse").at("compositeResponse").at(0);
    EXPECT_EQ(node.at("httpStatusCode"), 201);
    EXPECT_EQ(node.at("referenceId"), "insert-anh");

    r = graph("54.0");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value g54 = json::parse(r.body).at("graphs").at(0);
    EXPECT_EQ(g54.at("isSuccessful"), false);
    EXPECT_NE(r.body.find("Provided referenceId ('insert-anh') must start with a letter or a "
                          "number, and it can contain only letters, numbers and underscores"),
              std::string::npos)
        << r.body;
}

TEST_F(FidelityWireTest, TreeReferenceIdsFollowTheSameRule) {
    const auto tree = [&](const std::string& version, const std::string& ref) {
        return Call("POST",
                    "/services/data/v" + version + "/composite/tree/Account",
                    {kJson},
                    R"({"records":[{"attributes":{"type":"Account","referenceId":")" + ref +
                        R"("},"Name":"Tree"}]})");
    };
    auto r = tree("60.0", "ref-1");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body,
              R"({"hasErrors":true,"results":[{"referenceId":"ref-1","errors":[{"statusCode":)"
              R"("INVALID_INPUT","message":"Provided referenceId ('ref-1') must start with a )"
              R"(letter or a number, and it can contain only letters, numbers and underscores )"
              R"(('_').","fields":[]}]}]})");
    r = tree("53.0", "ref-1");
    EXPECT_EQ(r.status, 201) << r.body;
    r = tree("53.0", "-ref");
    EXPECT_EQ(r.status, 400) << r.body;
}

// ---- sObject Relationships: /sobjects/{Type}/{id}/{relationship} (REST guide, v36.0+ [D]) ----

std::vector<std::string> Keys(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : o) {
        keys.emplace_back(k);
    }
    return keys;
}

TEST_F(FidelityWireTest, RelationshipTraversalToTheParent) {
    const std::string data = "/services/data/v60.0/sobjects/";
    const std::string account =
        IdOf(Call("POST", data + "Account", {kJson}, R"({"Name":"Parent Co"})"));
    const std::string contact = IdOf(Call(
        "POST", data + "Contact", {kJson}, R"({"LastName":"Kid","AccountId":")" + account + "\"}"));
    // The parent record, as GET /sobjects/Account/{id} answers it.
    auto parent = Call("GET", data + "Contact/" + contact + "/Account");
    ASSERT_EQ(parent.status, 200) << parent.body;
    EXPECT_EQ(parent.body, Call("GET", data + "Account/" + account).body);
    // Relationship names are case-insensitive; ?fields= picks the parent's fields.
    auto some = Call("GET", data + "Contact/" + contact + "/account?fields=Name");
    ASSERT_EQ(some.status, 200) << some.body;
    EXPECT_EQ(Keys(json::parse(some.body).as_object()),
              (std::vector<std::string>{"attributes", "Name", "Id"}));
    // Custom lookups by their __r name, polymorphic-free standard ones (Owner -> User).
    const std::string invoice =
        IdOf(Call("POST",
                  data + "Invoice__c",
                  {kJson},
                  R"({"Due_Date__c":"2024-01-01","Account__c":")" + account + "\"}"));
    auto via_custom = Call("GET", data + "Invoice__c/" + invoice + "/Account__r?fields=Name");
    ASSERT_EQ(via_custom.status, 200) << via_custom.body;
    EXPECT_EQ(json::parse(via_custom.body).at("Name").as_string(), "Parent Co");
    auto owner = Call("GET", data + "Account/" + account + "/Owner?fields=Username");
    ASSERT_EQ(owner.status, 200) << owner.body;
    EXPECT_EQ(json::parse(owner.body).at("attributes").at("type").as_string(), "User");
    // No parent: 404 [D].
    const std::string orphan =
        IdOf(Call("POST", data + "Contact", {kJson}, R"({"LastName":"Orphan"})"));
    auto none = Call("GET", data + "Contact/" + orphan + "/Account");
    EXPECT_EQ(none.status, 404) << none.body;
    EXPECT_NE(none.body.find("NOT_FOUND"), std::string::npos);
    // PATCH updates the parent, DELETE deletes it (child-to-parent only [D]).
    auto renamed =
        Call("PATCH", data + "Contact/" + contact + "/Account", {kJson}, R"({"Name":"Renamed"})");
    EXPECT_EQ(renamed.status, 204) << renamed.body;
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Id = '" + account + "'", "Name"),
              (std::vector<std::string>{"Renamed"}));
    EXPECT_EQ(Call("DELETE", data + "Invoice__c/" + invoice + "/Account__r").status, 204);
    EXPECT_EQ(Call("GET", data + "Account/" + account).status, 404);
}

TEST_F(FidelityWireTest, RelationshipTraversalToTheChildren) {
    const std::string data = "/services/data/v60.0/sobjects/";
    const std::string account =
        IdOf(Call("POST", data + "Account", {kJson}, R"({"Name":"Kids Co"})"));
    std::vector<std::string> kids;
    for (const char* name : {"Ann", "Bob"}) {
        kids.push_back(IdOf(
            Call("POST",
                 data + "Contact",
                 {kJson},
                 std::string(R"({"LastName":")") + name + R"(","AccountId":")" + account + "\"}")));
    }
    auto children = Call("GET", data + "Account/" + account + "/Contacts");
    ASSERT_EQ(children.status, 200) << children.body;
    const json::object page = json::parse(children.body).as_object();
    EXPECT_EQ(Keys(page), (std::vector<std::string>{"totalSize", "done", "records"}));
    EXPECT_EQ(page.at("totalSize").as_int64(), 2);
    std::vector<std::string> ids;
    for (const auto& r : page.at("records").as_array()) {
        EXPECT_EQ(r.at("attributes").at("type").as_string(), "Contact");
        ids.emplace_back(r.at("Id").as_string());
    }
    std::sort(ids.begin(), ids.end());
    std::sort(kids.begin(), kids.end());
    EXPECT_EQ(ids, kids);
    // ?fields= as a SELECT list; an unknown field is the query's 400 [D].
    auto named = Call("GET", data + "Account/" + account + "/contacts?fields=LastName");
    ASSERT_EQ(named.status, 200) << named.body;
    EXPECT_EQ(Keys(json::parse(named.body).at("records").as_array()[0].as_object()),
              (std::vector<std::string>{"attributes", "LastName"}));
    auto bad = Call("GET", data + "Account/" + account + "/Contacts?fields=Nope__c");
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_NE(bad.body.find("INVALID_FIELD"), std::string::npos) << bad.body;
    // Custom child relationships by their __r name; none: 200 with no records [D].
    auto invoices = Call("GET", data + "Account/" + account + "/Invoices__r");
    ASSERT_EQ(invoices.status, 200) << invoices.body;
    EXPECT_EQ(invoices.body, R"({"totalSize":0,"done":true,"records":[]})");
    // Only GET for children; an unknown name on a record id is 404, and so is every name before
    // v36.0 (no sObject Relationships resource yet).
    auto del = Call("DELETE", data + "Account/" + account + "/Contacts");
    EXPECT_EQ(del.status, 405) << del.body;
    EXPECT_EQ(Call("GET", data + "Account/" + account + "/Nothing").status, 404);
    auto old = Call("GET", "/services/data/v35.0/sobjects/Account/" + account + "/Contacts");
    EXPECT_EQ(old.status, 404);
    EXPECT_EQ(old.body,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    // A deleted record has no relationships to traverse.
    ASSERT_EQ(Call("DELETE", data + "Account/" + account).status, 204);
    EXPECT_EQ(Call("GET", data + "Account/" + account + "/Contacts").status, 404);
}

}  // namespace
}  // namespace sfkit::test
