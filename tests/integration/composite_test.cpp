// Wire tests of the composite resources (wire reference §B.13) over HTTP against a TestOrg with
// the custom org definition: Composite (references between subrequests, allOrNone rollback read
// back, failed dependencies, the limits and malformed bodies), Composite Batch (haltOnError,
// independent commits) and sObject Tree (level order, rollback, duplicates, limits).
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"

#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kJson = "Content-Type: application/json";
const std::string kData = "/services/data/v60.0";
const std::string kComposite = kData + "/composite";
const std::string kBatch = kData + "/composite/batch";

const std::string kRolledBack =
    R"({"body":[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back )"
    R"(since another operation in the same transaction failed."}],"httpHeaders":{},)"
    R"("httpStatusCode":400,"referenceId":")";

/// The rolled-back answer of subrequest `ref` under allOrNone.
std::string RolledBack(const std::string& ref) {
    return kRolledBack + ref + R"("})";
}

/// A top-level error body `[{"message":..,"errorCode":..}]`.
std::string Error(const std::string& code, const std::string& message) {
    return json::serialize(json::array{json::object{{"message", message}, {"errorCode", code}}});
}

/// `{"allOrNone":..,"compositeRequest":[..]}` from subrequest objects.
std::string Composite(const std::vector<std::string>& subrequests, bool all_or_none = false) {
    std::string out = std::string(R"({"allOrNone":)") + (all_or_none ? "true" : "false") +
                      R"(,"compositeRequest":[)";
    for (std::size_t i = 0; i < subrequests.size(); ++i) {
        out += (i ? "," : "") + subrequests[i];
    }
    return out + "]}";
}

/// One subrequest; `body` is JSON text or empty for none.
std::string Sub(const std::string& method,
                const std::string& url,
                const std::string& ref,
                const std::string& body = {}) {
    std::string out =
        R"({"method":")" + method + R"(","url":")" + url + R"(","referenceId":")" + ref + R"(")";
    if (!body.empty()) {
        out += R"(,"body":)" + body;
    }
    return out + "}";
}

class CompositeTest : public CustomOrgTest {
protected:
    RawResponse Post(const std::string& target, const std::string& body) {
        return Call("POST", target, {kJson}, body);
    }
    /// The compositeResponse items of a 200 answer.
    json::array Items(const RawResponse& r) {
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).at("compositeResponse").as_array();
    }
    std::string CreateAccount(const std::string& name) {
        auto r = Post(kData + "/sobjects/Account", R"({"Name":")" + name + R"("})");
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    }
};

// ---- Composite: success and references ------------------------------------------------------

TEST_F(CompositeTest, CreateThenGetThroughAReferenceAnswersTheRecordedShape) {
    auto r = Post(
        kComposite,
        Composite({Sub("POST", kData + "/sobjects/Account", "refAccount", R"({"Name":"Sample"})"),
                   Sub("GET", kData + "/sobjects/Account/@{refAccount.id}?fields=Name", "refGet")},
                  true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 2u);
    const std::string id(items[0].at("body").at("id").as_string());
    ASSERT_EQ(id.size(), 18u);
    // Keys body, httpHeaders, httpStatusCode, referenceId; Location on the create (§B.13).
    EXPECT_EQ(r.body,
              R"({"compositeResponse":[{"body":{"id":")" + id +
                  R"(","success":true,"errors":[]},"httpHeaders":{"Location":"/services/data/)"
                  R"(v60.0/sobjects/Account/)" +
                  id +
                  R"("},"httpStatusCode":201,"referenceId":"refAccount"},{"body":{"attributes":)"
                  R"({"type":"Account","url":"/services/data/v60.0/sobjects/Account/)" +
                  id + R"("},"Name":"Sample","Id":")" + id +
                  R"("},"httpHeaders":{},"httpStatusCode":200,"referenceId":"refGet"}]})");
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"Sample"}));
}

TEST_F(CompositeTest, ReferencesReachIntoQueryResultsByArrayIndex) {
    const std::string account = CreateAccount("Query Target");
    auto r = Post(
        kComposite,
        Composite(
            {Sub("GET",
                 kData + "/query?q=" +
                     client::PercentEncode(
                         "SELECT Id, Name FROM Account WHERE Name = 'Query Target'"),
                 "refQuery"),
             Sub("POST",
                 kData + "/sobjects/Contact",
                 "refContact",
                 R"({"LastName":"Ref","AccountId":"@{refQuery.records[0].Id}",)"
                 R"x("Description":"of @{refQuery.records[0].Name} (@{refQuery.totalSize})"})x"),
             Sub("GET",
                 kData + "/sobjects/Contact/@{refContact.id}?fields=AccountId,Description",
                 "refRead")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].at("httpStatusCode"), 200);
    EXPECT_EQ(items[1].at("httpStatusCode"), 201) << r.body;
    EXPECT_EQ(items[2].at("httpStatusCode"), 200) << r.body;
    // A whole-string reference keeps the value; references inside text are replaced by text.
    EXPECT_EQ(items[2].at("body").at("AccountId").as_string(), account);
    EXPECT_EQ(items[2].at("body").at("Description"), "of Query Target (1)");
}

TEST_F(CompositeTest, EveryResourceCanBeASubrequest) {
    const std::string id = CreateAccount("Many");
    auto r = Post(
        kComposite,
        Composite({Sub("PATCH",
                       kData + "/sobjects/Account/" + id,
                       "update",
                       R"({"Name":"Many Renamed"})"),
                   Sub("GET", kData + "/sobjects/Account/describe", "describe"),
                   Sub("GET", kData + "/limits", "limits"),
                   Sub("POST",
                       kData + "/composite/sobjects",
                       "collection",
                       R"({"records":[{"attributes":{"type":"Account"},"Name":"Coll"}]})"),
                   Sub("PATCH",
                       kData + "/sobjects/Account/Customer_Number__c/77",
                       "upsert",
                       R"({"Name":"Upserted"})"),
                   Sub("GET", kData + "/sobjects/Account/" + id + ".json?fields=Name", "suffix"),
                   Sub("DELETE", kData + "/sobjects/Account/@{collection[0].id}", "delete")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 7u);
    // 204: no body (null) and no headers.
    EXPECT_EQ(json::serialize(items[0]),
              R"({"body":null,"httpHeaders":{},"httpStatusCode":204,"referenceId":"update"})");
    EXPECT_EQ(items[1].at("httpStatusCode"), 200);
    EXPECT_EQ(items[1].at("body").at("name"), "Account");
    EXPECT_TRUE(items[1].at("httpHeaders").as_object().contains("Last-Modified"));
    EXPECT_EQ(items[2].at("httpStatusCode"), 200);
    EXPECT_TRUE(items[2].at("body").as_object().contains("DailyApiRequests"));
    EXPECT_EQ(items[3].at("httpStatusCode"), 200);
    EXPECT_EQ(items[3].at("body").at(0).at("success"), true);
    EXPECT_EQ(items[4].at("httpStatusCode"), 201) << r.body;
    EXPECT_EQ(items[4].at("body").at("created"), true);
    const std::string upserted(items[4].at("body").at("id").as_string());
    EXPECT_EQ(items[4].at("httpHeaders").at("Location").as_string(),
              "/services/data/v60.0/sobjects/Account/" + upserted);
    EXPECT_EQ(items[5].at("body").at("Name"), "Many Renamed");
    EXPECT_EQ(items[6].at("httpStatusCode"), 204) << r.body;
    EXPECT_EQ(Column("SELECT Name FROM Account ORDER BY Name", "Name"),
              (std::vector<std::string>{"Many Renamed", "Upserted"}));
}

TEST_F(CompositeTest, SubrequestsHaveTheirOwnHeaders) {
    // The top-level If-Modified-Since is the composite's own; a subrequest's httpHeaders reach
    // its handler (and may use references).
    const std::string later = "Fri, 01 Jan 2100 00:00:00 GMT";
    auto r = Call("POST",
                  kComposite,
                  {kJson, "If-Modified-Since: " + later},
                  Composite({Sub("GET", kData + "/sobjects/Account/describe", "plain"),
                             R"({"method":"GET","url":")" + kData +
                                 R"(/sobjects/Account/describe","referenceId":"conditional",)"
                                 R"("httpHeaders":{"If-Modified-Since":")" +
                                 later + R"("}})"}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("httpStatusCode"), 200);
    EXPECT_EQ(items[1].at("httpStatusCode"), 304);
    EXPECT_TRUE(items[1].at("body").is_null());
    EXPECT_TRUE(items[1].at("httpHeaders").as_object().contains("Last-Modified"));
}

TEST_F(CompositeTest, PrettyPrintAppliesToTheWholeAnswer) {
    auto r =
        Call("POST",
             kComposite,
             {kJson, "X-PrettyPrint: 1"},
             Composite({Sub("GET", kData + "/sobjects/Account/001000000000000AAA", "missing")}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              "{\n  \"compositeResponse\" : [ {\n    \"body\" : [ {\n      \"errorCode\" : "
              "\"NOT_FOUND\",\n      \"message\" : \"The requested resource does not exist\"\n"
              "    } ],\n    \"httpHeaders\" : { },\n    \"httpStatusCode\" : 404,\n"
              "    \"referenceId\" : \"missing\"\n  } ]\n}");
}

// ---- Composite: failures ----------------------------------------------------------------------

TEST_F(CompositeTest, AllOrNoneRollsBackEverythingAndHaltsTheOthers) {
    auto r = Post(
        kComposite,
        Composite({Sub("POST", kData + "/sobjects/Account", "goodAccount", R"({"Name":"Atomic"})"),
                   Sub("POST",
                       kData + "/sobjects/Contact",
                       "badContact",
                       R"({"FirstName":"No Last Name"})"),
                   Sub("POST", kData + "/sobjects/Account", "never", R"({"Name":"Never"})")},
                  true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              R"({"compositeResponse":[)" + RolledBack("goodAccount") +
                  R"(,{"body":[{"message":"Required fields are missing: [LastName]",)"
                  R"("errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}],)"
                  R"("httpHeaders":{},"httpStatusCode":400,"referenceId":"badContact"},)" +
                  RolledBack("never") + "]}");
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
}

TEST_F(CompositeTest, AllOrNoneCountsAFailedRecordOfACollection) {
    // allOrNone docs, case 4: the collection answers 200 with its per-record results, yet the
    // composite fails and nothing is kept.
    auto r = Post(
        kComposite,
        Composite(
            {Sub("POST",
                 kData + "/composite/sobjects",
                 "newAccounts",
                 R"({"allOrNone":false,"records":[{"attributes":{"type":"Account"},)"
                 R"("Name":"Kept?"},{"attributes":{"type":"Contact"}}]})"),
             Sub("POST", kData + "/sobjects/Contact", "newContact", R"({"LastName":"Smith"})")},
            true));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("httpStatusCode"), 200);
    EXPECT_EQ(items[0].at("body").at(0).at("success"), true);
    EXPECT_EQ(items[0].at("body").at(1).at("success"), false);
    EXPECT_EQ(json::serialize(items[1]), RolledBack("newContact"));
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
}

TEST_F(CompositeTest, WithoutAllOrNoneDependentsOfAFailureAreNotRun) {
    auto r = Post(kComposite,
                  Composite({Sub("POST", kData + "/sobjects/Account", "kept", R"({"Name":"Kept"})"),
                             Sub("POST",
                                 kData + "/sobjects/Account",
                                 "failed",
                                 R"({"Name":"Bad","NoSuchField__c":1})"),
                             Sub("POST",
                                 kData + "/sobjects/Contact",
                                 "dependent",
                                 R"({"LastName":"Dep","AccountId":"@{failed.id}"})"),
                             Sub("GET", kData + "/sobjects/Account/@{failed.id}", "dependentUrl"),
                             Sub("POST",
                                 kData + "/sobjects/Contact",
                                 "independent",
                                 R"({"LastName":"Ind","AccountId":"@{kept.id}"})")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 5u);
    EXPECT_EQ(items[0].at("httpStatusCode"), 201);
    EXPECT_EQ(json::serialize(items[1].at("body")),
              Error("INVALID_FIELD", "No such column 'NoSuchField__c' on sobject of type Account"));
    // CumulusCI's recorded text for a reference that has no value.
    EXPECT_EQ(json::serialize(items[2]),
              R"({"body":[{"errorCode":"PROCESSING_HALTED","message":"Invalid reference )"
              R"(specified. No value for failed.id found in failed"}],"httpHeaders":{},)"
              R"("httpStatusCode":400,"referenceId":"dependent"})");
    EXPECT_EQ(items[3].at("body").at(0).at("message"),
              "Invalid reference specified. No value for failed.id found in failed");
    EXPECT_EQ(items[4].at("httpStatusCode"), 201);
    EXPECT_EQ(Column("SELECT LastName FROM Contact", "LastName"),
              (std::vector<std::string>{"Ind"}));
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"Kept"}));
}

TEST_F(CompositeTest, UnresolvableReferencesFailTheirSubrequest) {
    auto r =
        Post(kComposite,
             Composite({Sub("GET",
                            kData + "/query?q=" + client::PercentEncode("SELECT Id FROM Account"),
                            "none"),
                        Sub("POST",
                            kData + "/sobjects/Contact",
                            "emptyQuery",
                            R"({"LastName":"X","AccountId":"@{none.records[0].Id}"})"),
                        Sub("GET", kData + "/sobjects/Account/@{later.id}", "forward"),
                        Sub("GET", kData + "/limits", "later"),
                        Sub("GET", kData + "/sobjects/Account/@{none.noSuchKey}", "noKey"),
                        Sub("GET", kData + "/sobjects/Account/@{none.totalSize", "unclosed")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 6u);
    const auto message = [&](std::size_t i) {
        EXPECT_EQ(items[i].at("httpStatusCode"), 400);
        EXPECT_EQ(items[i].at("body").at(0).at("errorCode"), "PROCESSING_HALTED");
        return std::string(items[i].at("body").at(0).at("message").as_string());
    };
    EXPECT_EQ(message(1),
              "Invalid reference specified. No value for none.records[0].Id found in none");
    // Only earlier subrequests can be referenced.
    EXPECT_EQ(message(2), "Invalid reference specified. No value for later.id found in later");
    EXPECT_EQ(items[3].at("httpStatusCode"), 200);
    EXPECT_EQ(message(4), "Invalid reference specified. No value for none.noSuchKey found in none");
    EXPECT_EQ(message(5), "Invalid reference specified. No value for none.totalSize found in none");
}

TEST_F(CompositeTest, IllegalReferenceIdsFailTheirSubrequest) {
    auto r = Post(kComposite,
                  Composite({Sub("GET", kData + "/limits", "ok_1"),
                             Sub("GET", kData + "/limits", "bad-ref"),
                             Sub("GET", kData + "/limits", "_lead")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].at("httpStatusCode"), 200);
    EXPECT_EQ(json::serialize(items[1]),
              R"({"body":[{"errorCode":"PROCESSING_HALTED","message":"Provided referenceId )"
              R"(('bad-ref') must start with a letter or a number, and it can contain only )"
              R"(letters, numbers and underscores ('_')."}],"httpHeaders":{},)"
              R"("httpStatusCode":400,"referenceId":"bad-ref"})");
    EXPECT_EQ(items[2].at("httpStatusCode"), 400);
}

TEST_F(CompositeTest, SubrequestsAnswerLikeTheFrontDoor) {
    auto r = Post(kComposite,
                  Composite({Sub("GET", kData + "/sobjects/NoSuchObject", "unknown"),
                             Sub("PUT", kData + "/sobjects/Account", "wrongMethod"),
                             Sub("POST", kData + "/composite", "nested", "{}"),
                             Sub("POST", kData + "/composite/batch", "nestedBatch", "{}"),
                             Sub("GET", "/services/data/v20.0/limits", "retired")}));
    const json::array items = Items(r);
    ASSERT_EQ(items.size(), 5u);
    const std::string not_found =
        R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";
    EXPECT_EQ(json::serialize(items[0].at("body")), not_found);
    EXPECT_EQ(items[0].at("httpStatusCode"), 404);
    EXPECT_EQ(json::serialize(items[1]),
              R"({"body":[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'PUT' not )"
              R"(allowed. Allowed are HEAD,GET,POST"}],"httpHeaders":{"Allow":"HEAD,GET,POST"},)"
              R"("httpStatusCode":405,"referenceId":"wrongMethod"})");
    // The composite resources do not nest.
    EXPECT_EQ(json::serialize(items[2].at("body")), not_found);
    EXPECT_EQ(json::serialize(items[3].at("body")), not_found);
    EXPECT_EQ(items[4].at("httpStatusCode"), 410);
}

TEST_F(CompositeTest, AllOrNoneSubrequestsSeeEachOthersWrites) {
    // One transaction: a query sees the record created before it, and a collection upsert
    // matches it; then a failure takes all of it back.
    const std::string create = Sub("POST",
                                   kData + "/sobjects/Account",
                                   "created",
                                   R"({"Name":"Inside","Customer_Number__c":5})");
    const std::string query =
        Sub("GET", kData + "/query?q=" + client::PercentEncode("SELECT Name FROM Account"), "seen");
    const std::string upsert =
        Sub("PATCH",
            kData + "/composite/sobjects/Account/Customer_Number__c",
            "upserted",
            R"({"allOrNone":true,"records":[{"attributes":{"type":"Account"},)"
            R"("Customer_Number__c":5,"Name":"Inside 2"}]})");
    auto ok = Items(Post(kComposite, Composite({create, query, upsert}, true)));
    ASSERT_EQ(ok.size(), 3u);
    EXPECT_EQ(ok[1].at("body").at("totalSize"), 1);
    EXPECT_EQ(ok[1].at("body").at("records").at(0).at("Name"), "Inside");
    EXPECT_EQ(ok[2].at("body").at(0).at("created"), false);
    EXPECT_EQ(ok[2].at("body").at(0).at("id"), ok[0].at("body").at("id"));
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"Inside 2"}));

    auto failed = Items(
        Post(kComposite,
             Composite({Sub("PATCH",
                            kData + "/sobjects/Account/@{seen.records[0].Id}",
                            "rename",
                            R"({"Name":"Renamed"})"),
                        Sub("GET",
                            kData + "/query?q=" + client::PercentEncode("SELECT Name FROM Account"),
                            "seen"),
                        Sub("DELETE", kData + "/sobjects/Account/001000000000000AAA", "missing")},
                       true)));
    ASSERT_EQ(failed.size(), 3u);
    // The first subrequest references a later one: it fails, and so does the whole request.
    EXPECT_EQ(failed[0].at("body").at(0).at("message"),
              "Invalid reference specified. No value for seen.records[0].Id found in seen");
    EXPECT_EQ(json::serialize(failed[1]), RolledBack("seen"));
    EXPECT_EQ(json::serialize(failed[2]), RolledBack("missing"));
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"Inside 2"}));
}

TEST_F(CompositeTest, ConcurrentAllOrNoneRequestsShareTheStoreSafely) {
    // Composite transactions run inside the store's group commit next to other writers: the
    // good ones keep everything, the failing ones nothing, and nobody waits forever.
    constexpr int kThreads = 4;
    constexpr int kRounds = 5;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                const std::string tag = std::to_string(t) + "_" + std::to_string(i);
                const bool bad = (t + i) % 2 == 1;
                auto r =
                    Post(kComposite,
                         Composite(
                             {Sub("POST",
                                  kData + "/sobjects/Account",
                                  "a",
                                  R"({"Name":"C)" + tag + R"("})"),
                              Sub("POST",
                                  kData + "/sobjects/Contact",
                                  "c",
                                  bad ? R"({"AccountId":"@{a.id}"})"
                                      : R"({"LastName":"L)" + tag + R"(","AccountId":"@{a.id}"})")},
                             true));
                if (r.status != 200) {
                    ++failures;
                }
                auto single = Post(kData + "/sobjects/Account", R"({"Name":"S)" + tag + R"("})");
                if (single.status != 201) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(failures, 0);
    // Half of the composites failed and left nothing; every single create is there.
    EXPECT_EQ(Column("SELECT Id FROM Account WHERE Name LIKE 'C%'", "Id").size(),
              static_cast<std::size_t>(kThreads * kRounds / 2));
    EXPECT_EQ(Column("SELECT Id FROM Contact", "Id").size(),
              static_cast<std::size_t>(kThreads * kRounds / 2));
    EXPECT_EQ(Column("SELECT Id FROM Account WHERE Name LIKE 'S%'", "Id").size(),
              static_cast<std::size_t>(kThreads * kRounds));
}

// ---- Composite: whole-request errors --------------------------------------------------------

TEST_F(CompositeTest, MalformedRequestsRunNothing) {
    const std::string create = Sub("POST", kData + "/sobjects/Account", "a", R"({"Name":"No"})");
    const auto expect400 = [&](const std::string& body, const std::string& expected) {
        auto r = Post(kComposite, body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.body, expected) << body;
    };
    // The recorded answer for a subrequest without referenceId (Salesforce blog).
    expect400(R"({"compositeRequest":[{"method":"GET","url":")" + kData + R"(/limits"}]})",
              Error("JSON_PARSER_ERROR", "'referenceId' is a required field."));
    expect400(R"({"compositeRequest":[)" + create + R"(,{"url":")" + kData +
                  R"(/limits","referenceId":"b"}]})",
              Error("JSON_PARSER_ERROR", "'method' is a required field."));
    expect400(R"({"allOrNone":true})",
              Error("JSON_PARSER_ERROR", "'compositeRequest' is a required field."));
    expect400(R"({"compositeRequest":"list"})",
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of List from VALUE_STRING value list or request "
                    "may be missing a required field at [line:1, column:27]"));
    expect400(R"({"allOrNone":"maybe","compositeRequest":[]})",
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of boolean from VALUE_STRING value maybe or "
                    "request may be missing a required field at [line:1, column:21]"));
    expect400(R"({"compositeRequest":[)",
              Error("JSON_PARSER_ERROR", "Unexpected end-of-input at [line:1, column:22]"));
    expect400(Composite({create, Sub("get", kData + "/limits", "b")}),
              Error("JSON_PARSER_ERROR",
                    "Invalid HTTP method for a subrequest: 'get'. Use one of GET, POST, PUT, "
                    "PATCH or DELETE."));
    expect400(Composite({create, Sub("GET", "/services/apexrest/x", "b")}),
              Error("JSON_PARSER_ERROR",
                    "The url of a subrequest must start with /services/data/vXX.X: "
                    "/services/apexrest/x"));
    expect400(Composite({create, Sub("GET", kData + "/limits", "a")}),
              Error("JSON_PARSER_ERROR", "Duplicate referenceId provided in the request: a"));
    expect400(
        Composite(
            {create,
             R"({"method":"GET","url":")" + kData +
                 R"(/limits","referenceId":"b","httpHeaders":{"Content-Type":"text/plain"}})"}),
        Error("JSON_PARSER_ERROR",
              "The Content-Type header can't be set on a subrequest: subrequests use the "
              "top-level request's."));
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
}

TEST_F(CompositeTest, SizeLimits) {
    std::vector<std::string> subs;
    for (int i = 0; i < 26; ++i) {
        subs.push_back(Sub("GET", kData + "/limits", "r" + std::to_string(i)));
    }
    auto r = Post(kComposite, Composite(subs));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("LIMIT_EXCEEDED",
                    "Limit of 25 reached for number of subrequests in a Composite request"));
    subs.pop_back();
    EXPECT_EQ(Items(Post(kComposite, Composite(subs))).size(), 25u);

    // At most 5 queries or sObject Collections.
    std::vector<std::string> queries;
    for (int i = 0; i < 5; ++i) {
        queries.push_back(
            Sub("GET", kData + "/query?q=SELECT+Id+FROM+Account", "q" + std::to_string(i)));
    }
    EXPECT_EQ(Items(Post(kComposite, Composite(queries))).size(), 5u);
    queries.push_back(Sub("GET", kData + "/composite/sobjects/Account?ids=x&fields=Id", "c"));
    r = Post(kComposite, Composite(queries));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("LIMIT_EXCEEDED",
                    "Limit of 5 reached for number of query or sObject Collections subrequests "
                    "in a Composite request"));
}

TEST_F(CompositeTest, JsonOnlyAuthenticatedAndFromVersion38) {
    const std::string body = Composite({Sub("GET", kData + "/limits", "a")});
    auto xml = Call("POST", kComposite, {kJson, "Accept: application/xml"}, body);
    EXPECT_EQ(xml.status, 415);
    auto xml_body = Call("POST", kComposite, {"Content-Type: application/xml"}, "<x/>");
    EXPECT_EQ(xml_body.status, 415);
    EXPECT_EQ(Fetch(org_.Port(), "POST", kComposite, {kJson}, body).status, 401);
    EXPECT_EQ(Post("/services/data/v37.0/composite", body).status, 404);
    EXPECT_EQ(Post("/services/data/v38.0/composite", body).status, 200);
    auto patch = Call("PATCH", kComposite, {kJson}, body);
    EXPECT_EQ(patch.status, 405);
    EXPECT_EQ(patch.Header("Allow"), "HEAD,GET,POST");
}

TEST_F(CompositeTest, DirectoryListsTheCompositeResources) {
    auto r = Call("GET", kComposite);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              R"({"tree":"/services/data/v60.0/composite/tree","batch":"/services/data/v60.0/)"
              R"(composite/batch","sobjects":"/services/data/v60.0/composite/sobjects",)"
              R"("graph":"/services/data/v60.0/composite/graph"})");
    EXPECT_EQ(Call("GET", "/services/data/v41.0/composite").body,
              R"({"tree":"/services/data/v41.0/composite/tree","batch":"/services/data/v41.0/)"
              R"(composite/batch"})");
}

// ---- Composite Batch --------------------------------------------------------------------------

TEST_F(CompositeTest, BatchRunsEachSubrequestAndAnswersStatusAndResult) {
    const std::string id = CreateAccount("Batch");
    auto r = Post(kBatch,
                  R"({"haltOnError":false,"batchRequests":[{"method":"PATCH","url":"v60.0/)"
                  R"(sobjects/account/)" +
                      id +
                      R"(","richInput":{"Name":"NewName"}},{"method":"GET","url":"v60.0/)"
                      R"(sobjects/account/)" +
                      id + R"(?fields=Name"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body,
              R"({"hasErrors":false,"results":[{"statusCode":204,"result":null},)"
              R"({"statusCode":200,"result":{"attributes":{"type":"Account","url":)"
              R"("/services/data/v60.0/sobjects/Account/)" +
                  id + R"("},"Name":"NewName","Id":")" + id + R"("}}]})");
}

TEST_F(CompositeTest, BatchCommitsEachSubrequestOnItsOwn) {
    auto r = Post(kBatch,
                  R"({"batchRequests":[)"
                  R"({"method":"POST","url":"v60.0/sobjects/Account","richInput":{"Name":"One"}},)"
                  R"({"method":"POST","url":"v60.0/sobjects/Contact","richInput":{}},)"
                  R"({"method":"GET","url":"v60.0/query/?q=SELECT+Name+FROM+Account"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    EXPECT_EQ(v.at("hasErrors"), true);
    const json::array& results = v.at("results").as_array();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].at("statusCode"), 201);
    EXPECT_EQ(results[1].at("statusCode"), 400);
    EXPECT_EQ(json::serialize(results[1].at("result")),
              R"([{"message":"Required fields are missing: [LastName]","errorCode":)"
              R"("REQUIRED_FIELD_MISSING","fields":["LastName"]}])");
    // Without haltOnError the rest still runs, and sees what the first one wrote.
    EXPECT_EQ(results[2].at("statusCode"), 200);
    EXPECT_EQ(results[2].at("result").at("records").at(0).at("Name"), "One");
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"One"}));
}

TEST_F(CompositeTest, BatchHaltOnErrorAnswers412ForTheRest) {
    auto r = Post(kBatch,
                  R"({"haltOnError":true,"batchRequests":[)"
                  R"({"method":"GET","url":"v60.0/limits"},)"
                  R"({"method":"GET","url":"v60.0/sobjects/Nope"},)"
                  R"({"method":"POST","url":"v60.0/sobjects/Account","richInput":{"Name":"X"}}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    EXPECT_EQ(v.at("hasErrors"), true);
    const json::array& results = v.at("results").as_array();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].at("statusCode"), 200);
    EXPECT_EQ(results[1].at("statusCode"), 404);
    EXPECT_EQ(json::serialize(results[2]),
              R"({"statusCode":412,"result":[{"errorCode":"BATCH_PROCESSING_HALTED","message":)"
              R"("Batch processing halted per request: a previous subrequest failed and )"
              R"(haltOnError is true"}]})");
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
}

TEST_F(CompositeTest, BatchWholeRequestErrors) {
    std::string many = R"({"batchRequests":[)";
    for (int i = 0; i < 26; ++i) {
        many += std::string(i ? "," : "") + R"({"method":"GET","url":"v60.0/limits"})";
    }
    many += "]}";
    auto r = Post(kBatch, many);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("LIMIT_EXCEEDED",
                    "Limit of 25 reached for number of subrequests in a Batch request"));
    r = Post(kBatch, R"({"batchRequests":[{"method":"GET","url":"/services/data/v60.0/limits"}]})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("JSON_PARSER_ERROR",
                    "The url of a subrequest must start with the API version, as in "
                    "vXX.X/sobjects: /services/data/v60.0/limits"));
    r = Post(kBatch, R"({"haltOnError":true})");
    EXPECT_EQ(r.body, Error("JSON_PARSER_ERROR", "'batchRequests' is a required field."));
    EXPECT_EQ(Post("/services/data/v33.0/composite/batch", many).status, 404);
}

// ---- Composite Graph --------------------------------------------------------------------------

TEST_F(CompositeTest, GraphsAreAllOrNothingEachOnTheirOwn) {
    const std::string graph = kData + "/composite/graph";
    auto r =
        Post(graph,
             R"({"graphs":[{"graphId":"1","compositeRequest":[)" +
                 Sub("POST",
                     kData + "/sobjects/Account/",
                     "reference_id_account_1",
                     R"({"name":"Cloudy Consulting"})") +
                 "," +
                 Sub("POST",
                     kData + "/sobjects/Contact/",
                     "reference_id_contact_1",
                     R"({"FirstName":"Nellie","LastName":"Cashman",)"
                     R"("AccountId":"@{reference_id_account_1.id}"})") +
                 R"(]},{"graphId":"2","compositeRequest":[)" +
                 Sub("POST",
                     kData + "/sobjects/Account/",
                     "reference_id_account_1",
                     R"({"name":"Easy Spaces"})") +
                 "," +
                 Sub("POST",
                     kData + "/sobjects/Contact/",
                     "reference_id_contact_1",
                     R"({"FirstName":"No last name","AccountId":"@{reference_id_account_1.id}"})") +
                 R"(]},{"graphId":"3","compositeRequest":[)" +
                 Sub("GET", kData + "/query?q=SELECT+Id+FROM+Account", "notANode") + "]}]}");
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    const json::array& graphs = v.at("graphs").as_array();
    ASSERT_EQ(graphs.size(), 3u);
    for (const auto& g : graphs) {
        std::vector<std::string> keys;
        for (const auto& m : g.as_object()) {
            keys.emplace_back(m.key());
        }
        // The recorded key order.
        EXPECT_EQ(keys, (std::vector<std::string>{"graphId", "graphResponse", "isSuccessful"}));
    }
    EXPECT_EQ(graphs[0].at("isSuccessful"), true);
    const json::array& first = graphs[0].at("graphResponse").at("compositeResponse").as_array();
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].at("httpStatusCode"), 201);
    EXPECT_EQ(first[1].at("httpStatusCode"), 201);
    // The second graph failed: nothing of it is kept; the first graph is.
    EXPECT_EQ(graphs[1].at("isSuccessful"), false);
    const json::array& second = graphs[1].at("graphResponse").at("compositeResponse").as_array();
    EXPECT_EQ(json::serialize(second[0]), RolledBack("reference_id_account_1"));
    EXPECT_EQ(second[1].at("body").at(0).at("errorCode"), "REQUIRED_FIELD_MISSING");
    // Nodes are limited to the record resources.
    EXPECT_EQ(graphs[2].at("isSuccessful"), false);
    EXPECT_EQ(graphs[2]
                  .at("graphResponse")
                  .at("compositeResponse")
                  .at(0)
                  .at("body")
                  .at(0)
                  .at("errorCode"),
              "INVALID_API_INPUT");
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"),
              (std::vector<std::string>{"Cloudy Consulting"}));
    EXPECT_EQ(Column("SELECT LastName FROM Contact", "LastName"),
              (std::vector<std::string>{"Cashman"}));
}

TEST_F(CompositeTest, GraphLimits) {
    const std::string graph = kData + "/composite/graph";
    std::string big = R"({"graphs":[{"graphId":"big","compositeRequest":[)";
    for (int i = 0; i < 501; ++i) {
        big += (i ? "," : "") +
               Sub("POST", kData + "/sobjects/Account", "a" + std::to_string(i), R"({"Name":"n"})");
    }
    big += R"(]},{"graphId":"small","compositeRequest":[)" +
           Sub("POST", kData + "/sobjects/Account", "a", R"({"Name":"Small"})") + "]}]}";
    auto r = Post(graph, big);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    // The recorded answer to a graph over 500 nodes.
    EXPECT_EQ(r.body.substr(0, r.body.find(R"(,{"graphId":"small")")),
              R"({"graphs":[{"graphId":"big","graphResponse":{"compositeResponse":[{"body":)"
              R"([{"errorCode":"LIMIT_EXCEEDED","message":"Limit of 500 reached for number of )"
              R"(Nodes in the Graph"}],"httpHeaders":{},"httpStatusCode":400,"referenceId":)"
              R"(null}]},"isSuccessful":false})");
    EXPECT_EQ(Column("SELECT Name FROM Account", "Name"), (std::vector<std::string>{"Small"}));

    std::string many = R"({"graphs":[)";
    for (int i = 0; i < 76; ++i) {
        many += std::string(i ? "," : "") + R"({"graphId":"g)" + std::to_string(i) +
                R"(","compositeRequest":[]})";
    }
    r = Post(graph, many + "]}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("LIMIT_EXCEEDED", "Limit of 75 reached for number of Graphs in the request"));
    r = Post(graph,
             R"({"graphs":[{"graphId":"x","compositeRequest":[]},)"
             R"({"graphId":"x","compositeRequest":[]}]})");
    EXPECT_EQ(r.body, Error("JSON_PARSER_ERROR", "Duplicate graphId provided in the request: x"));
    EXPECT_EQ(Post("/services/data/v49.0/composite/graph", R"({"graphs":[]})").status, 404);
}

// ---- sObject Tree -----------------------------------------------------------------------------

TEST_F(CompositeTest, TreeCreatesParentsThenChildrenLevelByLevel) {
    auto r =
        Post(kData + "/composite/tree/Account",
             R"({"records":[)"
             R"({"attributes":{"type":"Account","referenceId":"ref1"},"Name":"Tree A",)"
             R"("Contacts":{"records":[)"
             R"({"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Smith",)"
             R"("Email":"smith@example.com"},)"
             R"({"attributes":{"type":"Contact","referenceId":"ref3"},"LastName":"Evans"}]}},)"
             R"({"attributes":{"type":"Account","referenceId":"ref4"},"Name":"Tree B",)"
             R"("ChildAccounts":{"records":[)"
             R"({"attributes":{"type":"Account","referenceId":"ref5"},"Name":"Tree B1"}]}}]})");
    ASSERT_EQ(r.status, 201) << r.body;
    const json::value v = json::parse(r.body);
    const json::array& results = v.at("results").as_array();
    ASSERT_EQ(results.size(), 5u);
    std::vector<std::string> refs;
    std::vector<std::string> ids;
    for (const auto& x : results) {
        refs.emplace_back(x.at("referenceId").as_string());
        ids.emplace_back(x.at("id").as_string());
    }
    // The docs' order: the roots first, then the next level.
    EXPECT_EQ(refs, (std::vector<std::string>{"ref1", "ref4", "ref2", "ref3", "ref5"}));
    EXPECT_EQ(r.body,
              R"({"hasErrors":false,"results":[{"referenceId":"ref1","id":")" + ids[0] +
                  R"("},{"referenceId":"ref4","id":")" + ids[1] +
                  R"("},{"referenceId":"ref2","id":")" + ids[2] +
                  R"("},{"referenceId":"ref3","id":")" + ids[3] +
                  R"("},{"referenceId":"ref5","id":")" + ids[4] + R"("}]})");
    EXPECT_EQ(Column("SELECT AccountId FROM Contact ORDER BY LastName", "AccountId"),
              (std::vector<std::string>{ids[0], ids[0]}));
    EXPECT_EQ(Column("SELECT ParentId FROM Account WHERE Name = 'Tree B1'", "ParentId"),
              (std::vector<std::string>{ids[1]}));
}

TEST_F(CompositeTest, TreeCustomMasterDetailChildren) {
    auto r = Post(
        kData + "/composite/tree/Invoice__c",
        R"({"records":[{"attributes":{"type":"Invoice__c","referenceId":"inv"},)"
        R"("Due_Date__c":"2024-05-01","Lines__r":{"records":[)"
        R"({"attributes":{"type":"Invoice_Line__c","referenceId":"line1"},"Quantity__c":2}]}}]})");
    ASSERT_EQ(r.status, 201) << r.body;
    const json::value v = json::parse(r.body);
    const std::string invoice(v.at("results").at(0).at("id").as_string());
    EXPECT_EQ(Column("SELECT Invoice__c FROM Invoice_Line__c", "Invoice__c"),
              (std::vector<std::string>{invoice}));
}

TEST_F(CompositeTest, TreeFailureListsOnlyTheFailingRecordsAndKeepsNothing) {
    auto r = Post(kData + "/composite/tree/Account",
                  R"({"records":[{"attributes":{"type":"Account","referenceId":"ref1"},)"
                  R"("Name":"Rolled Back","Contacts":{"records":[)"
                  R"({"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Smith",)"
                  R"("Email":"123"},)"
                  R"({"attributes":{"type":"Contact","referenceId":"ref3"},"LastName":"Ok"}]}}]})");
    EXPECT_EQ(r.status, 400);
    // The docs' failure example, byte for byte apart from the layout.
    EXPECT_EQ(r.body,
              R"({"hasErrors":true,"results":[{"referenceId":"ref2","errors":[{"statusCode":)"
              R"("INVALID_EMAIL_ADDRESS","message":"Email: invalid email address: 123",)"
              R"("fields":["Email"]}]}]})");
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
    EXPECT_TRUE(Column("SELECT Id FROM Contact", "Id").empty());
}

TEST_F(CompositeTest, TreeRecordProblemsAreReportedPerRecord) {
    auto r = Post(kData + "/composite/tree/Account",
                  R"({"records":[)"
                  R"({"attributes":{"type":"Account","referenceId":"dup"},"Name":"A"},)"
                  R"({"attributes":{"type":"Account","referenceId":"dup"},"Name":"B"},)"
                  R"({"attributes":{"type":"Contact","referenceId":"wrongType"},"LastName":"C"},)"
                  R"({"attributes":{"type":"Account","referenceId":"badField"},"Nope__c":1}]})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              R"({"hasErrors":true,"results":[)"
              R"({"referenceId":"dup","errors":[{"statusCode":"INVALID_INPUT","message":)"
              R"("Duplicate ReferenceId provided in the request: dup","fields":[]}]},)"
              R"({"referenceId":"dup","errors":[{"statusCode":"INVALID_INPUT","message":)"
              R"("Duplicate ReferenceId provided in the request: dup","fields":[]}]},)"
              R"({"referenceId":"wrongType","errors":[{"statusCode":"INVALID_TYPE","message":)"
              R"("The type of this record, Contact, should be Account.","fields":[]}]},)"
              R"({"referenceId":"badField","errors":[{"statusCode":"INVALID_FIELD","message":)"
              R"("No such column 'Nope__c' on sobject of type Account","fields":[]}]}]})");
    EXPECT_TRUE(Column("SELECT Id FROM Account", "Id").empty());
}

TEST_F(CompositeTest, TreeWholeRequestErrorsAndLimits) {
    const std::string tree = kData + "/composite/tree/Account";
    auto r = Post(tree, R"({"records":"SObject Tree Input[]"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of List from VALUE_STRING value SObject Tree "
                    "Input[] or request may be missing a required field at [line:1, column:34]"));
    r = Post(tree, R"({"records":[{"attributes":{"type":"Account"},"Name":"x"}]})");
    EXPECT_EQ(r.body, Error("JSON_PARSER_ERROR", "'referenceId' is a required field."));
    EXPECT_EQ(Post(kData + "/composite/tree/Nope", R"({"records":[]})").status, 404);

    std::string many = R"({"records":[)";
    for (int i = 0; i < 201; ++i) {
        many += std::string(i ? "," : "") + R"({"attributes":{"type":"Account","referenceId":"r)" +
                std::to_string(i) + R"("},"Name":"n"})";
    }
    many += "]}";
    r = Post(tree, many);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              Error("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call"));

    // Five levels are fine, six are not.
    const auto nested = [](int levels) {
        std::string s = R"({"attributes":{"type":"Account","referenceId":"l)" +
                        std::to_string(levels) + R"("},"Name":"n")";
        if (levels > 1) {
            s += R"(,"ChildAccounts":{"records":[)";
        }
        return s;
    };
    const auto chain = [&](int depth) {
        std::string s = R"({"records":[)";
        for (int i = depth; i >= 1; --i) {
            s += nested(i);
        }
        s += "}";  // the deepest record
        for (int i = 1; i < depth; ++i) {
            s += "]}}";  // its parent's records, relationship and record
        }
        return s + "]}";
    };
    r = Post(tree, chain(5));
    EXPECT_EQ(r.status, 201) << r.body;
    r = Post(tree, chain(6));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        Error("LIMIT_EXCEEDED", "Limit of 5 reached for number of levels in an sObject tree"));
}

}  // namespace
}  // namespace sfkit::test
