// Request parameters of the OAuth and identity endpoints, read the way Salesforce's servlet
// container reads them (query, form body, multipart body, HTTP Basic client credentials).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfkit::server {
struct Request;
}

namespace sfkit::server::oauth {

using Params = std::vector<std::pair<std::string, std::string>>;

/// The first value of `name`, or null.
const std::string* Find(const Params& p, std::string_view name);
/// The first value of `name`, or "".
std::string Get(const Params& p, std::string_view name);
bool StartsWithI(std::string_view s, std::string_view prefix);
bool IsFormBody(const Request& req);
/// Fields of a `multipart/form-data` body (RFC 7578): name -> text of each part without a
/// filename. sfdx sends token requests this way (§A.3.6), and so do the Postman collection's
/// device and web-server requests. Malformed bodies yield what was read before the problem.
Params MultipartParams(const Request& req);
/// Request parameters the way a servlet container sees them: the query string first, then the
/// body, but the body only when it is declared as a form (so a JSON body yields no parameters
/// and the token endpoint answers unsupported_grant_type, §A.2). `body_if_untyped` also reads a
/// body that has no Content-Type at all (revoke/introspect are lenient about it).
Params RequestParams(const Request& req, bool body_if_untyped = false);
/// Client credentials from the parameters, else from `Authorization: Basic` (§A.2).
std::pair<std::string, std::string> ClientCredentials(const Params& params, const Request& req);
bool Contains(const std::vector<std::string>& v, std::string_view s);

}  // namespace sfkit::server::oauth
