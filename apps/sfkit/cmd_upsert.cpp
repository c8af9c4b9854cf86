// `sfkit upsert SOBJECT EXTFIELD VALUE --data ...`: insert or update by external id (§B.10).
#include <cstdio>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "commands.hpp"

namespace sfkit::cli {
namespace json = boost::json;

int RunUpsert(const UpsertOptions& o) {
    constexpr std::string_view kCommand = "upsert";
    const bool as_json = o.common.json;
    bool was_xml = false;
    auto record = ReadRecordData(o.data, o.sobject, was_xml);
    if (!record) {
        return ReportError(record.error(), as_json, kCommand);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml || was_xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto result = rest->Upsert(o.sobject, o.field, o.value, *record);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!result) {
        // 300: several records carry that external id; ReportError lists their URLs.
        return ReportError(result.error(), as_json, kCommand);
    }
    if (as_json) {
        // The UpsertResult shape (§B.10): id, success, errors, created. An API < 46.0 answers an
        // update with 204 and no id: null then.
        json::object r;
        r["id"] = result->id.empty() ? json::value(nullptr) : json::value(result->id);
        r["success"] = true;
        r["errors"] = json::array();
        r["created"] = result->created;
        PrintJsonResult(r, rest->LastApiUsage());
    } else {
        std::printf("%s %s %s (%s = %s)\n",
                    result->created ? "Created" : "Updated",
                    o.sobject.c_str(),
                    result->id.empty() ? "(id not returned before API 46.0)" : result->id.c_str(),
                    o.field.c_str(),
                    o.value.c_str());
    }
    return kExitOk;
}

}  // namespace sfkit::cli
