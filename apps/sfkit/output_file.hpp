// Where a command's output goes: stdout, or a file written under a temporary name and moved into
// place only when the command succeeds (`sfkit query --output-file`, `sfkit bulk export`).
#pragma once

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "sfkit/core/error.hpp"

#include "table.hpp"

namespace sfkit::cli {
namespace output_detail {

/// The temporary output file, for the signal handler below (a path, or empty).
inline char g_temp_path[4096];
inline volatile std::sig_atomic_t g_has_temp = 0;

/// Ctrl-C (or kill) while writing --output-file: remove the temporary file, then die of the
/// same signal (exit status 128 + signal, as the shell expects).
inline void RemoveTempAndDie(int sig) {
    if (g_has_temp != 0) {
        ::unlink(g_temp_path);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace output_detail

/// stdout, or a file written under a temporary name and renamed over the target only when the
/// command succeeds, so that an existing file is never left half-written. Targets that are not
/// regular files (/dev/null, a FIFO, a symlink) are written directly.
class Output {
public:
    Output() = default;
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    ~Output() { Abort(); }

    Result<void> Open(const std::string& path) {
        path_ = path;
        if (path.empty()) {
            file_ = stdout;
            if (!StdoutIsTerminal()) {
                // Whole pages go out in large writes; each page is flushed (Flush).
                std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
            }
            return {};
        }
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
            file_ = std::fopen(path.c_str(), "w");
            if (file_ == nullptr) {
                return CannotWrite();
            }
            owned_ = true;
            return {};
        }
        std::string temp = path + ".sfkit-XXXXXX";
        const int fd = ::mkstemp(temp.data());
        if (fd < 0) {
            return CannotWrite();
        }
        // mkstemp makes the file 0600; give it the mode a plain create would.
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd, 0666 & ~mask);
        file_ = ::fdopen(fd, "w");
        if (file_ == nullptr) {
            ::close(fd);
            ::unlink(temp.c_str());
            return CannotWrite();
        }
        std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
        temp_ = std::move(temp);
        owned_ = true;
        if (temp_.size() < sizeof output_detail::g_temp_path) {
            std::memcpy(output_detail::g_temp_path, temp_.c_str(), temp_.size() + 1);
            output_detail::g_has_temp = 1;
            for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
                std::signal(sig, output_detail::RemoveTempAndDie);
            }
        }
        return {};
    }

    FILE* File() const { return file_; }
    bool ToFile() const { return !path_.empty(); }

    /// Pushes what has been written out (after each page); reports write errors (disk full, a
    /// closed pipe).
    Result<void> Flush() {
        if (std::fflush(file_) != 0 || std::ferror(file_) != 0) {
            return CannotWrite();
        }
        return {};
    }

    /// Finishes the output: closes the file and moves it into place.
    Result<void> Commit() {
        if (auto flushed = Flush(); !flushed) {
            return flushed;
        }
        if (owned_) {
            const int rc = std::fclose(file_);
            file_ = nullptr;
            owned_ = false;
            if (rc != 0) {
                return CannotWrite();
            }
        }
        if (!temp_.empty()) {
            if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
                return CannotWrite();
            }
            output_detail::g_has_temp = 0;
            temp_.clear();
        }
        return {};
    }

    /// Drops a half-written file (the target, if it existed, is left as it was).
    void Abort() {
        if (owned_ && file_ != nullptr) {
            std::fclose(file_);
        }
        owned_ = false;
        file_ = nullptr;
        if (!temp_.empty()) {
            output_detail::g_has_temp = 0;
            ::unlink(temp_.c_str());
            temp_.clear();
        }
    }

private:
    Error CannotWrite() const {
        return MakeError(
            ErrorKind::kIo,
            "CANNOT_WRITE_OUTPUT",
            (path_.empty() ? std::string("cannot write to stdout") : "cannot write " + path_) +
                ": " + std::strerror(errno));
    }

    std::string path_;
    std::string temp_;
    FILE* file_ = nullptr;
    bool owned_ = false;
};

}  // namespace sfkit::cli
