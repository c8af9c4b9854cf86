// `sfkit login web|device|password|client-credentials|jwt`: run an OAuth flow and store the token
// under an alias. Prints who and where, never the token.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <boost/json.hpp>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sfkit/client/loopback.hpp"
#include "sfkit/client/oauth.hpp"

#include "client_support.hpp"
#include "codec/json.hpp"
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
        r["refreshToken"] = !login.token.refresh_token.empty();  // whether one is stored
        r["file"] = file;
        PrintJsonResult(r, std::nullopt);
    } else {
        const std::string who = !login.username.empty() ? login.username
                                : login.flow == "client_credentials"
                                    ? "the connected app's run-as user"
                                    : "user " + login.token.user_id;
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

/// How long `login web` waits for the browser and `login device` for the approval.
constexpr std::chrono::minutes kInteractiveWait{10};

/// The username of a fresh token, from its identity URL (§A.8); "" when it cannot be read.
std::string IdentityUsername(client::Transport& transport, const client::Token& token) {
    if (token.id.empty()) {
        return {};
    }
    client::HttpRequest req;
    req.method = "GET";
    req.url = token.id;
    req.headers = {{"Authorization", "Bearer " + token.access_token},
                   {"Accept", "application/json"}};
    auto resp = transport.Send(req);
    if (!resp || resp->status != 200) {
        return {};
    }
    auto parsed = codec::ParseJson(resp->body);
    if (!parsed || !parsed->is_object()) {
        return {};
    }
    const auto* u = parsed->get_object().if_contains("username");
    return u != nullptr && u->is_string() ? std::string(u->get_string()) : std::string();
}

/// Opens `url` in the desktop's browser (xdg-open, or open on macOS), detached, output
/// discarded; failures are silent (the URL is printed anyway).
void OpenBrowser(const std::string& url) {
#ifdef __APPLE__
    const char* opener = "open";
#else
    const char* opener = "xdg-open";
#endif
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Double fork: the opener is reparented, so no zombie is left behind.
        if (::fork() != 0) {
            ::_exit(0);
        }
        ::setsid();
        const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        ::execlp(opener, opener, url.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    if (pid > 0) {
        ::waitpid(pid, nullptr, 0);
    }
}

/// The login URL and client of `login web` and `login device`.
struct InteractiveClient {
    std::string alias;
    std::string login_url;
    std::string client_id;
};

Result<InteractiveClient> ResolveInteractive(const ClientCommonOptions& common,
                                             const std::string& instance_url,
                                             const std::string& client_id) {
    InteractiveClient c;
    auto alias = ResolveAlias(common.alias);
    if (!alias) {
        return alias.error();
    }
    auto url = ResolveLoginUrl(instance_url);
    if (!url) {
        return url.error();
    }
    c.alias = *alias;
    c.login_url = *url;
    c.client_id = client_id.empty() ? std::string(client::kCliClientId) : client_id;
    return c;
}

}  // namespace

int RunLoginWeb(const LoginWebOptions& o) {
    constexpr std::string_view kCommand = "login web";
    const bool as_json = o.common.json;
    auto c = ResolveInteractive(o.common, o.instance_url, o.client_id);
    if (!c) {
        return ReportError(c.error(), as_json, kCommand);
    }
    auto listener = client::LoopbackListener::Open(static_cast<std::uint16_t>(o.port));
    if (!listener) {
        return ReportError(listener.error(), as_json, kCommand);
    }
    auto pkce = client::GeneratePkce();
    auto state = client::GeneratePkce();  // 64 random URL-safe characters
    if (!pkce || !state) {
        return ReportError(pkce ? state.error() : pkce.error(), as_json, kCommand);
    }
    client::AuthorizationCodeFlow flow;
    flow.login_url = c->login_url;
    flow.client_id = c->client_id;
    flow.client_secret = o.client_secret;
    flow.redirect_uri = listener->RedirectUri();
    flow.scope = o.scopes;
    flow.code_verifier = pkce->verifier;
    auto url = flow.AuthorizeUrl(state->verifier);
    if (!url) {
        return ReportError(url.error(), as_json, kCommand);
    }
    // Always printed (also over SSH, or when no browser opens): a label, then the URL alone.
    std::fprintf(stderr, "Log in to the org in your browser at:\n%s\n", url->c_str());
    std::fflush(stderr);
    if (!o.no_browser) {
        OpenBrowser(*url);
    }
    auto code = listener->WaitForCode(state->verifier, kInteractiveWait);
    if (!code) {
        return ReportError(code.error(), as_json, kCommand);
    }
    auto transport = MakeTransport(o.common);
    auto token = flow.ExchangeCode(*transport, *code);
    client::StoredLogin login;
    login.alias = c->alias;
    login.login_url = c->login_url;
    login.flow = "web";
    login.client_id = c->client_id;
    if (token) {
        login.username = IdentityUsername(*transport, *token);
    }
    return Finish(o.common, kCommand, std::move(token), {}, std::move(login));
}

int RunLoginDevice(const LoginDeviceOptions& o) {
    constexpr std::string_view kCommand = "login device";
    const bool as_json = o.common.json;
    auto c = ResolveInteractive(o.common, o.instance_url, o.client_id);
    if (!c) {
        return ReportError(c.error(), as_json, kCommand);
    }
    client::DeviceFlow flow;
    flow.login_url = c->login_url;
    flow.client_id = c->client_id;
    flow.client_secret = o.client_secret;
    flow.scope = o.scopes;
    auto transport = MakeTransport(o.common);
    auto auth = flow.Start(*transport);
    if (!auth) {
        return ReportError(auth.error(), as_json, kCommand);
    }
    std::fprintf(stderr,
                 "Enter the code %s at:\n%s\nWaiting for the approval...\n",
                 auth->user_code.c_str(),
                 auth->verification_uri.c_str());
    std::fflush(stderr);
    auto token = flow.Wait(*transport, *auth, kInteractiveWait);
    client::StoredLogin login;
    login.alias = c->alias;
    login.login_url = c->login_url;
    login.flow = "device";
    login.client_id = c->client_id;
    if (token) {
        login.username = IdentityUsername(*transport, *token);
    }
    return Finish(o.common, kCommand, std::move(token), {}, std::move(login));
}

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
    if (auto all =
            Settings::AllOf({&login_url, &client_id, &client_secret, &username, &password, &token});
        !all) {
        return ReportError(all.error(), as_json, kCommand);
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
    if (auto all = Settings::AllOf({&login_url, &client_id, &client_secret}); !all) {
        return ReportError(all.error(), as_json, kCommand);
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
    if (auto all = Settings::AllOf({&login_url, &client_id, &username, &key_file}); !all) {
        return ReportError(all.error(), as_json, kCommand);
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
    // The key's path (not the key), so that an expired session can be renewed (ConnectStored).
    std::error_code ec;
    login.jwt_key_file = std::filesystem::absolute(*key_file, ec).string();
    login.jwt_audience = o.audience;
    return Finish(o.common,
                  kCommand,
                  flow.Authenticate(*transport),
                  "check the username, that the app holds the certificate of this key, and that "
                  "the login URL is the right one for the org",
                  std::move(login));
}

}  // namespace sfkit::cli
