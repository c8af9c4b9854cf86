// The identity documents of wire reference §A.8: the identity URL (`/id/{org}/{user}`) and OIDC
// userinfo, in JSON (Salesforce key order) or XML. Pure formatting, no I/O.
#pragma once

#include <cstdint>
#include <string>

namespace sfkit::server {

/// The latest REST/SOAP API version this server advertises (identity `version=latest`).
inline constexpr const char* kLatestApiVersion =
    "66.0";  // = kMaxApiVersion in api/api_versions.hpp

struct IdentityFacts {
    std::string base_url;  ///< instance URL, no trailing slash
    std::string org_id;    ///< 18-char
    std::string user_id;   ///< 18-char
    std::string username;
    std::string first_name;
    std::string last_name;
    std::string email;
    bool active = true;
    std::int64_t modified_ms = 0;
    std::string version;  ///< "60.0", or empty for the literal "{version}" placeholder
};

/// `GET /id/...` body. `xml`: `<user>` document; else compact (or pretty) JSON.
std::string IdentityDocument(const IdentityFacts& f, bool xml, bool pretty);
/// `GET /services/oauth2/userinfo` body.
std::string UserInfoDocument(const IdentityFacts& f, bool xml, bool pretty);

/// "2023-01-01T00:00:00.000+0000" (Salesforce REST datetime).
std::string FormatSalesforceDateTime(std::int64_t ms);

}  // namespace sfkit::server
