// A canned stand-in for an org, for client and CLI tests that must not depend on the real local
// org: a token endpoint (password and client-credentials, signed answers) and Account
// create/retrieve in JSON and XML. It checks what a real org checks on these calls and records
// every request so tests can assert what the client sent.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/http/message.hpp"
#include "server/net/http_server.hpp"

namespace sfkit::test {

class FakeOrg {
public:
    static constexpr const char* kOrgId = "00D000000000001AAA";
    static constexpr const char* kUserId = "005000000000001AAA";
    static constexpr const char* kAccessToken = "00D000000000001!AQfake.token.for.tests";
    static constexpr const char* kRecordId = "001000000000001AAA";

    FakeOrg();
    ~FakeOrg();

    std::string BaseUrl() const;
    /// Requests received so far (copies).
    std::vector<server::Request> Requests() const;
    /// Form fields of the last token request ("" when absent).
    std::string LastTokenField(const std::string& name) const;

private:
    server::Response Handle(const server::Request& req);
    server::Response Token(const server::Request& req);
    server::Response Sobject(const server::Request& req);

    mutable std::mutex mutex_;
    std::vector<server::Request> requests_;
    std::vector<std::pair<std::string, std::string>> last_form_;
    std::unique_ptr<server::HttpServer> http_;
};

}  // namespace sfkit::test
