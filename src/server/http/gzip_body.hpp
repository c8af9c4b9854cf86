// Request bodies sent with `Content-Encoding: gzip` (the Bulk APIs accept compressed uploads):
// inflated in 64 KiB steps, from memory or from a body file to another file, so memory stays
// constant whatever the size, and refused past a limit on the inflated size. zlib stays in the
// .cpp.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sfkit::server {

struct Request;

/// The body is not gzip data, or inflates past the limit (`too_large`).
class GzipBodyError : public std::runtime_error {
public:
    GzipBodyError(const std::string& what, bool too_large)
        : std::runtime_error(what), too_large(too_large) {}
    bool too_large;
};

/// True when the request says `Content-Encoding: gzip` (any case) and its body starts with the
/// gzip magic bytes. A body that says gzip but is not (no 1f 8b: some clients set the header on
/// plain bodies) is read as sent.
bool IsGzipBody(const Request& req);

/// Inflates `data` (one or more gzip members); throws GzipBodyError.
std::string GunzipText(std::string_view data, std::uint64_t max_bytes);

/// Inflates the file `in` into the new file `out` (0600, replaced if present); the inflated
/// size. Throws GzipBodyError (then `out` is removed) or std::runtime_error for I/O errors.
std::uint64_t GunzipFile(const std::string& in, const std::string& out, std::uint64_t max_bytes);

}  // namespace sfkit::server
