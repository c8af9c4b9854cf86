// QueryService keeps bound queries by text (a repeated query skips parse and bind). What a
// bound query holds besides the text must be part of its key: the day (date literals such as
// TODAY are bound to that day's range), the user (USING SCOPE mine binds the user's id) and
// /query versus /queryAll (deleted rows, at every level).
#include <chrono>
#include <ctime>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/core/id.hpp"

#include "support/query_fixture.hpp"

namespace sfkit::test {
namespace {

using namespace std::chrono_literals;

std::int64_t TotalSize(QueryFixture& org,
                       const std::string& encoded_soql,
                       const std::string& resource = "query") {
    const server::Response r = org.Get("/services/data/v60.0/" + resource + "?q=" + encoded_soql);
    EXPECT_EQ(r.status, 200) << r.body;
    return boost::json::parse(r.body).at("totalSize").as_int64();
}

TEST(BoundQueryCache, ARepeatedQueryIsBoundAgainForANewDay) {
    QueryFixture org;
    std::tm tm{};
    tm.tm_year = 2024 - 1900;
    tm.tm_mon = 2;
    tm.tm_mday = 10;
    tm.tm_hour = 12;
    org.SetNow(std::chrono::system_clock::from_time_t(timegm(&tm)));
    org.Insert("Account", R"({"Name":"Made today"})", "a");
    const std::string q = "SELECT+Name+FROM+Account+WHERE+CreatedDate+%3D+TODAY";
    EXPECT_EQ(TotalSize(org, q), 1);
    EXPECT_EQ(TotalSize(org, q), 1);  // the same text again: from the cache, same answer
    org.Advance(24h);
    EXPECT_EQ(TotalSize(org, q), 0) << "yesterday's TODAY was reused";
}

TEST(BoundQueryCache, UsingScopeMineIsBoundForEachUser) {
    QueryFixture org;
    org.Insert("Account", R"({"Name":"Owned by the session user"})", "a");
    const std::string q = "SELECT+Name+FROM+Account+USING+SCOPE+mine";
    EXPECT_EQ(TotalSize(org, q), 1);
    org.SetUserId(Id::Make("005", "Lo", 2).Str18());
    EXPECT_EQ(TotalSize(org, q), 0) << "another user's USING SCOPE mine was reused";
}

TEST(BoundQueryCache, QueryAndQueryAllOfOneTextAreBoundApart) {
    QueryFixture org;
    org.Insert("Account", R"({"Name":"Gone","IsDeleted":true})", "a");
    const std::string q = "SELECT+Name+FROM+Account";
    EXPECT_EQ(TotalSize(org, q, "query"), 0);
    EXPECT_EQ(TotalSize(org, q, "queryAll"), 1) << "/query's bound query was reused";
    EXPECT_EQ(TotalSize(org, q, "query"), 0) << "/queryAll's bound query was reused";
}

}  // namespace
}  // namespace sfkit::test
