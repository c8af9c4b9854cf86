// `sfkit limits`: the org's limits (§B.14) with how much of each is used, or record counts.
#include <cstdio>
#include <string>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

/// `12.5%`, or `-` for a limit whose maximum is 0 (nothing allowed, nothing to divide by).
std::string Percent(std::int64_t used, std::int64_t max) {
    if (max <= 0) {
        return "-";
    }
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(used) / static_cast<double>(max));
    return buf;
}

int PrintRecordCounts(client::RestClient& rest, const LimitsOptions& o) {
    constexpr std::string_view kCommand = "limits";
    std::vector<std::string> names;
    if (o.record_count != "all") {
        names = SplitList(o.record_count);
    }
    auto counts = rest.RecordCount(names);
    WarnOnApiUsage(rest.LastApiUsage());
    if (!counts) {
        return ReportError(counts.error(), o.common.json, kCommand);
    }
    if (o.common.json) {
        // Salesforce's own shape (§B.14): {"sObjects":[{"count":n,"name":"Account"}]}.
        json::array list;
        for (const auto& c : *counts) {
            list.push_back(json::object{{"count", c.count}, {"name", c.name}});
        }
        PrintJsonResult(json::object{{"sObjects", std::move(list)}}, rest.LastApiUsage());
        return kExitOk;
    }
    Table t({{"SOBJECT"}, {"RECORDS", true}});
    for (const auto& c : *counts) {
        t.AddRow({c.name, std::to_string(c.count)});
    }
    const std::string text = t.Render(HumanCellLimit());
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
}

}  // namespace

int RunLimits(const LimitsOptions& o) {
    constexpr std::string_view kCommand = "limits";
    const bool as_json = o.common.json;
    auto rest = ConnectRest(o.common, o.api_version, o.xml);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    if (!o.record_count.empty()) {
        return PrintRecordCounts(*rest, o);
    }
    auto limits = rest->Limits();
    WarnOnApiUsage(rest->LastApiUsage());
    if (!limits) {
        return ReportError(limits.error(), as_json, kCommand);
    }
    if (as_json) {
        // Salesforce's shape: name -> {"Max","Remaining"}, app shares nested by app name.
        json::object result;
        for (const auto& [name, l] : *limits) {
            json::object entry{{"Max", l.max}, {"Remaining", l.remaining}};
            for (const auto& app : l.apps) {
                entry[app.name] = json::object{{"Max", app.max}, {"Remaining", app.remaining}};
            }
            result[name] = std::move(entry);
        }
        PrintJsonResult(result, rest->LastApiUsage());
        return kExitOk;
    }
    Table t({{"NAME"}, {"MAX", true}, {"REMAINING", true}, {"USED", true}, {"USED %", true}});
    for (const auto& [name, l] : *limits) {
        t.AddRow({name,
                  std::to_string(l.max),
                  std::to_string(l.remaining),
                  std::to_string(l.Used()),
                  Percent(l.Used(), l.max)});
        for (const auto& app : l.apps) {
            // A connected app's own share, under the limit it belongs to.
            t.AddRow({"  " + app.name,
                      std::to_string(app.max),
                      std::to_string(app.remaining),
                      std::to_string(app.max - app.remaining),
                      Percent(app.max - app.remaining, app.max)});
        }
    }
    const std::string text = t.Render(HumanCellLimit());
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
}

}  // namespace sfkit::cli
