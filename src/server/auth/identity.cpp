// Identity URL and userinfo documents (wire reference §A.8). Key order follows the recorded
// identity sample; userinfo follows the 2025 capture quoted there (phone_number placement [M]).
#include "server/auth/identity.hpp"

#include <ctime>
#include <sstream>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "codec/json.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

std::string LocalPart(const std::string& username) {
    return username.substr(0, username.find('@'));
}

std::string DisplayName(const IdentityFacts& f) {
    if (f.first_name.empty()) {
        return f.last_name;
    }
    return f.first_name + " " + f.last_name;
}

/// The `urls` map: SOAP URLs carry the 15-char org id, REST ones the version (§A.8).
json::object Urls(const IdentityFacts& f) {
    const std::string v = f.version.empty() ? "{version}" : f.version;
    const std::string org15 = f.org_id.substr(0, 15);
    const std::string& b = f.base_url;
    const std::string data = b + "/services/data/v" + v + "/";
    json::object u;
    u["enterprise"] = b + "/services/Soap/c/" + v + "/" + org15;
    u["metadata"] = b + "/services/Soap/m/" + v + "/" + org15;
    u["partner"] = b + "/services/Soap/u/" + v + "/" + org15;
    u["rest"] = data;
    u["sobjects"] = data + "sobjects/";
    u["search"] = data + "search/";
    u["query"] = data + "query/";
    u["recent"] = data + "recent/";
    u["tooling_soap"] = b + "/services/Soap/T/" + v + "/" + org15;
    u["tooling_rest"] = data + "tooling/";
    u["profile"] = b + "/" + f.user_id;
    u["feeds"] = data + "chatter/feeds";
    u["groups"] = data + "chatter/groups";
    u["users"] = data + "chatter/users";
    u["feed_items"] = data + "chatter/feed-items";
    u["feed_elements"] = data + "chatter/feed-elements";
    u["custom_domain"] = b;
    return u;
}

json::object Photos(const IdentityFacts& f) {
    json::object p;
    p["picture"] = f.base_url + "/profilephoto/005/F";
    p["thumbnail"] = f.base_url + "/profilephoto/005/T";
    return p;
}

std::string IdUrl(const IdentityFacts& f) {
    return f.base_url + "/id/" + f.org_id + "/" + f.user_id;
}

// Local users have no time zone of their own; Salesforce's default for new orgs is this one.
constexpr const char* kTimeZone = "America/Los_Angeles";
constexpr std::int64_t kUtcOffsetMs = -8LL * 3600 * 1000;

json::object Identity(const IdentityFacts& f) {
    json::object o;
    o["id"] = IdUrl(f);
    o["asserted_user"] = true;
    o["user_id"] = f.user_id;
    o["organization_id"] = f.org_id;
    o["username"] = f.username;
    o["nick_name"] = LocalPart(f.username);
    o["display_name"] = DisplayName(f);
    o["email"] = f.email;
    o["email_verified"] = true;
    o["first_name"] = f.first_name.empty() ? json::value(nullptr) : json::value(f.first_name);
    o["last_name"] = f.last_name;
    o["timezone"] = kTimeZone;
    o["photos"] = Photos(f);
    o["addr_street"] = nullptr;
    o["addr_city"] = nullptr;
    o["addr_state"] = nullptr;
    o["addr_country"] = nullptr;
    o["addr_zip"] = nullptr;
    o["mobile_phone"] = nullptr;
    o["mobile_phone_verified"] = false;
    o["is_lightning_login_user"] = false;
    o["status"] = json::object{{"created_date", nullptr}, {"body", nullptr}};
    o["urls"] = Urls(f);
    o["active"] = f.active;
    o["user_type"] = "STANDARD";
    o["language"] = "en_US";
    o["locale"] = "en_US";
    o["utcOffset"] = kUtcOffsetMs;
    o["last_modified_date"] = FormatSalesforceDateTime(f.modified_ms);
    o["is_app_installed"] = true;
    return o;
}

json::object UserInfo(const IdentityFacts& f) {
    json::object o;
    o["sub"] = IdUrl(f);
    o["user_id"] = f.user_id;
    o["organization_id"] = f.org_id;
    o["preferred_username"] = f.username;
    o["nickname"] = LocalPart(f.username);
    o["name"] = DisplayName(f);
    o["email"] = f.email;
    o["email_verified"] = true;
    o["given_name"] = f.first_name;
    o["family_name"] = f.last_name;
    o["zoneinfo"] = kTimeZone;
    o["photos"] = Photos(f);
    o["profile"] = f.base_url + "/" + f.user_id;
    o["picture"] = f.base_url + "/profilephoto/005/F";
    o["address"] = json::object{};
    o["phone_number"] = nullptr;
    o["phone_number_verified"] = false;
    o["is_salesforce_integration_user"] = false;
    o["urls"] = Urls(f);
    o["active"] = f.active;
    o["user_type"] = "STANDARD";
    o["language"] = "en_US";
    o["locale"] = "en_US";
    o["utcOffset"] = kUtcOffsetMs;
    // OIDC's updated_at is written as an ISO instant without millis in the 2025 capture.
    std::string updated = FormatSalesforceDateTime(f.modified_ms).substr(0, 19) + "Z";
    o["updated_at"] = std::move(updated);
    o["is_app_installed"] = true;
    return o;
}

void AppendXml(pugi::xml_node parent, const char* name, const json::value& v) {
    auto node = parent.append_child(name);
    switch (v.kind()) {
        case json::kind::null:
            node.append_attribute("xsi:nil") = "true";
            break;
        case json::kind::object:
            for (const auto& kv : v.get_object()) {
                AppendXml(node, std::string(kv.key()).c_str(), kv.value());
            }
            break;
        case json::kind::string:
            node.text().set(std::string(v.get_string()).c_str());
            break;
        case json::kind::bool_:
            node.text().set(v.get_bool() ? "true" : "false");
            break;
        default:
            node.text().set(codec::WriteJson(v).c_str());
            break;
    }
}

std::string Render(const json::object& o, bool xml, bool pretty) {
    if (!xml) {
        return codec::WriteJson(o, pretty);
    }
    // The identity service's XML form: a <user> root with xsi for nil values [D-ish, §A.8].
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto root = doc.append_child("user");
    root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    for (const auto& kv : o) {
        AppendXml(root, std::string(kv.key()).c_str(), kv.value());
    }
    std::ostringstream os;
    doc.save(os, pretty ? "    " : "", pretty ? pugi::format_indent : pugi::format_raw);
    return os.str();
}

}  // namespace

std::string FormatSalesforceDateTime(std::int64_t ms) {
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf,
                  sizeof buf,
                  "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
                  tm.tm_year + 1900,
                  tm.tm_mon + 1,
                  tm.tm_mday,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return buf;
}

std::string IdentityDocument(const IdentityFacts& f, bool xml, bool pretty) {
    return Render(Identity(f), xml, pretty);
}

std::string UserInfoDocument(const IdentityFacts& f, bool xml, bool pretty) {
    return Render(UserInfo(f), xml, pretty);
}

}  // namespace sfkit::server
