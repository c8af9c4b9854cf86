// A scripted Transport for unit tests: records every request and answers from a queue.
// Header-only so that both test executables can use it.
#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "sfkit/client/http.hpp"

namespace sfkit::test {

class FakeTransport : public client::Transport {
public:
    /// Queues an answer.
    FakeTransport& Reply(int status,
                         std::string body,
                         std::vector<client::HttpHeader> headers = {}) {
        client::HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers = std::move(headers);
        answers_.emplace_back(std::move(r));
        return *this;
    }
    /// Queues a transport failure.
    FakeTransport& Fail(Error error) {
        answers_.emplace_back(std::move(error));
        return *this;
    }

    /// A streamed request body is read whole into the recorded request's `body`; a 2xx answer
    /// is returned whole in `body` (callers hand it to their sink with DeliverToSink).
    Result<client::HttpResponse> Send(const client::HttpRequest& request) override {
        requests.push_back(request);
        if (request.body_reader) {
            std::string body;
            char buffer[4096];
            for (;;) {
                const auto n = request.body_reader(buffer, sizeof buffer);
                if (!n.has_value()) {
                    return MakeError(ErrorKind::kIo, "BODY_READ_FAILED", "fake: reader failed");
                }
                if (*n == 0) {
                    break;
                }
                body.append(buffer, *n);
            }
            requests.back().body = std::move(body);
            requests.back().body_reader = nullptr;
        }
        if (answers_.empty()) {
            return MakeError(ErrorKind::kTransport, "NO_SCRIPTED_ANSWER", "fake has no answer");
        }
        auto a = std::move(answers_.front());
        answers_.pop_front();
        return a;
    }

    std::vector<client::HttpRequest> requests;

private:
    std::deque<Result<client::HttpResponse>> answers_;
};

}  // namespace sfkit::test
