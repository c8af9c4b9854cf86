// Bulk API 2.0 on the client side (bulk wire reference §2, §3): ingest jobs fed from any stream or
// file in constant memory, query jobs, polling with backoff, and results read either as raw CSV
// bytes (to a sink: a file, stdout) or as a lazy range of rows. Memory stays flat whatever the
// row count: uploads are pulled from the stream as libcurl sends them, and each results page is
// spilled to an anonymous temporary file while it arrives and read back row by row.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/http.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

class RestClient;

/// `operation` of a Bulk 2.0 job.
enum class BulkOperation { kInsert, kUpdate, kUpsert, kDelete, kHardDelete, kQuery, kQueryAll };
/// "insert", "update", "upsert", "delete", "hardDelete", "query", "queryAll".
std::string_view BulkOperationName(BulkOperation operation) noexcept;

/// `columnDelimiter` of a job (§2.2): COMMA is the default.
enum class ColumnDelimiter { kComma, kTab, kPipe, kSemicolon, kCaret, kBackquote };
/// "COMMA", "TAB", ...
std::string_view ColumnDelimiterName(ColumnDelimiter delimiter) noexcept;
/// ',', '\t', '|', ';', '^', '`'.
char ColumnDelimiterChar(ColumnDelimiter delimiter) noexcept;
/// A delimiter by its wire name, case-insensitively (`comma`, `TAB`); nullopt for others.
std::optional<ColumnDelimiter> ParseColumnDelimiter(std::string_view name) noexcept;
/// The delimiter a CSV text uses, guessed from its first line (outside quotes): the most frequent
/// of the six; COMMA when none occurs.
ColumnDelimiter DetectColumnDelimiter(std::string_view head) noexcept;

/// `lineEnding` of a job: LF is the default.
enum class LineEnding { kLf, kCrlf };
std::string_view LineEndingName(LineEnding ending) noexcept;

/// What POST /jobs/ingest creates.
struct IngestJobRequest {
    std::string object;                                ///< sObject API name
    BulkOperation operation = BulkOperation::kInsert;  ///< insert..hardDelete
    std::string external_id_field;                     ///< upsert: externalIdFieldName
    ColumnDelimiter column_delimiter = ColumnDelimiter::kComma;
    LineEnding line_ending = LineEnding::kLf;
    std::string assignment_rule_id;  ///< Case/Lead only; empty: not sent
};

/// What POST /jobs/query creates.
struct QueryJobRequest {
    std::string query;      ///< SOQL
    bool all_rows = false;  ///< queryAll: deleted and archived rows too
    ColumnDelimiter column_delimiter = ColumnDelimiter::kComma;
    LineEnding line_ending = LineEnding::kLf;
};

/// A job as the server describes it (create, PATCH, GET answers; missing keys stay empty/0).
struct BulkJob {
    std::string id;
    std::string operation;
    std::string object;
    std::string created_by_id;
    std::string created_date;
    std::string system_modstamp;
    std::string state;  ///< Open, UploadComplete, InProgress, JobComplete, Failed, Aborted
    std::string external_id_field;
    std::string concurrency_mode;
    std::string content_type;
    double api_version = 0;
    std::string job_type;  ///< V2Ingest, V2Query (GET only)
    std::string content_url;
    std::string line_ending;
    std::string column_delimiter;
    std::int64_t records_processed = 0;
    std::int64_t records_failed = 0;
    std::int64_t retries = 0;
    std::int64_t total_processing_time = 0;
    std::string error_message;  ///< set when the job Failed

    /// JobComplete, Failed or Aborted.
    bool IsTerminal() const noexcept;
};

/// The typed error of a job that ended badly: kApi JOB_FAILED with the job's errorMessage (or
/// "job <id> failed" when it gave none), or kApi JOB_ABORTED; nullopt for any other state.
std::optional<Error> JobFailure(const BulkJob& job);

/// Reads a job JSON object (any key order; unknown keys ignored). kProtocol INVALID_RESPONSE
/// when the body is not a JSON object with an `id`.
Result<BulkJob> ParseBulkJob(std::string_view body);

/// How WaitForIngestJob / WaitForQueryJob poll: the first delay, then each delay `factor` times
/// the last, capped at `max_interval`, until the job is terminal or `timeout` has passed.
struct PollOptions {
    std::chrono::milliseconds first_interval{250};
    double factor = 1.5;
    std::chrono::milliseconds max_interval{5'000};
    /// 0: wait as long as it takes. Elapsed: kTimeout POLL_TIMEOUT naming the job and its state.
    std::chrono::milliseconds timeout{0};
    /// Called with every answer (state, counters), e.g. for a progress display.
    std::function<void(const BulkJob&)> on_poll;
    /// How to wait (default: sleep the thread); tests record the delays instead.
    std::function<void(std::chrono::milliseconds)> sleep;
};

/// The delay before poll number `n` (0-based) under `options`.
std::chrono::milliseconds PollDelay(const PollOptions& options, int n);

/// Which results CSV of an ingest job (§2.9).
enum class IngestResults { kSuccessful, kFailed, kUnprocessed };

/// Upload progress: bytes sent and data rows (records) so far, header excluded.
using UploadProgress = std::function<void(std::int64_t bytes, std::int64_t rows)>;

/// One results row: the values in column order (Bulk 2.0 CSV cannot tell null from empty).
using BulkRow = std::vector<std::string>;

/// A single-pass, lazy range over the rows of a results CSV, across every page (query results:
/// `Sforce-Locator` until the literal `null`). One page at a time is kept, in an anonymous
/// temporary file, so memory stays constant whatever the row count. Elements are
/// `Result<BulkRow>`: rows, and at most one error as the last element (a page that failed, a
/// malformed CSV); iteration stops after it. Same iteration rules as QueryCursor: the Bulk2 it
/// came from (and its RestClient) must outlive it, and it must not be moved while iterating.
/// Not thread-safe (one thread iterates).
class BulkRows {
public:
    /// Fetches one page into `sink`; returns the next locator ("" when there is none).
    using PageFetcher =
        std::function<Result<std::string>(const std::string& locator, const BodySink& sink)>;

    BulkRows(PageFetcher fetch, char delimiter);
    BulkRows(BulkRows&&) noexcept;
    BulkRows& operator=(BulkRows&&) noexcept;
    BulkRows(const BulkRows&) = delete;
    BulkRows& operator=(const BulkRows&) = delete;
    ~BulkRows();

    /// The header row (of the first page); fetched on first use. Empty for a body without rows.
    const std::vector<std::string>& Columns();
    /// Rows handed out so far.
    std::int64_t RowsRead() const noexcept { return read_; }
    /// Pages fetched so far.
    std::int64_t PagesFetched() const noexcept { return pages_; }
    bool Finished() const noexcept { return finished_; }
    const std::optional<Error>& error() const noexcept { return error_; }

    /// The next row, or nullopt at the end.
    std::optional<Result<BulkRow>> Next();

    class Iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Result<BulkRow>;
        using difference_type = std::ptrdiff_t;
        using reference = Result<BulkRow>&;
        using pointer = Result<BulkRow>*;

        Iterator() = default;
        reference operator*() const { return rows_->current_; }
        pointer operator->() const { return &rows_->current_; }
        Iterator& operator++() {
            rows_->Advance();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const Iterator& it, std::default_sentinel_t) noexcept {
            return it.rows_ == nullptr || it.rows_->Finished();
        }

    private:
        friend class BulkRows;
        explicit Iterator(BulkRows* rows) : rows_(rows) {}
        BulkRows* rows_ = nullptr;
    };

    Iterator begin();
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    struct Page;
    void Advance();
    /// Reads the next record of the current page into `out`; false at the page's end.
    Result<bool> ReadRecord(BulkRow& out);
    /// Fetches the next page (if any) and reads its header; false when none is left.
    Result<bool> NextPage();
    void Fail(Error error);

    PageFetcher fetch_;
    char delimiter_ = ',';
    std::unique_ptr<Page> page_;
    std::string locator_;
    bool more_pages_ = true;
    bool started_ = false;
    std::vector<std::string> columns_;
    std::int64_t read_ = 0;
    std::int64_t pages_ = 0;
    bool has_current_ = false;
    bool finished_ = false;
    Result<BulkRow> current_{BulkRow()};
    std::optional<Error> error_;
};

/// Bulk API 2.0 calls over a RestClient's token, transport, API version and session refresher
/// (a 401 during an upload is not retried: a stream cannot be sent twice). Errors: the Bulk 2.0
/// JSON error array becomes an Error as in ParseErrorResponse (`NOT_FOUND`, `INVALIDJOBSTATE`,
/// ...; kSession for 401); an ill-formed job id is kInvalidArgument before anything is sent.
/// Not thread-safe, like the RestClient it uses: one Bulk2 (and RestClient) per thread.
class Bulk2 {
public:
    explicit Bulk2(RestClient& rest);

    // ---- ingest ------------------------------------------------------------------------------
    /// POST /jobs/ingest: a job in state Open.
    Result<BulkJob> CreateIngestJob(const IngestJobRequest& request);
    /// PUT /jobs/ingest/{id}/batches with the stream's bytes, read in pieces as they are sent
    /// (chunked transfer encoding). `progress` is called as the upload goes.
    Result<void> Upload(std::string_view job_id, std::istream& csv, UploadProgress progress = {});
    /// Like Upload, from a file (Content-Length known). kIo CANNOT_READ when it cannot be opened.
    Result<void> UploadFile(std::string_view job_id,
                            const std::string& path,
                            UploadProgress progress = {});
    /// PATCH {"state":"UploadComplete"}: the server starts processing.
    Result<BulkJob> CloseIngestJob(std::string_view job_id);
    /// PATCH {"state":"Aborted"}.
    Result<BulkJob> AbortIngestJob(std::string_view job_id);
    Result<BulkJob> GetIngestJob(std::string_view job_id);
    /// DELETE /jobs/ingest/{id} (204).
    Result<void> DeleteIngestJob(std::string_view job_id);
    /// Polls GET /jobs/ingest/{id} until the job is terminal. JobComplete: the job. Failed or
    /// Aborted: JobFailure's error. Deadline: kTimeout POLL_TIMEOUT.
    Result<BulkJob> WaitForIngestJob(std::string_view job_id, const PollOptions& options = {});
    /// A results CSV as received, to `sink` (e.g. straight into a file).
    Result<void> DownloadIngestResults(std::string_view job_id,
                                       IngestResults which,
                                       const BodySink& sink);
    /// A results CSV as a lazy range of rows; `delimiter` is the job's (results use it).
    BulkRows IngestResultRows(std::string_view job_id,
                              IngestResults which,
                              ColumnDelimiter delimiter = ColumnDelimiter::kComma);

    // ---- query -------------------------------------------------------------------------------
    /// POST /jobs/query: a job in state UploadComplete.
    Result<BulkJob> CreateQueryJob(const QueryJobRequest& request);
    Result<BulkJob> GetQueryJob(std::string_view job_id);
    Result<BulkJob> AbortQueryJob(std::string_view job_id);
    Result<void> DeleteQueryJob(std::string_view job_id);
    Result<BulkJob> WaitForQueryJob(std::string_view job_id, const PollOptions& options = {});

    /// Every results page of a finished query job as one CSV, to `sink`: the header row once
    /// (each page repeats it; later copies are dropped), then every page's rows, following
    /// `Sforce-Locator` until the literal `null`. `max_records` > 0 is sent as maxRecords.
    /// Returns the number of rows (the sum of the pages' Sforce-NumberOfRecords). A page without
    /// a locator, or one naming the locator just fetched, is kProtocol INVALID_LOCATOR rather
    /// than a loop. `on_page(rows so far)` is called after each page.
    Result<std::int64_t> DownloadQueryResults(
        std::string_view job_id,
        const BodySink& sink,
        std::int64_t max_records = 0,
        const std::function<void(std::int64_t rows)>& on_page = {});
    /// The same pages as a lazy range of rows.
    BulkRows QueryResultRows(std::string_view job_id,
                             std::int64_t max_records = 0,
                             ColumnDelimiter delimiter = ColumnDelimiter::kComma);

private:
    Result<BulkJob> JobCall(std::string_view method, std::string path, std::string body);
    Result<BulkJob> Wait(std::string_view kind, std::string_view job_id, const PollOptions& o);
    Result<void> Put(std::string_view job_id,
                     BodyReader reader,
                     std::int64_t size,
                     const UploadProgress& progress);
    /// One query results page to `sink`; returns its locator header (kProtocol when missing).
    Result<HttpResponse> QueryPage(std::string_view job_id,
                                   const std::string& locator,
                                   std::int64_t max_records,
                                   const BodySink& sink);

    RestClient* rest_;
};

}  // namespace sfkit::client
