// The client's SOQL calls against a scripted transport (§B.11): request shape, the lazy cursor
// over pages (when pages are fetched, errors mid-iteration, malformed and foreign locators),
// COUNT(), XML answers, child subquery values and aggregate rows; and the SOQL literal helpers,
// checked against sfkit's own SOQL lexer.
#include <algorithm>
#include <cmath>
#include <memory>
#include <ranges>

#include <gtest/gtest.h>

#include "sfkit/client/query.hpp"
#include "sfkit/client/rest_client.hpp"

#include "soql/lexer.hpp"
#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

static_assert(std::ranges::input_range<QueryCursor>);
static_assert(std::input_iterator<QueryCursor::Iterator>);

using Fixture = test::RestFixture;

constexpr const char* kInstance = "https://acme.my.salesforce.com";

/// A JSON query page with Account records named `names`.
std::string Page(int total, const std::vector<std::string>& names, const std::string& next = "") {
    std::string out = "{\"totalSize\":" + std::to_string(total) +
                      ",\"done\":" + (next.empty() ? "true" : "false");
    if (!next.empty()) {
        out += ",\"nextRecordsUrl\":\"" + next + "\"";
    }
    out += ",\"records\":[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i > 0 ? "," : "");
        out +=
            R"({"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001)" +
            std::to_string(i) + R"("},"Name":")" + names[i] + "\"}";
    }
    return out + "]}";
}

std::vector<std::string> Names(QueryCursor& cursor) {
    std::vector<std::string> out;
    for (auto& rec : cursor) {
        out.push_back(rec ? rec->GetString("Name").value() : "ERROR " + rec.error().code);
    }
    return out;
}

const std::string kNext1 = "/services/data/v60.0/query/01gxx0000000001AAA-2";
const std::string kNext2 = "/services/data/v60.0/query/01gxx0000000001AAA-4";

// ---- requests ----------------------------------------------------------------------------------

TEST(ClientQuery, FirstPageRequestEncodesTheQuery) {
    Fixture f;
    f.fake->Reply(200, Page(1, {"a"}));
    auto page = f.rest.QueryFirstPage("SELECT Id, Name FROM Account WHERE Name = 'a&b' LIMIT 5");
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(f.Last().method, "GET");
    EXPECT_EQ(f.Last().url,
              std::string(kInstance) +
                  "/services/data/v60.0/query?q=SELECT%20Id%2C%20Name%20FROM%20Account%20WHERE%20"
                  "Name%20%3D%20%27a%26b%27%20LIMIT%205");
    EXPECT_EQ(*f.Last().Header("Accept"), "application/json");
    EXPECT_EQ(*f.Last().Header("Authorization"), "Bearer 00Dxx!secret");
    EXPECT_EQ(f.Last().Header("Sforce-Query-Options"), nullptr);
    EXPECT_EQ(page->total_size, 1);
    EXPECT_TRUE(page->done);
    ASSERT_EQ(page->records.size(), 1u);
    EXPECT_EQ(page->records[0].Type(), "Account");
    EXPECT_EQ(page->records[0].Url(), "/services/data/v60.0/sobjects/Account/0010");

    f.fake->Reply(200, Page(0, {}));
    ASSERT_TRUE(f.rest.QueryAll("SELECT Id FROM Account", {.batch_size = 200}));
    EXPECT_EQ(
        f.Last().url,
        std::string(kInstance) + "/services/data/v60.0/queryAll?q=SELECT%20Id%20FROM%20Account");
    ASSERT_NE(f.Last().Header("Sforce-Query-Options"), nullptr);
    EXPECT_EQ(*f.Last().Header("Sforce-Query-Options"), "batchSize=200");
}

TEST(ClientQuery, QueryErrorsAreTheResult) {
    Fixture f;
    f.fake->Reply(
        400,
        R"([{"message":"\nSELECT Nme FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Account'.","errorCode":"INVALID_FIELD"}])");
    auto cursor = f.rest.Query("SELECT Nme FROM Account");
    ASSERT_FALSE(cursor);
    EXPECT_EQ(cursor.error().kind, ErrorKind::kApi);
    EXPECT_EQ(cursor.error().code, "INVALID_FIELD");
    EXPECT_EQ(cursor.error().http_status, 400);
    EXPECT_EQ(cursor.error().message.rfind("\nSELECT Nme FROM Account\n", 0), 0u);

    f.fake->Reply(200, R"({"sobjects":[]})");
    auto odd = f.rest.QueryFirstPage("SELECT Id FROM Account");
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(odd.error().code, "INVALID_RESPONSE");
}

// ---- the cursor
// ----------------------------------------------------------------------------------

TEST(ClientQuery, CursorFetchesEachPageOnlyWhenIterationReachesIt) {
    Fixture f;
    f.fake->Reply(200, Page(5, {"a", "b"}, kNext1))
        .Reply(200, Page(5, {"c", "d"}, kNext2))
        .Reply(200, Page(5, {"e"}));
    auto cursor = f.rest.Query("SELECT Name FROM Account", {.batch_size = 2});
    ASSERT_TRUE(cursor) << cursor.error().ToString();
    EXPECT_EQ(f.Sent(), 1u);
    EXPECT_EQ(cursor->TotalSize(), 5);

    auto it = cursor->begin();
    EXPECT_EQ((*it)->GetString("Name").value(), "a");
    ++it;
    EXPECT_EQ((*it)->GetString("Name").value(), "b");
    EXPECT_EQ(f.Sent(), 1u);  // still on the first page
    ++it;
    EXPECT_EQ(f.Sent(), 2u);
    EXPECT_EQ(f.Last().url, kInstance + kNext1);
    EXPECT_EQ(*f.Last().Header("Sforce-Query-Options"), "batchSize=2");  // every page asks
    EXPECT_EQ((*it)->GetString("Name").value(), "c");
    EXPECT_EQ(cursor->PagesFetched(), 2);

    std::vector<std::string> rest;
    for (++it; it != cursor->end(); ++it) {
        ASSERT_TRUE(*it);
        rest.push_back((*it)->GetString("Name").value());
    }
    EXPECT_EQ(rest, (std::vector<std::string>{"d", "e"}));
    EXPECT_EQ(f.Sent(), 3u);
    EXPECT_EQ(f.Last().url, kInstance + kNext2);
    EXPECT_EQ(cursor->RecordsRead(), 5);
    EXPECT_EQ(cursor->PagesFetched(), 3);
    EXPECT_TRUE(cursor->Finished());
    EXPECT_FALSE(cursor->error());
    EXPECT_FALSE(cursor->Next());
    EXPECT_EQ(f.Sent(), 3u);
}

TEST(ClientQuery, ErrorMidIterationIsTheLastElement) {
    Fixture f;
    f.fake->Reply(200, Page(4, {"a", "b"}, kNext1))
        .Reply(400, R"([{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}])");
    auto cursor = f.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(cursor);
    EXPECT_EQ(Names(*cursor), (std::vector<std::string>{"a", "b", "ERROR INVALID_QUERY_LOCATOR"}));
    ASSERT_TRUE(cursor->error());
    EXPECT_EQ(cursor->error()->http_status, 400);
    EXPECT_TRUE(cursor->Finished());
    EXPECT_EQ(Names(*cursor), std::vector<std::string>{});  // stays finished, nothing re-sent
    EXPECT_EQ(f.Sent(), 2u);

    // Exception style: value() throws on the error element.
    Fixture g;
    g.fake->Reply(200, Page(4, {"a"}, kNext1)).Fail(MakeError(ErrorKind::kTimeout, "TIMEOUT", "t"));
    auto c2 = g.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(c2);
    std::vector<std::string> seen;
    EXPECT_THROW(
        {
            for (auto& rec : *c2) {
                seen.push_back(rec.value().GetString("Name").value());
            }
        },
        Exception);
    EXPECT_EQ(seen, std::vector<std::string>{"a"});
    EXPECT_EQ(c2->error()->kind, ErrorKind::kTimeout);
}

TEST(ClientQuery, MalformedPagesEndTheIterationWithAnError) {
    Fixture f;
    // done:false without a nextRecordsUrl: the records come, then the error.
    f.fake->Reply(200, R"({"totalSize":3,"done":false,"records":[{"Name":"a"}]})");
    auto cursor = f.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(cursor);
    EXPECT_EQ(Names(*cursor), (std::vector<std::string>{"a", "ERROR INVALID_RESPONSE"}));
    EXPECT_EQ(cursor->error()->kind, ErrorKind::kProtocol);

    // A page that names itself as the next page would loop forever.
    Fixture g;
    g.fake->Reply(200, Page(9, {"a"}, kNext1)).Reply(200, Page(9, {"b"}, kNext1));
    auto c2 = g.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(c2);
    EXPECT_EQ(Names(*c2), (std::vector<std::string>{"a", "b", "ERROR INVALID_RESPONSE"}));
    EXPECT_EQ(g.Sent(), 2u);
}

TEST(ClientQuery, ForeignNextRecordsUrlsAreNotFollowed) {
    Fixture f;
    f.fake->Reply(200, Page(4, {"a"}, "https://evil.example.com/services/data/v60.0/query/x-2"));
    auto cursor = f.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(cursor);
    EXPECT_EQ(Names(*cursor), (std::vector<std::string>{"a", "ERROR INVALID_QUERY_LOCATOR"}));
    EXPECT_EQ(f.Sent(), 1u);  // the token never left for another host

    auto more = f.rest.QueryMore("//evil.example.com/query/x-2");
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(f.Sent(), 1u);
    EXPECT_FALSE(f.rest.QueryMore("https://acme.my.salesforce.com.evil.com/x"));
    EXPECT_EQ(f.Sent(), 1u);

    // The instance's own absolute URL is fine.
    f.fake->Reply(200, Page(4, {"b"}));
    auto own = f.rest.QueryMore(std::string(kInstance) + kNext1, {.batch_size = 500});
    ASSERT_TRUE(own) << own.error().ToString();
    EXPECT_EQ(f.Last().url, kInstance + kNext1);
    EXPECT_EQ(*f.Last().Header("Sforce-Query-Options"), "batchSize=500");
}

TEST(ClientQuery, PullLoopAndResumingAfterBreak) {
    Fixture f;
    f.fake->Reply(200, Page(3, {"a", "b"}, kNext1)).Reply(200, Page(3, {"c"}));
    auto cursor = f.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(cursor);
    auto first = cursor->Next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->GetString("Name").value(), "a");
    for (auto& rec : *cursor) {
        EXPECT_EQ(rec->GetString("Name").value(), "b");
        break;  // b is not incremented past: the next loop starts with it
    }
    EXPECT_EQ(Names(*cursor), (std::vector<std::string>{"b", "c"}));
    // Standard algorithms work on the range.
    Fixture g;
    g.fake->Reply(200, Page(3, {"x", "yy"}, kNext1)).Reply(200, Page(3, {"zz"}));
    auto c2 = g.rest.Query("SELECT Name FROM Account");
    ASSERT_TRUE(c2);
    EXPECT_EQ(std::ranges::count_if(
                  *c2, [](const Result<Record>& r) { return r->GetString("Name")->size() == 2; }),
              2);
}

TEST(ClientQuery, CountReadsTotalSize) {
    Fixture f;
    f.fake->Reply(200, R"({"totalSize":17,"done":true,"records":[]})");
    auto n = f.rest.Count("SELECT COUNT() FROM Account");
    ASSERT_TRUE(n) << n.error().ToString();
    EXPECT_EQ(*n, 17);
    f.fake->Reply(200, R"({"totalSize":17,"done":true,"records":[]})");
    auto cursor = f.rest.Query("SELECT COUNT() FROM Account");
    ASSERT_TRUE(cursor);
    EXPECT_EQ(cursor->TotalSize(), 17);
    EXPECT_EQ(cursor->begin(), cursor->end());
}

// ---- shapes -------------------------------------------------------------------------------------

TEST(ClientQuery, ChildSubqueriesParentsAndAggregates) {
    Fixture f;
    f.fake->Reply(200, R"({"totalSize":2,"done":true,"records":[
        {"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001A"},
         "Name":"Acme","Owner":{"attributes":{"type":"User","url":"/u"},"Name":"Ann"},
         "Contacts":{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01gB-2",
           "records":[{"attributes":{"type":"Contact","url":"/c1"},"LastName":"One"},
                      {"attributes":{"type":"Contact","url":"/c2"},"LastName":"Two"}]}},
        {"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001B"},
         "Name":"Solo","Owner":null,"Contacts":null}]})");
    auto page = f.rest.QueryFirstPage(
        "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account");
    ASSERT_TRUE(page) << page.error().ToString();
    const Record& acme = page->records[0];
    EXPECT_EQ(acme.GetString("Owner.Name").value(), "Ann");
    EXPECT_FALSE(IsQueryResultValue(*acme.Find("Owner")));
    EXPECT_TRUE(IsQueryResultValue(*acme.Find("Contacts")));
    auto contacts = acme.GetSubquery("contacts");  // relationship names are case-insensitive
    ASSERT_TRUE(contacts) << contacts.error().ToString();
    ASSERT_EQ(contacts->size(), 2u);
    EXPECT_EQ((*contacts)[1].GetString("LastName").value(), "Two");
    EXPECT_EQ((*contacts)[1].Type(), "Contact");
    auto sub = ReadSubquery(acme, "Contacts");
    ASSERT_TRUE(sub);
    EXPECT_EQ(sub->total_size, 3);
    EXPECT_FALSE(sub->done);
    EXPECT_EQ(sub->next_records_url, "/services/data/v60.0/query/01gB-2");

    const Record& solo = page->records[1];
    auto none = solo.GetSubquery("Contacts");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    EXPECT_EQ(solo.GetSubquery("Name").error().code, "INVALID_TYPE");
    EXPECT_EQ(solo.GetSubquery("Cases").error().code, "NO_SUCH_FIELD");

    f.fake->Reply(200, R"({"totalSize":1,"done":true,"records":[
        {"attributes":{"type":"AggregateResult"},"Industry":"Energy","expr0":300.0,"total":2}]})");
    auto agg = f.rest.QueryFirstPage(
        "SELECT Industry, SUM(AnnualRevenue), COUNT(Id) total FROM Account GROUP BY Industry");
    ASSERT_TRUE(agg);
    const Record& row = agg->records[0];
    EXPECT_EQ(row.Type(), "AggregateResult");
    EXPECT_EQ(row.Url(), "");
    EXPECT_EQ(row.GetDouble("expr0").value(), 300.0);
    EXPECT_EQ(row.GetInt("total").value(), 2);
}

TEST(ClientQuery, XmlAnswersIncludingSubqueries) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    // The local org's <QueryResult> layout (docs/soql.md): alphabetical elements, records with
    // type/url attributes, a child result of one record, nulls as xsi:nil.
    f.fake->Reply(
        200,
        R"(<?xml version="1.0" encoding="UTF-8"?><QueryResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
        R"(<done>false</done><nextRecordsUrl>/services/data/v60.0/query/01gC-2</nextRecordsUrl>)"
        R"(<records type="Account" url="/services/data/v60.0/sobjects/Account/001A"><Name>A &amp; B</Name>)"
        R"(<Parent type="Account" url="/p"><Name>Top</Name></Parent>)"
        R"(<Contacts><done>true</done><records type="Contact" url="/c1"><LastName>One</LastName></records>)"
        R"(<totalSize>1</totalSize></Contacts><NumberOfEmployees>12</NumberOfEmployees></records>)"
        R"(<records type="Account" url="/services/data/v60.0/sobjects/Account/001B"><Name>C</Name>)"
        R"(<Parent xsi:nil="true"/><Contacts><done>true</done>)"
        R"(<records type="Contact" url="/c2"><LastName>Two</LastName></records>)"
        R"(<records type="Contact" url="/c3"><LastName>Three</LastName></records>)"
        R"(<totalSize>2</totalSize></Contacts><NumberOfEmployees xsi:nil="true"/></records>)"
        R"(<totalSize>3</totalSize></QueryResult>)");
    auto page = f.rest.QueryFirstPage(
        "SELECT Name, Parent.Name, (SELECT LastName FROM Contacts), NumberOfEmployees FROM "
        "Account");
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(*f.Last().Header("Accept"), "application/xml");
    EXPECT_EQ(page->total_size, 3);
    EXPECT_FALSE(page->done);
    EXPECT_EQ(page->next_records_url, "/services/data/v60.0/query/01gC-2");
    ASSERT_EQ(page->records.size(), 2u);
    const Record& a = page->records[0];
    EXPECT_EQ(a.Type(), "Account");
    EXPECT_EQ(a.Url(), "/services/data/v60.0/sobjects/Account/001A");
    EXPECT_EQ(a.GetString("Name").value(), "A & B");
    EXPECT_EQ(a.GetString("Parent.Name").value(), "Top");
    EXPECT_EQ(a.GetInt("NumberOfEmployees").value(), 12);  // text "12" read as a number
    // Field order as sent.
    std::vector<std::string> names;
    for (const auto& field : a.Fields()) {
        names.push_back(field.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Name", "Parent", "Contacts", "NumberOfEmployees"}));
    auto one = a.GetSubquery("Contacts");  // XML: a single child is not a list
    ASSERT_TRUE(one) << one.error().ToString();
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].GetString("LastName").value(), "One");
    auto two = page->records[1].GetSubquery("Contacts");
    ASSERT_TRUE(two);
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[1].GetString("LastName").value(), "Three");
    EXPECT_TRUE(page->records[1].IsNull("Parent"));
    EXPECT_TRUE(page->records[1].IsNull("NumberOfEmployees"));
}

// ---- literals -----------------------------------------------------------------------------------

TEST(SoqlLiterals, EscapesEverySequenceSoqlDefines) {
    EXPECT_EQ(SoqlLiteral("O'Neil"), R"('O\'Neil')");
    EXPECT_EQ(SoqlLiteral("a\\b\"c\nd\re\tf\bg\fh"), R"('a\\b\"c\nd\re\tf\bg\fh')");
    EXPECT_EQ(SoqlLiteral(std::string("x\x01y\x7Fz", 5)), R"('x\u0001y\u007Fz')");
    EXPECT_EQ(SoqlLiteral("50%_off"), "'50%_off'");  // wildcards mean nothing outside LIKE
    EXPECT_EQ(SoqlLiteral("Zoë 東京"), "'Zoë 東京'");
    EXPECT_EQ(SoqlLiteral(""), "''");
    EXPECT_EQ(SoqlEscape("it's"), R"(it\'s)");
    EXPECT_EQ(SoqlLikeEscape("50%_off'"), R"(50\%\_off\')");
    EXPECT_EQ(SoqlLikeLiteral("50%_off"), R"('50\%\_off')");
    EXPECT_EQ(SoqlLikeLiteral("a_b", LikeMatch::kPrefix), R"('a\_b%')");
    EXPECT_EQ(SoqlLikeLiteral("a_b", LikeMatch::kSuffix), R"('%a\_b')");
    EXPECT_EQ(SoqlLikeLiteral("a_b", LikeMatch::kContains), R"('%a\_b%')");
}

TEST(SoqlLiterals, EveryByteRoundTripsThroughTheSoqlLexer) {
    // Whatever the value, the literal is one string token that decodes back to the value, so
    // user input cannot end the literal and inject SOQL.
    std::string nasty;
    for (int c = 1; c < 128; ++c) {
        nasty += static_cast<char>(c);
    }
    nasty += "' OR Name != '' OR Name = '\\' é 😀";
    for (const std::string& value : {nasty, std::string("'"), std::string("\\"), std::string()}) {
        const std::string soql = "SELECT Id FROM Account WHERE Name = " + SoqlLiteral(value);
        auto tokens = soql::Tokenize(soql);
        ASSERT_TRUE(tokens) << soql;
        ASSERT_EQ(tokens->size(), 9u) << soql;  // SELECT Id FROM Account WHERE Name = '..' <end>
        EXPECT_EQ((*tokens)[7].kind, soql::TokenKind::kString);
        EXPECT_EQ((*tokens)[7].value, value);
        EXPECT_TRUE((*tokens)[7].escaped_wildcards.empty());

        auto like = soql::Tokenize("SELECT Id FROM Account WHERE Name LIKE " +
                                   SoqlLikeLiteral(value, LikeMatch::kContains));
        ASSERT_TRUE(like);
        const soql::Token& t = (*like)[7];
        EXPECT_EQ(t.value, "%" + value + "%");
        // Every % and _ of the value is escaped; only the added ones are wildcards.
        const auto wildcards = static_cast<std::size_t>(
            std::count_if(value.begin(), value.end(), [](char c) { return c == '%' || c == '_'; }));
        EXPECT_EQ(t.escaped_wildcards.size(), wildcards);
    }
}

TEST(SoqlLiterals, NumbersDatesAndLists) {
    EXPECT_EQ(SoqlBool(true), "TRUE");
    EXPECT_EQ(SoqlBool(false), "FALSE");
    EXPECT_EQ(SoqlNumber(std::int64_t{-42}), "-42");
    EXPECT_EQ(SoqlNumber(std::int64_t{INT64_MIN}), "-9223372036854775808");
    EXPECT_EQ(SoqlNumber(0.1).value(), "0.1");
    EXPECT_EQ(SoqlNumber(2.5e-7).value(), "0.00000025");
    EXPECT_EQ(SoqlNumber(1e20).value(), "100000000000000000000");  // no exponent in SOQL
    EXPECT_EQ(SoqlNumber(-3.0).value(), "-3");
    EXPECT_EQ(SoqlNumber(-0.0).value(), "0");
    EXPECT_EQ(SoqlNumber(std::nan("")).error().code, "INVALID_NUMBER");
    EXPECT_FALSE(SoqlNumber(HUGE_VAL));
    using namespace std::chrono;
    EXPECT_EQ(SoqlDate(2024y / February / 29d), "2024-02-29");
    const DateTime t = sys_days(2024y / January / 31d) + 12h + 5min + 7s;
    EXPECT_EQ(SoqlDateTime(t), "2024-01-31T12:05:07Z");
    EXPECT_EQ(SoqlDateTime(t + 45ms), "2024-01-31T12:05:07.045Z");
    EXPECT_EQ(SoqlInList({"a", "b'c"}).value(), R"(('a', 'b\'c'))");
    EXPECT_EQ(SoqlInList({}).error().code, "EMPTY_LIST");
    EXPECT_EQ(kSoqlNull, "NULL");
    // The lexer takes them all.
    const std::string soql = "SELECT Id FROM Account WHERE Amount > " + SoqlNumber(1e20).value() +
                             " AND CreatedDate > " + SoqlDateTime(t + 45ms) +
                             " AND CloseDate = " + SoqlDate(2024y / February / 29d) +
                             " AND IsWon = " + SoqlBool(true) + " AND Name IN " +
                             SoqlInList({"a", "b"}).value();
    EXPECT_TRUE(soql::Tokenize(soql)) << soql;
}

}  // namespace
}  // namespace sfkit::client
