// The daily Bulk API allocations /limits reports and the Bulk APIs enforce (bulk-wire.md §2.11,
// §3.6): DailyBulkApiBatches (Bulk 2.0 ingest's internal batches of 10,000 records, and
// Bulk 1.0 batches, which share the allocation), DailyBulkV2QueryJobs, and
// DailyBulkV2QueryFileStorageMB (result bytes of query jobs). Counted in a rolling 24-hour
// window of per-minute buckets in the org's database (table bulk_usage): every node of an org on
// PostgreSQL counts into and reports the same use, and a restart keeps it. Attach() before the
// first count. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace sfkit::server {
class Database;
}

namespace sfkit::server::bulk {

enum class BulkLimit {
    kBatches,             ///< DailyBulkApiBatches, counted in batches
    kQueryJobs,           ///< DailyBulkV2QueryJobs, counted in jobs
    kQueryFileStorageMb,  ///< DailyBulkV2QueryFileStorageMB, counted in bytes, reported in MB
};

class BulkUsage {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    /// Maxima of a Developer Edition org (a recorded /limits answer).
    static constexpr long long kMaxBatches = 15000;
    static constexpr long long kMaxQueryJobs = 10000;
    static constexpr long long kMaxQueryFileStorageMb = 976562;

    explicit BulkUsage(Clock clock = {});

    /// Counts in `db` (creates table bulk_usage when missing); before any other call. Two nodes may
    /// both pass TryCount at the very same moment for the last unit of a limit (each checks and
    /// adds in a transaction of its own): the count can pass the maximum by what they add then.
    void Attach(Database& db);

    /// The /limits name of `limit`.
    static std::string_view Name(BulkLimit limit);
    /// Counts `amount` (batches, jobs, or bytes for kQueryFileStorageMb) unless that would take
    /// the limit's use in the last 24 hours past its maximum; false (nothing counted) then.
    bool TryCount(BulkLimit limit, std::int64_t amount = 1);
    /// Counts `amount` whatever the maximum (work already done, such as result bytes written).
    void Count(BulkLimit limit, std::int64_t amount = 1);
    /// Use in the last 24 hours in the limit's /limits unit (MB rounded up for file storage).
    long long Used(BulkLimit limit) const;
    long long Max(BulkLimit limit) const;
    /// Max minus Used, never below 0.
    long long Remaining(BulkLimit limit) const;

private:
    std::int64_t NowMinute() const;
    /// The limit's maximum in its counting unit (bytes for file storage).
    static std::int64_t MaxUnits(BulkLimit limit);

    /// On the attached database's writer (caller holds it).
    std::int64_t StoredSum(BulkLimit limit, std::int64_t now_minute) const;
    void StoredAdd(BulkLimit limit, std::int64_t now_minute, std::int64_t amount);

    Clock clock_;
    Database* db_ = nullptr;  ///< Attach(): the counts live there
};

}  // namespace sfkit::server::bulk
