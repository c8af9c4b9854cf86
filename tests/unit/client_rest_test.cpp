// RestClient against a scripted transport: URLs and headers, create/retrieve in JSON and XML,
// error answers (§B.15) in both key orders and XML, Sforce-Limit-Info (§0.2), session refresh.
#include <memory>

#include <gtest/gtest.h>

#include "sfkit/client/rest_client.hpp"

#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

/// Trailing slash on purpose: the client must not double it.
struct Fixture : test::RestFixture {
    Fixture() : test::RestFixture("https://acme.my.salesforce.com/") {}
};

// ---- Sforce-Limit-Info ----------------------------------------------------------------------

TEST(ClientLimitInfo, ParsesTotalAndPerApp) {
    auto a = ParseLimitInfo("api-usage=18/5000");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->used, 18);
    EXPECT_EQ(a->max, 5000);
    EXPECT_FALSE(a->per_app_used);

    auto b =
        ParseLimitInfo("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->used, 25);
    EXPECT_EQ(b->max, 5000);
    ASSERT_TRUE(b->per_app_used);
    EXPECT_EQ(*b->per_app_used, 17);
    EXPECT_EQ(*b->per_app_max, 250);
    EXPECT_EQ(b->app_name, "sample-connected-app");

    // Order does not matter, and per-app alone is not the org total.
    auto c = ParseLimitInfo("per-app-api-usage=1/2(appName=x);api-usage=3/4");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->used, 3);
    EXPECT_FALSE(ParseLimitInfo("per-app-api-usage=1/2(appName=x)"));
    EXPECT_FALSE(ParseLimitInfo("api-usage=abc/5000"));
    EXPECT_FALSE(ParseLimitInfo(""));
}

TEST(ClientRest, RecordsLimitInfoFromEveryAnswer) {
    Fixture f;
    f.fake->Reply(200,
                  R"({"attributes":{"type":"Account"},"Id":"001"})",
                  {{"Sforce-Limit-Info", "api-usage=7/15000"}});
    f.fake->Reply(
        404,
        R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])",
        {{"sforce-limit-info", "api-usage=8/15000"}});
    EXPECT_FALSE(f.rest.LastApiUsage());
    ASSERT_TRUE(f.rest.Get("Account", "001"));
    ASSERT_TRUE(f.rest.LastApiUsage());
    EXPECT_EQ(f.rest.LastApiUsage()->used, 7);
    EXPECT_FALSE(f.rest.Get("Account", "002"));
    EXPECT_EQ(f.rest.LastApiUsage()->used, 8);  // error answers count too
}

// ---- error answers ---------------------------------------------------------------------------

TEST(ClientRestErrors, MessageFirstArrayWithFields) {
    HttpResponse r;
    r.status = 400;
    r.body =
        R"([{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]},{"message":"second","errorCode":"INVALID_FIELD"}])";
    const Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kApi);
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.code, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ(e.message, "Required fields are missing: [LastName]");
    EXPECT_EQ(e.fields, std::vector<std::string>{"LastName"});
    ASSERT_EQ(e.more.size(), 1u);
    EXPECT_EQ(e.more[0].code, "INVALID_FIELD");
    EXPECT_EQ(e.more[0].message, "second");
}

TEST(ClientRestErrors, ErrorCodeFirstArray) {
    HttpResponse r;
    r.status = 404;
    r.body = R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";
    const Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kApi);
    EXPECT_EQ(e.code, "NOT_FOUND");
    EXPECT_EQ(e.message, "The requested resource does not exist");
    EXPECT_TRUE(e.fields.empty());
}

TEST(ClientRestErrors, PrettyPrintedAnswerParsesToo) {
    HttpResponse r;
    r.status = 400;
    r.body = "[ {\n  \"message\" : \"bad\",\n  \"errorCode\" : \"MALFORMED_QUERY\"\n} ]";
    EXPECT_EQ(ParseErrorResponse(r).code, "MALFORMED_QUERY");
}

TEST(ClientRestErrors, Status401IsSession) {
    HttpResponse r;
    r.status = 401;
    r.body = R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])";
    const Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kSession);
    EXPECT_EQ(e.code, "INVALID_SESSION_ID");
}

TEST(ClientRestErrors, XmlErrors) {
    HttpResponse r;
    r.status = 400;
    r.body =
        "<?xml version=\"1.0\" "
        "encoding=\"UTF-8\"?><Errors><Error><errorCode>INVALID_FIELD</errorCode>"
        "<fields>Foo__c</fields><fields>Bar__c</fields><message>No such column 'Foo__c'</message>"
        "</Error><Error><message>m2</message><errorCode>E2</errorCode></Error></Errors>";
    const Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kApi);
    EXPECT_EQ(e.code, "INVALID_FIELD");
    EXPECT_EQ(e.message, "No such column 'Foo__c'");
    EXPECT_EQ(e.fields, (std::vector<std::string>{"Foo__c", "Bar__c"}));
    ASSERT_EQ(e.more.size(), 1u);
    EXPECT_EQ(e.more[0].code, "E2");
}

TEST(ClientRestErrors, SingleObjectAndOAuthShapes) {
    HttpResponse r;
    r.status = 403;
    r.body = R"({"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."})";
    EXPECT_EQ(ParseErrorResponse(r).code, "REQUEST_LIMIT_EXCEEDED");
    r.body = R"({"error":"invalid_token","error_description":"Token was invalid"})";
    const Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.code, "invalid_token");
    EXPECT_EQ(e.message, "Token was invalid");
}

TEST(ClientRestErrors, UnshapedBodiesAreProtocolErrors) {
    HttpResponse r;
    r.status = 503;
    r.headers = {{"Content-Type", "text/html"}};
    r.body = "<html><body>Service Unavailable</body>";  // not even well-formed
    Error e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kProtocol);
    EXPECT_EQ(e.code, "HTTP_503");
    EXPECT_NE(e.message.find("Service Unavailable"), std::string::npos);
    r.body = "";
    r.status = 401;
    e = ParseErrorResponse(r);
    EXPECT_EQ(e.kind, ErrorKind::kSession);  // a bare 401 is still a session problem
}

// ---- create ---------------------------------------------------------------------------------

TEST(ClientRest, CreateJsonRequestAndBothResultOrders) {
    Fixture f;
    f.fake->Reply(201, R"({"id":"001M000001FgVKlIAN","success":true,"errors":[]})");
    f.fake->Reply(201, R"({"id":"001M000001FgVKmIAN","errors":[],"success":true})");
    Record rec;
    rec.Set("Name", "Test Account")
        .Set("NumberOfEmployees", 12)
        .Set("Active__c", true)
        .Set("Fax", nullptr);
    auto a = f.rest.Create("Account", rec);
    ASSERT_TRUE(a) << a.error().ToString();
    EXPECT_EQ(a->id, "001M000001FgVKlIAN");
    EXPECT_TRUE(a->success);
    auto b = f.rest.Create("Account", rec);
    ASSERT_TRUE(b) << b.error().ToString();
    EXPECT_EQ(b->id, "001M000001FgVKmIAN");

    const auto& req = f.fake->requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account/");
    EXPECT_EQ(*req.Header("Authorization"), "Bearer 00Dxx!secret");
    EXPECT_EQ(*req.Header("Content-Type"), "application/json");
    EXPECT_EQ(*req.Header("Accept"), "application/json");
    EXPECT_EQ(req.body,
              R"({"Name":"Test Account","NumberOfEmployees":12,"Active__c":true,"Fax":null})");
}

TEST(ClientRest, CreateXmlLikeTheSeedCurl) {
    Fixture f;
    f.fake->Reply(201,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Result>\n    "
                  "<id>0034x00000RnV6zAAF</id>\n    <success>true</success>\n</Result>");
    Record rec;
    rec.Set("Name", "Test Account XML")
        .Set("Phone", "1234567890")
        .Set("Website", "https://example.com");
    auto r = f.rest.Create("Account", rec, WireFormat::kXml);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->id, "0034x00000RnV6zAAF");
    const auto& req = f.fake->requests[0];
    EXPECT_EQ(*req.Header("Content-Type"), "application/xml");
    EXPECT_EQ(*req.Header("Accept"), "application/xml");
    EXPECT_EQ(req.body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account><Name>Test Account XML</Name>"
              "<Phone>1234567890</Phone><Website>https://example.com</Website></Account>");
}

TEST(ClientRest, CreateErrorsAndBadNames) {
    Fixture f;
    f.fake->Reply(
        400,
        R"([{"message":"No such column 'foo' on sobject of type Account","errorCode":"INVALID_FIELD"}])");
    Record rec;
    rec.Set("foo", 1);
    auto r = f.rest.Create("Account", rec);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kApi);
    EXPECT_EQ(r.error().code, "INVALID_FIELD");

    auto bad = f.rest.Create("Account/../../x", rec);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(f.fake->requests.size(), 1u);  // nothing sent for a bad name
}

TEST(ClientRest, CreateSuccessFalseUsesEmbeddedErrors) {
    Fixture f;
    f.fake->Reply(
        201,
        R"({"id":null,"success":false,"errors":[{"statusCode":"X","message":"m","errorCode":"DUPLICATE_VALUE","fields":["Name"]}]})");
    auto r = f.rest.Create("Account", Record{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "DUPLICATE_VALUE");
    EXPECT_EQ(r.error().fields, std::vector<std::string>{"Name"});
}

// ---- retrieve -------------------------------------------------------------------------------

TEST(ClientRest, GetJsonKeepsOrderAndTypes) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG"},"Id":"001xx000003DGb2AAG","Name":"Acme","AnnualRevenue":23.0,"NumberOfEmployees":12,"IsDeleted":false,"Fax":null,"BillingAddress":{"city":"Paris","country":null}})");
    auto r = f.rest.Get("Account", "001xx000003DGb2AAG", {"Name", "AnnualRevenue"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.fake->requests[0].url,
              "https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account/"
              "001xx000003DGb2AAG?fields=Name,AnnualRevenue");
    EXPECT_EQ(f.fake->requests[0].method, "GET");
    EXPECT_EQ(r->Type(), "Account");
    EXPECT_EQ(r->Url(), "/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG");
    ASSERT_EQ(r->size(), 7u);
    EXPECT_EQ(r->Fields()[0].name, "Id");
    EXPECT_EQ(r->Fields()[1].name, "Name");
    EXPECT_EQ(*r->Find("name")->AsString(), "Acme");  // case-insensitive lookup
    EXPECT_EQ(r->Find("AnnualRevenue")->kind(), Value::Kind::kDouble);
    EXPECT_EQ(r->Find("AnnualRevenue")->ToText(), "23.0");
    EXPECT_EQ(*r->Find("NumberOfEmployees")->AsInt(), 12);
    EXPECT_EQ(*r->Find("IsDeleted")->AsBool(), false);
    EXPECT_TRUE(r->Find("Fax")->IsNull());
    const Record* addr = r->Find("BillingAddress")->AsRecord();
    ASSERT_NE(addr, nullptr);
    EXPECT_EQ(*addr->Find("city")->AsString(), "Paris");
    // Round trip back to JSON keeps attributes first and the order.
    EXPECT_EQ(
        r->ToJson().rfind(
            R"({"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG"},"Id":)",
            0),
        0u);
}

TEST(ClientRest, GetXml) {
    Fixture f;
    f.fake->Reply(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account type=\"Account\" "
        "url=\"/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Id>001xx000003DGb2AAG</Id>"
        "<Name>Acme &amp; Co</Name><Fax xsi:nil=\"true\"/><NumberOfEmployees>12</NumberOfEmployees>"
        "</Account>");
    auto r = f.rest.Get("Account", "001xx000003DGb2AAG", {}, WireFormat::kXml);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(*f.fake->requests[0].Header("Accept"), "application/xml");
    EXPECT_EQ(r->Type(), "Account");
    EXPECT_EQ(r->Url(), "/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG");
    EXPECT_EQ(*r->Find("Name")->AsString(), "Acme & Co");
    EXPECT_TRUE(r->Find("Fax")->IsNull());
    EXPECT_EQ(*r->Find("NumberOfEmployees")->AsString(), "12");  // XML carries no types
}

TEST(ClientRest, GetEncodesIdAndRejectsBadFieldNames) {
    Fixture f;
    f.fake->Reply(
        404,
        R"([{"message":"Provided external ID field does not exist or is not accessible: a b","errorCode":"NOT_FOUND"}])");
    auto r = f.rest.Get("Account", "a b/c");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "NOT_FOUND");
    EXPECT_EQ(f.fake->requests[0].url,
              "https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account/a%20b%2Fc");
    auto bad = f.rest.Get("Account", "001", {"Name&x=1"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
}

// ---- raw requests, versions, refresh ----------------------------------------------------------

TEST(ClientRest, RawRequestPathsAndDefaults) {
    Fixture f;
    f.fake->Reply(200, "{}").Reply(200, "{}").Reply(200, "{}").Reply(204, "");
    f.rest.SetApiVersion("v59.0");
    ASSERT_TRUE(f.rest.Request("GET", "limits"));
    ASSERT_TRUE(f.rest.Request("GET", "/services/data/"));
    ASSERT_TRUE(f.rest.Request("POST", "https://other.example.com/x", "<a/>"));
    auto del =
        f.rest.Request("DELETE", "sobjects/Account/001", {}, {{"Accept", "application/xml"}});
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 204);
    EXPECT_EQ(f.fake->requests[0].url, "https://acme.my.salesforce.com/services/data/v59.0/limits");
    EXPECT_EQ(f.fake->requests[1].url, "https://acme.my.salesforce.com/services/data/");
    EXPECT_EQ(f.fake->requests[2].url, "https://other.example.com/x");
    EXPECT_EQ(*f.fake->requests[2].Header("Content-Type"), "application/xml");
    EXPECT_EQ(*f.fake->requests[3].Header("Accept"), "application/xml");
    EXPECT_EQ(f.fake->requests[3].Header("Content-Type"), nullptr);
}

TEST(ClientRest, UseLatestVersionPicksTheHighestNumerically) {
    Fixture f;
    f.fake->Reply(
        200,
        R"([{"label":"Winter '24","url":"/services/data/v59.0","version":"59.0"},{"label":"Summer '14","url":"/services/data/v31.0","version":"31.0"},{"version":"100.0","label":"x","url":"/services/data/v100.0"}])");
    auto v = f.rest.UseLatestVersion();
    ASSERT_TRUE(v) << v.error().ToString();
    EXPECT_EQ(*v, "100.0");
    EXPECT_EQ(f.rest.ApiVersion(), "100.0");
    EXPECT_EQ(f.fake->requests[0].url, "https://acme.my.salesforce.com/services/data");
}

TEST(ClientRest, SessionRefresherRetriesOnceWithTheNewToken) {
    Fixture f;
    const char* k401 =
        R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])";
    f.fake->Reply(401, k401).Reply(200, R"({"Id":"001"})");
    int calls = 0;
    f.rest.SetSessionRefresher([&calls]() -> Result<Token> {
        ++calls;
        Token t;
        t.access_token = "fresh";
        t.instance_url = "https://new.my.salesforce.com";
        return t;
    });
    auto r = f.rest.Get("Account", "001");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(calls, 1);
    ASSERT_EQ(f.fake->requests.size(), 2u);
    EXPECT_EQ(*f.fake->requests[1].Header("Authorization"), "Bearer fresh");
    EXPECT_EQ(f.fake->requests[1].url.rfind("https://new.my.salesforce.com/", 0), 0u);

    // A second 401 after the refresh is reported, not retried forever.
    f.fake->Reply(401, k401).Reply(401, k401);
    auto again = f.rest.Get("Account", "001");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::kSession);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(f.fake->requests.size(), 4u);
}

}  // namespace
}  // namespace sfkit::client
