// `sfkit api METHOD PATH`: any REST call with the stored token, the answer printed as received
// (like curl, minus the token handling). Exit 1 on HTTP >= 400, with the body still printed.
#include <cstdio>
#include <string>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "codec/json.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

constexpr std::string_view kCommand = "api";

Result<std::string> CheckMethod(std::string method) {
    for (auto& c : method) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 32);
        }
    }
    for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        if (method == m) {
            return method;
        }
    }
    return MakeError(
        ErrorKind::kInvalidArgument,
        "INVALID_METHOD",
        "'" + method + "' is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE)");
}

Result<std::vector<client::HttpHeader>> ParseHeaders(const std::vector<std::string>& lines) {
    std::vector<client::HttpHeader> out;
    for (const auto& line : lines) {
        const auto colon = line.find(':');
        if (colon == std::string::npos || colon == 0) {
            return MakeError(ErrorKind::kInvalidArgument,
                             "INVALID_HEADER",
                             "--header '" + line + "' is not of the form 'Name: value'");
        }
        std::string value = line.substr(colon + 1);
        const auto start = value.find_first_not_of(" \t");
        value = start == std::string::npos ? std::string() : value.substr(start);
        std::string name = line.substr(0, colon);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
            name.pop_back();
        }
        out.push_back({std::move(name), std::move(value)});
    }
    return out;
}

const char* Reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 300:
            return "Multiple Choices";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 412:
            return "Precondition Failed";
        case 415:
            return "Unsupported Media Type";
        case 500:
            return "Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "";
    }
}

void PrintHead(const client::HttpResponse& r) {
    // The status line as received; fakes and other transports may not keep it.
    std::string line = r.status_line;
    if (line.empty()) {
        line = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status);
    }
    std::printf("%s\n", line.c_str());
    for (const auto& h : r.headers) {
        std::printf("%s: %s\n", h.name.c_str(), h.value.c_str());
    }
    std::printf("\n");
}

/// `{"statusCode","headers","body"}`: the body parsed when it is JSON, else as text.
json::object JsonResult(const client::HttpResponse& r) {
    json::object headers;
    for (const auto& h : r.headers) {
        auto it = headers.find(h.name);
        if (it != headers.end() && it->value().is_string()) {
            // Repeated headers: one value, comma-joined, as HTTP allows.
            std::string joined(it->value().get_string());
            it->value() = joined + ", " + h.value;
        } else {
            headers[h.name] = h.value;
        }
    }
    json::object o;
    o["statusCode"] = r.status;
    o["headers"] = std::move(headers);
    auto parsed = codec::ParseJson(r.body);
    if (!r.body.empty() && parsed) {
        o["body"] = *std::move(parsed);
    } else {
        o["body"] = r.body;
    }
    return o;
}

}  // namespace

int RunApi(const ApiOptions& o) {
    const bool as_json = o.common.json;
    auto method = CheckMethod(o.method);
    if (!method) {
        return ReportError(method.error(), as_json, kCommand);
    }
    auto headers = ParseHeaders(o.headers);
    if (!headers) {
        return ReportError(headers.error(), as_json, kCommand);
    }
    auto body = ReadDataArgument(o.data);
    if (!body) {
        return ReportError(body.error(), as_json, kCommand);
    }
    auto rest = ConnectStored(o.common, o.api_version);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto resp = rest->Send(*method, o.path, *std::move(body), *std::move(headers));
    WarnOnApiUsage(rest->LastApiUsage());
    if (!resp) {
        return ReportError(resp.error(), as_json, kCommand);
    }
    const bool failed = resp->status >= 400;
    if (as_json) {
        if (failed) {
            // The error envelope, with the whole answer as `result` too.
            const Error e = client::ParseErrorResponse(*resp);
            json::object env = ErrorEnvelope(e, kCommand);
            env["result"] = JsonResult(*resp);
            PrintJsonLine(env);
            return ExitCodeFor(e);
        }
        PrintJsonResult(JsonResult(*resp), rest->LastApiUsage());
        return kExitOk;
    }
    if (o.include) {
        PrintHead(*resp);
    }
    std::fwrite(resp->body.data(), 1, resp->body.size(), stdout);
    if (!resp->body.empty() && resp->body.back() != '\n' && StdoutIsTerminal()) {
        std::fputc('\n', stdout);  // keep the shell prompt off the last line
    }
    std::fflush(stdout);
    if (failed) {
        const Error e = client::ParseErrorResponse(*resp);
        PrintErrorLines(e);
        return ExitCodeFor(e);
    }
    return kExitOk;
}

}  // namespace sfkit::cli
