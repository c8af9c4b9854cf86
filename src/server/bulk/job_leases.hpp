// Which node processes a Bulk job (issue 13): a job (Bulk 2.0 ingest and query jobs, tables
// bulk_ingest_job and bulk_query_job) or a Bulk 1.0 batch (table bulk1_batch) ready to process is
// *claimed* in
// the database with a lease, the claiming node's id and an expiry time, in columns `lease_node`
// and `lease_until` of the job's own table. One mechanism for both engines, with a dialect seam:
// on PostgreSQL the claim picks the row with `SELECT … FOR UPDATE SKIP LOCKED`, so nodes racing
// for work never wait on each other's candidate; on SQLite the single writer already serialises
// claims. A node renews its lease inside each chunk's transaction (Renew, a row-locking UPDATE
// that also checks the node still holds it), so a chunk commits only while its node owns the job:
// a node that died, or stalled past its lease, loses the job to the next claimer, which resumes
// from the progress the last committed chunk recorded, and the stalled node's next chunk rolls
// back. Lease times are the nodes' wall clocks (milliseconds since the epoch): nodes are expected
// to keep their clocks in step (NTP) to well within a lease.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sfkit::server {
class Database;
}

namespace sfkit::server::bulk {

/// Thrown inside a chunk's transaction when the node no longer holds the job's lease: the
/// transaction rolls back and the node stops working on the job.
struct LeaseLost {};

class JobLeases {
public:
    /// `table`: the job table (a plain identifier with a unique TEXT column `id`).
    JobLeases(Database& db,
              std::string table,
              std::string node_id,
              std::chrono::milliseconds lease);

    const std::string& NodeId() const { return node_; }
    /// Adds the lease columns when the table lacks them (tables made before leases existed).
    void AddColumns();
    /// Claims the first job (in id order) for which `claimable` (an SQL condition over the
    /// table's columns, without parameters) holds and whose lease lapsed or was never taken; its
    /// id, or nullopt when there is none. A committed transaction of its own; a cheap read
    /// first, so an idle poll writes nothing.
    std::optional<std::string> ClaimNext(std::string_view claimable);
    /// A worker's poll: claims jobs (ClaimNext) while fewer than `most` are `active` and
    /// `stopping()` is false, counting each in `active` and handing it to `start`.
    void ClaimWhileFree(std::string_view claimable,
                        std::size_t most,
                        std::atomic<std::size_t>& active,
                        const std::function<bool()>& stopping,
                        const std::function<void(const std::string&)>& start);
    /// Inside the caller's write transaction: extends this node's lease on `id` and locks the
    /// job's row until the transaction ends. False when the job is gone or another node holds
    /// it (the caller must then roll back: throw LeaseLost).
    bool Renew(const std::string& id);
    /// Gives up this node's lease on `id` (when it stops working on it before the job ends).
    void Release(const std::string& id);
    /// Gives up every lease this node holds (when its worker stops).
    void ReleaseMine();
    /// Every lease lapses: for a SQLite org at start, whose file only one node serves.
    void ForgetAll();

private:
    static std::int64_t NowMs();

    Database& db_;
    std::string table_;
    std::string node_;
    std::chrono::milliseconds lease_;
};

/// A new node id: random, 16 hex digits (one per BulkServices, so a restarted node is a new one).
std::string NewNodeId();

}  // namespace sfkit::server::bulk
