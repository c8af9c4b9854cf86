// The HTTP layer on its own: keep-alive, chunked bodies, limits, HEAD, against a real socket.
#include "server/net/http_server.hpp"

#include <gtest/gtest.h>

#include "support/raw_http.hpp"

namespace sfkit::server {
namespace {

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        HttpServerOptions o;
        o.port = 0;
        o.threads = 2;
        o.max_body_bytes = 1024;
        o.max_header_bytes = 2048;
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

}  // namespace
}  // namespace sfkit::server
