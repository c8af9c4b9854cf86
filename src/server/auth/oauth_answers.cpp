#include "server/auth/oauth_answers.hpp"

#include <algorithm>
#include <sstream>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/api/render.hpp"
#include "server/auth/identity.hpp"

namespace sfkit::server::oauth {

namespace json = boost::json;

OAuthFormat NegotiateOAuthFormat(const Params& params, const Request& req) {
    const std::string f = Get(params, "format");
    if (f == "xml") {
        return OAuthFormat::kXml;
    }
    if (f == "urlencoded") {
        return OAuthFormat::kUrlEncoded;
    }
    if (f == "json") {
        return OAuthFormat::kJson;
    }
    const std::string* accept = req.Header("Accept");
    if (accept == nullptr) {
        return OAuthFormat::kJson;
    }
    const auto json_pos = accept->find("application/json");
    const auto form_pos = accept->find("application/x-www-form-urlencoded");
    const auto xml_pos = std::min(accept->find("application/xml"), accept->find("text/xml"));
    const auto first = std::min({json_pos, form_pos, xml_pos});
    if (first == std::string::npos || first == json_pos) {
        return OAuthFormat::kJson;
    }
    return first == xml_pos ? OAuthFormat::kXml : OAuthFormat::kUrlEncoded;
}

std::string FormEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '*') {
            out.push_back(static_cast<char>(c));
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

Response OAuthResponse(int status,
                       const Fields& fields,
                       OAuthFormat format,
                       const std::vector<std::string_view>& numeric) {
    Response r;
    r.status = status;
    if (format == OAuthFormat::kUrlEncoded) {
        for (const auto& [k, v] : fields) {
            r.body += r.body.empty() ? "" : "&";
            r.body += k + "=" + FormEncode(v);
        }
        r.SetHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
    } else if (format == OAuthFormat::kXml) {
        // Root element as in the old refresh-token docs example [M].
        pugi::xml_document doc;
        auto decl = doc.append_child(pugi::node_declaration);
        decl.append_attribute("version") = "1.0";
        decl.append_attribute("encoding") = "UTF-8";
        auto root = doc.append_child("OAuth");
        for (const auto& [k, v] : fields) {
            root.append_child(k.c_str()).text().set(v.c_str());
        }
        std::ostringstream os;
        doc.save(os, "", pugi::format_raw);
        r.body = os.str();
        r.SetHeader("Content-Type", std::string(kXmlContentType));
    } else {
        json::object o;
        for (const auto& [k, v] : fields) {
            if (std::find(numeric.begin(), numeric.end(), k) != numeric.end()) {
                o[k] = std::stoll(v);
            } else {
                o[k] = v;
            }
        }
        r.body = codec::WriteJson(o);
        r.SetHeader("Content-Type", std::string(kJsonContentType));
    }
    r.SetHeader("Cache-Control", "no-cache, no-store");
    r.SetHeader("Pragma", "no-cache");
    r.SetHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
    return r;
}

Response OAuthError(std::string_view error, std::string_view description, OAuthFormat format) {
    return OAuthResponse(
        400,
        {{"error", std::string(error)}, {"error_description", std::string(description)}},
        format);
}

Response IdentityError(int status, std::string_view code) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", "text/plain;charset=UTF-8");
    r.body = std::string(code);
    return r;
}

std::string StripTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

std::optional<std::string> ParseIdentityVersion(const std::string& v) {
    if (v == "latest") {
        return std::string(kLatestApiVersion);
    }
    const auto dot = v.find('.');
    const std::string major = v.substr(0, dot);
    const std::string minor = dot == std::string::npos ? "0" : v.substr(dot + 1);
    auto digits = [](const std::string& s) {
        return !s.empty() && s.size() <= 3 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(major) || !digits(minor) || std::stoi(major) == 0) {
        return std::nullopt;
    }
    return major + "." + minor;
}

}  // namespace sfkit::server::oauth
