// `sfkit login password`, `sfkit login client-credentials` and `sfkit login jwt`: run an OAuth flow
// and store the token under an alias. Prints who and where, never the token.
#include <cstdio>

#include <boost/json.hpp>

#include "sfkit/client/oauth.hpp"

#include "client_support.hpp"
#include "commands.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

/// A login's outcome: its failure reported (with `invalid_grant_hint` added to an invalid_grant
/// message, since Salesforce's own text names the failed check only vaguely), or the token
/// stored under `login.alias` with the facts `login` already carries.
int Finish(const ClientCommonOptions& common,
           std::string_view command,
           Result<client::Token> result,
           std::string_view invalid_grant_hint,
           client::StoredLogin login) {
    if (!result) {
        Error e = result.error();
        if (!invalid_grant_hint.empty() && e.kind == ErrorKind::kAuth &&
            e.code == "invalid_grant") {
            e.message += " (" + std::string(invalid_grant_hint) + ")";
        }
        return ReportError(e, common.json, command);
    }
    login.token = *std::move(result);
    auto store = OpenStore();
    if (!store) {
        return ReportError(store.error(), common.json, command);
    }
    if (auto saved = store->Save(login); !saved) {
        return ReportError(saved.error(), common.json, command);
    }
    const std::string file = store->PathFor(login.alias);
    if (common.json) {
        json::object r;
        r["alias"] = login.alias;
        r["flow"] = login.flow;
        r["username"] = login.username;
        r["orgId"] = login.token.org_id;
        r["userId"] = login.token.user_id;
        r["instanceUrl"] = login.token.instance_url;
        r["loginUrl"] = login.login_url;
        r["scope"] = login.token.scope;
        r["issuedAt"] = login.token.issued_at;
        r["file"] = file;
        PrintJsonResult(r, std::nullopt);
    } else {
        const std::string who =
            login.username.empty() ? "the connected app's run-as user" : login.username;
        const std::string ids =
            login.token.org_id.empty()
                ? std::string()
                : " (org " + login.token.org_id + ", user " + login.token.user_id + ")";
        std::printf("Logged in to %s as %s%s.\nSaved as alias '%s' in %s\n",
                    login.token.instance_url.c_str(),
                    who.c_str(),
                    ids.c_str(),
                    login.alias.c_str(),
                    file.c_str());
    }
    return kExitOk;
}

}  // namespace

int RunLoginPassword(const LoginPasswordOptions& o) {
    constexpr std::string_view kCommand = "login password";
    const bool as_json = o.common.json;
    auto alias = ResolveAlias(o.common.alias);
    if (!alias) {
        return ReportError(alias.error(), as_json, kCommand);
    }
    Settings settings(o.env_file);
    auto login_url = settings.Get(o.login_url, "login_url");
    auto client_id = settings.Require(o.client_id, "client_id", "--client-id");
    auto client_secret = settings.Get(o.client_secret, "client_secret");
    auto username = settings.Require(o.username, "username", "--username");
    auto password = settings.Require(o.password, "password", "--password");
    auto token = settings.Get(o.security_token, "security_token");
    for (const auto* r : {&login_url, &client_id, &client_secret, &username, &password, &token}) {
        if (!*r) {
            return ReportError(r->error(), as_json, kCommand);
        }
    }
    auto url = ResolveLoginUrl(*login_url);
    if (!url) {
        return ReportError(url.error(), as_json, kCommand);
    }

    client::PasswordFlow flow;
    flow.login_url = *url;
    flow.client_id = *client_id;
    flow.client_secret = *client_secret;
    flow.username = *username;
    flow.password = *password;
    flow.security_token = *token;
    auto transport = MakeTransport(o.common);
    client::StoredLogin login;
    login.alias = *alias;
    login.login_url = *url;
    login.flow = "password";
    login.username = *username;
    login.client_id = *client_id;
    // The usual causes of invalid_grant (peers §4.1); Salesforce says "authentication failure".
    return Finish(o.common,
                  kCommand,
                  flow.Authenticate(*transport),
                  "check the username, the password and the security token appended to it, and "
                  "that the login URL is the right one for the org",
                  std::move(login));
}

int RunLoginClientCredentials(const LoginClientCredentialsOptions& o) {
    constexpr std::string_view kCommand = "login client-credentials";
    const bool as_json = o.common.json;
    auto alias = ResolveAlias(o.common.alias);
    if (!alias) {
        return ReportError(alias.error(), as_json, kCommand);
    }
    Settings settings(o.env_file);
    auto login_url = settings.Get(o.login_url, "login_url");
    auto client_id = settings.Require(o.client_id, "client_id", "--client-id");
    auto client_secret = settings.Require(o.client_secret, "client_secret", "--client-secret");
    for (const auto* r : {&login_url, &client_id, &client_secret}) {
        if (!*r) {
            return ReportError(r->error(), as_json, kCommand);
        }
    }
    auto url = ResolveLoginUrl(*login_url);
    if (!url) {
        return ReportError(url.error(), as_json, kCommand);
    }
    client::ClientCredentialsFlow flow;
    flow.login_url = *url;
    flow.client_id = *client_id;
    flow.client_secret = *client_secret;
    flow.use_basic_auth = o.basic_auth;
    auto transport = MakeTransport(o.common);
    client::StoredLogin login;
    login.alias = *alias;
    login.login_url = *url;
    login.flow = "client_credentials";
    login.client_id = *client_id;
    return Finish(o.common, kCommand, flow.Authenticate(*transport), {}, std::move(login));
}

int RunLoginJwt(const LoginJwtOptions& o) {
    constexpr std::string_view kCommand = "login jwt";
    const bool as_json = o.common.json;
    auto alias = ResolveAlias(o.common.alias);
    if (!alias) {
        return ReportError(alias.error(), as_json, kCommand);
    }
    Settings settings(o.env_file);
    auto login_url = settings.Get(o.login_url, "login_url");
    auto client_id = settings.Require(o.client_id, "client_id", "--client-id");
    auto username = settings.Require(o.username, "username", "--username");
    auto key_file = settings.Require(o.key_file, "jwt_key_file", "--jwt-key-file");
    for (const auto* r : {&login_url, &client_id, &username, &key_file}) {
        if (!*r) {
            return ReportError(r->error(), as_json, kCommand);
        }
    }
    auto url = ResolveLoginUrl(*login_url);
    if (!url) {
        return ReportError(url.error(), as_json, kCommand);
    }
    client::JwtBearerFlow flow;
    flow.login_url = *url;
    flow.client_id = *client_id;
    flow.username = *username;
    flow.private_key_file = *key_file;
    flow.audience = o.audience;
    auto transport = MakeTransport(o.common);
    client::StoredLogin login;
    login.alias = *alias;
    login.login_url = *url;
    login.flow = "jwt";
    login.username = *username;
    login.client_id = *client_id;
    return Finish(o.common,
                  kCommand,
                  flow.Authenticate(*transport),
                  "check the username, that the app holds the certificate of this key, and that "
                  "the login URL is the right one for the org",
                  std::move(login));
}

}  // namespace sfkit::cli
