// The HTTP layer on its own: keep-alive, chunked bodies, limits, HEAD, against a real socket.
#include "server/net/http_server.hpp"

#include <chrono>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "support/raw_http.hpp"

namespace sfkit::server {
namespace {

using Clock = std::chrono::steady_clock;

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override { Start({}); }
    /// (Re)starts the server; `tune` adjusts the options the fixture uses.
    void Start(std::function<void(HttpServerOptions&)> tune) {
        if (server_) {
            server_->Stop();
        }
        HttpServerOptions o;
        o.port = 0;
        o.threads = 2;
        o.max_body_bytes = 1024;
        o.max_header_bytes = 2048;
        if (tune) {
            tune(o);
        }
        server_ = std::make_unique<HttpServer>(o, [](const Request& req) {
            Response r;
            r.SetHeader("Content-Type", "text/plain");
            r.body = req.method + " " + req.path + " q=" + req.query + " body=" + req.body;
            return r;
        });
        server_->Start();
    }
    void TearDown() override { server_->Stop(); }
    std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    test::RawConnection c(server_->Port());
    for (int i = 0; i < 3; ++i) {
        auto r = c.Exchange("GET /a%20b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, "GET /a b q=x=1 body=");
    }
}

TEST_F(HttpServerTest, ReadsChunkedBodies) {
    test::RawConnection c(server_->Port());
    auto r = c.Exchange(
        "POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "POST /t q= body=abcde");
}

TEST_F(HttpServerTest, OversizedBodyGets413) {
    test::RawConnection c(server_->Port());
    auto r = c.Exchange("POST /t HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("\"errorCode\""), std::string::npos);
}

TEST_F(HttpServerTest, OversizedHeadersGet431) {
    test::RawConnection c(server_->Port());
    auto r =
        c.Exchange("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    EXPECT_EQ(r.status, 431);
}

TEST_F(HttpServerTest, HeadHasNoBodyButLength) {
    test::RawConnection c(server_->Port());
    auto r = c.Exchange("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n", /*head=*/true);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.Header("Content-Length"), std::to_string(std::string("HEAD /x q= body=").size()));
}

TEST_F(HttpServerTest, ExpectContinueIsHonoured) {
    test::RawConnection c(server_->Port());
    auto interim = c.Exchange(
        "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(interim.status, 100);
    c.Send("xyz");
    auto r = c.Read();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "POST /e q= body=xyz");
}

TEST_F(HttpServerTest, GarbageGets400AndServerStaysUp) {
    {
        test::RawConnection c(server_->Port());
        auto r = c.Exchange("THIS IS NOT HTTP\r\n\r\n");
        EXPECT_EQ(r.status, 400);
    }
    test::RawConnection c2(server_->Port());
    EXPECT_EQ(c2.Exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status, 200);
}

/// The answer to malformed framing: 400, a Salesforce-shaped JSON body, and the connection
/// closed after it.
void ExpectMalformedAnswer(test::RawConnection& c, std::string_view request) {
    auto r = c.Exchange(request);
    EXPECT_EQ(r.status, 400) << request;
    EXPECT_EQ(r.body, R"([{"errorCode":"BAD_REQUEST","message":"Malformed HTTP request"}])");
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    EXPECT_EQ(r.Header("Connection"), "close");
    EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, MalformedChunkSizesGet400) {
    for (const char* chunks : {"zz\r\nabc\r\n0\r\n\r\n",                  // not hex
                               "ffffffffffffffffff\r\nabc\r\n0\r\n\r\n",  // overflows 64 bits
                               "3\r\nabcXY0\r\n\r\n",                     // no CRLF after the data
                               "3;\x01\r\nabc\r\n0\r\n\r\n"}) {           // bad extension
        test::RawConnection c(server_->Port());
        ExpectMalformedAnswer(
            c,
            std::string("POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n") +
                chunks);
    }
    // A chunk larger than the body limit is "too large", not malformed.
    test::RawConnection big(server_->Port());
    auto r =
        big.Exchange("POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n");
    EXPECT_EQ(r.status, 413);
    test::RawConnection after(server_->Port());
    EXPECT_EQ(after.Exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, MalformedBodyAfter100ContinueGets400) {
    test::RawConnection c(server_->Port());
    auto interim = c.Exchange(
        "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
        "Expect: 100-continue\r\n\r\n");
    EXPECT_EQ(interim.status, 100);
    ExpectMalformedAnswer(c, "g\r\n");
}

// The header timeout (connections that send nothing, headers trickling in) is tested through
// `sfkit serve --header-timeout` in slow_client_test.cpp.

TEST_F(HttpServerTest, KeptAliveConnectionIsClosedAfterKeepAliveTimeout) {
    Start([](HttpServerOptions& o) {
        o.header_timeout = std::chrono::seconds(1);
        o.keep_alive_timeout = std::chrono::seconds(3);
    });
    test::RawConnection c(server_->Port());
    EXPECT_EQ(c.Exchange("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").status, 200);
    // Idle longer than the header timeout but within the keep-alive timeout: still served.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(c.Exchange("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").status, 200);
    const auto start = Clock::now();
    EXPECT_TRUE(c.Closed(6000));
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(2500));
}

}  // namespace
}  // namespace sfkit::server
