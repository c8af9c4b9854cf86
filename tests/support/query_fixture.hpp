// An in-process org for SOQL tests: in-memory SQLite, the standard objects plus two test
// objects (Widget__c with every filterable type, Memo__c with a polymorphic lookup), the
// query routes behind a router, a fixed session and an injectable clock.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {
class Database;
class RecordStore;
namespace query {
class QueryService;
}
}  // namespace sfkit::server

namespace sfkit::test {

/// Schema::Standard() plus Widget__c and Memo__c (see query_fixture.cpp).
server::Schema QueryTestSchema();

class QueryFixture {
public:
    QueryFixture();
    ~QueryFixture();

    /// Stores a record of `type` from a JSON object of field values (`"@name"` strings are the
    /// ids of earlier records; `"IsDeleted":true` soft-deletes). Defaults: IsDeleted false,
    /// CreatedDate/LastModifiedDate/SystemModstamp = now, OwnerId/CreatedById = the session user.
    /// Returns the id; `name` (when not empty) makes it available as `@name`.
    std::string Insert(const std::string& type, const std::string& json, const std::string& name);
    /// Replaces each `@name` in `text` with the id of that record.
    std::string Expand(const std::string& text) const;
    /// The reverse of Expand: ids of named records become `@name` (for printing answers).
    std::string Unexpand(std::string text) const;

    /// GET `target` (path + query) with "Name: value" headers, as the dispatcher would answer.
    server::Response Get(const std::string& target, const std::vector<std::string>& headers = {});

    std::chrono::system_clock::time_point Now() const { return now_; }
    void SetNow(std::chrono::system_clock::time_point t) { now_ = t; }
    void Advance(std::chrono::seconds s) { now_ += s; }

    server::Database& Db() { return *db_; }
    server::query::QueryService& Service() { return *service_; }
    const server::Schema& Schema() const { return schema_; }
    const std::string& UserId() const { return user_id_; }
    void SetUserId(std::string id) { user_id_ = std::move(id); }

private:
    server::Schema schema_;
    /// On PostgreSQL (TestOrgsOnPostgres) the fixture's database is a scratch schema.
    std::shared_ptr<void> pg_scratch_;
    std::unique_ptr<server::Database> db_;
    std::unique_ptr<server::RecordStore> store_;
    std::unique_ptr<server::query::QueryService> service_;
    server::Router router_;
    std::chrono::system_clock::time_point now_;
    std::string user_id_;
    std::map<std::string, std::string> ids_;
};

}  // namespace sfkit::test
