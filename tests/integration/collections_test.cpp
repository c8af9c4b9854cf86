// Wire tests of sObject Collections (/composite/sobjects, wire reference §B.13) over HTTP against
// a TestOrg with the custom org definition (Invoice__c with the unique external id ExtId__c and a
// required Due_Date__c; Account.Customer_Number__c, a non-unique external id): create, update,
// upsert, delete and retrieve, mixed types, allOrNone rollback checked by reading back, partial
// success, the record limits, malformed bodies, XML refusal and API-version gating.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"
#include "sfkit/core/id.hpp"

#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kJson = "Content-Type: application/json";
const std::string kData = "/services/data/v60.0";
const std::string kCollections = kData + "/composite/sobjects";

const std::string kRolledBack =
    R"({"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because )"
    R"(not all records were valid and the request was using AllOrNone header","fields":[]})";

std::string Error(const std::string& code, const std::string& message) {
    return json::serialize(json::array{json::object{{"message", message}, {"errorCode", code}}});
}

/// `{"statusCode":..,"message":..,"fields":[..]}` as collection results carry errors.
std::string ItemError(const std::string& code,
                      const std::string& message,
                      const std::vector<std::string>& fields = {}) {
    json::array f;
    for (const auto& s : fields) {
        f.emplace_back(s);
    }
    return json::serialize(
        json::object{{"statusCode", code}, {"message", message}, {"fields", std::move(f)}});
}

std::string Ok(const std::string& id) {
    return R"({"id":")" + id + R"(","success":true,"errors":[]})";
}
std::string Upserted(const std::string& id, bool created) {
    return R"({"id":")" + id + R"(","success":true,"errors":[],"created":)" +
           (created ? "true" : "false") + "}";
}
std::string Failed(const std::string& error) {
    return R"({"success":false,"errors":[)" + error + "]}";
}
std::string RolledBack(const std::string& id = {}) {
    return "{" + (id.empty() ? std::string() : R"("id":")" + id + R"(",)") +
           R"("success":false,"errors":[)" + kRolledBack + "]}";
}
std::string Array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& i : items) {
        out += (out.size() > 1 ? "," : "") + i;
    }
    return out + "]";
}

/// `{"allOrNone":..,"records":[..]}` from record bodies.
std::string Records(const std::vector<std::string>& records, bool all_or_none = false) {
    return std::string(R"({"allOrNone":)") + (all_or_none ? "true" : "false") + R"(,"records":)" +
           Array(records) + "}";
}
std::string Account(const std::string& fields) {
    return R"({"attributes":{"type":"Account"},)" + fields + "}";
}
std::string Contact(const std::string& fields) {
    return R"({"attributes":{"type":"Contact"},)" + fields + "}";
}
std::string Invoice(const std::string& fields) {
    return R"({"attributes":{"type":"Invoice__c"},)" + fields + "}";
}

class CollectionsTest : public CustomOrgTest {
protected:
    RawResponse Send(const std::string& method,
                     const std::string& target,
                     const std::string& body) {
        return Call(method, target, {kJson}, body);
    }
    /// The ids of a 200 answer whose records all succeeded.
    std::vector<std::string> Ids(const RawResponse& r) {
        std::vector<std::string> ids;
        EXPECT_EQ(r.status, 200) << r.body;
        const json::value v = json::parse(r.body);
        for (const auto& item : v.as_array()) {
            EXPECT_TRUE(item.at("success").as_bool()) << r.body;
            ids.emplace_back(item.at("id").as_string());
        }
        return ids;
    }
    std::string CreateAccount(const std::string& fields) {
        auto r = Send("POST", kData + "/sobjects/Account", "{" + fields + "}");
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }
    json::value Get(const std::string& type, const std::string& id) {
        auto r = Call("GET", kData + "/sobjects/" + type + "/" + id);
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    }
};

// ---- create -----------------------------------------------------------------------------------

TEST_F(CollectionsTest, CreateMixedTypesAnswersSaveResultsInRequestOrder) {
    auto r = Send("POST",
                  kCollections,
                  Records({Account(R"("Name":"Coll A","BillingCity":"San Francisco")"),
                           Contact(R"("LastName":"Johnson","FirstName":"Erica")"),
                           Account(R"("Name":"Coll B")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const auto ids = Ids(r);
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(r.body, Array({Ok(ids[0]), Ok(ids[1]), Ok(ids[2])}));
    EXPECT_EQ(ids[0].substr(0, 3), "001");
    EXPECT_EQ(ids[1].substr(0, 3), "003");
    EXPECT_EQ(ids[2].substr(0, 3), "001");
    EXPECT_EQ(Get("Account", ids[0]).at("BillingCity"), "San Francisco");
    EXPECT_EQ(Get("Contact", ids[1]).at("Name"), "Erica Johnson");
    // Audit fields as for a single create.
    const json::value b = Get("Account", ids[2]);
    EXPECT_EQ(b.at("Name"), "Coll B");
    EXPECT_EQ(b.at("CreatedById").as_string().size(), 18u);
}

TEST_F(CollectionsTest, CreatePartialSuccessKeepsTheGoodRecords) {
    auto r = Send("POST",
                  kCollections,
                  Records({Account(R"("Name":"Partial 1")"),
                           Contact(R"("FirstName":"No Last Name")"),
                           Account(R"("Name":"Partial 2","Id":"001000000000000AAA")"),
                           Invoice(R"("ExtId__c":"P-1")"),
                           Account(R"("Name":"Partial 3")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    const std::string first(v.at(0).at("id").as_string());
    const std::string last(v.at(4).at("id").as_string());
    // The same validators (and texts) as the single-record create; a failed record has no id.
    EXPECT_EQ(
        r.body,
        Array({Ok(first),
               Failed(ItemError("REQUIRED_FIELD_MISSING",
                                "Required fields are missing: [LastName]",
                                {"LastName"})),
               Failed(ItemError("INVALID_FIELD", "cannot specify Id in an insert call", {"Id"})),
               Failed(ItemError("REQUIRED_FIELD_MISSING",
                                "Required fields are missing: [Due_Date__c]",
                                {"Due_Date__c"})),
               Ok(last)}));
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Partial%' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Partial 1", "Partial 3"}));
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
    EXPECT_TRUE(Column("SELECT Id FROM Invoice__c", "Id").empty());
}

TEST_F(CollectionsTest, CreateAllOrNoneRollsEverythingBack) {
    auto r = Send("POST",
                  kCollections,
                  Records({Account(R"("Name":"Atomic 1")"),
                           Contact(R"("LastName":"Atomic")"),
                           Contact(R"("LastName":"Bad","Email":"not-an-email")"),
                           Account(R"("Name":"Atomic 2")")},
                          /*all_or_none=*/true));
    ASSERT_EQ(r.status, 200) << r.body;
    // Rolled-back inserts have no id any more; the failing record reports its own error.
    EXPECT_EQ(r.body,
              Array({RolledBack(),
                     RolledBack(),
                     Failed(ItemError("INVALID_EMAIL_ADDRESS",
                                      "Email: invalid email address: not-an-email",
                                      {"Email"})),
                     RolledBack()}));
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name LIKE 'Atomic%'", "Id").empty());
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
    // All good: everything is kept.
    auto ok =
        Send("POST",
             kCollections,
             Records({Account(R"("Name":"Atomic 3")"), Contact(R"("LastName":"Atomic")")}, true));
    EXPECT_EQ(Ids(ok).size(), 2u);
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Atomic%'", "Name"),
              (std::vector<std::string>{"Atomic 3"}));
}

TEST_F(CollectionsTest, LaterRecordsSeeEarlierOnesOfTheSameRequest) {
    // The unique ExtId__c: the second record with the same value is a duplicate of the first.
    auto r = Send("POST",
                  kCollections,
                  Records({Invoice(R"("ExtId__c":"SAME","Due_Date__c":"2024-05-01")"),
                           Invoice(R"("ExtId__c":"same","Due_Date__c":"2024-05-02")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    const std::string first(v.at(0).at("id").as_string());
    EXPECT_EQ(r.body,
              Array({Ok(first),
                     Failed(ItemError("DUPLICATE_VALUE",
                                      "duplicate value found: ExtId__c duplicates value on record "
                                      "with id: " +
                                          first.substr(0, 15)))}));
}

// ---- update -----------------------------------------------------------------------------------

TEST_F(CollectionsTest, UpdateRecordsOneByOne) {
    const std::string a = CreateAccount(R"("Name":"Up A")");
    const std::string b = CreateAccount(R"("Name":"Up B")");
    const std::string gone = CreateAccount(R"("Name":"Up Gone")");
    ASSERT_EQ(Call("DELETE", kData + "/sobjects/Account/" + gone).status, 204);
    const std::string missing = Id::Make("001", "Lo", 99999).Str18();
    auto r = Send("PATCH",
                  kCollections,
                  Records({Account(R"("id":")" + a + R"(","Phone":"111")"),  // jsforce's `id`
                           Account(R"("Id":")" + b.substr(0, 15) + R"(","Name":null)"),
                           Contact(R"("Id":")" + a + R"(","LastName":"X")"),
                           Account(R"("Name":"No Id")"),
                           Account(R"("Id":")" + missing + R"(","Name":"X")"),
                           Account(R"("Id":")" + gone + R"(","Name":"X")"),
                           Account(R"("Id":")" + b + R"(","Fax":"222")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(
        r.body,
        Array({Ok(a),
               Failed(ItemError(
                   "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", {"Name"})),
               Failed(ItemError(
                   "MALFORMED_ID", "Contact ID: id value of incorrect type: " + a, {"Id"})),
               Failed(ItemError("MISSING_ARGUMENT", "Id not specified in an update call")),
               Failed(ItemError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")),
               Failed(ItemError("ENTITY_IS_DELETED", "entity is deleted")),
               Ok(b)}));
    EXPECT_EQ(Get("Account", a).at("Phone"), "111");
    const json::value got_b = Get("Account", b);
    EXPECT_EQ(got_b.at("Name"), "Up B");
    EXPECT_EQ(got_b.at("Fax"), "222");
}

TEST_F(CollectionsTest, UpdateAllOrNoneKeepsTheIdsOfRolledBackRecords) {
    const std::string a = CreateAccount(R"("Name":"Keep A")");
    const std::string b = CreateAccount(R"("Name":"Keep B")");
    auto r = Send("PATCH",
                  kCollections,
                  Records({Account(R"("Id":")" + a + R"(","Name":"Changed A")"),
                           Account(R"("Id":")" + b + R"(","NumberOfEmployees":"many")")},
                          true));
    // A value of the wrong JSON type cannot be deserialized: the whole request is refused.
    EXPECT_EQ(r.status, 400) << r.body;
    r = Send("PATCH",
             kCollections,
             Records({Account(R"("Id":")" + a + R"(","Name":"Changed A")"),
                      Account(R"("Id":")" + b + R"(","Name":")" + std::string(256, 'n') + "\"")},
                     true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              Array({RolledBack(a),
                     Failed(ItemError("STRING_TOO_LONG",
                                      "Account Name: data value too large: " +
                                          std::string(256, 'n') + " (max length=255)",
                                      {"Name"}))}));
    EXPECT_EQ(Get("Account", a).at("Name"), "Keep A");
}

// ---- upsert -----------------------------------------------------------------------------------

TEST_F(CollectionsTest, UpsertCreatesThenMatchesByExternalId) {
    const std::string target = kCollections + "/Invoice__c/ExtId__c";
    auto r = Send("PATCH",
                  target,
                  Records({Invoice(R"("ExtId__c":"INV-1","Due_Date__c":"2024-01-31")"),
                           Invoice(R"("ExtId__c":"INV-2","Due_Date__c":"2024-02-29")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    const std::string one(v.at(0).at("id").as_string());
    const std::string two(v.at(1).at("id").as_string());
    EXPECT_EQ(r.body, Array({Upserted(one, true), Upserted(two, true)}));
    // A match ignores case (the field is not case-sensitive); records without attributes are
    // of the URL's type.
    r = Send("PATCH",
             target,
             Records({R"({"ExtId__c":"inv-2","Amount__c":12.5})",
                      Invoice(R"("ExtId__c":"INV-3","Due_Date__c":"2024-03-31")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string three(json::parse(r.body).at(1).at("id").as_string());
    EXPECT_EQ(r.body, Array({Upserted(two, false), Upserted(three, true)}));
    EXPECT_EQ(Get("Invoice__c", two).at("Amount__c"), 12.5);
    EXPECT_EQ(Column("SELECT ExtId__c FROM Invoice__c ORDER BY ExtId__c", "ExtId__c"),
              (std::vector<std::string>{"INV-1", "inv-2", "INV-3"}));
}

TEST_F(CollectionsTest, UpsertPerRecordErrors) {
    const std::string target = kCollections + "/Invoice__c/ExtId__c";
    auto r = Send("PATCH",
                  target,
                  Records({Invoice(R"("Due_Date__c":"2024-01-31")"),
                           Invoice(R"("ExtId__c":"D-1","Due_Date__c":"2024-01-31")"),
                           Invoice(R"("ExtId__c":"d-1","Due_Date__c":"2024-01-31")"),
                           Invoice(R"("ExtId__c":"X-1","Id":"a00000000000000AAA")"),
                           Invoice(R"("ExtId__c":"OK-1")"),
                           Invoice(R"("ExtId__c":"OK-2","Due_Date__c":"2024-01-31")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string ok(json::parse(r.body).at(5).at("id").as_string());
    EXPECT_EQ(
        r.body,
        Array({Failed(ItemError("MISSING_ARGUMENT", "ExtId__c not specified")),
               Failed(ItemError("DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: D-1")),
               Failed(ItemError("DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: d-1")),
               Failed(ItemError("INVALID_FIELD",
                                "The Id field should not be specified in the sobject data.")),
               Failed(ItemError("REQUIRED_FIELD_MISSING",
                                "Required fields are missing: [Due_Date__c]",
                                {"Due_Date__c"})),
               Upserted(ok, true)}));

    // Account.Customer_Number__c is an external id that is not unique: two matches.
    const std::string a = CreateAccount(R"("Name":"Twin 1","Customer_Number__c":7)");
    const std::string b = CreateAccount(R"("Name":"Twin 2","Customer_Number__c":7)");
    r = Send("PATCH",
             kCollections + "/Account/Customer_Number__c",
             Records({Account(R"("Customer_Number__c":7,"Name":"Which?")"),
                      Account(R"("Customer_Number__c":8,"Name":"Eight")")},
                     true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              Array({Failed(ItemError("DUPLICATE_EXTERNAL_ID",
                                      "Customer Number: more than one record found for external "
                                      "id field: [" +
                                          a + ", " + b + "]",
                                      {"Customer_Number__c"})),
                     RolledBack()}));
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Customer_Number__c = 8", "Id").empty());
}

TEST_F(CollectionsTest, UpsertNeedsAnExternalIdFieldAndApi46) {
    const std::string body = Records({Invoice(R"("ExtId__c":"V-1","Due_Date__c":"2024-01-31")")});
    auto r = Send("PATCH", kCollections + "/Invoice__c/Amount__c", body);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body,
              Error("NOT_FOUND",
                    "Provided external ID field does not exist or is not accessible: Amount__c"));
    r = Send("PATCH", kCollections + "/Invoice__c/Id", body);
    EXPECT_EQ(r.status, 404);
    r = Send("PATCH", kCollections + "/Nope__c/ExtId__c", body);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    r = Send("PATCH", "/services/data/v45.0/composite/sobjects/Invoice__c/ExtId__c", body);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    r = Send("PATCH", "/services/data/v46.0/composite/sobjects/Invoice__c/ExtId__c", body);
    EXPECT_EQ(r.status, 200) << r.body;
    r = Send("PATCH",
             kCollections + "/Invoice__c/ExtId__c",
             Records({Account(R"("Name":"Wrong type","ExtId__c":"V-2")")}));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body,
              Error("INVALID_TYPE", "Records of type Account cannot be upserted as Invoice__c"));
}

// ---- delete -----------------------------------------------------------------------------------

TEST_F(CollectionsTest, DeleteByIdsWithPartialSuccess) {
    const std::string a = CreateAccount(R"("Name":"Del A")");
    const std::string b = CreateAccount(R"("Name":"Del B")");
    auto c = Send("POST", kData + "/sobjects/Contact", R"({"LastName":"Del C"})");
    const std::string contact(json::parse(c.body).at("id").as_string());
    const std::string missing = Id::Make("001", "Lo", 99999).Str18();
    const std::string malformed = "001RM000003oLrB000";
    auto r = Call("DELETE",
                  kCollections + "?ids=" + a + "," + malformed + "," + missing + "," + contact +
                      "," + a + "&allOrNone=false");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              Array({Ok(a),
                     Failed(ItemError("MALFORMED_ID", "malformed id " + malformed)),
                     Failed(ItemError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")),
                     Ok(contact),
                     Failed(ItemError("ENTITY_IS_DELETED", "entity is deleted"))}));
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Del%'", "Name"),
              (std::vector<std::string>{"Del B"}));
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
    // Deleted records go to the recycle bin, as with the single-record delete.
    auto all = Call("GET",
                    kData + "/queryAll?q=" +
                        client::PercentEncode("SELECT Id FROM Account WHERE Name = 'Del A'"));
    EXPECT_EQ(json::parse(all.body).at("totalSize"), 1);
    (void)b;
}

TEST_F(CollectionsTest, DeleteAllOrNoneDeletesNothingWhenOneFails) {
    const std::string a = CreateAccount(R"("Name":"Stay A")");
    const std::string b = CreateAccount(R"("Name":"Stay B")");
    auto r = Call("DELETE", kCollections + "?ids=" + a + ",nonsense," + b + "&allOrNone=true");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              Array({RolledBack(a),
                     Failed(ItemError("MALFORMED_ID", "malformed id nonsense")),
                     RolledBack(b)}));
    EXPECT_EQ(Column("SELECT Name FROM Account WHERE Name LIKE 'Stay%' ORDER BY Name", "Name"),
              (std::vector<std::string>{"Stay A", "Stay B"}));
}

// ---- retrieve ---------------------------------------------------------------------------------

TEST_F(CollectionsTest, RetrieveByGetAndPost) {
    const std::string a = CreateAccount(R"("Name":"Get A","Phone":"1")");
    const std::string b = CreateAccount(R"("Name":"Get B")");
    const std::string gone = CreateAccount(R"("Name":"Get Gone")");
    ASSERT_EQ(Call("DELETE", kData + "/sobjects/Account/" + gone).status, 204);
    auto c = Send("POST", kData + "/sobjects/Contact", R"({"LastName":"Not an account"})");
    const std::string contact(json::parse(c.body).at("id").as_string());
    const std::string url = "/services/data/v60.0/sobjects/Account/";
    const auto rec = [&](const std::string& id, const std::string& fields) {
        return R"({"attributes":{"type":"Account","url":")" + url + id + R"("},)" + fields + "}";
    };
    // Fields in request order (names as the schema spells them), Id appended when not asked for;
    // null for an id that is malformed, of another object, deleted or unknown.
    const std::string expected = Array({rec(b, R"("Phone":null,"Name":"Get B","Id":")" + b + "\""),
                                        "null",
                                        rec(a, R"("Phone":"1","Name":"Get A","Id":")" + a + "\""),
                                        "null",
                                        "null",
                                        "null"});
    const std::string ids = b + ",bogus," + a.substr(0, 15) + "," + contact + "," + gone + "," +
                            Id::Make("001", "Lo", 99999).Str18();
    auto r = Call("GET", kCollections + "/Account?ids=" + ids + "&fields=phone,Name");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, expected);
    json::array id_list;
    for (const auto& id : {b,
                           std::string("bogus"),
                           a.substr(0, 15),
                           contact,
                           gone,
                           Id::Make("001", "Lo", 99999).Str18()}) {
        id_list.emplace_back(id);
    }
    r = Send(
        "POST",
        kCollections + "/account",
        json::serialize(json::object{{"ids", id_list}, {"fields", json::array{"phone", "Name"}}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, expected);
    // Fields that do not exist: the query's error for the whole request.
    r = Call("GET", kCollections + "/Account?ids=" + a + "&fields=Name,Nope__c");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body).at(0).at("errorCode"), "INVALID_FIELD");
    EXPECT_EQ(Call("GET", kCollections + "/Account?ids=" + a).body,
              Error("MISSING_ARGUMENT", "fields not specified"));
    EXPECT_EQ(Call("GET", kCollections + "/Account?fields=Name").body,
              Error("MISSING_ARGUMENT", "ids not specified"));
    EXPECT_EQ(Call("GET", kCollections + "/Nope__c?ids=" + a + "&fields=Name").status, 404);
}

// ---- limits and malformed requests ------------------------------------------------------------

TEST_F(CollectionsTest, AtMostTwoHundredRecords) {
    std::vector<std::string> records;
    for (int i = 0; i < 200; ++i) {
        records.push_back(Account(R"("Name":"Bulk )" + std::to_string(i) + "\""));
    }
    auto r = Send("POST", kCollections, Records(records));
    EXPECT_EQ(Ids(r).size(), 200u);
    records.push_back(Account(R"("Name":"One too many")"));
    r = Send("POST", kCollections, Records(records));
    EXPECT_EQ(r.status, 400);
    const std::string limit =
        Error("EXCEEDED_ID_LIMIT",
              "record limit reached. cannot submit more than 200 records into this call");
    EXPECT_EQ(r.body, limit);
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name = 'One too many'", "Id").empty());
    EXPECT_EQ(Send("PATCH", kCollections, Records(records)).body, limit);
    EXPECT_EQ(Send("PATCH", kCollections + "/Account/Customer_Number__c", Records(records)).body,
              limit);
    std::string ids;
    for (int i = 0; i < 201; ++i) {
        ids += (i ? "," : "") + Id::Make("001", "Lo", 1000 + i).Str18();
    }
    EXPECT_EQ(Call("DELETE", kCollections + "?ids=" + ids).body, limit);
    json::array many;
    for (int i = 0; i < 2001; ++i) {
        many.emplace_back(Id::Make("001", "Lo", 1000 + i).Str18());
    }
    r = Send("POST",
             kCollections + "/Account",
             json::serialize(json::object{{"ids", many}, {"fields", json::array{"Name"}}}));
    EXPECT_EQ(r.body,
              Error("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 2000 records into this call"));
}

TEST_F(CollectionsTest, MalformedRequestsAreRefusedWhole) {
    // JSON syntax: the same parser error as everywhere else.
    auto r = Send("POST", kCollections, R"({"records":[})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body).at(0).at("errorCode"), "JSON_PARSER_ERROR");
    // The placeholder body of Salesforce's Postman collection.
    r = Send("POST",
             kCollections,
             "{\n    \"allOrNone\": \"Boolean\",\n    \"records\":\"SObject[]\"\n}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of boolean from VALUE_STRING value Boolean or "
                    "request may be missing a required field at [line:2, column:27]"));
    r = Send("POST", kCollections, R"({"records":"SObject[]"})");
    EXPECT_EQ(r.body,
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of List from VALUE_STRING value SObject[] or "
                    "request may be missing a required field at [line:1, column:23]"));
    // No records.
    EXPECT_EQ(Send("POST", kCollections, R"({"allOrNone":true})").body,
              Error("MISSING_ARGUMENT", "records not specified"));
    EXPECT_EQ(Send("POST", kCollections, R"({"records":[]})").body,
              Error("MISSING_ARGUMENT", "records not specified"));
    EXPECT_EQ(Call("DELETE", kCollections).body, Error("MISSING_ARGUMENT", "ids not specified"));
    // A record without a type, of an unknown type, with an unknown field or a value of the wrong
    // type: nothing is written, even for the good records before it.
    r = Send("POST",
             kCollections,
             R"({"records":[{"attributes":{"type":"Account"},"Name":"Before"},{"Name":"x"}]})");
    EXPECT_EQ(r.body,
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of SObject from START_OBJECT value { or request "
                    "may be missing a required field at [line:1, column:64]"));
    r = Send("POST",
             kCollections,
             Records({Account(R"("Name":"Before")"), R"({"attributes":{"type":"Nope__c"}})"}));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body).at(0).at("errorCode"), "INVALID_TYPE");
    r = Send(
        "POST", kCollections, Records({Account(R"("Name":"Before")"), Account(R"("Nope__c":1)")}));
    EXPECT_EQ(r.body,
              Error("INVALID_FIELD", "No such column 'Nope__c' on sobject of type Account"));
    r = Send(
        "POST", kCollections, "{\"records\":[\n" + Account(R"("NumberOfEmployees":"many")") + "]}");
    EXPECT_EQ(
        r.body,
        Error("JSON_PARSER_ERROR",
              "Cannot deserialize instance of int from VALUE_STRING value many or request may "
              "be missing a required field at [line:2, column:60]"));
    EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name = 'Before'", "Id").empty());
    // XML either way is not served here.
    r = Call("POST", kCollections, {"Content-Type: application/xml"}, "<records/>");
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(r.body,
              Error("UNSUPPORTED_MEDIA_TYPE",
                    "MediaType of 'application/xml' is not supported by this resource"));
    r = Call("GET", kCollections + "/Account.xml?ids=x&fields=Name");
    EXPECT_EQ(r.status, 415);
    // Wrong methods, as the router answers them.
    r = Send("PATCH", kCollections + "/Account", Records({Account(R"("Name":"x")")}));
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.Header("Allow"), "HEAD,GET,POST");
    r = Send("PUT", kCollections, "{}");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.Header("Allow"), "POST,PATCH,DELETE");
}

TEST_F(CollectionsTest, AvailableFromApi42) {
    const std::string body = Records({Account(R"("Name":"Versioned")")});
    for (const std::string v : {"41.0", "31.0"}) {
        auto r = Send("POST", "/services/data/v" + v + "/composite/sobjects", body);
        EXPECT_EQ(r.status, 404) << v;
        EXPECT_EQ(
            r.body,
            R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
        r = Call("GET", "/services/data/v" + v + "/composite/sobjects/Account?ids=x&fields=Name");
        EXPECT_EQ(r.status, 404) << v;
    }
    auto r = Send("POST", "/services/data/v42.0/composite/sobjects", body);
    ASSERT_EQ(Ids(r).size(), 1u);
    EXPECT_EQ(Send("POST", "/services/data/v30.0/composite/sobjects", body).status, 410);
    // The resources of a version list `composite` (§B.2).
    auto resources = Call("GET", kData);
    EXPECT_EQ(json::parse(resources.body).at("composite").as_string(), kData + "/composite");
    // Without a session: 401 like every REST resource.
    auto anonymous = Fetch(org_.Port(), "POST", kCollections, {kJson}, body);
    EXPECT_EQ(anonymous.status, 401);
}

TEST_F(CollectionsTest, ConcurrentRequestsStayAtomic) {
    // Requests that arrive together share commits (group commit); each still keeps or drops its
    // records as a whole: the allOrNone ones with a bad record leave nothing, the others all.
    constexpr int kThreads = 4;
    constexpr int kRounds = 6;
    std::vector<std::thread> threads;
    std::atomic<int> answered{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                const std::string tag = "T" + std::to_string(t) + "-" + std::to_string(i);
                const bool bad = i % 2 == 1;
                auto r = Send(
                    "POST",
                    kCollections,
                    Records({Account(R"("Name":")" + tag + R"(")"),
                             Contact(bad ? R"("FirstName":"x")" : R"("LastName":")" + tag + R"(")"),
                             Account(R"("Name":")" + tag + R"(")")},
                            /*all_or_none=*/true));
                if (r.status == 200) {
                    ++answered;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(answered.load(), kThreads * kRounds);
    // Every good request kept its two accounts and its contact; no bad one kept anything.
    EXPECT_EQ(Column("SELECT Id FROM Account", "Id").size(),
              static_cast<std::size_t>(kThreads * kRounds));
    EXPECT_EQ(Column("SELECT Id FROM Contact", "Id").size(),
              static_cast<std::size_t>(kThreads * kRounds / 2));
    for (int t = 0; t < kThreads; ++t) {
        const std::string bad = "T" + std::to_string(t) + "-1";
        EXPECT_TRUE(Column("SELECT Id FROM Account WHERE Name = '" + bad + "'", "Id").empty());
    }
}

TEST_F(CollectionsTest, PrettyPrintedResults) {
    auto r = Call("POST",
                  kCollections,
                  {kJson, "X-PrettyPrint: 1"},
                  Records({Account(R"("Name":"Pretty")"), Contact(R"("FirstName":"x")")}));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string id(json::parse(r.body).at(0).at("id").as_string());
    EXPECT_EQ(r.body,
              "[ {\n  \"id\" : \"" + id +
                  "\",\n  \"success\" : true,\n  \"errors\" : [ ]\n}, {\n  \"success\" : false,\n"
                  "  \"errors\" : [ {\n    \"statusCode\" : \"REQUIRED_FIELD_MISSING\",\n"
                  "    \"message\" : \"Required fields are missing: [LastName]\",\n"
                  "    \"fields\" : [ \"LastName\" ]\n  } ]\n} ]");
}

}  // namespace
}  // namespace sfkit::test
