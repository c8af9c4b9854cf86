// The limits of SOQL queries and SOSL searches that the server enforces, in one place, with the
// answer each one gives (docs/soql.md, "Limits"). Limits checked while parsing live next to the
// parsers (soql/parser.hpp, soql/sosl_parser.hpp) because the soql library has no server.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

namespace sfkit::server::query {

/// How long the reads of one query page, locator page or search may run before they are
/// interrupted and answered 400 QUERY_TIMEOUT (Salesforce stops a query after 120 s).
/// LocalOrgOptions::query_time_limit overrides it.
inline constexpr std::chrono::milliseconds kQueryTimeLimit = std::chrono::seconds(120);
inline constexpr std::string_view kQueryTimeoutCode = "QUERY_TIMEOUT";
inline constexpr std::string_view kQueryTimeoutMessage =
    "Your query request was running for too long.";

/// Rows of one aggregate result; more answer MALFORMED_QUERY (aggregates are not paged).
inline constexpr std::size_t kMaxAggregateRows = 2000;

/// Records per query page (`Sforce-Query-Options: batchSize=N` is clamped into this range).
inline constexpr int kMinBatchSize = 200;
inline constexpr int kMaxBatchSize = 2000;
inline constexpr int kDefaultBatchSize = 2000;

/// Query locators: open per user (opening one more releases the least recently used one) and
/// idle time after which a locator is released (INVALID_QUERY_LOCATOR afterwards).
inline constexpr std::size_t kMaxLocatorsPerUser = 10;
inline constexpr std::chrono::seconds kLocatorIdleTimeout{15 * 60};
/// A locator page writes its last use back only when the stored one is this old (a page is a
/// read; the idle time is counted to this granularity).
inline constexpr std::chrono::seconds kLocatorTouchInterval{60};

/// Child-relationship subquery levels below the root: 4 from API 58.0 on, 1 before.
inline constexpr int kMaxChildDepth = 4;
inline constexpr int kMaxChildDepthBefore58 = 1;

}  // namespace sfkit::server::query
