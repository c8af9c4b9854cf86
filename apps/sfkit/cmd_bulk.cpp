// `sfkit bulk ...`: Bulk API 2.0 from the command line (docs/cli.md, "bulk"). Ingest commands
// stream the CSV file to the org, close the job and poll it with backoff; export streams every
// results page into the output file. Memory stays flat whatever the row count. A progress line
// goes to stderr when it is a terminal (never with --json). Failed rows are written to
// `<job id>-failed-records.csv` and the path is printed, so they are never lost.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "sfkit/client/bulk2.hpp"

#include "client_support.hpp"
#include "codec/json.hpp"
#include "commands.hpp"
#include "output_file.hpp"
#include "progress.hpp"

namespace sfkit::cli {
namespace json = boost::json;
using client::Bulk2;
using client::BulkJob;

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds WaitTimeout(double minutes) {
    return std::chrono::milliseconds(static_cast<long long>(minutes * 60'000.0));
}

client::PollOptions PollFor(double minutes, Progress& progress) {
    client::PollOptions p;
    // Backoff from 250 ms up to 2 s (sf polls every 5 s): a finished job is seen within 2 s
    // at the cost of one GET per 2 s on long jobs.
    p.max_interval = std::chrono::milliseconds(2'000);
    p.timeout = WaitTimeout(minutes);
    p.on_poll = [&progress](const BulkJob& job) { progress.Job(job); };
    return p;
}

/// The job as JSON, with the wire's key names (keys the answer did not have are left out: a
/// PATCH answer ends at apiVersion).
json::object JobJson(const BulkJob& job) {
    json::object o;
    const auto text = [&o](const char* key, const std::string& value) {
        if (!value.empty()) {
            o[key] = value;
        }
    };
    text("id", job.id);
    text("operation", job.operation);
    text("object", job.object);
    text("state", job.state);
    text("externalIdFieldName", job.external_id_field);
    o["apiVersion"] = job.api_version;
    text("jobType", job.job_type);
    text("lineEnding", job.line_ending);
    text("columnDelimiter", job.column_delimiter);
    text("createdDate", job.created_date);
    text("systemModstamp", job.system_modstamp);
    o["numberRecordsProcessed"] = job.records_processed;
    if (job.job_type != "V2Query") {
        o["numberRecordsFailed"] = job.records_failed;
    }
    o["totalProcessingTime"] = job.total_processing_time;
    text("errorMessage", job.error_message);
    return o;
}

/// What an ingest command reports: the job and its counters, in sf's names.
json::object CountsJson(const BulkJob& job) {
    json::object r;
    r["jobId"] = job.id;
    r["state"] = job.state;
    r["object"] = job.object;
    r["operation"] = job.operation;
    r["processedRecords"] = job.records_processed;
    r["successfulRecords"] = job.records_processed - job.records_failed;
    r["failedRecords"] = job.records_failed;
    return r;
}

/// Writes one results CSV of an ingest job to `path` (temporary name, renamed when complete).
Result<void> SaveResults(Bulk2& bulk,
                         const std::string& job_id,
                         client::IngestResults which,
                         const std::string& path) {
    Output out;
    if (auto opened = out.Open(path); !opened) {
        return opened;
    }
    FILE* f = out.File();
    auto got = bulk.DownloadIngestResults(job_id, which, [f](std::string_view piece) {
        return std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
    });
    if (!got) {
        return got;
    }
    return out.Commit();
}

std::string FailedFile(const std::string& job_id) {
    return job_id + "-failed-records.csv";
}
std::string SuccessFile(const std::string& job_id) {
    return job_id + "-success-records.csv";
}
std::string UnprocessedFile(const std::string& job_id) {
    return job_id + "-unprocessed-records.csv";
}

Result<client::ColumnDelimiter> DelimiterFlag(const std::string& flag) {
    if (flag.empty()) {
        return client::ColumnDelimiter::kComma;
    }
    auto d = client::ParseColumnDelimiter(flag);
    if (!d) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_COLUMN_DELIMITER",
                         "--column-delimiter must be BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON or "
                         "TAB, not '" +
                             flag + "'");
    }
    return *d;
}

client::LineEnding LineEndingFlag(const std::string& flag) {
    return flag == "CRLF" ? client::LineEnding::kCrlf : client::LineEnding::kLf;
}

/// The delimiter of `path`, guessed from its first line.
client::ColumnDelimiter DetectFromFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return client::DetectColumnDelimiter(head);
}

/// The end of an ingest command: counts, the failed (and unprocessed) rows saved to files, the
/// human lines or the JSON result. Exit 1 when rows failed or the job did not complete.
int ReportIngest(Bulk2& bulk,
                 client::RestClient& rest,
                 const BulkJob& job,
                 bool as_json,
                 std::string_view command) {
    json::object r = CountsJson(job);
    std::optional<Error> problem = client::JobFailure(job);
    if (job.records_failed > 0 || job.state == "Failed" || job.state == "Aborted") {
        const std::string path = FailedFile(job.id);
        if (auto saved = SaveResults(bulk, job.id, client::IngestResults::kFailed, path); !saved) {
            return ReportError(saved.error(), as_json, command);
        }
        r["failedResultsFile"] = path;
    }
    if (job.state == "Failed" || job.state == "Aborted") {
        const std::string path = UnprocessedFile(job.id);
        if (auto saved = SaveResults(bulk, job.id, client::IngestResults::kUnprocessed, path);
            !saved) {
            return ReportError(saved.error(), as_json, command);
        }
        r["unprocessedRecordsFile"] = path;
    }
    if (!problem && job.records_failed > 0) {
        problem = MakeError(ErrorKind::kApi,
                            "FAILED_RECORDS",
                            Grouped(job.records_failed) + " of " + Grouped(job.records_processed) +
                                " records failed; see " + FailedFile(job.id));
    }
    WarnOnApiUsage(rest.LastApiUsage());
    if (as_json) {
        if (problem) {
            PrintJsonLine(ErrorEnvelope(*problem, command, {}, &r));
        } else {
            PrintJsonResult(r, rest.LastApiUsage());
        }
    } else {
        std::printf("Job %s (%s %s): %s\n",
                    job.id.c_str(),
                    job.operation.c_str(),
                    job.object.c_str(),
                    job.state.c_str());
        std::printf("Processed %s records: %s succeeded, %s failed.\n",
                    Grouped(job.records_processed).c_str(),
                    Grouped(job.records_processed - job.records_failed).c_str(),
                    Grouped(job.records_failed).c_str());
        if (const auto* p = r.if_contains("failedResultsFile")) {
            std::printf("Failed rows (with sf__Error) written to %s\n",
                        std::string(p->get_string()).c_str());
        }
        if (const auto* p = r.if_contains("unprocessedRecordsFile")) {
            std::printf("Unprocessed rows written to %s\n", std::string(p->get_string()).c_str());
        }
        std::fflush(stdout);
        if (problem) {
            PrintErrorLines(*problem);
        }
    }
    return problem ? kExitError : kExitOk;
}

/// A wait that ran out: the job goes on; say how to pick it up again.
int ReportStillRunning(const Error& error,
                       const std::string& job_id,
                       const std::string& resume,
                       bool as_json,
                       std::string_view command) {
    Error e = error;
    e.message += "; resume with: " + resume;
    if (as_json) {
        const json::object data{{"jobId", job_id}};
        PrintJsonLine(ErrorEnvelope(e, command, {}, &data));
    } else {
        PrintErrorLines(e);
    }
    return ExitCodeFor(e);
}

std::string Quoted(const std::string& s) {
    return s.find_first_of(" \t'\"$`\\") == std::string::npos ? s : "'" + s + "'";
}

}  // namespace

// ---- import / update / upsert / delete -------------------------------------------------------

int RunBulkIngest(const BulkIngestOptions& o) {
    // The subcommand's name: `import` runs an insert job.
    const std::string verb = o.operation == "insert" ? "import" : o.operation;
    const std::string command = "bulk " + verb;
    const bool as_json = o.common.json;
    if (o.job_id.empty() && (o.sobject.empty() || o.file.empty())) {
        return ReportError(MakeError(ErrorKind::kInvalidArgument,
                                     "MISSING_FLAG",
                                     "--sobject and --file are required (or --job-id)"),
                           as_json,
                           command);
    }
    if (o.job_id.empty() && o.operation == "upsert" && o.external_id.empty()) {
        return ReportError(
            MakeError(ErrorKind::kInvalidArgument, "MISSING_FLAG", "upsert needs --external-id"),
            as_json,
            command);
    }
    auto rest = ConnectStored(o.common, o.api_version);
    if (!rest) {
        return ReportError(rest.error(), as_json, command);
    }
    Bulk2 bulk(*rest);
    Progress progress(as_json, "Bulk " + o.operation + (o.sobject.empty() ? "" : " " + o.sobject));
    const bool async = o.async || o.wait_minutes <= 0;

    std::string job_id = o.job_id;
    if (job_id.empty()) {
        auto delimiter = DelimiterFlag(o.column_delimiter);
        if (!delimiter) {
            return ReportError(delimiter.error(), as_json, command);
        }
        if (::access(o.file.c_str(), R_OK) != 0) {
            return ReportError(
                MakeError(
                    ErrorKind::kInvalidArgument, "CANNOT_READ", "cannot read --file " + o.file),
                as_json,
                command);
        }
        client::IngestJobRequest req;
        req.object = o.sobject;
        req.operation = o.operation == "update"   ? client::BulkOperation::kUpdate
                        : o.operation == "upsert" ? client::BulkOperation::kUpsert
                        : o.operation == "delete"
                            ? (o.hard_delete ? client::BulkOperation::kHardDelete
                                             : client::BulkOperation::kDelete)
                            : client::BulkOperation::kInsert;
        req.external_id_field = o.external_id;
        req.line_ending = LineEndingFlag(o.line_ending);
        // As sf does: the delimiter is found in the file unless given; deletes send COMMA.
        req.column_delimiter = !o.column_delimiter.empty() ? *delimiter
                               : o.operation == "delete"   ? client::ColumnDelimiter::kComma
                                                           : DetectFromFile(o.file);
        auto job = bulk.CreateIngestJob(req);
        if (!job) {
            Error e = job.error();
            if (e.code == "FEATURENOTENABLED" && o.hard_delete) {
                e.message += " (hard delete needs the \"Bulk API Hard Delete\" permission)";
            }
            return ReportError(e, as_json, command);
        }
        job_id = job->id;
        auto uploaded =
            bulk.UploadFile(job_id, o.file, [&progress](std::int64_t b, std::int64_t r) {
                progress.Uploaded(b, r);
            });
        if (!uploaded) {
            progress.Done();
            // Leave nothing Open behind: the job could never be completed.
            (void)bulk.AbortIngestJob(job_id);
            Error e = uploaded.error();
            if (e.http_status == 413) {
                // Salesforce takes 150 MB base64-encoded per job: about 100 MB of CSV.
                e.message += " (one job takes about 100 MB of CSV at most: split the file)";
            }
            return ReportError(e, as_json, command);
        }
        progress.UploadFinished();
        auto closed = bulk.CloseIngestJob(job_id);
        if (!closed) {
            progress.Done();
            return ReportError(closed.error(), as_json, command);
        }
        if (async) {
            progress.Done();
            const std::string resume = "sfkit bulk " + verb + " --job-id " + job_id;
            if (as_json) {
                PrintJsonResult(JobJson(*closed), rest->LastApiUsage());
            } else {
                std::printf("Job %s (%s %s): %s\n",
                            job_id.c_str(),
                            closed->operation.c_str(),
                            closed->object.c_str(),
                            closed->state.c_str());
                std::printf("Check it with: sfkit bulk status --job-id %s\n", job_id.c_str());
                std::printf("Resume with:   %s\n", resume.c_str());
            }
            return kExitOk;
        }
    } else {
        auto job = bulk.GetIngestJob(job_id);
        if (!job) {
            return ReportError(job.error(), as_json, command);
        }
        if (job->state == "Open") {
            return ReportError(MakeError(ErrorKind::kApi,
                                         "JOB_STILL_OPEN",
                                         "job " + job_id +
                                             " is Open: its upload never finished; start again "
                                             "with --file (and abort this one)"),
                               as_json,
                               command);
        }
    }

    auto done = bulk.WaitForIngestJob(job_id, PollFor(async ? 5 : o.wait_minutes, progress));
    progress.Done();
    if (!done && done.error().kind == ErrorKind::kTimeout) {
        return ReportStillRunning(
            done.error(), job_id, "sfkit bulk " + verb + " --job-id " + job_id, as_json, command);
    }
    if (!done && done.error().code != "JOB_FAILED" && done.error().code != "JOB_ABORTED") {
        return ReportError(done.error(), as_json, command);
    }
    // Failed and Aborted jobs are reported with their counters and files too.
    auto job = done ? Result<BulkJob>(*done) : bulk.GetIngestJob(job_id);
    if (!job) {
        return ReportError(job.error(), as_json, command);
    }
    return ReportIngest(bulk, *rest, *job, as_json, command);
}

// ---- export ----------------------------------------------------------------------------------

namespace {

/// Writes the rows as a JSON array of flat objects keyed by the CSV header (dotted parent
/// fields stay dotted), one record per line; empty values become null (Bulk CSV cannot tell
/// them apart).
Result<std::int64_t> WriteJsonRows(client::BulkRows& rows, FILE* f, Progress& progress) {
    const std::vector<std::string> columns = rows.Columns();
    std::vector<std::string> keys;
    for (const auto& c : columns) {
        std::string k;
        codec::AppendJsonString(k, c);
        keys.push_back(std::move(k));
    }
    std::fputs("[", f);
    std::int64_t n = 0;
    std::string line;
    for (auto& row : rows) {
        if (!row) {
            return row.error();
        }
        line.assign(n == 0 ? "\n{" : ",\n{");
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i > 0) {
                line += ',';
            }
            line += keys[i];
            line += ':';
            if (i < row->size() && !(*row)[i].empty()) {
                codec::AppendJsonString(line, (*row)[i]);
            } else {
                line += "null";
            }
        }
        line += '}';
        std::fwrite(line.data(), 1, line.size(), f);
        if (++n % 10'000 == 0) {
            progress.Downloaded(n);
        }
    }
    std::fputs(n == 0 ? "]\n" : "\n]\n", f);
    return n;
}

Result<std::string> ReadQueryFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return MakeError(ErrorKind::kInvalidArgument, "CANNOT_READ", "cannot read " + path);
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int RunBulkExport(const BulkExportOptions& o) {
    const std::string command = "bulk export";
    const bool as_json = o.common.json;
    if (o.job_id.empty() && o.query.empty() && o.query_file.empty()) {
        return ReportError(MakeError(ErrorKind::kInvalidArgument,
                                     "MISSING_FLAG",
                                     "--query or --query-file is required (or --job-id)"),
                           as_json,
                           command);
    }
    auto rest = ConnectStored(o.common, o.api_version);
    if (!rest) {
        return ReportError(rest.error(), as_json, command);
    }
    Bulk2 bulk(*rest);
    Progress progress(as_json, "Bulk export");
    const bool async = o.async || o.wait_minutes <= 0;
    auto delimiter = DelimiterFlag(o.column_delimiter);
    if (!delimiter) {
        return ReportError(delimiter.error(), as_json, command);
    }

    std::string job_id = o.job_id;
    if (job_id.empty()) {
        client::QueryJobRequest req;
        if (!o.query_file.empty()) {
            auto text = ReadQueryFile(o.query_file);
            if (!text) {
                return ReportError(text.error(), as_json, command);
            }
            req.query = *text;
        } else {
            req.query = o.query;
        }
        req.all_rows = o.all_rows;
        req.column_delimiter = *delimiter;
        req.line_ending = LineEndingFlag(o.line_ending);
        auto job = bulk.CreateQueryJob(req);
        if (!job) {
            return ReportError(job.error(), as_json, command);
        }
        job_id = job->id;
        if (async) {
            if (as_json) {
                PrintJsonResult(JobJson(*job), rest->LastApiUsage());
            } else {
                std::printf("Query job %s: %s\n", job_id.c_str(), job->state.c_str());
                std::printf("Resume with: sfkit bulk export --job-id %s --output-file %s\n",
                            job_id.c_str(),
                            Quoted(o.output_file).c_str());
            }
            return kExitOk;
        }
    }
    const std::string resume = "sfkit bulk export --job-id " + job_id + " --output-file " +
                               Quoted(o.output_file) + " --result-format " + o.result_format;
    auto done = bulk.WaitForQueryJob(job_id, PollFor(async ? 5 : o.wait_minutes, progress));
    if (!done) {
        progress.Done();
        if (done.error().kind == ErrorKind::kTimeout) {
            return ReportStillRunning(done.error(), job_id, resume, as_json, command);
        }
        return ReportError(done.error(), as_json, command);
    }
    // The results use the job's delimiter, whatever this run's flags say.
    const auto job_delimiter =
        client::ParseColumnDelimiter(done->column_delimiter).value_or(*delimiter);

    Output out;
    if (auto opened = out.Open(o.output_file); !opened) {
        return ReportError(opened.error(), as_json, command);
    }
    progress.StartDownload();
    Result<std::int64_t> written = std::int64_t{0};
    if (o.result_format == "json") {
        auto rows = bulk.QueryResultRows(job_id, 0, job_delimiter);
        written = WriteJsonRows(rows, out.File(), progress);
    } else {
        FILE* f = out.File();
        written = bulk.DownloadQueryResults(
            job_id,
            [f](std::string_view piece) {
                return std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
            },
            0,
            [&progress](std::int64_t rows) { progress.Downloaded(rows); });
    }
    progress.Done();
    if (!written) {
        return ReportError(written.error(), as_json, command);
    }
    if (auto committed = out.Commit(); !committed) {
        return ReportError(committed.error(), as_json, command);
    }
    WarnOnApiUsage(rest->LastApiUsage());
    if (as_json) {
        json::object r;
        r["jobId"] = job_id;
        r["totalSize"] = *written;
        r["filePath"] = o.output_file;
        PrintJsonResult(r, rest->LastApiUsage());
    } else {
        std::printf("Wrote %s records to %s (job %s)\n",
                    Grouped(*written).c_str(),
                    o.output_file.c_str(),
                    job_id.c_str());
    }
    return kExitOk;
}

// ---- status / results ------------------------------------------------------------------------

int RunBulkStatus(const BulkJobOptions& o) {
    const std::string command = "bulk status";
    const bool as_json = o.common.json;
    auto rest = ConnectStored(o.common, o.api_version);
    if (!rest) {
        return ReportError(rest.error(), as_json, command);
    }
    Bulk2 bulk(*rest);
    // One id space for both kinds of job: ingest first, then query.
    auto job = bulk.GetIngestJob(o.job_id);
    if (!job && job.error().code == "NOT_FOUND") {
        job = bulk.GetQueryJob(o.job_id);
    }
    if (!job) {
        return ReportError(job.error(), as_json, command);
    }
    if (as_json) {
        PrintJsonResult(JobJson(*job), rest->LastApiUsage());
        return kExitOk;
    }
    std::printf("Job:        %s\n", job->id.c_str());
    std::printf("Operation:  %s %s\n", job->operation.c_str(), job->object.c_str());
    std::printf("State:      %s\n", job->state.c_str());
    std::printf("Processed:  %s\n", Grouped(job->records_processed).c_str());
    if (job->job_type != "V2Query") {
        std::printf("Failed:     %s\n", Grouped(job->records_failed).c_str());
    }
    std::printf("Created:    %s\n", job->created_date.c_str());
    if (!job->error_message.empty()) {
        std::printf("Error:      %s\n", job->error_message.c_str());
    }
    return kExitOk;
}

int RunBulkResults(const BulkJobOptions& o) {
    const std::string command = "bulk results";
    const bool as_json = o.common.json;
    auto rest = ConnectStored(o.common, o.api_version);
    if (!rest) {
        return ReportError(rest.error(), as_json, command);
    }
    Bulk2 bulk(*rest);
    auto job = bulk.GetIngestJob(o.job_id);
    if (!job) {
        return ReportError(job.error(), as_json, command);
    }
    if (!job->IsTerminal()) {
        return ReportError(MakeError(ErrorKind::kApi,
                                     "JOB_IN_PROGRESS",
                                     "job " + job->id + " is " + job->state +
                                         "; its results are ready once it is JobComplete"),
                           as_json,
                           command);
    }
    json::object r = CountsJson(*job);
    struct Want {
        client::IngestResults which;
        std::string path;
        const char* key;
        bool wanted;
    };
    const bool ended_badly = job->state != "JobComplete";
    const Want wants[] = {
        {client::IngestResults::kSuccessful, SuccessFile(job->id), "successFilePath", true},
        {client::IngestResults::kFailed,
         FailedFile(job->id),
         "failedFilePath",
         job->records_failed > 0 || ended_badly},
        {client::IngestResults::kUnprocessed,
         UnprocessedFile(job->id),
         "unprocessedFilePath",
         ended_badly},
    };
    for (const auto& w : wants) {
        if (!w.wanted) {
            continue;
        }
        if (auto saved = SaveResults(bulk, job->id, w.which, w.path); !saved) {
            return ReportError(saved.error(), as_json, command);
        }
        r[w.key] = w.path;
    }
    if (as_json) {
        PrintJsonResult(r, rest->LastApiUsage());
        return kExitOk;
    }
    std::printf("Job %s (%s %s): %s; %s processed, %s failed\n",
                job->id.c_str(),
                job->operation.c_str(),
                job->object.c_str(),
                job->state.c_str(),
                Grouped(job->records_processed).c_str(),
                Grouped(job->records_failed).c_str());
    for (const auto& w : wants) {
        if (w.wanted) {
            std::printf("%s\n", w.path.c_str());
        }
    }
    return kExitOk;
}

}  // namespace sfkit::cli
