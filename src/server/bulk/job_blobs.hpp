// The bytes of Bulk jobs (uploaded CSV, result CSVs, query results) kept in the org database so
// that every node of a shared org can serve them (issue 13): table `bulk_blob`, one row per
// piece of at most kBlobPiece bytes, keyed by (job, name, position). A blob only grows, by
// Append inside the transaction that commits the work it records (a chunk's result rows commit
// with the chunk's records and progress), so what a committed job row says about its sizes is
// always in the table. BLOB on SQLite; BYTEA on PostgreSQL (bytes sent and read as hex text, so
// an upload in any encoding, NULs included, is kept as sent).
//
// Serving goes through a node-local copy: Local(job, name, size) makes sure the file
// `<job file area>/<job>/<name>` (JobFiles) holds at least the blob's first `size` bytes,
// appending the missing pieces from the database, and returns its path; handlers then send
// regions of it (Response::body_files) and the worker reads it as before. A local copy only
// ever holds a prefix of committed bytes, so it never has to be invalidated; the node that
// stored an upload adopts its file as the copy (no second read). Memory stays a few pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace sfkit::server {
class Database;
}

namespace sfkit::server::bulk {

class JobFiles;

/// The largest piece of a blob in one row.
inline constexpr std::size_t kBlobPiece = 1024 * 1024;

class JobBlobs {
public:
    JobBlobs(Database& db, JobFiles& files);

    void CreateTables();
    /// Appends `bytes` to blob `name` of `job`, whose size is `size` now; returns the new size.
    /// Joins the caller's write transaction (opens one when there is none).
    std::int64_t Append(const std::string& job,
                        const std::string& name,
                        std::int64_t size,
                        std::string_view bytes);
    /// Stores the file at `path` as blob `name` (which must be empty), a few pieces per
    /// transaction, never the whole file in memory; returns its size.
    std::int64_t StoreFile(const std::string& job,
                           const std::string& name,
                           const std::filesystem::path& path);
    /// The committed size of blob `name` (0 when there is none).
    std::int64_t Size(const std::string& job, const std::string& name);
    /// Renames a blob (in the caller's transaction): a staged upload becoming the job's data.
    void Rename(const std::string& job, const std::string& from, const std::string& to);
    /// Removes one blob's rows (own transaction, or the caller's).
    void RemoveBlob(const std::string& job, const std::string& name);
    /// Removes every blob of `job` (own transaction, or the caller's).
    void RemoveRows(const std::string& job);
    /// Removes this node's local copies of `job`'s blobs.
    void RemoveLocal(const std::string& job);
    /// A local file holding at least the first `size` bytes of the blob (see above); throws
    /// std::runtime_error when the database has fewer.
    std::filesystem::path Local(const std::string& job, const std::string& name, std::int64_t size);
    /// Makes `path`, a file on this node whose bytes are exactly the committed blob's, the local
    /// copy (renamed into the job's area).
    void AdoptLocal(const std::string& job,
                    const std::string& name,
                    const std::filesystem::path& path);

private:
    std::string Encode(std::string_view bytes) const;
    std::string Decode(std::string text) const;

    Database& db_;
    JobFiles& files_;
    std::mutex local_mu_;  ///< one filler of local copies at a time
};

}  // namespace sfkit::server::bulk
