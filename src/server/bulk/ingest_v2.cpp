// Bulk API 2.0 ingest (bulk-wire.md §2). Shapes and errors follow the reference; where it marks a
// fact [?] or [M], the choice made is listed in docs/bulk.md.
//
// Bytes of a job (JobBlobs, in the database, so any node serves them): data.csv (the upload as
// received), success.csv and failure.csv (result rows without their header, which is built from
// the upload's header when they are read). Each chunk of rows is one RecordStore::Atomically
// transaction: the job's lease renewed (JobLeases: the chunk commits only while this node holds
// the job), the rows (a savepoint each), the result rows appended, and the job's progress
// (bytes of the upload done, counters, result sizes) all commit together. A chunk cut short by a
// crash leaves nothing; the node that claims the job next resumes after the last committed one.
#include "server/bulk/ingest_v2.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "codec/csv.hpp"
#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/bulk/ingest_jobs.hpp"
#include "server/bulk/ingest_rows.hpp"
#include "server/bulk/job_blobs.hpp"
#include "server/bulk/job_files.hpp"
#include "server/bulk/job_leases.hpp"
#include "server/bulk/worker.hpp"
#include "server/http/api_error.hpp"
#include "server/http/gzip_body.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/schema/field_value.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk {
namespace {

namespace json = boost::json;

/// Bulk API 2.0 exists from API 41.0 (below: 404 like any unknown resource).
constexpr int kBulkV2Since = 41;
/// 150 MB per upload (§2.11).
constexpr std::size_t kMaxUploadBytes = 150 * 1024 * 1024;
/// Multipart create carries at most 100,000 characters of data (§2.2).
constexpr std::size_t kMaxMultipartData = 100000;
/// Jobs per page of GET /jobs/ingest (§2.8).
constexpr std::size_t kListPage = 1000;
/// Terminal jobs and their results are kept 7 days (§2.11).
constexpr auto kRetention = std::chrono::hours(24 * 7);
/// 32,000 characters per field (§2.10), as UTF-8 bytes at most 4 each.
constexpr std::size_t kMaxFieldBytes = 32000 * 4;
constexpr std::size_t kReadChunk = 1 << 16;

constexpr const char* kDataFile = "data.csv";
constexpr const char* kNoDataReason = "No data was uploaded to the job";
const std::string kNoData = std::string("InvalidBatch : ") + kNoDataReason;
constexpr const char* kSuccessFile = "success.csv";
constexpr const char* kFailureFile = "failure.csv";

ApiError BulkError(int status, std::string code, std::string message) {
    return ApiError(status, std::move(code), std::move(message), /*code_first=*/true);
}

ApiError JobNotFound() {
    return BulkError(404, "NOT_FOUND", "The requested resource does not exist");
}

ApiError InvalidJob(std::string message) {
    return BulkError(400, "INVALIDJOB", std::move(message));
}

/// The character of a `columnDelimiter` name; 0 for an unknown name.
char DelimiterChar(const std::string& name) {
    static constexpr std::pair<std::string_view, char> kDelimiters[] = {{"COMMA", ','},
                                                                        {"TAB", '\t'},
                                                                        {"PIPE", '|'},
                                                                        {"SEMICOLON", ';'},
                                                                        {"CARET", '^'},
                                                                        {"BACKQUOTE", '`'}};
    for (const auto& [n, c] : kDelimiters) {
        if (n == name) {
            return c;
        }
    }
    return 0;
}

std::string_view LineEnd(const IngestJob& job) {
    return job.line_ending == "CRLF" ? "\r\n" : "\n";
}

std::string UserId(const Call& call) {
    return call.session != nullptr ? call.session->user_id : std::string();
}

bool AllEmpty(const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), [](const std::string& c) { return c.empty(); });
}

// ---- job info JSON (§2.3, §2.5, §2.7, §2.8) ----------------------------------------------------

enum class Shape {
    kCreate,  ///< create: up to columnDelimiter, no jobType, no counters
    kPatch,   ///< close/abort: up to apiVersion
    kFull,    ///< GET job
    kList,    ///< an entry of GET /jobs/ingest
};

json::object JobInfo(const IngestJob& j, Shape shape) {
    json::object o;
    o["id"] = j.id;
    o["operation"] = j.operation;
    o["object"] = j.object;
    o["createdById"] = j.created_by;
    o["createdDate"] = j.created_date;
    o["systemModstamp"] = j.system_modstamp;
    o["state"] = j.state;
    if (!j.external_id_field.empty()) {
        o["externalIdFieldName"] = j.external_id_field;
    }
    if (!j.assignment_rule_id.empty()) {
        o["assignmentRuleId"] = j.assignment_rule_id;
    }
    o["concurrencyMode"] = "Parallel";
    o["contentType"] = j.content_type;
    o["apiVersion"] = std::stod(j.api_version);
    if (shape == Shape::kPatch) {
        return o;
    }
    if (shape != Shape::kCreate) {
        o["jobType"] = "V2Ingest";
    }
    if (shape != Shape::kList && j.state == "Open") {
        o["contentUrl"] = "services/data/v" + j.api_version + "/jobs/ingest/" + j.id + "/batches";
    }
    o["lineEnding"] = j.line_ending;
    o["columnDelimiter"] = j.column_delimiter;
    if (shape != Shape::kFull) {
        return o;
    }
    if (j.state != "Open") {
        o["numberRecordsProcessed"] = j.processed;
        o["numberRecordsFailed"] = j.failed;
    }
    o["retries"] = 0;
    o["totalProcessingTime"] = j.processing_ms;
    o["apiActiveProcessingTime"] = j.processing_ms;
    o["apexProcessingTime"] = 0;
    if (!j.error_message.empty()) {
        o["errorMessage"] = j.error_message;
    }
    return o;
}

/// A Bulk 1.0 job in GET /jobs/ingest: the list entry's keys, jobType Classic; 1.0 CSV is
/// comma-separated, and its line ending is not a job setting [M: LF, COMMA shown].
json::object ClassicJobInfo(const ClassicJob& c) {
    IngestJob j;
    j.id = c.id;
    j.operation = c.operation;
    j.object = c.object;
    j.created_by = c.created_by_id;
    j.created_date = c.created_date;
    j.system_modstamp = c.system_modstamp;
    j.state = c.state;
    j.content_type = c.content_type;
    j.api_version = c.api_version;
    json::object o = JobInfo(j, Shape::kList);
    o["concurrencyMode"] = c.concurrency_mode;
    o["jobType"] = "Classic";
    return o;
}

// ---- request bodies
// ------------------------------------------------------------------------------

std::string ContentType(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    if (ct == nullptr) {
        return {};
    }
    std::string type = ToLowerAscii(ct->substr(0, ct->find(';')));
    type.erase(0, type.find_first_not_of(" \t"));
    type.erase(type.find_last_not_of(" \t") + 1);
    return type;
}

json::object ParseJsonObject(std::string_view text) {
    auto parsed = codec::ParseJson(text);
    if (!parsed) {
        throw BulkError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    if (!parsed->is_object()) {
        throw BulkError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
    }
    return std::move(parsed->get_object());
}

/// A string member, "" when absent or null; another type is refused.
std::string StringMember(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return {};
    }
    if (!v->is_string()) {
        throw BulkError(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize value of " + std::string(key) + " from " + codec::WriteJson(*v));
    }
    return std::string(v->get_string());
}

struct MultipartPart {
    std::string name;
    std::string body;
};

/// `multipart/form-data` parts (RFC 7578) by their Content-Disposition name; nullopt when the
/// body is not one.
std::optional<std::vector<MultipartPart>> ParseMultipart(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    const auto at = ct != nullptr ? ToLowerAscii(*ct).find("boundary=") : std::string::npos;
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::string boundary = ct->substr(at + 9);
    boundary = boundary.substr(0, boundary.find(';'));
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
        boundary = boundary.substr(1, boundary.size() - 2);
    }
    if (boundary.empty()) {
        return std::nullopt;
    }
    const std::string_view body = req.body;
    const std::string delim = "--" + boundary;
    std::size_t pos = body.find(delim);
    if (pos == std::string_view::npos) {
        return std::nullopt;
    }
    std::vector<MultipartPart> parts;
    while (true) {
        pos += delim.size();
        if (body.substr(pos, 2) == "--") {
            return parts;
        }
        const auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string headers = ToLowerAscii(body.substr(pos, headers_end - pos));
        const auto next = body.find("\r\n" + delim, headers_end + 4);
        if (next == std::string_view::npos) {
            return std::nullopt;
        }
        MultipartPart part;
        if (const auto n = headers.find("name=\""); n != std::string::npos) {
            part.name = headers.substr(n + 6, headers.find('"', n + 6) - (n + 6));
        }
        part.body = std::string(body.substr(headers_end + 4, next - (headers_end + 4)));
        parts.push_back(std::move(part));
        pos = next + 2;
    }
}

// ---- reading the upload
// --------------------------------------------------------------------------

struct Chunk {
    std::vector<std::vector<std::string>> rows;
    std::uint64_t end = 0;  ///< offset in the file just past the last row read
    bool eof = false;       ///< nothing after `end`
    std::optional<codec::CsvError> error;
};

/// Up to `max_rows` rows of `path` from byte `start` (a row boundary).
Chunk ReadRows(const std::filesystem::path& path,
               std::uint64_t start,
               char delimiter,
               std::size_t max_rows,
               bool at_file_start) {
    Chunk out;
    out.end = start;
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(start));
    codec::CsvReaderOptions options;
    options.delimiter = delimiter;
    options.max_field_bytes = kMaxFieldBytes;
    options.skip_bom = at_file_start;
    codec::CsvReader reader(options);
    std::string buf(kReadChunk, '\0');
    std::vector<std::string> row;
    while (true) {
        switch (reader.Next(row)) {
            case codec::CsvReader::Status::kRow:
                out.rows.push_back(std::move(row));
                out.end = start + reader.offset();
                if (out.rows.size() >= max_rows) {
                    return out;
                }
                break;
            case codec::CsvReader::Status::kNeedInput: {
                in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
                const auto got = static_cast<std::size_t>(in.gcount());
                reader.Feed(std::string_view(buf.data(), got));
                if (got == 0) {
                    reader.Finish();
                }
                break;
            }
            case codec::CsvReader::Status::kEnd:
                out.end = start + reader.offset();
                out.eof = true;
                return out;
            case codec::CsvReader::Status::kError:
                // `end` stays after the last good row: the malformed one is not done.
                out.error = reader.error();
                return out;
        }
    }
}

struct Header {
    std::vector<std::string> names;
    std::uint64_t end = 0;  ///< where the first data row starts
};

/// The upload's header row (empty when the upload is empty).
Header ReadHeader(const std::filesystem::path& path, char delimiter) {
    Chunk c = ReadRows(path, 0, delimiter, 1, /*at_file_start=*/true);
    if (c.error) {
        throw InvalidBatch(c.error->message);
    }
    Header h;
    if (!c.rows.empty()) {
        h.names = std::move(c.rows[0]);
        h.end = c.end;
    }
    return h;
}

void AppendRow(std::string& out,
               std::initializer_list<std::string_view> first,
               const std::vector<std::string>& row,
               std::size_t columns,
               char d,
               std::string_view line_end) {
    bool lead = true;
    for (std::string_view v : first) {
        if (!lead) {
            out += d;
        }
        codec::AppendCsvField(out, v, d, codec::CsvQuote::kAlways);
        lead = false;
    }
    for (std::size_t i = 0; i < columns; ++i) {
        out += d;
        codec::AppendCsvField(out, i < row.size() ? row[i] : "", d, codec::CsvQuote::kAlways);
    }
    out.append(line_end);
}

/// The bytes from..to of a file as a response part sent from the file (not loaded).
void SendFilePart(Response& r,
                  const std::filesystem::path& path,
                  std::uint64_t from,
                  std::uint64_t to) {
    if (to <= from) {
        return;
    }
    auto part = FileRegion::Open(path.string(), from, to - from);
    if (!part) {
        throw std::runtime_error("cannot read the result file " + path.string());
    }
    r.body_files.push_back(std::move(part));
}

// ---- the API ------------------------------------------------------------------------------------

enum class ResultKind { kSuccess, kFailure, kUnprocessed };

class IngestV2 final : public BulkApi {
public:
    explicit IngestV2(const BulkContext& ctx)
        : ctx_(ctx),
          jobs_(ctx.db),
          leases_(ctx.db, "bulk_ingest_job", ctx.node_id, ctx.options.bulk_lease) {}

    void RegisterRoutes(Router& router) override {
        const std::string base = "/services/data/v{version}/jobs/ingest";
        const auto route = [this](Response (IngestV2::*h)(Call&)) {
            return [this, h](Call& call) {
                if (RequireServedVersion(call.api_version) < kBulkV2Since) {
                    throw NotFound();
                }
                call.format = Format::kJson;  // Bulk 2.0 answers JSON whatever Accept says
                return (this->*h)(call);
            };
        };
        router.Add({{"POST"}, base, true, route(&IngestV2::Create)});
        router.Add({{"GET"}, base, true, route(&IngestV2::List)});
        router.Add({{"GET", "PATCH", "DELETE"}, base + "/{jobId}", true, route(&IngestV2::Job)});
        // The upload streams to a file as it arrives (never whole in memory), up to 150 MB.
        router.Add(
            {{"PUT"}, base + "/{jobId}/batches", true, route(&IngestV2::Upload), kMaxUploadBytes});
        router.Add({{"GET"},
                    base + "/{jobId}/successfulResults",
                    true,
                    route(&IngestV2::SuccessfulResults)});
        router.Add(
            {{"GET"}, base + "/{jobId}/failedResults", true, route(&IngestV2::FailedResults)});
        // The router compares literal segments case-insensitively, so simple-salesforce's
        // `unprocessedRecords` is served as well (§2.1).
        router.Add({{"GET"},
                    base + "/{jobId}/unprocessedrecords",
                    true,
                    route(&IngestV2::UnprocessedRecords)});
    }

    void Start() override {
        jobs_.CreateTables();
        leases_.AddColumns();
        if (!ctx_.db.Dialect().Postgres()) {
            leases_.ForgetAll();  // a SQLite org has one node: its jobs resume at once
        }
        Expire();
        // Unfinished jobs are claimed by the worker's poller (Claim), here or on another node.
    }

    /// Claims ready jobs while this node works on fewer than it has worker threads (so that
    /// nodes share a queue of jobs), and posts their first steps.
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
    /// Bulk timestamps are whole seconds (`2022-01-02T21:57:03.000+0000`, every example, §1.2).
    std::string Now() const { return JobTimestampNow(ctx_.options); }

    void Post(const std::string& id) {
        ctx_.worker.Post([this, id] { Step(id); });
    }

    IngestJob RequireJob(const Call& call) {
        auto job = jobs_.Find(call.Param("jobId"));
        if (!job) {
            throw JobNotFound();
        }
        return std::move(*job);
    }

    /// Removes a job's bytes: the database's (in the caller's transaction when there is one)
    /// and this node's copies.
    void RemoveBytes(const std::string& id) {
        ctx_.blobs.RemoveRows(id);
        ctx_.blobs.RemoveLocal(id);
    }

    /// Terminal jobs past their retention go, with their bytes.
    void Expire() {
        const auto now =
            ctx_.options.clock ? ctx_.options.clock() : std::chrono::system_clock::now();
        for (const std::string& id : jobs_.EndedBefore(FormatDateTime(now - kRetention))) {
            Transaction tx(ctx_.db);
            if (jobs_.Delete(id)) {
                ctx_.blobs.RemoveRows(id);
            }
            tx.Commit();
            ctx_.blobs.RemoveLocal(id);
        }
    }

    /// The upload as a file on this node. PUT .../batches streams its body to a file (the
    /// route's body_file_limit), used as it is; a gzip body is inflated, and a body held in
    /// memory (a server without body_to_file) written out, to `scratch`.
    std::filesystem::path UploadFile(const Call& call, const std::filesystem::path& scratch) {
        const auto& file = call.req.body_file;
        const std::uint64_t size = file ? file->Size() : call.req.body.size();
        if (size > kMaxUploadBytes) {
            // The network layer refuses first with the same answer (the route's limit) [M].
            throw BulkError(413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large");
        }
        if (IsGzipBody(call.req)) {
            // Content-Encoding: gzip: inflated 64 KiB at a time; the 150 MB limit applies to
            // the inflated data.
            try {
                if (file) {
                    GunzipFile(file->Path(), scratch.string(), kMaxUploadBytes);
                } else {
                    AppendFile(scratch, false).Append(GunzipText(call.req.body, kMaxUploadBytes));
                }
            } catch (const GzipBodyError& e) {
                if (e.too_large) {
                    throw BulkError(413, "REQUEST_ENTITY_TOO_LARGE", "Request entity is too large");
                }
                throw BulkError(
                    400, "INVALIDJOB", std::string("Failed to read the upload: ") + e.what());
            }
            return scratch;
        }
        if (file) {
            return file->Path();
        }
        AppendFile(scratch, false).Append(call.req.body);
        return scratch;
    }

    // ---- POST /jobs/ingest -------------------------------------------------------------------

    Response Create(Call& call) {
        const std::string type = ContentType(call.req);
        std::string job_text;
        std::optional<std::string> content;
        if (type == "multipart/form-data") {
            auto parts = ParseMultipart(call.req);
            if (!parts) {
                throw InvalidJob("The multipart request body is malformed");
            }
            for (auto& p : *parts) {
                if (p.name == "job") {
                    job_text = std::move(p.body);
                } else if (p.name == "content") {
                    content = std::move(p.body);
                }
            }
            if (job_text.empty()) {
                throw InvalidJob("The multipart request has no job part");
            }
            if (content && content->size() > kMaxMultipartData) {
                throw InvalidJob("The content part of a multipart request is limited to " +
                                 std::to_string(kMaxMultipartData) + " characters");
            }
        } else if (type.empty() || type == "application/json") {
            job_text = call.req.body;
        } else {
            throw BulkError(415,
                            "UNSUPPORTED_MEDIA_TYPE",
                            "MediaType of '" + type + "' is not supported by this resource");
        }
        const json::object spec = ParseJsonObject(job_text);
        IngestJob job;
        job.operation = StringMember(spec, "operation");
        const std::string object_name = StringMember(spec, "object");
        job.external_id_field = StringMember(spec, "externalIdFieldName");
        job.assignment_rule_id = StringMember(spec, "assignmentRuleId");
        if (auto v = StringMember(spec, "contentType"); !v.empty()) {
            job.content_type = v;
        }
        if (auto v = StringMember(spec, "columnDelimiter"); !v.empty()) {
            job.column_delimiter = v;
        }
        if (auto v = StringMember(spec, "lineEnding"); !v.empty()) {
            job.line_ending = v;
        }
        static const std::vector<std::string> kOperations = {
            "insert", "update", "upsert", "delete", "hardDelete"};
        if (job.operation.empty()) {
            throw InvalidJob("The operation field is required");
        }
        if (std::find(kOperations.begin(), kOperations.end(), job.operation) == kOperations.end()) {
            throw InvalidJob("Invalid operation: " + job.operation);
        }
        if (object_name.empty()) {
            throw InvalidJob("The object field is required");
        }
        const ObjectDef* object = ctx_.records.schema.FindObject(object_name);
        if (object == nullptr) {
            throw InvalidJob("Unable to find object: " + object_name);
        }
        job.object = object->name;
        if (job.operation == "upsert") {
            if (job.external_id_field.empty()) {
                throw InvalidJob("External ID was blank for " + object->name +
                                 ". An External ID must be specified for upsert.");
            }
            const FieldDef* f = object->FindField(job.external_id_field);
            if (f == nullptr || !object->IsUpsertKey(*f)) {
                throw InvalidJob("Field name provided, " + job.external_id_field +
                                 " does not match an External ID, Salesforce Id, or indexed "
                                 "field for " +
                                 object->name);
            }
            job.external_id_field = f->name;
        }
        if (job.content_type != "CSV") {
            throw InvalidJob("Invalid contentType: " + job.content_type +
                             ". Bulk API 2.0 ingest accepts CSV only");
        }
        if (DelimiterChar(job.column_delimiter) == 0) {
            throw InvalidJob("Invalid columnDelimiter: " + job.column_delimiter);
        }
        if (job.line_ending != "LF" && job.line_ending != "CRLF") {
            throw InvalidJob("Invalid lineEnding: " + job.line_ending);
        }
        Expire();
        job.id = NewBulkId(ctx_, kJobKeyPrefix);
        job.created_by = UserId(call);
        job.created_date = Now();
        job.system_modstamp = job.created_date;
        job.state = "Open";
        job.api_version = call.api_version;
        Transaction tx(ctx_.db);
        if (content) {
            // Multipart: the data comes with the job, which is closed at once (§2.2).
            ctx_.blobs.Append(job.id, kDataFile, 0, *content);
            job.uploads = 1;
            job.state = "UploadComplete";
        }
        jobs_.Insert(job);
        tx.Commit();
        if (content) {
            Claim();
        }
        return JsonResponse(200, JobInfo(job, Shape::kCreate), call.pretty);
    }

    // ---- GET /jobs/ingest ----------------------------------------------------------------------

    Response List(Call& call) {
        const std::string after = call.req.QueryParam("queryLocator").value_or("");
        const auto job_type = call.req.QueryParam("jobType");
        const auto mode = call.req.QueryParam("concurrencyMode");
        const auto pk = call.req.QueryParam("isPkChunkingEnabled");
        // V2Ingest jobs (Parallel, never PK-chunked) and Bulk 1.0's (jobType Classic, §2.8),
        // merged in id order: ids come from one counter, so that is creation order.
        const bool pk_only = pk && ToLowerAscii(*pk) == "true";
        const bool v2 =
            !pk_only && (!job_type || *job_type == "V2Ingest") && (!mode || *mode == "Parallel");
        const bool classic =
            !pk_only && (!job_type || *job_type == "Classic") && ctx_.classic_jobs != nullptr;
        const std::vector<IngestJob> v2_jobs =
            v2 ? jobs_.List(after, kListPage + 1) : std::vector<IngestJob>{};
        const std::vector<ClassicJob> classic_jobs =
            classic ? ctx_.classic_jobs(after, kListPage + 1, mode.value_or(""))
                    : std::vector<ClassicJob>{};
        json::array records;
        std::string last;
        std::size_t a = 0;
        std::size_t b = 0;
        while (records.size() <= kListPage && (a < v2_jobs.size() || b < classic_jobs.size())) {
            if (b == classic_jobs.size() ||
                (a < v2_jobs.size() && v2_jobs[a].id < classic_jobs[b].id)) {
                last = v2_jobs[a].id;
                records.emplace_back(JobInfo(v2_jobs[a++], Shape::kList));
            } else {
                last = classic_jobs[b].id;
                records.emplace_back(ClassicJobInfo(classic_jobs[b++]));
            }
        }
        const bool done = records.size() <= kListPage;
        if (!done) {
            records.pop_back();
            last = std::string(records.back().as_object().at("id").as_string());
        }
        json::object out;
        out["done"] = done;
        out["records"] = std::move(records);
        if (done) {
            out["nextRecordsUrl"] = nullptr;
        } else {
            out["nextRecordsUrl"] =
                "/services/data/v" + call.api_version + "/jobs/ingest?queryLocator=" + last;
        }
        return JsonResponse(200, out, call.pretty);
    }

    // ---- GET / PATCH / DELETE /jobs/ingest/{jobId} -------------------------------------------

    Response Job(Call& call) {
        const IngestJob job = RequireJob(call);
        if (call.req.method == "GET") {
            return JsonResponse(200, JobInfo(job, Shape::kFull), call.pretty);
        }
        if (call.req.method == "DELETE") {
            // Docs: deletable in UploadComplete, JobComplete, Aborted or Failed (§2.6).
            Transaction tx(ctx_.db);
            if (!jobs_.Delete(job.id, {"UploadComplete", "JobComplete", "Aborted", "Failed"})) {
                throw BulkError(400,
                                "API_ERROR",
                                "Error encountered when deleting the job because the job is not "
                                "terminated");
            }
            ctx_.blobs.RemoveRows(job.id);
            tx.Commit();
            ctx_.blobs.RemoveLocal(job.id);
            return NoContent();
        }
        const std::string type = ContentType(call.req);
        if (!type.empty() && type != "application/json") {
            throw BulkError(415,
                            "UNSUPPORTED_MEDIA_TYPE",
                            "MediaType of '" + type + "' is not supported by this resource");
        }
        const std::string state = StringMember(ParseJsonObject(call.req.body), "state");
        const std::string now = Now();
        if (state == "UploadComplete") {
            if (!jobs_.Transition(job.id, {"Open"}, "UploadComplete", now)) {
                throw BulkError(
                    400, "INVALIDJOBSTATE", "Job with state " + job.state + " cannot be closed");
            }
            // Claimed here at once when this node has a free worker thread, else by the next
            // poll of any node.
            Claim();
        } else if (state == "Aborted") {
            if (!jobs_.Transition(
                    job.id, {"Open", "UploadComplete", "InProgress"}, "Aborted", now)) {
                throw BulkError(
                    400, "INVALIDJOBSTATE", "Aborting already Completed Job not allowed");
            }
        } else {
            throw BulkError(400,
                            "INVALIDJOBSTATE",
                            "Invalid state: '" + state + "'. Use UploadComplete or Aborted");
        }
        // The state this request set (the worker may already have moved the job on).
        IngestJob answered = job;
        answered.state = state;
        answered.system_modstamp = now;
        return JsonResponse(200, JobInfo(answered, Shape::kPatch), call.pretty);
    }

    // ---- PUT /jobs/ingest/{jobId}/batches ------------------------------------------------------

    Response Upload(Call& call) {
        const IngestJob job = RequireJob(call);
        if (job.state != "Open") {
            throw BulkError(400,
                            "INVALIDJOBSTATE",
                            "Job with state " + job.state +
                                " cannot accept data; upload data to "
                                "an Open job");
        }
        const auto already = [] {
            return BulkError(400,
                             "INVALIDJOBSTATE",
                             "Data has already been uploaded to this job; a job takes one upload");
        };
        if (job.uploads > 0) {
            throw already();
        }
        // The bytes go to the database under a name of this request's own, then become the
        // job's data in the transaction that takes the job's one upload: a refused, failed or
        // concurrent upload leaves nothing, and a crash mid-upload leaves no half upload.
        static std::atomic<std::uint64_t> seq{0};
        const std::string staged = "upload-" + ctx_.node_id + "-" + std::to_string(++seq);
        const auto scratch = ctx_.files.PathOf(job.id, staged);
        try {
            const std::filesystem::path local = UploadFile(call, scratch);
            ctx_.blobs.StoreFile(job.id, staged, local);
            {
                Transaction tx(ctx_.db);
                if (!jobs_.ClaimUpload(job.id, Now())) {
                    throw already();
                }
                ctx_.blobs.Rename(job.id, staged, kDataFile);
                tx.Commit();
            }
            // This node's copy of the data is the file it just stored.
            if (local == scratch) {
                ctx_.blobs.AdoptLocal(job.id, kDataFile, scratch);
            } else {
                // When the rename fails, the copy is filled from the database when needed.
                const bool kept =
                    call.req.body_file->MoveTo(ctx_.files.PathOf(job.id, kDataFile).string());
                static_cast<void>(kept);
            }
        } catch (...) {
            ctx_.blobs.RemoveBlob(job.id, staged);
            std::error_code ec;
            std::filesystem::remove(scratch, ec);
            throw;
        }
        Response r;
        r.status = 201;
        return r;
    }

    // ---- result CSVs (§2.9) ---------------------------------------------------------------------

    Response SuccessfulResults(Call& call) { return Results(call, ResultKind::kSuccess); }
    Response FailedResults(Call& call) { return Results(call, ResultKind::kFailure); }
    Response UnprocessedRecords(Call& call) { return Results(call, ResultKind::kUnprocessed); }

    Response Results(Call& call, ResultKind kind) {
        const IngestJob job = RequireJob(call);
        const char d = DelimiterChar(job.column_delimiter);
        const std::string_view line_end = LineEnd(job);
        const std::int64_t data_size = ctx_.blobs.Size(job.id, kDataFile);
        Header header;
        if (data_size > 0) {
            try {
                // The header is in the first piece (a header row past 1 MB is not read whole).
                header = ReadHeader(ctx_.blobs.Local(job.id, kDataFile, 1), d);
            } catch (const InvalidBatch&) {
                header = {};  // a malformed upload has no usable header: only sf__ columns
            }
        }
        Response r;
        r.status = 200;
        r.SetHeader("Content-Type", "text/csv");
        std::string& body = r.body;  // the header line; the rows are sent from the files
        if (kind != ResultKind::kUnprocessed) {
            codec::AppendCsvField(body, "sf__Id", d, codec::CsvQuote::kAlways);
            body += d;
            codec::AppendCsvField(body,
                                  kind == ResultKind::kSuccess ? "sf__Created" : "sf__Error",
                                  d,
                                  codec::CsvQuote::kAlways);
            for (const auto& name : header.names) {
                body += d;
                codec::AppendCsvField(body, name, d, codec::CsvQuote::kAsNeeded);
            }
            body.append(line_end);
            const bool success = kind == ResultKind::kSuccess;
            const std::int64_t size = success ? job.success_size : job.failure_size;
            if (size > 0) {
                SendFilePart(r,
                             ctx_.blobs.Local(job.id, success ? kSuccessFile : kFailureFile, size),
                             0,
                             static_cast<std::uint64_t>(size));
            }
        } else if (!header.names.empty()) {
            // The header, then the rows never processed, as uploaded.
            codec::AppendCsvRow(body, header.names, d, line_end, codec::CsvQuote::kAsNeeded);
            if (job.state != "JobComplete") {
                SendFilePart(r,
                             ctx_.blobs.Local(job.id, kDataFile, data_size),
                             std::max<std::uint64_t>(header.end,
                                                     static_cast<std::uint64_t>(job.data_offset)),
                             static_cast<std::uint64_t>(data_size));
            }
        }
        return r;
    }

    // ---- processing --------------------------------------------------------------------------

    /// Fails the job, if this node still holds it.
    void Fail(const std::string& id, const std::string& message) {
        Transaction tx(ctx_.db);
        if (leases_.Renew(id)) {
            jobs_.Transition(id, {"UploadComplete", "InProgress"}, "Failed", Now(), message);
        }
        tx.Commit();
    }

    /// This node no longer works on the job (done, lost, or stopping): another can be claimed.
    void Leave() {
        --active_;
        ctx_.worker.Kick();
    }

    /// One chunk of a job this node claimed; posts the next while rows remain and the lease
    /// holds.
    void Step(const std::string& id) {
        if (ctx_.worker.Stopping()) {
            Leave();
            return;
        }
        bool more = false;
        try {
            more = StepJob(id);
        } catch (...) {
            Leave();
            throw;
        }
        if (more) {
            Post(id);
        } else {
            Leave();
        }
    }

    bool StepJob(const std::string& id) {
        auto job = jobs_.Find(id);
        if (!job || (job->state != "UploadComplete" && job->state != "InProgress")) {
            if (!job) {
                RemoveBytes(id);  // deleted while a chunk ran (it may have added result rows)
            }
            return false;  // aborted, deleted, or done
        }
        if (job->state == "UploadComplete") {
            if (ctx_.blobs.Size(id, kDataFile) == 0) {
                Fail(id, kNoData);  // straight from UploadComplete: nothing to process
                return false;
            }
            if (!jobs_.Transition(id, {"UploadComplete"}, "InProgress", Now())) {
                return false;
            }
            job->state = "InProgress";
        }
        bool more = false;
        try {
            more = RunChunk(*job);
        } catch (const LeaseLost&) {
            return false;  // another node took the job over: this one's chunk rolled back
        } catch (const InvalidBatch& e) {
            Fail(id, e.what());
        } catch (const std::exception& e) {
            Fail(id, std::string("InternalServerError : ") + e.what());
        }
        if (!jobs_.Find(id)) {
            RemoveBytes(id);  // deleted while its last chunk ran
            return false;
        }
        if (more && ctx_.options.bulk_chunk_committed) {
            ctx_.options.bulk_chunk_committed(id);
        }
        return more;
    }

    /// Processes the next chunk of the job's rows in one transaction; true when rows remain.
    bool RunChunk(const IngestJob& job) {
        const auto started = std::chrono::steady_clock::now();
        const ObjectDef* object = ctx_.records.schema.FindObject(job.object);
        if (object == nullptr) {
            throw InvalidBatch("Unable to find object: " + job.object);
        }
        const char d = DelimiterChar(job.column_delimiter);
        const std::string_view line_end = LineEnd(job);
        const auto data = ctx_.blobs.Local(job.id, kDataFile, ctx_.blobs.Size(job.id, kDataFile));
        const Header header = ReadHeader(data, d);
        if (header.names.empty()) {
            throw InvalidBatch(kNoDataReason);
        }
        const IngestPlan plan = PlanColumns(
            ctx_.records.schema, *object, job.operation, job.external_id_field, header.names);
        const std::uint64_t start =
            std::max<std::uint64_t>(header.end, static_cast<std::uint64_t>(job.data_offset));
        const Chunk chunk = ReadRows(data,
                                     start,
                                     d,
                                     std::max<std::size_t>(ctx_.options.bulk_chunk_rows, 1),
                                     /*at_file_start=*/false);
        const std::size_t columns = header.names.size();
        IngestJob next = job;
        std::string state = "InProgress";
        ctx_.records.store.Atomically([&] {
            // First: the job's row locked and this node's lease checked and extended.
            if (!leases_.Renew(job.id)) {
                throw LeaseLost{};
            }
            next = job;
            std::string ok_rows;
            std::string failed_rows;
            for (const auto& row : chunk.rows) {
                if (AllEmpty(row)) {
                    continue;  // a blank line is no record
                }
                ++next.processed;
                auto outcome = ApplyRowIsolated(ctx_.records, job.created_by, plan, row);
                if (const auto* r = std::get_if<RowResult>(&outcome)) {
                    AppendRow(
                        ok_rows, {r->id, r->created ? "true" : "false"}, row, columns, d, line_end);
                } else {
                    ++next.failed;
                    AppendRow(failed_rows,
                              {FailedRowId(plan, row), BulkErrorText(std::get<ApiError>(outcome))},
                              row,
                              columns,
                              d,
                              line_end);
                }
            }
            next.success_size = ctx_.blobs.Append(job.id, kSuccessFile, job.success_size, ok_rows);
            next.failure_size =
                ctx_.blobs.Append(job.id, kFailureFile, job.failure_size, failed_rows);
            next.data_offset = static_cast<std::int64_t>(chunk.end);
            next.system_modstamp = Now();
            next.processing_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count();
            if (chunk.error) {
                // Rows before the malformed one are processed; the rest is not (§2.10:
                // a bad file fails the job during processing).
                state = "Failed";
                next.error_message = "InvalidBatch : " + chunk.error->message;
            } else if (chunk.eof) {
                state = "JobComplete";
            }
            jobs_.SaveProgress(next, state);
        });
        return state == "InProgress";
    }

    BulkContext ctx_;
    IngestJobs jobs_;
    JobLeases leases_;
    /// Jobs this node works on now (claimed, not yet left).
    std::atomic<std::size_t> active_{0};
};

}  // namespace

std::unique_ptr<BulkApi> MakeIngestV2(const BulkContext& ctx) {
    return std::make_unique<IngestV2>(ctx);
}

}  // namespace sfkit::server::bulk
