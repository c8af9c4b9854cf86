// `sfkit org list`, `sfkit org display`, `sfkit logout` and `sfkit config set target-org`: the
// stored logins as the sf CLI manages its orgs (docs/cli.md, "Orgs").
#include <cstdio>
#include <string>

#include <boost/json.hpp>

#include "client_support.hpp"
#include "commands.hpp"
#include "sf_logins.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

/// "Connected", "Expired" (the org answers 401 to the token) or "Unreachable: <why>".
std::string ConnectedStatus(const client::StoredLogin& login, const ClientCommonOptions& common) {
    client::HttpRequest req;
    req.url = login.token.instance_url + "/services/data/v" +
              std::string(client::kDefaultApiVersion) + "/";
    req.headers.push_back({"Authorization", "Bearer " + login.token.access_token});
    req.headers.push_back({"Accept", "application/json"});
    auto resp = MakeTransport(common)->Send(req);
    if (!resp) {
        return "Unreachable: " + resp.error().message;
    }
    if (resp->status == 200) {
        return "Connected";
    }
    return resp->status == 401 ? "Expired" : "HTTP " + std::to_string(resp->status);
}

/// Revokes `token` at the org's revoke endpoint; an empty string when done, else the reason.
std::string Revoke(const client::StoredLogin& login,
                   const std::string& token,
                   const ClientCommonOptions& common) {
    client::HttpRequest req;
    req.method = "POST";
    req.url = login.token.instance_url + "/services/oauth2/revoke";
    req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    req.body = client::FormEncode({{"token", token}});
    auto resp = MakeTransport(common)->Send(req);
    if (!resp) {
        return resp.error().message;
    }
    if (resp->status != 200) {
        return "HTTP " + std::to_string(resp->status) + " " + resp->body;
    }
    return {};
}

}  // namespace

int RunOrgList(const OrgOptions& o) {
    constexpr std::string_view kCommand = "org list";
    auto store = OpenStore();
    if (!store) {
        return ReportError(store.error(), o.common.json, kCommand);
    }
    const std::string target = DefaultTargetOrg();
    json::array list;
    Table table({{"DEFAULT"}, {"ALIAS"}, {"USERNAME"}, {"INSTANCE URL"}, {"FLOW"}});
    for (const auto& alias : store->List()) {
        auto login = store->Load(alias);
        if (!login) {
            continue;
        }
        const bool is_default = alias == target;
        list.push_back(json::object{{"alias", alias},
                                    {"username", login->username},
                                    {"instanceUrl", login->token.instance_url},
                                    {"orgId", login->token.org_id},
                                    {"flow", login->flow},
                                    {"isDefault", is_default}});
        table.AddRow({is_default ? "*" : "",
                      alias,
                      login->username,
                      login->token.instance_url,
                      login->flow});
    }
    AddSfLogins(target, list, table);
    if (o.common.json) {
        PrintJsonResult(list, std::nullopt);
    } else if (table.Rows() == 0) {
        std::printf("No stored logins; run 'sfkit login web' first.\n");
    } else {
        std::fputs(table.Render(HumanCellLimit()).c_str(), stdout);
    }
    return kExitOk;
}

int RunOrgDisplay(const OrgOptions& o) {
    constexpr std::string_view kCommand = "org display";
    auto alias = ResolveTargetAlias(o.common.alias);
    if (!alias) {
        return ReportError(alias.error(), o.common.json, kCommand);
    }
    auto store = OpenStore();
    if (!store) {
        return ReportError(store.error(), o.common.json, kCommand);
    }
    auto login = LoadLogin(*store, *alias);
    if (!login) {
        return ReportError(login.error(), o.common.json, kCommand);
    }
    const std::string status = ConnectedStatus(*login, o.common);
    const client::Token& t = login->token;
    const std::string version(client::kDefaultApiVersion);
    if (o.common.json) {
        PrintJsonResult(json::object{{"alias", *alias},
                                     {"instanceUrl", t.instance_url},
                                     {"username", login->username},
                                     {"orgId", t.org_id},
                                     {"userId", t.user_id},
                                     {"apiVersion", version},
                                     {"accessToken", t.access_token},
                                     {"clientId", login->client_id},
                                     {"flow", login->flow},
                                     {"connectedStatus", status}},
                        std::nullopt);
        return kExitOk;
    }
    Table table({{"KEY"}, {"VALUE"}});
    table.AddRow({"Alias", *alias});
    table.AddRow({"Instance Url", t.instance_url});
    table.AddRow({"Username", login->username});
    table.AddRow({"Org Id", t.org_id});
    table.AddRow({"User Id", t.user_id});
    table.AddRow({"Api Version", version});
    table.AddRow({"Access Token", t.access_token});
    table.AddRow({"Client Id", login->client_id});
    table.AddRow({"Connected Status", status});
    std::fputs(table.Render().c_str(), stdout);
    return kExitOk;
}

int RunLogout(const LogoutOptions& o) {
    constexpr std::string_view kCommand = "logout";
    auto store = OpenStore();
    if (!store) {
        return ReportError(store.error(), o.common.json, kCommand);
    }
    std::vector<std::string> aliases;
    if (o.all) {
        aliases = store->List();
    } else {
        auto alias = ResolveTargetAlias(o.common.alias);
        if (!alias) {
            return ReportError(alias.error(), o.common.json, kCommand);
        }
        aliases.push_back(*alias);
    }
    json::array done;
    for (const auto& alias : aliases) {
        auto login = store->Load(alias);
        if (!login) {
            return ReportError(login.error(), o.common.json, kCommand);
        }
        // Revoking the refresh token also ends the access tokens issued from it.
        const std::string& token = login->token.refresh_token.empty() ? login->token.access_token
                                                                      : login->token.refresh_token;
        const std::string failed = Revoke(*login, token, o.common);
        if (!failed.empty()) {
            Warn("could not revoke the token of '" + alias + "': " + failed);
        }
        if (auto removed = store->Remove(alias); !removed) {
            return ReportError(removed.error(), o.common.json, kCommand);
        }
        done.emplace_back(alias);
        if (!o.common.json) {
            std::printf("Logged out of '%s'.\n", alias.c_str());
        }
    }
    if (o.common.json) {
        std::printf("%s\n",
                    json::serialize(
                        json::object{{"status", 0}, {"result", done}, {"warnings", WarningsJson()}})
                        .c_str());
    }
    return kExitOk;
}

int RunConfigSet(const ConfigSetOptions& o) {
    constexpr std::string_view kCommand = "config set";
    if (o.key != "target-org") {
        return ReportError(MakeError(ErrorKind::kInvalidArgument,
                                     "UNKNOWN_CONFIG_KEY",
                                     "unknown setting '" + o.key + "' (known: target-org)"),
                           o.common.json,
                           kCommand);
    }
    auto alias = ResolveAlias(o.value);
    if (!alias) {
        return ReportError(alias.error(), o.common.json, kCommand);
    }
    if (auto saved = SaveDefaultTargetOrg(*alias); !saved) {
        return ReportError(saved.error(), o.common.json, kCommand);
    }
    if (o.common.json) {
        PrintJsonResult(json::object{{"target-org", *alias}}, std::nullopt);
    } else {
        std::printf("target-org set to '%s'.\n", alias->c_str());
    }
    return kExitOk;
}

}  // namespace sfkit::cli
