// LogExcerpt (server/http/api_error.hpp): what the dispatcher logs of an unexpected error is
// bounded, keeps the head and the tail (where SQLite puts its reason) and says what it left out.
#include <string>

#include <gtest/gtest.h>

#include "codec/utf8.hpp"
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

TEST(LogExcerpt, ClientTextCannotForgeALogLine) {
    // A response_type such as "code\n[info] admin logged in" must stay on its own line.
    EXPECT_EQ(LogExcerpt("code\n[info] x\r\x1b[31m"), "code\\x0a[info] x\\x0d\\x1b[31m");
    EXPECT_EQ(LogExcerpt("a\xff\xfe"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
    // A cut through a multi-byte character leaves U+FFFD, never half a sequence.
    std::string wide(600, 'a');
    wide[199] = '\xC3';
    wide[200] = '\xA9';
    for (std::size_t cut = 1; cut < 8; ++cut) {
        wide.insert(0, "b");  // moves the character across the cut
        EXPECT_TRUE(codec::IsValidUtf8(LogExcerpt(wide))) << cut;
    }
}

}  // namespace
}  // namespace sfkit::server
