// LogExcerpt (server/http/api_error.hpp): what the dispatcher logs of an unexpected error is
// bounded, keeps the head and the tail (where SQLite puts its reason) and says what it left out.
#include <string>

#include <gtest/gtest.h>

#include "server/http/api_error.hpp"

namespace sfkit::server {
namespace {

TEST(LogExcerpt, BoundsLongMessagesKeepingHeadAndTail) {
    std::string sql = "prepare failed for `SELECT t0.rowid FROM \"sobject_Account\" t0 WHERE ";
    for (int i = 0; i < 2000; ++i) {
        sql += "(t0.\"Name\" = ?) OR ";
    }
    sql += "1`: Expression tree is too large (maximum depth 1000)";
    const std::string out = LogExcerpt(sql);
    EXPECT_LE(out.size(), 400u);
    EXPECT_EQ(out.rfind("prepare failed for `SELECT t0.rowid", 0), 0u) << out;
    EXPECT_NE(out.find("…[" + std::to_string(sql.size()) + " bytes]…"), std::string::npos) << out;
    EXPECT_EQ(out.substr(out.size() - 30), sql.substr(sql.size() - 30));
    EXPECT_EQ(LogExcerpt("short"), "short");
    EXPECT_LE(LogExcerpt(sql, 10).size(), 30u);
}

}  // namespace
}  // namespace sfkit::server
