// Bulk API 1.0 resources (see async_api.hpp; wire reference §4). Every answer under
// /services/async/ is made here: the path is parsed segment by segment, as Salesforce does
// (`Failed to parse URL. Was expecting 'job' but found:...`), the session comes from
// X-SFDC-Session, and errors are rendered in the job's format.
#include "server/bulk/async_api.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <vector>

#include "sfkit/core/id.hpp"

#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/auth_service.hpp"
#include "server/bulk/async_processor.hpp"
#include "server/bulk/async_spec.hpp"
#include "server/bulk/async_store.hpp"
#include "server/bulk/async_wire.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/bulk/job_blobs.hpp"
#include "server/bulk/job_files.hpp"
#include "server/bulk/job_leases.hpp"
#include "server/bulk/worker.hpp"
#include "server/http/gzip_body.hpp"
#include "server/http/router.hpp"
#include "server/org/local_org.hpp"
#include "server/org/options.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk1 {
namespace {

constexpr std::string_view kCsvContentType = "text/csv";
/// Jobs and batches are kept 7 days after the job's youngest batch (§4.4).
constexpr auto kRetention = std::chrono::hours(24 * 7);
/// Bulk API 1.0's per-batch size limit (10 MB; §4.4).
constexpr std::size_t kMaxBatchBytes = 10'000'000;

constexpr std::array<std::string_view, 7> kOperations = {
    "insert", "update", "upsert", "delete", "hardDelete", "query", "queryAll"};

bool IsQuery(std::string_view operation) {
    return operation == "query" || operation == "queryAll";
}

/// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(const std::string* content_type) {
    if (content_type == nullptr) {
        return {};
    }
    std::string out = ToLowerAscii(content_type->substr(0, content_type->find(';')));
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    while (!out.empty() && out.front() == ' ') {
        out.erase(out.begin());
    }
    return out;
}

bool IsJsonMedia(std::string_view media) {
    return media == "application/json" || media == "text/json";
}

/// The format a request body is written in and, before a job is known, the format of the
/// answer: JSON when the request says application/json, XML otherwise.
WireFormat RequestFormat(const Request& req) {
    return IsJsonMedia(MediaType(req.Header("Content-Type"))) ? WireFormat::kJson
                                                              : WireFormat::kXml;
}

WireFormat JobFormat(const AsyncJob& job) {
    return job.content_type == "JSON" ? WireFormat::kJson : WireFormat::kXml;
}

/// The content type a batch of a `job_type` job must be sent with; "" when it matches.
bool BatchMediaMatches(std::string_view job_type, std::string_view media) {
    if (job_type == "CSV") {
        return media == "text/csv";
    }
    if (job_type == "JSON") {
        return IsJsonMedia(media);
    }
    return media == "application/xml" || media == "text/xml";
}

Response Body(int status, std::string_view content_type, std::string body) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", std::string(content_type));
    r.body = std::move(body);
    return r;
}

std::vector<std::string> Segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto end = path.find('/', pos);
        const auto piece = path.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (!piece.empty()) {
            out.emplace_back(piece);
        }
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    return out;
}

AsyncError UrlError(std::string_view expected, std::string_view found) {
    return AsyncError("InvalidUrl",
                      "Failed to parse URL. Was expecting '" + std::string(expected) +
                          "' but found:" + std::string(found));
}

AsyncError MethodError(const std::string& method) {
    return AsyncError("InvalidUrl", "HTTP method '" + method + "' is not allowed on this URL");
}

/// An id from the URL in its 18-char form ("" when it is not an id at all).
std::string NormalizeId(std::string_view text) {
    auto id = Id::Parse(text);
    return id ? id->Str18() : std::string();
}

}  // namespace

struct AsyncApi::Impl {
    const bulk::BulkContext& ctx;
    AsyncDeps deps;
    AsyncStore store;
    /// Which node runs a batch: a lease in the batch's row, as for Bulk 2.0 jobs.
    bulk::JobLeases leases;
    AsyncProcessor processor;
    /// Batches this node works on now (claimed, not yet left).
    std::atomic<std::size_t> active{0};

    Impl(const bulk::BulkContext& c, AsyncDeps d)
        : ctx(c),
          deps(std::move(d)),
          store(ctx.db),
          leases(ctx.db, "bulk1_batch", ctx.node_id, ctx.options.bulk_lease),
          processor(store, ctx, leases, deps.queries, [this] {
              return bulk::NewBulkId(ctx, bulk::kResultKeyPrefix);
          }) {
        // A job's CSV batches are read through its transformation spec, when it has one.
        processor.SetSpec([this](const AsyncJob& job,
                                 const ObjectDef& object,
                                 std::vector<std::string> header,
                                 std::vector<std::vector<std::string>> rows) {
            const std::string text = store.Spec(job.id);
            if (text.empty()) {
                return std::pair{std::move(header), std::move(rows)};
            }
            const auto spec = ParseSpec(text, ctx.records.schema, object);
            return ApplySpec(spec, ctx.records.schema, object, header, rows);
        });
    }

    std::string Now() const { return AsyncNow(ctx.options); }

    /// Claims ready batches (any node's: AsyncStore::kClaimable, which keeps a Serial job's
    /// batches one at a time and in order) while this node works on fewer than it has worker
    /// threads, and runs each on the Bulk worker.
    void Claim() {
        leases.ClaimWhileFree(
            AsyncStore::kClaimable,
            std::max<std::size_t>(ctx.options.bulk_threads, 1),
            active,
            [this] { return ctx.worker.Stopping(); },
            [this](const std::string& batch_id) {
                ctx.worker.Post([this, batch_id] { RunClaimed(batch_id); });
            });
    }

    /// Runs a batch this node claimed; then another may be claimed (here or by the poll).
    void RunClaimed(const std::string& batch_id) {
        struct Leave {
            Impl& m;
            ~Leave() {
                --m.active;
                m.ctx.worker.Kick();
            }
        } leave{*this};
        if (ctx.worker.Stopping()) {
            return;  // the lease is given back when the worker stopped (Stopped)
        }
        if (const auto job_id = store.JobOfBatch(batch_id)) {
            processor.Run(*job_id, batch_id);
        }
    }

    /// Jobs whose youngest batch (or the job itself, without batches) is older than 7 days
    /// are removed with their batches and files, whatever their state (§4.4: "Job and Batch
    /// Lifespan"); checked at start and when a job is created.
    void Expire() {
        const auto now = ctx.options.clock ? ctx.options.clock() : std::chrono::system_clock::now();
        for (const std::string& id : store.ExpireBefore(FormatDateTime(now - kRetention))) {
            ctx.blobs.RemoveRows(id);
            ctx.blobs.RemoveLocal(id);
        }
    }

    /// One request under /services/async/; `rest` is the path after it.
    Response Handle(Call& call);
    /// Handle, once a gzip body is inflated.
    Response Serve(Call& call);

    Response CreateJob(const Call& call, const Session& session, const std::string& version);
    Response UpdateJob(const Call& call, AsyncJob job);
    Response UploadSpec(const Call& call, const AsyncJob& job);
    Response AddBatch(const Call& call, const AsyncJob& job, const std::string& version);
    Response BatchResource(const Call& call,
                           const AsyncJob& job,
                           const std::vector<std::string>& seg);

    AsyncJob RequireJob(const std::string& text) {
        const std::string id = NormalizeId(text);
        std::optional<AsyncJob> job;
        if (!id.empty()) {
            job = store.FindJob(id);
        }
        if (!job) {
            throw AsyncError("InvalidJob", "Invalid job id: " + text);
        }
        return *job;
    }

    Response JobAnswer(int status, const AsyncJob& job, WireFormat format, bool pretty) {
        if (format == WireFormat::kJson) {
            return Body(status, kJsonContentType, JobInfoJson(job, pretty));
        }
        return Body(status, kXmlContentType, JobInfoXml(job));
    }
    Response BatchAnswer(int status, const AsyncBatch& batch, WireFormat format, bool pretty) {
        if (format == WireFormat::kJson) {
            return Body(status, kJsonContentType, BatchInfoJson(batch, pretty));
        }
        return Body(status, kXmlContentType, BatchInfoXml(batch));
    }
};

AsyncApi::AsyncApi(const bulk::BulkContext& ctx, AsyncDeps deps)
    : impl_(std::make_unique<Impl>(ctx, std::move(deps))) {
    // GET /jobs/ingest lists Bulk 1.0 jobs too, as jobType Classic.
    ctx.classic_jobs = [store = &impl_->store](
                           const std::string& after, std::size_t limit, const std::string& mode) {
        std::vector<bulk::ClassicJob> out;
        for (AsyncJob& j : store->ListJobs(after, limit, mode)) {
            out.push_back({std::move(j.id),
                           std::move(j.operation),
                           std::move(j.object),
                           std::move(j.created_by_id),
                           std::move(j.created_date),
                           std::move(j.system_modstamp),
                           std::move(j.state),
                           std::move(j.concurrency_mode),
                           std::move(j.content_type),
                           std::move(j.api_version)});
        }
        return out;
    };
}
AsyncApi::~AsyncApi() {
    impl_->ctx.classic_jobs = nullptr;
}

void AsyncApi::Start() {
    impl_->leases.AddColumns();
    if (!impl_->ctx.db.Dialect().Postgres()) {
        impl_->leases.ForgetAll();  // a SQLite org has one node: its batches resume at once
    }
    impl_->Expire();
    // A batch cut short by a stop or a crash resumes after its last committed chunk: claimed
    // by the worker's poll (Claim), on this node or another.
}

void AsyncApi::Claim() {
    impl_->Claim();
}

void AsyncApi::Stopped() {
    impl_->leases.ReleaseMine();
}

AsyncStore& AsyncApi::Store() {
    return impl_->store;
}

void AsyncApi::RegisterRoutes(Router& router) {
    Impl* m = impl_.get();
    router.Add({{"GET", "POST", "PUT", "PATCH", "DELETE"},
                "/services/async/{*rest}",
                false,
                [m](Call& call) { return m->Handle(call); }});
}

Response AsyncApi::Impl::Handle(Call& call) {
    if (!IsGzipBody(call.req)) {
        return Serve(call);
    }
    // A compressed body (Content-Encoding: gzip) is inflated first; batches keep their 10 MB
    // limit on the inflated size.
    Request inflated = call.req;
    try {
        inflated.body = GunzipText(call.req.body, kMaxBatchBytes + 1);
    } catch (const GzipBodyError& e) {
        const AsyncError error(e.too_large ? "InvalidBatch" : "ClientInputError",
                               e.too_large
                                   ? "Exceeded max size limit of 10000000"
                                   : std::string("Failed to read the request body: ") + e.what());
        if (RequestFormat(call.req) == WireFormat::kJson) {
            return Body(
                error.status, kJsonContentType, ErrorJson(error.code, error.what(), call.pretty));
        }
        return Body(error.status, kXmlContentType, ErrorXml(error.code, error.what()));
    }
    Call plain{inflated,
               call.params,
               call.session,
               call.format,
               call.pretty,
               call.api_version,
               call.base_url};
    return Serve(plain);
}

Response AsyncApi::Impl::Serve(Call& call) {
    WireFormat format = RequestFormat(call.req);
    try {
        const std::vector<std::string> seg = Segments(call.Param("rest"));
        // The session first: a request without a valid one learns nothing else (§4.6; jsforce
        // refreshes its token on exactly this answer).
        const std::string* sid = call.req.Header("X-SFDC-Session");
        Session session;
        try {
            if (sid == nullptr || sid->empty()) {
                throw AsyncError("InvalidSessionId", "Invalid session id");
            }
            session = deps.auth.AuthenticateToken(*sid);
        } catch (const ApiError&) {
            throw AsyncError("InvalidSessionId", "Invalid session id");
        }
        if (deps.usage != nullptr) {
            deps.usage->Count();
        }
        const std::string version = seg.empty() ? std::string() : seg[0];
        try {
            RequireServedVersion(version);
        } catch (const ApiError&) {
            throw AsyncError("InvalidUrl",
                             "Failed to parse URL. Unsupported API version: " +
                                 (version.empty() ? "(none)" : version));
        }
        if (seg.size() < 2 || seg[1] != "job") {
            throw UrlError("job", seg.size() < 2 ? "" : seg[1]);
        }
        const std::string& method = call.req.method;
        if (seg.size() == 2) {
            if (method != "POST") {
                throw MethodError(method);
            }
            return CreateJob(call, session, version);
        }
        AsyncJob job = RequireJob(seg[2]);
        format = JobFormat(job);
        if (seg.size() == 3) {
            if (method == "GET" || method == "HEAD") {
                return JobAnswer(200, job, format, call.pretty);
            }
            if (method == "POST") {
                // The answer is written like the request (simple-salesforce closes a JSON job
                // with a JSON body and reads JSON back; jsforce sends and reads XML).
                format = RequestFormat(call.req);
                return UpdateJob(call, std::move(job));
            }
            throw MethodError(method);
        }
        if (seg[3] == "batch") {
            if (seg.size() == 4) {
                if (method == "POST") {
                    return AddBatch(call, job, version);
                }
                if (method == "GET" || method == "HEAD") {
                    const auto batches = store.ListBatches(job.id);
                    if (format == WireFormat::kJson) {
                        return Body(200, kJsonContentType, BatchInfoListJson(batches, call.pretty));
                    }
                    return Body(200, kXmlContentType, BatchInfoListXml(batches));
                }
                throw MethodError(method);
            }
            return BatchResource(call, job, seg);
        }
        if (seg[3] == "spec" && seg.size() == 4) {
            if (method != "POST") {
                throw MethodError(method);
            }
            return UploadSpec(call, job);
        }
        throw UrlError("batch", seg[3]);
    } catch (const AsyncError& e) {
        if (format == WireFormat::kJson) {
            return Body(e.status, kJsonContentType, ErrorJson(e.code, e.what(), call.pretty));
        }
        return Body(e.status, kXmlContentType, ErrorXml(e.code, e.what()));
    }
}

Response AsyncApi::Impl::CreateJob(const Call& call,
                                   const Session& session,
                                   const std::string& version) {
    const WireFormat format = RequestFormat(call.req);
    JobRequest r = ParseJobRequest(call.req.body, format);
    bool known = false;
    for (auto op : kOperations) {
        known = known || r.operation == op;  // case-sensitive: INSERT is not an operation
    }
    if (!known) {
        throw AsyncError("InvalidJob", "Invalid job operation: " + r.operation);
    }
    const ObjectDef* object = ctx.records.schema.FindObject(r.object);
    if (object == nullptr) {
        throw AsyncError("InvalidJob", "Unable to find object: " + r.object);
    }
    if (r.content_type.empty()) {
        r.content_type = "XML";  // jobInfo's documented default
    }
    if (r.content_type != "CSV" && r.content_type != "XML" && r.content_type != "JSON") {
        if (r.content_type.rfind("ZIP_", 0) == 0) {
            throw AsyncError("FeatureNotEnabled",
                             "Content type " + r.content_type +
                                 " (zipped batches) is not supported by the local org");
        }
        throw AsyncError("InvalidJob", "Invalid content type: " + r.content_type);
    }
    if (r.concurrency_mode.empty()) {
        r.concurrency_mode = "Parallel";
    }
    if (r.concurrency_mode != "Parallel" && r.concurrency_mode != "Serial") {
        throw AsyncError("InvalidJob", "Invalid concurrency mode: " + r.concurrency_mode);
    }
    if (r.operation == "upsert") {
        if (r.external_id_field.empty()) {
            throw AsyncError("InvalidJob", "External ID field name is required for upsert");
        }
        const FieldDef* ext = object->FindField(r.external_id_field);
        if (ext == nullptr || !object->IsUpsertKey(*ext)) {
            throw AsyncError("InvalidJob",
                             "Invalid external ID field name: " + r.external_id_field);
        }
        r.external_id_field = ext->name;
    } else {
        r.external_id_field.clear();
    }
    AsyncJob job;
    job.id = bulk::NewBulkId(ctx, bulk::kJobKeyPrefix);
    job.operation = r.operation;
    job.object = object->name;
    job.created_by_id = session.user_id;
    Expire();
    job.created_date = Now();
    job.system_modstamp = job.created_date;
    job.state = "Open";
    job.external_id_field = r.external_id_field;
    job.concurrency_mode = r.concurrency_mode;
    job.content_type = r.content_type;
    job.assignment_rule_id = r.assignment_rule_id;
    job.api_version = version;
    store.InsertJob(job);
    // Answered in the request's format, whatever the job's (§4.1, recorded).
    return JobAnswer(201, job, format, call.pretty);
}

Response AsyncApi::Impl::UpdateJob(const Call& call, AsyncJob job) {
    const WireFormat format = RequestFormat(call.req);
    const std::string state = ParseStateRequest(call.req.body, format);
    const std::string now = Now();
    if (state == "Closed") {
        if (job.state == "Aborted" || job.state == "Failed") {
            throw AsyncError("InvalidJobState", job.state + " Job cannot be closed");
        }
        if (job.state != "Closed") {
            store.SetJobState(job.id, "Closed", now);
        }
    } else if (state == "Aborted") {
        if (job.state == "Failed") {
            throw AsyncError("InvalidJobState", "Failed Job cannot be aborted");
        }
        if (job.state != "Aborted") {
            store.SetJobState(job.id, "Aborted", now);
            store.MarkNotProcessed(job.id, now);
        }
    } else {
        throw AsyncError("InvalidJobState",
                         "Invalid job state: " + (state.empty() ? "(none)" : state) +
                             ". A job can be set to Closed or Aborted");
    }
    return JobAnswer(200, *store.FindJob(job.id), format, call.pretty);
}

Response AsyncApi::Impl::UploadSpec(const Call& call, const AsyncJob& job) {
    if (job.state != "Open") {
        throw AsyncError("InvalidJobState", "Job " + job.id + " is not open");
    }
    if (job.content_type != "CSV" || IsQuery(job.operation)) {
        throw AsyncError("InvalidJob",
                         "Transformation specs apply to CSV ingest jobs, not to " +
                             (IsQuery(job.operation) ? job.operation : job.content_type) + " jobs");
    }
    const std::string media = MediaType(call.req.Header("Content-Type"));
    if (media != kCsvContentType) {
        throw AsyncError("InvalidBatch",
                         "Unsupported content type " + (media.empty() ? "(none)" : media) +
                             " for a transformation spec: it is text/csv");
    }
    const ObjectDef* object = ctx.records.schema.FindObject(job.object);
    if (object == nullptr) {
        throw AsyncError("InvalidJob", "Unable to find object: " + job.object);
    }
    ParseSpec(call.req.body, ctx.records.schema, *object);  // refuses a spec that is not one
    store.SetSpec(job.id, call.req.body);
    // Salesforce's answer is not documented; clients check only for success [M].
    Response r;
    r.status = 201;
    return r;
}

Response AsyncApi::Impl::AddBatch(const Call& call,
                                  const AsyncJob& job,
                                  const std::string& version) {
    const WireFormat format = JobFormat(job);
    if (job.state != "Open") {
        throw AsyncError("InvalidJobState", "Job " + job.id + " is not open");
    }
    if (version != job.api_version) {
        throw AsyncError("InvalidBatch",
                         "The batch's API version " + version +
                             " does not match the job's API version " + job.api_version);
    }
    const std::string media = MediaType(call.req.Header("Content-Type"));
    if (!BatchMediaMatches(job.content_type, media)) {
        throw AsyncError("InvalidBatch",
                         "Unsupported content type " + (media.empty() ? "(none)" : media) +
                             " for a " + job.content_type + " job");
    }
    if (call.req.body.size() > kMaxBatchBytes) {
        throw AsyncError("InvalidBatch", "Exceeded max size limit of 10000000");
    }
    // DailyBulkApiBatches, shared with Bulk 2.0 ingest's internal batches (bulk_usage.hpp).
    if (!ctx.usage.TryCount(bulk::BulkLimit::kBatches)) {
        throw AsyncError("ExceededQuota",
                         "Exceeded the daily limit of Bulk API batches (DailyBulkApiBatches)");
    }
    BatchWork w;
    w.info.job_id = job.id;
    w.info.state = "Queued";
    w.info.created_date = Now();
    w.info.system_modstamp = w.info.created_date;
    w.request_type = job.content_type;
    w.request = call.req.body;
    w.info.id = bulk::NewBulkId(ctx, bulk::kBatchKeyPrefix);
    store.InsertBatch(w);
    // Claimed here at once when this node has a free worker thread, else by the next poll of
    // any node.
    Claim();
    // Read back: a fast processor may already have moved it on.
    const AsyncBatch now = store.FindBatch(job.id, w.info.id).value_or(w.info);
    Response r = BatchAnswer(201, now, format, call.pretty);
    r.SetHeader("Location",
                "/services/async/" + version + "/job/" + job.id + "/batch/" + w.info.id);
    return r;
}

Response AsyncApi::Impl::BatchResource(const Call& call,
                                       const AsyncJob& job,
                                       const std::vector<std::string>& seg) {
    const WireFormat format = JobFormat(job);
    const std::string& method = call.req.method;
    if (method != "GET" && method != "HEAD") {
        throw MethodError(method);
    }
    const std::string id = NormalizeId(seg[4]);
    std::optional<AsyncBatch> batch;
    if (!id.empty()) {
        batch = store.FindBatch(job.id, id);
    }
    if (!batch) {
        throw AsyncError("InvalidBatch", "Invalid batch id: " + seg[4]);
    }
    if (seg.size() == 5) {
        return BatchAnswer(200, *batch, format, call.pretty);
    }
    const std::string& what = seg[5];
    if (what == "request" && seg.size() == 6) {
        auto work = store.LoadWork(job.id, batch->id);
        std::string_view type = work->request_type == "CSV"    ? kCsvContentType
                                : work->request_type == "JSON" ? kJsonContentType
                                                               : kXmlContentType;
        if (IsQuery(job.operation)) {
            type = "text/plain;charset=UTF-8";
        }
        return Body(200, type, std::move(work->request));
    }
    if (what != "result") {
        throw UrlError("result", what);
    }
    const bool done = batch->state == "Completed" || batch->state == "Failed";
    if (!done) {
        throw AsyncError("InvalidBatch", "Batch not completed");
    }
    if (!IsQuery(job.operation)) {
        if (seg.size() != 6) {
            throw AsyncError("InvalidBatch", "Invalid result id: " + seg[6]);
        }
        std::string results = store.Results(batch->id);
        if (results.empty()) {
            throw AsyncError("InvalidBatch", "Records not found for this batch");
        }
        const std::string_view type = job.content_type == "CSV"    ? kCsvContentType
                                      : job.content_type == "JSON" ? kJsonContentType
                                                                   : kXmlContentType;
        return Body(200, type, std::move(results));
    }
    const std::vector<std::string> ids = store.ResultIds(batch->id);
    if (seg.size() == 6) {
        if (batch->state == "Failed") {
            throw AsyncError("InvalidBatch", "Records not found for this batch");
        }
        if (format == WireFormat::kJson) {
            return Body(200, kJsonContentType, ResultListJson(ids, call.pretty));
        }
        return Body(200, kXmlContentType, ResultListXml(ids));
    }
    const std::string& rid = seg[6];
    if (seg.size() != 7 || std::find(ids.begin(), ids.end(), rid) == ids.end()) {
        throw AsyncError("InvalidBatch", "Invalid result id: " + rid);
    }
    // Sent from the file as the connection takes it (Response::body_files): memory stays one
    // buffer whatever the size of the result set.
    // The result set is in the database (any node serves it); this node's copy is sent.
    const std::string name = AsyncProcessor::ResultName(batch->id, rid);
    const auto size = static_cast<std::uint64_t>(ctx.blobs.Size(job.id, name));
    std::shared_ptr<const FileRegion> part;
    if (size > 0) {
        part = FileRegion::Open(
            ctx.blobs.Local(job.id, name, static_cast<std::int64_t>(size)).string(), 0, size);
        if (!part) {
            throw AsyncError("InvalidBatch", "Invalid result id: " + rid);
        }
    }
    const std::string_view type = job.content_type == "CSV"    ? kCsvContentType
                                  : job.content_type == "JSON" ? kJsonContentType
                                                               : kXmlContentType;
    Response r = Body(200, type, {});
    if (size > 0) {
        r.body_files.push_back(std::move(part));
    }
    return r;
}

}  // namespace sfkit::server::bulk1
