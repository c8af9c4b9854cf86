// Query execution and query locators.
#include "server/query/query_service.hpp"

#include <algorithm>
#include <unordered_map>

#include "sfkit/core/id.hpp"

#include "server/http/api_error.hpp"
#include "server/query/binder.hpp"
#include "server/query/date_literals.hpp"
#include "server/query/query_limits.hpp"
#include "server/query/sql_translator.hpp"
#include "server/schema/field_version.hpp"
#include "server/storage/database.hpp"
#include "soql/parser.hpp"

namespace sfkit::server::query {
namespace {

void BindAll(Statement& st, const std::vector<SqlValue>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        st.Bind(static_cast<int>(i + 1), params[i]);
    }
}

ResultRow ReadRow(const Statement& st, const BoundQuery& q, int first_col) {
    ResultRow row;
    row.values.reserve(q.columns.size());
    for (std::size_t i = 0; i < q.columns.size(); ++i) {
        row.values.push_back(st.Value(first_col + static_cast<int>(i)));
    }
    row.children.resize(q.children.size());
    return row;
}

[[noreturn]] void InvalidLocator() {
    // §B.15 (INVALID_QUERY_LOCATOR, `invalid query locator`).
    throw ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
}

/// Rows at most fetched with one statement (SQLite allows 32766 parameters).
constexpr std::size_t kChunk = 2000;

}  // namespace

int MaxChildDepth(std::string_view api_version) {
    // Anything unparsable keeps the old single level.
    return ApiMajor(api_version) >= 58 ? kMaxChildDepth : kMaxChildDepthBefore58;
}

int ParseBatchSize(const std::string* header) {
    int size = kDefaultBatchSize;
    if (header == nullptr) {
        return size;
    }
    const std::string lower = ToLowerAscii(*header);
    const auto pos = lower.find("batchsize");
    if (pos == std::string::npos) {
        return size;
    }
    auto eq = lower.find('=', pos);
    if (eq == std::string::npos) {
        return size;
    }
    ++eq;
    while (eq < lower.size() && lower[eq] == ' ') {
        ++eq;
    }
    long long n = 0;
    bool digits = false;
    while (eq < lower.size() && lower[eq] >= '0' && lower[eq] <= '9' && n < 100000) {
        n = n * 10 + (lower[eq] - '0');
        digits = true;
        ++eq;
    }
    if (!digits) {
        return size;
    }
    return static_cast<int>(std::clamp<long long>(n, kMinBatchSize, kMaxBatchSize));
}

QueryService::QueryService(Database& db, const Schema& schema, QueryServiceOptions options)
    : db_(db), schema_(schema), options_(std::move(options)) {}

QueryService::~QueryService() = default;

std::chrono::system_clock::time_point QueryService::Now() const {
    return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

BindContext QueryService::Context(const QueryCall& call) const {
    BindContext ctx;
    ctx.now = Now();
    ctx.user_id = call.user_id;
    ctx.query_all = call.query_all;
    ctx.fiscal_start_month = options_.fiscal_start_month;
    ctx.api_major = ApiMajor(call.api_version);
    return ctx;
}

std::shared_ptr<const BoundQuery> QueryService::Prepare(std::string_view soql,
                                                        const QueryCall& call) const {
    // Child subqueries nest 4 levels below the root from API 58.0 on, 1 before; the parser
    // reports deeper nesting with Salesforce's text for the version's limit (src/soql/README.md).
    const int max_child_depth = MaxChildDepth(call.api_version);
    const BindContext ctx = Context(call);
    // A bound query depends on its text, the API version (depth limit, visible fields) and the
    // context (the binder reads the day of `now` for date literals, the user for USING SCOPE mine,
    // queryAll, the fiscal year) and on the schema, which is fixed once the org runs.
    std::string key;
    key.reserve(soql.size() + call.user_id.size() + 32);
    key.append(soql);
    key += '\0';
    key += std::to_string(ctx.api_major);  // the depth limit and the fields it can see
    key += '\0';
    key += call.user_id;
    key += '\0';
    key += std::to_string(DayOf(ctx.now));
    key += '\0';
    key += ctx.query_all ? 'a' : 'q';
    if (auto hit = CachedBound(key)) {
        return hit;
    }
    soql::ParseResult parsed = soql::Parse(soql, {.max_child_depth = max_child_depth});
    if (!parsed) {
        const soql::SoqlError& e = parsed.error();
        throw ApiError(400, e.code, e.message);
    }
    BindResult bound = Bind(*parsed, soql, schema_, ctx);
    if (!bound) {
        const soql::SoqlError& e = bound.error();
        throw ApiError(400, e.code, e.message);
    }
    std::shared_ptr<const BoundQuery> out = std::move(*bound);
    RememberBound(std::move(key), out);
    return out;
}

// Bound queries by key (see Prepare). perf (SOQL one indexed row, release): parsing (with
// tokenizing) and binding were 17.6 % of a query's samples, for the same few query shapes
// over and over. A repeated query text skips both; BoundQuery is immutable once bound, so one
// is shared by every request (and locator) that uses it.
std::shared_ptr<const BoundQuery> QueryService::CachedBound(const std::string& key) const {
    std::lock_guard lock(bound_mu_);
    const auto it = bound_.find(key);
    return it == bound_.end() ? nullptr : it->second;
}

void QueryService::RememberBound(std::string key, std::shared_ptr<const BoundQuery> q) const {
    std::lock_guard lock(bound_mu_);
    if (bound_.size() >= kBoundCacheSize) {
        bound_.clear();  // rare: more distinct texts than the cache holds; start again
    }
    bound_.emplace(std::move(key), std::move(q));
}

QueryPage QueryService::Run(std::string_view soql, const QueryCall& call) {
    QueryPage page;
    page.query = Prepare(soql, call);
    const BoundQuery& q = *page.query;
    std::vector<std::int64_t> rowids;
    const auto batch = static_cast<std::size_t>(call.batch_size);
    WithinQueryTimeLimit([&] {
        // One snapshot for the page and its child levels, so they agree with each other.
        Database::Reader rd = ReadSnapshot();
        if (q.count_only) {
            const SqlText t = TranslateCount(q, db_.engine());
            Statement& st = rd.Reusable(t.sql);
            BindAll(st, t.params);
            page.total_size = st.Step() ? st.Int(0) : 0;
            return;
        }
        const SqlText t = TranslateQuery(q, db_.engine());
        Statement& st = rd.Reusable(t.sql);
        BindAll(st, t.params);
        if (q.aggregate) {
            while (st.Step()) {
                if (page.rows.size() == kMaxAggregateRows) {
                    throw ApiError(400,
                                   "MALFORMED_QUERY",
                                   "Aggregate query does not support queryMore(), use LIMIT to "
                                   "restrict the results to a single batch");
                }
                page.rows.push_back(ReadRow(st, q, 0));
            }
            page.total_size = static_cast<std::int64_t>(page.rows.size());
            return;
        }
        // The first batch is read in full; for the rest only the row ids are kept (8 bytes a
        // row), which is the locator's snapshot of the result.
        while (st.Step()) {
            if (page.rows.size() < batch) {
                page.rows.push_back(ReadRow(st, q, 1));
            }
            rowids.push_back(st.Int(0));
        }
        page.total_size = static_cast<std::int64_t>(rowids.size());
        FetchChildren(rd, q, page.rows);
    });
    if (rowids.size() > batch) {
        Cursor c;
        c.user_id = call.user_id;
        c.query = page.query;
        c.rowids = std::move(rowids);
        const std::string locator = OpenCursor(std::move(c));
        page.done = false;
        page.next_records_url = "/services/data/v" + call.api_version + "/" +
                                options_.locator_path + "/" + locator + "-" + std::to_string(batch);
    }
    return page;
}

std::int64_t QueryService::Stream(const BoundQuery& q,
                                  const std::function<bool(const ResultRow&)>& sink) {
    Database::Reader rd = db_.Read(Database::ReadMode::kSnapshot);
    const SqlText t = TranslateQuery(q, db_.engine());
    Statement& st = rd.Reusable(t.sql);
    BindAll(st, t.params);
    std::int64_t n = 0;
    while (st.Step()) {
        ++n;
        if (!sink(ReadRow(st, q, 1))) {
            break;
        }
    }
    st.Reset();
    return n;
}

std::string QueryService::OpenCursor(Cursor cursor) {
    std::lock_guard<std::mutex> guard(mu_);
    const auto now = Now();
    ExpireLocked(now);
    cursor.last_used = now;
    // Per-user bound: release the least recently used locator of this user.
    std::size_t mine = 0;
    auto oldest = cursors_.end();
    for (auto it = cursors_.begin(); it != cursors_.end(); ++it) {
        if (it->second.user_id == cursor.user_id) {
            ++mine;
            if (oldest == cursors_.end() || it->second.last_used < oldest->second.last_used) {
                oldest = it;
            }
        }
    }
    if (mine >= options_.max_locators_per_user && oldest != cursors_.end()) {
        cursors_.erase(oldest);
    }
    // Locators (01g) carry the org's pod like its other ids; a user id has the org's pod.
    const std::string pod =
        cursor.user_id.size() >= 5 ? cursor.user_id.substr(3, 2) : std::string("Lo");
    const std::string id = Id::Make("01g", pod, ++counter_).Str18();
    cursors_.emplace(id, std::move(cursor));
    return id;
}

void QueryService::ExpireLocked(std::chrono::system_clock::time_point now) {
    for (auto it = cursors_.begin(); it != cursors_.end();) {
        if (now - it->second.last_used > options_.locator_idle_timeout) {
            it = cursors_.erase(it);
        } else {
            ++it;
        }
    }
}

std::size_t QueryService::OpenLocators() {
    std::lock_guard<std::mutex> guard(mu_);
    ExpireLocked(Now());
    return cursors_.size();
}

QueryPage QueryService::More(std::string_view locator, const QueryCall& call) {
    const auto dash = locator.rfind('-');
    if (dash == std::string_view::npos || dash + 1 == locator.size()) {
        InvalidLocator();
    }
    const std::string id(locator.substr(0, dash));
    std::size_t offset = 0;
    for (char c : locator.substr(dash + 1)) {
        if (c < '0' || c > '9' || offset > 100000000) {
            InvalidLocator();
        }
        offset = offset * 10 + static_cast<std::size_t>(c - '0');
    }
    std::shared_ptr<const BoundQuery> q;
    std::vector<std::int64_t> ids;
    std::size_t total = 0;
    bool last = false;
    const auto batch = static_cast<std::size_t>(call.batch_size);
    {
        std::lock_guard<std::mutex> guard(mu_);
        const auto now = Now();
        ExpireLocked(now);
        auto it = cursors_.find(id);
        if (it == cursors_.end() || it->second.user_id != call.user_id ||
            offset >= it->second.rowids.size()) {
            InvalidLocator();
        }
        Cursor& c = it->second;
        c.last_used = now;
        q = c.query;
        total = c.rowids.size();
        const std::size_t end = std::min(total, offset + batch);
        ids.assign(c.rowids.begin() + static_cast<std::ptrdiff_t>(offset),
                   c.rowids.begin() + static_cast<std::ptrdiff_t>(end));
        last = end == total;
        if (last) {
            cursors_.erase(it);  // the last page closes the cursor, as Salesforce does
        }
    }
    QueryPage page;
    page.query = q;
    page.total_size = static_cast<std::int64_t>(total);
    WithinQueryTimeLimit([&] {
        Database::Reader rd = ReadSnapshot();
        page.rows = FetchRows(rd, *q, ids);
        FetchChildren(rd, *q, page.rows);
    });
    if (!last) {
        page.done = false;
        page.next_records_url = "/services/data/v" + call.api_version + "/" +
                                options_.locator_path + "/" + id + "-" +
                                std::to_string(offset + ids.size());
    }
    return page;
}

std::vector<ResultRow> QueryService::FetchRows(Database::Reader& rd,
                                               const BoundQuery& q,
                                               const std::vector<std::int64_t>& ids) {
    std::unordered_map<std::int64_t, std::size_t> position;
    position.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        position.emplace(ids[i], i);
    }
    std::vector<std::optional<ResultRow>> slots(ids.size());
    for (std::size_t start = 0; start < ids.size(); start += kChunk) {
        const std::vector<std::int64_t> chunk(
            ids.begin() + static_cast<std::ptrdiff_t>(start),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kChunk)));
        const SqlText t = TranslateFetch(q, chunk, db_.engine());
        Statement& st = rd.Reusable(t.sql);
        BindAll(st, t.params);
        while (st.Step()) {
            slots[position.at(st.Int(0))] = ReadRow(st, q, 1);
        }
    }
    std::vector<ResultRow> rows;
    rows.reserve(ids.size());
    for (auto& s : slots) {
        if (s) {  // a row erased since the query ran is skipped
            rows.push_back(std::move(*s));
        }
    }
    return rows;
}

void QueryService::FetchChildren(Database::Reader& rd,
                                 const BoundQuery& q,
                                 std::vector<ResultRow>& rows) {
    std::vector<ResultRow*> parents;
    parents.reserve(rows.size());
    for (ResultRow& r : rows) {
        parents.push_back(&r);
    }
    FetchChildLevel(rd, q, parents);
}

void QueryService::FetchChildLevel(Database::Reader& rd,
                                   const BoundQuery& q,
                                   const std::vector<ResultRow*>& rows) {
    if (q.children.empty() || rows.empty()) {
        return;
    }
    std::vector<std::string> parent_ids;
    std::unordered_map<std::string, std::size_t> row_of;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (const auto* s = std::get_if<std::string>(&rows[i]->values[q.shape.id_column])) {
            parent_ids.push_back(*s);
            row_of.emplace(*s, i);
        }
    }
    for (std::size_t c = 0; c < q.children.size(); ++c) {
        const ChildQuery& child = q.children[c];
        const BoundQuery& cq = *child.query;
        std::vector<std::size_t> seen(rows.size(), 0);
        for (std::size_t start = 0; start < parent_ids.size(); start += kChunk) {
            const std::vector<std::string> chunk(
                parent_ids.begin() + static_cast<std::ptrdiff_t>(start),
                parent_ids.begin() +
                    static_cast<std::ptrdiff_t>(std::min(parent_ids.size(), start + kChunk)));
            const SqlText t = TranslateChild(child, chunk, db_.engine());
            Statement& st = rd.Reusable(t.sql);
            BindAll(st, t.params);
            while (st.Step()) {
                // Column 0 is the rowid; the parent id is read first so that rows cut by
                // LIMIT/OFFSET are never decoded.
                const SqlValue fk_value = st.Value(1 + child.fk_column);
                const auto* fk = std::get_if<std::string>(&fk_value);
                if (fk == nullptr) {
                    continue;
                }
                const auto it = row_of.find(*fk);
                if (it == row_of.end()) {
                    continue;
                }
                // LIMIT/OFFSET apply to each parent's children.
                const std::size_t n = seen[it->second]++;
                if (cq.offset && n < static_cast<std::size_t>(*cq.offset)) {
                    continue;
                }
                auto& slot = rows[it->second]->children[c];
                if (!slot) {
                    slot.emplace();
                }
                if (cq.limit && slot->size() >= static_cast<std::size_t>(*cq.limit)) {
                    continue;
                }
                slot->push_back(ReadRow(st, cq, 1));
            }
        }
        if (cq.children.empty()) {
            continue;
        }
        // The next level, for every child kept under any parent of this page at once. The
        // slots are complete, so the pointers stay valid while the level below fills them.
        std::vector<ResultRow*> kept;
        for (ResultRow* parent : rows) {
            if (auto& slot = parent->children[c]) {
                for (ResultRow& r : *slot) {
                    kept.push_back(&r);
                }
            }
        }
        FetchChildLevel(rd, cq, kept);
    }
}

}  // namespace sfkit::server::query
