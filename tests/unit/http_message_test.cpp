// The plain HTTP helpers the network layer uses to refuse framing it must not pass on: Host
// header values and Transfer-Encoding lists.
#include <gtest/gtest.h>

#include "server/http/message.hpp"

namespace sfkit::server {
namespace {

TEST(HostHeader, NamesAddressesAndPortsAreAccepted) {
    for (const char* ok : {"h",
                           "127.0.0.1",
                           "127.0.0.1:8080",
                           "acme.my.salesforce.com",
                           "localhost:1717",
                           "[::1]",
                           "[::1]:8443",
                           "xn--bcher-kva.example",
                           "a_b-c~d.test",
                           "host%20name"}) {
        EXPECT_TRUE(IsValidHostHeader(ok)) << ok;
    }
}

TEST(HostHeader, WhatCannotBeAHostIsRefused) {
    for (const char* bad : {"",
                            "\xff\xfe",
                            "a\"b</x>",
                            "evil.test/x?y",
                            "a b",
                            "h:",
                            ":80",
                            "h:80x",
                            "h:123456",
                            "[::1",
                            "[]",
                            "[::1]x",
                            "[::1]:",
                            "a@b",
                            "h\r\nX: y",
                            "[zz::1]"}) {
        EXPECT_FALSE(IsValidHostHeader(bad)) << bad;
    }
}

TEST(TransferEncoding, OneChunkedCodingIsAllTheServerDecodes) {
    EXPECT_EQ(TransferEncodingStatus("chunked"), 0);
    EXPECT_EQ(TransferEncodingStatus(" Chunked "), 0);
    // chunked not last: the body's end cannot be found.
    EXPECT_EQ(TransferEncodingStatus("chunked, gzip"), 400);
    EXPECT_EQ(TransferEncodingStatus("gzip"), 400);
    EXPECT_EQ(TransferEncodingStatus("identity"), 400);
    EXPECT_EQ(TransferEncodingStatus("xchunked"), 400);
    EXPECT_EQ(TransferEncodingStatus(""), 400);
    EXPECT_EQ(TransferEncodingStatus("chunked, chunked"), 400);
    // A coding before the final chunked that the server cannot undo.
    EXPECT_EQ(TransferEncodingStatus("gzip, chunked"), 501);
}

}  // namespace
}  // namespace sfkit::server
