// HTTP framing: request lines, versions, methods, header syntax and size, Content-Length and
// Transfer-Encoding, chunk sizes. Sent byte for byte; the HTTP layer answers before any route.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {
namespace {

using F = ExpectedAfterFix;

Case Bad(std::string name, std::string raw, F fix = F::kNone) {
    return {std::move(name), std::move(raw), 400, Shape::kRestError, "BAD_REQUEST", fix};
}

/// A request head on /services/data with `extra` header lines (each ending in CRLF).
std::string Head(const std::string& extra,
                 const std::string& line = "GET /services/data HTTP/1.1") {
    return line + "\r\nHost: h\r\n" + extra + "\r\n";
}

/// A chunked POST to the token endpoint whose body is `chunks` (raw).
std::string Chunked(const std::string& chunks) {
    return "POST /services/oauth2/token HTTP/1.1\r\nHost: h\r\n"
           "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" +
           chunks;
}

}  // namespace

std::vector<Case> HttpFramingCases() {
    std::vector<Case> c;
    // Request lines that are not HTTP/1.x.
    c.push_back(Bad("not_http", "THIS IS NOT HTTP\r\n\r\n"));
    c.push_back(Bad("http09_request_line", "GET /services/data\r\n\r\n"));
    c.push_back(Bad("http09_bare_line", "GET /\r\n"));
    c.push_back(Bad("http2_preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    c.push_back(Bad("version_3_0", Head("", "GET /services/data HTTP/3.0")));
    c.push_back(Bad("version_1_2", Head("", "GET /services/data HTTP/1.2")));
    c.push_back(Bad("version_2_0", Head("", "GET /services/data HTTP/2.0")));
    c.push_back(Bad("version_9_9", Head("", "GET /services/data HTTP/9.9")));
    c.push_back(Bad("version_lowercase", Head("", "GET /services/data http/1.1")));
    c.push_back(Bad("version_wrong_protocol", Head("", "GET /services/data HTTX/1.1")));
    c.push_back(Bad("version_missing_minor", Head("", "GET /services/data HTTP/1")));
    c.push_back(Bad("version_trailing_space", Head("", "GET /services/data HTTP/1.1 ")));
    c.push_back(Bad("empty_request", "\r\n\r\n"));
    c.push_back(Bad("only_blank_lines_then_request",
                    "\r\n\r\n\r\n\r\nGET /services/data HTTP/1.1\r\nHost: h\r\n\r\n"));
    c.push_back(Bad("missing_target", Head("", "GET  HTTP/1.1")));
    c.push_back(Bad("double_space_before_target", Head("", "GET  /services/data HTTP/1.1")));
    c.push_back(Bad("tabs_as_separators", Head("", "GET\t/services/data\tHTTP/1.1")));
    c.push_back(Bad("space_inside_target", Head("", "GET /services/ data HTTP/1.1")));
    c.push_back(
        Bad("nul_inside_target", Head("", std::string("GET /services/\0data HTTP/1.1", 28))));
    c.push_back(Bad("lf_only_line_endings", "GET /services/data HTTP/1.1\nHost: h\n\n"));
    c.push_back(Bad("cr_only_line_endings", "GET /services/data HTTP/1.1\rHost: h\r\r"));
    c.push_back(Bad("method_with_control_byte", Head("", "G\x01T /services/data HTTP/1.1")));
    c.push_back(Bad("method_with_high_byte",
                    Head("",
                         "G\xff"
                         "T /services/data HTTP/1.1")));
    c.push_back(Bad("method_empty", Head("", " /services/data HTTP/1.1")));

    // Methods no route has: 405 with the route's allowed methods.
    for (const char* m : {"FOOBAR", "get", "TRACE", "CONNECT", "PROPFIND", "M-SEARCH"}) {
        c.push_back({std::string("absurd_method_") + (m[0] == 'M' && m[1] == '-' ? "MSEARCH" : m),
                     Head("", std::string(m) + " /services/data HTTP/1.1"),
                     405,
                     Shape::kRestError,
                     "METHOD_NOT_ALLOWED"});
    }
    c.push_back({"absurd_method_5000_chars",
                 Head("", std::string(5000, 'A') + " /services/data HTTP/1.1"),
                 405,
                 Shape::kRestError,
                 "METHOD_NOT_ALLOWED"});
    c.push_back({"put_on_record",
                 Request("PUT", std::string(kApi) + "/sobjects/Account/{ID}", {kJson}, "{}"),
                 405,
                 Shape::kRestError,
                 "METHOD_NOT_ALLOWED"});

    // Header syntax.
    c.push_back(Bad("header_without_colon", Head("NoColonHere\r\n")));
    c.push_back(Bad("header_name_with_space", Head("Bad Name: x\r\n")));
    c.push_back(Bad("header_space_before_colon", Head("X-A : x\r\n")));
    c.push_back(Bad("header_empty_name", Head(": x\r\n")));
    c.push_back(Bad("header_value_nul", Head(std::string("X-A: a\0b\r\n", 10))));
    c.push_back(Bad("header_value_control_byte",
                    Head("X-A: a\x01"
                         "b\r\n")));
    c.push_back(Bad("header_value_escape_byte", Head("X-A: a\x1b[31mb\r\n")));
    c.push_back(Bad("header_name_high_byte", Head("X-\xff: a\r\n")));
    c.push_back(Bad("header_name_utf8", Head("X-\xc3\xa9: a\r\n")));
    c.push_back(Bad("header_bare_cr_in_value", Head("X-A: a\rb\r\n")));
    c.push_back(Bad("header_name_with_slash", Head("X/A: a\r\n")));

    // Sizes: header block and URL over 64 KiB -> 431; bodies over the limit -> 413.
    c.push_back({"huge_header_value",
                 Head("X-Big: " + std::string(70 * 1024, 'a') + "\r\n"),
                 431,
                 Shape::kRestError,
                 "REQUEST_HEADER_FIELDS_TOO_LARGE"});
    {
        std::string many;
        for (int i = 0; i < 10000; ++i) {
            many += "X-" + std::to_string(i) + ": v\r\n";
        }
        c.push_back({"ten_thousand_headers",
                     Head(many),
                     431,
                     Shape::kRestError,
                     "REQUEST_HEADER_FIELDS_TOO_LARGE"});
    }
    c.push_back({"huge_url",
                 Head("", "GET /services/data?" + std::string(70 * 1024, 'a') + " HTTP/1.1"),
                 431,
                 Shape::kRestError,
                 "REQUEST_HEADER_FIELDS_TOO_LARGE"});
    c.push_back({"huge_path",
                 Head("", "GET /" + std::string(70 * 1024, 'p') + " HTTP/1.1"),
                 431,
                 Shape::kRestError,
                 "REQUEST_HEADER_FIELDS_TOO_LARGE"});
    c.push_back({"huge_authorization",
                 Head("Authorization: Bearer " + std::string(70 * 1024, 'T') + "\r\n"),
                 431,
                 Shape::kRestError,
                 "REQUEST_HEADER_FIELDS_TOO_LARGE"});
    c.push_back(
        {"content_length_just_over_64MiB",
         "POST /services/oauth2/token HTTP/1.1\r\nHost: h\r\nContent-Length: 67108865\r\n\r\n",
         413,
         Shape::kRestError,
         "REQUEST_ENTITY_TOO_LARGE"});
    c.push_back(
        {"content_length_100GB",
         "POST /services/oauth2/token HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n",
         413,
         Shape::kRestError,
         "REQUEST_ENTITY_TOO_LARGE"});
    c.push_back({"content_length_over_limit_on_record_create",
                 "POST /services/data/v60.0/sobjects/Account/ HTTP/1.1\r\nHost: h\r\n"
                 "Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
                 "Content-Length: 70000000\r\n\r\n{\"Name\":",
                 413,
                 Shape::kRestError,
                 "REQUEST_ENTITY_TOO_LARGE"});
    c.push_back({"chunk_size_over_body_limit",
                 Chunked("4000001\r\nabc"),
                 413,
                 Shape::kRestError,
                 "REQUEST_ENTITY_TOO_LARGE"});
    c.push_back({"expect_continue_over_body_limit",
                 "POST /services/oauth2/token HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                 "Content-Length: 80000000\r\n\r\n",
                 413,
                 Shape::kRestError,
                 "REQUEST_ENTITY_TOO_LARGE"});

    // Content-Length that is not one decimal number.
    const std::string post = "POST /services/oauth2/token HTTP/1.1\r\nHost: h\r\n";
    c.push_back(Bad("content_length_negative", post + "Content-Length: -1\r\n\r\n"));
    c.push_back(Bad("content_length_alpha", post + "Content-Length: abc\r\n\r\n"));
    c.push_back(Bad("content_length_hex", post + "Content-Length: 0x10\r\n\r\n"));
    c.push_back(Bad("content_length_plus_sign", post + "Content-Length: +5\r\n\r\nhello"));
    c.push_back(Bad("content_length_empty", post + "Content-Length: \r\n\r\n"));
    c.push_back(Bad("content_length_inner_space", post + "Content-Length: 1 0\r\n\r\n"));
    c.push_back(Bad("content_length_decimal_point", post + "Content-Length: 5.0\r\n\r\nhello"));
    c.push_back(Bad("content_length_overflows_64_bits",
                    post + "Content-Length: 184467440737095516160\r\n\r\n"));
    c.push_back(Bad("content_length_two_different_values",
                    post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
    c.push_back(Bad("content_length_list_of_different_values",
                    post + "Content-Length: 5, 6\r\n\r\nhello!"));

    // Transfer-Encoding with Content-Length, or codings other than a final chunked.
    c.push_back(Bad("transfer_encoding_and_content_length",
                    post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    c.push_back(Bad("content_length_and_transfer_encoding",
                    post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"));
    c.push_back(
        Bad("transfer_encoding_chunked_twice",
            post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    c.push_back(Bad("transfer_encoding_chunked_then_gzip",
                    post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
                    F::kNewTransferEncoding));
    for (const char* te : {"gzip", "identity", "xchunked", "gzip, chunked"}) {
        std::string name = std::string("transfer_encoding_") + te;
        for (char& ch : name) {
            ch = (ch == ' ' || ch == ',') ? '_' : ch;
        }
        Case k = Bad(name,
                     post + "Transfer-Encoding: " + te +
                         "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n",
                     F::kNewTransferEncoding);
        k.alt_status = 501;  // RFC 9112 6.1: an unknown coding SHOULD get 501
        k.code.clear();
        if (std::string_view(te) == "gzip, chunked") {
            k.request = post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";
        }
        c.push_back(std::move(k));
    }

    // Chunk sizes and chunk framing.
    c.push_back(Bad("chunk_size_not_hex", Chunked("zz\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(Bad("chunk_size_overflows_64_bits",
                    Chunked("ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
                    F::kDefect6Chunked));
    c.push_back(Bad("chunk_size_negative", Chunked("-1\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(Bad("chunk_size_empty", Chunked("\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(
        Bad("chunk_size_leading_space", Chunked(" 3\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(
        Bad("chunk_size_0x_prefix", Chunked("0x3\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(
        Bad("chunk_data_longer_than_size", Chunked("2\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(
        Bad("chunk_missing_crlf_after_data", Chunked("3\r\nabcX0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(Bad(
        "chunk_extension_control_byte", Chunked("3;\x01\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));
    c.push_back(Bad("chunk_bad_trailer_line",
                    Chunked("3\r\nabc\r\n0\r\nbad trailer\r\n\r\n"),
                    F::kDefect6Chunked));
    c.push_back(
        Bad("chunk_size_with_high_byte", Chunked("3\xff\r\nabc\r\n0\r\n\r\n"), F::kDefect6Chunked));

    // The Host header ends up in instance_url and id: bytes that are no host must be refused.
    const std::string login_body =
        "grant_type=password&client_id=3MVG9hostile.key&client_secret=hostile-secret"
        "&username=admin%40acme.test&password=Passw0rd%21TOKEN123";
    for (const auto& [name, host] :
         std::vector<std::pair<std::string, std::string>>{{"host_invalid_utf8", "\xff\xfe"},
                                                          {"host_with_quote_and_tag", "a\"b</x>"},
                                                          {"host_with_path", "evil.test/x?y"}}) {
        c.push_back(Bad(name,
                        "POST /services/oauth2/token HTTP/1.1\r\nHost: " + host +
                            "\r\nConnection: close\r\nContent-Type: "
                            "application/x-www-form-urlencoded\r\nContent-Length: " +
                            std::to_string(login_body.size()) + "\r\n\r\n" + login_body,
                        F::kNewHostHeader));
    }
    return c;
}

}  // namespace sfkit::test::hostile
