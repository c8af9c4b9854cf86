// libFuzzer target for HTTP request reading (server/net/request_reader): any byte string read
// as a connection's first request gives a request, a Salesforce-shaped 400/413/431/501 answer, or
// "incomplete", never anything else; and reading it in small pieces, as socket reads deliver
// it, gives exactly what reading it at once does. Run with the server's limits and with small
// ones (so that the limit paths are reached by short inputs too).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/net/request_reader.hpp"

namespace {

using sfkit::server::ReadRequest;
using sfkit::server::Request;
using sfkit::server::RequestLimits;
using sfkit::server::RequestReadResult;

[[noreturn]] void Die(const char* what, std::string_view input) {
    std::fprintf(stderr,
                 "http_request_fuzz: %s\ninput (%zu bytes): %.*s\n",
                 what,
                 input.size(),
                 static_cast<int>(input.size()),
                 input.data());
    std::abort();
}

bool SameRequest(const Request& a, const Request& b) {
    if (a.method != b.method || a.target != b.target || a.path != b.path || a.query != b.query ||
        a.body != b.body || a.headers.size() != b.headers.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.headers.size(); ++i) {
        if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) {
            return false;
        }
    }
    return true;
}

void CheckOne(std::string_view input, const RequestLimits& limits, std::size_t piece) {
    const RequestReadResult whole = ReadRequest(input, limits);
    if (whole.request && whole.answer) {
        Die("both a request and an answer", input);
    }
    if (whole.consumed > input.size()) {
        Die("consumed more than the input", input);
    }
    if (whole.request) {
        const Request& r = *whole.request;
        if (r.method.empty() || r.target.empty()) {
            Die("request without method or target", input);
        }
        if (r.body.size() > limits.max_body_bytes) {
            Die("body beyond the body limit", input);
        }
    }
    if (whole.answer) {
        const auto& a = *whole.answer;
        if (a.status != 400 && a.status != 413 && a.status != 431 && a.status != 501) {
            Die("unexpected answer status", input);
        }
        const std::string_view body = a.body;
        if (body.substr(0, 15) != R"([{"errorCode":")" || body.size() < 18 ||
            body.substr(body.size() - 3) != R"("}])") {
            Die("answer body is not a Salesforce error array", input);
        }
        const std::string* type = a.Header("Content-Type");
        if (type == nullptr || *type != "application/json;charset=UTF-8") {
            Die("answer without the JSON content type", input);
        }
    }
    // Socket reads split the input anywhere: a request must not depend on where. Beast checks
    // a request line as soon as it has one whole, else once the header is complete, so a
    // header cut off by the end of input may be refused (whole) or just end (in pieces), and a
    // bad line in an over-long header may be found before or after the header limit, and a
    // bad chunk in an over-long body before or after the body limit (400 or 431/413). Beast
    // also counts the header limit on what has arrived, so a header a few bytes from the limit
    // may pass whole and get 431 in pieces.
    const RequestReadResult pieces = ReadRequest(input, limits, piece);
    const auto is_431 = [](const RequestReadResult& r) {
        return r.answer && r.answer->status == 431;
    };
    if (whole.request.has_value() != pieces.request.has_value() && !is_431(whole) &&
        !is_431(pieces)) {
        Die("whether a request is read depends on how the input is split", input);
    }
    if (whole.request && pieces.request &&
        (!SameRequest(*whole.request, *pieces.request) || whole.consumed != pieces.consumed)) {
        Die("request depends on how the input is split", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 13;
    CheckOne(input, RequestLimits{}, piece);
    CheckOne(input, RequestLimits{.max_header_bytes = 256, .max_body_bytes = 64}, piece);
    return 0;
}
