// Inflating gzip request bodies (see gzip_body.hpp).
#include "server/http/gzip_body.hpp"

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "server/http/message.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {
namespace {

constexpr std::size_t kStep = 1 << 16;

/// Feeds `next` (input pieces until it returns an empty view) through zlib's gzip inflater,
/// handing each inflated piece to `out`; the inflated size.
std::uint64_t Inflate(const std::function<std::string_view()>& next,
                      const std::function<void(std::string_view)>& out,
                      std::uint64_t max_bytes) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {  // 16: gzip wrapper
        throw std::runtime_error("zlib: inflateInit2 failed");
    }
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
    std::vector<unsigned char> buf(kStep);
    std::uint64_t total = 0;
    int rc = Z_OK;
    bool input_done = false;
    while (true) {
        if (z.avail_in == 0 && !input_done) {
            const std::string_view piece = next();
            if (piece.empty()) {
                input_done = true;
            } else {
                z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
                z.avail_in = static_cast<uInt>(piece.size());
            }
        }
        if (z.avail_in == 0 && input_done) {
            if (rc != Z_STREAM_END) {
                throw GzipBodyError("The gzip body ends before its data does", false);
            }
            return total;
        }
        if (rc == Z_STREAM_END) {
            // Another gzip member follows (concatenated members are one body).
            if (inflateReset(&z) != Z_OK) {
                throw GzipBodyError("The gzip body is malformed", false);
            }
        }
        z.next_out = buf.data();
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && z.avail_in == 0)) {
            throw GzipBodyError("The body is not valid gzip data", false);
        }
        const std::size_t got = buf.size() - z.avail_out;
        total += got;
        if (total > max_bytes) {
            throw GzipBodyError(
                "The inflated body is larger than " + std::to_string(max_bytes) + " bytes", true);
        }
        if (got > 0) {
            out(std::string_view(reinterpret_cast<const char*>(buf.data()), got));
        }
    }
}

}  // namespace

bool IsGzipBody(const Request& req) {
    const std::string* enc = req.Header("Content-Encoding");
    if (enc == nullptr || ToLowerAscii(*enc).find("gzip") == std::string::npos) {
        return false;
    }
    char magic[2] = {0, 0};
    if (req.body_file) {
        std::ifstream in(req.body_file->Path(), std::ios::binary);
        in.read(magic, 2);
    } else if (req.body.size() >= 2) {
        magic[0] = req.body[0];
        magic[1] = req.body[1];
    }
    return static_cast<unsigned char>(magic[0]) == 0x1f &&
           static_cast<unsigned char>(magic[1]) == 0x8b;
}

std::string GunzipText(std::string_view data, std::uint64_t max_bytes) {
    std::string out;
    bool given = false;
    Inflate(
        [&] {
            if (given) {
                return std::string_view();
            }
            given = true;
            return data;
        },
        [&](std::string_view piece) { out.append(piece); },
        max_bytes);
    return out;
}

std::uint64_t GunzipFile(const std::string& in, const std::string& out, std::uint64_t max_bytes) {
    std::ifstream src(in, std::ios::binary);
    if (!src) {
        throw std::runtime_error("cannot read " + in);
    }
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + out);
    }
    std::string chunk(kStep, '\0');
    try {
        const std::uint64_t n = Inflate(
            [&] {
                src.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                return std::string_view(chunk.data(), static_cast<std::size_t>(src.gcount()));
            },
            [&](std::string_view piece) {
                while (!piece.empty()) {
                    const ssize_t w = ::write(fd, piece.data(), piece.size());
                    if (w < 0) {
                        throw std::runtime_error("cannot write " + out);
                    }
                    piece.remove_prefix(static_cast<std::size_t>(w));
                }
            },
            max_bytes);
        ::close(fd);
        return n;
    } catch (...) {
        ::close(fd);
        ::unlink(out.c_str());
        throw;
    }
}

}  // namespace sfkit::server
