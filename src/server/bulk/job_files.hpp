// The per-job file area of Bulk jobs: `<data dir>/bulk/<job id>/<file>` (an `--in-memory` org
// keeps it in the database's private temporary directory, which goes away with the org).
// Directories are 0700 and files 0600 (docs/security.md, "Data directory"), opened without
// following symbolic links. Bulk 2.0 ingest keeps the uploaded CSV and its result files here;
// Bulk 1.0 and query jobs keep their batches and results the same way.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::server::bulk {

class JobFiles {
public:
    /// `root` is created 0700 when missing. `durable`: Sync() of files made here fsyncs (off for
    /// in-memory orgs, where nothing is promised after exit).
    JobFiles(std::filesystem::path root, bool durable);

    const std::filesystem::path& Root() const { return root_; }
    bool Durable() const { return durable_; }
    /// `<root>/<job id>/<name>`; the job's directory is created (0700) when missing. Job ids and
    /// names are checked to be plain names (letters, digits, `_`, `-`, `.`, not starting with a
    /// dot): std::invalid_argument otherwise.
    std::filesystem::path PathOf(std::string_view job_id, std::string_view name) const;
    /// Removes the job's directory and everything in it (nothing when there is none).
    void Remove(std::string_view job_id) const;
    /// The job ids that have a directory, for sweeping leftovers.
    std::vector<std::string> JobIds() const;

private:
    std::filesystem::path root_;
    bool durable_;
};

/// A file opened for appending (created 0600, O_NOFOLLOW). Throws std::runtime_error on I/O
/// errors. Closes on destruction.
class AppendFile {
public:
    AppendFile(const std::filesystem::path& path, bool durable);
    ~AppendFile();
    AppendFile(const AppendFile&) = delete;
    AppendFile& operator=(const AppendFile&) = delete;

    void Append(std::string_view bytes);
    /// fsync (when durable): what was appended survives a crash.
    void Sync();
    /// Current size in bytes.
    std::uint64_t Size() const;
    /// Cuts the file back to `size` bytes (undoing appends whose transaction did not commit).
    void Truncate(std::uint64_t size);

private:
    int fd_ = -1;
    bool durable_;
    std::string path_;
};

/// Size of a file in bytes, 0 when it does not exist.
std::uint64_t FileSize(const std::filesystem::path& path);

}  // namespace sfkit::server::bulk
