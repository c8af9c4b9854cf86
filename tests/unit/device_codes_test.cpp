// The device flow's pending authorizations (src/server/auth/device_codes): lifetime, polling rate,
// decisions, user-code normalisation; time is passed in, so expiry needs no waiting. The codes
// live in a database (any node of an org sees them); here a private in-memory one.
#include "server/auth/device_codes.hpp"

#include <set>

#include <gtest/gtest.h>

#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

using State = DeviceCodes::PollState;

TEST(DeviceCodesTest, ExpiresAfterItsLifetime) {
    Database db(":memory:");
    DeviceCodes codes(db);
    const auto issued = codes.Issue("app", {"api"}, 1000);
    EXPECT_TRUE(codes.IsPending(issued.user_code, 1000 + DeviceCodes::kLifetimeMs - 1));
    EXPECT_FALSE(codes.IsPending(issued.user_code, 1000 + DeviceCodes::kLifetimeMs));
    EXPECT_FALSE(codes.Decide(issued.user_code, "user", true, 1000 + DeviceCodes::kLifetimeMs))
        << "an expired code cannot be approved";
    EXPECT_EQ(codes.Take(issued.device_code, "app", 1000 + DeviceCodes::kLifetimeMs).state,
              State::kExpired);
    EXPECT_EQ(codes.Take(issued.device_code, "app", 1000 + DeviceCodes::kLifetimeMs).state,
              State::kUnknown)
        << "answered once, then forgotten";
}

TEST(DeviceCodesTest, PollingFasterThanTheIntervalIsSlowDown) {
    Database db(":memory:");
    DeviceCodes codes(db);
    const auto issued = codes.Issue("app", {"api"}, 0);
    EXPECT_EQ(codes.Take(issued.device_code, "app", 10).state, State::kPending);
    EXPECT_EQ(codes.Take(issued.device_code, "app", 10 + 4999).state, State::kSlowDown);
    // The interval counts from the last poll, slow ones included.
    EXPECT_EQ(codes.Take(issued.device_code, "app", 10 + 4999 + 4999).state, State::kSlowDown);
    EXPECT_EQ(codes.Take(issued.device_code, "app", 10 + 4999 + 4999 + 5000).state,
              State::kPending);
}

TEST(DeviceCodesTest, DecisionsAreFinalAndBoundToTheApp) {
    Database db(":memory:");
    DeviceCodes codes(db);
    const auto issued = codes.Issue("app", {"api", "refresh_token"}, 0);
    EXPECT_EQ(issued.user_code.size(), 8u);
    // Typed in lower case with a dash and spaces.
    std::string typed;
    for (char c : issued.user_code.substr(0, 4) + " - " + issued.user_code.substr(4)) {
        typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    EXPECT_TRUE(codes.Decide(typed, "005user", true, 1));
    EXPECT_FALSE(codes.Decide(issued.user_code, "005other", false, 2)) << "decided once";
    EXPECT_EQ(codes.Take(issued.device_code, "other-app", 3).state, State::kUnknown);
    const auto poll = codes.Take(issued.device_code, "app", 3);
    EXPECT_EQ(poll.state, State::kApproved);
    EXPECT_EQ(poll.user_id, "005user");
    EXPECT_EQ(poll.scopes, (std::vector<std::string>{"api", "refresh_token"}));
    EXPECT_EQ(codes.Take(issued.device_code, "app", 4).state, State::kUnknown);

    const auto denied = codes.Issue("app", {"api"}, 0);
    EXPECT_TRUE(codes.Decide(denied.user_code, "005user", false, 1));
    EXPECT_EQ(codes.Take(denied.device_code, "app", 2).state, State::kDenied);
    EXPECT_EQ(codes.Take("", "app", 2).state, State::kUnknown);
}

TEST(DeviceCodesTest, TwoInstancesOnOneDatabaseShareTheCodes) {
    // What two nodes of one org do: one issues, the other decides, the first hands out the
    // tokens once.
    Database db(":memory:");
    DeviceCodes issuer(db);
    DeviceCodes other(db);
    const auto issued = issuer.Issue("app", {"api"}, 0);
    EXPECT_TRUE(other.IsPending(issued.user_code, 1));
    EXPECT_TRUE(other.Decide(issued.user_code, "005user", true, 1));
    EXPECT_FALSE(issuer.Decide(issued.user_code, "005other", true, 2)) << "decided once";
    EXPECT_EQ(issuer.Take(issued.device_code, "app", 3).state, State::kApproved);
    EXPECT_EQ(other.Take(issued.device_code, "app", 3).state, State::kUnknown);
}

TEST(DeviceCodesTest, UserCodesAreUniqueAndUnambiguous) {
    Database db(":memory:");
    DeviceCodes codes(db);
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        const auto issued = codes.Issue("app", {}, 0);
        EXPECT_TRUE(seen.insert(issued.user_code).second);
        EXPECT_EQ(issued.user_code.find_first_of("AEIOU01"), std::string::npos) << issued.user_code;
    }
}

}  // namespace
}  // namespace sfkit::server
