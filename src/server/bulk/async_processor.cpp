// Bulk API 1.0 batch processing (see async_processor.hpp).
#include "server/bulk/async_processor.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>
#include <pugixml.hpp>
#include <spdlog/spdlog.h>

#include "sfkit/core/id.hpp"

#include "codec/csv.hpp"
#include "codec/json.hpp"
#include "codec/utf8.hpp"
#include "codec/xml_input.hpp"
#include "server/bulk/async_store.hpp"
#include "server/bulk/async_wire.hpp"
#include "server/bulk/bulk_context.hpp"
#include "server/bulk/ingest_rows.hpp"
#include "server/bulk/job_blobs.hpp"
#include "server/bulk/job_files.hpp"
#include "server/bulk/job_leases.hpp"
#include "server/bulk/worker.hpp"
#include "server/http/api_error.hpp"
#include "server/org/options.hpp"
#include "server/query/query_render.hpp"
#include "server/query/query_service.hpp"
#include "server/records/field_text.hpp"
#include "server/records/record_writes.hpp"
#include "server/schema/field_value.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk1 {
namespace json = boost::json;

namespace {

/// A batch that cannot be processed at all: the batch is Failed with this stateMessage.
struct BatchFailure {
    std::string message;
};

/// An ingest batch as Bulk 2.0 reads an upload: a header of columns (`Name`, `Account.ExtId__c`,
/// `Lead:Who.Email`) and rows of cells, "" for a field left alone and `#N/A` for null. XML and
/// JSON records become rows of the union of their fields, in the order first seen.
struct BatchTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

constexpr const char* kNullCell = "#N/A";

BatchTable ReadCsvTable(const std::string& body) {
    BatchTable t;
    codec::CsvError error;
    if (!codec::ReadCsv(body, codec::CsvReaderOptions{}, t.rows, &error)) {
        throw BatchFailure{"InvalidBatch : Failed to parse CSV: " + error.message};
    }
    if (t.rows.size() < 2) {  // nothing, or a header without records
        throw BatchFailure{"InvalidBatch : Records not found for this batch"};
    }
    t.header = std::move(t.rows.front());
    t.rows.erase(t.rows.begin());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (t.rows[r].size() != t.header.size()) {
            throw BatchFailure{"InvalidBatch : Field count mismatch in row " +
                               std::to_string(r + 1) + ": " + std::to_string(t.rows[r].size()) +
                               " values for " + std::to_string(t.header.size()) + " columns"};
        }
    }
    return t;
}

/// Builds a table from records given field by field.
class TableBuilder {
public:
    void StartRow() { table_.rows.emplace_back(table_.header.size()); }
    /// `value` nullopt: an explicit null.
    void Set(const std::string& column, const std::optional<std::string>& value) {
        auto [it, added] = index_.try_emplace(column, table_.header.size());
        if (added) {
            table_.header.push_back(column);
            for (auto& row : table_.rows) {
                row.emplace_back();
            }
        }
        table_.rows.back()[it->second] = value ? *value : std::string(kNullCell);
    }
    BatchTable Done() { return std::move(table_); }

private:
    BatchTable table_;
    std::unordered_map<std::string, std::size_t> index_;
};

std::optional<std::string> JsonCell(const json::value& v, const std::string& key) {
    switch (v.kind()) {
        case json::kind::null:
            return std::nullopt;
        case json::kind::string:
            return std::string(v.get_string());
        case json::kind::bool_:
            return std::string(v.get_bool() ? "true" : "false");
        case json::kind::int64:
        case json::kind::uint64:
        case json::kind::double_:
            return codec::WriteJson(v);
        default:
            throw BatchFailure{"InvalidBatch : Field name not found : " + key};
    }
}

BatchTable ReadJsonTable(const std::string& body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        throw BatchFailure{"InvalidBatch : Failed to parse JSON: " + parsed.error().message};
    }
    if (!parsed->is_array()) {
        throw BatchFailure{"InvalidBatch : Failed to parse JSON: expected an array of records"};
    }
    TableBuilder table;
    for (const json::value& record : parsed->get_array()) {
        if (!record.is_object()) {
            throw BatchFailure{"InvalidBatch : Failed to parse JSON: expected an object"};
        }
        table.StartRow();
        for (const auto& [k, v] : record.get_object()) {
            const std::string key(k);
            if (key == "attributes") {
                continue;
            }
            if (!v.is_object()) {
                table.Set(key, JsonCell(v, key));
                continue;
            }
            // A parent named by one of its fields: {"Account":{"ExtId__c":"A-1"}}; a polymorphic
            // one says its type: {"Who":{"attributes":{"type":"Lead"},"Email":"x@y.z"}}.
            std::string type;
            if (const auto* attrs = v.get_object().if_contains("attributes");
                attrs != nullptr && attrs->is_object()) {
                if (const auto* t = attrs->get_object().if_contains("type");
                    t != nullptr && t->is_string()) {
                    type = std::string(t->get_string()) + ":";
                }
            }
            for (const auto& [pk, pv] : v.get_object()) {
                if (pk != "attributes") {
                    const std::string column = type + key + "." + std::string(pk);
                    table.Set(column, JsonCell(pv, column));
                }
            }
        }
    }
    return table.Done();
}

bool HasElementChild(pugi::xml_node n) {
    for (pugi::xml_node c : n.children()) {
        if (c.type() == pugi::node_element) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> XmlCell(pugi::xml_node f) {
    if (std::string_view(f.attribute("xsi:nil").value()) == "true") {
        return std::nullopt;
    }
    return std::string(f.child_value());
}

BatchTable ReadXmlTable(const std::string& body) {
    pugi::xml_document doc;
    if (auto err = codec::LoadXmlInput(doc, body, pugi::parse_default)) {
        throw BatchFailure{"InvalidBatch : Failed to parse XML: " +
                           codec::XmlRowCol(body, err->offset) + " " + err->reason};
    }
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "sObjects") {
        throw BatchFailure{"InvalidBatch : Failed to parse XML: expected <sObjects>"};
    }
    TableBuilder table;
    for (pugi::xml_node record : root.children("sObject")) {
        table.StartRow();
        for (pugi::xml_node f : record.children()) {
            if (f.type() != pugi::node_element) {
                continue;
            }
            if (!HasElementChild(f)) {
                table.Set(f.name(), XmlCell(f));
                continue;
            }
            // A parent named by one of its fields: <Account><sObject><ExtId__c>A-1</ExtId__c>
            // </sObject></Account> (the inner <sObject> may be left out); a polymorphic one
            // says its type: <Who><sObject><type>Lead</type><Email>x@y.z</Email>...
            pugi::xml_node parent = f;
            if (pugi::xml_node inner = f.child("sObject")) {
                parent = inner;
            }
            std::string type;
            if (pugi::xml_node t = parent.child("type")) {
                type = std::string(t.child_value()) + ":";
            }
            for (pugi::xml_node pf : parent.children()) {
                if (pf.type() != pugi::node_element || std::string_view(pf.name()) == "type") {
                    continue;
                }
                const std::string column = type + f.name() + "." + pf.name();
                if (HasElementChild(pf)) {
                    throw BatchFailure{"InvalidBatch : Field name not found : " + column};
                }
                table.Set(column, XmlCell(pf));
            }
        }
    }
    return table.Done();
}

/// A row's result as Bulk 1.0 shows it, from what the record-write path did.
RowResult ResultOf(const std::variant<bulk::RowResult, ApiError>& outcome) {
    RowResult r;
    if (const auto* done = std::get_if<bulk::RowResult>(&outcome)) {
        r.success = true;
        r.id = done->id;
        r.created = done->created;
        return r;
    }
    const auto& items = std::get<ApiError>(outcome).items;
    if (!items.empty()) {
        r.status_code = items.front().code;
        r.message = items.front().message;
        r.fields = items.front().fields;
        if (r.status_code == "NOT_FOUND") {  // a record that does not exist: SOAP's code and text
            r.status_code = "INVALID_CROSS_REFERENCE_KEY";
            r.message = "invalid cross reference id";
            r.fields.clear();
        }
    }
    return r;
}

/// Result rows kept between chunks (AsyncStore::SaveProgress): a CSV row each of id, success,
/// created, status code, message and the fields separated by commas.
void AppendPartial(std::string& out, const RowResult& r) {
    std::string fields;
    for (const auto& f : r.fields) {
        fields += (fields.empty() ? "" : ",") + f;
    }
    codec::AppendCsvRow(
        out,
        {r.id, r.success ? "1" : "0", r.created ? "1" : "0", r.status_code, r.message, fields},
        ',',
        "\n",
        codec::CsvQuote::kAsNeeded);
}

std::vector<RowResult> ReadPartial(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    codec::ReadCsv(text, codec::CsvReaderOptions{}, rows, nullptr);
    std::vector<RowResult> out;
    for (auto& row : rows) {
        if (row.size() < 6) {
            continue;
        }
        RowResult r;
        r.id = std::move(row[0]);
        r.success = row[1] == "1";
        r.created = row[2] == "1";
        r.status_code = std::move(row[3]);
        r.message = std::move(row[4]);
        std::size_t pos = 0;
        while (pos < row[5].size()) {
            const auto comma = row[5].find(',', pos);
            r.fields.push_back(
                row[5].substr(pos, comma == std::string::npos ? comma : comma - pos));
            pos = comma == std::string::npos ? row[5].size() : comma + 1;
        }
        out.push_back(std::move(r));
    }
    return out;
}

/// CSV results cannot hold a compound field (an address, a location), even through a parent.
void RefuseCompound(const query::OutObject& shape) {
    for (const auto& item : shape.items) {
        if (item.kind == query::OutItem::Kind::kCompound) {
            throw BatchFailure{
                "InvalidBatch : Failed to process query: FeatureNotEnabled: "
                "Cannot serialize value for '" +
                item.key + "' in CSV format"};
        }
        if (item.kind == query::OutItem::Kind::kRelation) {
            RefuseCompound(*item.object);
        }
    }
}

/// A record as Bulk 1.0 XML query results write it: `<type>` first, parents nested the same
/// way, nulls as xsi:nil.
void RecordXmlText(std::string& out, std::string_view element, const json::object& record) {
    out += "<";
    out += element;
    out += " xsi:type=\"sObject\">";
    const json::value* attrs = record.if_contains("attributes");
    if (attrs != nullptr && attrs->is_object()) {
        if (const json::value* type = attrs->get_object().if_contains("type")) {
            out += "<type>" + XmlText(type->is_string() ? std::string(type->get_string()) : "") +
                   "</type>";
        }
    }
    for (const auto& [k, v] : record) {
        if (k == "attributes") {
            continue;
        }
        const std::string key(k);
        if (v.is_object()) {
            RecordXmlText(out, key, v.get_object());
        } else if (v.is_null()) {
            out += "<" + key + " xsi:nil=\"true\"/>";
        } else {
            out += "<" + key + ">" +
                   XmlText(v.is_string() ? std::string(v.get_string()) : codec::WriteJson(v)) +
                   "</" + key + ">";
        }
    }
    out += "</";
    out += element;
    out += ">";
}

/// Bulk API 1.0 JSON query results carry datetimes as epoch milliseconds (recorded:
/// `"ActivityDateTime" : 1730962800000`), where /query writes text.
void EpochDateTimes(const query::OutObject& shape, json::object& record) {
    for (const auto& item : shape.items) {
        json::value* v = record.if_contains(item.key);
        if (v == nullptr) {
            continue;
        }
        if (item.kind == query::OutItem::Kind::kRelation && v->is_object()) {
            EpochDateTimes(*item.object, v->get_object());
        } else if (item.kind == query::OutItem::Kind::kColumn && item.def != nullptr &&
                   item.def->type == FieldType::kDateTime && v->is_string()) {
            if (auto t = ParseDateTime(v->get_string())) {
                *v = static_cast<std::int64_t>(t->time_since_epoch().count());
            }
        }
    }
}

}  // namespace

std::string AsyncNow(const LocalOrgOptions& options) {
    return bulk::JobTimestampNow(options);
}

AsyncProcessor::AsyncProcessor(AsyncStore& store,
                               const bulk::BulkContext& ctx,
                               bulk::JobLeases& leases,
                               query::QueryService& queries,
                               std::function<std::string()> new_result_id)
    : store_(store),
      ctx_(ctx),
      leases_(leases),
      records_(ctx.records),
      queries_(queries),
      files_(ctx.files),
      new_result_id_(std::move(new_result_id)) {}

std::string AsyncProcessor::ResultName(const std::string& batch_id, const std::string& result_id) {
    return "v1-" + batch_id + "-" + result_id;
}

void AsyncProcessor::Finish(const std::string& batch_id,
                            const std::string& state,
                            const std::string& message,
                            std::int64_t processed,
                            std::int64_t failed,
                            std::int64_t processing_ms) {
    Transaction tx(ctx_.db);
    if (leases_.Renew(batch_id)) {
        store_.FinishBatch(batch_id,
                           state,
                           message,
                           processed,
                           failed,
                           processing_ms,
                           "",
                           {},
                           AsyncNow(ctx_.options));
    }
    tx.Commit();
}

bool AsyncProcessor::Run(const std::string& job_id, const std::string& batch_id) {
    const auto job = store_.FindJob(job_id);
    if (!job || !store_.StartBatch(batch_id, AsyncNow(ctx_.options))) {
        return false;
    }
    auto work = store_.LoadWork(job_id, batch_id);
    if (!work) {
        return false;
    }
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t ms_before = work->info.total_processing_ms;
    auto elapsed = [&] {
        return ms_before + std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - started)
                               .count();
    };
    const ObjectDef* object = records_.schema.FindObject(job->object);
    const bool is_query = job->operation == "query" || job->operation == "queryAll";
    // What the committed chunks wrote: a batch that fails later still shows them.
    std::int64_t committed = work->next_row;
    std::int64_t committed_failed = work->info.records_failed;
    try {
        if (object == nullptr) {
            throw BatchFailure{"InvalidBatch : Unable to find object: " + job->object};
        }
        if (is_query) {
            RunQuery(*job, work->info, work->request, [&] { return elapsed(); });
            return false;
        }
        BatchTable table = work->request_type == "CSV"    ? ReadCsvTable(work->request)
                           : work->request_type == "JSON" ? ReadJsonTable(work->request)
                                                          : ReadXmlTable(work->request);
        if (table.rows.size() > kMaxBatchRecords) {
            throw BatchFailure{"InvalidBatch : Records in a batch exceed the limit of 10000"};
        }
        if (table.rows.empty()) {
            throw BatchFailure{"InvalidBatch : Records not found for this batch"};
        }
        if (spec_ && work->request_type == "CSV") {
            auto [header, rows] =
                spec_(*job, *object, std::move(table.header), std::move(table.rows));
            table.header = std::move(header);
            table.rows = std::move(rows);
        }
        bulk::IngestPlan plan;
        try {
            // The columns as Bulk 2.0 reads them: fields, and parents by a field of theirs.
            plan = bulk::PlanColumns(
                records_.schema, *object, job->operation, job->external_id_field, table.header);
        } catch (const bulk::InvalidBatch& e) {
            throw BatchFailure{e.what()};
        }
        if (job->operation == "delete" || job->operation == "hardDelete") {
            for (std::size_t c = 0; c < table.header.size(); ++c) {
                if (static_cast<int>(c) != plan.id_column) {
                    throw BatchFailure{"InvalidBatch : Field name not allowed in a " +
                                       job->operation + ": " + table.header[c]};
                }
            }
        }
        // Chunks of bulk_chunk_rows records, each one transaction with the batch's progress,
        // so that other writes (REST, other batches) take turns with a long batch.
        const std::size_t chunk = std::max<std::size_t>(ctx_.options.bulk_chunk_rows, 1);
        std::size_t next = static_cast<std::size_t>(work->next_row);
        std::int64_t failed = work->info.records_failed;
        std::string done_rows = std::move(work->partial);  // results of the committed chunks
        while (next < table.rows.size()) {
            if (ctx_.worker.Stopping()) {
                return true;  // resumes after its last committed chunk at the next start
            }
            const std::size_t end = std::min(next + chunk, table.rows.size());
            const auto total = static_cast<std::int64_t>(end);
            std::int64_t chunk_failed = 0;
            std::string rows;
            records_.store.Atomically([&] {
                // First: the batch's row locked and this node's lease checked and extended.
                if (!leases_.Renew(batch_id)) {
                    throw bulk::LeaseLost{};
                }
                chunk_failed = 0;
                rows.clear();
                for (std::size_t i = next; i < end; ++i) {
                    const RowResult r = ResultOf(
                        bulk::ApplyRowIsolated(records_, job->created_by_id, plan, table.rows[i]));
                    chunk_failed += r.success ? 0 : 1;
                    AppendPartial(rows, r);
                }
                if (end < table.rows.size()) {
                    store_.SaveProgress(batch_id,
                                        total,
                                        total,
                                        failed + chunk_failed,
                                        elapsed(),
                                        rows,
                                        AsyncNow(ctx_.options));
                    return;
                }
                const std::vector<RowResult> results = ReadPartial(done_rows + rows);
                const std::string text = job->content_type == "CSV"    ? ResultsCsv(results)
                                         : job->content_type == "JSON" ? ResultsJson(results, false)
                                                                       : ResultsXml(results);
                store_.FinishBatch(batch_id,
                                   "Completed",
                                   "",
                                   total,
                                   failed + chunk_failed,
                                   elapsed(),
                                   text,
                                   {},
                                   AsyncNow(ctx_.options));
            });
            failed += chunk_failed;
            done_rows += rows;
            next = end;
            committed = total;
            committed_failed = failed;
            if (ctx_.options.bulk_chunk_committed) {
                ctx_.options.bulk_chunk_committed(batch_id);
            }
        }
    } catch (const bulk::LeaseLost&) {
        // Another node took the batch over (this one stalled past its lease): this node's
        // chunk rolled back, and the other resumes after the last committed one.
        spdlog::warn("bulk 1.0 batch {}: lease lost to another node", batch_id);
    } catch (const BatchFailure& f) {
        Finish(batch_id, "Failed", f.message, 0, 0, elapsed());
    } catch (const std::exception& e) {
        spdlog::error("bulk 1.0 batch {} failed: {}", batch_id, LogExcerpt(e.what()));
        Finish(batch_id,
               "Failed",
               "InternalServerError : An unexpected error occurred",
               committed,
               committed_failed,
               elapsed());
    }
    return false;
}

}  // namespace sfkit::server::bulk1

namespace sfkit::server::bulk1 {

void AsyncProcessor::RunQuery(const AsyncJob& job,
                              const AsyncBatch& batch,
                              const std::string& soql,
                              const std::function<std::int64_t()>& elapsed) {
    const query::QueryCall call{
        job.created_by_id, job.api_version, job.operation == "queryAll", query::kMaxBatchSize};
    const auto failure = [](const std::string& code, const std::string& message) {
        return BatchFailure{"InvalidBatch : Failed to process query: " + code + ": " + message};
    };
    std::shared_ptr<const query::BoundQuery> bound;
    try {
        bound = queries_.Prepare(soql, call);
    } catch (const ApiError& e) {
        const ApiErrorItem item = e.items.empty() ? ApiErrorItem{} : e.items.front();
        throw failure(item.code, item.message);
    }
    const query::BoundQuery& q = *bound;
    if (q.aggregate || q.count_only) {
        throw failure("FeatureNotEnabled", "Aggregate queries are not supported by Bulk API");
    }
    if (!q.children.empty()) {
        throw failure("FeatureNotEnabled",
                      "Parent-to-child relationship queries are not supported by Bulk API");
    }
    const bool csv = job.content_type == "CSV";
    if (csv) {
        RefuseCompound(q.shape);
    }
    const std::string result_id = new_result_id_().substr(0, 15);
    // Written to a file of this run on this node, then stored in the database under a name of
    // this run, which becomes the result's in the transaction that completes the batch.
    const std::string name = ResultName(batch.id, result_id);
    const std::string staged = name + "-" + ctx_.node_id;
    const std::filesystem::path path = files_.PathOf(job.id, staged);
    bulk::AppendFile file(path, false);
    file.Truncate(0);  // a batch run again after a restart starts its file over
    std::string chunk;
    if (csv) {
        codec::AppendCsvRow(chunk, query::FlatColumns(q), ',', "\n", codec::CsvQuote::kAlways);
    } else if (job.content_type == "JSON") {
        chunk = "[";
    } else {
        chunk = R"(<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns=")" +
                std::string(kAsyncNamespace) +
                R"(" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)";
    }
    std::vector<std::optional<std::string>> values;
    std::vector<std::string> cells;
    std::int64_t written = 0;
    // One read snapshot, row by row (constant memory), as Bulk 2.0 query jobs read theirs.
    const std::int64_t rows = queries_.Stream(q, [&](const query::ResultRow& row) {
        if (csv) {
            query::FlatValues(q, row, records_.schema, values);
            cells.clear();
            for (auto& v : values) {
                cells.push_back(v.value_or(""));  // null: an empty quoted cell
            }
            codec::AppendCsvRow(chunk, cells, ',', "\n", codec::CsvQuote::kAlways);
        } else {
            json::object record = query::RecordJson(q, row, records_.schema, job.api_version);
            if (job.content_type == "JSON") {
                EpochDateTimes(q.shape, record);
                chunk += written == 0 ? "" : ",";
                chunk += codec::WriteJson(record);
            } else {
                RecordXmlText(chunk, "records", record);
            }
        }
        ++written;
        if (chunk.size() >= (1u << 20)) {
            file.Append(chunk);
            chunk.clear();
        }
        return true;
    });
    file.Append(chunk);
    chunk.clear();
    if (rows == 0 && csv) {
        file.Truncate(0);
        chunk = "Records not found for this query";
    } else if (job.content_type == "JSON") {
        chunk = "]";
    } else if (!csv) {
        chunk = "</queryResult>";
    }
    file.Append(chunk);
    ctx_.blobs.RemoveBlob(job.id, staged);  // an earlier run of this node cut short
    try {
        ctx_.blobs.StoreFile(job.id, staged, path);
        Transaction tx(ctx_.db);
        if (!leases_.Renew(batch.id)) {
            throw bulk::LeaseLost{};  // another node runs the batch now: this run is dropped
        }
        store_.FinishBatch(
            batch.id, "Completed", "", rows, 0, elapsed(), "", {result_id}, AsyncNow(ctx_.options));
        ctx_.blobs.Rename(job.id, staged, name);
        tx.Commit();
    } catch (...) {
        ctx_.blobs.RemoveBlob(job.id, staged);
        throw;
    }
    ctx_.blobs.AdoptLocal(job.id, name, path);  // this node's copy
}

}  // namespace sfkit::server::bulk1
