// The Composite helpers of the client (sfkit/client/composite.hpp) against a scripted transport:
// the request body the builder makes (§B.13), the checks made before sending, and the answers
// read back (ids, Location, per-subrequest errors, records), whole-request errors.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/client/composite.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/fake_transport.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

Token MakeToken() {
    Token t;
    t.access_token = "00Dxx!secret";
    t.instance_url = "https://acme.my.salesforce.com";
    return t;
}

struct Fixture {
    std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
    RestClient rest{fake, MakeToken()};
};

std::string HeaderOf(const HttpRequest& r, std::string_view name) {
    for (const auto& h : r.headers) {
        if (h.name == name) {
            return h.value;
        }
    }
    return {};
}

TEST(ClientComposite, RefSpellsAReference) {
    EXPECT_EQ(Ref("newAccount", "id"), "@{newAccount.id}");
    EXPECT_EQ(Ref("q", "records[0].Id"), "@{q.records[0].Id}");
}

TEST(ClientComposite, BuilderMakesTheDocumentedBody) {
    Record account;
    account.Set("Name", "Acme & Co");
    account.Set("NumberOfEmployees", 12);
    Record contact;
    contact.Set("LastName", "Smith");
    contact.Set("AccountId", Ref("newAccount", "id"));
    CompositeRequest request(/*all_or_none=*/true);
    request.Create("newAccount", "Account", account)
        .Create("newContact", "Contact", contact)
        .Get("readBack", "Account", Ref("newAccount", "id"), {"Name", "Owner.Name"})
        .Query("q", "SELECT Id FROM Contact WHERE AccountId = '" + Ref("newAccount", "id") + "'")
        .Update("rename", "Account", "001000000000001AAA", Record().Set("Name", "Acme 2"))
        .Upsert("byExt", "Account", "Ext__c", "A/1", Record().Set("Name", "Ext"))
        .Delete("gone", "Contact", "003000000000001AAA")
        .Add({"GET", "/services/data/v58.0/limits", "oldLimits", {}, {{"X-Trace", "1"}}});
    auto body = request.ToJson("60.0");
    ASSERT_TRUE(body) << body.error().ToString();
    EXPECT_EQ(*body,
              R"({"allOrNone":true,"compositeRequest":[)"
              R"({"method":"POST","url":"/services/data/v60.0/sobjects/Account",)"
              R"("referenceId":"newAccount","body":{"Name":"Acme & Co","NumberOfEmployees":12}},)"
              R"({"method":"POST","url":"/services/data/v60.0/sobjects/Contact",)"
              R"("referenceId":"newContact","body":{"LastName":"Smith",)"
              R"("AccountId":"@{newAccount.id}"}},)"
              // References stay as written: Salesforce substitutes them in the URL text.
              R"({"method":"GET","url":"/services/data/v60.0/sobjects/Account/)"
              R"(@{newAccount.id}?fields=Name,Owner.Name","referenceId":"readBack"},)"
              R"({"method":"GET","url":"/services/data/v60.0/query?q=SELECT%20Id%20FROM%20)"
              R"(Contact%20WHERE%20AccountId%20%3D%20%27@{newAccount.id}%27","referenceId":"q"},)"
              R"({"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/)"
              R"(001000000000001AAA","referenceId":"rename","body":{"Name":"Acme 2"}},)"
              R"({"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/Ext__c/A%2F1",)"
              R"("referenceId":"byExt","body":{"Name":"Ext"}},)"
              R"({"method":"DELETE","url":"/services/data/v60.0/sobjects/Contact/)"
              R"(003000000000001AAA","referenceId":"gone"},)"
              R"({"method":"GET","url":"/services/data/v58.0/limits","referenceId":"oldLimits",)"
              R"("httpHeaders":{"X-Trace":"1"}}]})");
}

TEST(ClientComposite, RequestsSalesforceWouldRefuseAreNotSent) {
    Fixture f;
    const auto code = [&](const CompositeRequest& r) {
        auto sent = SendComposite(f.rest, r);
        EXPECT_FALSE(sent);
        EXPECT_EQ(sent.error().kind, ErrorKind::kInvalidArgument);
        return sent.error().code;
    };
    EXPECT_EQ(code(CompositeRequest()), "TOO_MANY_SUBREQUESTS");
    CompositeRequest many;
    for (int i = 0; i < 26; ++i) {
        many.Query("q" + std::to_string(i), "SELECT Id FROM Account");
    }
    EXPECT_EQ(code(many), "TOO_MANY_SUBREQUESTS");
    EXPECT_EQ(code(CompositeRequest().Query("bad-ref", "SELECT Id FROM Account")),
              "INVALID_REFERENCE_ID");
    EXPECT_EQ(code(CompositeRequest().Query("_x", "SELECT Id FROM Account")),
              "INVALID_REFERENCE_ID");
    EXPECT_EQ(code(CompositeRequest().Query("a", "x").Query("a", "y")), "INVALID_REFERENCE_ID");
    EXPECT_EQ(code(CompositeRequest().Add({"get", "limits", "a", {}, {}})), "INVALID_METHOD");
    EXPECT_EQ(code(CompositeRequest().Add({"POST", "sobjects/Account", "a", "{nope", {}})),
              "INVALID_BODY");
    EXPECT_TRUE(f.fake->requests.empty());
}

TEST(ClientComposite, ReadsEveryAnswer) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"compositeResponse":[)"
        R"({"body":{"id":"001R00000064wdtIAA","success":true,"errors":[]},"httpHeaders":)"
        R"({"Location":"/services/data/v60.0/sobjects/Account/001R00000064wdtIAA"},)"
        R"("httpStatusCode":201,"referenceId":"refAccount"},)"
        R"({"body":{"attributes":{"type":"Account","url":"/x"},"Name":"Sample","Rating":2.0},)"
        R"("httpHeaders":{},"httpStatusCode":200,"referenceId":"refGet"},)"
        R"({"body":null,"httpHeaders":{},"httpStatusCode":204,"referenceId":"refPatch"},)"
        R"({"body":[{"message":"Email: invalid email address: Not a real email address",)"
        R"("errorCode":"INVALID_EMAIL_ADDRESS","fields":["Email"]}],"httpHeaders":{},)"
        R"("httpStatusCode":400,"referenceId":"badContact"}]})");
    CompositeRequest request;
    request.Create("refAccount", "Account", Record().Set("Name", "Sample"))
        .Get("refGet", "Account", Ref("refAccount", "id"))
        .Update("refPatch", "Account", Ref("refAccount", "id"), Record().Set("Rating", 2))
        .Create("badContact", "Contact", Record().Set("Email", "Not a real email address"));
    auto answers = SendComposite(f.rest, request);
    ASSERT_TRUE(answers) << answers.error().ToString();
    const HttpRequest& sent = f.fake->requests.at(0);
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.url, "https://acme.my.salesforce.com/services/data/v60.0/composite");
    EXPECT_EQ(HeaderOf(sent, "Content-Type"), "application/json");
    EXPECT_EQ(HeaderOf(sent, "Authorization"), "Bearer 00Dxx!secret");
    EXPECT_EQ(sent.body, request.ToJson("60.0").value());

    ASSERT_EQ(answers->size(), 4u);
    const CompositeSubresponse& created = (*answers)[0];
    EXPECT_EQ(created.reference_id, "refAccount");
    EXPECT_EQ(created.http_status, 201);
    EXPECT_TRUE(created.Ok());
    EXPECT_EQ(created.id, "001R00000064wdtIAA");
    ASSERT_EQ(created.headers.size(), 1u);
    EXPECT_EQ(created.headers[0].name, "Location");
    EXPECT_EQ(created.headers[0].value, "/services/data/v60.0/sobjects/Account/001R00000064wdtIAA");
    EXPECT_FALSE(created.error);

    auto record = (*answers)[1].BodyRecord();
    ASSERT_TRUE(record) << record.error().ToString();
    EXPECT_EQ(record->Type(), "Account");
    EXPECT_EQ(record->GetString("Name").value(), "Sample");
    EXPECT_EQ(record->GetDouble("Rating").value(), 2.0);

    EXPECT_EQ((*answers)[2].body, "null");
    EXPECT_EQ((*answers)[2].BodyRecord().error().code, "INVALID_RESPONSE");

    const CompositeSubresponse& bad = (*answers)[3];
    EXPECT_FALSE(bad.Ok());
    ASSERT_TRUE(bad.error);
    EXPECT_EQ(bad.error->kind, ErrorKind::kApi);
    EXPECT_EQ(bad.error->http_status, 400);
    EXPECT_EQ(bad.error->code, "INVALID_EMAIL_ADDRESS");
    EXPECT_EQ(bad.error->fields, (std::vector<std::string>{"Email"}));
}

TEST(ClientComposite, WholeRequestErrorsAndOddAnswers) {
    Fixture f;
    f.fake->Reply(400,
                  R"([{"message":"'referenceId' is a required field.","errorCode":)"
                  R"("JSON_PARSER_ERROR"}])");
    auto refused = SendComposite(f.rest, CompositeRequest().Query("q", "SELECT Id FROM Account"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "JSON_PARSER_ERROR");
    EXPECT_EQ(refused.error().http_status, 400);

    f.fake->Reply(200, R"({"results":[]})");
    auto odd = SendComposite(f.rest, CompositeRequest().Query("q", "SELECT Id FROM Account"));
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(odd.error().code, "INVALID_RESPONSE");
}

}  // namespace
}  // namespace sfkit::client
