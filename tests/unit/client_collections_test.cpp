// RestClient sObject Collections calls against a scripted transport: request shapes (§B.13),
// chunking at 200 records (2000 ids for retrieve), per-record results and errors, allOrNone
// across chunks, and what ends a call early.
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/rest_client.hpp"

#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

namespace json = boost::json;
using test::FakeTransport;

using Fixture = test::RestFixture;

constexpr const char* kBase = "https://acme.my.salesforce.com/services/data/v60.0/";

std::string Ok(const std::string& id) {
    return R"({"id":")" + id + R"(","success":true,"errors":[]})";
}

/// `n` successful results with ids 001..., numbered from `first`.
std::string OkResults(std::size_t n, std::size_t first = 0) {
    std::string out = "[";
    for (std::size_t i = 0; i < n; ++i) {
        out += (i ? "," : "") + Ok("001" + std::to_string(first + i));
    }
    return out + "]";
}

std::vector<Record> Accounts(std::size_t n) {
    std::vector<Record> out;
    for (std::size_t i = 0; i < n; ++i) {
        Record r;
        r.Set("Name", "A" + std::to_string(i));
        out.push_back(std::move(r));
    }
    return out;
}

TEST(ClientCollections, CreateManySendsTypedRecordsAndReadsResults) {
    Fixture f;
    f.fake->Reply(
        200,
        R"([{"id":"001A","success":true,"errors":[]},)"
        R"({"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING",)"
        R"("message":"Required fields are missing: [LastName]","fields":["LastName"]}]}])");
    Record account;
    account.Set("Name", "Acme").Set("NumberOfEmployees", 5);
    Record contact("Contact");
    contact.Set("FirstName", "Erica");
    auto r = f.rest.CreateMany("Account", {account, contact});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.Last().method, "POST");
    EXPECT_EQ(f.Last().url, std::string(kBase) + "composite/sobjects");
    EXPECT_EQ(*f.Last().Header("Content-Type"), "application/json");
    EXPECT_EQ(f.Last().body,
              R"({"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"Acme",)"
              R"("NumberOfEmployees":5},{"attributes":{"type":"Contact"},"FirstName":"Erica"}]})");
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].id, "001A");
    EXPECT_TRUE((*r)[0].success);
    EXPECT_TRUE((*r)[0].errors.empty());
    EXPECT_FALSE((*r)[1].success);
    EXPECT_EQ((*r)[1].id, "");
    ASSERT_EQ((*r)[1].errors.size(), 1u);
    EXPECT_EQ((*r)[1].errors[0].kind, ErrorKind::kApi);
    EXPECT_EQ((*r)[1].errors[0].code, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ((*r)[1].errors[0].message, "Required fields are missing: [LastName]");
    EXPECT_EQ((*r)[1].errors[0].fields, std::vector<std::string>{"LastName"});
}

TEST(ClientCollections, LongListsGoInChunksOfTwoHundred) {
    Fixture f;
    f.fake->Reply(200, OkResults(200, 0))
        .Reply(200, OkResults(200, 200))
        .Reply(200, OkResults(50, 400));
    auto r = f.rest.CreateMany("Account", Accounts(450), /*all_or_none=*/true);
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_EQ(f.fake->requests.size(), 3u);
    const std::vector<std::size_t> sizes = {200, 200, 50};
    for (std::size_t i = 0; i < 3; ++i) {
        const json::value body = json::parse(f.fake->requests[i].body);
        EXPECT_EQ(body.at("allOrNone"), true);
        EXPECT_EQ(body.at("records").as_array().size(), sizes[i]);
    }
    EXPECT_EQ(json::parse(f.fake->requests[1].body).at("records").at(0).at("Name"), "A200");
    ASSERT_EQ(r->size(), 450u);
    EXPECT_EQ((*r)[449].id, "001449");
}

TEST(ClientCollections, AllOrNoneStopsAfterAFailingChunk) {
    Fixture f;
    std::string first = "[";
    for (int i = 0; i < 200; ++i) {
        first +=
            std::string(i ? "," : "") +
            (i == 7
                 ? R"({"success":false,"errors":[{"statusCode":"STRING_TOO_LONG","message":"x","fields":["Name"]}]})"
                 : R"({"success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"r","fields":[]}]})");
    }
    f.fake->Reply(200, first + "]");
    auto r = f.rest.CreateMany("Account", Accounts(250), true);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.fake->requests.size(), 1u) << "the second chunk is not sent";
    ASSERT_EQ(r->size(), 250u);
    EXPECT_EQ((*r)[7].errors[0].code, "STRING_TOO_LONG");
    EXPECT_EQ((*r)[8].errors[0].code, "ALL_OR_NONE_OPERATION_ROLLED_BACK");
    EXPECT_FALSE((*r)[249].success);
    EXPECT_EQ((*r)[249].errors[0].code, "NOT_PROCESSED");

    // Without allOrNone every chunk is sent whatever the failures.
    Fixture g;
    g.fake->Reply(200, first + "]").Reply(200, OkResults(50));
    auto partial = g.rest.CreateMany("Account", Accounts(250), false);
    ASSERT_TRUE(partial);
    EXPECT_EQ(g.fake->requests.size(), 2u);
    EXPECT_TRUE((*partial)[249].success);
}

TEST(ClientCollections, RequestErrorsEndTheCall) {
    Fixture f;
    f.fake->Reply(200, OkResults(200))
        .Reply(400,
               R"([{"message":"record limit reached. cannot submit more than 200 records into )"
               R"(this call","errorCode":"EXCEEDED_ID_LIMIT"}])");
    auto r = f.rest.CreateMany("Account", Accounts(201));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "EXCEEDED_ID_LIMIT");
    EXPECT_EQ(r.error().http_status, 400);
    // An answer that does not have one result per record.
    Fixture g;
    g.fake->Reply(200, OkResults(1));
    auto short_answer = g.rest.CreateMany("Account", Accounts(2));
    ASSERT_FALSE(short_answer);
    EXPECT_EQ(short_answer.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(short_answer.error().code, "INVALID_RESPONSE");
    // Nothing to send: nothing sent.
    Fixture h;
    auto none = h.rest.CreateMany("Account", {});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    EXPECT_TRUE(h.fake->requests.empty());
    // A record without a usable type is refused before sending.
    auto untyped = h.rest.CreateMany("", Accounts(1));
    ASSERT_FALSE(untyped);
    EXPECT_EQ(untyped.error().code, "INVALID_SOBJECT_NAME");
    EXPECT_TRUE(h.fake->requests.empty());
}

TEST(ClientCollections, UpdateUpsertAndDeleteShapes) {
    Fixture f;
    f.fake->Reply(200, OkResults(1));
    Record change;
    change.Set("Id", "001A").Set("Phone", "1");
    ASSERT_TRUE(f.rest.UpdateMany("Account", {change}));
    EXPECT_EQ(f.Last().method, "PATCH");
    EXPECT_EQ(f.Last().url, std::string(kBase) + "composite/sobjects");
    EXPECT_EQ(
        f.Last().body,
        R"({"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Id":"001A","Phone":"1"}]})");

    f.fake->Reply(200,
                  R"([{"id":"a00A","success":true,"errors":[],"created":true},)"
                  R"({"id":"a00B","success":true,"errors":[],"created":false}])");
    Record one;
    one.Set("ExtId__c", "X-1");
    Record two;
    two.Set("ExtId__c", "X-2");
    auto up = f.rest.UpsertMany("Invoice__c", "ExtId__c", {one, two});
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(f.Last().url, std::string(kBase) + "composite/sobjects/Invoice__c/ExtId__c");
    EXPECT_EQ(f.Last().method, "PATCH");
    EXPECT_EQ((*up)[0].created, std::optional<bool>(true));
    EXPECT_EQ((*up)[1].created, std::optional<bool>(false));
    EXPECT_FALSE(f.rest.UpsertMany("Invoice__c", "Ext/Id", {one}));

    f.fake->Reply(200,
                  R"([{"id":"001A","success":true,"errors":[]},{"success":false,"errors":[)"
                  R"({"statusCode":"MALFORMED_ID","message":"malformed id x y","fields":[]}]}])");
    auto del = f.rest.DeleteMany({"001A", "x y"}, true);
    ASSERT_TRUE(del) << del.error().ToString();
    EXPECT_EQ(f.Last().method, "DELETE");
    EXPECT_EQ(f.Last().url,
              std::string(kBase) + "composite/sobjects?ids=001A,x%20y&allOrNone=true");
    EXPECT_EQ(f.Last().body, "");
    EXPECT_EQ((*del)[1].errors[0].code, "MALFORMED_ID");
    EXPECT_FALSE(f.rest.DeleteMany({"001A", ""}));
}

TEST(ClientCollections, GetManyReadsRecordsAndNulls) {
    Fixture f;
    f.fake->Reply(
        200,
        R"([{"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001A"},)"
        R"("Name":"Acme","Id":"001A"},null])");
    auto r = f.rest.GetMany("Account", {"001A", "001B"}, {"Name"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.Last().method, "POST");
    EXPECT_EQ(f.Last().url, std::string(kBase) + "composite/sobjects/Account");
    EXPECT_EQ(f.Last().body, R"({"ids":["001A","001B"],"fields":["Name"]})");
    ASSERT_EQ(r->size(), 2u);
    ASSERT_TRUE((*r)[0].has_value());
    EXPECT_EQ((*r)[0]->Type(), "Account");
    EXPECT_EQ(*(*r)[0]->GetString("Name"), "Acme");
    EXPECT_FALSE((*r)[1].has_value());
    EXPECT_FALSE(f.rest.GetMany("Account", {"001A"}, {"Bad Name"}));
}

TEST(ClientCollections, GetManyWithoutFieldsAsksForEveryDescribedField) {
    Fixture f;
    f.fake
        ->Reply(200,
                R"({"name":"Account","label":"Account","fields":[{"name":"Id","type":"id"},)"
                R"({"name":"Name","type":"string"}]})")
        .Reply(200, "[null]");
    auto r = f.rest.GetMany("Account", {"001A"});
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_EQ(f.fake->requests.size(), 2u);
    EXPECT_EQ(f.fake->requests[0].url, std::string(kBase) + "sobjects/Account/describe/");
    EXPECT_EQ(f.Last().body, R"({"ids":["001A"],"fields":["Id","Name"]})");
}

TEST(ClientCollections, GetManyChunksAtTwoThousandIds) {
    Fixture f;
    const auto nulls = [](std::size_t n) {
        std::string out = "[";
        for (std::size_t i = 0; i < n; ++i) {
            out += i ? ",null" : "null";
        }
        return out + "]";
    };
    f.fake->Reply(200, nulls(2000)).Reply(200, nulls(1));
    std::vector<std::string> ids(2001, "001A");
    auto r = f.rest.GetMany("Account", ids, {"Name"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.fake->requests.size(), 2u);
    EXPECT_EQ(r->size(), 2001u);
}

}  // namespace
}  // namespace sfkit::client
