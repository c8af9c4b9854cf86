// Path router for the local org: method + segment patterns, with Salesforce's dispatch
// behaviour (trailing-slash tolerance, case-insensitive literals, .json/.xml suffixes,
// 404 NOT_FOUND and 405 METHOD_NOT_ALLOWED with the Allow list).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/message.hpp"

namespace sfkit::server {

struct Session;  // server/auth/session.hpp

enum class Format { kJson, kXml };

/// Everything a route handler gets about one call.
struct Call {
    const Request& req;
    std::vector<std::pair<std::string, std::string>> params;  ///< {name} captures, in order
    const Session* session = nullptr;  ///< set for routes that require authentication
    Format format = Format::kJson;     ///< negotiated response format
    bool pretty = false;               ///< X-PrettyPrint: 1
    std::string api_version;           ///< "60.0" for /services/data/v60.0/..., else ""
    std::string base_url;              ///< instance URL as the client addressed us

    /// Value of the capture `name` (empty if absent).
    const std::string& Param(std::string_view name) const;
};

using RouteHandler = std::function<Response(Call&)>;

struct Route {
    std::vector<std::string> methods;  ///< e.g. {"GET","HEAD"}; HEAD is implied by GET
    std::string pattern;               ///< "/services/data/v{version}/sobjects/{type}/{id}"
    bool requires_auth = false;
    RouteHandler handler;
    /// Non-zero: the request body is not held in memory but written to a file as it arrives
    /// (Call::req.body_file), at most this many bytes (413 beyond, the file removed).
    std::uint64_t body_file_limit = 0;
};

struct RouteMatch {
    const Route* route = nullptr;  ///< null when nothing matched the path or the method
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed;  ///< when the path matched but not the method
};

class Router {
public:
    void Add(Route route);
    /// Matches `path` (already stripped of any .json/.xml suffix). Literal segments compare
    /// case-insensitively; `{name}` captures one segment; `{*name}` captures the rest; a literal
    /// prefix like `v{version}` captures the remainder of that segment. A trailing slash is
    /// ignored. When several patterns match, only the most specific ones (most literal
    /// segments) are considered, so registration order does not matter between
    /// `/x/{id}` and `/x/literal`; `allowed` lists their methods when none serves `method`.
    RouteMatch Match(std::string_view method, std::string_view path) const;
    /// The routes added so far, in order, leaving this router empty: lets a component register
    /// into a router of its own and hand its routes on (wrapped) to another.
    std::vector<Route> TakeRoutes();

private:
    /// A route's pattern split into segments once, at Add(), so Match() splits only the path.
    struct Compiled {
        std::vector<std::string> segments;
        int specificity = 0;
        /// Index of the `{*rest}` capture segment (matches any depth from there), or npos.
        std::size_t rest_at = std::string::npos;
    };
    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;  ///< parallel to routes_
};

}  // namespace sfkit::server
