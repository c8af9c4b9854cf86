// Runs SOQL for the /query and /queryAll resources: parse -> bind -> translate -> SQL, with
// server-side query locators (nextRecordsUrl) that keep a snapshot of the result's row ids, so
// pages stay consistent while being read. Locators live in the database (tables query_locator
// and query_locator_rows), not in a node's memory: a locator opened by one sfkit node pages on
// any other node of the same org (issue 13). Rendering to JSON/XML lives in query_render.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/http/api_error.hpp"
#include "server/query/binder.hpp"
#include "server/query/bound_query.hpp"
#include "server/query/query_limits.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::query {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct QueryServiceOptions {
    Clock clock;  ///< time source (date literals, locator expiry); default: the system clock
    /// Idle time after which a locator is released (Salesforce: 15 minutes).
    std::chrono::seconds locator_idle_timeout = kLocatorIdleTimeout;
    /// A page refreshes its locator's last use in the database only when the stored one is at
    /// least this old (a write per page otherwise): the idle time is counted with this
    /// granularity, so a locator may be released up to this much before its full idle time.
    std::chrono::seconds locator_touch_interval = kLocatorTouchInterval;
    /// Open locators per user; opening one more releases the least recently used (Salesforce
    /// allows 10 open query cursors per user and closes the oldest).
    std::size_t max_locators_per_user = kMaxLocatorsPerUser;
    int fiscal_start_month = 1;
    /// How long the reads of one query page, locator page or search may run before they answer
    /// QUERY_TIMEOUT.
    std::chrono::milliseconds time_limit = kQueryTimeLimit;
    /// The resource below /services/data/vNN.N/ whose /{locator} serves further pages:
    /// "query", or "tooling/query" for the Tooling API's service.
    std::string locator_path = "query";
    /// Where the locators are kept; null: `db`. The Tooling API queries a private store of its
    /// own but keeps its locators in the org's database with the others.
    Database* locator_db = nullptr;
};

/// One result record: the values of BoundQuery::columns, and per child subquery its rows
/// (nullopt when the parent has none: rendered as null).
struct ResultRow {
    std::vector<SqlValue> values;
    std::vector<std::optional<std::vector<ResultRow>>> children;
};

struct QueryPage {
    std::shared_ptr<const BoundQuery> query;
    std::int64_t total_size = 0;
    bool done = true;
    std::string next_records_url;  ///< set when !done
    std::vector<ResultRow> rows;
};

struct QueryCall {
    std::string user_id;
    std::string api_version;  ///< "60.0"
    bool query_all = false;
    int batch_size = kDefaultBatchSize;  ///< already clamped to kMinBatchSize..kMaxBatchSize
};

class QueryService {
public:
    QueryService(Database& db, const Schema& schema, QueryServiceOptions options = {});
    ~QueryService();
    QueryService(const QueryService&) = delete;
    QueryService& operator=(const QueryService&) = delete;

    /// Parses and binds; throws ApiError(400, ...) with Salesforce's code and message.
    std::shared_ptr<const BoundQuery> Prepare(std::string_view soql, const QueryCall& call) const {
        return PrepareAt(soql, call, Now());
    }
    /// Prepare as of `now` (date literals): a locator's page binds its query as of the time the
    /// query first ran.
    std::shared_ptr<const BoundQuery> PrepareAt(std::string_view soql,
                                                const QueryCall& call,
                                                std::chrono::system_clock::time_point now) const;
    /// Runs a query and returns its first page (opening a locator when more rows remain).
    QueryPage Run(std::string_view soql, const QueryCall& call);
    /// The page at `locator` (`01g...-2000`); 400 INVALID_QUERY_LOCATOR when unknown, expired,
    /// exhausted, or opened by another user.
    QueryPage More(std::string_view locator, const QueryCall& call);

    /// Runs the bound query `q` (no child subqueries) to its end on one read snapshot, without
    /// the query time limit, handing each row to `sink` as it is read: constant memory whatever
    /// the row count (Bulk API 2.0 query jobs). `sink` returns false to stop early. Returns the
    /// rows handed over.
    std::int64_t Stream(const BoundQuery& q, const std::function<bool(const ResultRow&)>& sink);

    /// Open locators (all users), after releasing expired ones.
    std::size_t OpenLocators();

    /// What the binder needs for `call` (clock, user, fiscal year); the SOSL search binds its
    /// RETURNING specs with it.
    BindContext Context(const QueryCall& call) const { return ContextAt(call, Now()); }
    BindContext ContextAt(const QueryCall& call, std::chrono::system_clock::time_point now) const;
    /// The org's database (for the search service, which runs its own statements).
    Database& Db() const { return db_; }
    /// A read lease for the statements of one query page or search: one snapshot, bounded by
    /// QueryServiceOptions::time_limit.
    Database::Reader ReadSnapshot() const {
        return db_.Read(Database::ReadMode::kSnapshot, options_.time_limit);
    }

private:
    /// What a locator keeps: enough to bind its query again on any node, and the row ids.
    struct Cursor {
        std::string user_id;
        std::string soql;
        std::string api_version;
        bool query_all = false;
        std::int64_t bound_ms = 0;  ///< the `now` the query was bound with
        std::vector<std::int64_t> rowids;
    };

    std::vector<ResultRow> FetchRows(Database::Reader& rd,
                                     const BoundQuery& q,
                                     const std::vector<std::int64_t>& ids);
    void FetchChildren(Database::Reader& rd, const BoundQuery& q, std::vector<ResultRow>& rows);
    /// One level of child subqueries of `q` for all of `rows` (records of `q`), then, for the
    /// children kept, the next level: the statements per page grow with levels, not records.
    void FetchChildLevel(Database::Reader& rd,
                         const BoundQuery& q,
                         const std::vector<ResultRow*>& rows);
    /// Stores `cursor` and returns its locator id.
    std::string OpenCursor(const Cursor& cursor);
    /// Releases the locators idle longer than the timeout (caller holds the writer lock).
    void ExpireLocked(std::int64_t now_ms);
    void CreateLocatorTables();
    Database& LocatorDb() const { return options_.locator_db ? *options_.locator_db : db_; }
    std::chrono::system_clock::time_point Now() const;

    std::shared_ptr<const BoundQuery> CachedBound(const std::string& key) const;
    void RememberBound(std::string key, std::shared_ptr<const BoundQuery> q) const;

    Database& db_;
    const Schema& schema_;
    QueryServiceOptions options_;
    /// Bound queries by text and context (Prepare); at most kBoundCacheSize, then emptied.
    static constexpr std::size_t kBoundCacheSize = 1024;
    mutable std::mutex bound_mu_;
    mutable std::unordered_map<std::string, std::shared_ptr<const BoundQuery>> bound_;
};

/// Runs `reads` (which lease their read connections with the query time limit): reads that run
/// past it answer 400 QUERY_TIMEOUT, as Salesforce does.
template <typename Reads>
void WithinQueryTimeLimit(Reads&& reads) {
    try {
        reads();
    } catch (const ReadLimitExceeded&) {
        throw ApiError(400, std::string(kQueryTimeoutCode), std::string(kQueryTimeoutMessage));
    }
}

/// Child-relationship subquery levels below the root allowed at `api_version` ("60.0"): 4 from
/// API 58.0 on (REST/SOAP; SOQL reference, "Understanding Relationship Query Limitations"), 1
/// before, and 1 when the version is empty or unreadable.
int MaxChildDepth(std::string_view api_version);

/// `Sforce-Query-Options: batchSize=N`: N clamped into 200..2000; 2000 when absent or
/// unreadable (Salesforce treats the value as a hint).
int ParseBatchSize(const std::string* header);

}  // namespace sfkit::server::query
