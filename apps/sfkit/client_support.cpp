// Shared plumbing of the client commands (see client_support.hpp).
#include "client_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <boost/json.hpp>
#include <unistd.h>

#include "sfkit/core/id.hpp"

#include "codec/json.hpp"
#include "error_help.hpp"
#include "sf_logins.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

std::string Upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 32);
        }
    }
    return out;
}

json::object ErrorItem(const Error& e) {
    json::object o;
    o["errorCode"] = e.code;
    o["message"] = e.message;
    if (!e.fields.empty()) {
        json::array f;
        for (const auto& name : e.fields) {
            f.emplace_back(name);
        }
        o["fields"] = std::move(f);
    }
    return o;
}

void PrintLine(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

}  // namespace

int ExitCodeFor(const Error& error) {
    switch (error.kind) {
        case ErrorKind::kInvalidArgument:
            return kExitUsage;
        case ErrorKind::kTransport:
        case ErrorKind::kTimeout:
            return kExitUnavailable;
        default:
            return kExitError;
    }
}

void PrintErrorLines(const Error& error) {
    PrintErrorLines(error, {});
}

void PrintErrorLines(const Error& error, const std::vector<std::string>& actions) {
    std::string hint;
    if (error.kind == ErrorKind::kSession) {
        hint = " (the stored login has expired or was revoked: run 'sfkit login' again)";
    }
    std::fprintf(stderr,
                 "ERROR %s: %s%s\n",
                 error.code.empty() ? "ERROR" : error.code.c_str(),
                 error.message.c_str(),
                 hint.c_str());
    for (const auto& more : error.more) {
        std::fprintf(stderr, "ERROR %s: %s\n", more.code.c_str(), more.message.c_str());
    }
    for (const auto& url : error.candidates) {
        std::fprintf(stderr, "  %s\n", url.c_str());
    }
    for (const auto& action : actions) {
        std::fprintf(stderr, "%s\n", action.c_str());
    }
}

json::object ErrorEnvelope(const Error& error,
                           std::string_view command,
                           const std::vector<std::string>& actions,
                           const json::object* data) {
    // The key order of sf's error JSON (SfCommandError.toJson: name, message, exitCode, actions,
    // context, data, ..., warnings, code, status, commandName); sfkit's own details (httpStatus,
    // errors, candidates) stand where sf puts its data. status mirrors the exit code.
    const int code = ExitCodeFor(error);
    json::object o;
    o["name"] = error.code;
    o["message"] = error.message;
    o["exitCode"] = code;
    if (!actions.empty()) {
        json::array a;
        for (const auto& action : actions) {
            a.emplace_back(action);
        }
        o["actions"] = std::move(a);
    }
    o["context"] = std::string(command);
    if (data != nullptr) {
        o["data"] = *data;
    }
    if (error.http_status != 0) {
        o["httpStatus"] = error.http_status;
    }
    if (error.kind == ErrorKind::kApi || error.kind == ErrorKind::kSession ||
        error.kind == ErrorKind::kAuth) {
        json::array items;
        items.push_back(ErrorItem(error));
        for (const auto& more : error.more) {
            items.push_back(ErrorItem(more));
        }
        o["errors"] = std::move(items);
    }
    if (!error.candidates.empty()) {
        json::array urls;
        for (const auto& u : error.candidates) {
            urls.emplace_back(u);
        }
        o["candidates"] = std::move(urls);
    }
    o["warnings"] = WarningsJson();
    o["code"] = error.code.empty() ? std::to_string(code) : error.code;
    o["status"] = code;
    o["commandName"] = std::string(command);
    return o;
}

void PrintJsonLine(const json::value& value) {
    // One compact line, so scripts can grep it; pipe to `jq` to read it.
    PrintLine(codec::WriteJson(value));
}

int ReportError(const Error& reported, bool as_json, std::string_view command) {
    const Error error = ExplainError(reported);
    const std::vector<std::string> actions = SuggestionsFor(error);
    if (as_json) {
        PrintJsonLine(ErrorEnvelope(error, command, actions));  // and nothing on stderr
    } else {
        PrintErrorLines(error, actions);
    }
    return ExitCodeFor(error);
}

void PrintJsonResult(const json::value& result, const std::optional<client::ApiUsage>& usage) {
    json::object o;
    o["status"] = 0;
    o["result"] = result;
    o["warnings"] = WarningsJson();  // sf's order: status, result, warnings; then sfkit's own
    if (usage) {
        o["apiUsage"] = json::object{{"used", usage->used}, {"max", usage->max}};
    }
    PrintLine(codec::WriteJson(o));
}

namespace {

bool json_output = false;

std::vector<std::string>& Warnings() {
    static std::vector<std::string> warnings;
    return warnings;
}

}  // namespace

void SetJsonOutput(bool json) {
    json_output = json;
}

void Warn(const std::string& text) {
    auto& warnings = Warnings();
    if (std::find(warnings.begin(), warnings.end(), text) != warnings.end()) {
        return;
    }
    warnings.push_back(text);
    if (!json_output) {
        std::fprintf(stderr, "WARNING: %s\n", text.c_str());
    }
}

json::array WarningsJson() {
    json::array a;
    for (const auto& w : Warnings()) {
        a.emplace_back(w);
    }
    return a;
}

void WarnOnApiUsage(const std::optional<client::ApiUsage>& usage) {
    if (usage && usage->max > 0 && usage->used * 10 >= usage->max * 9) {
        Warn("the org has used " + std::to_string(usage->used) + " of " +
             std::to_string(usage->max) + " daily API requests");
    }
}

Result<const client::DotEnv*> Settings::DotEnvFile() {
    if (!loaded_) {
        loaded_ = true;
        std::string path = env_file_;
        if (path.empty()) {
            path = ".env";
            if (::access(path.c_str(), F_OK) != 0) {
                return &dotenv_;  // no default .env: nothing to read
            }
        }
        auto parsed = client::LoadDotEnvFile(path);
        if (!parsed) {
            Error e = parsed.error();
            if (e.kind == ErrorKind::kIo) {
                e.kind = ErrorKind::kInvalidArgument;  // a bad --env-file is a usage error
            }
            return e;
        }
        dotenv_ = *std::move(parsed);
    }
    return &dotenv_;
}

Result<std::string> Settings::Get(const std::string& flag_value, std::string_view name) {
    if (!flag_value.empty()) {
        return flag_value;
    }
    const std::string env_name = "SFKIT_" + Upper(name);
    if (const char* v = std::getenv(env_name.c_str()); v != nullptr && v[0] != '\0') {
        return std::string(v);
    }
    auto dotenv = DotEnvFile();
    if (!dotenv) {
        return dotenv.error();
    }
    if (const std::string* v = client::DotEnvLookup(**dotenv, name)) {
        return *v;
    }
    if (const std::string* v = client::DotEnvLookup(**dotenv, env_name)) {
        return *v;
    }
    return std::string();
}

Result<std::string> Settings::Require(const std::string& flag_value,
                                      std::string_view name,
                                      std::string_view flag) {
    auto v = Get(flag_value, name);
    if (v && v->empty()) {
        Error e = MakeError(ErrorKind::kInvalidArgument,
                            "MISSING_SETTING",
                            std::string(name) + " is not set: pass " + std::string(flag) +
                                ", set SFKIT_" + Upper(name) + ", or put " + std::string(name) +
                                "=... in .env");
        e.fields = {std::string(name)};
        return e;
    }
    return v;
}

Result<void> Settings::AllOf(std::initializer_list<const Result<std::string>*> results) {
    std::vector<Error> missing;
    for (const auto* r : results) {
        if (!*r && r->error().code != "MISSING_SETTING") {
            return r->error();  // e.g. an unreadable --env-file: that first
        }
        if (!*r) {
            missing.push_back(r->error());
        }
    }
    if (missing.size() <= 1) {
        return missing.empty() ? Result<void>() : Result<void>(missing.front());
    }
    Error e = missing.front();
    e.message = std::to_string(missing.size()) + " settings are missing: ";
    for (std::size_t i = 0; i < missing.size(); ++i) {
        e.message += (i > 0 ? "; " : "") + missing[i].message;
        e.fields.push_back(missing[i].fields.empty() ? std::string() : missing[i].fields.front());
    }
    return e;
}

Result<std::string> ResolveLoginUrl(const std::string& value) {
    Result<std::string> url = std::string(client::kProductionLoginUrl);
    if (value == "test" || value == "sandbox") {
        url = std::string(client::kSandboxLoginUrl);
    } else if (!value.empty() && value != "login" && value != "production") {
        url = client::NormalizeLoginUrl(value);
    }
    if (url) {
        NoteOrgUrl(*url);
    }
    return url;
}

Result<std::string> ResolveAlias(const std::string& alias) {
    const std::string a = alias.empty() ? "default" : alias;
    if (!client::TokenStore::IsValidAlias(a)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_ALIAS",
                         "alias '" + a +
                             "' must be 1-64 characters of A-Z a-z 0-9 . _ - (not starting "
                             "with '.')");
    }
    return a;
}

namespace {

std::string ConfigFilePath() {
    auto dir = client::TokenStore::DefaultDirectory();
    return dir ? *dir + "/config.json" : std::string();
}

}  // namespace

std::string DefaultTargetOrg() {
    if (const char* env = std::getenv("SFKIT_TARGET_ORG"); env != nullptr && *env != '\0') {
        return env;
    }
    const std::string path = ConfigFilePath();
    std::ifstream in(path);
    if (!path.empty() && in) {
        const std::string text(std::istreambuf_iterator<char>(in), {});
        boost::system::error_code ec;
        const json::value v = json::parse(text, ec);
        if (!ec && v.is_object()) {
            if (const auto* t = v.as_object().if_contains("target-org"); t && t->is_string()) {
                return std::string(t->get_string());
            }
        }
    }
    return "default";
}

Result<void> SaveDefaultTargetOrg(const std::string& alias) {
    auto dir = client::TokenStore::DefaultDirectory();
    if (!dir) {
        return dir.error();
    }
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    const std::string path = *dir + "/config.json";
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << json::serialize(json::object{{"target-org", alias}}) << "\n";
        if (!out) {
            return MakeError(ErrorKind::kIo, "IO_ERROR", "cannot write " + tmp);
        }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        return MakeError(ErrorKind::kIo, "IO_ERROR", "cannot write " + path + ": " + ec.message());
    }
    return {};
}

Result<std::string> ResolveTargetAlias(const std::string& alias) {
    auto resolved = ResolveAlias(alias.empty() ? DefaultTargetOrg() : alias);
    if (!resolved && LoadSfLogin(alias)) {
        return alias;  // an sf CLI username (sf_logins.hpp)
    }
    return resolved;
}

Result<client::TokenStore> OpenStore() {
    auto dir = client::TokenStore::DefaultDirectory();
    if (!dir) {
        return dir.error();
    }
    return client::TokenStore(*dir);
}

std::shared_ptr<client::CurlTransport> MakeTransport(const ClientCommonOptions& common) {
    client::TransportOptions o;
    o.timeout = std::chrono::seconds(common.timeout_seconds);
    o.ca_file = common.ca_file;
    o.retry.max_retries = static_cast<int>(common.max_retries);
    if (common.verbose) {
        o.trace = client::StderrTrace();
    }
    return std::make_shared<client::CurlTransport>(std::move(o));
}

namespace {

/// How an expired session of a stored login is renewed: with its refresh token, else (a JWT
/// login) with its key file; the new token is stored under the alias for the next command.
/// Empty when the login has neither.
std::function<Result<client::Token>()> StoredLoginRefresher(
    const client::StoredLogin& login,
    const client::TokenStore& store,
    std::shared_ptr<client::Transport> transport) {
    if (login.client_id.empty() || login.login_url.empty()) {
        return {};
    }
    auto save = [store, saved = login](const client::Token& token) mutable {
        saved.token = token;
        if (auto ok = store.Save(saved); !ok) {
            Warn("the refreshed login could not be stored: " + ok.error().message);
        }
    };
    if (!login.token.refresh_token.empty()) {
        client::RefreshTokenFlow flow;
        flow.login_url = login.login_url;
        flow.client_id = login.client_id;
        flow.refresh_token = login.token.refresh_token;
        return client::RefreshTokenRefresher(std::move(transport), std::move(flow), save);
    }
    if (login.flow == "jwt" && !login.jwt_key_file.empty() && !login.username.empty()) {
        client::JwtBearerFlow flow;
        flow.login_url = login.login_url;
        flow.client_id = login.client_id;
        flow.username = login.username;
        flow.private_key_file = login.jwt_key_file;
        flow.audience = login.jwt_audience;
        return client::SessionRefresher(
            std::move(transport),
            [flow = std::move(flow)](client::Transport& t) { return flow.Authenticate(t); },
            save);
    }
    return {};
}

}  // namespace

Result<client::RestClient> ConnectStored(const ClientCommonOptions& common,
                                         const std::string& api_version) {
    auto alias = ResolveTargetAlias(common.alias);
    if (!alias) {
        return alias.error();
    }
    auto store = OpenStore();
    if (!store) {
        return store.error();
    }
    auto login = LoadLogin(*store, *alias);
    if (!login) {
        Error e = login.error();
        if (e.code == "NO_SUCH_ALIAS") {
            e.message += "; run 'sfkit login password --alias " + *alias + "' first";
        }
        return e;
    }
    NoteStoredLogin(common,
                    login->token,
                    api_version.empty() || api_version == "latest"
                        ? std::string(client::kDefaultApiVersion)
                        : api_version);

    const bool latest = api_version == "latest";
    auto transport = MakeTransport(common);
    client::RestClient rest(
        transport,
        login->token,
        api_version.empty() || latest ? std::string(client::kDefaultApiVersion) : api_version);
    if (auto refresher = StoredLoginRefresher(*login, *store, transport)) {
        rest.SetSessionRefresher(std::move(refresher));
    }
    if (latest) {
        auto v = rest.UseLatestVersion();
        if (!v) {
            return v.error();
        }
    }
    return rest;
}

Result<client::RestClient> ConnectRest(const ClientCommonOptions& common,
                                       const std::string& api_version,
                                       bool xml,
                                       const std::string& sobject) {
    NoteSObject(sobject);
    auto rest = ConnectStored(common, api_version);
    if (rest) {
        rest->SetFormat(xml ? client::WireFormat::kXml : client::WireFormat::kJson);
    }
    return rest;
}

Result<std::string> ReadDataArgument(const std::string& data) {
    if (data.empty() || data.front() != '@') {
        return data;
    }
    const std::string path = data.substr(1);
    if (path == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), {});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return MakeError(
            ErrorKind::kInvalidArgument, "FILE_NOT_FOUND", "cannot read data file " + path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {

std::string_view TrimFront(std::string_view s) {
    if (s.rfind("\xEF\xBB\xBF", 0) == 0) {
        s.remove_prefix(3);
    }
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    return s;
}

bool SameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && client::HeaderNameEquals(a, b);
}

}  // namespace

Result<client::Record> ReadRecordData(const std::string& data,
                                      const std::string& sobject,
                                      bool& was_xml) {
    auto text = ReadDataArgument(data);
    if (!text) {
        return text.error();
    }
    const std::string_view t = TrimFront(*text);
    if (!t.empty() && t.front() == '<') {
        was_xml = true;
        auto rec = client::Record::FromXml(t);
        if (!rec) {
            Error e = rec.error();
            e.kind = ErrorKind::kInvalidArgument;
            e.message = "--data is not well-formed XML: " + e.message;
            return e;
        }
        // Salesforce takes the object from the URL; a different root is almost surely a mistake.
        if (!rec->Type().empty() && !SameName(rec->Type(), sobject)) {
            return MakeError(ErrorKind::kInvalidArgument,
                             "INVALID_DATA",
                             "the XML data describes a " + rec->Type() + ", not a " + sobject);
        }
        return rec;
    }
    if (!t.empty() && t.front() == '{') {
        was_xml = false;
        auto rec = client::Record::FromJson(t);
        if (!rec) {
            Error e = rec.error();
            e.kind = ErrorKind::kInvalidArgument;
            e.message = "--data is not valid JSON: " + e.message;
            return e;
        }
        if (!rec->Type().empty() && !SameName(rec->Type(), sobject)) {
            return MakeError(ErrorKind::kInvalidArgument,
                             "INVALID_DATA",
                             "the JSON data's attributes say " + rec->Type() + ", not " + sobject);
        }
        return rec;
    }
    return MakeError(ErrorKind::kInvalidArgument,
                     "INVALID_DATA",
                     "--data must be a JSON object ({...}) or an XML document (<" + sobject +
                         ">...</" + sobject + ">), or @file");
}

std::vector<std::string> SplitList(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : list + ",") {
        if (c == ',') {
            const auto b = cur.find_first_not_of(" \t");
            const auto e = cur.find_last_not_of(" \t");
            if (b != std::string::npos) {
                out.push_back(cur.substr(b, e - b + 1));
            }
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

Result<client::Record> ParseValues(const std::string& values) {
    // `Name='Acme Inc' Industry=Energy Active__c=true`, as `sf data create record --values`:
    // space-separated FIELD=VALUE pairs; a value in '...' or "..." may hold spaces (a backslash
    // escapes the quote); unquoted true/false are booleans, anything else is text.
    const auto bad = [](const std::string& why) {
        return MakeError(ErrorKind::kInvalidArgument, "INVALID_VALUES", "--values: " + why);
    };
    client::Record record;
    std::size_t i = 0;
    const std::size_t n = values.size();
    while (true) {
        while (i < n && (values[i] == ' ' || values[i] == '\t')) {
            ++i;
        }
        if (i == n) {
            break;
        }
        const std::size_t eq = values.find('=', i);
        const std::size_t space = values.find_first_of(" \t", i);
        if (eq == std::string::npos || (space != std::string::npos && space < eq) || eq == i) {
            return bad("expected FIELD=VALUE at '" + values.substr(i) + "'");
        }
        const std::string field = values.substr(i, eq - i);
        i = eq + 1;
        std::string value;
        bool quoted = false;
        if (i < n && (values[i] == '\'' || values[i] == '"')) {
            const char q = values[i++];
            quoted = true;
            while (i < n && values[i] != q) {
                if (values[i] == '\\' && i + 1 < n) {
                    ++i;
                }
                value += values[i++];
            }
            if (i == n) {
                return bad("unterminated quote in the value of " + field);
            }
            ++i;
            if (i < n && values[i] != ' ' && values[i] != '\t') {
                return bad("expected a space after the quoted value of " + field);
            }
        } else {
            while (i < n && values[i] != ' ' && values[i] != '\t') {
                value += values[i++];
            }
        }
        if (!quoted && (value == "true" || value == "false")) {
            record.Set(field, value == "true");
        } else {
            record.Set(field, std::move(value));
        }
    }
    if (record.Fields().empty()) {
        return bad("no FIELD=VALUE pairs");
    }
    return record;
}

Result<client::Record> ReadRecordInput(const std::string& data,
                                       const std::string& values,
                                       const std::string& sobject,
                                       bool& was_xml) {
    if (!values.empty()) {
        was_xml = false;
        return ParseValues(values);
    }
    if (data.empty()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "MISSING_DATA",
                         "give the field values with --data or --values");
    }
    return ReadRecordData(data, sobject, was_xml);
}

Result<void> CheckRecordId(const std::string& id) {
    if (auto parsed = Id::Parse(id); !parsed) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "MALFORMED_ID",
                         "'" + id + "' is not a record id: " + parsed.error().message +
                             " (an id has 15 or 18 letters and digits; nothing was sent)");
    }
    return {};
}

}  // namespace sfkit::cli
