// Bulk API 2.0 query jobs (see query_jobs.hpp). Choices where Salesforce is silent are marked
// [M] here and in docs/bulk.md.
#include "server/bulk/query_jobs.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json.hpp>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "codec/csv.hpp"
#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/bulk/job_blobs.hpp"
#include "server/bulk/job_files.hpp"
#include "server/bulk/job_leases.hpp"
#include "server/bulk/worker.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/query/query_render.hpp"
#include "server/query/query_service.hpp"
#include "server/schema/field_value.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk {
namespace {

namespace json = boost::json;
using query::OutItem;
using query::OutObject;

constexpr const char* kUploadComplete = "UploadComplete";
constexpr const char* kInProgress = "InProgress";
constexpr const char* kJobComplete = "JobComplete";
constexpr const char* kFailed = "Failed";
constexpr const char* kAborted = "Aborted";

/// The most bytes a results page holds whatever maxRecords asks (a page is read whole into
/// memory) [M]. Without maxRecords a page has LocalOrgOptions::bulk_query_page_rows rows [M].
constexpr std::uint64_t kMaxPageBytes = 8 * 1024 * 1024;
/// GET .../resultPages exists from API 58.0 and gives up to five result URLs an answer.
constexpr int kResultPagesSince = 58;
constexpr std::size_t kResultPagesPerAnswer = 5;
/// Jobs per page of GET /jobs/query (bulk-wire.md §2.8: up to 1,000).
constexpr std::int64_t kJobsPerListPage = 1000;
/// Terminal jobs and their results are kept this long (bulk-wire.md §3.6: 7 days).
constexpr std::int64_t kRetentionMs = 7LL * 24 * 3600 * 1000;
/// A running job looks for an abort (or the org stopping) after this many rows.
constexpr std::int64_t kCheckEveryRows = 1000;

constexpr const char* kResultFile = "result.csv";
constexpr const char* kIndexFile = "result.idx";

struct QueryJob {
    std::string id;
    std::string operation;  ///< query | queryAll
    std::string object;
    std::string soql;
    std::string created_by;
    std::int64_t created_ms = 0;
    std::int64_t modstamp_ms = 0;
    std::string state;
    std::string api_version;  ///< "66.0"
    std::string line_ending;  ///< LF | CRLF
    std::string column_delimiter;
    std::int64_t records = 0;
    std::int64_t processing_ms = 0;
    std::int64_t result_bytes = 0;
    std::optional<std::string> error_message;

    bool Terminal() const { return state == kJobComplete || state == kFailed || state == kAborted; }
};

std::int64_t NowMs(const LocalOrgOptions& options) {
    const auto now = options.clock ? options.clock() : std::chrono::system_clock::now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

std::string Timestamp(std::int64_t ms) {
    return JobTimestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

/// The delimiter character of a Bulk 2.0 `columnDelimiter` name, or 0 when it names none.
char DelimiterChar(std::string_view name) {
    if (name == "COMMA") {
        return ',';
    }
    if (name == "TAB") {
        return '\t';
    }
    if (name == "PIPE") {
        return '|';
    }
    if (name == "SEMICOLON") {
        return ';';
    }
    if (name == "CARET") {
        return '^';
    }
    if (name == "BACKQUOTE") {
        return '`';
    }
    return 0;
}

/// Bulk 2.0 errors are JSON arrays `[{"errorCode","message"}]` (errorCode first, bulk-wire §0.11).
ApiError BulkError(int status, std::string code, std::string message) {
    return ApiError(status, std::move(code), std::move(message), /*code_first=*/true);
}

ApiError JobNotFound() {
    return BulkError(404, "NOT_FOUND", "The requested resource does not exist");
}

/// Locators: base64 of the decimal row offset, as the documentation's examples look
/// (`MTAwMDA` = "10000"), without padding (bulk-wire.md §3.4) [M].
std::string EncodeLocator(std::int64_t offset) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = std::to_string(offset);
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (const unsigned char c : in) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buf >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += kAlphabet[(buf << (6 - bits)) & 0x3f];
    }
    return out;
}

/// The row offset of a locator, or nullopt when it is not one this server wrote.
std::optional<std::int64_t> DecodeLocator(std::string_view locator) {
    std::string text;
    std::uint32_t buf = 0;
    int bits = 0;
    for (const char c : locator) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;
        } else if (c == '+') {
            v = 62;
        } else if (c == '/') {
            v = 63;
        } else if (c == '=') {
            break;
        }
        if (v < 0) {
            return std::nullopt;
        }
        buf = (buf << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            text += static_cast<char>((buf >> bits) & 0xff);
        }
    }
    if (text.empty() || text.size() > 15) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n * 10 + (c - '0');
    }
    return EncodeLocator(n) == locator ? std::optional<std::int64_t>(n) : std::nullopt;
}

/// What Bulk API 2.0 query refuses in a query the REST query path accepts (bulk-wire.md §3.2:
/// GROUP BY, OFFSET, TYPEOF, aggregate functions, compound fields, parent-to-child subqueries).
/// The subquery text is Salesforce's (an org's answer quoted in OpenFn/adaptors#395); the
/// others follow its pattern [M]. Refused when the job is created: 400 API_ERROR [M].
bool HasTypeof(const OutObject& o) {
    if (o.typeof_) {
        return true;
    }
    for (const OutItem& item : o.items) {
        if (item.kind == OutItem::Kind::kRelation && HasTypeof(*item.object)) {
            return true;
        }
    }
    return false;
}

bool HasCompound(const std::vector<OutItem>& items) {
    for (const OutItem& item : items) {
        if (item.kind == OutItem::Kind::kCompound ||
            (item.kind == OutItem::Kind::kRelation && HasCompound(item.object->items))) {
            return true;
        }
    }
    return false;
}

void RefuseUnsupported(const query::BoundQuery& q) {
    const auto refuse = [](const std::string& what) {
        throw BulkError(400, "API_ERROR", what + " not supported in Bulk V2 Query");
    };
    if (!q.children.empty()) {
        throw BulkError(400,
                        "API_ERROR",
                        "Aggregate Relationships not supported in Bulk V2 Query with CSV content "
                        "type");
    }
    if (!q.group_by.empty()) {
        refuse("GROUP BY");
    }
    if (q.aggregate || q.count_only) {
        refuse("Aggregate queries");
    }
    if (q.offset) {
        refuse("OFFSET");
    }
    if (HasTypeof(q.shape)) {
        refuse("TYPEOF");
    }
    if (HasCompound(q.shape.items)) {
        throw BulkError(400,
                        "API_ERROR",
                        "Compound fields not supported in Bulk V2 Query with CSV content type");
    }
}

/// Reads `n` bytes at `offset` of an open file.
std::string ReadAt(int fd, std::uint64_t offset, std::uint64_t n) {
    std::string out(static_cast<std::size_t>(n), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t r =
            ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            throw std::runtime_error(std::string("cannot read a query result: ") +
                                     (r < 0 ? std::strerror(errno) : "file too short"));
        }
        done += static_cast<std::size_t>(r);
    }
    return out;
}

class ReadOnlyFile {
public:
    explicit ReadOnlyFile(const std::filesystem::path& path)
        : fd_(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) {
        if (fd_ < 0) {
            throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
        }
    }
    ~ReadOnlyFile() { ::close(fd_); }
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
    int Fd() const { return fd_; }

private:
    int fd_;
};

/// Row offsets are stored as 8-byte little-endian numbers (the machine's order: the index
/// never leaves the data directory it was written in).
void AppendOffset(std::string& out, std::uint64_t offset) {
    char bytes[sizeof offset];
    std::memcpy(bytes, &offset, sizeof offset);
    out.append(bytes, sizeof offset);
}

std::uint64_t OffsetAt(std::string_view index, std::size_t i) {
    std::uint64_t v = 0;
    std::memcpy(&v, index.data() + i * sizeof v, sizeof v);
    return v;
}

class QueryJobs final : public BulkApi {
public:
    explicit QueryJobs(const BulkContext& ctx)
        : ctx_(ctx),
          queries_(
              ctx.db, ctx.records.schema, query::QueryServiceOptions{.clock = ctx.options.clock}),
          leases_(ctx.db, "bulk_query_job", ctx.node_id, ctx.options.bulk_lease) {}

    void RegisterRoutes(Router& router) override {
        const std::string base = "/services/data/v{version}/jobs/query";
        router.Add({{"POST"}, base, true, [this](Call& c) { return Create(c); }});
        router.Add({{"GET"}, base, true, [this](Call& c) { return List(c); }});
        router.Add({{"GET"}, base + "/{jobId}", true, [this](Call& c) { return Info(c); }});
        router.Add({{"PATCH"}, base + "/{jobId}", true, [this](Call& c) { return Abort(c); }});
        router.Add({{"DELETE"}, base + "/{jobId}", true, [this](Call& c) { return Delete(c); }});
        router.Add(
            {{"GET"}, base + "/{jobId}/results", true, [this](Call& c) { return Results(c); }});
        router.Add({{"GET"}, base + "/{jobId}/resultPages", true, [this](Call& c) {
                        return ResultPages(c);
                    }});
    }

    void Start() override {
        {
            auto lock = ctx_.db.Acquire();
            ctx_.db.Exec(
                "CREATE TABLE IF NOT EXISTS bulk_query_job ("
                " id TEXT PRIMARY KEY, operation TEXT NOT NULL, object TEXT NOT NULL,"
                " soql TEXT NOT NULL, created_by TEXT NOT NULL, created_ms INTEGER NOT NULL,"
                " modstamp_ms INTEGER NOT NULL, state TEXT NOT NULL, api_version TEXT NOT NULL,"
                " line_ending TEXT NOT NULL, column_delimiter TEXT NOT NULL,"
                " records INTEGER NOT NULL DEFAULT 0, processing_ms INTEGER NOT NULL DEFAULT 0,"
                " result_bytes INTEGER NOT NULL DEFAULT 0, error_message TEXT" +
                std::string(ctx_.db.Dialect().RowIdColumn()) + ")");
        }
        leases_.AddColumns();
        if (!ctx_.db.Dialect().Postgres()) {
            leases_.ForgetAll();  // a SQLite org has one node: its jobs resume at once
        }
        // Terminal jobs past their retention go, with their results. Jobs queued or running
        // when a node stopped are claimed again (Claim) and run from the start.
        const std::int64_t cutoff = NowMs(ctx_.options) - kRetentionMs;
        for (const QueryJob& job : LoadAll()) {
            if (job.Terminal() && job.modstamp_ms < cutoff) {
                Remove(job.id);
            }
        }
    }

    /// Claims ready jobs while this node runs fewer than it has worker threads.
    void Claim() override {
        leases_.ClaimWhileFree(
            "state IN ('UploadComplete', 'InProgress')",
            std::max<std::size_t>(ctx_.options.bulk_threads, 1),
            active_,
            [this] { return ctx_.worker.Stopping(); },
            [this](const std::string& id) { Post(id); });
    }

    void Stopped() override { leases_.ReleaseMine(); }

private:
    // ---- storage ----------------------------------------------------------------------------

    static constexpr const char* kColumns =
        "id, operation, object, soql, created_by, created_ms, modstamp_ms, state, api_version,"
        " line_ending, column_delimiter, records, processing_ms, result_bytes, error_message";

    static QueryJob Row(const Statement& st) {
        QueryJob j;
        j.id = st.Text(0);
        j.operation = st.Text(1);
        j.object = st.Text(2);
        j.soql = st.Text(3);
        j.created_by = st.Text(4);
        j.created_ms = st.Int(5);
        j.modstamp_ms = st.Int(6);
        j.state = st.Text(7);
        j.api_version = st.Text(8);
        j.line_ending = st.Text(9);
        j.column_delimiter = st.Text(10);
        j.records = st.Int(11);
        j.processing_ms = st.Int(12);
        j.result_bytes = st.Int(13);
        if (!st.IsNull(14)) {
            j.error_message = st.Text(14);
        }
        return j;
    }

    std::optional<QueryJob> Load(const std::string& id) {
        auto rd = ctx_.db.Read();
        Statement st =
            rd.Prepare(std::string("SELECT ") + kColumns + " FROM bulk_query_job WHERE id = ?");
        st.Bind(1, id);
        if (!st.Step()) {
            return std::nullopt;
        }
        return Row(st);
    }

    std::vector<QueryJob> LoadAll(std::int64_t offset = 0, std::int64_t limit = -1) {
        auto rd = ctx_.db.Read();
        Statement st = rd.Prepare(std::string("SELECT ") + kColumns +
                                  " FROM bulk_query_job ORDER BY rowid LIMIT ? OFFSET ?");
        st.Bind(1, limit);
        st.Bind(2, offset);
        std::vector<QueryJob> out;
        while (st.Step()) {
            out.push_back(Row(st));
        }
        return out;
    }

    std::int64_t CountJobs() {
        auto rd = ctx_.db.Read();
        Statement st = rd.Prepare("SELECT COUNT(*) FROM bulk_query_job");
        return st.Step() ? st.Int(0) : 0;
    }

    void Insert(const QueryJob& j) {
        auto lock = ctx_.db.Acquire();
        Statement st = ctx_.db.Prepare(
            "INSERT INTO bulk_query_job (id, operation, object, soql, created_by, created_ms,"
            " modstamp_ms, state, api_version, line_ending, column_delimiter)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.Bind(1, j.id);
        st.Bind(2, j.operation);
        st.Bind(3, j.object);
        st.Bind(4, j.soql);
        st.Bind(5, j.created_by);
        st.Bind(6, j.created_ms);
        st.Bind(7, j.modstamp_ms);
        st.Bind(8, j.state);
        st.Bind(9, j.api_version);
        st.Bind(10, j.line_ending);
        st.Bind(11, j.column_delimiter);
        st.Run();
    }

    /// Moves job `id` to `state` if it is in one of `from`; true when it did.
    bool Transition(const std::string& id,
                    const char* state,
                    std::initializer_list<const char*> from,
                    std::int64_t records = -1,
                    std::int64_t processing_ms = -1,
                    std::int64_t result_bytes = -1,
                    const std::optional<std::string>& error = std::nullopt) {
        std::string sql =
            "UPDATE bulk_query_job SET state = ?, modstamp_ms = ?,"
            " records = CASE WHEN ? >= 0 THEN ? ELSE records END,"
            " processing_ms = CASE WHEN ? >= 0 THEN ? ELSE processing_ms END,"
            " result_bytes = CASE WHEN ? >= 0 THEN ? ELSE result_bytes END,"
            " error_message = COALESCE(?, error_message) WHERE id = ? AND state IN (";
        for (std::size_t i = 0; i < from.size(); ++i) {
            sql += i == 0 ? "?" : ", ?";
        }
        sql += ")";
        auto lock = ctx_.db.Acquire();
        Statement st = ctx_.db.Prepare(sql);
        int k = 1;
        st.Bind(k++, state);
        st.Bind(k++, NowMs(ctx_.options));
        for (const std::int64_t v : {records, processing_ms, result_bytes}) {
            st.Bind(k++, v);
            st.Bind(k++, v);
        }
        if (error) {
            st.Bind(k++, *error);
        } else {
            st.BindNull(k++);
        }
        st.Bind(k++, id);
        for (const char* f : from) {
            st.Bind(k++, f);
        }
        st.Run();
        return ctx_.db.Changes() > 0;
    }

    void Remove(const std::string& id) {
        {
            Transaction tx(ctx_.db);
            Statement st = ctx_.db.Prepare("DELETE FROM bulk_query_job WHERE id = ?");
            st.Bind(1, id);
            st.Run();
            ctx_.blobs.RemoveRows(id);
            tx.Commit();
        }
        ctx_.blobs.RemoveLocal(id);
    }

    // ---- JSON -------------------------------------------------------------------------------

    enum class Shape {
        kCreate,  ///< POST answer: up to columnDelimiter, no jobType (bulk-wire.md §3.2)
        kAbort,   ///< PATCH answer: ends at apiVersion (§3.5)
        kList,    ///< GET /jobs/query records: with jobType, up to columnDelimiter (§2.8)
        kInfo,    ///< GET job: everything (§3.3)
    };

    static json::object JobJson(const QueryJob& j, Shape shape) {
        json::object o;
        o["id"] = j.id;
        o["operation"] = j.operation;
        o["object"] = j.object;
        o["createdById"] = j.created_by;
        o["createdDate"] = Timestamp(j.created_ms);
        o["systemModstamp"] = Timestamp(j.modstamp_ms);
        o["state"] = j.state;
        o["concurrencyMode"] = "Parallel";
        o["contentType"] = "CSV";
        o["apiVersion"] = std::strtod(j.api_version.c_str(), nullptr);
        if (shape == Shape::kAbort) {
            return o;
        }
        if (shape != Shape::kCreate) {
            o["jobType"] = "V2Query";
        }
        o["lineEnding"] = j.line_ending;
        o["columnDelimiter"] = j.column_delimiter;
        if (shape != Shape::kInfo) {
            return o;
        }
        o["numberRecordsProcessed"] = j.records;
        o["retries"] = 0;
        o["totalProcessingTime"] = j.processing_ms;
        o["isPkChunkingSupported"] = true;
        if (j.error_message) {
            // Not documented for query jobs; harmless to clients (bulk-wire.md §3.3) [M].
            o["errorMessage"] = *j.error_message;
        }
        return o;
    }

    // ---- handlers ---------------------------------------------------------------------------

    static std::string OptionalText(const json::object& body,
                                    std::string_view key,
                                    std::string_view fallback) {
        const json::value* v = body.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::string(fallback);
        }
        if (!v->is_string()) {
            throw BulkError(400, "INVALIDJOB", "Invalid value for " + std::string(key));  // [M]
        }
        return std::string(v->get_string());
    }

    Response Create(Call& call) {
        RequireServedVersion(call.api_version);
        auto parsed = codec::ParseJson(call.req.body);
        if (!parsed) {
            throw BulkError(400, "JSON_PARSER_ERROR", parsed.error().message);
        }
        if (!parsed->is_object()) {
            throw BulkError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
        }
        const json::object& body = parsed->get_object();
        QueryJob job;
        job.operation = OptionalText(body, "operation", "");
        if (job.operation != "query" && job.operation != "queryAll") {
            // [M] text and code: not recorded (bulk-wire.md §6).
            throw BulkError(400,
                            "INVALIDJOB",
                            job.operation.empty()
                                ? "The operation is required: query or queryAll"
                                : "Invalid operation: " + job.operation +
                                      " (a query job's operation is query or queryAll)");
        }
        job.soql = OptionalText(body, "query", "");
        if (job.soql.empty()) {
            throw BulkError(400, "INVALIDJOB", "The query is required");  // [M]
        }
        if (OptionalText(body, "contentType", "CSV") != "CSV") {
            throw BulkError(400, "INVALIDJOB", "The contentType of a query job must be CSV");
        }
        job.column_delimiter = OptionalText(body, "columnDelimiter", "COMMA");
        if (DelimiterChar(job.column_delimiter) == 0) {
            throw BulkError(400,
                            "INVALIDJOB",
                            "Invalid columnDelimiter: " + job.column_delimiter +
                                " (BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON or TAB)");
        }
        job.line_ending = OptionalText(body, "lineEnding", "LF");
        if (job.line_ending != "LF" && job.line_ending != "CRLF") {
            throw BulkError(
                400, "INVALIDJOB", "Invalid lineEnding: " + job.line_ending + " (LF or CRLF)");
        }
        job.created_by = call.session != nullptr ? call.session->user_id : std::string();
        job.api_version = call.api_version;
        // The SOQL goes through the REST query path: its errors are the REST ones (400
        // MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE ...), plus what Bulk refuses.
        const auto bound = queries_.Prepare(job.soql, CallOf(job));
        RefuseUnsupported(*bound);
        job.object = bound->object->name;
        // Daily allocations (bulk-wire.md §3.6), refused as Bulk refuses an exceeded quota [M].
        if (ctx_.usage.Remaining(BulkLimit::kQueryFileStorageMb) <= 0) {
            throw BulkError(400,
                            "EXCEEDEDQUOTA",
                            "Exceeded the daily Bulk API 2.0 query results storage limit "
                            "(DailyBulkV2QueryFileStorageMB)");
        }
        if (!ctx_.usage.TryCount(BulkLimit::kQueryJobs)) {
            throw BulkError(400,
                            "EXCEEDEDQUOTA",
                            "Exceeded the daily limit of Bulk API 2.0 query jobs "
                            "(DailyBulkV2QueryJobs)");
        }
        job.id = NewBulkId(ctx_, kJobKeyPrefix);
        job.created_ms = job.modstamp_ms = NowMs(ctx_.options);
        job.state = kUploadComplete;
        Insert(job);
        // Claimed here at once when this node has a free worker thread, else by the next poll
        // of any node.
        Claim();
        // JSON whatever the Accept header says (simple-salesforce sends text/csv: §0.9).
        return JsonResponse(200, JobJson(job, Shape::kCreate), call.pretty);
    }

    QueryJob Require(Call& call) {
        RequireServedVersion(call.api_version);
        auto job = Load(call.Param("jobId"));
        if (!job) {
            throw JobNotFound();
        }
        return std::move(*job);
    }

    Response Info(Call& call) {
        return JsonResponse(200, JobJson(Require(call), Shape::kInfo), call.pretty);
    }

    Response List(Call& call) {
        RequireServedVersion(call.api_version);
        // Parameters given without a value (`?jobType&queryLocator`, as the Postman collection
        // sends them) are no filter.
        const auto param = [&](std::string_view name) {
            auto v = call.req.QueryParam(name);
            return v && !v->empty() ? v : std::nullopt;
        };
        std::int64_t offset = 0;
        if (const auto locator = param("queryLocator")) {
            const auto at = DecodeLocator(*locator);
            if (!at) {
                throw BulkError(400, "INVALIDQUERYLOCATOR", "Invalid query locator");  // [M]
            }
            offset = *at;
        }
        // Only V2Query jobs are kept here: a filter for another type lists none.
        const auto type = param("jobType");
        const auto mode = param("concurrencyMode");
        const bool none = (type && *type != "V2Query") || (mode && *mode != "Parallel");
        json::array records;
        std::int64_t total = 0;
        if (!none) {
            total = CountJobs();
            for (const QueryJob& j : LoadAll(offset, kJobsPerListPage)) {
                records.push_back(JobJson(j, Shape::kList));
            }
        }
        const std::int64_t next = offset + static_cast<std::int64_t>(records.size());
        const bool done = next >= total;
        json::object out;
        out["done"] = done;
        out["records"] = std::move(records);
        if (done) {
            out["nextRecordsUrl"] = nullptr;
        } else {
            out["nextRecordsUrl"] = "/services/data/v" + call.api_version +
                                    "/jobs/query?queryLocator=" + EncodeLocator(next);
        }
        return JsonResponse(200, out, call.pretty);
    }

    Response Abort(Call& call) {
        QueryJob job = Require(call);
        auto parsed = codec::ParseJson(call.req.body);
        if (!parsed) {
            throw BulkError(400, "JSON_PARSER_ERROR", parsed.error().message);
        }
        const json::object* body = parsed->if_object();
        const std::string state =
            body != nullptr ? OptionalText(*body, "state", "") : std::string();
        if (state != kAborted) {
            // A query job is UploadComplete from its creation: Aborted is the only change a
            // client may ask for [M].
            throw BulkError(400,
                            "INVALIDJOBSTATE",
                            "Invalid state: " + state + ". A query job can only be Aborted");
        }
        {
            std::lock_guard lock(mu_);
            aborting_.insert(job.id);
        }
        if (!Transition(job.id, kAborted, {kUploadComplete, kInProgress})) {
            std::lock_guard lock(mu_);
            aborting_.erase(job.id);
            throw BulkError(400, "INVALIDJOBSTATE", "Aborting already Completed Job not allowed");
        }
        job = *Load(job.id);
        return JsonResponse(200, JobJson(job, Shape::kAbort), call.pretty);
    }

    Response Delete(Call& call) {
        const QueryJob job = Require(call);
        if (!job.Terminal()) {
            throw BulkError(400,
                            "API_ERROR",
                            "Error encountered when deleting the job because the job is not "
                            "terminated");
        }
        Remove(job.id);
        return NoContent();
    }

    /// The job whose results `call` asks for: JobComplete, and asked with its API version.
    QueryJob RequireResults(Call& call) {
        QueryJob job = Require(call);
        if (job.api_version != call.api_version) {
            // The documented 409 (bulk-wire.md §1.1); code and text [M].
            throw BulkError(409,
                            "API_ERROR",
                            "Query job results must be retrieved with the API version that "
                            "created the job (" +
                                job.api_version + ")");
        }
        if (job.state != kJobComplete) {
            // [?] in the reference: the modern answer is believed to be this [M].
            throw BulkError(
                400,
                "INVALIDJOBSTATE",
                "Results are only available once the job is JobComplete; it is " + job.state);
        }
        return job;
    }

    Response Results(Call& call) {
        const QueryJob job = RequireResults(call);
        std::int64_t first = 0;
        if (const auto locator = call.req.QueryParam("locator")) {
            const auto at = DecodeLocator(*locator);
            if (!at || *at > job.records || (*at == job.records && job.records > 0)) {
                throw BulkError(400, "INVALIDQUERYLOCATOR", "Invalid locator: " + *locator);
            }
            first = *at;
        }
        auto rows = static_cast<std::int64_t>(ctx_.options.bulk_query_page_rows);
        if (const auto max = call.req.QueryParam("maxRecords")) {
            rows = 0;
            bool ok = !max->empty() && max->size() <= 10;
            for (const char c : *max) {
                ok = ok && c >= '0' && c <= '9';
                rows = ok ? rows * 10 + (c - '0') : rows;
            }
            if (!ok || rows <= 0) {
                throw BulkError(400,
                                "INVALIDMAXRECORDS",  // [M]
                                "maxRecords must be a positive integer: " + *max);
            }
        }
        const ReadOnlyFile index(IndexFile(job));
        const auto csv_path = ctx_.blobs.Local(job.id, kResultFile, job.result_bytes);
        const ReadOnlyFile csv(csv_path);
        const Page page = PageAt(index, job, first, rows);
        rows = page.rows;
        const std::uint64_t start = page.start;
        const std::uint64_t end = page.end;
        const std::uint64_t header_end =
            OffsetAt(ReadAt(index.Fd(), 0, 8), 0);  // row 0 starts where the header ends
        Response r;
        r.status = 200;
        r.SetHeader("Content-Type", "text/csv; charset=UTF-8");
        r.body = ReadAt(csv.Fd(), 0, header_end);
        // The rows are sent from the file as the connection takes them, never loaded whole.
        auto rows_part = FileRegion::Open(csv_path.string(), start, end - start);
        if (!rows_part) {
            throw std::runtime_error("cannot read the result of query job " + job.id);
        }
        r.body_files.push_back(std::move(rows_part));
        const std::int64_t next = first + rows;
        r.SetHeader("Sforce-NumberOfRecords", std::to_string(rows));
        r.SetHeader("Sforce-Locator", next < job.records ? EncodeLocator(next) : "null");
        return r;
    }

    /// A results page: its rows and where they are in the result file.
    struct Page {
        std::int64_t rows = 0;
        std::uint64_t start = 0;
        std::uint64_t end = 0;
    };

    /// The page of at most `rows` rows from row `first`: at least one row, and no more than
    /// kMaxPageBytes beyond the first.
    static Page PageAt(const ReadOnlyFile& index,
                       const QueryJob& job,
                       std::int64_t first,
                       std::int64_t rows) {
        rows = std::min(rows, job.records - first);
        // Offsets of rows first .. first+rows (the last one: where the page ends).
        const std::string offsets = ReadAt(index.Fd(),
                                           static_cast<std::uint64_t>(first) * 8,
                                           static_cast<std::uint64_t>(rows + 1) * 8);
        const std::uint64_t start = OffsetAt(offsets, 0);
        while (rows > 1 &&
               OffsetAt(offsets, static_cast<std::size_t>(rows)) - start > kMaxPageBytes) {
            rows = std::max<std::int64_t>(1, rows / 2);
        }
        return {rows, start, OffsetAt(offsets, static_cast<std::size_t>(rows))};
    }

    /// GET /jobs/query/{id}/resultPages (API 58.0 and later): up to five result URLs, each
    /// with the locator and maxRecords of one page as /results cuts it, so that they can be
    /// fetched in parallel; `nextRecordsUrl` gives the next five [M: key layout inferred from
    /// the docs' element table: resultPages [{resultUrl}], nextRecordsUrl, done].
    Response ResultPages(Call& call) {
        if (RequireServedVersion(call.api_version) < kResultPagesSince) {
            throw BulkError(404, "NOT_FOUND", "The requested resource does not exist");
        }
        const QueryJob job = RequireResults(call);
        std::int64_t first = 0;
        if (const auto locator = call.req.QueryParam("locator")) {
            const auto at = DecodeLocator(*locator);
            if (!at || *at > job.records) {
                throw BulkError(400, "INVALIDQUERYLOCATOR", "Invalid locator: " + *locator);
            }
            first = *at;
        }
        const std::string base = "/services/data/v" + call.api_version + "/jobs/query/" + job.id;
        const ReadOnlyFile index(IndexFile(job));
        json::array pages;
        const auto page_rows = static_cast<std::int64_t>(ctx_.options.bulk_query_page_rows);
        do {
            const std::int64_t rows =
                job.records == 0 ? 0 : PageAt(index, job, first, page_rows).rows;
            pages.emplace_back(json::object{
                {"resultUrl",
                 base + "/results?" + (first > 0 ? "locator=" + EncodeLocator(first) + "&" : "") +
                     "maxRecords=" + std::to_string(std::max<std::int64_t>(rows, 1))}});
            first += rows;
        } while (first < job.records && pages.size() < kResultPagesPerAnswer);
        json::object out;
        out["resultPages"] = std::move(pages);
        const bool done = first >= job.records;
        if (done) {
            out["nextRecordsUrl"] = nullptr;
        } else {
            out["nextRecordsUrl"] = base + "/resultPages?locator=" + EncodeLocator(first);
        }
        out["done"] = done;
        return JsonResponse(200, out, call.pretty);
    }

    // ---- processing -------------------------------------------------------------------------

    query::QueryCall CallOf(const QueryJob& job) const {
        query::QueryCall qc;
        qc.user_id = job.created_by;
        qc.api_version = job.api_version;
        qc.query_all = job.operation == "queryAll";
        return qc;
    }

    /// This node's copy of a completed job's row index (one 8-byte offset a row, and one
    /// past the last).
    std::filesystem::path IndexFile(const QueryJob& job) {
        return ctx_.blobs.Local(job.id, kIndexFile, (job.records + 1) * 8);
    }

    void Post(const std::string& id) {
        ctx_.worker.Post([this, id] {
            try {
                Run(id);
            } catch (...) {
                Leave();
                throw;
            }
            Leave();
        });
    }

    /// This node no longer runs the job: another can be claimed.
    void Leave() {
        --active_;
        ctx_.worker.Kick();
    }

    /// Extends this node's lease on `id` (own transaction); false when another node took it.
    bool Renew(const std::string& id) {
        Transaction tx(ctx_.db);
        const bool mine = leases_.Renew(id);
        tx.Commit();
        return mine;
    }

    bool Aborting(const std::string& id) {
        std::lock_guard lock(mu_);
        return aborting_.count(id) > 0;
    }

    /// Runs job `id` (claimed by this node): its rows, from one read snapshot, into a result
    /// file and index of this run on this node, then into the database with the job's
    /// completion (one transaction, while this node still holds the job).
    void Run(const std::string& id) {
        const auto job = Load(id);
        if (!job || !Transition(id, kInProgress, {kUploadComplete, kInProgress})) {
            return;  // deleted or aborted before it ran
        }
        static std::atomic<std::uint64_t> runs{0};
        const std::string run = ctx_.node_id + "-" + std::to_string(++runs);
        const std::string csv_name = std::string(kResultFile) + "-" + run;
        const std::string index_name = std::string(kIndexFile) + "-" + run;
        auto renewed = std::chrono::steady_clock::now();
        const auto started = std::chrono::steady_clock::now();
        try {
            const auto q = queries_.Prepare(job->soql, CallOf(*job));
            RefuseUnsupported(*q);
            const char delim = DelimiterChar(job->column_delimiter);
            const std::string_view eol = job->line_ending == "CRLF" ? "\r\n" : "\n";
            const auto csv_path = ctx_.files.PathOf(id, csv_name);
            const auto index_path = ctx_.files.PathOf(id, index_name);
            // The files of this run; the database gets them once the run is complete.
            AppendFile csv(csv_path, false);
            AppendFile index(index_path, false);
            std::string out;      // CSV bytes not yet appended
            std::string offsets;  // index entries not yet appended
            std::uint64_t flushed = 0;
            const auto flush = [&] {
                csv.Append(out);
                flushed += out.size();
                out.clear();
                index.Append(offsets);
                offsets.clear();
            };
            codec::AppendCsvRow(out, query::FlatColumns(*q), delim, eol, codec::CsvQuote::kAlways);
            std::vector<std::optional<std::string>> values;
            bool stopped = false;
            std::int64_t seen = 0;
            const std::int64_t rows = queries_.Stream(*q, [&](const query::ResultRow& row) {
                AppendOffset(offsets, flushed + out.size());
                query::FlatValues(*q, row, ctx_.records.schema, values);
                for (std::size_t i = 0; i < values.size(); ++i) {
                    if (i > 0) {
                        out += delim;
                    }
                    if (values[i]) {  // a null is an empty, unquoted field [?]
                        codec::AppendCsvField(out, *values[i], delim, codec::CsvQuote::kAlways);
                    }
                }
                out += eol;
                if (out.size() >= (1u << 20)) {
                    flush();
                }
                if (++seen % kCheckEveryRows == 0) {
                    if (Aborting(id) || ctx_.worker.Stopping()) {
                        stopped = true;
                        return false;
                    }
                    // The lease renewed a few times within its span while the rows come.
                    const auto now = std::chrono::steady_clock::now();
                    if (now - renewed > ctx_.options.bulk_lease / 4) {
                        renewed = now;
                        if (!Renew(id)) {
                            stopped = true;  // another node runs it now
                            return false;
                        }
                    }
                }
                return true;
            });
            if (stopped || Aborting(id)) {
                // Aborted: the job says so already. The org stopping: the job stays
                // InProgress and is claimed again (here after a restart, or by another
                // node). Lost: another node runs it.
                DropRun(id, csv_path, index_path, csv_name, index_name);
                Forget(id);
                return;
            }
            AppendOffset(offsets, flushed + out.size());
            flush();
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            // Into the database under this run's names, then renamed in the transaction that
            // completes the job, if this node still holds it.
            ctx_.blobs.StoreFile(id, csv_name, csv_path);
            ctx_.blobs.StoreFile(id, index_name, index_path);
            bool completed = false;
            {
                Transaction tx(ctx_.db);
                if (leases_.Renew(id) && Transition(id,
                                                    kJobComplete,
                                                    {kInProgress},
                                                    rows,
                                                    ms,
                                                    static_cast<std::int64_t>(flushed))) {
                    ctx_.blobs.Rename(id, csv_name, kResultFile);
                    ctx_.blobs.Rename(id, index_name, kIndexFile);
                    completed = true;
                }
                tx.Commit();
            }
            if (completed) {
                // This node's copies are the files it just stored.
                ctx_.blobs.AdoptLocal(id, kResultFile, csv_path);
                ctx_.blobs.AdoptLocal(id, kIndexFile, index_path);
                ctx_.usage.Count(BulkLimit::kQueryFileStorageMb,
                                 static_cast<std::int64_t>(flushed));
            } else {
                DropRun(id, csv_path, index_path, csv_name, index_name);
            }
        } catch (const ApiError& e) {
            DropRunQuietly(id, csv_name, index_name);
            Transition(id,
                       kFailed,
                       {kInProgress},
                       0,
                       -1,
                       -1,
                       e.items.empty() ? std::string("InvalidJob") : e.items.front().message);
        } catch (const std::exception& e) {
            spdlog::error("bulk query job {} failed: {}", id, LogExcerpt(e.what()));
            DropRunQuietly(id, csv_name, index_name);
            Transition(id,
                       kFailed,
                       {kInProgress},
                       0,
                       -1,
                       -1,
                       std::string("InternalServerError : the query could not be completed"));
        }
        Forget(id);
    }

    /// Removes what a run that did not complete the job left, here and in the database.
    void DropRun(const std::string& id,
                 const std::filesystem::path& csv_path,
                 const std::filesystem::path& index_path,
                 const std::string& csv_name,
                 const std::string& index_name) {
        std::error_code ec;
        std::filesystem::remove(csv_path, ec);
        std::filesystem::remove(index_path, ec);
        ctx_.blobs.RemoveBlob(id, csv_name);
        ctx_.blobs.RemoveBlob(id, index_name);
    }

    void DropRunQuietly(const std::string& id,
                        const std::string& csv_name,
                        const std::string& index_name) {
        try {
            DropRun(id,
                    ctx_.files.PathOf(id, csv_name),
                    ctx_.files.PathOf(id, index_name),
                    csv_name,
                    index_name);
        } catch (const std::exception& e) {
            spdlog::warn("bulk query job {}: cleaning up a failed run: {}", id, e.what());
        }
    }

    void Forget(const std::string& id) {
        std::lock_guard lock(mu_);
        aborting_.erase(id);
    }

    BulkContext ctx_;
    query::QueryService queries_;
    std::mutex mu_;
    std::unordered_set<std::string> aborting_;  ///< jobs aborted while they may be running
    JobLeases leases_;
    std::atomic<std::size_t> active_{0};  ///< jobs this node runs now
};

}  // namespace

std::unique_ptr<BulkApi> MakeQueryJobs(const BulkContext& ctx) {
    return std::make_unique<QueryJobs>(ctx);
}

}  // namespace sfkit::server::bulk
