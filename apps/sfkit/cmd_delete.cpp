// `sfkit delete SOBJECT ID`: DELETE one record (§B.9) over the stored login.
#include <cstdio>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "commands.hpp"

namespace sfkit::cli {
namespace json = boost::json;

int RunDelete(const DeleteOptions& o) {
    constexpr std::string_view kCommand = "delete";
    const bool as_json = o.common.json;
    if (auto id_ok = CheckRecordId(o.id); !id_ok) {
        return ReportError(id_ok.error(), as_json, kCommand);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto deleted = rest->Delete(o.sobject, o.id);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!deleted) {
        return ReportError(deleted.error(), as_json, kCommand);
    }
    if (as_json) {
        // 204 with no body; the result takes the shape of a collection delete's entry (§B.13).
        json::object r;
        r["id"] = o.id;
        r["success"] = true;
        r["errors"] = json::array();
        PrintJsonResult(r, rest->LastApiUsage());
    } else {
        std::printf("Deleted %s %s\n", o.sobject.c_str(), o.id.c_str());
    }
    return kExitOk;
}

}  // namespace sfkit::cli
