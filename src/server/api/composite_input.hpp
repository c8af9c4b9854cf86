// Reading the bodies of the composite resources (/composite, /composite/batch, /composite/tree,
// /composite/graph): JSON only, with the whole-request errors they share (wire reference §B.13).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/api/record_input.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace sfkit::server {

/// 404 NOT_FOUND below API version `since` (the resource does not exist there), and the usual
/// 410/404 for versions the org does not serve. Returns the major version.
int RequireCompositeVersion(const Call& call, int since);

/// Requests and answers are JSON: an XML answer asked for (Accept, `.xml`) or an XML body (when
/// `with_body`) is refused with 415 UNSUPPORTED_MEDIA_TYPE `MediaType of '<type>' is not
/// supported by this resource` (§B.0). Used by sObject Collections and the composite resources,
/// whose XML shapes are not on record.
void RequireJsonExchange(const Call& call, bool with_body = true);

/// Parses the body: syntax errors are 400 JSON_PARSER_ERROR with the parser's message; a root
/// that is not an object cannot be deserialized into `type_name`.
boost::json::value ParseCompositeBody(std::string_view text, std::string_view type_name);

/// `true`/`false`, their string forms (Jackson's scalar coercion) or null (false); anything else
/// is a JSON_PARSER_ERROR pointing just past the value.
bool ReadJsonBoolean(const boost::json::value& v, std::string_view text, const JsonSpan& span);

/// 400 JSON_PARSER_ERROR `'<name>' is a required field.`: the recorded answer to a composite
/// subrequest without its referenceId (Salesforce blog, 2017), used for every required member.
ApiError RequiredField(std::string_view name);

/// 400 JSON_PARSER_ERROR with `message`: a request that cannot be read as the resource's input.
ApiError MalformedRequest(std::string message);

/// 400 LIMIT_EXCEEDED `message`: the code Salesforce gives a composite graph over its node
/// limit (a recorded graph answer), used for every composite size limit.
ApiError LimitExceeded(std::string message);

}  // namespace sfkit::server
