// Trusted IP range matching and the login lockout state machine.
#include <gtest/gtest.h>

#include "server/auth/ip_range.hpp"
#include "server/auth/lockout.hpp"

namespace sfkit::server {
namespace {

TEST(IpRangeTest, StartEndIsInclusive) {
    const auto r = IpRange::FromStartEnd("127.0.0.1", "127.0.0.255");
    ASSERT_TRUE(r);
    EXPECT_TRUE(IpInRanges("127.0.0.1", {*r}));
    EXPECT_TRUE(IpInRanges("127.0.0.255", {*r}));
    EXPECT_TRUE(IpInRanges("127.0.0.77", {*r}));
    EXPECT_FALSE(IpInRanges("127.0.0.0", {*r}));
    EXPECT_FALSE(IpInRanges("127.0.1.0", {*r}));
    EXPECT_FALSE(IpInRanges("128.0.0.1", {*r}));
}

TEST(IpRangeTest, CidrBlocks) {
    const auto r8 = IpRange::ParseCidr("10.0.0.0/8");
    ASSERT_TRUE(r8);
    EXPECT_EQ(r8->ToString(), "10.0.0.0-10.255.255.255");
    EXPECT_TRUE(IpInRanges("10.200.3.4", {*r8}));
    EXPECT_FALSE(IpInRanges("11.0.0.0", {*r8}));
    // Host bits of the base are ignored, as network masks do.
    EXPECT_EQ(IpRange::ParseCidr("192.168.1.77/24")->ToString(), "192.168.1.0-192.168.1.255");
    EXPECT_EQ(IpRange::ParseCidr("0.0.0.0/0")->ToString(), "0.0.0.0-255.255.255.255");
    EXPECT_EQ(IpRange::ParseCidr("1.2.3.4")->ToString(), "1.2.3.4-1.2.3.4");
    EXPECT_EQ(IpRange::ParseCidr("1.2.3.4/32")->ToString(), "1.2.3.4-1.2.3.4");
    const auto v6 = IpRange::ParseCidr("2001:db8::/32");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(IpInRanges("2001:db8:ffff::1", {*v6}));
    EXPECT_FALSE(IpInRanges("2001:db9::1", {*v6}));
    EXPECT_FALSE(IpInRanges("10.0.0.1", {*v6}));
}

TEST(IpRangeTest, Ipv4MappedPeersMatchIpv4Ranges) {
    const auto r = IpRange::ParseCidr("127.0.0.0/8");
    EXPECT_TRUE(IpInRanges("::ffff:127.0.0.1", {*r}));
    EXPECT_FALSE(IpInRanges("::1", {*r}));
}

TEST(IpRangeTest, RejectsBadInput) {
    std::string err;
    EXPECT_FALSE(IpRange::ParseCidr("10.0.0.0/33", &err));
    EXPECT_NE(err.find("prefix"), std::string::npos) << err;
    EXPECT_FALSE(IpRange::ParseCidr("10.0.0/8", &err));
    EXPECT_FALSE(IpRange::ParseCidr("10.0.0.0/", &err));
    EXPECT_FALSE(IpRange::ParseCidr("10.0.0.0/8x", &err));
    EXPECT_FALSE(IpRange::ParseCidr("", &err));
    EXPECT_FALSE(IpRange::FromStartEnd("10.0.0.9", "10.0.0.1", &err));
    EXPECT_NE(err.find("after"), std::string::npos) << err;
    EXPECT_FALSE(IpRange::FromStartEnd("10.0.0.1", "::1", &err));
    EXPECT_FALSE(IpRange::FromStartEnd("x", "10.0.0.1", &err));
    EXPECT_FALSE(IpInRanges("not-an-ip", {*IpRange::ParseCidr("0.0.0.0/0")}));
    EXPECT_FALSE(IpInRanges("127.0.0.1", {}));
}

TEST(IpRangeTest, StorageFormatRoundTrips) {
    const std::vector<IpRange> ranges = {*IpRange::ParseCidr("10.0.0.0/8"),
                                         *IpRange::FromStartEnd("::1", "::2")};
    const std::string text = JoinRanges(ranges);
    EXPECT_EQ(text, "10.0.0.0-10.255.255.255;::1-::2");
    const auto back = SplitRanges(text);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].ToString(), ranges[0].ToString());
    EXPECT_EQ(back[1].ToString(), ranges[1].ToString());
    EXPECT_TRUE(SplitRanges("").empty());
}

TEST(LockoutTest, LocksAtThresholdAndNotBefore) {
    const LockoutPolicy p{3, 60'000};
    LockState s;
    s = AfterFailure(s, p, 1000);
    s = AfterFailure(s, p, 1001);
    EXPECT_EQ(s.failed, 2);
    EXPECT_FALSE(IsLocked(s, 1002));
    s = AfterFailure(s, p, 1002);
    EXPECT_EQ(s.failed, 3);
    EXPECT_TRUE(IsLocked(s, 1002));
    EXPECT_TRUE(IsLocked(s, 61'001));
    EXPECT_FALSE(IsLocked(s, 61'002));
}

TEST(LockoutTest, FailuresDuringLockDoNotExtendIt) {
    const LockoutPolicy p{2, 1000};
    LockState s = AfterFailure(AfterFailure({}, p, 0), p, 0);
    ASSERT_EQ(s.locked_until_ms, 1000);
    const LockState during = AfterFailure(s, p, 500);
    EXPECT_EQ(during, s);
}

TEST(LockoutTest, CountRestartsAfterLockExpires) {
    const LockoutPolicy p{2, 1000};
    LockState s = AfterFailure(AfterFailure({}, p, 0), p, 0);
    s = AfterFailure(s, p, 1500);
    EXPECT_EQ(s.failed, 1);
    EXPECT_EQ(s.locked_until_ms, 0);
    EXPECT_FALSE(IsLocked(s, 1500));
}

TEST(LockoutTest, SuccessResetsAndZeroThresholdNeverLocks) {
    EXPECT_EQ(AfterSuccess(), LockState{});
    const LockoutPolicy never{0, 1000};
    LockState s;
    for (int i = 0; i < 100; ++i) {
        s = AfterFailure(s, never, i);
    }
    EXPECT_EQ(s.failed, 100);
    EXPECT_FALSE(IsLocked(s, 100));
    // Default policy: 10 failures, 15 minutes.
    const LockoutPolicy d;
    EXPECT_EQ(d.threshold, 10);
    EXPECT_EQ(d.lock_ms, 15 * 60 * 1000);
}

}  // namespace
}  // namespace sfkit::server
