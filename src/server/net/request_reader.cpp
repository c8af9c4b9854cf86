// RequestReader over Beast's request_parser (see request_reader.hpp). Includes Beast's HTTP
// parser only, not Asio's sockets, so the fuzz target can build it alone.
#include "server/net/request_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <utility>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <fcntl.h>
#include <unistd.h>

namespace sfkit::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

/// The body of a request as the reader collects it: in memory, or written to an open file as it
/// arrives when the request's route asked for that (RequestLimits::body_to_file).
struct SpoolBody {
    struct value_type {
        std::string text;
        int fd = -1;  ///< the body file while it is written; -1: in memory
        std::uint64_t file_bytes = 0;
        int write_errno = 0;  ///< the body file could not be written
    };

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        void init(const boost::optional<std::uint64_t>& length, beast::error_code& ec) {
            ec = {};
            if (body_.fd < 0 && length) {
                body_.text.reserve(static_cast<std::size_t>(*length));
            }
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
            ec = {};
            std::size_t total = 0;
            for (auto it = boost::asio::buffer_sequence_begin(buffers);
                 it != boost::asio::buffer_sequence_end(buffers);
                 ++it) {
                const boost::asio::const_buffer b = *it;
                const char* p = static_cast<const char*>(b.data());
                if (body_.fd < 0) {
                    body_.text.append(p, b.size());
                } else if (!WriteAll(p, b.size())) {
                    body_.write_errno = errno;
                    ec = http::error::body_limit;  // stops the parser; Feed answers 500
                    return total;
                }
                total += b.size();
            }
            return total;
        }

        void finish(beast::error_code& ec) { ec = {}; }

    private:
        bool WriteAll(const char* p, std::size_t n) {
            while (n > 0) {
                const ssize_t w = ::write(body_.fd, p, n);
                if (w < 0) {
                    if (errno == EINTR) {
                        continue;
                    }
                    return false;
                }
                p += w;
                n -= static_cast<std::size_t>(w);
                body_.file_bytes += static_cast<std::uint64_t>(w);
            }
            return true;
        }

        value_type& body_;
    };
};

using Parser = http::request_parser<SpoolBody>;

/// The request line and fields as handlers see them (path percent-decoded), without the body.
void FillHead(const http::request<SpoolBody>& req, Request& r) {
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    const auto q = r.target.find('?');
    const std::string raw_path = r.target.substr(0, q);
    if (q != std::string::npos) {
        r.query = r.target.substr(q + 1);
    }
    r.path = PercentDecode(raw_path, false).value_or(raw_path);
    r.headers.reserve(16);
    for (const auto& field : req) {
        r.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
}

/// The answer to a parse failure, or nullopt when the connection just ends (the peer closed
/// before or in the middle of a request: nobody is left to read an answer).
std::optional<Response> AnswerFor(const beast::error_code& ec) {
    if (ec == http::error::header_limit) {
        return FrameworkError(
            431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "Request header fields are too large");
    }
    if (ec == http::error::body_limit) {
        return FrameworkError(413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large");
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
        return std::nullopt;
    }
    // Every other parser error is malformed framing: request line, fields, content length,
    // transfer encoding, chunk sizes and extensions.
    return FrameworkError(400, "BAD_REQUEST", "Malformed HTTP request");
}

}  // namespace

Response FrameworkError(int status, std::string_view code, std::string_view message) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", "application/json;charset=UTF-8");
    r.body = "[{\"errorCode\":\"" + std::string(code) + "\",\"message\":\"" + std::string(message) +
             "\"}]";
    return r;
}

struct RequestReader::Impl {
    Parser parser;
    bool header_checked = false;
    std::shared_ptr<BodyFile> file;  ///< the body file, removed with the last owner

    ~Impl() {
        const int fd = parser.get().body().fd;
        if (fd >= 0) {
            ::close(fd);
        }
    }

    /// Once the header is complete: where the body goes and its limit. Returns the refusal
    /// (413 beyond the limit, 500 when no body file can be made), or nullopt to read on.
    std::optional<Response> PlanBody(const RequestLimits& limits);
};

namespace {

/// What the server refuses in a complete header that Beast lets through: a Host that is not a
/// host (it would flow into the URLs the org writes back, e.g. instance_url), several Hosts, and
/// transfer codings other than one final `chunked` (Beast would read such a body as empty and
/// parse what follows as the next request: a request-smuggling shape).
std::optional<Response> CheckHeader(const Parser& parser) {
    const auto& h = parser.get();
    const auto hosts = h.count(http::field::host);
    if (hosts > 1 || (hosts == 1 && !IsValidHostHeader(h[http::field::host]))) {
        return FrameworkError(400, "BAD_REQUEST", "Invalid Host header");
    }
    if (h.count(http::field::transfer_encoding) > 0) {
        std::string codings;
        const auto [first, last] = h.equal_range(http::field::transfer_encoding);
        for (auto it = first; it != last; ++it) {
            codings += codings.empty() ? "" : ",";
            codings += std::string(it->value());
        }
        const int status = TransferEncodingStatus(codings);
        if (status == 501) {
            return FrameworkError(501, "NOT_IMPLEMENTED", "Unsupported Transfer-Encoding");
        }
        if (status != 0) {
            return FrameworkError(400, "BAD_REQUEST", "Malformed HTTP request");
        }
    }
    return std::nullopt;
}

Response TooLarge() {
    return FrameworkError(413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large");
}

Response CannotStoreBody() {
    return FrameworkError(500, "UNKNOWN_EXCEPTION", "The request body could not be stored.");
}

}  // namespace

std::optional<Response> RequestReader::Impl::PlanBody(const RequestLimits& limits) {
    std::uint64_t limit = limits.max_body_bytes;
    std::optional<BodyFileTarget> target;
    const bool has_body = !parser.is_done();
    if (has_body && limits.body_to_file != nullptr && *limits.body_to_file) {
        Request head;
        FillHead(parser.get(), head);
        target = (*limits.body_to_file)(head);
        if (target) {
            limit = target->max_bytes;
        }
    }
    if (const auto length = parser.content_length(); length && *length > limit) {
        return TooLarge();
    }
    if (target) {
        std::string name = target->directory + "/body-XXXXXX";
        const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // 0600
        if (fd < 0) {
            return CannotStoreBody();
        }
        file = std::make_shared<BodyFile>(std::move(name));
        parser.get().body().fd = fd;
    }
    parser.body_limit(limit);  // counts chunked bodies as they arrive
    parser.eager(true);
    return std::nullopt;
}

RequestReader::RequestReader(const RequestLimits& limits)
    : impl_(std::make_unique<Impl>()), limits_(limits) {
    auto& p = impl_->parser;
    // Stop after the header: the body's destination and limit are chosen then (PlanBody).
    p.eager(false);
    p.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    p.body_limit(boost::none);
}

RequestReader::~RequestReader() = default;

std::size_t RequestReader::Feed(std::string_view bytes) {
    std::size_t used = 0;
    while (!failed_ && !Done() && used < bytes.size()) {
        beast::error_code ec;
        const std::size_t n = impl_->parser.put(
            boost::asio::const_buffer(bytes.data() + used, bytes.size() - used), ec);
        used += n;
        if ((!ec || ec == http::error::need_more) && impl_->parser.is_header_done() &&
            !impl_->header_checked) {
            impl_->header_checked = true;
            auto refusal = CheckHeader(impl_->parser);
            if (!refusal) {
                refusal = impl_->PlanBody(limits_);
            }
            if (refusal) {
                Fail(std::move(refusal));
                break;
            }
            if (!ec) {
                continue;  // the body (if any) is read with the next put
            }
        }
        if (ec == http::error::need_more) {
            break;
        }
        if (ec) {
            Fail(impl_->parser.get().body().write_errno != 0 ? CannotStoreBody() : AnswerFor(ec));
        } else if (n == 0) {
            break;  // no progress without an error: wait for more bytes
        }
    }
    return used;
}

void RequestReader::FeedEof() {
    if (failed_ || Done()) {
        return;
    }
    beast::error_code ec;
    if (impl_->parser.got_some()) {
        impl_->parser.put_eof(ec);
    } else {
        ec = http::error::end_of_stream;  // put_eof would call an empty input a message
    }
    if (ec) {
        Fail(AnswerFor(ec));
    }
}

void RequestReader::Fail(std::optional<Response> answer) {
    failed_ = true;
    answer_ = std::move(answer);
    auto& body = impl_->parser.get().body();
    if (body.fd >= 0) {
        ::close(body.fd);
        body.fd = -1;
    }
    impl_->file.reset();  // removes the partial body file
}

bool RequestReader::HeaderDone() const {
    return impl_->parser.is_header_done();
}

bool RequestReader::Done() const {
    return !failed_ && impl_->parser.is_done();
}

bool RequestReader::ExpectsContinue() const {
    return !failed_ && HeaderDone() && !impl_->parser.is_done() &&
           beast::iequals(impl_->parser.get()[http::field::expect], "100-continue");
}

unsigned RequestReader::Version() const {
    return HeaderDone() ? impl_->parser.get().version() : 11;
}

bool RequestReader::KeepAlive() const {
    return impl_->parser.get().keep_alive();
}

bool RequestReader::IsHead() const {
    return impl_->parser.get().method() == http::verb::head;
}

Request RequestReader::Take(std::string remote_ip, bool secure) {
    const int fd = std::exchange(impl_->parser.get().body().fd, -1);
    auto req = impl_->parser.release();
    Request r;
    FillHead(req, r);
    r.body = std::move(req.body().text);
    if (fd >= 0) {
        ::close(fd);
        impl_->file->SetSize(req.body().file_bytes);
        r.body_file = std::move(impl_->file);
    }
    r.remote_ip = std::move(remote_ip);
    r.secure = secure;
    return r;
}

RequestReadResult ReadRequest(std::string_view bytes,
                              const RequestLimits& limits,
                              std::size_t piece,
                              bool eof) {
    RequestReadResult out;
    RequestReader reader(limits);
    std::string pending;  // received, not yet consumed: what the server keeps in its buffer
    std::size_t received = 0;
    for (;;) {
        pending.erase(0, reader.Feed(pending));
        if (reader.Failed() || reader.Done()) {
            break;
        }
        out.expects_continue = out.expects_continue || reader.ExpectsContinue();
        if (received == bytes.size()) {
            if (eof) {
                reader.FeedEof();
            }
            break;
        }
        const std::size_t n =
            piece == 0 ? bytes.size() - received : std::min(piece, bytes.size() - received);
        pending.append(bytes.substr(received, n));
        received += n;
    }
    out.consumed = received - pending.size();
    if (reader.Done()) {
        out.request = reader.Take("", false);
    } else if (reader.Failed()) {
        out.answer = reader.Answer();
    }
    return out;
}

}  // namespace sfkit::server
