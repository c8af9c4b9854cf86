// Record and Value: construction, lookup, and the JSON / XML forms.
#include <gtest/gtest.h>

#include "sfkit/client/record.hpp"

namespace sfkit::client {
namespace {

TEST(ClientRecord, SetReplacesCaseInsensitivelyAndKeepsOrder) {
    Record r("Account");
    r.Set("Name", "a").Set("Phone", "1").Set("name", "b");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r.Fields()[0].name, "Name");
    EXPECT_EQ(*r.Find("NAME")->AsString(), "b");
    EXPECT_TRUE(r.Remove("phone"));
    EXPECT_FALSE(r.Remove("phone"));
    EXPECT_EQ(r.Find("Phone"), nullptr);
}

TEST(ClientRecord, JsonRoundTrip) {
    const std::string text =
        R"({"attributes":{"type":"Contact"},"LastName":"Doe","Age__c":41,"Score__c":1.5,"Big__c":1.0E10,"Opt":true,"Tags":["a",1,null],"Owner":{"attributes":{"type":"User"},"Name":"Ann"}})";
    auto r = Record::FromJson(text);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->Type(), "Contact");
    EXPECT_EQ(r->Find("Owner")->AsRecord()->Type(), "User");
    EXPECT_EQ(r->Find("Tags")->AsList()->size(), 3u);
    EXPECT_EQ(r->ToJson(), text);
    EXPECT_EQ(r->ToJson(false).rfind(R"({"LastName":"Doe")", 0), 0u);
}

TEST(ClientRecord, JsonErrors) {
    auto a = Record::FromJson("[1,2]");
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "INVALID_TYPE");
    auto b = Record::FromJson("{\"Name\":}");
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, "JSON_PARSER_ERROR");
}

TEST(ClientRecord, XmlWriteEscapesAndMarksNulls) {
    Record r;
    r.Set("Name", "A & <B>").Set("Fax", nullptr).Set("Count", 3).Set("Rate", 0.5).Set("On", false);
    EXPECT_EQ(r.ToXml("Account"),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account "
              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>A &amp; "
              "&lt;B&gt;</Name><Fax xsi:nil=\"true\"/><Count>3</Count><Rate>0.5</Rate>"
              "<On>false</On></Account>");
}

TEST(ClientRecord, XmlReadLikeTheSeedBody) {
    auto r = Record::FromXml(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Account>\n    <Name>Test Account XML</Name>\n"
        "    <Phone>1234567890</Phone>\n    <BillingAddress><city>NY</city></BillingAddress>\n"
        "    <Tag>a</Tag><Tag>b</Tag>\n</Account>");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->Type(), "Account");  // from the root element
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ(*r->Find("Phone")->AsString(), "1234567890");
    EXPECT_EQ(*r->Find("BillingAddress")->AsRecord()->Find("city")->AsString(), "NY");
    ASSERT_NE(r->Find("Tag")->AsList(), nullptr);
    EXPECT_EQ(r->Find("Tag")->AsList()->size(), 2u);
    EXPECT_FALSE(Record::FromXml("<Account><Name>x</Account>"));
}

TEST(ClientRecord, ValueAccessorsAreStrict) {
    const Value i = 5;
    EXPECT_EQ(*i.AsInt(), 5);
    EXPECT_EQ(*i.AsDouble(), 5.0);
    EXPECT_FALSE(i.AsBool());
    EXPECT_EQ(i.AsString(), nullptr);
    const Value d = 2.5;
    EXPECT_FALSE(d.AsInt());
    EXPECT_EQ(d.ToText(), "2.5");
    EXPECT_EQ(Value(true).ToText(), "true");
    EXPECT_EQ(Value().ToText(), "");
    EXPECT_EQ(Value("x"), Value(std::string("x")));
    EXPECT_FALSE(Value(1) == Value(1.0));
    EXPECT_EQ(*Value(7u).AsInt(), 7);
    EXPECT_EQ(Value(18446744073709551615ull).kind(), Value::Kind::kDouble);
    auto big = Record::FromJson(R"({"N":18446744073709551615,"M":9223372036854775807})");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->Find("N")->kind(), Value::Kind::kDouble);
    EXPECT_EQ(*big->Find("M")->AsInt(), 9223372036854775807LL);
}

}  // namespace
}  // namespace sfkit::client
