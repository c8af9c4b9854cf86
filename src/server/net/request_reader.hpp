// Reading one HTTP/1.1 request from bytes as they arrive: Beast's request parser with the
// server's limits, and the answer the server gives to whatever it refuses. The server feeds it
// from the socket; the fuzz target and tests feed it from memory. Beast-free header.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/message.hpp"

namespace sfkit::server {

struct RequestLimits {
    std::size_t max_header_bytes = 64 * 1024;       ///< beyond this: 431
    std::size_t max_body_bytes = 64 * 1024 * 1024;  ///< beyond this: 413 (bodies kept in memory)
    /// When set, asked for each request with a body once its header is complete: a target
    /// makes the reader write the body to a new file there as it arrives (Request::body_file)
    /// under the target's own limit (413 beyond it, the file removed). Not owned.
    const BodyFileRoute* body_to_file = nullptr;
};

/// One request's parser. Feed it bytes until it is Done() or Failed(); bytes it does not
/// consume belong to the caller (an incomplete header is consumed only once whole, so feed
/// the unconsumed rest again with more bytes appended; after Done() they start the next
/// request).
class RequestReader {
public:
    explicit RequestReader(const RequestLimits& limits);
    ~RequestReader();
    RequestReader(const RequestReader&) = delete;
    RequestReader& operator=(const RequestReader&) = delete;

    /// Parses as much of `bytes` as it can and returns how many it consumed.
    std::size_t Feed(std::string_view bytes);
    /// The peer closed its side: a request cut short fails (without an answer).
    void FeedEof();

    bool HeaderDone() const;
    bool Done() const;
    bool Failed() const { return failed_; }
    /// The header is complete, the body is not, and the client waits for `100 Continue`.
    bool ExpectsContinue() const;
    /// HTTP version as major * 10 + minor (11 for HTTP/1.1), once the header is done.
    unsigned Version() const;
    /// After Failed(): the answer to write before closing (400 malformed, 413 body too large,
    /// 431 header too large, 500 when a body file cannot be written; Salesforce-shaped JSON;
    /// a body file begun is removed), or nullopt when the connection should
    /// just close (the peer went away mid-request).
    const std::optional<Response>& Answer() const { return answer_; }

    /// After Done(): whether the client asked to keep the connection, and whether it is HEAD.
    bool KeepAlive() const;
    bool IsHead() const;
    /// After Done(): the request as handlers see it (path percent-decoded, body de-chunked, in
    /// `body` or, for a body streamed to disk, in the closed file `body_file`).
    Request Take(std::string remote_ip, bool secure);

private:
    void Fail(std::optional<Response> answer);

    struct Impl;
    std::unique_ptr<Impl> impl_;
    RequestLimits limits_;
    bool failed_ = false;
    std::optional<Response> answer_;
};

/// What reading a whole byte string as one connection's first request gives: the request,
/// or the answer the server writes before closing, or neither (input ended mid-request).
struct RequestReadResult {
    std::optional<Request> request;
    std::optional<Response> answer;
    bool expects_continue = false;  ///< the server would have sent `100 Continue` on the way
    std::size_t consumed = 0;       ///< bytes of the input that belong to this request
};

/// Reads the first request in `bytes`, fed in pieces of at most `piece` bytes (0: all at once)
/// exactly as the server feeds socket reads. `eof`: the input is all the peer sends.
RequestReadResult ReadRequest(std::string_view bytes,
                              const RequestLimits& limits,
                              std::size_t piece = 0,
                              bool eof = true);

/// The framework-level error body, in the `errorCode`-first order Salesforce uses for
/// dispatch errors (`[{"errorCode":...,"message":...}]`). `code` and `message` are fixed ASCII.
Response FrameworkError(int status, std::string_view code, std::string_view message);

}  // namespace sfkit::server
