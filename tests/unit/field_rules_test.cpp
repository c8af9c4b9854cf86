// Field value rules of record writes: email shape, number digits/precision/scale with rounding,
// how numbers are echoed in messages, and text-to-value parsing for URL and XML values.
#include <cmath>

#include <gtest/gtest.h>

#include "server/api/record_input.hpp"
#include "server/schema/object_builder.hpp"

namespace sfkit::server {
namespace {

TEST(FieldRulesTest, EmailShapes) {
    struct Case {
        const char* email;
        bool valid;
    };
    for (const Case& c : {Case{"a@b.co", true},
                          Case{"first.last+tag@sub.example.org", true},
                          Case{"o'brien@example.ie", true},
                          Case{"x_y-z@my-host.example", true},
                          Case{"not-an-email", false},
                          Case{"123", false},
                          Case{"@example.com", false},
                          Case{"a@", false},
                          Case{"a@b", false},
                          Case{"a@@b.co", false},
                          Case{"a@b..co", false},
                          Case{"a@-b.co", false},
                          Case{".a@b.co", false},
                          Case{"a..b@b.co", false},
                          Case{"a b@b.co", false},
                          Case{"a@b_c.co", false}}) {
        EXPECT_EQ(IsValidEmail(c.email), c.valid) << c.email;
    }
}

FieldDef NumberField(FieldType type, int precision, int scale, int digits = 0) {
    FieldDef f;
    f.name = "N__c";
    f.label = "N";
    f.type = type;
    f.precision = precision;
    f.scale = scale;
    f.digits = digits;
    return f;
}

TEST(FieldRulesTest, IntegersRespectDigits) {
    const FieldDef employees = NumberField(FieldType::kInt, 0, 0, 8);
    EXPECT_EQ(FitNumber(employees, std::int64_t{99999999}), FieldValue{std::int64_t{99999999}});
    EXPECT_EQ(FitNumber(employees, std::int64_t{-99999999}), FieldValue{std::int64_t{-99999999}});
    EXPECT_FALSE(FitNumber(employees, std::int64_t{100000000}).has_value());
    EXPECT_FALSE(FitNumber(employees, std::int64_t{-1431655766}).has_value());
    const FieldDef unlimited = NumberField(FieldType::kLong, 0, 0, 0);
    EXPECT_TRUE(FitNumber(unlimited, std::int64_t{INT64_MAX}).has_value());
}

TEST(FieldRulesTest, DecimalsAreRoundedToScaleAndLimitedByPrecision) {
    const FieldDef price = NumberField(FieldType::kCurrency, 5, 2);
    const auto fitted = [&](double d) { return std::get<double>(*FitNumber(price, d)); };
    EXPECT_EQ(fitted(12.125), 12.13);
    EXPECT_EQ(fitted(-12.125), -12.13);
    EXPECT_EQ(fitted(999.994), 999.99);
    EXPECT_EQ(fitted(0.001), 0.0);
    EXPECT_FALSE(std::signbit(fitted(-0.001)));
    EXPECT_FALSE(FitNumber(price, 999.995).has_value());  // rounds to 1000.00: 4 integer digits
    EXPECT_FALSE(FitNumber(price, 1000.0).has_value());
    EXPECT_FALSE(FitNumber(price, std::nan("")).has_value());
    const FieldDef revenue = NumberField(FieldType::kCurrency, 18, 0);
    EXPECT_EQ(std::get<double>(*FitNumber(revenue, 2.5)), 3.0);
    EXPECT_FALSE(FitNumber(revenue, 1e19).has_value());
    const FieldDef free = NumberField(FieldType::kDouble, 0, 0);
    EXPECT_EQ(std::get<double>(*FitNumber(free, 1e300)), 1e300);
}

TEST(FieldRulesTest, NumbersEchoLikeJava) {
    EXPECT_EQ(NumberText(std::int64_t{1431655766}), "1431655766");
    EXPECT_EQ(NumberText(1e19), "1.0E19");
    EXPECT_EQ(NumberText(-1000.0), "-1000.0");
    EXPECT_EQ(NumberText(0.5), "0.5");
}

TEST(FieldRulesTest, TextToTypedValues) {
    ObjectBuilder b("T__c", "T", "Ts", "a09");
    b.Checkbox("B__c", "B");
    b.Integer("I__c", "I", 9);
    b.Number("D__c", "D", FieldType::kDouble, 18, 2);
    b.Add("Day__c", "Day", FieldType::kDate);
    b.Add("At__c", "At", FieldType::kDateTime);
    b.Add("Clock__c", "Clock", FieldType::kTime);
    b.Text("S__c", "S", 10);
    Schema schema;
    const ObjectDef& t = schema.Add(std::move(b).Build());
    const auto parse = [&](const char* field, const char* text) {
        return ParseFieldText(*t.FindField(field), text);
    };
    EXPECT_EQ(parse("B__c", "TRUE"), FieldValue{true});
    EXPECT_EQ(parse("B__c", "false"), FieldValue{false});
    EXPECT_FALSE(parse("B__c", "yes").has_value());
    EXPECT_FALSE(parse("B__c", "1").has_value());
    EXPECT_EQ(parse("I__c", "+42"), FieldValue{std::int64_t{42}});
    EXPECT_EQ(parse("I__c", "-7"), FieldValue{std::int64_t{-7}});
    EXPECT_FALSE(parse("I__c", "4.5").has_value());
    EXPECT_FALSE(parse("I__c", "3000000000").has_value());  // beyond a 32-bit int
    EXPECT_EQ(parse("D__c", "1e3"), FieldValue{1000.0});
    EXPECT_EQ(parse("D__c", "-0.25"), FieldValue{-0.25});
    EXPECT_FALSE(parse("D__c", "0x10").has_value());
    EXPECT_FALSE(parse("D__c", "NaN").has_value());
    EXPECT_EQ(parse("Day__c", "2024-02-29"), FieldValue{std::string("2024-02-29")});
    EXPECT_FALSE(parse("Day__c", "2023-02-29").has_value());
    EXPECT_FALSE(parse("Day__c", "2024-2-1").has_value());
    EXPECT_EQ(parse("At__c", "2011-07-07T00:37:00Z"),
              FieldValue{std::string("2011-07-07T00:37:00.000+0000")});
    EXPECT_EQ(parse("At__c", "2011-07-07T02:37:00.123+02:00"),
              FieldValue{std::string("2011-07-07T00:37:00.123+0000")});
    EXPECT_EQ(parse("At__c", "2011-07-06T20:37:00-0400"),
              FieldValue{std::string("2011-07-07T00:37:00.000+0000")});
    EXPECT_FALSE(parse("At__c", "2011-07-07 00:37:00").has_value());
    EXPECT_EQ(parse("Clock__c", "11:59:59"), FieldValue{std::string("11:59:59.000Z")});
    EXPECT_EQ(parse("S__c", "text"), FieldValue{std::string("text")});
    EXPECT_TRUE(IsNull(*parse("S__c", "")));  // empty text is null, as in Salesforce
}

}  // namespace
}  // namespace sfkit::server
