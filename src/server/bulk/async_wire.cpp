// Bulk API 1.0 wire shapes (wire reference §4.2-4.6). XML answers are written by hand in the
// recorded layout (`<?xml ...?><jobInfo` newline, three spaces, `xmlns=`, children indented by
// one space); JSON keys are in alphabetical order as Salesforce writes them.
#include "server/bulk/async_wire.hpp"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "codec/csv.hpp"
#include "codec/json.hpp"
#include "codec/xml_input.hpp"
#include "server/api/xml_writer.hpp"

namespace sfkit::server::bulk1 {
namespace json = boost::json;

namespace {

/// `<?xml ...?><root\n   xmlns="...">` as Salesforce starts every Bulk 1.0 XML document.
std::string XmlStart(std::string_view root) {
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><)";
    out += root;
    out += "\n   xmlns=\"";
    out += kAsyncNamespace;
    out += "\">\n";
    return out;
}

void Leaf(std::string& out, std::string_view name, std::string_view text, int indent = 1) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += '<';
    out += name;
    out += '>';
    out += XmlText(text);
    out += "</";
    out += name;
    out += ">\n";
}

void Leaf(std::string& out, std::string_view name, std::int64_t n, int indent = 1) {
    Leaf(out, name, std::to_string(n), indent);
}

/// `62.0` as a JSON number that prints as `62.0` (a double).
json::value VersionNumber(const std::string& version) {
    try {
        return json::value(std::stod(version));
    } catch (const std::exception&) {
        return json::value(nullptr);
    }
}

json::object JobJson(const AsyncJob& j) {
    // Alphabetical, as Salesforce's JSON jobInfo (§4.3).
    json::object o;
    o["apexProcessingTime"] = 0;
    o["apiActiveProcessingTime"] = 0;
    o["apiVersion"] = VersionNumber(j.api_version);
    if (!j.assignment_rule_id.empty()) {
        o["assignmentRuleId"] = j.assignment_rule_id;
    }
    o["concurrencyMode"] = j.concurrency_mode;
    o["contentType"] = j.content_type;
    o["createdById"] = j.created_by_id;
    o["createdDate"] = j.created_date;
    if (!j.external_id_field.empty()) {
        o["externalIdFieldName"] = j.external_id_field;
    }
    o["id"] = j.id;
    o["numberBatchesCompleted"] = j.batches_completed;
    o["numberBatchesFailed"] = j.batches_failed;
    o["numberBatchesInProgress"] = j.batches_in_progress;
    o["numberBatchesQueued"] = j.batches_queued;
    o["numberBatchesTotal"] = j.batches_total;
    o["numberRecordsFailed"] = j.records_failed;
    o["numberRecordsProcessed"] = j.records_processed;
    o["numberRetries"] = 0;
    o["object"] = j.object;
    o["operation"] = j.operation;
    o["state"] = j.state;
    o["systemModstamp"] = j.system_modstamp;
    o["totalProcessingTime"] = j.total_processing_ms;
    return o;
}

json::object BatchJson(const AsyncBatch& b) {
    // Alphabetical, with `stateMessage: null` when there is none (§4.4, recorded).
    json::object o;
    o["apexProcessingTime"] = 0;
    o["apiActiveProcessingTime"] = 0;
    o["createdDate"] = b.created_date;
    o["id"] = b.id;
    o["jobId"] = b.job_id;
    o["numberRecordsFailed"] = b.records_failed;
    o["numberRecordsProcessed"] = b.records_processed;
    o["state"] = b.state;
    if (b.state_message.empty()) {
        o["stateMessage"] = nullptr;
    } else {
        o["stateMessage"] = b.state_message;
    }
    o["systemModstamp"] = b.system_modstamp;
    o["totalProcessingTime"] = b.total_processing_ms;
    return o;
}

void BatchXmlBody(std::string& out, const AsyncBatch& b, int indent) {
    Leaf(out, "id", b.id, indent);
    Leaf(out, "jobId", b.job_id, indent);
    Leaf(out, "state", b.state, indent);
    if (!b.state_message.empty()) {
        Leaf(out, "stateMessage", b.state_message, indent);
    }
    Leaf(out, "createdDate", XmlDateTime(b.created_date), indent);
    Leaf(out, "systemModstamp", XmlDateTime(b.system_modstamp), indent);
    Leaf(out, "numberRecordsProcessed", b.records_processed, indent);
    Leaf(out, "numberRecordsFailed", b.records_failed, indent);
    Leaf(out, "totalProcessingTime", b.total_processing_ms, indent);
    Leaf(out, "apiActiveProcessingTime", 0, indent);
    Leaf(out, "apexProcessingTime", 0, indent);
}

/// The text of a JSON member that may be a string or (concurrencyMode) a number.
std::string JsonText(const json::value& v, std::string_view key) {
    if (v.is_string()) {
        return std::string(v.get_string());
    }
    if (key == "concurrencyMode" && v.is_int64()) {
        // simple-salesforce sends the enum's ordinal: 0 Parallel, 1 Serial (§4.2).
        return v.get_int64() == 1 ? "Serial" : v.get_int64() == 0 ? "Parallel" : "";
    }
    if (v.is_null()) {
        return {};
    }
    throw AsyncError("InvalidJob", "Invalid value for " + std::string(key));
}

/// The children of a request root `<root>` (XML) or the members of a JSON object, as text.
template <typename Visit>
void ReadRequest(std::string_view body, WireFormat format, std::string_view root, Visit visit) {
    if (format == WireFormat::kJson) {
        auto parsed = codec::ParseJson(body);
        if (!parsed) {
            throw AsyncError(
                "InvalidJob",
                "Unable to parse " + std::string(root) + ": " + parsed.error().message);
        }
        if (!parsed->is_object()) {
            throw AsyncError("InvalidJob",
                             "Unable to parse " + std::string(root) + ": expected a JSON object");
        }
        for (const auto& [k, v] : parsed->get_object()) {
            visit(std::string_view(k), JsonText(v, std::string_view(k)));
        }
        return;
    }
    pugi::xml_document doc;
    if (auto err = codec::LoadXmlInput(doc, body, pugi::parse_default)) {
        throw AsyncError(
            "InvalidXML",
            "Unable to parse XML: " + codec::XmlRowCol(body, err->offset) + " " + err->reason);
    }
    const pugi::xml_node top = doc.document_element();
    if (std::string_view(top.name()) != root) {
        throw AsyncError("InvalidXML",
                         "Unable to parse XML: expected root element " + std::string(root));
    }
    for (pugi::xml_node child : top.children()) {
        if (child.type() == pugi::node_element) {
            visit(std::string_view(child.name()), std::string(child.child_value()));
        }
    }
}

}  // namespace

std::string XmlText(std::string_view raw) {
    return XmlEscape(raw, false);
}

JobRequest ParseJobRequest(std::string_view body, WireFormat format) {
    JobRequest r;
    ReadRequest(body, format, "jobInfo", [&](std::string_view key, std::string value) {
        if (key == "operation") {
            r.operation = std::move(value);
        } else if (key == "object") {
            r.object = std::move(value);
        } else if (key == "externalIdFieldName") {
            r.external_id_field = std::move(value);
        } else if (key == "concurrencyMode") {
            r.concurrency_mode = std::move(value);
        } else if (key == "contentType") {
            r.content_type = std::move(value);
        } else if (key == "assignmentRuleId") {
            r.assignment_rule_id = std::move(value);
        }
    });
    return r;
}

std::string ParseStateRequest(std::string_view body, WireFormat format) {
    std::string state;
    ReadRequest(body, format, "jobInfo", [&](std::string_view key, std::string value) {
        if (key == "state") {
            state = std::move(value);
        }
    });
    return state;
}

std::string XmlDateTime(std::string_view canonical) {
    std::string out(canonical);
    if (out.size() > 5 && out.compare(out.size() - 5, 5, "+0000") == 0) {
        out.resize(out.size() - 5);
        out += 'Z';
    }
    return out;
}

std::string JobInfoXml(const AsyncJob& j) {
    // Element order as recorded (§4.3); an upsert's externalIdFieldName follows state.
    std::string out = XmlStart("jobInfo");
    Leaf(out, "id", j.id);
    Leaf(out, "operation", j.operation);
    Leaf(out, "object", j.object);
    Leaf(out, "createdById", j.created_by_id);
    Leaf(out, "createdDate", XmlDateTime(j.created_date));
    Leaf(out, "systemModstamp", XmlDateTime(j.system_modstamp));
    Leaf(out, "state", j.state);
    if (!j.external_id_field.empty()) {
        Leaf(out, "externalIdFieldName", j.external_id_field);
    }
    Leaf(out, "concurrencyMode", j.concurrency_mode);
    if (!j.assignment_rule_id.empty()) {
        Leaf(out, "assignmentRuleId", j.assignment_rule_id);
    }
    Leaf(out, "contentType", j.content_type);
    Leaf(out, "numberBatchesQueued", j.batches_queued);
    Leaf(out, "numberBatchesInProgress", j.batches_in_progress);
    Leaf(out, "numberBatchesCompleted", j.batches_completed);
    Leaf(out, "numberBatchesFailed", j.batches_failed);
    Leaf(out, "numberBatchesTotal", j.batches_total);
    Leaf(out, "numberRecordsProcessed", j.records_processed);
    Leaf(out, "numberRetries", 0);
    Leaf(out, "apiVersion", j.api_version);
    Leaf(out, "numberRecordsFailed", j.records_failed);
    Leaf(out, "totalProcessingTime", j.total_processing_ms);
    Leaf(out, "apiActiveProcessingTime", 0);
    Leaf(out, "apexProcessingTime", 0);
    out += "</jobInfo>";
    return out;
}

std::string JobInfoJson(const AsyncJob& job, bool pretty) {
    return codec::WriteJson(JobJson(job), pretty);
}

std::string BatchInfoXml(const AsyncBatch& batch) {
    std::string out = XmlStart("batchInfo");
    BatchXmlBody(out, batch, 1);
    out += "</batchInfo>";
    return out;
}

std::string BatchInfoJson(const AsyncBatch& batch, bool pretty) {
    return codec::WriteJson(BatchJson(batch), pretty);
}

std::string BatchInfoListXml(const std::vector<AsyncBatch>& batches) {
    if (batches.empty()) {
        // The recorded self-closed form (§4.4).
        return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><batchInfoList)") +
               "\n   xmlns=\"" + std::string(kAsyncNamespace) + "\" />";
    }
    std::string out = XmlStart("batchInfoList");
    for (const auto& b : batches) {
        out += " <batchInfo>\n";
        BatchXmlBody(out, b, 2);
        out += " </batchInfo>\n";
    }
    out += "</batchInfoList>";
    return out;
}

std::string BatchInfoListJson(const std::vector<AsyncBatch>& batches, bool pretty) {
    json::array list;
    for (const auto& b : batches) {
        list.emplace_back(BatchJson(b));
    }
    return codec::WriteJson(json::object{{"batchInfo", std::move(list)}}, pretty);
}

std::string ErrorXml(std::string_view code, std::string_view message) {
    std::string out = XmlStart("error");
    Leaf(out, "exceptionCode", code);
    Leaf(out, "exceptionMessage", message);
    out += "</error>";
    return out;
}

std::string ErrorJson(std::string_view code, std::string_view message, bool pretty) {
    return codec::WriteJson(json::object{{"exceptionCode", code}, {"exceptionMessage", message}},
                            pretty);
}

std::string ResultListXml(const std::vector<std::string>& ids) {
    std::string out = XmlStart("result-list");
    for (const auto& id : ids) {
        Leaf(out, "result", id);
    }
    out += "</result-list>";
    return out;
}

std::string ResultListJson(const std::vector<std::string>& ids, bool pretty) {
    json::array list;
    for (const auto& id : ids) {
        list.emplace_back(id);
    }
    return codec::WriteJson(list, pretty);
}

std::string ErrorColumn(const RowResult& row) {
    std::string out = row.status_code + ":" + row.message + ":";
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
        out += (i ? "," : "") + row.fields[i];
    }
    return out + " --";
}

std::string ResultsCsv(const std::vector<RowResult>& rows) {
    std::string out = "\"Id\",\"Success\",\"Created\",\"Error\"\n";
    for (const auto& r : rows) {
        codec::AppendCsvRow(out,
                            {r.id,
                             r.success ? "true" : "false",
                             r.created ? "true" : "false",
                             r.success ? std::string() : ErrorColumn(r)},
                            ',',
                            "\n",
                            codec::CsvQuote::kAlways);
    }
    return out;
}

std::string ResultsXml(const std::vector<RowResult>& rows) {
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)";
    out += "\n<results xmlns=\"";
    out += kAsyncNamespace;
    out += "\">\n";
    for (const auto& r : rows) {
        out += "<result>";
        if (!r.success) {
            out += "<errors>";
            for (const auto& f : r.fields) {
                out += "<fields>" + XmlText(f) + "</fields>";
            }
            out += "<message>" + XmlText(r.message) + "</message>";
            out += "<statusCode>" + XmlText(r.status_code) + "</statusCode></errors>";
        }
        if (!r.id.empty()) {
            out += "<id>" + XmlText(r.id) + "</id>";
        }
        out += r.success ? "<success>true</success>" : "<success>false</success>";
        out += r.created ? "<created>true</created>" : "<created>false</created>";
        out += "</result>\n";
    }
    out += "</results>";
    return out;
}

std::string ResultsJson(const std::vector<RowResult>& rows, bool pretty) {
    json::array list;
    for (const auto& r : rows) {
        json::array errors;
        if (!r.success) {
            json::array fields;
            for (const auto& f : r.fields) {
                fields.emplace_back(f);
            }
            errors.emplace_back(json::object{{"statusCode", r.status_code},
                                             {"message", r.message},
                                             {"fields", std::move(fields)}});
        }
        json::object o;
        o["success"] = r.success;
        o["created"] = r.created;
        if (r.id.empty()) {
            o["id"] = nullptr;
        } else {
            o["id"] = r.id;
        }
        o["errors"] = std::move(errors);
        list.emplace_back(std::move(o));
    }
    return codec::WriteJson(list, pretty);
}

}  // namespace sfkit::server::bulk1
