// The describe resources (wire reference §B.3-B.5): describeGlobal, sObject basic info and the
// full sObject describe, in JSON with Salesforce's key order or in XML, with If-Modified-Since
// support (§B.0). Also the object-level access checks shared by the record handlers.
#pragma once

#include <cstdint>

#include "server/http/message.hpp"
#include "server/http/router.hpp"
#include "server/schema/schema.hpp"

namespace boost::json {
class object;
}

namespace sfkit::server {

class RecordStore;

struct DescribeContext {
    const Schema& schema;
    RecordStore& store;
    std::int64_t schema_modified_ms = 0;  ///< Last-Modified of describe results
};

/// GET /sobjects: `{"encoding","maxBatchSize","sobjects":[...]}`; XML root `<DescribeGlobal>`.
Response HandleDescribeGlobal(const DescribeContext& ctx, Call& call);
/// GET /sobjects/{type}: `{"objectDescribe":{...},"recentItems":[...]}`; XML root `<SObject>`.
Response HandleBasicInfo(const DescribeContext& ctx, Call& call);
/// GET /sobjects/{type}/describe: the full describe; XML root `<DescribeSObjectResult>`.
Response HandleDescribe(const DescribeContext& ctx, Call& call);

/// Objects with record types (the Master one at least): describe's recordTypeInfos, layouts'
/// recordTypeMappings.
bool HasRecordTypes(const ObjectDef& o);

/// The describe of `object` as JSON (keys sorted the Java way, urls in hash order).
/// `base_url` is the instance URL for the absolute ui* urls.
boost::json::object DescribeSObject(const Schema& schema,
                                    const ObjectDef& object,
                                    const std::string& api_version,
                                    const std::string& base_url);

}  // namespace sfkit::server
