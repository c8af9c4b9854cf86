// RestClient metadata against a scripted transport: describeGlobal (§B.3) and describe (§B.5) in
// JSON and XML, the per-client describe cache (a second call sends nothing), and XML records typed
// from a cached describe.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/client/rest_client.hpp"

#include "support/fake_rest.hpp"

namespace sfkit::client {
namespace {

using test::FakeTransport;

using Fixture = test::RestFixture;

/// A describe field entry with Salesforce's sorted keys (§B.5), trimmed to the ones that vary.
std::string JsonField(const std::string& name,
                      const std::string& type,
                      const std::string& extra = "",
                      bool nillable = true,
                      bool createable = true,
                      bool defaulted = false) {
    return std::string(R"({"createable":)") + (createable ? "true" : "false") +
           R"(,"defaultValue":null,"defaultedOnCreate":)" + (defaulted ? "true" : "false") +
           R"(,"label":")" + name + R"(","length":)" + (type == "string" ? "255" : "0") +
           R"(,"name":")" + name + R"(","nillable":)" + (nillable ? "true" : "false") +
           R"(,"picklistValues":[],"referenceTo":[],"relationshipName":null,"type":")" + type +
           R"(","unique":false,"updateable":)" + (createable ? "true" : "false") + extra + "}";
}

/// An Account describe: the object keys in Salesforce's sorted order, a few kinds of field.
std::string AccountDescribeJson() {
    return R"({"activateable":false,"childRelationships":[{"cascadeDelete":false,"childSObject":"Account","deprecatedAndHidden":false,"field":"ParentId","junctionIdListNames":[],"junctionReferenceTo":[],"relationshipName":"ChildAccounts","restrictedDelete":false},{"cascadeDelete":true,"childSObject":"Contact","deprecatedAndHidden":false,"field":"AccountId","junctionIdListNames":[],"junctionReferenceTo":[],"relationshipName":"Contacts","restrictedDelete":false}],"createable":true,"custom":false,"customSetting":false,"deletable":true,"fields":[)" +
           JsonField("Id", "id", "", false, false, true) + "," +
           JsonField("Name", "string", R"(,"nameField":true)", false) + "," +
           JsonField("AnnualRevenue", "currency", R"(,"precision":18,"scale":0)") + "," +
           JsonField("NumberOfEmployees", "int", R"(,"digits":8)") + "," +
           JsonField("IsDeleted", "boolean", "", false, false, true) + "," +
           JsonField("CreatedDate", "datetime", "", false, false, true) + "," +
           R"({"createable":true,"defaultValue":null,"externalId":false,"label":"Parent Account ID","length":18,"name":"ParentId","nillable":true,"picklistValues":[],"referenceTo":["Account"],"relationshipName":"Parent","type":"reference","unique":false,"updateable":true},)"
           R"({"createable":true,"label":"Account Type","length":40,"name":"Type","nillable":true,"picklistValues":[{"active":true,"defaultValue":false,"label":"Prospect","validFor":null,"value":"Prospect"},{"active":true,"defaultValue":false,"label":"Other","validFor":null,"value":"Other"}],"referenceTo":[],"type":"picklist","updateable":true},)"
           R"({"createable":true,"externalId":true,"idLookup":true,"label":"Ext","length":20,"name":"External_Id__c","nillable":true,"custom":true,"referenceTo":[],"type":"string","unique":true,"updateable":true},)"
           R"({"createable":false,"label":"Billing Address","length":0,"name":"BillingAddress","nillable":true,"referenceTo":[],"type":"address","updateable":false})"
           R"(],"keyPrefix":"001","label":"Account","labelPlural":"Accounts","layoutable":true,"name":"Account","queryable":true,"recordTypeInfos":[{"active":true,"available":true,"defaultRecordTypeMapping":true,"developerName":"Master","master":true,"name":"Master","recordTypeId":"012000000000000AAA","urls":{"layout":"/services/data/v60.0/sobjects/Account/describe/layouts/012000000000000AAA"}}],"retrieveable":true,"searchable":true,"updateable":true,"urls":{"sobject":"/services/data/v60.0/sobjects/Account","describe":"/services/data/v60.0/sobjects/Account/describe"}})";
}

// ---- describeGlobal ---------------------------------------------------------------------------

TEST(ClientDescribe, DescribeGlobalJson) {
    Fixture f;
    f.fake->Reply(
        200,
        R"({"encoding":"UTF-8","maxBatchSize":200,"sobjects":[{"activateable":false,"createable":true,"custom":false,"customSetting":false,"deletable":true,"keyPrefix":"001","label":"Account","labelPlural":"Accounts","name":"Account","queryable":true,"updateable":true,"urls":{"sobject":"/services/data/v60.0/sobjects/Account"}},{"createable":true,"custom":true,"deletable":false,"keyPrefix":"a00","label":"Widget","labelPlural":"Widgets","name":"Widget__c","queryable":true,"updateable":false}]})",
        {{"Sforce-Limit-Info", "api-usage=3/15000"}});
    auto g = f.rest.DescribeGlobal();
    ASSERT_TRUE(g) << g.error().ToString();
    EXPECT_EQ(f.fake->requests[0].method, "GET");
    EXPECT_EQ(f.fake->requests[0].url,
              "https://acme.my.salesforce.com/services/data/v60.0/sobjects/");
    EXPECT_EQ(*f.fake->requests[0].Header("Accept"), "application/json");
    EXPECT_EQ(g->encoding, "UTF-8");
    EXPECT_EQ(g->max_batch_size, 200);
    ASSERT_EQ(g->sobjects.size(), 2u);
    EXPECT_EQ(g->sobjects[0].name, "Account");
    EXPECT_EQ(g->sobjects[0].key_prefix, "001");
    EXPECT_EQ(g->sobjects[0].label_plural, "Accounts");
    EXPECT_TRUE(g->sobjects[0].deletable);
    EXPECT_FALSE(g->sobjects[0].custom);
    EXPECT_TRUE(g->sobjects[1].custom);
    EXPECT_FALSE(g->sobjects[1].deletable);
    EXPECT_FALSE(g->sobjects[1].updateable);
    // The raw answer keeps every key in order, for tools that print it whole.
    EXPECT_EQ(g->raw.Fields()[0].name, "encoding");
    EXPECT_EQ(g->raw.ToJson(false).rfind(R"({"encoding":"UTF-8","maxBatchSize":200,)", 0), 0u);
    ASSERT_TRUE(f.rest.LastApiUsage());
    EXPECT_EQ(f.rest.LastApiUsage()->used, 3);
}

TEST(ClientDescribe, DescribeGlobalXmlWithOneAndSeveralObjects) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    f.fake->Reply(200,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeGlobal><encoding>UTF-8"
                  "</encoding><maxBatchSize>200</maxBatchSize><sobjects><createable>true"
                  "</createable><custom>false</custom><keyPrefix>001</keyPrefix><label>Account"
                  "</label><name>Account</name></sobjects></DescribeGlobal>");
    f.fake->Reply(200,
                  "<DescribeGlobal><maxBatchSize>200</maxBatchSize><sobjects><name>Account</name>"
                  "</sobjects><sobjects><name>Contact</name><custom>true</custom></sobjects>"
                  "</DescribeGlobal>");
    auto one = f.rest.DescribeGlobal();
    ASSERT_TRUE(one) << one.error().ToString();
    EXPECT_EQ(*f.fake->requests[0].Header("Accept"), "application/xml");
    EXPECT_EQ(one->max_batch_size, 200);
    ASSERT_EQ(one->sobjects.size(), 1u);  // a single element is a list of one
    EXPECT_EQ(one->sobjects[0].name, "Account");
    EXPECT_TRUE(one->sobjects[0].createable);
    auto two = f.rest.DescribeGlobal();
    ASSERT_TRUE(two) << two.error().ToString();
    ASSERT_EQ(two->sobjects.size(), 2u);
    EXPECT_EQ(two->sobjects[1].name, "Contact");
    EXPECT_TRUE(two->sobjects[1].custom);
}

TEST(ClientDescribe, DescribeGlobalNotShapedIsProtocolError) {
    Fixture f;
    f.fake->Reply(200, R"({"hello":1})").Reply(200, "not json");
    auto a = f.rest.DescribeGlobal();
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(a.error().code, "INVALID_RESPONSE");
    EXPECT_EQ(a.error().http_status, 200);
    auto b = f.rest.DescribeGlobal();
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().kind, ErrorKind::kProtocol);
}

// ---- describe --------------------------------------------------------------------------------

TEST(ClientDescribe, DescribeJsonReadsFieldsAndRelationships) {
    Fixture f;
    f.fake->Reply(200, AccountDescribeJson());
    auto d = f.rest.Describe("Account");
    ASSERT_TRUE(d) << d.error().ToString();
    EXPECT_EQ(f.fake->requests[0].url,
              "https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account/describe/");
    const SObjectDescribe& a = **d;
    EXPECT_EQ(a.Name(), "Account");
    EXPECT_EQ(a.summary.key_prefix, "001");
    EXPECT_EQ(a.summary.label_plural, "Accounts");
    EXPECT_TRUE(a.summary.createable);
    ASSERT_EQ(a.fields.size(), 10u);
    EXPECT_EQ(a.fields[0].name, "Id");  // describe order kept

    const FieldDescribe* name = a.Field("name");  // case-insensitive
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->type, "string");
    EXPECT_EQ(name->length, 255);
    EXPECT_TRUE(name->name_field);
    EXPECT_TRUE(name->IsRequired());
    EXPECT_FALSE(a.Field("Id")->IsRequired());         // not createable
    EXPECT_FALSE(a.Field("IsDeleted")->IsRequired());  // defaulted on create
    EXPECT_FALSE(a.Field("Type")->IsRequired());       // nillable

    const FieldDescribe* rev = a.Field("AnnualRevenue");
    EXPECT_EQ(rev->type, "currency");
    EXPECT_EQ(rev->precision, 18);
    EXPECT_EQ(a.Field("NumberOfEmployees")->digits, 8);

    const FieldDescribe* parent = a.Field("ParentId");
    EXPECT_EQ(parent->reference_to, std::vector<std::string>{"Account"});
    EXPECT_EQ(parent->relationship_name, "Parent");
    EXPECT_EQ(parent->length, 18);

    const FieldDescribe* type = a.Field("Type");
    ASSERT_EQ(type->picklist_values.size(), 2u);
    EXPECT_EQ(type->picklist_values[0].value, "Prospect");
    EXPECT_EQ(type->picklist_values[0].label, "Prospect");
    EXPECT_TRUE(type->picklist_values[0].active);
    EXPECT_FALSE(type->picklist_values[0].default_value);

    const FieldDescribe* ext = a.Field("External_Id__c");
    EXPECT_TRUE(ext->external_id);
    EXPECT_TRUE(ext->unique);
    EXPECT_TRUE(ext->id_lookup);
    EXPECT_TRUE(ext->custom);
    EXPECT_FALSE(ext->default_value);
    EXPECT_EQ(a.Field("NoSuchField"), nullptr);

    ASSERT_EQ(a.child_relationships.size(), 2u);
    const ChildRelationship* contacts = a.ChildByRelationship("contacts");
    ASSERT_NE(contacts, nullptr);
    EXPECT_EQ(contacts->child_sobject, "Contact");
    EXPECT_EQ(contacts->field, "AccountId");
    EXPECT_TRUE(contacts->cascade_delete);
    ASSERT_EQ(a.record_type_infos.size(), 1u);
    EXPECT_EQ(a.record_type_infos[0].record_type_id, "012000000000000AAA");
    EXPECT_TRUE(a.record_type_infos[0].master);
    // The raw describe has every key, in the order received.
    EXPECT_EQ(a.raw.Fields()[0].name, "activateable");
    EXPECT_NE(a.raw.Find("urls"), nullptr);
}

TEST(ClientDescribe, SecondDescribeIsServedFromTheCacheWhateverTheCase) {
    Fixture f;
    f.fake->Reply(200, AccountDescribeJson());
    auto first = f.rest.Describe("Account");
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(f.rest.CachedDescribe("ACCOUNT"), *first);
    auto second = f.rest.Describe("account");
    ASSERT_TRUE(second) << second.error().ToString();
    EXPECT_EQ(*second, *first);              // the same object, not a copy
    EXPECT_EQ(f.fake->requests.size(), 1u);  // no second request

    // Invalidating one object makes the next Describe ask again.
    f.rest.InvalidateDescribe("ACCOUNT");
    EXPECT_EQ(f.rest.CachedDescribe("Account"), nullptr);
    f.fake->Reply(200, AccountDescribeJson());
    ASSERT_TRUE(f.rest.Describe("Account"));
    EXPECT_EQ(f.fake->requests.size(), 2u);
    // The describe handed out earlier stays valid after invalidation.
    EXPECT_EQ((*first)->Name(), "Account");

    // Invalidating everything, and changing version, drop the cache too.
    f.rest.InvalidateDescribe();
    EXPECT_EQ(f.rest.CachedDescribe("Account"), nullptr);
    f.fake->Reply(200, AccountDescribeJson());
    ASSERT_TRUE(f.rest.Describe("Account"));
    f.rest.SetApiVersion("v60.0");  // same version: kept
    EXPECT_NE(f.rest.CachedDescribe("Account"), nullptr);
    f.rest.SetApiVersion("61.0");
    EXPECT_EQ(f.rest.CachedDescribe("Account"), nullptr);
}

TEST(ClientDescribe, ErrorsAreNotCached) {
    Fixture f;
    f.fake->Reply(
        404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    auto d = f.rest.Describe("Nope__c");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, "NOT_FOUND");
    EXPECT_EQ(d.error().http_status, 404);
    EXPECT_EQ(f.rest.CachedDescribe("Nope__c"), nullptr);
    f.fake->Reply(200, R"({"name":"Nope__c"})");  // no fields: not a describe
    auto bad = f.rest.Describe("Nope__c");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(f.fake->requests.size(), 2u);
    auto invalid = f.rest.Describe("Account/describe");
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(f.fake->requests.size(), 2u);
}

TEST(ClientDescribe, DescribeXml) {
    Fixture f;
    f.rest.SetFormat(WireFormat::kXml);
    f.fake->Reply(
        200,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SObject "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        "<childRelationships><cascadeDelete>false</cascadeDelete><childSObject>Account"
        "</childSObject><field>ParentId</field><relationshipName>ChildAccounts</relationshipName>"
        "</childRelationships><createable>true</createable>"
        "<fields><createable>false</createable><defaultValue xsi:nil=\"true\"/>"
        "<defaultedOnCreate>true</defaultedOnCreate><length>18</length><name>Id</name>"
        "<nillable>false</nillable><type>id</type></fields>"
        "<fields><createable>true</createable><length>18</length><name>ParentId</name>"
        "<nillable>true</nillable><referenceTo>Account</referenceTo><relationshipName>Parent"
        "</relationshipName><type>reference</type></fields>"
        "<fields><name>Type</name><type>picklist</type><picklistValues><active>true</active>"
        "<label>Prospect</label><value>Prospect</value></picklistValues></fields>"
        "<keyPrefix>001</keyPrefix><name>Account</name></SObject>");
    auto d = f.rest.Describe("Account");
    ASSERT_TRUE(d) << d.error().ToString();
    EXPECT_EQ(*f.fake->requests[0].Header("Accept"), "application/xml");
    const SObjectDescribe& a = **d;
    EXPECT_EQ(a.Name(), "Account");
    EXPECT_TRUE(a.summary.createable);
    ASSERT_EQ(a.fields.size(), 3u);
    EXPECT_EQ(a.fields[0].length, 18);
    EXPECT_FALSE(a.fields[0].default_value);  // xsi:nil
    EXPECT_TRUE(a.fields[0].defaulted_on_create);
    EXPECT_EQ(a.Field("ParentId")->reference_to, std::vector<std::string>{"Account"});
    ASSERT_EQ(a.Field("Type")->picklist_values.size(), 1u);  // one element, still a list
    EXPECT_EQ(a.Field("Type")->picklist_values[0].value, "Prospect");
    ASSERT_EQ(a.child_relationships.size(), 1u);
    EXPECT_EQ(a.child_relationships[0].relationship_name, "ChildAccounts");
}

// ---- XML records typed from the describe -------------------------------------------------------

constexpr const char* kXmlAccount =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account type=\"Account\" "
    "url=\"/services/data/v60.0/sobjects/Account/001xx000003DGb2AAG\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Id>001xx000003DGb2AAG</Id>"
    "<Name>12</Name><AnnualRevenue>2.5E7</AnnualRevenue><NumberOfEmployees>12"
    "</NumberOfEmployees><IsDeleted>false</IsDeleted><CreatedDate>2024-01-31T12:00:00.000Z"
    "</CreatedDate><ParentId xsi:nil=\"true\"/><BillingAddress><city>Paris</city><latitude>48.85"
    "</latitude></BillingAddress><Unknown__c>7</Unknown__c></Account>";

TEST(ClientDescribe, XmlRecordIsTypedFromACachedDescribe) {
    Fixture f;
    // Without a describe, XML values are text.
    f.fake->Reply(200, kXmlAccount);
    auto untyped = f.rest.Get("Account", "001xx000003DGb2AAG", {}, WireFormat::kXml);
    ASSERT_TRUE(untyped) << untyped.error().ToString();
    EXPECT_EQ(untyped->Find("NumberOfEmployees")->kind(), Value::Kind::kString);

    f.fake->Reply(200, AccountDescribeJson());
    ASSERT_TRUE(f.rest.Describe("Account"));
    f.fake->Reply(200, kXmlAccount);
    auto r = f.rest.Get("Account", "001xx000003DGb2AAG", {}, WireFormat::kXml);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(f.fake->requests.size(), 3u);  // describe was cached, not asked again
    EXPECT_EQ(*r->Find("NumberOfEmployees")->AsInt(), 12);
    EXPECT_EQ(r->Find("AnnualRevenue")->kind(), Value::Kind::kDouble);
    EXPECT_EQ(*r->Find("AnnualRevenue")->AsDouble(), 2.5e7);
    EXPECT_EQ(*r->Find("IsDeleted")->AsBool(), false);
    EXPECT_EQ(*r->Find("Name")->AsString(), "12");  // a string field stays text
    EXPECT_TRUE(r->Find("ParentId")->IsNull());
    EXPECT_EQ(*r->Find("Unknown__c")->AsString(), "7");  // not in the describe: untouched
    const Record* addr = r->Find("BillingAddress")->AsRecord();
    ASSERT_NE(addr, nullptr);
    EXPECT_EQ(*addr->Find("latitude")->AsDouble(), 48.85);
    EXPECT_EQ(*addr->Find("city")->AsString(), "Paris");
    // The typed getters then read them directly.
    EXPECT_EQ(*r->GetInt("NumberOfEmployees"), 12);
    ASSERT_TRUE(r->GetDateTime("CreatedDate"));

    // A JSON answer is typed already and stays exactly as sent.
    f.fake->Reply(200, R"({"attributes":{"type":"Account"},"Name":"12","NumberOfEmployees":3})");
    auto j = f.rest.Get("Account", "001xx000003DGb2AAG");
    ASSERT_TRUE(j);
    EXPECT_EQ(*j->Find("Name")->AsString(), "12");
}

TEST(ClientDescribe, ApplyDescribeTypesLeavesMisspeltValues) {
    auto d = DescribeFromRecord(*Record::FromJson(AccountDescribeJson()));
    ASSERT_TRUE(d) << d.error().ToString();
    Record r("Account");
    r.Set("NumberOfEmployees", "twelve").Set("IsDeleted", "yes").Set("AnnualRevenue", "1.5");
    ApplyDescribeTypes(r, *d);
    EXPECT_EQ(*r.Find("NumberOfEmployees")->AsString(), "twelve");
    EXPECT_EQ(*r.Find("IsDeleted")->AsString(), "yes");
    EXPECT_EQ(*r.Find("AnnualRevenue")->AsDouble(), 1.5);
}

}  // namespace
}  // namespace sfkit::client
