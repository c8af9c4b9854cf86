// `sfkit update SOBJECT ID --data ...`: PATCH one record (§B.8) over the stored login.
#include <cstdio>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "commands.hpp"

namespace sfkit::cli {
namespace json = boost::json;

int RunUpdate(const UpdateOptions& o) {
    constexpr std::string_view kCommand = "update";
    const bool as_json = o.common.json;
    if (auto id_ok = CheckRecordId(o.id); !id_ok) {
        return ReportError(id_ok.error(), as_json, kCommand);
    }
    bool was_xml = false;
    auto record = ReadRecordInput(o.data, o.values, o.sobject, was_xml);
    if (!record) {
        return ReportError(record.error(), as_json, kCommand);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml || was_xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto updated = rest->Update(o.sobject, o.id, *record);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!updated) {
        return ReportError(updated.error(), as_json, kCommand);
    }
    if (as_json) {
        // Salesforce answers 204 with no body; the result takes the SaveResult shape, as
        // sObject Collections report updates (§B.13).
        json::object r;
        r["id"] = o.id;
        r["success"] = true;
        r["errors"] = json::array();
        PrintJsonResult(r, rest->LastApiUsage());
    } else {
        std::printf("Updated %s %s\n", o.sobject.c_str(), o.id.c_str());
    }
    return kExitOk;
}

}  // namespace sfkit::cli
