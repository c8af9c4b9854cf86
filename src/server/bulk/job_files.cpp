// Per-job file area: owner-only directories and files under the org's data directory.
#include "server/bulk/job_files.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sfkit::server::bulk {
namespace {

void RequirePlainName(std::string_view name) {
    const bool ok = !name.empty() && name.size() <= 128 && name.front() != '.' &&
                    name.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_-.") == std::string_view::npos;
    if (!ok) {
        throw std::invalid_argument("not a plain file name: " + std::string(name));
    }
}

void MakeDir(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        throw std::runtime_error("cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw std::runtime_error(dir.string() + " is not a directory");
    }
}

[[noreturn]] void Fail(const std::string& what, const std::string& path) {
    throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

JobFiles::JobFiles(std::filesystem::path root, bool durable)
    : root_(std::move(root)), durable_(durable) {
    MakeDir(root_);
}

std::filesystem::path JobFiles::PathOf(std::string_view job_id, std::string_view name) const {
    RequirePlainName(job_id);
    RequirePlainName(name);
    const std::filesystem::path dir = root_ / std::string(job_id);
    MakeDir(dir);
    return dir / std::string(name);
}

void JobFiles::Remove(std::string_view job_id) const {
    RequirePlainName(job_id);
    std::error_code ec;
    std::filesystem::remove_all(root_ / std::string(job_id), ec);
}

std::vector<std::string> JobFiles::JobIds() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root_, ec)) {
        if (entry.is_directory(ec)) {
            out.push_back(entry.path().filename().string());
        }
    }
    return out;
}

AppendFile::AppendFile(const std::filesystem::path& path, bool durable)
    : durable_(durable), path_(path.string()) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        Fail("cannot open", path_);
    }
}

AppendFile::~AppendFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void AppendFile::Append(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            Fail("cannot write", path_);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void AppendFile::Sync() {
    if (durable_ && ::fdatasync(fd_) != 0) {
        Fail("cannot sync", path_);
    }
}

std::uint64_t AppendFile::Size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        Fail("cannot stat", path_);
    }
    return static_cast<std::uint64_t>(st.st_size);
}

void AppendFile::Truncate(std::uint64_t size) {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
        Fail("cannot truncate", path_);
    }
}

std::uint64_t FileSize(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::uint64_t>(size);
}

}  // namespace sfkit::server::bulk
