// Rolling 24-hour counters of the Bulk allocations.
#include "server/bulk/bulk_usage.hpp"

#include <algorithm>

namespace sfkit::server::bulk {
namespace {

constexpr std::int64_t kMinutesPerDay = 24 * 60;
constexpr std::int64_t kBytesPerMb = 1024 * 1024;

std::size_t Index(BulkLimit limit) {
    return static_cast<std::size_t>(limit);
}

}  // namespace

BulkUsage::BulkUsage(Clock clock) : clock_(std::move(clock)) {}

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

std::int64_t BulkUsage::SumLocked(BulkLimit limit, std::int64_t now_minute) const {
    Window& w = windows_[Index(limit)];
    while (!w.empty() && w.front().first <= now_minute - kMinutesPerDay) {
        w.pop_front();
    }
    std::int64_t sum = 0;
    for (const auto& [minute, amount] : w) {
        sum += amount;
    }
    return sum;
}

void BulkUsage::AddLocked(BulkLimit limit, std::int64_t now_minute, std::int64_t amount) {
    Window& w = windows_[Index(limit)];
    if (!w.empty() && w.back().first == now_minute) {
        w.back().second += amount;
    } else {
        w.emplace_back(now_minute, amount);
    }
}

bool BulkUsage::TryCount(BulkLimit limit, std::int64_t amount) {
    const std::int64_t now = NowMinute();
    std::lock_guard lock(mu_);
    if (SumLocked(limit, now) + amount > MaxUnits(limit)) {
        return false;
    }
    AddLocked(limit, now, amount);
    return true;
}

void BulkUsage::Count(BulkLimit limit, std::int64_t amount) {
    const std::int64_t now = NowMinute();
    std::lock_guard lock(mu_);
    SumLocked(limit, now);
    AddLocked(limit, now, amount);
}

long long BulkUsage::Used(BulkLimit limit) const {
    const std::int64_t now = NowMinute();
    std::lock_guard lock(mu_);
    const std::int64_t units = SumLocked(limit, now);
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
