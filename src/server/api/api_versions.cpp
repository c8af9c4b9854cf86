// Versions list and resources-by-version.
#include "server/api/api_versions.hpp"

#include <boost/json.hpp>

#include "server/api/render.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"

namespace sfkit::server {
namespace {

std::string VersionString(int major) {
    return std::to_string(major) + ".0";
}

/// Resources sfkit serves (or is about to), in the relative order of Salesforce's own map
/// (§B.2: ..., queryAll, ..., search, ..., identity, composite, parameterizedSearch, ...,
/// sobjects, query, ..., limits, ...; the recorded head: tooling, ..., tabs, appMenu, quickActions,
/// queryAll; the documented tail: sobjects, query, recent, limits, jobs, actions, ..., process).
/// `identity` is filled in separately because it is absolute.
constexpr std::string_view kResources[] = {"tooling",
                                           "tabs",
                                           "appMenu",
                                           "quickActions",
                                           "queryAll",
                                           "search",
                                           "identity",
                                           "composite",
                                           "parameterizedSearch",
                                           "sobjects",
                                           "query",
                                           "recent",
                                           "limits",
                                           "actions",
                                           "process"};

}  // namespace

std::string VersionLabel(int major) {
    static constexpr const char* kSeasons[] = {"Winter", "Spring", "Summer"};
    const int k = major - 20;
    const int year = 11 + k / 3;
    return std::string(kSeasons[((k % 3) + 3) % 3]) + " '" + std::to_string(year);
}

int RequireServedVersion(std::string_view version) {
    // Accept exactly "<digits>.0"; "60", "60.1", "060.0x" are not versions.
    const auto dot = version.find('.');
    bool ok = dot != std::string_view::npos && dot > 0 && dot <= 3 && version.substr(dot) == ".0" &&
              version[0] != '0';
    int major = 0;
    for (std::size_t i = 0; ok && i < dot; ++i) {
        const char c = version[i];
        ok = c >= '0' && c <= '9';
        major = major * 10 + (c - '0');
    }
    if (ok && major >= 1 && major < kMinApiVersion) {
        // Salesforce answers retired versions with 410 and errorCode GONE (restforce#941
        // reports the code from a live org); the message text was not captured, so this one is
        // ours [M]. Dispatch-level error, hence errorCode first like NOT_FOUND.
        throw ApiError(410,
                       "GONE",
                       "Version " + std::string(version) +
                           " of the API is retired and no longer available. Use version " +
                           VersionString(kMinApiVersion) + " or later.",
                       true);
    }
    if (!ok || major > kMaxApiVersion) {
        throw NotFound();
    }
    return major;
}

Response HandleVersions(Call& call) {
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        w.Open("Versions");
        for (int v = kMinApiVersion; v <= kMaxApiVersion; ++v) {
            w.Open("Version");
            w.Leaf("label", VersionLabel(v));
            w.Leaf("url", "/services/data/v" + VersionString(v));
            w.Leaf("version", VersionString(v));
            w.Close();
        }
        return XmlResponse(200, std::move(w).Finish());
    }
    boost::json::array versions;
    for (int v = kMinApiVersion; v <= kMaxApiVersion; ++v) {
        boost::json::object o;
        o["label"] = VersionLabel(v);  // current key order label, url, version (§B.1)
        o["url"] = "/services/data/v" + VersionString(v);
        o["version"] = VersionString(v);
        versions.emplace_back(std::move(o));
    }
    return JsonResponse(200, versions, call.pretty);
}

Response HandleResources(Call& call) {
    const std::string base = "/services/data/v" + call.api_version + "/";
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::string_view name : kResources) {
        if (name == "identity") {
            const std::string org = call.session ? call.session->org_id : std::string();
            const std::string user = call.session ? call.session->user_id : std::string();
            entries.emplace_back(name, call.base_url + "/id/" + org + "/" + user);
        } else {
            entries.emplace_back(name, base + std::string(name));
        }
    }
    if (call.format == Format::kXml) {
        XmlWriter w(call.pretty);
        w.Open("urls");
        for (const auto& [k, v] : entries) {
            w.Leaf(k, v);
        }
        return XmlResponse(200, std::move(w).Finish());
    }
    boost::json::object o;
    for (const auto& [k, v] : entries) {
        o[k] = v;
    }
    return JsonResponse(200, o, call.pretty);
}

}  // namespace sfkit::server
