// Typed access to record fields (GetString/GetBool/GetInt/GetDouble/GetDate/GetDateTime/GetTime,
// dotted paths) and Salesforce date/dateTime/time text (§0.1) as std::chrono values.
#include <gtest/gtest.h>

#include "sfkit/client/datetime.hpp"
#include "sfkit/client/record.hpp"

namespace sfkit::client {
namespace {

using namespace std::chrono;

Record Sample() {
    auto r = Record::FromJson(
        R"({"attributes":{"type":"Account"},"Name":"Acme","Active__c":true,"NumberOfEmployees":12,"AnnualRevenue":23.0,"Rating__c":2.5,"Fax":null,"CreatedDate":"2011-07-07T00:37:00.000+0000","SLAExpirationDate__c":"2010-01-01","Open__c":"11:59:59.000Z","Owner":{"attributes":{"type":"User"},"Name":"Ann","Manager":{"Name":"Bo"}},"BillingAddress":{"city":"Paris","latitude":48.85}})");
    EXPECT_TRUE(r);
    return *r;
}

TEST(ClientTypedFields, JsonValues) {
    const Record r = Sample();
    EXPECT_EQ(*r.GetString("name"), "Acme");  // case-insensitive like Find
    EXPECT_EQ(*r.GetBool("Active__c"), true);
    EXPECT_EQ(*r.GetInt("NumberOfEmployees"), 12);
    EXPECT_EQ(*r.GetInt("AnnualRevenue"), 23);  // 23.0: Salesforce writes whole numbers so
    EXPECT_EQ(*r.GetDouble("AnnualRevenue"), 23.0);
    EXPECT_EQ(*r.GetDouble("NumberOfEmployees"), 12.0);
    EXPECT_EQ(*r.GetDate("SLAExpirationDate__c"), year{2010} / January / 1);
    EXPECT_EQ(*r.GetDateTime("CreatedDate"), sys_days(year{2011} / July / 7) + minutes(37));
    EXPECT_EQ(*r.GetTime("Open__c"), hours(11) + minutes(59) + seconds(59));
    EXPECT_TRUE(r.IsNull("Fax"));
    EXPECT_FALSE(r.IsNull("Name"));
    EXPECT_FALSE(r.IsNull("Nope"));
}

TEST(ClientTypedFields, DottedPathsReachNestedRecords) {
    const Record r = Sample();
    EXPECT_EQ(*r.GetString("Owner.Name"), "Ann");
    EXPECT_EQ(*r.GetString("owner.manager.name"), "Bo");
    EXPECT_EQ(*r.GetDouble("BillingAddress.latitude"), 48.85);
    EXPECT_EQ(r.GetString("Owner.Nope").error().code, "NO_SUCH_FIELD");
    EXPECT_EQ(r.GetString("Name.First").error().code, "NO_SUCH_FIELD");  // Name is no record
    auto owner = r.GetRecord("Owner");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->Type(), "User");
    EXPECT_EQ(r.FindPath("Owner.Manager.Name")->ToText(), "Bo");
}

TEST(ClientTypedFields, MissingNullAndMistypedAreDistinctErrors) {
    const Record r = Sample();
    auto missing = r.GetString("Phone");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(missing.error().code, "NO_SUCH_FIELD");
    EXPECT_NE(missing.error().message.find("Account"), std::string::npos);
    EXPECT_EQ(r.GetString("Fax").error().code, "NULL_VALUE");
    EXPECT_EQ(r.GetInt("Fax").error().code, "NULL_VALUE");

    auto wrong = r.GetInt("Name");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "INVALID_TYPE");
    EXPECT_NE(wrong.error().message.find("'Acme'"), std::string::npos);
    EXPECT_EQ(r.GetString("NumberOfEmployees").error().code, "INVALID_TYPE");
    EXPECT_EQ(r.GetBool("NumberOfEmployees").error().code, "INVALID_TYPE");
    EXPECT_EQ(r.GetInt("Rating__c").error().code, "INVALID_TYPE");  // 2.5 is no integer
    EXPECT_EQ(r.GetDouble("Active__c").error().code, "INVALID_TYPE");
    EXPECT_EQ(r.GetDate("Name").error().code, "INVALID_TYPE");
    EXPECT_EQ(r.GetDate("CreatedDate").error().code, "INVALID_TYPE");  // a dateTime
    EXPECT_EQ(r.GetDateTime("SLAExpirationDate__c").error().code, "INVALID_TYPE");
    EXPECT_EQ(r.GetRecord("Name").error().code, "INVALID_TYPE");
}

TEST(ClientTypedFields, XmlTextIsReadWhereItSpellsTheType) {
    auto r = Record::FromXml(
        "<Account><Active__c>true</Active__c><NumberOfEmployees>12</NumberOfEmployees>"
        "<Whole>5.0</Whole><AnnualRevenue>2.5E7</AnnualRevenue><Big>9223372036854775807</Big>"
        "<CreatedDate>2013-05-08T21:20:00.000Z</CreatedDate><Name>Acme</Name></Account>");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r->GetBool("Active__c"), true);
    EXPECT_EQ(*r->GetInt("NumberOfEmployees"), 12);
    EXPECT_EQ(*r->GetInt("Whole"), 5);
    EXPECT_EQ(*r->GetInt("Big"), 9223372036854775807LL);
    EXPECT_EQ(*r->GetDouble("AnnualRevenue"), 2.5e7);
    EXPECT_EQ(*r->GetDateTime("CreatedDate"),
              sys_days(year{2013} / May / 8) + hours(21) + minutes(20));
    EXPECT_EQ(r->GetBool("Name").error().code, "INVALID_TYPE");
    EXPECT_EQ(r->GetDouble("Name").error().code, "INVALID_TYPE");
    EXPECT_EQ(*r->GetInt("AnnualRevenue"), 25000000);  // 2.5E7 is whole
}

TEST(ClientDateTime, ParsesEverySalesforceForm) {
    const DateTime base = sys_days(year{2011} / July / 7) + minutes(37);
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00.000+0000"), base);
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00.000Z"), base);
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00Z"), base);
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00"), base);  // no offset: UTC
    EXPECT_EQ(*ParseDateTime("2011-07-07T02:37:00+02:00"), base);
    EXPECT_EQ(*ParseDateTime("2011-07-06T19:37:00.000-0500"), base);
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00.123456789Z"), base + milliseconds(123));
    EXPECT_EQ(*ParseDateTime("2011-07-07T00:37:00.5Z"), base + milliseconds(500));
    for (const char* bad : {"",
                            "2011-07-07",
                            "2011-07-07 00:37:00",
                            "2011-13-07T00:37:00Z",
                            "2011-02-30T00:00:00Z",
                            "2011-07-07T24:00:00Z",
                            "2011-07-07T00:37:00.Z",
                            "2011-07-07T00:37:00+2",
                            "2011-07-07T00:37:00Zjunk",
                            "yesterday"}) {
        auto r = ParseDateTime(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, "INVALID_DATETIME");
    }
}

TEST(ClientDateTime, FormatsTheJsonFormAndRoundTrips) {
    const DateTime t = sys_days(year{2024} / February / 29) + hours(23) + minutes(5) + seconds(9) +
                       milliseconds(42);
    EXPECT_EQ(FormatDateTime(t), "2024-02-29T23:05:09.042+0000");
    EXPECT_EQ(*ParseDateTime(FormatDateTime(t)), t);
    EXPECT_EQ(FormatDate(year{2024} / February / 29), "2024-02-29");
    EXPECT_EQ(*ParseDate("2024-02-29"), year{2024} / February / 29);
    EXPECT_EQ(ParseDate("2023-02-29").error().code, "INVALID_DATE");
    EXPECT_EQ(ParseDate("2023-2-1").error().code, "INVALID_DATE");
    EXPECT_EQ(*ParseTime("11:59:59.000Z"), hours(11) + minutes(59) + seconds(59));
    EXPECT_EQ(*ParseTime("00:00:01"), seconds(1));
    EXPECT_EQ(ParseTime("25:00:00Z").error().code, "INVALID_TIME");
    EXPECT_EQ(ParseTime("11:59:59ZZ").error().code, "INVALID_TIME");
}

}  // namespace
}  // namespace sfkit::client
