// TokenStore: per-alias login files with owner-only permissions, written atomically.
#include "sfkit/client/token_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

Error IoError(const std::string& what, int err) {
    return MakeError(ErrorKind::kIo, "IO_ERROR", what + ": " + std::strerror(err));
}

/// Creates `dir` (mode 0700) if missing, or tightens an existing one to 0700.
Result<void> EnsurePrivateDir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0) {
        if (errno != EEXIST) {
            return IoError("cannot create " + dir, errno);
        }
        struct stat st {};
        if (::lstat(dir.c_str(), &st) != 0) {
            return IoError("cannot inspect " + dir, errno);
        }
        if (!S_ISDIR(st.st_mode)) {
            return MakeError(ErrorKind::kIo, "IO_ERROR", dir + " exists and is not a directory");
        }
        if ((st.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
            return IoError("cannot restrict permissions of " + dir, errno);
        }
    }
    return {};
}

std::string Member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

TokenStore::TokenStore(std::string directory) : directory_(std::move(directory)) {}

Result<std::string> TokenStore::DefaultDirectory() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/sfkit";
    }
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] == '/') {
        return std::string(home) + "/.config/sfkit";
    }
    return MakeError(ErrorKind::kIo,
                     "NO_CONFIG_DIR",
                     "neither XDG_CONFIG_HOME nor HOME is set to an absolute path");
}

bool TokenStore::IsValidAlias(std::string_view alias) {
    if (alias.empty() || alias.size() > 64 || alias.front() == '.') {
        return false;
    }
    return std::all_of(alias.begin(), alias.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

std::string TokenStore::PathFor(std::string_view alias) const {
    return directory_ + "/logins/" + std::string(alias) + ".json";
}

Result<void> TokenStore::Save(const StoredLogin& login) const {
    if (!IsValidAlias(login.alias)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_ALIAS",
                         "alias '" + login.alias +
                             "' must be 1-64 characters of A-Z a-z 0-9 . _ - (not starting "
                             "with '.')");
    }
    // Parents of the sfkit directory (e.g. ~/.config) are created with the usual 0700 too.
    std::error_code ec;
    const fs::path parent = fs::path(directory_).parent_path();
    if (!parent.empty() && !fs::exists(parent, ec)) {
        fs::create_directories(parent, ec);
        if (ec) {
            return MakeError(ErrorKind::kIo,
                             "IO_ERROR",
                             "cannot create " + parent.string() + ": " + ec.message());
        }
    }
    if (auto r = EnsurePrivateDir(directory_); !r) {
        return r;
    }
    const std::string logins = directory_ + "/logins";
    if (auto r = EnsurePrivateDir(logins); !r) {
        return r;
    }

    json::object o;
    o["alias"] = login.alias;
    o["flow"] = login.flow;
    o["loginUrl"] = login.login_url;
    o["username"] = login.username;
    o["clientId"] = login.client_id;
    o["instanceUrl"] = login.token.instance_url;
    o["id"] = login.token.id;
    o["orgId"] = login.token.org_id;
    o["userId"] = login.token.user_id;
    o["issuedAt"] = login.token.issued_at;
    o["scope"] = login.token.scope;
    o["tokenType"] = login.token.token_type;
    o["accessToken"] = login.token.access_token;
    if (!login.token.refresh_token.empty()) {
        o["refreshToken"] = login.token.refresh_token;
    }
    if (!login.jwt_key_file.empty()) {
        o["jwtKeyFile"] = login.jwt_key_file;
    }
    if (!login.jwt_audience.empty()) {
        o["jwtAudience"] = login.jwt_audience;
    }
    const std::string text = codec::WriteJson(o, true) + "\n";

    const std::string target = PathFor(login.alias);
    const std::string temp = target + ".tmp." + std::to_string(::getpid());
    ::unlink(temp.c_str());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return IoError("cannot create " + temp, errno);
    }
    // The umask can only remove bits; make 0600 explicit anyway.
    bool ok = ::fchmod(fd, 0600) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        done += ok ? static_cast<std::size_t>(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), target.c_str()) != 0) {
        const int err = ok ? errno : saved_errno;
        ::unlink(temp.c_str());
        return IoError("cannot write " + target, err);
    }
    return {};
}

Result<StoredLogin> TokenStore::Load(std::string_view alias) const {
    if (!IsValidAlias(alias)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_ALIAS",
                         "'" + std::string(alias) + "' is not a valid alias");
    }
    const std::string path = PathFor(alias);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return MakeError(ErrorKind::kIo,
                         "NO_SUCH_ALIAS",
                         "no login is stored under alias '" + std::string(alias) + "'");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto parsed = codec::ParseJson(ss.str());
    if (!parsed || !parsed->is_object()) {
        return MakeError(ErrorKind::kIo,
                         "CORRUPT_LOGIN_FILE",
                         path + " is not a valid login file; log in again");
    }
    const auto& o = parsed->get_object();
    StoredLogin l;
    l.alias = std::string(alias);
    l.flow = Member(o, "flow");
    l.login_url = Member(o, "loginUrl");
    l.username = Member(o, "username");
    l.client_id = Member(o, "clientId");
    l.token.instance_url = Member(o, "instanceUrl");
    l.token.id = Member(o, "id");
    l.token.org_id = Member(o, "orgId");
    l.token.user_id = Member(o, "userId");
    l.token.issued_at = Member(o, "issuedAt");
    l.token.scope = Member(o, "scope");
    l.token.token_type = Member(o, "tokenType");
    l.token.access_token = Member(o, "accessToken");
    l.token.refresh_token = Member(o, "refreshToken");
    l.jwt_key_file = Member(o, "jwtKeyFile");
    l.jwt_audience = Member(o, "jwtAudience");
    if (l.token.access_token.empty() || l.token.instance_url.empty()) {
        return MakeError(ErrorKind::kIo,
                         "CORRUPT_LOGIN_FILE",
                         path + " lacks the access token or instance URL; log in again");
    }
    return l;
}

Result<void> TokenStore::Remove(std::string_view alias) const {
    if (!IsValidAlias(alias)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_ALIAS",
                         "'" + std::string(alias) + "' is not a valid alias");
    }
    const std::string path = PathFor(alias);
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) {
            return MakeError(ErrorKind::kIo,
                             "NO_SUCH_ALIAS",
                             "no login is stored under alias '" + std::string(alias) + "'");
        }
        return IoError("cannot remove " + path, errno);
    }
    return {};
}

std::vector<std::string> TokenStore::List() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(directory_ + "/logins", ec), end; !ec && it != end;
         it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() == ".json" && IsValidAlias(p.stem().string())) {
            out.push_back(p.stem().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace sfkit::client
