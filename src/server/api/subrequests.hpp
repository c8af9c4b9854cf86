// In-process subrequests for the composite resources: one request of a Composite or Batch call
// runs through the org's own router and handlers as the caller, without a network round trip
// and without counting as an API call of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

struct Subrequest {
    std::string method;  ///< "GET", "POST", ...
    std::string url;     ///< absolute path with its query: /services/data/v60.0/sobjects/Account
    std::string body;    ///< JSON text, empty for none
    std::vector<HttpHeader> headers;  ///< the subrequest's own httpHeaders
};

/// Runs `sub` like the dispatcher runs a request (local_org.cpp): a `.json` suffix is dropped,
/// the route is matched (404 NOT_FOUND / 405 METHOD_NOT_ALLOWED as at the front door) and its
/// handler called with the parent's session and instance URL. The answer is always compact
/// JSON; every error, including unexpected ones, becomes an error response: it never throws.
Response DispatchSubrequest(const Router& router, const Call& parent, const Subrequest& sub);

/// The part of a /services/data/vNN.N/... path after the version, lower-cased and without
/// leading or trailing slashes ("sobjects/account/001..."); "" for other paths.
std::string ResourcePath(std::string_view path);

}  // namespace sfkit::server
