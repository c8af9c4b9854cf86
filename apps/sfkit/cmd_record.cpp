// `sfkit create` and `sfkit get`: one sObject record in, one out, over the stored login.
// (update, delete and upsert have their own files.)
#include <algorithm>
#include <cstdio>

#include <boost/json.hpp>

#include "client/record_codec.hpp"
#include "client_support.hpp"
#include "commands.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

void PrintRecordHuman(const client::Record& rec) {
    std::size_t width = 0;
    for (const auto& f : rec.Fields()) {
        width = std::max(width, f.name.size());
    }
    for (const auto& f : rec.Fields()) {
        std::printf(
            "%-*s  %s\n", static_cast<int>(width), f.name.c_str(), f.value.ToText().c_str());
    }
}

}  // namespace

int RunCreate(const CreateOptions& o) {
    constexpr std::string_view kCommand = "create";
    const bool as_json = o.common.json;
    bool was_xml = false;
    auto record = ReadRecordInput(o.data, o.values, o.sobject, was_xml);
    if (!record) {
        return ReportError(record.error(), as_json, kCommand);
    }
    // XML data implies XML on the wire, as in the XML cURL example.
    auto rest = ConnectRest(o.common, o.api_version, o.xml || was_xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto saved = rest->Create(o.sobject, *record);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!saved) {
        return ReportError(saved.error(), as_json, kCommand);
    }
    if (as_json) {
        // The SaveResult shape Salesforce answers (§B.6).
        json::object r;
        r["id"] = saved->id;
        r["success"] = saved->success;
        r["errors"] = json::array();
        PrintJsonResult(r, rest->LastApiUsage());
    } else {
        std::printf("Created %s %s\n", o.sobject.c_str(), saved->id.c_str());
    }
    return kExitOk;
}

int RunGet(const GetOptions& o) {
    constexpr std::string_view kCommand = "get";
    const bool as_json = o.common.json;
    const bool by_external_id = o.external_id.size() == 2;
    if (by_external_id == !o.id.empty()) {
        return ReportError(MakeError(ErrorKind::kInvalidArgument,
                                     "INVALID_ARGUMENT",
                                     "give either a record id or --external-id FIELD VALUE"),
                           as_json,
                           kCommand);
    }
    if (auto id_ok = by_external_id ? Result<void>() : CheckRecordId(o.id); !id_ok) {
        return ReportError(id_ok.error(), as_json, kCommand);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    const auto fields = SplitList(o.fields);
    auto rec = by_external_id
                   ? rest->GetByExternalId(o.sobject, o.external_id[0], o.external_id[1], fields)
                   : rest->Get(o.sobject, o.id, fields);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!rec) {
        return ReportError(rec.error(), as_json, kCommand);
    }
    if (as_json) {
        PrintJsonResult(client::detail::RecordToJsonValue(*rec, true), rest->LastApiUsage());
    } else {
        PrintRecordHuman(*rec);
    }
    return kExitOk;
}

}  // namespace sfkit::cli
