// RestClient: URL building, auth header, error mapping (§B.15), Sforce-Limit-Info (§0.2), and
// the JSON/XML bodies of create (§B.6, §B.16) and retrieve (§B.7).
#include "sfkit/client/rest_client.hpp"

#include <charconv>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/record_codec.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;

namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    // A UTF-8 byte order mark is not content either.
    if (s.rfind("\xEF\xBB\xBF", 0) == 0) {
        s.remove_prefix(3);
    }
    return s;
}

bool ParseLong(std::string_view s, long long& out) {
    s = Trim(s);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// "N/M" -> used, max.
bool ParseFraction(std::string_view s, long long& used, long long& max) {
    const auto slash = s.find('/');
    return slash != std::string_view::npos && ParseLong(s.substr(0, slash), used) &&
           ParseLong(s.substr(slash + 1), max);
}

std::string StringMember(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return {};
    }
    if (v->is_string()) {
        return std::string(v->get_string());
    }
    return v->is_null() ? std::string() : codec::WriteJson(*v);
}

std::string Excerpt(std::string_view body) {
    std::string out;
    for (const char c : body.substr(0, 160)) {
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    if (body.size() > 160) {
        out += "...";
    }
    return out;
}

Error ErrorFromJsonItem(const json::object& o, ErrorKind kind, int status) {
    Error e;
    e.kind = kind;
    e.http_status = status;
    if (o.contains("errorCode") || o.contains("message")) {
        e.code = StringMember(o, "errorCode");
        e.message = StringMember(o, "message");
    } else {
        // OAuth-style answers also come from /services/oauth2 and identity resources (§A.2).
        e.code = StringMember(o, "error");
        e.message = StringMember(o, "error_description");
    }
    if (const auto* f = o.if_contains("fields"); f != nullptr && f->is_array()) {
        for (const auto& name : f->get_array()) {
            if (name.is_string()) {
                e.fields.emplace_back(name.get_string());
            }
        }
    }
    if (e.code.empty()) {
        e.code = "UNKNOWN_ERROR";
    }
    return e;
}

bool LooksLikeError(const json::object& o) {
    return o.contains("errorCode") || (o.contains("message") && !o.contains("id")) ||
           o.contains("error");
}

Error ErrorFromXmlItem(const pugi::xml_node& n, ErrorKind kind, int status) {
    Error e;
    e.kind = kind;
    e.http_status = status;
    e.code = n.child_value("errorCode");
    e.message = n.child_value("message");
    for (const auto& f : n.children("fields")) {
        e.fields.emplace_back(f.text().get());
    }
    if (e.code.empty()) {
        e.code = "UNKNOWN_ERROR";
    }
    return e;
}

/// Folds a list of errors into one: the first carries the others in `more`.
std::optional<Error> Fold(std::vector<Error> errors) {
    if (errors.empty()) {
        return std::nullopt;
    }
    Error first = std::move(errors.front());
    for (std::size_t i = 1; i < errors.size(); ++i) {
        first.more.push_back(std::move(errors[i]));
    }
    return first;
}

std::optional<Error> ParseJsonErrors(std::string_view body, ErrorKind kind, int status) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        return std::nullopt;
    }
    std::vector<Error> errors;
    if (parsed->is_array()) {
        for (const auto& item : parsed->get_array()) {
            if (item.is_object() && LooksLikeError(item.get_object())) {
                errors.push_back(ErrorFromJsonItem(item.get_object(), kind, status));
            }
        }
    } else if (parsed->is_object() && LooksLikeError(parsed->get_object())) {
        errors.push_back(ErrorFromJsonItem(parsed->get_object(), kind, status));
    }
    return Fold(std::move(errors));
}

std::optional<Error> ParseXmlErrors(std::string_view body, ErrorKind kind, int status) {
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) {
        return std::nullopt;
    }
    const auto root = doc.document_element();
    std::vector<Error> errors;
    const std::string_view name = root.name();
    if (name == "Errors") {
        for (const auto& item : root.children("Error")) {
            errors.push_back(ErrorFromXmlItem(item, kind, status));
        }
    } else if (name == "Error" || name == "errors") {
        errors.push_back(ErrorFromXmlItem(root, kind, status));
    } else if (name == "response" && root.child("faultcode")) {
        // The odd 401 body django-salesforce documents (§B.0).
        Error e = MakeError(kind, root.child_value("faultcode"), root.child_value("error"), status);
        errors.push_back(std::move(e));
    }
    return Fold(std::move(errors));
}

bool IsName(std::string_view s, bool allow_dot) {
    if (s.empty()) {
        return false;
    }
    for (const char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || (allow_dot && c == '.');
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string_view MediaType(WireFormat f) {
    return f == WireFormat::kXml ? "application/xml" : "application/json";
}

bool VersionLess(const std::string& a, const std::string& b) {
    // "59.0" vs "60.0": compare major then minor numerically.
    long long a_major = 0, a_minor = 0, b_major = 0, b_minor = 0;
    const auto split = [](const std::string& v, long long& major, long long& minor) {
        const auto dot = v.find('.');
        ParseLong(std::string_view(v).substr(0, dot), major);
        if (dot != std::string::npos) {
            ParseLong(std::string_view(v).substr(dot + 1), minor);
        }
    };
    split(a, a_major, a_minor);
    split(b, b_major, b_minor);
    return a_major != b_major ? a_major < b_major : a_minor < b_minor;
}

}  // namespace

// ---- free functions ------------------------------------------------------------------------

std::optional<ApiUsage> ParseLimitInfo(std::string_view header) {
    std::optional<ApiUsage> out;
    ApiUsage usage;
    bool have_total = false;
    while (!header.empty()) {
        const auto semi = header.find(';');
        const std::string_view part = Trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) {
            continue;
        }
        const std::string_view key = Trim(part.substr(0, eq));
        std::string_view value = Trim(part.substr(eq + 1));
        if (key == "api-usage") {
            have_total = ParseFraction(value, usage.used, usage.max);
        } else if (key == "per-app-api-usage") {
            // 17/250(appName=sample-connected-app)
            const auto paren = value.find('(');
            long long used = 0;
            long long max = 0;
            if (ParseFraction(value.substr(0, paren), used, max)) {
                usage.per_app_used = used;
                usage.per_app_max = max;
            }
            if (paren != std::string_view::npos) {
                std::string_view inner = value.substr(paren + 1);
                if (!inner.empty() && inner.back() == ')') {
                    inner.remove_suffix(1);
                }
                if (inner.rfind("appName=", 0) == 0) {
                    usage.app_name = std::string(inner.substr(8));
                }
            }
        }
    }
    if (have_total) {
        out = usage;
    }
    return out;
}

Error ParseErrorResponse(const HttpResponse& response) {
    const int status = response.status;
    const ErrorKind kind = status == 401 ? ErrorKind::kSession : ErrorKind::kApi;
    const std::string_view body = Trim(response.body);
    std::optional<Error> e;
    if (!body.empty() && (body.front() == '[' || body.front() == '{')) {
        e = ParseJsonErrors(body, kind, status);
    } else if (!body.empty() && body.front() == '<') {
        e = ParseXmlErrors(body, kind, status);
    }
    if (e) {
        return *std::move(e);
    }
    const std::string* type = response.Header("Content-Type");
    Error out = MakeError(status == 401 ? ErrorKind::kSession : ErrorKind::kProtocol,
                          "HTTP_" + std::to_string(status),
                          "unexpected answer (HTTP " + std::to_string(status) +
                              (type != nullptr ? ", " + *type : std::string()) + ")" +
                              (body.empty() ? std::string() : ": " + Excerpt(body)),
                          status);
    return out;
}

// ---- RestClient ----------------------------------------------------------------------------

struct RestClient::Impl {
    std::shared_ptr<Transport> transport;
    Token token;
    std::string version;
    std::function<Result<Token>()> refresher;
    std::optional<ApiUsage> usage;

    std::string DataPath() const { return "/services/data/v" + version + "/"; }

    std::string Url(std::string_view path) const {
        if (path.rfind("https://", 0) == 0 || path.rfind("http://", 0) == 0) {
            return std::string(path);
        }
        if (!path.empty() && path.front() == '/') {
            return token.instance_url + std::string(path);
        }
        return token.instance_url + DataPath() + std::string(path);
    }

    /// One call: fresh URL and bearer header from the current token, limit info recorded, one
    /// retry after a session refresh on 401.
    Result<HttpResponse> Exchange(std::string_view method,
                                  std::string_view path,
                                  const std::string& body,
                                  const std::vector<HttpHeader>& headers) {
        bool refreshed = false;
        for (;;) {
            HttpRequest req;
            req.method = std::string(method);
            req.url = Url(path);
            req.body = body;
            req.headers.push_back({"Authorization", "Bearer " + token.access_token});
            for (const auto& h : headers) {
                req.headers.push_back(h);
            }
            if (req.Header("Accept") == nullptr) {
                req.headers.push_back({"Accept", "application/json"});
            }
            if (!body.empty() && req.Header("Content-Type") == nullptr) {
                const std::string_view trimmed = Trim(body);
                req.headers.push_back({"Content-Type",
                                       !trimmed.empty() && trimmed.front() == '<'
                                           ? "application/xml"
                                           : "application/json"});
            }
            auto resp = transport->Send(req);
            if (!resp) {
                return resp.error();
            }
            if (const std::string* info = resp->Header("Sforce-Limit-Info")) {
                if (auto parsed = ParseLimitInfo(*info)) {
                    usage = parsed;
                }
            }
            if (resp->status == 401 && refresher && !refreshed) {
                refreshed = true;
                auto fresh = refresher();
                if (fresh) {
                    token = *std::move(fresh);
                    continue;
                }
            }
            if (resp->status >= 400) {
                return ParseErrorResponse(*resp);
            }
            return resp;
        }
    }
};

RestClient::RestClient(Token token, std::string api_version)
    : RestClient(std::make_shared<CurlTransport>(), std::move(token), std::move(api_version)) {}

RestClient::RestClient(std::shared_ptr<Transport> transport, Token token, std::string api_version)
    : impl_(std::make_unique<Impl>()) {
    impl_->transport = std::move(transport);
    SetToken(std::move(token));
    SetApiVersion(std::move(api_version));
}

RestClient::~RestClient() = default;
RestClient::RestClient(RestClient&&) noexcept = default;
RestClient& RestClient::operator=(RestClient&&) noexcept = default;

const Token& RestClient::GetToken() const noexcept {
    return impl_->token;
}

void RestClient::SetToken(Token token) {
    while (!token.instance_url.empty() && token.instance_url.back() == '/') {
        token.instance_url.pop_back();
    }
    impl_->token = std::move(token);
}

const std::string& RestClient::ApiVersion() const noexcept {
    return impl_->version;
}

void RestClient::SetApiVersion(std::string version) {
    if (!version.empty() && (version.front() == 'v' || version.front() == 'V')) {
        version.erase(0, 1);
    }
    impl_->version = std::move(version);
}

void RestClient::SetSessionRefresher(std::function<Result<Token>()> refresher) {
    impl_->refresher = std::move(refresher);
}

std::optional<ApiUsage> RestClient::LastApiUsage() const {
    return impl_->usage;
}

Result<HttpResponse> RestClient::Request(std::string_view method,
                                         std::string_view path,
                                         std::string body,
                                         std::vector<HttpHeader> headers) {
    return impl_->Exchange(method, path, body, headers);
}

Result<std::vector<ApiVersionInfo>> RestClient::Versions() {
    auto resp = impl_->Exchange("GET", "/services/data", {}, {});
    if (!resp) {
        return resp.error();
    }
    auto parsed = codec::ParseJson(resp->body);
    if (!parsed || !parsed->is_array()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         "GET /services/data did not answer a JSON array",
                         resp->status);
    }
    std::vector<ApiVersionInfo> out;
    for (const auto& item : parsed->get_array()) {
        if (!item.is_object()) {
            continue;
        }
        const auto& o = item.get_object();
        ApiVersionInfo v{
            StringMember(o, "version"), StringMember(o, "label"), StringMember(o, "url")};
        if (!v.version.empty()) {
            out.push_back(std::move(v));
        }
    }
    return out;
}

Result<std::string> RestClient::UseLatestVersion() {
    auto versions = Versions();
    if (!versions) {
        return versions.error();
    }
    if (versions->empty()) {
        return MakeError(
            ErrorKind::kProtocol, "INVALID_RESPONSE", "the server lists no API versions");
    }
    std::string best = versions->front().version;
    for (const auto& v : *versions) {
        if (VersionLess(best, v.version)) {
            best = v.version;
        }
    }
    SetApiVersion(best);
    return best;
}

Result<SaveResult> RestClient::Create(std::string_view sobject,
                                      const Record& fields,
                                      WireFormat format) {
    if (!IsName(sobject, false)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_SOBJECT_NAME",
                         "'" + std::string(sobject) + "' is not an sObject name");
    }
    const std::string body =
        format == WireFormat::kXml ? fields.ToXml(sobject) : fields.ToJson(false);
    std::vector<HttpHeader> headers = {{"Content-Type", std::string(MediaType(format))},
                                       {"Accept", std::string(MediaType(format))}};
    auto resp = impl_->Exchange("POST", "sobjects/" + std::string(sobject) + "/", body, headers);
    if (!resp) {
        return resp.error();
    }
    SaveResult out;
    std::vector<Error> errors;
    const std::string_view text = Trim(resp->body);
    if (!text.empty() && text.front() == '<') {
        pugi::xml_document doc;
        if (!doc.load_buffer(text.data(), text.size())) {
            return MakeError(ErrorKind::kProtocol,
                             "INVALID_RESPONSE",
                             "create answered malformed XML: " + Excerpt(text),
                             resp->status);
        }
        const auto root = doc.document_element();
        out.id = root.child_value("id");
        out.success = std::string_view(root.child_value("success")) == "true";
        for (const auto& e : root.children("errors")) {
            errors.push_back(ErrorFromXmlItem(e, ErrorKind::kApi, resp->status));
        }
    } else {
        auto parsed = codec::ParseJson(text);
        if (!parsed || !parsed->is_object()) {
            return MakeError(ErrorKind::kProtocol,
                             "INVALID_RESPONSE",
                             "create did not answer a JSON object: " + Excerpt(text),
                             resp->status);
        }
        const auto& o = parsed->get_object();
        out.id = StringMember(o, "id");
        const auto* success = o.if_contains("success");
        out.success = success != nullptr && success->is_bool() && success->get_bool();
        if (const auto* errs = o.if_contains("errors"); errs != nullptr && errs->is_array()) {
            for (const auto& e : errs->get_array()) {
                if (e.is_object()) {
                    errors.push_back(
                        ErrorFromJsonItem(e.get_object(), ErrorKind::kApi, resp->status));
                }
            }
        }
    }
    if (!out.success) {
        if (auto e = Fold(std::move(errors))) {
            return *std::move(e);
        }
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         "create answered without success=true: " + Excerpt(text),
                         resp->status);
    }
    if (out.id.empty()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         "create answered success without an id",
                         resp->status);
    }
    return out;
}

Result<Record> RestClient::Get(std::string_view sobject,
                               std::string_view id,
                               const std::vector<std::string>& fields,
                               WireFormat format) {
    if (!IsName(sobject, false)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_SOBJECT_NAME",
                         "'" + std::string(sobject) + "' is not an sObject name");
    }
    if (id.empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "MALFORMED_ID", "the record id is empty");
    }
    std::string path = "sobjects/" + std::string(sobject) + "/" + PercentEncode(id);
    if (!fields.empty()) {
        path += "?fields=";
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (!IsName(fields[i], true)) {
                return MakeError(ErrorKind::kInvalidArgument,
                                 "INVALID_FIELD",
                                 "'" + fields[i] + "' is not a field name");
            }
            path += (i == 0 ? "" : ",") + fields[i];
        }
    }
    auto resp = impl_->Exchange("GET", path, {}, {{"Accept", std::string(MediaType(format))}});
    if (!resp) {
        return resp.error();
    }
    const std::string_view text = Trim(resp->body);
    Result<Record> rec =
        !text.empty() && text.front() == '<' ? Record::FromXml(text) : Record::FromJson(text);
    if (!rec) {
        return MakeError(
            ErrorKind::kProtocol,
            "INVALID_RESPONSE",
            "retrieve answered something that is not a record (" + rec.error().message + ")",
            resp->status);
    }
    return rec;
}

}  // namespace sfkit::client
