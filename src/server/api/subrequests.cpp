// In-process dispatch of composite subrequests (see subrequests.hpp). Mirrors the front door in
// local_org.cpp, minus what belongs to the top-level request only: authentication (the parent's
// session is reused), API usage counting and the Sforce-Limit-Info header.
#include "server/api/subrequests.hpp"

#include <spdlog/spdlog.h>

#include "server/api/render.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

/// Headers the subrequest inherits from the top-level request, then its own. The docs name the
/// inherited ones: Accept, Authorization and Content-Type (the answer is always JSON here);
/// other headers of the top-level request (If-Modified-Since, Sforce-Query-Options, ...) are
/// its own and do not reach the subrequests. Host is kept for handlers that build URLs.
std::vector<HttpHeader> SubrequestHeaders(const Request& parent, const Subrequest& sub) {
    std::vector<HttpHeader> out;
    for (const HttpHeader& h : parent.headers) {
        if (IEquals(h.name, "Authorization") || IEquals(h.name, "Host")) {
            out.push_back(h);
        }
    }
    out.push_back({"Accept", "application/json"});
    if (!sub.body.empty()) {
        out.push_back({"Content-Type", "application/json"});
    }
    for (const HttpHeader& h : sub.headers) {
        out.push_back(h);
    }
    return out;
}

}  // namespace

std::string ResourcePath(std::string_view path) {
    constexpr std::string_view kPrefix = "/services/data/v";
    if (path.substr(0, kPrefix.size()) != kPrefix) {
        return {};
    }
    path.remove_prefix(kPrefix.size());
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) {
        return {};
    }
    path.remove_prefix(slash);
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    return ToLowerAscii(path);
}

Response DispatchSubrequest(const Router& router, const Call& parent, const Subrequest& sub) {
    Request req;
    req.method = sub.method;
    req.target = sub.url;
    const auto q = sub.url.find('?');
    const std::string raw_path = sub.url.substr(0, q);
    if (q != std::string::npos) {
        req.query = sub.url.substr(q + 1);
    }
    req.path = PercentDecode(raw_path, false).value_or(raw_path);
    req.headers = SubrequestHeaders(parent.req, sub);
    req.body = sub.body;
    req.remote_ip = parent.req.remote_ip;
    req.secure = parent.req.secure;

    // A `.json` suffix is the format the answer has anyway; `.xml` cannot be embedded in a JSON
    // answer and is left on the path, where it names no resource.
    std::string path = req.path;
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0 &&
        path.rfind('/') < path.size() - 5) {
        path.resize(path.size() - 5);
    }
    try {
        RouteMatch m = router.Match(req.method, path);
        if (m.route == nullptr) {
            throw NoRoute(req.method, m.allowed);
        }
        Call call{req, std::move(m.params), parent.session, Format::kJson, false, {}, {}};
        call.api_version = call.Param("version");
        call.base_url = parent.base_url;
        return m.route->handler(call);
    } catch (const ApiError& e) {
        return RenderError(e, Format::kJson, false);
    } catch (const StorageError& e) {
        spdlog::error(
            "storage error in subrequest {} {}: {}", sub.method, path, LogExcerpt(e.what()));
        return RenderError(ApiError(500,
                                    "UNKNOWN_EXCEPTION",
                                    "An unexpected error occurred. Please include this ErrorId if "
                                    "you contact support: sfkit-storage"),
                           Format::kJson,
                           false);
    } catch (const std::exception& e) {
        spdlog::error(
            "unexpected error in subrequest {} {}: {}", sub.method, path, LogExcerpt(e.what()));
        return RenderError(ApiError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred."),
                           Format::kJson,
                           false);
    }
}

}  // namespace sfkit::server
