// FORMAT() text for the local user's locale (en_US, USD, America/Los_Angeles).
#include "server/query/format_value.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace sfkit::server::query {
namespace {

using namespace std::chrono;

std::string F(const SqlValue& v, FieldType t, int scale = 0) {
    std::string out;
    EXPECT_TRUE(FormatForLocale(v, t, scale, out));
    return out;
}

std::int64_t Utc(int y, unsigned m, unsigned d, int h, int mi) {
    const sys_days day{year{y} / month{m} / std::chrono::day{d}};
    return duration_cast<seconds>(day.time_since_epoch()).count() + h * 3600 + mi * 60;
}

TEST(FormatValueTest, NumbersGroupThousandsWithTheFieldScale) {
    EXPECT_EQ(F(44000.0, FieldType::kCurrency, 2), "$44,000.00");
    EXPECT_EQ(F(1000000.0, FieldType::kCurrency, 0), "$1,000,000");
    EXPECT_EQ(F(-500.5, FieldType::kCurrency, 2), "-$500.50");
    EXPECT_EQ(F(-0.001, FieldType::kCurrency, 2), "$0.00");  // no "-$0.00"
    EXPECT_EQ(F(999.999, FieldType::kCurrency, 2), "$1,000.00");
    EXPECT_EQ(F(std::int64_t{1234567}, FieldType::kInt), "1,234,567");
    EXPECT_EQ(F(123.0, FieldType::kDouble, 3), "123.000");
    EXPECT_EQ(F(12.5, FieldType::kPercent, 2), "12.50%");
    EXPECT_EQ(F(std::int64_t{100}, FieldType::kPercent), "100%");
}

TEST(FormatValueTest, DatesAndTimesInTheUsersZone) {
    EXPECT_EQ(F(std::string("2024-06-30"), FieldType::kDate), "6/30/2024");
    // May: PDT (UTC-7); January: PST (UTC-8), across midnight.
    EXPECT_EQ(F(std::string("2024-05-15T12:00:00.000+0000"), FieldType::kDateTime),
              "5/15/2024, 5:00 AM");
    EXPECT_EQ(F(std::string("2024-01-10T03:30:00.000+0000"), FieldType::kDateTime),
              "1/9/2024, 7:30 PM");
    EXPECT_EQ(F(std::string("2025-04-10T22:31:37.000+0000"), FieldType::kDateTime),
              "4/10/2025, 3:31 PM");  // the SOQL reference's example value
    EXPECT_EQ(F(std::string("2024-01-01T08:00:00.000+0000"), FieldType::kDateTime),
              "1/1/2024, 12:00 AM");
    EXPECT_EQ(F(std::string("13:05:00.000Z"), FieldType::kTime), "1:05 PM");
}

TEST(FormatValueTest, LosAngelesDaylightTimeFollowsTheUsRules) {
    // 2024: second Sunday of March = 10 March (2:00 PST = 10:00 UTC), first Sunday of
    // November = 3 November (2:00 PDT = 9:00 UTC).
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2024, 3, 10, 9, 59)), -480);
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2024, 3, 10, 10, 0)), -420);
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2024, 11, 3, 8, 59)), -420);
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2024, 11, 3, 9, 0)), -480);
    // 2026: 8 March and 1 November.
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2026, 3, 8, 10, 0)), -420);
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2026, 3, 7, 12, 0)), -480);
    EXPECT_EQ(LosAngelesOffsetMinutes(Utc(2026, 11, 1, 9, 0)), -480);
}

TEST(FormatValueTest, NullAndUnformattedTypesAreLeftToTheCaller) {
    std::string out;
    EXPECT_FALSE(FormatForLocale(std::monostate{}, FieldType::kCurrency, 2, out));
    EXPECT_FALSE(FormatForLocale(std::string("Acme"), FieldType::kString, 0, out));
    EXPECT_FALSE(FormatForLocale(std::int64_t{1}, FieldType::kBoolean, 0, out));
}

}  // namespace
}  // namespace sfkit::server::query
