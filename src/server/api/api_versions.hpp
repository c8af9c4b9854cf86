// API versions the local org serves (wire reference §B.0-B.2): the version list, the label
// rule, the check every versioned resource runs, and the resources-by-version map.
#pragma once

#include <string>
#include <string_view>

#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

inline constexpr int kMinApiVersion = 31;  ///< 21.0-30.0 were retired in Summer '25 (§B.0)
inline constexpr int kMaxApiVersion = 66;

/// "Winter '24" for 59: k = N - 20, season = [Winter, Spring, Summer][k mod 3], year = 11 + k/3.
std::string VersionLabel(int major);

/// Validates the `{version}` of a /services/data/v{version}/ path and returns its major number.
/// Throws ApiError 410 GONE for a retired version (below 31.0) and 404 NOT_FOUND for anything
/// else that is not a served version (malformed, minor != 0, above the newest).
int RequireServedVersion(std::string_view version);

/// GET /services/data: the version list, JSON or XML.
Response HandleVersions(Call& call);

/// GET /services/data/vNN.N: resource name -> URL (identity absolute).
Response HandleResources(Call& call);

}  // namespace sfkit::server
