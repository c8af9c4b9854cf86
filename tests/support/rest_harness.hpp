// Drives RestApi routes in-process, without HTTP and without the OAuth service: a Router with
// the REST routes, a hand-made Session, and the dispatcher's format/suffix/error handling.
// Lets handler tests run before (and independently of) real authentication.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/auth/session.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"

namespace sfkit::server {
class Database;
class AuthService;
class RestApi;
class Schema;
}  // namespace sfkit::server

namespace sfkit::test {

class PgScratch;

class RestHarness {
public:
    /// An in-memory database with the REST tables bootstrapped (on PostgreSQL, when the tests
    /// run there (TestOrgsOnPostgres), a scratch schema of its own). `extend` may add objects to
    /// the schema first (test objects with external ids, master-detail children, ...).
    explicit RestHarness(const std::function<void(server::Schema&)>& extend = {});
    ~RestHarness();

    /// Sends one request. `target` is path + optional query; `headers` are "Name: value".
    /// Errors are rendered as the dispatcher would (JSON or XML per Accept / suffix), including
    /// 404 for unknown paths and 405 with `Allow` for wrong methods.
    server::Response Send(const std::string& method,
                          const std::string& target,
                          const std::vector<std::string>& headers = {},
                          const std::string& body = {});

    const server::Session& Session() const { return session_; }
    /// What `base_url` handlers see (the Host the harness pretends was addressed).
    static constexpr const char* kBaseUrl = "http://127.0.0.1:7777";

private:
    server::LocalOrgOptions options_;
    std::unique_ptr<PgScratch> pg_;  ///< outlives db_
    std::unique_ptr<server::Database> db_;
    std::unique_ptr<server::AuthService> auth_;
    std::unique_ptr<server::RestApi> rest_;
    server::Router router_;
    server::Session session_;
};

}  // namespace sfkit::test
