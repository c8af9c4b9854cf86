// Limits and record counts. Maxima are a Developer Edition org's (from a recorded /limits
// answer), except DailyApiRequests (the org's configured daily limit and its real usage) and
// DataStorageMB (2 KB per live record, as Salesforce counts data storage).
#include "server/api/limits_handlers.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <boost/json.hpp>

#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/bulk/bulk_usage.hpp"
#include "server/org/local_org.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

struct StaticLimit {
    std::string_view name;
    long long max;
    bool per_app;  ///< real answers list each connected app inside these entries
};

// The §B.14 names, sorted by Java String.compareTo (byte order); DailyApiRequests and
// DataStorageMB are computed.
constexpr StaticLimit kLimits[] = {
    {"ConcurrentAsyncGetReportInstances", 200, false},
    {"ConcurrentSyncReportRuns", 20, false},
    {"DailyApiRequests", 0, true},
    {"DailyAsyncApexExecutions", 250000, false},
    {"DailyBulkApiBatches", bulk::BulkUsage::kMaxBatches, false},
    {"DailyBulkApiRequests", 10000, true},
    {"DailyBulkV2QueryFileStorageMB", bulk::BulkUsage::kMaxQueryFileStorageMb, false},
    {"DailyBulkV2QueryJobs", bulk::BulkUsage::kMaxQueryJobs, false},
    {"DailyDurableGenericStreamingApiEvents", 10000, false},
    {"DailyDurableStreamingApiEvents", 10000, false},
    {"DailyGenericStreamingApiEvents", 10000, true},
    {"DailyStreamingApiEvents", 10000, true},
    {"DailyWorkflowEmails", 15, false},
    {"DataStorageMB", 5, false},
    {"DurableStreamingApiConcurrentClients", 20, false},
    {"FileStorageMB", 20, false},
    {"HourlyAsyncReportRuns", 1200, false},
    {"HourlyDashboardRefreshes", 200, false},
    {"HourlyDashboardResults", 5000, false},
    {"HourlyDashboardStatuses", 999999999, false},
    {"HourlyODataCallout", 1000, false},
    {"HourlySyncReportRuns", 500, false},
    {"HourlyTimeBasedWorkflow", 50, false},
    {"MassEmail", 10, false},
    {"SingleEmail", 15, false},
    {"StreamingApiConcurrentClients", 20, false},
};

/// The Bulk allocation reported under `name`, counted by BulkUsage.
std::optional<bulk::BulkLimit> BulkLimitNamed(std::string_view name) {
    for (const auto limit : {bulk::BulkLimit::kBatches,
                             bulk::BulkLimit::kQueryJobs,
                             bulk::BulkLimit::kQueryFileStorageMb}) {
        if (bulk::BulkUsage::Name(limit) == name) {
            return limit;
        }
    }
    return std::nullopt;
}

json::object MaxRemaining(long long max, long long remaining) {
    json::object o;
    o["Max"] = max;
    o["Remaining"] = remaining;
    return o;
}

/// Salesforce counts 2 KB of data storage per record (most objects).
long long DataStorageUsedMb(const LimitsContext& ctx) {
    long long records = 0;
    for (const ObjectDef* o : ctx.schema.Objects()) {
        records += ctx.store.Count(*o);
    }
    return records * 2 / 1024;
}

Response Render(const json::value& body, std::string_view xml_root, Call& call) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        w.Open(xml_root);
        for (const auto& kv : body.get_object()) {
            WriteJsonAsXml(w, kv.key(), kv.value());
        }
        return XmlResponse(200, std::move(w).Finish());
    }
    return JsonResponse(200, body, call.pretty);
}

}  // namespace

Response HandleLimits(const LimitsContext& ctx, Call& call) {
    const std::string app = call.session != nullptr ? call.session->app_name : std::string();
    json::object body;
    for (const StaticLimit& l : kLimits) {
        json::object entry;
        if (l.name == "DailyApiRequests") {
            const long long max = ctx.usage != nullptr ? ctx.usage->Max() : 15000;
            const long long used = ctx.usage != nullptr ? ctx.usage->Current() : 0;
            entry = MaxRemaining(max, std::max(0LL, max - used));
        } else if (const auto counted = BulkLimitNamed(l.name)) {
            const long long used = ctx.bulk != nullptr ? ctx.bulk->Used(*counted) : 0;
            entry = MaxRemaining(l.max, std::max(0LL, l.max - used));
        } else if (l.name == "DataStorageMB") {
            entry = MaxRemaining(l.max, l.max - DataStorageUsedMb(ctx));
        } else {
            entry = MaxRemaining(l.max, l.max);
        }
        if (l.per_app && !app.empty()) {
            // An app without its own allocation shows 0/0, as in recorded answers.
            entry[app] = MaxRemaining(0, 0);
        }
        body[l.name] = std::move(entry);
    }
    return Render(body, "Limits", call);
}

Response HandleRecordCount(const LimitsContext& ctx, Call& call) {
    std::vector<const ObjectDef*> objects;
    if (const auto param = call.req.QueryParam("sObjects")) {
        std::string_view rest = *param;
        while (true) {
            const auto comma = rest.find(',');
            std::string_view name = rest.substr(0, comma);
            while (!name.empty() && name.front() == ' ') {
                name.remove_prefix(1);
            }
            while (!name.empty() && name.back() == ' ') {
                name.remove_suffix(1);
            }
            const ObjectDef* o = name.empty() ? nullptr : ctx.schema.FindObject(name);
            if (o != nullptr && std::find(objects.begin(), objects.end(), o) == objects.end()) {
                objects.push_back(o);
            }
            if (comma == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(comma + 1);
        }
    } else {
        objects = ctx.schema.Objects();
    }
    json::array list;
    for (const ObjectDef* o : objects) {
        const auto count = ctx.store.Count(*o);
        if (count == 0) {
            continue;  // objects without records are left out, as Salesforce's storage stats do
        }
        json::object entry;
        entry["count"] = count;
        entry["name"] = o->name;
        list.emplace_back(std::move(entry));
    }
    json::object body;
    body["sObjects"] = std::move(list);
    return Render(body, "RecordCountResult", call);
}

}  // namespace sfkit::server
