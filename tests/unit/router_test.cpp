// Router matching: captures, implied HEAD, 405 Allow lists, and the most-specific-pattern rule.
#include "server/http/router.hpp"

#include <gtest/gtest.h>

namespace sfkit::server {
namespace {

Response Tagged(std::string tag) {
    Response r;
    r.body = std::move(tag);
    return r;
}

RouteHandler Tag(const char* tag) {
    return [tag](Call&) { return Tagged(tag); };
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        // The record route is registered first on purpose: literal routes must still win.
        router_.Add(
            {{"GET", "PATCH", "DELETE"}, "/d/v{version}/s/{type}/{id}", true, Tag("record")});
        router_.Add({{"GET"}, "/d/v{version}/s/{type}/updated", true, Tag("updated")});
        router_.Add({{"POST", "PATCH"}, "/d/v{version}/s/{type}/Id", true, Tag("by-id")});
        router_.Add({{"GET", "PATCH"}, "/d/v{version}/s/{type}/{field}/{value}", true, Tag("ext")});
    }
    std::string Served(std::string_view method, std::string_view path) {
        RouteMatch m = router_.Match(method, path);
        if (m.route == nullptr) {
            return "";
        }
        Call call{req_, m.params, nullptr, Format::kJson, false, {}, {}};
        return m.route->handler(call).body;
    }
    Router router_;
    Request req_;
};

TEST_F(RouterTest, CapturesSegmentsAndVersionPrefix) {
    RouteMatch m = router_.Match("GET", "/d/v60.0/s/Account/001000000000001");
    ASSERT_NE(m.route, nullptr);
    Call call{req_, m.params, nullptr, Format::kJson, false, {}, {}};
    EXPECT_EQ(call.Param("version"), "60.0");
    EXPECT_EQ(call.Param("type"), "Account");
    EXPECT_EQ(call.Param("id"), "001000000000001");
}

TEST_F(RouterTest, LiteralSegmentBeatsCaptureWhateverTheOrder) {
    EXPECT_EQ(Served("GET", "/d/v60.0/s/Account/updated"), "updated");
    EXPECT_EQ(Served("GET", "/d/v60.0/s/Account/UPDATED/"), "updated");
    EXPECT_EQ(Served("GET", "/d/v60.0/s/Account/001000000000001"), "record");
    EXPECT_EQ(Served("POST", "/d/v60.0/s/Account/Id"), "by-id");
    EXPECT_EQ(Served("PATCH", "/d/v60.0/s/Account/id"), "by-id");
    EXPECT_EQ(Served("PATCH", "/d/v60.0/s/Account/Ext__c/42"), "ext");
}

TEST_F(RouterTest, WrongMethodOnLiteralResourceListsOnlyItsMethods) {
    RouteMatch m = router_.Match("PATCH", "/d/v60.0/s/Account/updated");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"HEAD", "GET"}));
}

TEST_F(RouterTest, WrongMethodOnRecordListsHeadFirst) {
    RouteMatch m = router_.Match("PUT", "/d/v60.0/s/Account/001000000000001");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"HEAD", "GET", "PATCH", "DELETE"}));
    EXPECT_EQ(Served("HEAD", "/d/v60.0/s/Account/001000000000001"), "record");
}

TEST_F(RouterTest, UnknownPathHasNoAllowList) {
    RouteMatch m = router_.Match("GET", "/d/v60.0/other");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.allowed.empty());
}

TEST_F(RouterTest, TakenRoutesLeaveTheRouterEmptyAndServeWhereTheyAreAddedAgain) {
    std::vector<Route> taken = router_.TakeRoutes();
    ASSERT_EQ(taken.size(), 4u);
    EXPECT_EQ(Served("GET", "/d/v60.0/s/Account/updated"), "");  // nothing left here
    Router other;
    for (Route& r : taken) {
        r.handler = [inner = std::move(r.handler)](Call& call) {
            Response res = inner(call);
            res.body = "wrapped " + res.body;
            return res;
        };
        other.Add(std::move(r));
    }
    std::swap(router_, other);
    EXPECT_EQ(Served("GET", "/d/v60.0/s/Account/updated"), "wrapped updated");
    EXPECT_EQ(Served("PATCH", "/d/v60.0/s/Account/001000000000001"), "wrapped record");
    // HEAD, implied by GET at the first Add, is still there after the second.
    EXPECT_EQ(Served("HEAD", "/d/v60.0/s/Account/001000000000001"), "wrapped record");
}

}  // namespace
}  // namespace sfkit::server
