// RestClient core: URL building, auth header, error mapping (§B.15), Sforce-Limit-Info (§0.2),
// the shared answer readers, and create (§B.6, §B.16) and retrieve (§B.7). The other calls live
// in rest_describe.cpp, rest_records.cpp and rest_limits.cpp.
#include "sfkit/client/rest_client.hpp"

#include <cctype>
#include <charconv>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/record_codec.hpp"
#include "client/rest_client_impl.hpp"
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

using detail::Excerpt;
using detail::IsName;
using detail::MediaType;

// ---- shared helpers ------------------------------------------------------------------------

namespace detail {

std::string_view TrimBody(std::string_view s) {
    return Trim(s);
}

bool IsXmlAnswer(const HttpResponse& response) {
    const std::string_view t = Trim(response.body);
    return !t.empty() && t.front() == '<';
}

std::string DescribeKey(std::string_view sobject) {
    std::string key(sobject);
    for (auto& c : key) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return key;
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

std::string_view MediaType(WireFormat f) {
    return f == WireFormat::kXml ? "application/xml" : "application/json";
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

std::optional<Error> CheckSObject(std::string_view sobject) {
    if (IsName(sobject, false)) {
        return std::nullopt;
    }
    return MakeError(ErrorKind::kInvalidArgument,
                     "INVALID_SOBJECT_NAME",
                     "'" + std::string(sobject) + "' is not an sObject name");
}

Result<std::string> FieldsQuery(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!IsName(fields[i], true)) {
            return MakeError(ErrorKind::kInvalidArgument,
                             "INVALID_FIELD",
                             "'" + fields[i] + "' is not a field name");
        }
        out += (i == 0 ? "?fields=" : ",") + fields[i];
    }
    return out;
}

Result<Record> AnswerRecord(const HttpResponse& response, std::string_view what) {
    const std::string_view text = Trim(response.body);
    if (!text.empty() && text.front() == '<') {
        auto rec = Record::FromXml(text);
        if (rec) {
            return rec;
        }
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         std::string(what) + " answered malformed XML (" + rec.error().message +
                             "): " + Excerpt(text),
                         response.status);
    }
    auto rec = Record::FromJson(text);
    if (rec) {
        return rec;
    }
    return MakeError(
        ErrorKind::kProtocol,
        "INVALID_RESPONSE",
        std::string(what) + " did not answer a JSON object or XML document: " + Excerpt(text),
        response.status);
}

std::string RecordBody(const Record& fields, std::string_view sobject, WireFormat f) {
    return f == WireFormat::kXml ? fields.ToXml(sobject) : fields.ToJson(false);
}

Result<SaveAnswer> ReadSaveAnswer(const HttpResponse& response, std::string_view what) {
    SaveAnswer out;
    bool success = false;
    std::vector<Error> errors;
    const std::string_view text = Trim(response.body);
    if (!text.empty() && text.front() == '<') {
        pugi::xml_document doc;
        if (!doc.load_buffer(text.data(), text.size())) {
            return MakeError(ErrorKind::kProtocol,
                             "INVALID_RESPONSE",
                             std::string(what) + " answered malformed XML: " + Excerpt(text),
                             response.status);
        }
        const auto root = doc.document_element();
        out.id = root.child_value("id");
        success = std::string_view(root.child_value("success")) == "true";
        if (const auto c = root.child("created")) {
            out.created = std::string_view(c.text().get()) == "true";
        }
        for (const auto& e : root.children("errors")) {
            errors.push_back(ErrorFromXmlItem(e, ErrorKind::kApi, response.status));
        }
    } else {
        auto parsed = codec::ParseJson(text);
        if (!parsed || !parsed->is_object()) {
            return MakeError(ErrorKind::kProtocol,
                             "INVALID_RESPONSE",
                             std::string(what) + " did not answer a JSON object: " + Excerpt(text),
                             response.status);
        }
        const auto& o = parsed->get_object();
        out.id = StringMember(o, "id");
        const auto* ok = o.if_contains("success");
        success = ok != nullptr && ok->is_bool() && ok->get_bool();
        if (const auto* c = o.if_contains("created"); c != nullptr && c->is_bool()) {
            out.created = c->get_bool();
        }
        if (const auto* errs = o.if_contains("errors"); errs != nullptr && errs->is_array()) {
            for (const auto& e : errs->get_array()) {
                if (e.is_object()) {
                    // Inside SaveResults the code key is `statusCode` (§B.13).
                    Error item =
                        ErrorFromJsonItem(e.get_object(), ErrorKind::kApi, response.status);
                    if (item.code == "UNKNOWN_ERROR") {
                        if (auto sc = StringMember(e.get_object(), "statusCode"); !sc.empty()) {
                            item.code = sc;
                        }
                    }
                    errors.push_back(std::move(item));
                }
            }
        }
    }
    if (!success) {
        if (auto e = Fold(std::move(errors))) {
            return *std::move(e);
        }
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         std::string(what) + " answered without success=true: " + Excerpt(text),
                         response.status);
    }
    if (out.id.empty()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         std::string(what) + " answered success without an id",
                         response.status);
    }
    return out;
}

Error MultipleChoices(const HttpResponse& response) {
    std::vector<std::string> urls;
    const std::string_view text = Trim(response.body);
    if (!text.empty() && text.front() == '<') {
        pugi::xml_document doc;
        if (doc.load_buffer(text.data(), text.size())) {
            for (const auto& n : doc.document_element().children()) {
                if (n.type() == pugi::node_element && *n.text().get() != '\0') {
                    urls.emplace_back(n.text().get());
                }
            }
        }
    } else if (auto parsed = codec::ParseJson(text); parsed && parsed->is_array()) {
        for (const auto& u : parsed->get_array()) {
            if (u.is_string()) {
                urls.emplace_back(u.get_string());
            }
        }
    }
    // restforce's wording for the same answer (§B.15); the URLs are in `candidates`.
    Error e = MakeError(ErrorKind::kApi,
                        "MULTIPLE_CHOICES",
                        "The external ID provided matches more than one record (" +
                            std::to_string(urls.size()) + ")",
                        response.status);
    e.candidates = std::move(urls);
    return e;
}

}  // namespace detail

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

std::string RestClient::Impl::Url(std::string_view path) const {
    if (path.rfind("https://", 0) == 0 || path.rfind("http://", 0) == 0) {
        return std::string(path);
    }
    if (!path.empty() && path.front() == '/') {
        return token.instance_url + std::string(path);
    }
    if (path.rfind("services/", 0) == 0) {
        return token.instance_url + "/" + std::string(path);
    }
    // `v60.0/sobjects/...`: relative to /services/data/, as composite batch URLs are (§B.13).
    if (path.size() > 2 && path[0] == 'v' && std::isdigit(static_cast<unsigned char>(path[1]))) {
        const auto slash = path.find('/');
        const std::string_view head = path.substr(0, slash);
        if (head.find('.') != std::string_view::npos) {
            return token.instance_url + "/services/data/" + std::string(path);
        }
    }
    return token.instance_url + DataPath() + std::string(path);
}

Result<HttpResponse> RestClient::Impl::Exchange(std::string_view method,
                                                std::string_view path,
                                                const std::string& body,
                                                const std::vector<HttpHeader>& headers) {
    HttpRequest req;
    req.method = std::string(method);
    req.body = body;
    req.headers = headers;
    return Exchange(std::move(req), path);
}

Result<HttpResponse> RestClient::Impl::Exchange(HttpRequest base, std::string_view path) {
    bool refreshed = false;
    for (;;) {
        HttpRequest req = base;
        req.url = Url(path);
        // A caller's own Authorization (e.g. `sfkit api -H 'Authorization: OAuth ...'`, §0.2)
        // replaces the bearer token rather than being sent next to it.
        if (req.Header("Authorization") == nullptr) {
            req.headers.insert(req.headers.begin(),
                               {"Authorization", "Bearer " + token.access_token});
        }
        if (req.Header("Accept") == nullptr) {
            req.headers.push_back({"Accept", std::string(MediaType(format))});
        }
        if (!req.body.empty() && req.Header("Content-Type") == nullptr) {
            const std::string_view trimmed = Trim(req.body);
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
        // A streamed body has been read once and cannot be sent again.
        if (resp->status == 401 && refresher && !refreshed && !base.body_reader) {
            refreshed = true;
            auto fresh = refresher();
            if (fresh) {
                token = *std::move(fresh);
                continue;
            }
        }
        if (auto delivered = DeliverToSink(req, *resp); !delivered) {
            return delivered.error();
        }
        return resp;
    }
}

Result<HttpResponse> RestClient::Impl::Call(std::string_view method,
                                            std::string_view path,
                                            const std::string& body,
                                            const std::vector<HttpHeader>& headers) {
    auto resp = Exchange(method, path, body, headers);
    if (resp && resp->status >= 400) {
        return ParseErrorResponse(*resp);
    }
    return resp;
}

Result<HttpResponse> RestClient::Impl::CallIn(WireFormat f,
                                              std::string_view method,
                                              std::string_view path,
                                              const std::string& body) {
    std::vector<HttpHeader> headers = {{"Accept", std::string(MediaType(f))}};
    if (!body.empty()) {
        headers.push_back({"Content-Type", std::string(MediaType(f))});
    }
    return Call(method, path, body, headers);
}

void RestClient::Impl::TypeFromCache(Record& record, std::string_view sobject) const {
    const auto lookup = [this](std::string_view name) -> const SObjectDescribe* {
        const auto it = describes.find(detail::DescribeKey(name));
        return it == describes.end() ? nullptr : it->second.get();
    };
    const SObjectDescribe* d = lookup(record.Type().empty() ? sobject : record.Type());
    if (d != nullptr) {
        ApplyDescribeTypes(record, *d);
    }
    // Parent records (`<Owner type="User">...`) are typed from their own describes.
    std::vector<std::pair<std::string, Record>> nested;
    for (const auto& f : record.Fields()) {
        if (const Record* r = f.value.AsRecord(); r != nullptr && !r->Type().empty()) {
            Record copy = *r;
            TypeFromCache(copy, copy.Type());
            nested.emplace_back(f.name, std::move(copy));
        }
    }
    for (auto& [name, r] : nested) {
        record.Set(name, std::move(r));
    }
}

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
    // A describe belongs to one org (instance); a refreshed token for the same one keeps them.
    if (token.instance_url != impl_->token.instance_url) {
        impl_->describes.clear();
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
    if (version != impl_->version) {
        impl_->describes.clear();  // describes differ between versions
    }
    impl_->version = std::move(version);
}

std::function<Result<Token>()> SessionRefresher(
    std::shared_ptr<Transport> transport,
    std::function<Result<Token>(Transport&)> authenticate,
    std::function<void(const Token&)> on_refreshed) {
    return [transport = std::move(transport),
            authenticate = std::move(authenticate),
            on_refreshed = std::move(on_refreshed)]() -> Result<Token> {
        auto fresh = authenticate(*transport);
        if (fresh && on_refreshed) {
            on_refreshed(*fresh);
        }
        return fresh;
    };
}

std::function<Result<Token>()> RefreshTokenRefresher(
    std::shared_ptr<Transport> transport,
    RefreshTokenFlow flow,
    std::function<void(const Token&)> on_refreshed) {
    return SessionRefresher(
        std::move(transport),
        [flow = std::move(flow)](Transport& t) { return flow.Authenticate(t); },
        std::move(on_refreshed));
}

void RestClient::SetSessionRefresher(std::function<Result<Token>()> refresher) {
    impl_->refresher = std::move(refresher);
}

WireFormat RestClient::Format() const noexcept {
    return impl_->format;
}

void RestClient::SetFormat(WireFormat format) {
    impl_->format = format;
}

std::optional<ApiUsage> RestClient::LastApiUsage() const {
    return impl_->usage;
}

Result<HttpResponse> RestClient::Request(std::string_view method,
                                         std::string_view path,
                                         std::string body,
                                         std::vector<HttpHeader> headers) {
    return impl_->Call(method, path, body, headers);
}

Result<HttpResponse> RestClient::Send(std::string_view method,
                                      std::string_view path,
                                      std::string body,
                                      std::vector<HttpHeader> headers) {
    return impl_->Exchange(method, path, body, headers);
}

Result<std::vector<ApiVersionInfo>> RestClient::Versions() {
    // The version list is JSON whatever the client's format (the reader below is JSON only).
    auto resp = impl_->Call("GET", "/services/data", {}, {{"Accept", "application/json"}});
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
                                      std::optional<WireFormat> format) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    const WireFormat f = format.value_or(impl_->format);
    auto resp = impl_->CallIn(f,
                              "POST",
                              "sobjects/" + std::string(sobject) + "/",
                              detail::RecordBody(fields, sobject, f));
    if (!resp) {
        return resp.error();
    }
    auto saved = detail::ReadSaveAnswer(*resp, "create");
    if (!saved) {
        return saved.error();
    }
    return SaveResult{saved->id, true};
}

Result<Record> RestClient::Get(std::string_view sobject,
                               std::string_view id,
                               const std::vector<std::string>& fields,
                               std::optional<WireFormat> format) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    if (id.empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "MALFORMED_ID", "the record id is empty");
    }
    auto query = detail::FieldsQuery(fields);
    if (!query) {
        return query.error();
    }
    auto resp =
        impl_->CallIn(format.value_or(impl_->format),
                      "GET",
                      "sobjects/" + std::string(sobject) + "/" + PercentEncode(id) + *query);
    if (!resp) {
        return resp.error();
    }
    auto rec = detail::AnswerRecord(*resp, "retrieve");
    if (!rec) {
        return rec.error();
    }
    if (detail::IsXmlAnswer(*resp)) {
        impl_->TypeFromCache(*rec, sobject);
    }
    return rec;
}

}  // namespace sfkit::client
