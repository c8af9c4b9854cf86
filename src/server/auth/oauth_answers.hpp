// Answers of the OAuth token endpoint (JSON, form or XML, §A.2) and the identity service's
// plain-text errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/auth/oauth_params.hpp"
#include "server/http/message.hpp"

namespace sfkit::server::oauth {

enum class OAuthFormat { kJson, kUrlEncoded, kXml };

/// `format=json|urlencoded|xml`, else the first of the three media types named in Accept,
/// else JSON (§A.2).
OAuthFormat NegotiateOAuthFormat(const Params& params, const Request& req);

std::string FormEncode(std::string_view s);

using Fields = std::vector<std::pair<std::string, std::string>>;

/// Token-endpoint answer: every field a string, in the given order, with the no-cache headers
/// Salesforce sends (§0.2). Fields named in `numeric` are JSON numbers (their text is digits).
Response OAuthResponse(int status,
                       const Fields& fields,
                       OAuthFormat format,
                       const std::vector<std::string_view>& numeric = {});

Response OAuthError(std::string_view error, std::string_view description, OAuthFormat format);

/// The identity service's error answers: a status and one word of plain text (`Bad_OAuth_Token`),
/// unlike the REST API's JSON arrays. 403 for token problems and another org, 404 for ids,
/// 406 for a bad version (Salesforce "Identity URLs" help page [M]; Bad_OAuth_Token 403 [F]).
Response IdentityError(int status, std::string_view code);

std::string StripTrailingSlash(std::string url);

/// "60", "60.0" or "latest" -> "60.0"; anything else -> nullopt (406 Invalid_Version).
std::optional<std::string> ParseIdentityVersion(const std::string& v);

}  // namespace sfkit::server::oauth
