#include "server/auth/oauth_params.hpp"

#include <algorithm>

#include "server/auth/crypto.hpp"
#include "server/http/message.hpp"

namespace sfkit::server::oauth {

const std::string* Find(const Params& p, std::string_view name) {
    for (const auto& [k, v] : p) {
        if (k == name) {
            return &v;
        }
    }
    return nullptr;
}

std::string Get(const Params& p, std::string_view name) {
    const std::string* v = Find(p, name);
    return v ? *v : std::string();
}

bool StartsWithI(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

bool IsFormBody(const Request& req) {
    const std::string* ct = req.Header("Content-Type");
    return ct != nullptr && StartsWithI(*ct, "application/x-www-form-urlencoded");
}

Params MultipartParams(const Request& req) {
    Params out;
    const std::string* ct = req.Header("Content-Type");
    if (ct == nullptr || !StartsWithI(*ct, "multipart/form-data")) {
        return out;
    }
    auto pos = ct->find("boundary=");
    if (pos == std::string::npos) {
        return out;
    }
    std::string boundary = ct->substr(pos + 9);
    boundary = boundary.substr(0, boundary.find(';'));
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
        boundary = boundary.substr(1, boundary.size() - 2);
    }
    const std::string delim = "--" + boundary;
    const std::string_view body = req.body;
    std::size_t at = body.find(delim);
    while (at != std::string_view::npos) {
        at += delim.size();
        if (body.substr(at, 2) == "--") {
            break;  // closing delimiter
        }
        const std::size_t head_end = body.find("\r\n\r\n", at);
        const std::size_t next = body.find("\r\n" + delim, at);
        if (head_end == std::string_view::npos || next == std::string_view::npos ||
            head_end > next) {
            break;
        }
        const std::string_view head = body.substr(at, head_end - at);
        const std::string_view value = body.substr(head_end + 4, next - head_end - 4);
        // Content-Disposition: form-data; name="grant_type"[; filename="..."]
        const auto name_pos = head.find("name=\"");
        const bool is_file = head.find("filename=") != std::string_view::npos;
        if (name_pos != std::string_view::npos && !is_file) {
            const auto name_start = name_pos + 6;
            const auto name_end = head.find('"', name_start);
            if (name_end != std::string_view::npos) {
                out.emplace_back(std::string(head.substr(name_start, name_end - name_start)),
                                 std::string(value));
            }
        }
        at = next + 2;
    }
    return out;
}

Params RequestParams(const Request& req, bool body_if_untyped) {
    Params out;
    if (auto q = ParseForm(req.query)) {
        out = std::move(*q);
    }
    const bool untyped = req.Header("Content-Type") == nullptr;
    if (!req.body.empty() && (IsFormBody(req) || (body_if_untyped && untyped))) {
        if (auto b = ParseForm(req.body)) {
            out.insert(out.end(), b->begin(), b->end());
        }
    } else if (!req.body.empty()) {
        const Params parts = MultipartParams(req);
        out.insert(out.end(), parts.begin(), parts.end());
    }
    return out;
}

std::pair<std::string, std::string> ClientCredentials(const Params& params, const Request& req) {
    std::string id = Get(params, "client_id");
    std::string secret = Get(params, "client_secret");
    const std::string* auth = req.Header("Authorization");
    if (auth != nullptr && StartsWithI(*auth, "Basic ")) {
        std::string_view b64 = std::string_view(*auth).substr(6);
        while (!b64.empty() && b64.front() == ' ') {
            b64.remove_prefix(1);
        }
        if (auto decoded = crypto::Base64Decode(b64)) {
            const auto colon = decoded->find(':');
            if (colon != std::string::npos) {
                if (id.empty()) {
                    id = decoded->substr(0, colon);
                }
                if (secret.empty()) {
                    secret = decoded->substr(colon + 1);
                }
            }
        }
    }
    return {id, secret};
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace sfkit::server::oauth
