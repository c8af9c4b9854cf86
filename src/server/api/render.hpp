// Turning results and errors into HTTP responses in the negotiated format.
// Handlers build boost::json values; include <boost/json.hpp> in the handler .cpp.
#pragma once

#include <string>
#include <string_view>

#include "server/http/api_error.hpp"
#include "server/http/message.hpp"
#include "server/http/router.hpp"

namespace boost::json {
class value;
}

namespace sfkit::server {

inline constexpr std::string_view kJsonContentType = "application/json;charset=UTF-8";
inline constexpr std::string_view kXmlContentType = "application/xml;charset=UTF-8";

/// `status` + JSON body, compact or pretty per `pretty`.
Response JsonResponse(int status, const boost::json::value& body, bool pretty);
/// `status` + an already-serialized XML document.
Response XmlResponse(int status, std::string xml);
/// 204 No Content.
Response NoContent();

/// Renders an ApiError: JSON array `[{"message","errorCode"[,"fields"]}]` (or errorCode first),
/// or XML `<Errors><Error><errorCode/><message/>[<fields/>...]</Error></Errors>`.
Response RenderError(const ApiError& error, Format format, bool pretty);

/// Format negotiation: `.json`/`.xml` suffix (already split off by the dispatcher) wins, then
/// the Accept header (first of application/json or application/xml mentioned), JSON by default.
Format NegotiateFormat(const Request& req, std::string_view suffix);

}  // namespace sfkit::server
