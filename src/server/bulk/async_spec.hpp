// Bulk API 1.0 transformation specs (`POST /services/async/XX.X/job/{jobId}/spec`, the docs'
// "Map Data Fields"): a CSV with the header `Salesforce Field,Csv Header,Value,Hint` that maps
// the columns of the job's later CSV batches to fields. Each spec row makes one column of the
// batch as it is processed: the cell of the batch's `Csv Header` column, or `Value` (a default,
// `#N/A` for null) when the batch has no such column or the cell is empty; `Hint` tells how to
// read the cell: a Java date pattern (`dd MM yy`, `MM-dd-yyyy HH:mm`) for date and datetime
// fields, a regular expression matching what is true for checkbox fields. Columns of the batch
// that the spec does not name are not loaded.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/schema/schema.hpp"

namespace sfkit::server::bulk1 {

/// Specs are at most 8,192 characters (docs).
inline constexpr std::size_t kMaxSpecBytes = 8192;

struct SpecRow {
    std::string
        field;  ///< Salesforce Field: a field, or a relationship column (`Account.ExtId__c`)
    std::string header;  ///< Csv Header: the batch's column ("" = none: Value only)
    std::string value;   ///< Value: the default
    std::string hint;    ///< Hint
};

/// Reads a spec and checks it against the job's object: throws AsyncError (InvalidBatch) for a
/// spec that is not one (its header, a row without a Salesforce Field, a field the object does
/// not have, a hint that is not a pattern).
std::vector<SpecRow> ParseSpec(std::string_view csv, const Schema& schema, const ObjectDef& object);

/// A CSV batch's header and rows rewritten by the spec: one column per spec row, named by its
/// Salesforce Field.
std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> ApplySpec(
    const std::vector<SpecRow>& spec,
    const Schema& schema,
    const ObjectDef& object,
    const std::vector<std::string>& header,
    const std::vector<std::vector<std::string>>& rows);

/// A date or datetime read with a Java SimpleDateFormat-style pattern (y M d H h m s S a, quoted
/// literals, other characters literal; `MMM` month names; `yy` in the century around now; `Z`/`X`
/// zone offsets). Dates come back as `yyyy-MM-dd`, datetimes as `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC).
/// nullopt-like "" when `text` does not match the pattern.
std::string ReadWithDatePattern(std::string_view text, std::string_view pattern, bool datetime);

}  // namespace sfkit::server::bulk1
