// Query execution and query locators.
#include "server/query/query_service.hpp"

#include <algorithm>
#include <random>
#include <unordered_map>

#include "sfkit/core/id.hpp"

#include "server/http/api_error.hpp"
#include "server/query/binder.hpp"
#include "server/query/date_literals.hpp"
#include "server/query/query_limits.hpp"
#include "server/query/sql_translator.hpp"
#include "server/schema/field_value.hpp"
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

/// Row ids of a locator per row of query_locator_rows (any page of at most kMaxBatchSize rows
/// then spans at most two of them).
constexpr std::size_t kIdsPerChunk = 2000;

std::int64_t ToMs(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// Row ids as text: the first, then the difference to the one before, comma-separated (results
/// in insert order are runs of "1", two bytes a row). Text, not a blob: the stores bind text on
/// both engines.
std::string EncodeIds(const std::int64_t* ids, std::size_t n) {
    std::string out;
    out.reserve(n * 2 + 16);
    std::int64_t prev = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) {
            out += ',';
        }
        out += std::to_string(ids[i] - prev);
        prev = ids[i];
    }
    return out;
}

void DecodeIds(std::string_view text, std::vector<std::int64_t>& out) {
    std::int64_t prev = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        bool negative = false;
        if (text[i] == '-') {
            negative = true;
            ++i;
        }
        std::int64_t d = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            d = d * 10 + (text[i] - '0');
            ++i;
        }
        prev += negative ? -d : d;
        out.push_back(prev);
        ++i;  // the comma
    }
}

constexpr const char* kLocatorColumns =
    "service, user_id, soql, api_version, query_all, bound_ms, total, last_used_ms";

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
    : db_(db), schema_(schema), options_(std::move(options)) {
    CreateLocatorTables();
}

void QueryService::CreateLocatorTables() {
    // Created with the org's other tables (the services are built while the node holds the
    // bootstrap lock); every QueryService of the org shares them, told apart by `service`.
    Database& db = LocatorDb();
    Transaction tx(db);
    db.Exec(
        "CREATE TABLE IF NOT EXISTS query_locator ("
        " id TEXT PRIMARY KEY,"
        " service TEXT NOT NULL,"
        " user_id TEXT NOT NULL,"
        " soql TEXT NOT NULL,"
        " api_version TEXT NOT NULL,"
        " query_all INTEGER NOT NULL,"
        " bound_ms INTEGER NOT NULL,"
        " total INTEGER NOT NULL,"
        " last_used_ms INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS query_locator_by_user ON query_locator (user_id, "
        "last_used_ms);"
        "CREATE INDEX IF NOT EXISTS query_locator_by_use ON query_locator (last_used_ms);"
        "CREATE TABLE IF NOT EXISTS query_locator_rows ("
        " locator TEXT NOT NULL REFERENCES query_locator (id) ON DELETE CASCADE,"
        " chunk INTEGER NOT NULL,"
        " rowids TEXT NOT NULL,"
        " PRIMARY KEY (locator, chunk));");
    tx.Commit();
}

QueryService::~QueryService() = default;

std::chrono::system_clock::time_point QueryService::Now() const {
    return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

BindContext QueryService::ContextAt(const QueryCall& call,
                                    std::chrono::system_clock::time_point now) const {
    BindContext ctx;
    ctx.now = now;
    ctx.user_id = call.user_id;
    ctx.query_all = call.query_all;
    ctx.fiscal_start_month = options_.fiscal_start_month;
    ctx.api_major = ApiMajor(call.api_version);
    return ctx;
}

std::shared_ptr<const BoundQuery> QueryService::PrepareAt(
    std::string_view soql, const QueryCall& call, std::chrono::system_clock::time_point now) const {
    // Child subqueries nest 4 levels below the root from API 58.0 on, 1 before; the parser
    // reports deeper nesting with Salesforce's text for the version's limit (src/soql/README.md).
    const int max_child_depth = MaxChildDepth(call.api_version);
    const BindContext ctx = ContextAt(call, now);
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
    const auto now = Now();
    page.query = PrepareAt(soql, call, now);
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
        c.soql = std::string(soql);
        c.api_version = call.api_version;
        c.query_all = call.query_all;
        c.bound_ms = ToMs(now);
        c.rowids = std::move(rowids);
        const std::string locator = OpenCursor(c);
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

std::string QueryService::OpenCursor(const Cursor& cursor) {
    const std::int64_t now = ToMs(Now());
    // Locators (01g) carry the org's pod like its other ids; a user id has the org's pod. The
    // counter part is random (62^9 values): nodes need no shared counter, and a locator cannot
    // be guessed from another.
    const std::string pod =
        cursor.user_id.size() >= 5 ? cursor.user_id.substr(3, 2) : std::string("Lo");
    thread_local std::random_device random;  // the system's entropy source
    const std::uint64_t counter = static_cast<std::uint64_t>(random()) << 32 | random();
    constexpr std::uint64_t kCounters = 13'537'086'546'263'552ULL;  // 62^9
    const std::string id = Id::Make("01g", pod, counter % kCounters).Str18();
    Database& db = LocatorDb();
    Transaction tx(db);
    ExpireLocked(now);
    // Per-user bound: keep the user's most recently used locators, one fewer than allowed, and
    // add this one (opens on other nodes at the same moment may exceed it briefly).
    {
        Statement mine = db.Prepare(
            "SELECT id FROM query_locator WHERE user_id = ? ORDER BY last_used_ms DESC, id DESC");
        mine.Bind(1, cursor.user_id);
        std::vector<std::string> release;
        std::size_t n = 0;
        while (mine.Step()) {
            if (++n >= options_.max_locators_per_user) {
                release.push_back(mine.Text(0));
            }
        }
        for (const std::string& old : release) {
            db.Prepare("DELETE FROM query_locator WHERE id = ?").Bind(1, old).Run();
        }
    }
    db.Prepare(std::string("INSERT INTO query_locator (id, ") + kLocatorColumns +
               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, id)
        .Bind(2, options_.locator_path)
        .Bind(3, cursor.user_id)
        .Bind(4, cursor.soql)
        .Bind(5, cursor.api_version)
        .Bind(6, std::int64_t{cursor.query_all ? 1 : 0})
        .Bind(7, cursor.bound_ms)
        .Bind(8, static_cast<std::int64_t>(cursor.rowids.size()))
        .Bind(9, now)
        .Run();
    Statement& rows =
        db.Cached("INSERT INTO query_locator_rows (locator, chunk, rowids) VALUES (?, ?, ?)");
    for (std::size_t start = 0, chunk = 0; start < cursor.rowids.size();
         start += kIdsPerChunk, ++chunk) {
        const std::size_t n = std::min(kIdsPerChunk, cursor.rowids.size() - start);
        rows.Bind(1, id)
            .Bind(2, static_cast<std::int64_t>(chunk))
            .Bind(3, EncodeIds(cursor.rowids.data() + start, n));
        rows.Run();
        rows.Reset();
    }
    tx.Commit();
    return id;
}

void QueryService::ExpireLocked(std::int64_t now_ms) {
    const std::int64_t idle_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.locator_idle_timeout)
            .count();
    Statement& st = LocatorDb().Cached("DELETE FROM query_locator WHERE last_used_ms < ?");
    st.Bind(1, now_ms - idle_ms);
    st.Run();
    st.Reset();
}

std::size_t QueryService::OpenLocators() {
    Database& db = LocatorDb();
    Transaction tx(db);
    ExpireLocked(ToMs(Now()));
    Statement st = db.Prepare("SELECT COUNT(*) FROM query_locator");
    const auto n = static_cast<std::size_t>(st.Step() ? st.Int(0) : 0);
    st.Reset();
    tx.Commit();
    return n;
}

QueryPage QueryService::More(std::string_view locator, const QueryCall& call) {
    const auto dash = locator.rfind('-');
    if (dash == std::string_view::npos || dash + 1 == locator.size()) {
        InvalidLocator();
    }
    const std::string id(locator.substr(0, dash));
    // The locators handed out are 18-character ids; anything else is not looked up (nor bound
    // as text the database might refuse, such as bytes that are not UTF-8).
    if (id.size() != 18 || !std::all_of(id.begin(), id.end(), [](char ch) {
            return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        })) {
        InvalidLocator();
    }
    std::size_t offset = 0;
    for (char c : locator.substr(dash + 1)) {
        if (c < '0' || c > '9' || offset > 100000000) {
            InvalidLocator();
        }
        offset = offset * 10 + static_cast<std::size_t>(c - '0');
    }
    const auto batch = static_cast<std::size_t>(call.batch_size);
    const std::int64_t now = ToMs(Now());
    const std::int64_t idle_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.locator_idle_timeout)
            .count();
    // The locator: its query and the row ids of this page, from whichever node opened it.
    Cursor c;
    std::size_t total = 0;
    std::int64_t last_used = 0;
    {
        Database::Reader rd = LocatorDb().Read(Database::ReadMode::kSnapshot);
        Statement& head = rd.Cached(std::string("SELECT ") + kLocatorColumns +
                                    " FROM query_locator WHERE id = ?");
        head.Bind(1, id);
        const bool found = head.Step();
        if (found) {
            const bool usable = head.Text(0) == options_.locator_path &&
                                head.Text(1) == call.user_id && now - head.Int(7) <= idle_ms &&
                                offset < static_cast<std::size_t>(head.Int(6));
            if (usable) {
                c.user_id = head.Text(1);
                c.soql = head.Text(2);
                c.api_version = head.Text(3);
                c.query_all = head.Int(4) != 0;
                c.bound_ms = head.Int(5);
                total = static_cast<std::size_t>(head.Int(6));
                last_used = head.Int(7);
            }
        }
        head.Reset();
        if (total == 0) {
            InvalidLocator();
        }
        const std::size_t end = std::min(total, offset + batch);
        Statement& chunks = rd.Cached(
            "SELECT chunk, rowids FROM query_locator_rows WHERE locator = ? AND chunk >= ? AND "
            "chunk <= ? ORDER BY chunk");
        chunks.Bind(1, id)
            .Bind(2, static_cast<std::int64_t>(offset / kIdsPerChunk))
            .Bind(3, static_cast<std::int64_t>((end - 1) / kIdsPerChunk));
        std::vector<std::int64_t> all;
        std::size_t first = 0;  // the index in the result of all.front()
        bool any = false;
        while (chunks.Step()) {
            if (!any) {
                first = static_cast<std::size_t>(chunks.Int(0)) * kIdsPerChunk;
                any = true;
            }
            DecodeIds(chunks.Text(1), all);
        }
        chunks.Reset();
        if (!any || first > offset || first + all.size() < end) {
            InvalidLocator();  // released while being read
        }
        c.rowids.assign(all.begin() + static_cast<std::ptrdiff_t>(offset - first),
                        all.begin() + static_cast<std::ptrdiff_t>(end - first));
    }
    const bool last = offset + c.rowids.size() == total;
    QueryCall original = call;
    original.api_version = c.api_version;
    original.query_all = c.query_all;
    QueryPage page;
    page.query =
        PrepareAt(c.soql,
                  original,
                  std::chrono::system_clock::time_point(std::chrono::milliseconds(c.bound_ms)));
    page.total_size = static_cast<std::int64_t>(total);
    WithinQueryTimeLimit([&] {
        Database::Reader rd = ReadSnapshot();
        page.rows = FetchRows(rd, *page.query, c.rowids);
        FetchChildren(rd, *page.query, page.rows);
    });
    if (last) {
        // The last page closes the cursor, as Salesforce does.
        Database& db = LocatorDb();
        Transaction tx(db);
        Statement& st = db.Cached("DELETE FROM query_locator WHERE id = ?");
        st.Bind(1, id);
        st.Run();
        st.Reset();
        tx.Commit();
    } else if (now - last_used >= std::chrono::duration_cast<std::chrono::milliseconds>(
                                      options_.locator_touch_interval)
                                      .count()) {
        Database& db = LocatorDb();
        Transaction tx(db);
        Statement& st =
            db.Cached("UPDATE query_locator SET last_used_ms = MAX(last_used_ms, ?) WHERE id = ?");
        st.Bind(1, now).Bind(2, id);
        st.Run();
        st.Reset();
        tx.Commit();
    }
    if (!last) {
        page.done = false;
        page.next_records_url = "/services/data/v" + call.api_version + "/" +
                                options_.locator_path + "/" + id + "-" +
                                std::to_string(offset + c.rowids.size());
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
    // ActivityHistory / OpenActivity tell past events from future ones by the service's clock.
    const std::string now = FormatDateTime(Now());
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
            const SqlText t = TranslateChild(child, chunk, db_.engine(), now);
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
