// A canned stand-in for an org, for client and CLI tests that must not depend on the real local
// org: a token endpoint (password and client-credentials, signed answers); Account create,
// retrieve, update, delete, upsert and retrieve by External_Id__c; describeGlobal, an Account
// describe, limits and record counts, in the wire shapes of the reference (JSON, and XML where
// tests need it). It checks what a real org checks on these calls and records every request so
// tests can assert what the client sent.
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
    /// Upsert / external-id values the fake knows: kNewExtId inserts (201), kOneExtId matches
    /// kRecordId (200), kDupExtId matches two records (300).
    static constexpr const char* kNewExtId = "NEW-1";
    static constexpr const char* kOneExtId = "EXT-1";
    static constexpr const char* kDupExtId = "DUP";
    static constexpr const char* kNewRecordId = "001000000000002AAA";

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
    server::Response Metadata(const server::Request& req, bool xml);
    server::Response ExternalId(const server::Request& req, bool xml);

    mutable std::mutex mutex_;
    std::vector<server::Request> requests_;
    std::vector<std::pair<std::string, std::string>> last_form_;
    std::unique_ptr<server::HttpServer> http_;
};

}  // namespace sfkit::test
