// The progress line on stderr (see progress.hpp).
#include "progress.hpp"

#include <algorithm>
#include <cstdio>

#include <unistd.h>

namespace sfkit::cli {
namespace {

using Clock = Progress::Clock;

std::string Megabytes(std::int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

std::string Rate(std::int64_t rows, Clock::time_point since) {
    const double s = std::chrono::duration<double>(Clock::now() - since).count();
    if (s < 0.2 || rows <= 0) {
        return {};
    }
    return ", " + Grouped(static_cast<std::int64_t>(static_cast<double>(rows) / s)) + " rows/s";
}

std::string Bar(std::int64_t done, std::int64_t total) {
    constexpr int kWidth = 20;
    const int filled =
        total > 0 ? static_cast<int>(std::min<std::int64_t>(done, total) * kWidth / total) : 0;
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(kWidth - filled), '.') + "]";
}

}  // namespace

std::string Grouped(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

Progress::Progress(bool json, std::string title)
    : enabled_(!json && ::isatty(STDERR_FILENO) == 1), title_(std::move(title)) {}

Progress::~Progress() {
    Done();
}

void Progress::Rows(const std::string& state, std::int64_t rows, std::int64_t of, bool force) {
    if (!enabled_) {
        return;
    }
    std::string detail = Grouped(rows) + (of > 0 ? " of " + Grouped(of) : std::string()) + " rows";
    if (of > 0) {
        detail = Bar(rows, of) + " " + detail;
    }
    Draw(state, detail + Rate(rows, start_), force);
}

void Progress::Uploaded(std::int64_t bytes, std::int64_t rows) {
    rows_ = rows;
    Draw("Uploading",
         Grouped(rows) + " rows (" + Megabytes(bytes) + ")" + Rate(rows, start_),
         false);
}

void Progress::Job(const client::BulkJob& job) {
    if (!enabled_) {
        return;
    }
    std::string detail = "processed " + Grouped(job.records_processed);
    if (job.operation != "query" && job.operation != "queryAll") {
        detail += ", failed " + Grouped(job.records_failed);
    }
    if (rows_ > 0) {
        detail = Bar(job.records_processed, rows_) + " " + detail;
    }
    Draw(job.state, detail + Rate(job.records_processed, processing_start_), true);
}

void Progress::Downloaded(std::int64_t rows) {
    Draw("Downloading", Grouped(rows) + " rows" + Rate(rows, processing_start_), true);
}

void Progress::Done() {
    if (enabled_ && drawn_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        drawn_ = false;
    }
}

void Progress::Draw(const std::string& state, const std::string& detail, bool force) {
    if (!enabled_) {
        return;
    }
    const auto now = Clock::now();
    if (!force && drawn_ && now - last_ < std::chrono::milliseconds(100)) {
        return;
    }
    last_ = now;
    drawn_ = true;
    std::fprintf(stderr, "\r\033[K%s  %s  %s", title_.c_str(), state.c_str(), detail.c_str());
    std::fflush(stderr);
}

}  // namespace sfkit::cli
