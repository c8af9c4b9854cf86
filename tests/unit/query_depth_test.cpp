// The child-subquery depth the query resource allows per API version (SOQL reference,
// "Understanding Relationship Query Limitations": one level up to 57.0, four from 58.0).
#include <gtest/gtest.h>

#include "server/query/query_service.hpp"

namespace sfkit::server::query {
namespace {

TEST(QueryDepthTest, FourLevelsFromApi58OneBefore) {
    EXPECT_EQ(MaxChildDepth("57.0"), 1);
    EXPECT_EQ(MaxChildDepth("31.0"), 1);
    EXPECT_EQ(MaxChildDepth("58.0"), 4);
    EXPECT_EQ(MaxChildDepth("60.0"), 4);
    EXPECT_EQ(MaxChildDepth("66.0"), 4);
    EXPECT_EQ(MaxChildDepth("100.0"), 4);
    // No readable version: the old single level.
    EXPECT_EQ(MaxChildDepth(""), 1);
    EXPECT_EQ(MaxChildDepth("v60.0"), 1);
    EXPECT_EQ(MaxChildDepth("99999999999999999999.0"), 4);
}

}  // namespace
}  // namespace sfkit::server::query
