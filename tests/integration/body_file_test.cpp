// Request bodies streamed to a file as they arrive (RequestLimits::body_to_file), against a real
// socket: the body lands in a 0600 file the handler gets as Request::body_file, under the route's
// own limit, in constant memory; refused or abandoned bodies leave no file behind; other routes
// keep their bodies in memory under the usual limit.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "server/net/http_server.hpp"
#include "server/net/request_reader.hpp"
#include "support/process_memory.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"

namespace sfkit::server {
namespace {

/// Deterministic body byte at offset `i` (so a 150 MB body is generated, never stored).
char BodyByte(std::uint64_t i) {
    return static_cast<char>('a' + (i * 7 + i / 4096) % 26);
}

/// FNV-1a over the generated body of `n` bytes, or over a file's bytes.
std::uint64_t Fnv(std::uint64_t h, char c) {
    return (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
}
std::uint64_t GeneratedHash(std::uint64_t n) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::uint64_t i = 0; i < n; ++i) {
        h = Fnv(h, BodyByte(i));
    }
    return h;
}
std::uint64_t FileHash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::uint64_t h = 1469598103934665603ull;
    std::string buf(1 << 16, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        for (std::streamsize k = 0; k < in.gcount(); ++k) {
            h = Fnv(h, buf[static_cast<std::size_t>(k)]);
        }
    }
    return h;
}

std::size_t FilesIn(const std::string& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) {
        ++n;
    }
    return n;
}

/// Waits up to 3 s for `dir` to be empty (a connection's end is noticed asynchronously).
bool BecomesEmpty(const std::string& dir) {
    for (int i = 0; i < 300; ++i) {
        if (FilesIn(dir) == 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

class BodyFileTest : public ::testing::Test {
protected:
    static constexpr std::uint64_t kFileLimit = 150ull * 1024 * 1024;

    void SetUp() override {
        HttpServerOptions o;
        o.port = 0;
        o.threads = 2;
        o.max_body_bytes = 1024;  // bodies kept in memory stay small
        o.body_to_file = [dir = dir_.Path()](const Request& head) -> std::optional<BodyFileTarget> {
            if (head.path == "/upload") {
                return BodyFileTarget{dir, kFileLimit};
            }
            return std::nullopt;
        };
        server_ = std::make_unique<HttpServer>(o, [this](const Request& req) {
            Response r;
            r.SetHeader("Content-Type", "text/plain");
            if (req.body_file) {
                struct stat st {};
                ::stat(req.body_file->Path().c_str(), &st);
                r.body = "file size=" + std::to_string(req.body_file->Size()) +
                         " disk=" + std::to_string(st.st_size) +
                         " mode=" + std::to_string(st.st_mode & 0777) +
                         " hash=" + std::to_string(FileHash(req.body_file->Path())) +
                         " memory=" + std::to_string(req.body.size());
                if (req.path == "/upload" && req.query == "keep") {
                    kept_ = dir_.Path() + "/kept";
                    req.body_file->MoveTo(kept_);
                }
            } else {
                r.body = "memory body=" + req.body;
            }
            return r;
        });
        server_->Start();
    }
    void TearDown() override { server_->Stop(); }

    test::TempDir dir_;
    std::string kept_;
    std::unique_ptr<HttpServer> server_;
};

std::string Expected(std::uint64_t n) {
    return "file size=" + std::to_string(n) + " disk=" + std::to_string(n) +
           " mode=384 hash=" + std::to_string(GeneratedHash(n)) + " memory=0";
}

TEST_F(BodyFileTest, StreamsA150MegabyteBodyToAFileInBoundedMemory) {
    const std::uint64_t n = kFileLimit;
    ASSERT_TRUE(test::ResetPeakRss());
    const long before = test::StatusKb("VmRSS");
    test::RawConnection c(server_->Port());
    c.Send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Type: text/csv\r\nContent-Length: " +
           std::to_string(n) + "\r\n\r\n");
    std::string piece(1 << 16, '\0');
    for (std::uint64_t sent = 0; sent < n;) {
        const std::size_t k =
            static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), n - sent));
        for (std::size_t j = 0; j < k; ++j) {
            piece[j] = BodyByte(sent + j);
        }
        c.Send(std::string_view(piece.data(), k));
        sent += k;
    }
    const auto r = c.Read();
    const long peak = test::StatusKb("VmHWM");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, Expected(n));
    // The whole process (server and this client) grew by far less than the body.
    EXPECT_LT(peak - before, 32 * 1024) << "VmRSS before " << before << " kB, peak " << peak;
    EXPECT_TRUE(BecomesEmpty(dir_.Path())) << "the body file outlived the request";
}

TEST_F(BodyFileTest, ChunkedBodiesStreamToAFile) {
    test::RawConnection c(server_->Port());
    std::string body;
    for (std::uint64_t i = 0; i < 5000; ++i) {
        body += BodyByte(i);
    }
    std::string req = "PUT /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += 1500) {
        const auto part = body.substr(at, 1500);
        char size[16];
        std::snprintf(size, sizeof size, "%zx", part.size());
        req += std::string(size) + "\r\n" + part + "\r\n";
    }
    req += "0\r\n\r\n";
    const auto r = c.Exchange(req);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, Expected(5000));
    // The connection stays usable, and another route still reads into memory.
    const auto m = c.Exchange("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
    EXPECT_EQ(m.body, "memory body=abc");
    EXPECT_TRUE(BecomesEmpty(dir_.Path()));
}

TEST_F(BodyFileTest, AHandlerKeepsTheFileWithMoveTo) {
    test::RawConnection c(server_->Port());
    const auto r =
        c.Exchange("PUT /upload?keep HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabcdefghij");
    EXPECT_EQ(r.status, 200);
    std::ifstream in(kept_);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "abcdefghij");
    EXPECT_EQ(FilesIn(dir_.Path()), 1u);  // only the kept one
}

TEST_F(BodyFileTest, ABodyBeyondTheRouteLimitGets413AndNoFile) {
    {
        test::RawConnection c(server_->Port());
        const auto r = c.Exchange("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                                  std::to_string(kFileLimit + 1) + "\r\n\r\n");
        EXPECT_EQ(r.status, 413);
        EXPECT_EQ(
            r.body,
            R"([{"errorCode":"REQUEST_ENTITY_TOO_LARGE","message":"Request entity is too large"}])");
    }
    EXPECT_TRUE(BecomesEmpty(dir_.Path()));
    // The in-memory limit still applies elsewhere, and the file route's limit is its own.
    {
        test::RawConnection c(server_->Port());
        const auto r =
            c.Exchange("POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n");
        EXPECT_EQ(r.status, 413);
    }
    {
        test::RawConnection c(server_->Port());
        const auto r =
            c.Exchange("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n" +
                       std::string(2000, 'x'));
        EXPECT_EQ(r.status, 200);
    }
}

TEST_F(BodyFileTest, AChunkedBodyBeyondTheLimitGets413AndTheFileIsRemoved) {
    // A small limit through the reader itself: chunk by chunk the file grows, then the chunk
    // that crosses the limit is refused and the partial file removed.
    const BodyFileRoute route = [this](const Request&) {
        return std::optional<BodyFileTarget>(BodyFileTarget{dir_.Path(), 100});
    };
    RequestLimits limits;
    limits.body_to_file = &route;
    RequestReader reader(limits);
    std::string pending;  // what the reader has not consumed yet, as the server keeps it
    const auto feed = [&](const std::string& bytes) {
        pending += bytes;
        pending.erase(0, reader.Feed(pending));
    };
    feed("PUT /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
    feed("40\r\n" + std::string(64, 'a') + "\r\n");
    EXPECT_FALSE(reader.Failed());
    EXPECT_EQ(FilesIn(dir_.Path()), 1u);  // the body is being written
    feed("40\r\n" + std::string(64, 'b') + "\r\n");
    ASSERT_TRUE(reader.Failed());
    ASSERT_TRUE(reader.Answer());
    EXPECT_EQ(reader.Answer()->status, 413);
    EXPECT_EQ(FilesIn(dir_.Path()), 0u);
}

TEST_F(BodyFileTest, AClientThatDisconnectsMidBodyLeavesNoFile) {
    {
        test::RawConnection c(server_->Port());
        c.Send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n" +
               std::string(300000, 'x'));
        // Wait until the server has started the file, then go away.
        for (int i = 0; i < 300 && FilesIn(dir_.Path()) == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_EQ(FilesIn(dir_.Path()), 1u);
    }
    EXPECT_TRUE(BecomesEmpty(dir_.Path()));
}

TEST_F(BodyFileTest, AnUnwritableDirectoryGets500NotACrash) {
    const BodyFileRoute route = [](const Request&) {
        return std::optional<BodyFileTarget>(BodyFileTarget{"/nonexistent-sfkit-dir", 100});
    };
    RequestLimits limits;
    limits.body_to_file = &route;
    const auto r =
        ReadRequest("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", limits);
    ASSERT_TRUE(r.answer);
    EXPECT_EQ(r.answer->status, 500);
    EXPECT_FALSE(r.request);
}

TEST_F(BodyFileTest, BodylessRequestsAreNotAskedAbout) {
    int asked = 0;
    const BodyFileRoute route = [&](const Request&) {
        ++asked;
        return std::optional<BodyFileTarget>(BodyFileTarget{dir_.Path(), 100});
    };
    RequestLimits limits;
    limits.body_to_file = &route;
    const auto r = ReadRequest("GET /upload HTTP/1.1\r\nHost: h\r\n\r\n", limits);
    ASSERT_TRUE(r.request);
    EXPECT_FALSE(r.request->body_file);
    EXPECT_EQ(asked, 0);
}

}  // namespace
}  // namespace sfkit::server
