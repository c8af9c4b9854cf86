// `sfkit sobjects`: the org's objects from describeGlobal (§B.3), as a table or the raw answer.
#include <cctype>
#include <cstdio>

#include <boost/json.hpp>

#include "client/record_codec.hpp"
#include "client_support.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) {
        return true;
    }
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (client::HeaderNameEquals(haystack.substr(i, needle.size()), needle)) {
            return true;
        }
    }
    return false;
}

bool Wanted(const client::SObjectSummary& s, const SObjectsOptions& o) {
    return (!o.custom_only || s.custom) &&
           (ContainsNoCase(s.name, o.match) || ContainsNoCase(s.label, o.match));
}

}  // namespace

int RunSObjects(const SObjectsOptions& o) {
    constexpr std::string_view kCommand = "sobjects";
    const bool as_json = o.common.json;
    auto rest = ConnectRest(o.common, o.api_version, o.xml);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto global = rest->DescribeGlobal();
    WarnOnApiUsage(rest->LastApiUsage());
    if (!global) {
        return ReportError(global.error(), as_json, kCommand);
    }
    if (as_json) {
        json::value raw = client::detail::RecordToJsonValue(global->raw, false);
        if (o.custom_only || !o.match.empty()) {
            // Filters apply to the raw entries too, so the JSON lists what the table would.
            // (An XML answer listing one object has it as a single element, not a list.)
            json::array kept;
            const auto& all = raw.as_object()["sobjects"];
            const json::array entries = all.is_array()    ? all.get_array()
                                        : all.is_object() ? json::array{all}
                                                          : json::array{};
            std::size_t i = 0;
            for (const auto& entry : entries) {
                if (i < global->sobjects.size() && Wanted(global->sobjects[i], o)) {
                    kept.push_back(entry);
                }
                ++i;
            }
            raw.as_object()["sobjects"] = std::move(kept);
        }
        PrintJsonResult(raw, rest->LastApiUsage());
        return kExitOk;
    }
    Table table({{"NAME"},
                 {"LABEL"},
                 {"KEY PREFIX"},
                 {"CUSTOM"},
                 {"CREATEABLE"},
                 {"UPDATEABLE"},
                 {"DELETABLE"},
                 {"QUERYABLE"}});
    for (const auto& s : global->sobjects) {
        if (!Wanted(s, o)) {
            continue;
        }
        table.AddRow({s.name,
                      s.label,
                      s.key_prefix,
                      YesNo(s.custom),
                      YesNo(s.createable),
                      YesNo(s.updateable),
                      YesNo(s.deletable),
                      YesNo(s.queryable)});
    }
    const std::string text = table.Render(HumanCellLimit());
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::printf("%zu sObject%s\n", table.Rows(), table.Rows() == 1 ? "" : "s");
    return kExitOk;
}

}  // namespace sfkit::cli
