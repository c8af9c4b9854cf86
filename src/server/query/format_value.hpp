// FORMAT(): a value as the Salesforce Classic UI shows it for the user's locale. The local org
// has one user with locale en_US, currency USD and time zone America/Los_Angeles (identity
// resource, org records), so that is the one format implemented (docs/soql.md, "FORMAT()").
#pragma once

#include <cstdint>
#include <string>

#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::query {

/// The localized text of `v` (a stored value of type `type`; `scale` = decimal places of
/// number, currency and percent fields) in `out`. False for null and for the types FORMAT
/// leaves alone (text, ids, booleans, picklists): the caller renders those as usual.
///   currency  `$1,000,000.00`, negative `-$500.00`       number  `1,234.50` (field scale)
///   percent   `12.50%`                                   date    `5/15/2024`
///   datetime  `5/15/2024, 1:00 AM` (America/Los_Angeles) time    `1:00 AM`
bool FormatForLocale(const SqlValue& v, FieldType type, int scale, std::string& out);

/// Minutes east of UTC in America/Los_Angeles at `utc_seconds` (US rules since 2007: daylight
/// time from the second Sunday of March, 2:00 local, to the first Sunday of November).
int LosAngelesOffsetMinutes(std::int64_t utc_seconds);

}  // namespace sfkit::server::query
