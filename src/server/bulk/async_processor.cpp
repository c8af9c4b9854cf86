// Bulk API 1.0 batch processing (see async_processor.hpp).
#include "server/bulk/async_processor.hpp"

#include <chrono>
#include <optional>
#include <utility>
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
#include "server/bulk/bulk_context.hpp"
#include "server/bulk/async_wire.hpp"
#include "server/bulk/job_files.hpp"
#include "server/http/api_error.hpp"
#include "server/query/query_render.hpp"
#include "server/query/query_service.hpp"
#include "server/records/field_text.hpp"
#include "server/records/record_writes.hpp"
#include "server/schema/field_value.hpp"

namespace sfkit::server::bulk1 {
namespace json = boost::json;

namespace {

/// One record of a batch: column name and value; nullopt is an explicit null (`#N/A` in CSV,
/// `null` in JSON, `xsi:nil` in XML), "" a field left alone.
using InputRow = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// A batch that cannot be processed at all: the batch is Failed with this stateMessage.
struct BatchFailure {
    std::string message;
};

std::vector<InputRow> ReadCsvRows(const std::string& body) {
    std::vector<std::vector<std::string>> rows;
    codec::CsvError error;
    if (!codec::ReadCsv(body, codec::CsvReaderOptions{}, rows, &error)) {
        throw BatchFailure{"InvalidBatch : Failed to parse CSV: " + error.message};
    }
    if (rows.size() < 2) {  // nothing, or a header without records
        throw BatchFailure{"InvalidBatch : Records not found for this batch"};
    }
    const std::vector<std::string>& header = rows.front();
    std::vector<InputRow> out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].size() != header.size()) {
            throw BatchFailure{"InvalidBatch : Field count mismatch in row " + std::to_string(r) +
                               ": " + std::to_string(rows[r].size()) + " values for " +
                               std::to_string(header.size()) + " columns"};
        }
        InputRow row;
        for (std::size_t c = 0; c < header.size(); ++c) {
            std::optional<std::string> value = std::move(rows[r][c]);
            if (*value == "#N/A") {
                value.reset();
            }
            row.emplace_back(header[c], std::move(value));
        }
        out.push_back(std::move(row));
    }
    return out;
}

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

std::vector<InputRow> ReadJsonRows(const std::string& body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        throw BatchFailure{"InvalidBatch : Failed to parse JSON: " + parsed.error().message};
    }
    if (!parsed->is_array()) {
        throw BatchFailure{"InvalidBatch : Failed to parse JSON: expected an array of records"};
    }
    std::vector<InputRow> out;
    for (const json::value& record : parsed->get_array()) {
        if (!record.is_object()) {
            throw BatchFailure{"InvalidBatch : Failed to parse JSON: expected an object"};
        }
        InputRow row;
        for (const auto& [k, v] : record.get_object()) {
            if (k == "attributes") {
                continue;
            }
            row.emplace_back(std::string(k), JsonCell(v, std::string(k)));
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<InputRow> ReadXmlRows(const std::string& body) {
    pugi::xml_document doc;
    if (auto err = codec::LoadXmlInput(doc, body, pugi::parse_default)) {
        throw BatchFailure{"InvalidBatch : Failed to parse XML: " +
                           codec::XmlRowCol(body, err->offset) + " " + err->reason};
    }
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "sObjects") {
        throw BatchFailure{"InvalidBatch : Failed to parse XML: expected <sObjects>"};
    }
    std::vector<InputRow> out;
    for (pugi::xml_node record : root.children("sObject")) {
        InputRow row;
        for (pugi::xml_node f : record.children()) {
            if (f.type() != pugi::node_element) {
                continue;
            }
            if (f.first_child().type() == pugi::node_element) {
                // A nested relationship record (`<Account><ExtId__c>..`): not a field.
                throw BatchFailure{std::string("InvalidBatch : Field name not found : ") +
                                   f.name()};
            }
            const bool nil = std::string_view(f.attribute("xsi:nil").value()) == "true";
            row.emplace_back(f.name(),
                             nil ? std::nullopt : std::optional<std::string>(f.child_value()));
        }
        out.push_back(std::move(row));
    }
    return out;
}

RowResult Failed(const std::vector<ApiErrorItem>& items) {
    RowResult r;
    if (!items.empty()) {
        r.status_code = items.front().code;
        r.message = items.front().message;
        r.fields = items.front().fields;
    }
    return r;
}

ApiError RowError(std::string code, std::string message, std::vector<std::string> fields = {}) {
    return ApiError::WithFields(400, std::move(code), std::move(message), std::move(fields));
}

/// The id a row names for `object`: MALFORMED_ID when it is not one of this object's.
Id RowId(const ObjectDef& object, const std::string& text) {
    auto id = Id::Parse(text);
    if (!id || id->KeyPrefix() != object.key_prefix) {
        throw RowError("MALFORMED_ID",
                       object.IdField().label + ": id value of incorrect type: " + text,
                       {"Id"});
    }
    return *id;
}

/// Writes one row per the job's operation; its result (the row's exception when it fails).
RowResult WriteRow(const SObjectContext& ctx,
                   const AsyncJob& job,
                   const ObjectDef& object,
                   const InputRow& row) {
    std::string id_text;
    std::vector<FieldAssignment> assignments;
    const FieldDef* ext = job.operation == "upsert" && job.external_id_field != "Id"
                              ? object.FindField(job.external_id_field)
                              : nullptr;
    std::optional<FieldValue> key;
    for (const auto& [name, value] : row) {
        const FieldDef* field = object.FindField(name);
        if (field == &object.IdField()) {
            id_text = value.value_or("");
            continue;
        }
        if (value && value->empty()) {
            continue;  // an empty field leaves the value alone (§2.10)
        }
        FieldValue typed;
        if (value) {
            auto parsed = ParseFieldText(*field, *value);
            if (!parsed) {
                throw RowError("INVALID_TYPE_ON_FIELD_IN_RECORD",
                               field->name + ": value not of required type: " + *value,
                               {field->name});
            }
            typed = std::move(*parsed);
        }
        if (field == ext) {
            key = typed;
        }
        assignments.push_back(FieldAssignment{field, std::move(typed)});
    }
    const std::string& user = job.created_by_id;
    RowResult out;
    out.success = true;
    if (job.operation == "insert") {
        if (!id_text.empty()) {
            throw RowError("INVALID_FIELD", "cannot specify Id in an insert call", {"Id"});
        }
        out.id = InsertRecord(ctx, user, object, std::move(assignments));
        out.created = true;
    } else if (job.operation == "update") {
        if (id_text.empty()) {
            throw RowError("MISSING_ARGUMENT", "Id not specified in an update call");
        }
        const Id id = RowId(object, id_text);
        UpdateRecord(ctx, user, object, id, std::move(assignments));
        out.id = id.Str18();
    } else if (job.operation == "upsert") {
        if (ext == nullptr) {  // upsert by Id
            if (id_text.empty()) {
                out.id = InsertRecord(ctx, user, object, std::move(assignments));
                out.created = true;
            } else {
                const Id id = RowId(object, id_text);
                UpdateRecord(ctx, user, object, id, std::move(assignments));
                out.id = id.Str18();
            }
        } else {
            if (!key || IsNull(*key)) {
                throw RowError("MISSING_ARGUMENT", ext->name + " not specified");
            }
            const UpsertOutcome done =
                UpsertRecord(ctx, user, object, *ext, *key, std::move(assignments));
            out.id = done.id;
            out.created = done.created;
        }
    } else {  // delete, hardDelete
        if (id_text.empty()) {
            throw RowError("MISSING_ARGUMENT", "Id not specified in a delete call");
        }
        const Id id = RowId(object, id_text);
        DeleteRecord(ctx, user, object, id);
        if (job.operation == "hardDelete") {
            ctx.store.Erase(object, id);  // not kept in the recycle bin
        }
        out.id = id.Str18();
    }
    return out;
}

std::string Now() {
    return bulk::JobTimestamp(std::chrono::system_clock::now());
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

AsyncProcessor::AsyncProcessor(AsyncStore& store,
                               SObjectContext records,
                               query::QueryService& queries,
                               const bulk::JobFiles& files,
                               std::function<std::string()> new_result_id)
    : store_(store),
      records_(records),
      queries_(queries),
      files_(files),
      new_result_id_(std::move(new_result_id)) {}

std::filesystem::path AsyncProcessor::ResultFile(const std::string& job_id,
                                                 const std::string& batch_id,
                                                 const std::string& result_id) const {
    return files_.PathOf(job_id, "v1-" + batch_id + "-" + result_id);
}

void AsyncProcessor::Run(const std::string& job_id, const std::string& batch_id) {
    const auto job = store_.FindJob(job_id);
    if (!job || job->state == "Aborted" || !store_.StartBatch(batch_id, Now())) {
        return;
    }
    auto work = store_.LoadWork(job_id, batch_id);
    if (!work) {
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
            .count();
    };
    const ObjectDef* object = records_.schema.FindObject(job->object);
    const bool is_query = job->operation == "query" || job->operation == "queryAll";
    try {
        if (object == nullptr) {
            throw BatchFailure{"InvalidBatch : Unable to find object: " + job->object};
        }
        if (is_query) {
            RunQuery(*job, work->info, work->request, [&] { return elapsed(); });
            return;
        }
        std::vector<InputRow> rows = work->request_type == "CSV"    ? ReadCsvRows(work->request)
                                     : work->request_type == "JSON" ? ReadJsonRows(work->request)
                                                                    : ReadXmlRows(work->request);
        if (rows.size() > kMaxBatchRecords) {
            throw BatchFailure{"InvalidBatch : Records in a batch exceed the limit of 10000"};
        }
        for (const auto& row : rows) {
            for (const auto& [name, value] : row) {
                const FieldDef* f = object->FindField(name);
                if (f == nullptr) {
                    throw BatchFailure{"InvalidBatch : Field name not found : " + name};
                }
                if ((job->operation == "delete" || job->operation == "hardDelete") &&
                    f != &object->IdField()) {
                    throw BatchFailure{"InvalidBatch : Field name not allowed in a " +
                                       job->operation + ": " + name};
                }
            }
        }
        std::vector<RowResult> results(rows.size());
        std::int64_t failed = 0;
        // One transaction: the records, their results and the batch's state land together.
        records_.store.Atomically([&] {
            failed = 0;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                try {
                    records_.store.Savepoint(
                        [&] { results[i] = WriteRow(records_, *job, *object, rows[i]); });
                } catch (const ApiError& e) {
                    std::vector<ApiErrorItem> items = e.items;
                    if (!items.empty() && items.front().code == "NOT_FOUND") {
                        // A record that does not exist: SOAP's code and text.
                        items = {ApiErrorItem{
                            "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {}, true}};
                    }
                    results[i] = Failed(items);
                    ++failed;
                }
            }
            const std::string text = job->content_type == "CSV"    ? ResultsCsv(results)
                                     : job->content_type == "JSON" ? ResultsJson(results, false)
                                                                   : ResultsXml(results);
            store_.FinishBatch(batch_id,
                               "Completed",
                               "",
                               static_cast<std::int64_t>(rows.size()),
                               failed,
                               elapsed(),
                               text,
                               {},
                               Now());
        });
    } catch (const BatchFailure& f) {
        store_.FinishBatch(batch_id, "Failed", f.message, 0, 0, elapsed(), "", {}, Now());
    } catch (const std::exception& e) {
        spdlog::error("bulk 1.0 batch {} failed: {}", batch_id, LogExcerpt(e.what()));
        store_.FinishBatch(batch_id,
                           "Failed",
                           "InternalServerError : An unexpected error occurred",
                           0,
                           0,
                           elapsed(),
                           "",
                           {},
                           Now());
    }
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
    bulk::AppendFile file(ResultFile(job.id, batch.id, result_id), files_.Durable());
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
    file.Sync();
    store_.FinishBatch(batch.id, "Completed", "", rows, 0, elapsed(), "", {result_id}, Now());
}

}  // namespace sfkit::server::bulk1
