// Rolling 24-hour counters of the Bulk allocations.
#include "server/bulk/bulk_usage.hpp"

#include <algorithm>

#include "server/storage/database.hpp"

namespace sfkit::server::bulk {
namespace {

constexpr std::int64_t kMinutesPerDay = 24 * 60;
constexpr std::int64_t kBytesPerMb = 1024 * 1024;

std::size_t Index(BulkLimit limit) {
    return static_cast<std::size_t>(limit);
}

}  // namespace

BulkUsage::BulkUsage(Clock clock) : clock_(std::move(clock)) {}

void BulkUsage::Attach(Database& db) {
    Transaction tx(db);
    db.Exec(
        "CREATE TABLE IF NOT EXISTS bulk_usage (limit_id INTEGER NOT NULL, minute INTEGER NOT "
        "NULL, amount INTEGER NOT NULL, PRIMARY KEY (limit_id, minute))");
    tx.Commit();
    db_ = &db;
}

std::int64_t BulkUsage::StoredSum(BulkLimit limit, std::int64_t now_minute) const {
    Statement st = db_->Prepare(
        "SELECT COALESCE(SUM(amount), 0) FROM bulk_usage WHERE limit_id = ? AND minute > ?");
    st.Bind(1, static_cast<std::int64_t>(Index(limit)));
    st.Bind(2, now_minute - kMinutesPerDay);
    return st.Step() ? st.Int(0) : 0;
}

void BulkUsage::StoredAdd(BulkLimit limit, std::int64_t now_minute, std::int64_t amount) {
    db_->Prepare(
           "INSERT INTO bulk_usage (limit_id, minute, amount) VALUES (?, ?, ?) ON CONFLICT "
           "(limit_id, minute) DO UPDATE SET amount = bulk_usage.amount + excluded.amount")
        .Bind(1, static_cast<std::int64_t>(Index(limit)))
        .Bind(2, now_minute)
        .Bind(3, amount)
        .Run();
    // Buckets older than the window count for nothing any more.
    db_->Prepare("DELETE FROM bulk_usage WHERE limit_id = ? AND minute <= ?")
        .Bind(1, static_cast<std::int64_t>(Index(limit)))
        .Bind(2, now_minute - kMinutesPerDay)
        .Run();
}

std::string_view BulkUsage::Name(BulkLimit limit) {
    switch (limit) {
        case BulkLimit::kBatches:
            return "DailyBulkApiBatches";
        case BulkLimit::kQueryJobs:
            return "DailyBulkV2QueryJobs";
        case BulkLimit::kQueryFileStorageMb:
            return "DailyBulkV2QueryFileStorageMB";
    }
    return {};
}

std::int64_t BulkUsage::NowMinute() const {
    const auto now = clock_ ? clock_() : std::chrono::system_clock::now();
    return std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
}

std::int64_t BulkUsage::MaxUnits(BulkLimit limit) {
    switch (limit) {
        case BulkLimit::kBatches:
            return kMaxBatches;
        case BulkLimit::kQueryJobs:
            return kMaxQueryJobs;
        case BulkLimit::kQueryFileStorageMb:
            return kMaxQueryFileStorageMb * kBytesPerMb;
    }
    return 0;
}

bool BulkUsage::TryCount(BulkLimit limit, std::int64_t amount) {
    const std::int64_t now = NowMinute();
    Transaction tx(*db_);
    if (StoredSum(limit, now) + amount > MaxUnits(limit)) {
        return false;
    }
    StoredAdd(limit, now, amount);
    tx.Commit();
    return true;
}

void BulkUsage::Count(BulkLimit limit, std::int64_t amount) {
    const std::int64_t now = NowMinute();
    Transaction tx(*db_);
    StoredAdd(limit, now, amount);
    tx.Commit();
}

long long BulkUsage::Used(BulkLimit limit) const {
    const std::int64_t now = NowMinute();
    auto lock = db_->Acquire();  // the writer: sees this node's latest count at once
    const std::int64_t units = StoredSum(limit, now);
    if (limit == BulkLimit::kQueryFileStorageMb) {
        return (units + kBytesPerMb - 1) / kBytesPerMb;
    }
    return units;
}

long long BulkUsage::Max(BulkLimit limit) const {
    return limit == BulkLimit::kQueryFileStorageMb ? kMaxQueryFileStorageMb : MaxUnits(limit);
}

long long BulkUsage::Remaining(BulkLimit limit) const {
    return std::max(0LL, Max(limit) - Used(limit));
}

}  // namespace sfkit::server::bulk
