// Bulk API 1.0 (/services/async/XX.X) on the wire: jobInfo, batchInfo, batchInfoList, query
// result-id lists, ingest results and `<error>` bodies in XML and JSON, and the parsing of the
// jobInfo / state requests clients send (wire reference §4). Pure functions on plain structs;
// pugixml and Boost.JSON stay in the .cpp.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::server::bulk1 {

inline constexpr std::string_view kAsyncNamespace =
    "http://www.force.com/2009/06/asyncapi/dataload";

/// The two body formats of Bulk 1.0 answers: XML for CSV and XML jobs, JSON for JSON jobs.
enum class WireFormat { kXml, kJson };

/// A Bulk 1.0 error answer: `<error><exceptionCode/><exceptionMessage/></error>` or
/// `{"exceptionCode":..,"exceptionMessage":..}` with `status` (400 in general, §4.6).
class AsyncError : public std::runtime_error {
public:
    AsyncError(int status, std::string code, std::string message)
        : std::runtime_error(message), status(status), code(std::move(code)) {}
    AsyncError(std::string code, std::string message)
        : AsyncError(400, std::move(code), std::move(message)) {}
    int status;
    std::string code;
};

/// A Bulk 1.0 job as jobInfo shows it. Times are canonical datetimes (`...000+0000`).
struct AsyncJob {
    std::string id;
    std::string operation;  ///< insert update upsert delete hardDelete query queryAll
    std::string object;
    std::string created_by_id;
    std::string created_date;
    std::string system_modstamp;
    std::string state;  ///< Open Closed Aborted Failed
    std::string external_id_field;
    std::string concurrency_mode = "Parallel";
    std::string content_type = "CSV";  ///< CSV XML JSON
    std::string assignment_rule_id;
    std::string api_version;  ///< "62.0"
    std::int64_t batches_queued = 0;
    std::int64_t batches_in_progress = 0;
    std::int64_t batches_completed = 0;
    std::int64_t batches_failed = 0;
    std::int64_t batches_total = 0;
    std::int64_t records_processed = 0;
    std::int64_t records_failed = 0;
    std::int64_t total_processing_ms = 0;
};

/// A batch as batchInfo shows it.
struct AsyncBatch {
    std::string id;
    std::string job_id;
    std::string state;  ///< Queued InProgress Completed Failed NotProcessed
    std::string state_message;
    std::string created_date;
    std::string system_modstamp;
    std::int64_t records_processed = 0;
    std::int64_t records_failed = 0;
    std::int64_t total_processing_ms = 0;
};

/// What a create-job request asks for (fields left empty when absent).
struct JobRequest {
    std::string operation;
    std::string object;
    std::string external_id_field;
    std::string concurrency_mode;
    std::string content_type;
    std::string assignment_rule_id;
};

/// Parses a jobInfo request body (XML in the dataload namespace, or a JSON object; elements in
/// any order). `concurrencyMode` may be JSON 0/1 (simple-salesforce: Parallel/Serial). Throws
/// AsyncError InvalidXML / ClientInputError for a body that is not a jobInfo.
JobRequest ParseJobRequest(std::string_view body, WireFormat format);

/// The `state` of a `<jobInfo><state>Closed</state></jobInfo>` / `{"state":"Closed"}` body.
std::string ParseStateRequest(std::string_view body, WireFormat format);

/// Element text as the async API writes it: `&`, `<` and `>` escaped, quotes and apostrophes
/// left alone (recorded: `Was expecting 'job' but found:services`), and only characters XML 1.0
/// can carry (malformed UTF-8 becomes U+FFFD).
std::string XmlText(std::string_view raw);

/// `2024-11-21T09:28:59.000Z` (XML) from the canonical `...000+0000`.
std::string XmlDateTime(std::string_view canonical);

std::string JobInfoXml(const AsyncJob& job);
std::string JobInfoJson(const AsyncJob& job, bool pretty);
std::string BatchInfoXml(const AsyncBatch& batch);
std::string BatchInfoJson(const AsyncBatch& batch, bool pretty);
std::string BatchInfoListXml(const std::vector<AsyncBatch>& batches);
std::string BatchInfoListJson(const std::vector<AsyncBatch>& batches, bool pretty);
std::string ErrorXml(std::string_view code, std::string_view message);
std::string ErrorJson(std::string_view code, std::string_view message, bool pretty);

/// A query batch's result ids: `<result-list><result>752..</result></result-list>` / `["752.."]`.
std::string ResultListXml(const std::vector<std::string>& ids);
std::string ResultListJson(const std::vector<std::string>& ids, bool pretty);

/// One row of an ingest batch's results, in request order.
struct RowResult {
    std::string id;  ///< "" when the row failed before it had one
    bool success = false;
    bool created = false;
    std::string status_code;  ///< failed rows: REQUIRED_FIELD_MISSING, ...
    std::string message;
    std::vector<std::string> fields;
};

/// `"Id","Success","Created","Error"` CSV (Error `CODE:message:fields --`), `<results>` XML, or a
/// JSON array of `{"success","created","id","errors"}` (§4.5).
std::string ResultsCsv(const std::vector<RowResult>& rows);
std::string ResultsXml(const std::vector<RowResult>& rows);
std::string ResultsJson(const std::vector<RowResult>& rows, bool pretty);
/// The Error column's text of a failed row: `CODE:message:field1,field2 --`.
std::string ErrorColumn(const RowResult& row);

}  // namespace sfkit::server::bulk1
