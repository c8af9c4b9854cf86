// Org definition parsing and validation. Every message names the file and the JSON path of the
// offending value, e.g. "org definition org.json: users[1].username: duplicate username ...".
#include "server/org/org_def.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/auth/jwt_assertion.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

class Parser {
public:
    explicit Parser(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void Fail(const std::string& path, const std::string& problem) const {
        throw std::runtime_error("org definition " + source_ + ": " +
                                 (path.empty() ? problem : path + ": " + problem));
    }

    const json::object& Object(const json::value& v, const std::string& path) const {
        if (!v.is_object()) {
            Fail(path, "expected an object");
        }
        return v.get_object();
    }

    void OnlyKeys(const json::object& o,
                  const std::string& path,
                  std::initializer_list<std::string_view> allowed) const {
        for (const auto& kv : o) {
            bool ok = false;
            for (auto a : allowed) {
                ok = ok || kv.key() == a;
            }
            if (!ok) {
                std::string list;
                for (auto a : allowed) {
                    list += list.empty() ? "" : ", ";
                    list += a;
                }
                Fail(path, "unknown key '" + std::string(kv.key()) + "' (allowed: " + list + ")");
            }
        }
    }

    std::optional<std::string> OptString(const json::object& o,
                                         std::string_view key,
                                         const std::string& path) const {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        if (!v->is_string()) {
            Fail(path + "." + std::string(key), "expected a string");
        }
        return std::string(v->get_string());
    }

    std::string ReqString(const json::object& o,
                          std::string_view key,
                          const std::string& path) const {
        auto s = OptString(o, key, path);
        if (!s || s->empty()) {
            Fail(path + "." + std::string(key), "required (a non-empty string)");
        }
        return *s;
    }

    bool OptBool(const json::object& o,
                 std::string_view key,
                 const std::string& path,
                 bool dflt) const {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return dflt;
        }
        if (!v->is_bool()) {
            Fail(path.empty() ? std::string(key) : path + "." + std::string(key),
                 "expected true or false");
        }
        return v->get_bool();
    }

    std::optional<double> OptNumber(const json::object& o,
                                    std::string_view key,
                                    const std::string& path) const {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        if (!v->is_number()) {
            Fail(path + std::string(path.empty() ? "" : ".") + std::string(key),
                 "expected a number");
        }
        return v->to_number<double>();
    }

    std::vector<std::string> StringList(const json::object& o,
                                        std::string_view key,
                                        const std::string& path) const {
        std::vector<std::string> out;
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return out;
        }
        const std::string p = path + "." + std::string(key);
        if (!v->is_array()) {
            Fail(p, "expected an array of strings");
        }
        std::size_t i = 0;
        for (const auto& e : v->get_array()) {
            if (!e.is_string() || e.get_string().empty()) {
                Fail(p + "[" + std::to_string(i) + "]", "expected a non-empty string");
            }
            const std::string s(e.get_string());
            if (std::find(out.begin(), out.end(), s) == out.end()) {
                out.push_back(s);
            }
            ++i;
        }
        return out;
    }

    std::vector<IpRange> Ranges(const json::object& o, const std::string& path) const {
        std::vector<IpRange> out;
        const auto* v = o.if_contains("trustedIpRanges");
        if (v == nullptr || v->is_null()) {
            return out;
        }
        const std::string p = path.empty() ? "trustedIpRanges" : path + ".trustedIpRanges";
        if (!v->is_array()) {
            Fail(p, "expected an array");
        }
        std::size_t i = 0;
        for (const auto& e : v->get_array()) {
            const std::string ep = p + "[" + std::to_string(i++) + "]";
            std::string error;
            std::optional<IpRange> r;
            if (e.is_string()) {
                r = IpRange::ParseCidr(e.get_string(), &error);
            } else if (e.is_object()) {
                const auto& eo = e.get_object();
                OnlyKeys(eo, ep, {"start", "end", "description"});
                r = IpRange::FromStartEnd(
                    ReqString(eo, "start", ep), ReqString(eo, "end", ep), &error);
            } else {
                Fail(ep, "expected a CIDR string like \"10.0.0.0/8\" or {\"start\":..,\"end\":..}");
            }
            if (!r) {
                Fail(ep, error);
            }
            out.push_back(*r);
        }
        return out;
    }

    OrgDefUser User(const json::value& v, const std::string& path) const {
        const auto& o = Object(v, path);
        OnlyKeys(o,
                 path,
                 {"username",
                  "password",
                  "securityToken",
                  "firstName",
                  "lastName",
                  "email",
                  "active",
                  "apiEnabled",
                  "trustedIpRanges",
                  "profile"});
        OrgDefUser u;
        u.username = ReqString(o, "username", path);
        const auto at = u.username.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == u.username.size() ||
            u.username.find('@', at + 1) != std::string::npos ||
            u.username.find_first_of(" \t\r\n") != std::string::npos || u.username.size() > 80) {
            Fail(path + ".username",
                 "'" + u.username + "' is not in the form of an email address (user@example.com)");
        }
        u.password = ReqString(o, "password", path);
        u.security_token = OptString(o, "securityToken", path).value_or("");
        u.first_name = OptString(o, "firstName", path).value_or("");
        u.last_name = OptString(o, "lastName", path).value_or("");
        if (u.last_name.empty()) {
            u.last_name = u.username.substr(0, at);
        }
        u.email = OptString(o, "email", path).value_or("");
        if (u.email.empty()) {
            u.email = u.username;
        }
        u.profile = OptString(o, "profile", path).value_or("");
        if (u.profile.empty()) {
            u.profile = "System Administrator";
        }
        u.active = OptBool(o, "active", path, true);
        u.api_enabled = OptBool(o, "apiEnabled", path, true);
        u.trusted_ip_ranges = Ranges(o, path);
        return u;
    }

    OrgDefApp App(const json::value& v, const std::string& path) const {
        const auto& o = Object(v, path);
        OnlyKeys(o,
                 path,
                 {"name",
                  "consumerKey",
                  "consumerSecret",
                  "scopes",
                  "callbackUrls",
                  "runAsUser",
                  "flows",
                  "certificate",
                  "certificateFile",
                  "requireSecretForWebServerFlow",
                  "requireSecretForRefreshTokenFlow",
                  "requirePkce"});
        OrgDefApp a;
        a.name = ReqString(o, "name", path);
        a.consumer_key = ReqString(o, "consumerKey", path);
        a.consumer_secret = ReqString(o, "consumerSecret", path);
        a.scopes = StringList(o, "scopes", path);
        if (o.if_contains("scopes") == nullptr) {
            a.scopes = {"api"};
        }
        for (std::size_t i = 0; i < a.scopes.size(); ++i) {
            for (char c : a.scopes[i]) {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                    Fail(path + ".scopes[" + std::to_string(i) + "]",
                         "'" + a.scopes[i] + "' is not a scope name (lower case, digits, '_')");
                }
            }
        }
        a.callback_urls = StringList(o, "callbackUrls", path);
        a.flows = StringList(o, "flows", path);
        if (o.if_contains("flows") == nullptr) {
            a.flows = {std::string(kFlowPassword)};
        }
        for (std::size_t i = 0; i < a.flows.size(); ++i) {
            if (a.flows[i] != kFlowPassword && a.flows[i] != kFlowClientCredentials &&
                a.flows[i] != kFlowDevice) {
                Fail(path + ".flows[" + std::to_string(i) + "]",
                     "unknown flow '" + a.flows[i] +
                         "' (supported: password, client_credentials, device)");
            }
        }
        a.run_as_user = OptString(o, "runAsUser", path).value_or("");
        a.require_secret_web_server = OptBool(o, "requireSecretForWebServerFlow", path, true);
        a.require_secret_refresh = OptBool(o, "requireSecretForRefreshTokenFlow", path, true);
        a.require_pkce = OptBool(o, "requirePkce", path, false);
        Certificate(o, path, a);
        return a;
    }

    /// `certificate` (PEM text) or `certificateFile` (a path relative to the org definition):
    /// the X.509 certificate JWT bearer assertions of this app are checked with (§A.3.4).
    void Certificate(const json::object& o, const std::string& path, OrgDefApp& a) const {
        const auto text = OptString(o, "certificate", path);
        const auto file = OptString(o, "certificateFile", path);
        if (text && file) {
            Fail(path, "give either certificate or certificateFile, not both");
        }
        std::string key;
        if (text) {
            key = path + ".certificate";
            a.certificate_pem = *text;
        } else if (file) {
            key = path + ".certificateFile";
            std::filesystem::path p(*file);
            if (p.is_relative()) {
                p = std::filesystem::path(source_).parent_path() / p;
            }
            std::ifstream in(p, std::ios::binary);
            if (!in) {
                Fail(key, "cannot open '" + p.string() + "' (app '" + a.name + "')");
            }
            std::ostringstream ss;
            ss << in.rdbuf();
            a.certificate_pem = ss.str();
        } else {
            return;
        }
        if (const std::string problem = jwt::CertificateProblem(a.certificate_pem);
            !problem.empty()) {
            Fail(key, problem + " (app '" + a.name + "')");
        }
    }

    std::optional<int> OptInt(const json::object& o,
                              std::string_view key,
                              const std::string& path) const {
        const auto* v = o.if_contains(key);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        const std::string p = path + "." + std::string(key);
        if (!v->is_number()) {
            Fail(p, "expected a whole number");
        }
        const double d = v->to_number<double>();
        if (d != std::floor(d) || d < -1e9 || d > 1e9) {
            Fail(p, "expected a whole number");
        }
        return static_cast<int>(d);
    }

    CustomFieldSpec CustomField(const json::value& v, const std::string& path) const {
        const auto& o = Object(v, path);
        OnlyKeys(o,
                 path,
                 {"name",
                  "label",
                  "type",
                  "length",
                  "precision",
                  "scale",
                  "required",
                  "externalId",
                  "unique",
                  "caseSensitive",
                  "defaultValue",
                  "values",
                  "restricted",
                  "referenceTo",
                  "relationshipName",
                  "deleteConstraint",
                  "reparentable",
                  "displayFormat",
                  "startingNumber",
                  "helpText",
                  "description"});
        CustomFieldSpec f;
        f.path = path;
        f.name = ReqString(o, "name", path);
        f.label = OptString(o, "label", path).value_or("");
        f.type = ReqString(o, "type", path);
        f.length = OptInt(o, "length", path);
        f.precision = OptInt(o, "precision", path);
        f.scale = OptInt(o, "scale", path);
        f.required = OptBool(o, "required", path, false);
        f.external_id = OptBool(o, "externalId", path, false);
        f.unique = OptBool(o, "unique", path, false);
        f.case_sensitive = OptBool(o, "caseSensitive", path, false);
        if (const auto* d = o.if_contains("defaultValue"); d != nullptr && !d->is_null()) {
            // A checkbox's default is a boolean, a picklist's is one of its values.
            if (d->is_bool()) {
                f.default_checkbox = d->get_bool();
            } else if (d->is_string() && !d->get_string().empty()) {
                f.default_value = std::string(d->get_string());
            } else {
                Fail(path + ".defaultValue", "expected true/false (Checkbox) or a picklist value");
            }
        }
        const auto* values = o.if_contains("values");
        if (values != nullptr && !values->is_null()) {
            if (!values->is_array()) {
                Fail(path + ".values", "expected an array of strings");
            }
            for (std::size_t i = 0; i < values->get_array().size(); ++i) {
                const auto& e = values->get_array()[i];
                if (!e.is_string() || e.get_string().empty()) {
                    Fail(path + ".values[" + std::to_string(i) + "]",
                         "expected a non-empty string");
                }
                f.values.emplace_back(e.get_string());
            }
        }
        f.restricted = OptBool(o, "restricted", path, false);
        f.reference_to = OptString(o, "referenceTo", path).value_or("");
        f.relationship_name = OptString(o, "relationshipName", path).value_or("");
        f.delete_constraint = OptString(o, "deleteConstraint", path).value_or("");
        f.reparentable = OptBool(o, "reparentable", path, false);
        f.display_format = OptString(o, "displayFormat", path).value_or("");
        f.starting_number = OptInt(o, "startingNumber", path).value_or(1);
        f.help_text = OptString(o, "helpText", path).value_or("");
        return f;
    }

    std::vector<CustomFieldSpec> CustomFieldList(const json::value* v,
                                                 const std::string& path) const {
        std::vector<CustomFieldSpec> out;
        if (v == nullptr || v->is_null()) {
            return out;
        }
        if (!v->is_array()) {
            Fail(path, "expected an array of field objects");
        }
        for (std::size_t i = 0; i < v->get_array().size(); ++i) {
            out.push_back(CustomField(v->get_array()[i], path + "[" + std::to_string(i) + "]"));
        }
        return out;
    }

    CustomObjectSpec CustomObject(const json::value& v, const std::string& path) const {
        const auto& o = Object(v, path);
        OnlyKeys(o, path, {"name", "label", "pluralLabel", "nameField", "fields", "description"});
        CustomObjectSpec c;
        c.path = path;
        c.name = ReqString(o, "name", path);
        c.label = ReqString(o, "label", path);
        c.plural_label = OptString(o, "pluralLabel", path).value_or("");
        if (const auto* nf = o.if_contains("nameField"); nf != nullptr && !nf->is_null()) {
            const std::string np = path + ".nameField";
            const auto& n = Object(*nf, np);
            OnlyKeys(n, np, {"label", "type", "displayFormat", "startingNumber"});
            c.name_field.label = OptString(n, "label", np).value_or("");
            c.name_field.type = OptString(n, "type", np).value_or("Text");
            c.name_field.display_format = OptString(n, "displayFormat", np).value_or("");
            c.name_field.starting_number = OptInt(n, "startingNumber", np).value_or(1);
        }
        c.fields = CustomFieldList(o.if_contains("fields"), path + ".fields");
        return c;
    }

    CustomSchemaSpec Custom(const json::object& root) const {
        CustomSchemaSpec spec;
        spec.source = source_;
        if (const auto* objects = root.if_contains("customObjects");
            objects != nullptr && !objects->is_null()) {
            if (!objects->is_array()) {
                Fail("customObjects", "expected an array of custom object definitions");
            }
            for (std::size_t i = 0; i < objects->get_array().size(); ++i) {
                spec.objects.push_back(CustomObject(objects->get_array()[i],
                                                    "customObjects[" + std::to_string(i) + "]"));
            }
        }
        if (const auto* fields = root.if_contains("customFields");
            fields != nullptr && !fields->is_null()) {
            if (!fields->is_object()) {
                Fail("customFields",
                     "expected an object: {\"Account\": [fields...], \"Contact\": [...]}");
            }
            for (const auto& kv : fields->get_object()) {
                const std::string path = "customFields." + std::string(kv.key());
                spec.standard_fields.push_back(
                    {path, std::string(kv.key()), CustomFieldList(&kv.value(), path)});
            }
        }
        return spec;
    }

    OrgDefinition Parse(std::string_view text) const {
        auto parsed = codec::ParseJson(text);
        if (!parsed) {
            Fail("", "not valid JSON: " + parsed.error().message);
        }
        const auto& root = Object(*parsed, "(top level)");
        OrgDefinition def;
        def.source = source_;
        // Unknown top-level keys are left alone: other parts of sfkit may own them.
        if (auto name = OptString(root, "orgName", "orgName")) {
            if (name->empty()) {
                Fail("orgName", "must not be empty");
            }
            def.org_name = std::move(name);
        }
        def.builtin_cli_app = OptBool(root, "builtinCliApp", "", true);
        const auto* users = root.if_contains("users");
        if (users == nullptr || !users->is_array() || users->get_array().empty()) {
            Fail("users", "required: an array with at least one user");
        }
        std::map<std::string, std::size_t> seen_users;
        for (std::size_t i = 0; i < users->get_array().size(); ++i) {
            const std::string path = "users[" + std::to_string(i) + "]";
            OrgDefUser u = User(users->get_array()[i], path);
            const auto [it, fresh] = seen_users.emplace(Lower(u.username), i);
            if (!fresh) {
                Fail(path + ".username",
                     "duplicate username '" + u.username + "' (also users[" +
                         std::to_string(it->second) + "])");
            }
            def.users.push_back(std::move(u));
        }
        if (const auto* apps = root.if_contains("connectedApps"); apps && !apps->is_null()) {
            if (!apps->is_array()) {
                Fail("connectedApps", "expected an array");
            }
            std::map<std::string, std::size_t> seen_names;
            std::map<std::string, std::size_t> seen_keys;
            for (std::size_t i = 0; i < apps->get_array().size(); ++i) {
                const std::string path = "connectedApps[" + std::to_string(i) + "]";
                OrgDefApp a = App(apps->get_array()[i], path);
                if (auto [it, fresh] = seen_names.emplace(Lower(a.name), i); !fresh) {
                    Fail(path + ".name",
                         "duplicate app name '" + a.name + "' (also connectedApps[" +
                             std::to_string(it->second) + "])");
                }
                if (auto [it, fresh] = seen_keys.emplace(a.consumer_key, i); !fresh) {
                    Fail(path + ".consumerKey",
                         "duplicate consumer key (also connectedApps[" +
                             std::to_string(it->second) + "])");
                }
                if (!a.run_as_user.empty()) {
                    const auto u = seen_users.find(Lower(a.run_as_user));
                    if (u == seen_users.end()) {
                        Fail(path + ".runAsUser",
                             "user '" + a.run_as_user + "' not found in users");
                    }
                    a.run_as_user = def.users[u->second].username;
                }
                def.apps.push_back(std::move(a));
            }
        }
        if (auto t = OptNumber(root, "sessionTimeoutSeconds", "")) {
            if (*t < 1 || *t != std::floor(*t) || *t > 7 * 24 * 3600.0) {
                Fail("sessionTimeoutSeconds",
                     "expected a whole number of seconds from 1 to 604800");
            }
            def.session_timeout_seconds = static_cast<std::int64_t>(*t);
        }
        if (auto n = OptNumber(root, "lockoutThreshold", "")) {
            if (*n < 0 || *n != std::floor(*n) || *n > 1000) {
                Fail("lockoutThreshold", "expected a whole number from 0 (never lock) to 1000");
            }
            def.lockout_threshold = static_cast<int>(*n);
        }
        if (auto m = OptNumber(root, "lockoutMinutes", "")) {
            if (!(*m > 0) || *m > 525600) {
                Fail("lockoutMinutes", "expected a number of minutes greater than 0");
            }
            def.lockout_minutes = *m;
        }
        def.trusted_ip_ranges = Ranges(root, "");
        def.custom = Custom(root);
        return def;
    }

private:
    std::string source_;
};

}  // namespace

OrgDefinition ParseOrgDefinition(std::string_view text, const std::string& source) {
    return Parser(source).Parse(text);
}

OrgDefinition LoadOrgDefinition(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("org definition " + path + ": cannot open the file");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        throw std::runtime_error("org definition " + path + ": cannot read the file");
    }
    return ParseOrgDefinition(ss.str(), path);
}

}  // namespace sfkit::server
