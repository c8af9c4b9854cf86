// The progress line of long commands (`sfkit query` into a file, `sfkit bulk ...`) on stderr:
// only when stderr is a terminal and --json is off, redrawn at most ten times a second, cleared
// when the command ends. Piped or with --json, nothing is printed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sfkit/client/bulk2.hpp"

namespace sfkit::cli {

/// 1234567 -> "1,234,567".
std::string Grouped(std::int64_t n);

class Progress {
public:
    using Clock = std::chrono::steady_clock;

    /// `title` starts the line ("Bulk insert Account", "Query").
    Progress(bool json, std::string title);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// Rows received or written so far (`of`: the total when known, else 0), with their rate.
    void Rows(const std::string& state, std::int64_t rows, std::int64_t of, bool force);

    void Uploaded(std::int64_t bytes, std::int64_t rows);
    void UploadFinished() { processing_start_ = Clock::now(); }
    void Job(const client::BulkJob& job);
    void Downloaded(std::int64_t rows);
    void StartDownload() { processing_start_ = Clock::now(); }

    /// Clears the line (also done by the destructor).
    void Done();

private:
    void Draw(const std::string& state, const std::string& detail, bool force);

    bool enabled_;
    std::string title_;
    bool drawn_ = false;
    std::int64_t rows_ = 0;
    Clock::time_point start_ = Clock::now();
    Clock::time_point processing_start_ = Clock::now();
    Clock::time_point last_{};
};

}  // namespace sfkit::cli
