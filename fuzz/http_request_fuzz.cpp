// libFuzzer target for HTTP request reading (server/net/request_reader): any byte string read
// as a connection's first request gives a request, a Salesforce-shaped 400/413/431/501 answer, or
// "incomplete", never anything else; and reading it in small pieces, as socket reads deliver
// it, gives exactly what reading it at once does. Run with the server's limits, with small
// ones (so that the limit paths are reached by short inputs too), and with bodies streamed to a
// file (RequestLimits::body_to_file, for paths starting "/f"): the file holds the body, stays
// within its limit, and no file is left once the request is gone.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "server/net/request_reader.hpp"

namespace {

using sfkit::server::BodyFileRoute;
using sfkit::server::BodyFileTarget;
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

/// A streamed body's bytes (empty when the request kept its body in memory).
std::string FileBody(const Request& r) {
    if (!r.body_file) {
        return {};
    }
    std::ifstream in(r.body_file->Path(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool SameRequest(const Request& a, const Request& b) {
    if (FileBody(a) != FileBody(b) || (a.body_file == nullptr) != (b.body_file == nullptr)) {
        return false;
    }
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
        if (r.body_file && (!r.body.empty() || r.body_file->Size() > 64 ||
                            FileBody(r).size() != r.body_file->Size())) {
            Die("body file beyond its limit or not the body", input);
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

/// A private directory for the streamed bodies of this process's inputs.
const std::string& BodyDir() {
    static const std::string dir = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sfkit-fuzz-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            std::abort();
        }
        return tmpl;
    }();
    return dir;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 13;
    CheckOne(input, RequestLimits{}, piece);
    CheckOne(input, RequestLimits{.max_header_bytes = 256, .max_body_bytes = 64}, piece);
    static const BodyFileRoute to_file = [](const Request& head) -> std::optional<BodyFileTarget> {
        if (head.path.rfind("/f", 0) == 0) {
            return BodyFileTarget{BodyDir(), 64};
        }
        return std::nullopt;
    };
    CheckOne(input,
             RequestLimits{.max_header_bytes = 256, .max_body_bytes = 16, .body_to_file = &to_file},
             piece);
    if (!std::filesystem::is_empty(BodyDir())) {
        Die("a body file outlived its request", input);
    }
    return 0;
}
