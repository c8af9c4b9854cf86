// Bulk2: job calls, streamed uploads, polling with backoff and query results pages (bulk wire
// reference §2, §3). The row range over results lives in bulk2_rows.cpp.
#include "sfkit/client/bulk2.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <istream>
#include <thread>

#include <boost/json.hpp>

#include "client/rest_client_impl.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return HeaderNameEquals(a, b);
}

/// 15 or 18 letters and digits: anything else cannot be a job id and must not reach a URL.
std::optional<Error> CheckJobId(std::string_view id) {
    const bool ok =
        (id.size() == 15 || id.size() == 18) && std::all_of(id.begin(), id.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0;
        });
    if (ok) {
        return std::nullopt;
    }
    return MakeError(ErrorKind::kInvalidArgument,
                     "INVALID_JOB_ID",
                     "'" + std::string(id) + "' is not a job id (15 or 18 letters and digits)");
}

std::string Str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return {};
    }
    return v->is_string() ? std::string(v->get_string()) : codec::WriteJson(*v);
}

std::int64_t Int(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return 0;
    }
    if (v->is_int64()) {
        return v->get_int64();
    }
    if (v->is_uint64()) {
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double()) {
        return static_cast<std::int64_t>(v->get_double());
    }
    return 0;
}

std::string IngestPath(std::string_view id) {
    return "jobs/ingest/" + std::string(id);
}

std::string QueryPath(std::string_view id) {
    return "jobs/query/" + std::string(id);
}

/// Counts the records in CSV text as it streams by: line ends outside quotes.
class RowCounter {
public:
    void Feed(std::string_view piece) {
        for (const char c : piece) {
            if (c == '"') {
                quoted_ = !quoted_;
            } else if (c == '\n' && !quoted_) {
                ++lines_;
            }
        }
        if (!piece.empty()) {
            open_line_ = piece.back() != '\n';
        }
    }
    /// Data rows so far (the header line excluded; a last line without a line end counts).
    std::int64_t Rows() const {
        return std::max<std::int64_t>(0, lines_ + (open_line_ ? 1 : 0) - 1);
    }

private:
    bool quoted_ = false;
    bool open_line_ = false;
    std::int64_t lines_ = 0;
};

}  // namespace

// ---- names ---------------------------------------------------------------------------------

std::string_view BulkOperationName(BulkOperation operation) noexcept {
    switch (operation) {
        case BulkOperation::kInsert:
            return "insert";
        case BulkOperation::kUpdate:
            return "update";
        case BulkOperation::kUpsert:
            return "upsert";
        case BulkOperation::kDelete:
            return "delete";
        case BulkOperation::kHardDelete:
            return "hardDelete";
        case BulkOperation::kQuery:
            return "query";
        case BulkOperation::kQueryAll:
            return "queryAll";
    }
    return "insert";
}

namespace {
struct DelimiterName {
    ColumnDelimiter delimiter;
    std::string_view name;
    char c;
};
constexpr DelimiterName kDelimiters[] = {
    {ColumnDelimiter::kComma, "COMMA", ','},
    {ColumnDelimiter::kTab, "TAB", '\t'},
    {ColumnDelimiter::kPipe, "PIPE", '|'},
    {ColumnDelimiter::kSemicolon, "SEMICOLON", ';'},
    {ColumnDelimiter::kCaret, "CARET", '^'},
    {ColumnDelimiter::kBackquote, "BACKQUOTE", '`'},
};
}  // namespace

std::string_view ColumnDelimiterName(ColumnDelimiter delimiter) noexcept {
    for (const auto& d : kDelimiters) {
        if (d.delimiter == delimiter) {
            return d.name;
        }
    }
    return "COMMA";
}

char ColumnDelimiterChar(ColumnDelimiter delimiter) noexcept {
    for (const auto& d : kDelimiters) {
        if (d.delimiter == delimiter) {
            return d.c;
        }
    }
    return ',';
}

std::optional<ColumnDelimiter> ParseColumnDelimiter(std::string_view name) noexcept {
    for (const auto& d : kDelimiters) {
        if (EqualsIgnoreCase(d.name, name)) {
            return d.delimiter;
        }
    }
    return std::nullopt;
}

ColumnDelimiter DetectColumnDelimiter(std::string_view head) noexcept {
    std::size_t counts[std::size(kDelimiters)] = {};
    bool quoted = false;
    for (const char c : head) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            break;
        } else if (!quoted) {
            for (std::size_t i = 0; i < std::size(kDelimiters); ++i) {
                counts[i] += kDelimiters[i].c == c ? 1 : 0;
            }
        }
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < std::size(kDelimiters); ++i) {
        if (counts[i] > counts[best]) {
            best = i;
        }
    }
    return kDelimiters[best].delimiter;
}

std::string_view LineEndingName(LineEnding ending) noexcept {
    return ending == LineEnding::kCrlf ? "CRLF" : "LF";
}

// ---- jobs ----------------------------------------------------------------------------------

bool BulkJob::IsTerminal() const noexcept {
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
}

std::optional<Error> JobFailure(const BulkJob& job) {
    if (job.state == "Failed") {
        return MakeError(
            ErrorKind::kApi,
            "JOB_FAILED",
            job.error_message.empty() ? "job " + job.id + " failed" : job.error_message);
    }
    if (job.state == "Aborted") {
        return MakeError(ErrorKind::kApi, "JOB_ABORTED", "job " + job.id + " was aborted");
    }
    return std::nullopt;
}

Result<BulkJob> ParseBulkJob(std::string_view body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed || !parsed->is_object() || !parsed->get_object().contains("id")) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         "expected a Bulk 2.0 job object, got: " + detail::Excerpt(body));
    }
    const json::object& o = parsed->get_object();
    BulkJob job;
    job.id = Str(o, "id");
    job.operation = Str(o, "operation");
    job.object = Str(o, "object");
    job.created_by_id = Str(o, "createdById");
    job.created_date = Str(o, "createdDate");
    job.system_modstamp = Str(o, "systemModstamp");
    job.state = Str(o, "state");
    job.external_id_field = Str(o, "externalIdFieldName");
    job.concurrency_mode = Str(o, "concurrencyMode");
    job.content_type = Str(o, "contentType");
    if (const auto* v = o.if_contains("apiVersion"); v != nullptr && v->is_number()) {
        job.api_version = v->to_number<double>();
    }
    job.job_type = Str(o, "jobType");
    job.content_url = Str(o, "contentUrl");
    job.line_ending = Str(o, "lineEnding");
    job.column_delimiter = Str(o, "columnDelimiter");
    job.records_processed = Int(o, "numberRecordsProcessed");
    job.records_failed = Int(o, "numberRecordsFailed");
    job.retries = Int(o, "retries");
    job.total_processing_time = Int(o, "totalProcessingTime");
    job.error_message = Str(o, "errorMessage");
    return job;
}

std::chrono::milliseconds PollDelay(const PollOptions& options, int n) {
    double delay = static_cast<double>(options.first_interval.count());
    const double cap =
        static_cast<double>(std::max(options.max_interval, options.first_interval).count());
    for (int i = 0; i < n && delay < cap; ++i) {
        delay *= std::max(1.0, options.factor);
    }
    return std::chrono::milliseconds(static_cast<long long>(std::min(delay, cap)));
}

// ---- Bulk2 -----------------------------------------------------------------------------------

Bulk2::Bulk2(RestClient& rest) : rest_(&rest) {}

Result<BulkJob> Bulk2::JobCall(std::string_view method, std::string path, std::string body) {
    std::vector<HttpHeader> headers = {{"Accept", "application/json"}};
    if (!body.empty()) {
        headers.push_back({"Content-Type", "application/json; charset=UTF-8"});
    }
    auto resp = rest_->impl_->Call(method, path, body, headers);
    if (!resp) {
        return resp.error();
    }
    return ParseBulkJob(resp->body);
}

Result<BulkJob> Bulk2::CreateIngestJob(const IngestJobRequest& request) {
    if (auto bad = detail::CheckSObject(request.object)) {
        return *bad;
    }
    if (request.operation == BulkOperation::kQuery ||
        request.operation == BulkOperation::kQueryAll) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_OPERATION",
                         "query jobs are created with CreateQueryJob");
    }
    if (request.operation == BulkOperation::kUpsert && request.external_id_field.empty()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "MISSING_EXTERNAL_ID",
                         "an upsert job needs the external id field");
    }
    // The key order the sf CLI sends (§2.2).
    json::object o;
    o["object"] = request.object;
    o["operation"] = BulkOperationName(request.operation);
    o["contentType"] = "CSV";
    o["lineEnding"] = LineEndingName(request.line_ending);
    if (!request.external_id_field.empty()) {
        o["externalIdFieldName"] = request.external_id_field;
    }
    if (!request.assignment_rule_id.empty()) {
        o["assignmentRuleId"] = request.assignment_rule_id;
    }
    o["columnDelimiter"] = ColumnDelimiterName(request.column_delimiter);
    return JobCall("POST", "jobs/ingest", codec::WriteJson(o));
}

Result<void> Bulk2::Put(std::string_view job_id,
                        BodyReader reader,
                        std::int64_t size,
                        const UploadProgress& progress) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    auto counter = std::make_shared<RowCounter>();
    auto sent = std::make_shared<std::int64_t>(0);
    HttpRequest req;
    req.method = "PUT";
    req.headers = {{"Content-Type", "text/csv"}, {"Accept", "application/json"}};
    req.body_size = size;
    req.body_reader = [reader = std::move(reader), counter, sent, progress](
                          char* buffer, std::size_t n) -> std::optional<std::size_t> {
        auto got = reader(buffer, n);
        if (got.has_value() && *got > 0) {
            counter->Feed(std::string_view(buffer, *got));
            *sent += static_cast<std::int64_t>(*got);
            if (progress) {
                progress(*sent, counter->Rows());
            }
        }
        return got;
    };
    auto resp = rest_->impl_->Exchange(std::move(req), IngestPath(job_id) + "/batches");
    if (!resp) {
        return resp.error();
    }
    if (resp->status >= 400) {
        return ParseErrorResponse(*resp);
    }
    if (progress) {
        progress(*sent, counter->Rows());
    }
    return {};
}

Result<void> Bulk2::Upload(std::string_view job_id, std::istream& csv, UploadProgress progress) {
    auto reader = [&csv](char* buffer, std::size_t n) -> std::optional<std::size_t> {
        if (csv.eof()) {
            return 0;
        }
        csv.read(buffer, static_cast<std::streamsize>(n));
        if (csv.bad()) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(csv.gcount());
    };
    return Put(job_id, std::move(reader), -1, progress);
}

Result<void> Bulk2::UploadFile(std::string_view job_id,
                               const std::string& path,
                               UploadProgress progress) {
    auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
    if (!*file) {
        return MakeError(ErrorKind::kIo, "CANNOT_READ", "cannot open " + path);
    }
    file->seekg(0, std::ios::end);
    const std::int64_t size = static_cast<std::int64_t>(file->tellg());
    file->seekg(0, std::ios::beg);
    auto reader = [file](char* buffer, std::size_t n) -> std::optional<std::size_t> {
        file->read(buffer, static_cast<std::streamsize>(n));
        if (file->bad()) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(file->gcount());
    };
    return Put(job_id, std::move(reader), size, progress);
}

Result<BulkJob> Bulk2::CloseIngestJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    return JobCall("PATCH", IngestPath(job_id), R"({"state":"UploadComplete"})");
}

Result<BulkJob> Bulk2::AbortIngestJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    return JobCall("PATCH", IngestPath(job_id), R"({"state":"Aborted"})");
}

Result<BulkJob> Bulk2::GetIngestJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    return JobCall("GET", IngestPath(job_id), {});
}

Result<void> Bulk2::DeleteIngestJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    auto resp =
        rest_->impl_->Call("DELETE", IngestPath(job_id), {}, {{"Accept", "application/json"}});
    if (!resp) {
        return resp.error();
    }
    return {};
}

Result<BulkJob> Bulk2::Wait(std::string_view kind, std::string_view job_id, const PollOptions& o) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    const auto start = std::chrono::steady_clock::now();
    const std::string path = std::string(kind) + "/" + std::string(job_id);
    for (int n = 0;; ++n) {
        auto job = JobCall("GET", path, {});
        if (!job) {
            return job;
        }
        if (o.on_poll) {
            o.on_poll(*job);
        }
        if (job->IsTerminal()) {
            if (auto failure = JobFailure(*job)) {
                return *failure;
            }
            return job;
        }
        const auto delay = PollDelay(o, n);
        if (o.timeout.count() > 0 && std::chrono::steady_clock::now() - start + delay > o.timeout) {
            return MakeError(ErrorKind::kTimeout,
                             "POLL_TIMEOUT",
                             "job " + job->id + " is still " + job->state + " after " +
                                 std::to_string(o.timeout.count() / 1000) + " s");
        }
        if (o.sleep) {
            o.sleep(delay);
        } else {
            std::this_thread::sleep_for(delay);
        }
    }
}

Result<BulkJob> Bulk2::WaitForIngestJob(std::string_view job_id, const PollOptions& options) {
    return Wait("jobs/ingest", job_id, options);
}

Result<void> Bulk2::DownloadIngestResults(std::string_view job_id,
                                          IngestResults which,
                                          const BodySink& sink) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    const char* leaf = which == IngestResults::kSuccessful ? "/successfulResults/"
                       : which == IngestResults::kFailed   ? "/failedResults/"
                                                           : "/unprocessedrecords/";
    HttpRequest req;
    req.method = "GET";
    req.headers = {{"Accept", "text/csv"}};
    req.response_sink = sink;
    auto resp = rest_->impl_->Exchange(std::move(req), IngestPath(job_id) + leaf);
    if (!resp) {
        return resp.error();
    }
    if (resp->status >= 400) {
        return ParseErrorResponse(*resp);
    }
    return {};
}

BulkRows Bulk2::IngestResultRows(std::string_view job_id,
                                 IngestResults which,
                                 ColumnDelimiter delimiter) {
    std::string id(job_id);
    return BulkRows(
        [this, id, which](const std::string&, const BodySink& sink) -> Result<std::string> {
            if (auto done = DownloadIngestResults(id, which, sink); !done) {
                return done.error();
            }
            return std::string();
        },
        ColumnDelimiterChar(delimiter));
}

// ---- query -----------------------------------------------------------------------------------

Result<BulkJob> Bulk2::CreateQueryJob(const QueryJobRequest& request) {
    if (request.query.empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "MISSING_QUERY", "the query is empty");
    }
    json::object o;
    o["operation"] = request.all_rows ? "queryAll" : "query";
    o["query"] = request.query;
    o["contentType"] = "CSV";
    o["columnDelimiter"] = ColumnDelimiterName(request.column_delimiter);
    o["lineEnding"] = LineEndingName(request.line_ending);
    return JobCall("POST", "jobs/query", codec::WriteJson(o));
}

Result<BulkJob> Bulk2::GetQueryJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    return JobCall("GET", QueryPath(job_id), {});
}

Result<BulkJob> Bulk2::AbortQueryJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    return JobCall("PATCH", QueryPath(job_id), R"({"state":"Aborted"})");
}

Result<void> Bulk2::DeleteQueryJob(std::string_view job_id) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    auto resp =
        rest_->impl_->Call("DELETE", QueryPath(job_id), {}, {{"Accept", "application/json"}});
    if (!resp) {
        return resp.error();
    }
    return {};
}

Result<BulkJob> Bulk2::WaitForQueryJob(std::string_view job_id, const PollOptions& options) {
    return Wait("jobs/query", job_id, options);
}

Result<HttpResponse> Bulk2::QueryPage(std::string_view job_id,
                                      const std::string& locator,
                                      std::int64_t max_records,
                                      const BodySink& sink) {
    std::string path = QueryPath(job_id) + "/results";
    char sep = '?';
    if (!locator.empty()) {
        path += sep + std::string("locator=") + PercentEncode(locator);
        sep = '&';
    }
    if (max_records > 0) {
        path += sep + std::string("maxRecords=") + std::to_string(max_records);
    }
    HttpRequest req;
    req.method = "GET";
    req.headers = {{"Accept", "text/csv"}};
    req.response_sink = sink;
    auto resp = rest_->impl_->Exchange(std::move(req), path);
    if (!resp) {
        return resp.error();
    }
    if (resp->status >= 400) {
        return ParseErrorResponse(*resp);
    }
    const std::string* next = resp->Header("Sforce-Locator");
    if (next == nullptr || (*next != "null" && *next == locator) || next->empty()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_LOCATOR",
                         next == nullptr ? "a results page came without Sforce-Locator"
                                         : "a results page named locator '" + *next + "' again");
    }
    return resp;
}

Result<std::int64_t> Bulk2::DownloadQueryResults(
    std::string_view job_id,
    const BodySink& sink,
    std::int64_t max_records,
    const std::function<void(std::int64_t rows)>& on_page) {
    if (auto bad = CheckJobId(job_id)) {
        return *bad;
    }
    std::string locator;
    std::int64_t rows = 0;
    for (bool first = true;; first = false) {
        // Pages after the first repeat the header row: drop it (up to its line end outside
        // quotes).
        bool in_header = !first;
        bool quoted = false;
        BodySink page_sink = [&](std::string_view piece) {
            if (in_header) {
                std::size_t i = 0;
                for (; i < piece.size() && in_header; ++i) {
                    if (piece[i] == '"') {
                        quoted = !quoted;
                    } else if (piece[i] == '\n' && !quoted) {
                        in_header = false;
                    }
                }
                piece.remove_prefix(i);
                if (piece.empty()) {
                    return true;
                }
            }
            return sink(piece);
        };
        auto resp = QueryPage(job_id, locator, max_records, page_sink);
        if (!resp) {
            return resp.error();
        }
        if (const std::string* n = resp->Header("Sforce-NumberOfRecords")) {
            rows += std::atoll(n->c_str());
        }
        if (on_page) {
            on_page(rows);
        }
        locator = *resp->Header("Sforce-Locator");
        if (locator == "null") {
            return rows;
        }
    }
}

BulkRows Bulk2::QueryResultRows(std::string_view job_id,
                                std::int64_t max_records,
                                ColumnDelimiter delimiter) {
    std::string id(job_id);
    return BulkRows(
        [this, id, max_records](const std::string& locator,
                                const BodySink& sink) -> Result<std::string> {
            if (auto bad = CheckJobId(id)) {
                return *bad;
            }
            auto resp = QueryPage(id, locator, max_records, sink);
            if (!resp) {
                return resp.error();
            }
            const std::string next = *resp->Header("Sforce-Locator");
            return next == "null" ? std::string() : next;
        },
        ColumnDelimiterChar(delimiter));
}

}  // namespace sfkit::client
