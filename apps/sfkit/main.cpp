// sfkit command line: parses flags with CLI11 (this is the only CLI11 translation unit) and
// hands plain option structs to the commands in cmd_*.cpp. Nothing here touches the network.
#include <cstring>

#include <CLI/CLI.hpp>

#include "codec/json.hpp"
#include "commands.hpp"

namespace {

using namespace sfkit::cli;

void AddCommonFlags(CLI::App* cmd, ClientCommonOptions& common, bool writes_alias) {
    cmd->add_flag(
        "--json", common.json, "Print a JSON envelope on stdout ({\"status\":0,\"result\":...})");
    cmd->add_option("-o,--alias",
                    common.alias,
                    writes_alias ? "Alias to store the login under (default: default)"
                                 : "Stored login to use (default: default)");
    cmd->add_option(
           "--timeout", common.timeout_seconds, "Give up on a request after this many seconds")
        ->capture_default_str()
        ->check(CLI::Range(1u, 86400u));
    cmd->add_option("--ca-file",
                    common.ca_file,
                    "PEM file of CA certificates to trust (e.g. a local org's certificate)")
        ->check(CLI::ExistingFile);
}

constexpr const char* kEnvFooter =
    "Settings not given as flags are read from SFKIT_CLIENT_ID, SFKIT_CLIENT_SECRET,\n"
    "SFKIT_USERNAME, SFKIT_PASSWORD, SFKIT_SECURITY_TOKEN and SFKIT_LOGIN_URL, then from the\n"
    ".env file (keys client_id, client_secret, username, password, security_token, login_url).\n"
    "The token is stored in $XDG_CONFIG_HOME/sfkit/logins/<alias>.json (mode 0600).";

bool WantsJson(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--json") == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "sfkit: the Salesforce API from the command line, plus a local org to run it against"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sfkit 0.1.0");
    app.footer(
        "Exit codes: 0 ok, 1 Salesforce error, 2 usage, 69 org unreachable. See docs/cli.md.");

    // ---- serve -------------------------------------------------------------------------------
    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "Run a local Salesforce-compatible org");
    serve_cmd->add_option("--host", serve.host, "Address to listen on")->capture_default_str();
    serve_cmd->add_option("--port", serve.port, "Port to listen on (0 picks a free one)")
        ->capture_default_str();
    auto* data_dir =
        serve_cmd
            ->add_option("--data-dir", serve.org.data_dir, "Directory holding the org's database")
            ->capture_default_str();
    serve_cmd->add_flag("--in-memory", serve.org.in_memory, "Keep the org in memory only")
        ->excludes(data_dir);
    serve_cmd
        ->add_option("--org-def",
                     serve.org.org_def_file,
                     "Org definition file (JSON, see docs/org-definition.md)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--threads", serve.threads, "I/O threads")->capture_default_str();
    serve_cmd->add_option("--tls-cert", serve.tls_cert, "PEM certificate; enables HTTPS")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--tls-key", serve.tls_key, "PEM private key for --tls-cert")
        ->check(CLI::ExistingFile);
    long long session_seconds = serve.org.session_timeout.count();
    serve_cmd->add_option("--session-timeout", session_seconds, "Access-token lifetime in seconds")
        ->capture_default_str();
    serve_cmd->add_option("--public-url",
                          serve.org.public_url,
                          "Instance URL to advertise (default: the URL clients use)");
    serve_cmd->add_option("--log-level", serve.log_level, "trace|debug|info|warn|error|off")
        ->capture_default_str();

    // ---- login -------------------------------------------------------------------------------
    auto* login_cmd =
        app.add_subcommand("login", "Log in to an org and store the token under an alias");
    login_cmd->require_subcommand(1);

    LoginPasswordOptions lp;
    auto* lp_cmd = login_cmd->add_subcommand(
        "password", "OAuth 2.0 username-password flow (password + security token)");
    lp_cmd->add_option("--login-url",
                       lp.login_url,
                       "https://login.salesforce.com (default), https://test.salesforce.com, a My "
                       "Domain, or a local org such as http://127.0.0.1:8080; 'test' and "
                       "'login' are shortcuts");
    lp_cmd->add_option("--client-id", lp.client_id, "Connected app consumer key");
    lp_cmd->add_option("--client-secret", lp.client_secret, "Connected app consumer secret");
    lp_cmd->add_option("--username", lp.username, "Salesforce username");
    lp_cmd->add_option(
        "--password", lp.password, "Password (prefer SFKIT_PASSWORD or .env: flags show up in ps)");
    lp_cmd->add_option(
        "--security-token", lp.security_token, "Security token, appended to the password");
    lp_cmd
        ->add_option("--env-file", lp.env_file, "Settings file to read (default ./.env if present)")
        ->check(CLI::ExistingFile);
    AddCommonFlags(lp_cmd, lp.common, true);
    lp_cmd->footer(kEnvFooter);

    LoginClientCredentialsOptions lc;
    auto* lc_cmd = login_cmd->add_subcommand(
        "client-credentials", "OAuth 2.0 client-credentials flow (the app's run-as user)");
    lc_cmd->add_option("--login-url",
                       lc.login_url,
                       "The org's My Domain URL (real orgs refuse this flow at login/test hosts), "
                       "or a local org URL");
    lc_cmd->add_option("--client-id", lc.client_id, "Connected app consumer key");
    lc_cmd->add_option("--client-secret", lc.client_secret, "Connected app consumer secret");
    lc_cmd->add_flag("--basic-auth",
                     lc.basic_auth,
                     "Send the client id and secret as HTTP Basic credentials, not form fields");
    lc_cmd
        ->add_option("--env-file", lc.env_file, "Settings file to read (default ./.env if present)")
        ->check(CLI::ExistingFile);
    AddCommonFlags(lc_cmd, lc.common, true);
    lc_cmd->footer(kEnvFooter);

    // ---- create / get ------------------------------------------------------------------------
    CreateOptions create;
    auto* create_cmd =
        app.add_subcommand("create", "Create one record (REST POST /sobjects/SOBJECT)");
    create_cmd->add_option("sobject", create.sobject, "sObject name, e.g. Account")->required();
    create_cmd
        ->add_option("-d,--data",
                     create.data,
                     "Field values: a JSON object, an XML document (<Account>...</Account>), "
                     "@file, or @- for stdin")
        ->required();
    create_cmd->add_flag("--xml", create.xml, "Talk XML on the wire (implied when --data is XML)");
    create_cmd->add_option(
        "--api-version", create.api_version, "API version, e.g. 60.0 (default), or 'latest'");
    AddCommonFlags(create_cmd, create.common, false);

    GetOptions get;
    auto* get_cmd = app.add_subcommand("get", "Read one record (REST GET /sobjects/SOBJECT/ID)");
    get_cmd->add_option("sobject", get.sobject, "sObject name, e.g. Account")->required();
    get_cmd->add_option("id", get.id, "Record id (15 or 18 characters)")->required();
    get_cmd->add_option("--fields", get.fields, "Comma-separated fields to return (default: all)");
    get_cmd->add_flag("--xml", get.xml, "Ask for XML on the wire");
    get_cmd->add_option(
        "--api-version", get.api_version, "API version, e.g. 60.0 (default), or 'latest'");
    AddCommonFlags(get_cmd, get.common, false);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        if (rc == 0) {
            return kExitOk;
        }
        if (WantsJson(argc, argv)) {
            std::string message;
            sfkit::codec::AppendJsonString(message, e.what());
            std::printf("{\"status\":2,\"name\":\"%s\",\"message\":%s,\"exitCode\":2}\n",
                        e.get_name().c_str(),
                        message.c_str());
        }
        return kExitUsage;
    }
    if (serve_cmd->parsed()) {
        serve.org.session_timeout = std::chrono::seconds(session_seconds);
        return RunServe(serve);
    }
    if (lp_cmd->parsed()) {
        return RunLoginPassword(lp);
    }
    if (lc_cmd->parsed()) {
        return RunLoginClientCredentials(lc);
    }
    if (create_cmd->parsed()) {
        return RunCreate(create);
    }
    if (get_cmd->parsed()) {
        return RunGet(get);
    }
    return kExitUsage;
}
