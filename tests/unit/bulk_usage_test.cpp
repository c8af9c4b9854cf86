// The daily Bulk allocations (server/bulk/bulk_usage.hpp): counted in a rolling 24-hour window,
// refused past the maximum without counting, file storage counted in bytes and reported in MB.
#include "server/bulk/bulk_usage.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace sfkit::server::bulk {
namespace {

using namespace std::chrono_literals;

TEST(BulkUsage, CountsInARollingDayAndRefusesPastTheMaximum) {
    auto now = std::chrono::system_clock::time_point(std::chrono::hours(500000));
    BulkUsage usage([&] { return now; });
    EXPECT_EQ(usage.Max(BulkLimit::kBatches), 15000);
    EXPECT_TRUE(usage.TryCount(BulkLimit::kBatches, 10000));
    now += 12h;
    EXPECT_TRUE(usage.TryCount(BulkLimit::kBatches, 5000));
    EXPECT_EQ(usage.Remaining(BulkLimit::kBatches), 0);
    EXPECT_FALSE(usage.TryCount(BulkLimit::kBatches, 1));  // refused, nothing counted
    EXPECT_EQ(usage.Used(BulkLimit::kBatches), 15000);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryJobs), 0);  // limits are separate
    now += 12h + 1min;                                // the first 10,000 are more than a day old
    EXPECT_EQ(usage.Used(BulkLimit::kBatches), 5000);
    EXPECT_TRUE(usage.TryCount(BulkLimit::kBatches, 10000));
    now += 24h;
    EXPECT_EQ(usage.Used(BulkLimit::kBatches), 0);
}

TEST(BulkUsage, FileStorageIsCountedInBytesAndReportedInMegabytesRoundedUp) {
    BulkUsage usage;
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 0);
    usage.Count(BulkLimit::kQueryFileStorageMb, 1);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 1);
    usage.Count(BulkLimit::kQueryFileStorageMb, 2 * 1024 * 1024);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 3);
    EXPECT_EQ(usage.Remaining(BulkLimit::kQueryFileStorageMb), 976562 - 3);
    EXPECT_EQ(BulkUsage::Name(BulkLimit::kQueryFileStorageMb), "DailyBulkV2QueryFileStorageMB");
}

}  // namespace
}  // namespace sfkit::server::bulk
