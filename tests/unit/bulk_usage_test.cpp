// The daily Bulk allocations (server/bulk/bulk_usage.hpp): counted in a rolling 24-hour window,
// refused past the maximum without counting, file storage counted in bytes and reported in MB.
#include "server/bulk/bulk_usage.hpp"

#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "server/storage/database.hpp"
#include "support/pg_scratch.hpp"

namespace sfkit::server::bulk {
namespace {

using namespace std::chrono_literals;

TEST(BulkUsage, CountsInARollingDayAndRefusesPastTheMaximum) {
    auto now = std::chrono::system_clock::time_point(std::chrono::hours(500000));
    Database db(":memory:");
    BulkUsage usage([&] { return now; });
    usage.Attach(db);
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
    Database db(":memory:");
    BulkUsage usage;
    usage.Attach(db);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 0);
    usage.Count(BulkLimit::kQueryFileStorageMb, 1);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 1);
    usage.Count(BulkLimit::kQueryFileStorageMb, 2 * 1024 * 1024);
    EXPECT_EQ(usage.Used(BulkLimit::kQueryFileStorageMb), 3);
    EXPECT_EQ(usage.Remaining(BulkLimit::kQueryFileStorageMb), 976562 - 3);
    EXPECT_EQ(BulkUsage::Name(BulkLimit::kQueryFileStorageMb), "DailyBulkV2QueryFileStorageMB");
}

/// Attached to the org's database (SQLite, and PostgreSQL when a server is given): two
/// BulkUsage objects on one database are two nodes of one org.
class BulkUsageStoredTest : public ::testing::TestWithParam<bool> {
protected:
    void SetUp() override {
        if (GetParam()) {
            const auto server = test::PgTestServer();
            if (!server) {
                GTEST_SKIP() << test::kNoPgServer;
            }
            pg_ = std::make_unique<test::PgTestDatabase>(*server);
            db_ = &pg_->Db();
            other_db_ = std::make_unique<Database>(pg_->Scratch().Target());
        } else {
            lite_ = std::make_unique<Database>(":memory:");
            db_ = lite_.get();
        }
    }
    Database& OtherNodesDb() { return other_db_ ? *other_db_ : *db_; }

    std::unique_ptr<test::PgTestDatabase> pg_;
    std::unique_ptr<Database> lite_;
    std::unique_ptr<Database> other_db_;
    Database* db_ = nullptr;
    std::chrono::system_clock::time_point now_{std::chrono::hours(500000)};
};

TEST_P(BulkUsageStoredTest, TwoNodesCountIntoOneWindowAndOneMaximum) {
    BulkUsage a([&] { return now_; });
    BulkUsage b([&] { return now_; });
    a.Attach(*db_);
    b.Attach(OtherNodesDb());
    EXPECT_TRUE(a.TryCount(BulkLimit::kBatches, 10000));
    EXPECT_EQ(b.Used(BulkLimit::kBatches), 10000);  // the other node sees it at once
    now_ += 12h;
    EXPECT_TRUE(b.TryCount(BulkLimit::kBatches, 5000));
    EXPECT_FALSE(a.TryCount(BulkLimit::kBatches, 1));  // the org's maximum, not a node's
    EXPECT_EQ(a.Used(BulkLimit::kBatches), 15000);
    b.Count(BulkLimit::kQueryFileStorageMb, 3 * 1024 * 1024 + 1);
    EXPECT_EQ(a.Used(BulkLimit::kQueryFileStorageMb), 4);
    now_ += 12h + 1min;  // A's 10,000 leave the window
    EXPECT_EQ(b.Used(BulkLimit::kBatches), 5000);
    EXPECT_TRUE(a.TryCount(BulkLimit::kBatches, 10000));
}

TEST_P(BulkUsageStoredTest, ANodeStartedLaterFindsTheDaysUse) {
    {
        BulkUsage before([&] { return now_; });
        before.Attach(*db_);
        EXPECT_TRUE(before.TryCount(BulkLimit::kQueryJobs, 7));
    }
    BulkUsage after([&] { return now_; });  // a restart, or another node
    after.Attach(OtherNodesDb());
    EXPECT_EQ(after.Used(BulkLimit::kQueryJobs), 7);
    EXPECT_EQ(after.Remaining(BulkLimit::kQueryJobs), BulkUsage::kMaxQueryJobs - 7);
}

INSTANTIATE_TEST_SUITE_P(Engines,
                         BulkUsageStoredTest,
                         ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& engine) {
                             return engine.param ? "postgresql" : "sqlite";
                         });

}  // namespace
}  // namespace sfkit::server::bulk
