// Plain HTTP request/response structs shared by the network layer and every handler.
// Deliberately free of Boost.Beast so that handler TUs compile fast.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/form.hpp"

namespace sfkit::server {

struct HttpHeader {
    std::string name;
    std::string value;
};

/// Case-insensitive ASCII comparison, as HTTP header names need.
bool IEquals(std::string_view a, std::string_view b) noexcept;

/// A request body the HTTP server wrote to a file as it arrived instead of keeping it in memory
/// (for a route that declares Route::body_file_limit). The file is created 0600 in the directory
/// the org chose and removed when the last Request holding it goes away, unless a handler kept
/// it with MoveTo. Thread-compatible: one handler uses it at a time.
class BodyFile {
public:
    explicit BodyFile(std::string path) : path_(std::move(path)) {}
    ~BodyFile();
    BodyFile(const BodyFile&) = delete;
    BodyFile& operator=(const BodyFile&) = delete;

    const std::string& Path() const noexcept { return path_; }
    /// Body bytes in the file (de-chunked).
    std::uint64_t Size() const noexcept { return size_; }
    void SetSize(std::uint64_t n) noexcept { size_ = n; }
    /// Renames the file to `dest` (same file system) and stops owning it. False (errno-style
    /// message in `error`) when the rename fails; the file then stays owned and removed later.
    bool MoveTo(const std::string& dest, std::string* error = nullptr);

private:
    std::string path_;
    std::uint64_t size_ = 0;
    bool owned_ = true;
};

/// Where a request's body goes instead of memory: a new file in `directory`, refused with 413
/// beyond `max_bytes`.
struct BodyFileTarget {
    std::string directory;
    std::uint64_t max_bytes = 0;
};

struct Request;
/// Asked once a request's header is complete and a body follows (`head` has no body yet):
/// a target streams the body to a file, nullopt keeps it in memory under the usual limit.
using BodyFileRoute = std::function<std::optional<BodyFileTarget>(const Request& head)>;

struct Request {
    std::string method;               ///< upper case, e.g. "GET"
    std::string target;               ///< raw request target (path + query)
    std::string path;                 ///< percent-decoded path, without the query
    std::string query;                ///< raw query string after '?', may be empty
    std::vector<HttpHeader> headers;  ///< in arrival order
    std::string body;                 ///< de-chunked body (empty when body_file is set)
    /// The de-chunked body as a file, for routes whose body streams to disk (else null).
    std::shared_ptr<BodyFile> body_file;
    std::string remote_ip;  ///< peer address as text
    bool secure = false;    ///< arrived over TLS

    /// First header with that name (case-insensitive), or nullptr.
    const std::string* Header(std::string_view name) const noexcept;
    /// Decoded query parameter (`+` → space), first occurrence.
    std::optional<std::string> QueryParam(std::string_view name) const;
    /// "http://host:port" as the client addressed us (Host header; falls back to `fallback`).
    std::string BaseUrl(std::string_view fallback) const;
};

/// A region of a file sent as part of a response body without being loaded: the HTTP server
/// reads and writes it in 64 KiB pieces, and Content-Length counts it. The file is opened when
/// the region is made, so a file removed or renamed afterwards is still sent as it was; the
/// descriptor closes with the last owner. The bytes are sent as they are: the dispatcher's
/// UTF-8 repair of text bodies (LocalOrg) sees only Response::body, so a handler sends only
/// files it wrote as valid UTF-8 itself (the Bulk API's result CSVs).
class FileRegion {
public:
    /// Opens `path` read-only for `length` bytes from `offset`; nullptr when it cannot be opened
    /// or is shorter than offset + length.
    static std::shared_ptr<const FileRegion> Open(const std::string& path,
                                                  std::uint64_t offset,
                                                  std::uint64_t length);
    ~FileRegion();
    FileRegion(const FileRegion&) = delete;
    FileRegion& operator=(const FileRegion&) = delete;

    int Fd() const noexcept { return fd_; }
    std::uint64_t Offset() const noexcept { return offset_; }
    std::uint64_t Length() const noexcept { return length_; }

private:
    FileRegion(int fd, std::uint64_t offset, std::uint64_t length)
        : fd_(fd), offset_(offset), length_(length) {}
    int fd_;
    std::uint64_t offset_;
    std::uint64_t length_;
};

struct Response {
    int status = 200;
    std::vector<HttpHeader> headers;
    std::string body;
    /// Sent after `body`, in order, streamed from their files (large downloads: Bulk results).
    std::vector<std::shared_ptr<const FileRegion>> body_files;
    /// Set by a handler whose answer needs slow blocking work (argon2id password checks): the
    /// HTTP server runs it on its bounded blocking pool, off the I/O threads, and sends what it
    /// returns instead of this response (see docs/architecture.md "Blocking work").
    std::function<Response()> deferred;
    /// Set by a dispatcher for a request whose handling mostly waits rather than computes (a
    /// durable write waiting for its group commit): the HTTP server calls it with the same
    /// request on its write pool (many threads), so the I/O thread serves other connections and
    /// many writes wait for one commit together. What it returns may itself be `deferred` (see
    /// docs/architecture.md "Blocking work").
    std::function<Response(const Request&)> waits_for_commit;

    /// Replaces any header of that name.
    void SetHeader(std::string_view name, std::string value);
    const std::string* Header(std::string_view name) const noexcept;
};

/// True when `host` is a Host header value RFC 9110 allows: an IP literal in brackets, or a
/// reg-name / IPv4 address (unreserved characters, sub-delims, percent escapes), optionally
/// followed by `:` and a decimal port. Anything else (paths, quotes, spaces, bytes >= 0x80) is
/// refused before it can reach an URL the server writes back (instance_url, serverUrl).
bool IsValidHostHeader(std::string_view host) noexcept;

/// What a `Transfer-Encoding` header value asks for: 0 when it is one `chunked` coding (the only
/// one the server decodes), 400 when `chunked` is not the last coding (the body length cannot be
/// known; RFC 9112 6.3), 501 when it names a coding the server does not implement (RFC 9112 6.1).
int TransferEncodingStatus(std::string_view value) noexcept;

/// Form and percent decoding (codec/form.hpp), under the names the server has always used.
using codec::ParseForm;
using codec::PercentDecode;

}  // namespace sfkit::server
