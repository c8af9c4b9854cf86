// Errors as the user should read them (see error_help.hpp).
#include "error_help.hpp"

#include <algorithm>
#include <optional>
#include <regex>

#include "sfkit/client/rest_client.hpp"

#include "client_support.hpp"
#include "suggest.hpp"

namespace sfkit::cli {
namespace {

struct Target {
    std::string url;
    std::optional<ClientCommonOptions> common;  ///< set with a stored login
    client::Token token;
    std::string api_version;
    std::string sobject;
};

Target& Current() {
    static Target target;
    return target;
}

/// `scheme://host[:port]` of a URL (path dropped).
std::string Origin(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) {
        return url;
    }
    const auto path = url.find('/', scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

std::string HostOf(const std::string& url) {
    std::string origin = Origin(url);
    const auto scheme = origin.find("://");
    std::string host = scheme == std::string::npos ? origin : origin.substr(scheme + 3);
    if (!host.empty() && host.front() == '[') {
        return host.substr(0, host.find(']') + 1);
    }
    return host.substr(0, host.find(':'));
}

/// Whether `origin` (an http:// URL) answers HTTP at all: one short GET, any status.
bool AnswersPlainHttp(const std::string& origin) {
    client::TransportOptions o;
    o.connect_timeout = std::chrono::seconds(3);
    o.timeout = std::chrono::seconds(5);
    o.proxy = std::string();
    client::CurlTransport transport(std::move(o));
    client::HttpRequest req;
    req.url = origin + "/";
    auto resp = transport.Send(req);
    return resp && resp->status > 0;
}

std::optional<client::RestClient> Rest() {
    Target& t = Current();
    if (!t.common) {
        return std::nullopt;
    }
    ClientCommonOptions common = *t.common;
    common.timeout_seconds = std::min(common.timeout_seconds, 20u);
    return client::RestClient(MakeTransport(common), t.token, t.api_version);
}

std::vector<std::string> ObjectNames() {
    std::vector<std::string> names;
    if (auto rest = Rest()) {
        if (auto global = rest->DescribeGlobal()) {
            for (const auto& s : global->sobjects) {
                names.push_back(s.name);
            }
        }
    }
    return names;
}

/// What describe names on `sobject`: its fields, its parent relationships (`Account` of
/// AccountId) or its child relationships (`Contacts`).
enum class Names { kFields, kParents, kChildren };

std::vector<std::string> DescribedNames(const std::string& sobject, Names which) {
    std::vector<std::string> names;
    if (auto rest = Rest()) {
        if (auto d = rest->Describe(sobject)) {
            for (const auto& f : (*d)->fields) {
                if (which == Names::kFields) {
                    names.push_back(f.name);
                } else if (which == Names::kParents && !f.relationship_name.empty()) {
                    names.push_back(f.relationship_name);
                }
            }
            for (const auto& c : (*d)->child_relationships) {
                if (which == Names::kChildren && !c.relationship_name.empty()) {
                    names.push_back(c.relationship_name);
                }
            }
        }
    }
    return names;
}

std::string Match(const std::string& text, const std::regex& pattern) {
    std::smatch m;
    return std::regex_search(text, m, pattern) ? m[1].str() : std::string();
}

}  // namespace

void NoteOrgUrl(std::string url) {
    Current().url = std::move(url);
}

void NoteStoredLogin(const ClientCommonOptions& common,
                     const client::Token& token,
                     std::string api_version) {
    Target& t = Current();
    t.url = token.instance_url;
    t.common = common;
    t.token = token;
    t.api_version = std::move(api_version);
}

void NoteSObject(std::string sobject) {
    Current().sobject = std::move(sobject);
}

Error ExplainError(Error e) {
    const std::string& url = Current().url;
    if (e.kind != ErrorKind::kTransport || url.empty()) {
        return e;
    }
    const std::string origin = Origin(url);
    if (e.code == "SSL_CONNECT_ERROR" && origin.rfind("https://", 0) == 0) {
        const std::string plain = "http://" + origin.substr(8);
        if (AnswersPlainHttp(plain)) {
            e.message = "the server at " + origin +
                        " does not speak TLS (it answers plain HTTP); "
                        "did you mean " +
                        plain + "? (" + e.message + ")";
        } else {
            e.message = "the TLS handshake with " + origin + " failed: " + e.message;
        }
    } else if (e.code == "COULDNT_CONNECT") {
        e.message = "nothing answers at " + origin +
                    " (connection refused or unreachable): is the org running and the URL "
                    "right? (" +
                    e.message + ")";
    } else if (e.code == "COULDNT_RESOLVE_HOST") {
        e.message = "the host name '" + HostOf(url) + "' of " + origin +
                    " could not be resolved (DNS): check the URL and the network (" + e.message +
                    ")";
    }
    return e;
}

std::vector<std::string> SuggestionsFor(const Error& e) {
    if (e.kind != ErrorKind::kApi) {
        return {};
    }
    // SOQL: "Didn't understand relationship 'R' in field path" (a parent: R.Name) or "... in FROM
    // part of query call" (a child subquery). Only a relationship of the query's own object
    // (its first path segment, or a subquery's FROM) is looked up; deeper ones are left alone.
    static const std::regex kRelationship(
        R"(Didn't understand relationship '(\w+)' in (field path|FROM part))");
    if (std::smatch m;
        !Current().sobject.empty() && std::regex_search(e.message, m, kRelationship)) {
        const std::string relationship = m[1].str();
        const bool child = m[2].str() == "FROM part";
        const std::regex first_segment("(^|[^.\\w])" + relationship + "\\.");
        if (!child && !std::regex_search(e.message, first_segment)) {
            return {};
        }
        const std::string& sobject = Current().sobject;
        const std::string did = DidYouMean(Nearest(
            relationship, DescribedNames(sobject, child ? Names::kChildren : Names::kParents)));
        if (did.empty()) {
            return {};
        }
        return {"'" + relationship + "' is not a " + (child ? "child" : "parent") +
                " relationship of " + sobject + ". " + did};
    }
    if (e.code == "INVALID_TYPE" || (e.code == "NOT_FOUND" && !Current().sobject.empty())) {
        static const std::regex kType(R"(sObject type '([^']+)')");
        std::string name = Match(e.message, kType);
        if (name.empty() && e.code == "NOT_FOUND") {
            name = Current().sobject;
        }
        if (name.empty()) {
            return {};
        }
        const auto objects = ObjectNames();
        const bool known =
            std::any_of(objects.begin(), objects.end(), [&](const auto& o) { return o == name; });
        if (objects.empty() || known) {
            return {};  // a NOT_FOUND of a known object is about the record, not the object
        }
        const std::string did = DidYouMean(Nearest(name, objects));
        const std::string head = "'" + name + "' is not an object of this org.";
        return {did.empty() ? head + " Run 'sfkit sobjects' for the list." : head + " " + did};
    }
    if (e.code == "INVALID_FIELD") {
        // SOQL: "No such column 'F' on entity 'O'"; REST writes: "... on sobject of type O".
        static const std::regex kField(
            R"(No such column '([^']+)' on (?:entity '([^']+)'|sobject of type (\w+)))");
        std::smatch m;
        if (!std::regex_search(e.message, m, kField)) {
            return {};
        }
        const std::string field = m[1].str();
        const std::string sobject = m[2].matched ? m[2].str() : m[3].str();
        const std::string did = DidYouMean(Nearest(field, DescribedNames(sobject, Names::kFields)));
        if (did.empty()) {
            return {};
        }
        return {"'" + field + "' is not a field of " + sobject + ". " + did};
    }
    return {};
}

}  // namespace sfkit::cli
