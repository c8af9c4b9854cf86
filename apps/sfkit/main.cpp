// sfkit command line: parses flags with CLI11 (with cli_meta.cpp, which reads the App built here,
// the only CLI11 translation units) and hands plain option structs to the commands in cmd_*.cpp.
// Nothing here touches the network.
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "sfkit/version.hpp"

#include "cli_meta.hpp"
#include "client_support.hpp"
#include "commands.hpp"

namespace {

using namespace sfkit::cli;

void AddCommonFlags(CLI::App* cmd, ClientCommonOptions& common, bool writes_alias) {
    cmd->add_flag(
        "--json", common.json, "Print a JSON envelope on stdout ({\"status\":0,\"result\":...})");
    cmd->add_option("-o,--alias,--target-org",
                    common.alias,
                    writes_alias ? "Alias to store the login under (default: default)"
                                 : "Stored login to use (default: SFKIT_TARGET_ORG, else the "
                                   "target-org setting, else default)");
    cmd->add_option(
           "--timeout", common.timeout_seconds, "Give up on a request after this many seconds")
        ->capture_default_str()
        ->check(CLI::Range(1u, 86400u));
    cmd->add_option("--ca-file",
                    common.ca_file,
                    "PEM file of CA certificates to trust (e.g. a local org's certificate)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--max-retries",
                    common.max_retries,
                    "Retries of a request that failed in a way worth retrying (0: none)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 20u));
    cmd->add_flag(
        "--verbose", common.verbose, "Trace HTTP on stderr, secrets redacted (also SFKIT_DEBUG=1)");
}

void AddRestFlags(CLI::App* cmd, bool& xml, std::string& api_version, const char* xml_help) {
    cmd->add_flag("--xml", xml, xml_help);
    cmd->add_option("--api-version", api_version, "API version, e.g. 60.0 (default), or 'latest'");
}

constexpr const char* kDataHelp =
    "Field values: a JSON object, an XML document (<Account>...</Account>), @file, or @- for "
    "stdin";

constexpr const char* kValuesHelp =
    "Field values as FIELD=VALUE pairs, e.g. \"Name='Acme Inc' Industry=Energy\" (instead of "
    "--data)";

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

/// A command-line mistake: `ERROR <name>: <message>` on stderr or, with --json, only the error
/// envelope on stdout. Exit 2.
int UsageError(
    CLI::App& app, int argc, char** argv, const std::string& name, const std::string& message) {
    sfkit::Error e;
    e.kind = sfkit::ErrorKind::kInvalidArgument;
    e.code = name;
    e.message = message;
    return ReportError(e, WantsJson(argc, argv), CommandPath(app, argc, argv));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "sfkit: the Salesforce API from the command line, plus a local org to run it against"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("sfkit ") + SFKIT_VERSION_STRING);
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
    auto* in_memory =
        serve_cmd->add_flag("--in-memory", serve.org.in_memory, "Keep the org in memory only")
            ->excludes(data_dir);
    serve_cmd
        ->add_option("--database",
                     serve.org.database,
                     "Keep the org on PostgreSQL: a libpq URI (postgresql://user@host:port/db) "
                     "or keyword string; several nodes may serve one org (docs/architecture.md)")
        ->envname("SFKIT_DATABASE")
        ->excludes(in_memory);
    serve_cmd
        ->add_option("--org-def",
                     serve.org.org_def_file,
                     "Org definition file (JSON, see docs/org-definition.md)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option(
        "--threads", serve.threads, "I/O threads (default 0: one per core; see docs/cli.md)");
    serve_cmd->add_option("--write-threads",
                          serve.write_threads,
                          "Threads where writes wait for their commit; as many writes can share "
                          "one commit (default 0: 64; see docs/cli.md)");
    serve_cmd
        ->add_option("--bulk-query-page-rows",
                     serve.org.bulk_query_page_rows,
                     "Rows of a Bulk 2.0 query results page when the client gives no maxRecords")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--bulk-chunk-rows",
                     serve.org.bulk_chunk_rows,
                     "Rows per transaction when a Bulk ingest job is processed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--bulk-lease-ms",
                     serve.bulk_lease_ms,
                     "How long a node's claim on a Bulk job lasts without renewal (each chunk "
                     "renews it): another node takes over the job of a node that died after it")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option(
            "--bulk-poll-ms", serve.bulk_poll_ms, "How often the node looks for Bulk jobs to claim")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--header-timeout",
                     serve.header_timeout_seconds,
                     "Seconds a client has to send a complete request header (counted from "
                     "connecting; on a kept-alive connection from the request's first byte); a "
                     "connection that sends nothing is closed after it")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--keep-alive-timeout",
                     serve.keep_alive_timeout_seconds,
                     "Seconds a connection may stay idle between two requests")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve_cmd
        ->add_option("--max-connections",
                     serve.max_connections,
                     "Open connections at most; more wait in the listen backlog (0: the "
                     "descriptor limit minus 64)")
        ->capture_default_str();
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
    double query_seconds = static_cast<double>(serve.org.query_time_limit.count()) / 1000.0;
    serve_cmd
        ->add_option("--query-time-limit",
                     query_seconds,
                     "Seconds a query or search may run before it answers QUERY_TIMEOUT")
        ->check(CLI::Range(0.001, 86400.0))
        ->capture_default_str();
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

    LoginJwtOptions lj;
    auto* lj_cmd = login_cmd->add_subcommand(
        "jwt", "OAuth 2.0 JWT bearer flow (an assertion signed with the app's private key)");
    lj_cmd->add_option("--login-url",
                       lj.login_url,
                       "https://login.salesforce.com (default), https://test.salesforce.com, a My "
                       "Domain, or a local org URL; 'test' and 'login' are shortcuts");
    lj_cmd->add_option("--client-id", lj.client_id, "Connected app consumer key (the JWT's iss)");
    lj_cmd->add_option("--username", lj.username, "Salesforce username (the JWT's sub)");
    lj_cmd->add_option("--jwt-key-file",
                       lj.key_file,
                       "PEM RSA private key whose certificate the connected app holds");
    lj_cmd->add_option("--audience",
                       lj.audience,
                       "The JWT's aud (default: login/test.salesforce.com for Salesforce hosts, "
                       "else the login URL)");
    lj_cmd
        ->add_option("--env-file", lj.env_file, "Settings file to read (default ./.env if present)")
        ->check(CLI::ExistingFile);
    AddCommonFlags(lj_cmd, lj.common, true);
    lj_cmd->footer(kEnvFooter);

    constexpr const char* kInstanceUrlHelp =
        "https://login.salesforce.com (default), https://test.salesforce.com, a My Domain, or a "
        "local org such as http://127.0.0.1:8080; 'test' and 'login' are shortcuts";
    constexpr const char* kCliAppFooter =
        "Without --client-id the public CLI app 'PlatformCLI' is used: every local org has it\n"
        "built in (no secret, PKCE, callback http://localhost:1717/OauthRedirect). The token\n"
        "and refresh token are stored in $XDG_CONFIG_HOME/sfkit/logins/<alias>.json (mode 0600).";
    LoginWebOptions lw;
    auto* lw_cmd = login_cmd->add_subcommand(
        "web", "Log in in the browser: OAuth 2.0 web-server flow with PKCE (the daily login)");
    lw_cmd->add_option("-r,--instance-url", lw.instance_url, kInstanceUrlHelp);
    lw_cmd->add_option(
        "--client-id", lw.client_id, "Connected app consumer key (default: PlatformCLI)");
    lw_cmd->add_option(
        "--client-secret", lw.client_secret, "Connected app consumer secret, if the app needs it");
    lw_cmd
        ->add_option("--port",
                     lw.port,
                     "Loopback port of the callback http://localhost:PORT/OauthRedirect (0: any "
                     "free port, which only apps allowing any loopback port accept)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 65535u));
    lw_cmd->add_flag("--no-browser",
                     lw.no_browser,
                     "Do not open a browser; open the URL printed on stderr yourself");
    lw_cmd->add_option("--scopes", lw.scopes, "Space-separated OAuth scopes to ask for")
        ->capture_default_str();
    AddCommonFlags(lw_cmd, lw.common, true);
    lw_cmd->footer(kCliAppFooter);

    LoginDeviceOptions ld;
    auto* ld_cmd = login_cmd->add_subcommand(
        "device", "Log in with a code entered in a browser elsewhere: OAuth 2.0 device flow");
    ld_cmd->add_option("-r,--instance-url", ld.instance_url, kInstanceUrlHelp);
    ld_cmd->add_option(
        "--client-id", ld.client_id, "Connected app consumer key (default: PlatformCLI)");
    ld_cmd->add_option(
        "--client-secret", ld.client_secret, "Connected app consumer secret, if the app needs it");
    ld_cmd->add_option("--scopes", ld.scopes, "Space-separated OAuth scopes to ask for")
        ->capture_default_str();
    AddCommonFlags(ld_cmd, ld.common, true);
    ld_cmd->footer(kCliAppFooter);

    // ---- org list / org display / logout / config set ----------------------------------------
    auto* org_cmd = app.add_subcommand("org", "The stored logins (orgs)");
    org_cmd->require_subcommand(1);
    OrgOptions org_list, org_display;
    auto* org_list_cmd = org_cmd->add_subcommand("list", "List the stored logins (* = default)");
    org_list_cmd->add_flag("--json", org_list.common.json, "Print a JSON envelope on stdout");
    auto* org_display_cmd = org_cmd->add_subcommand(
        "display", "Show a stored login: URL, username, ids, token, and whether it still works");
    AddCommonFlags(org_display_cmd, org_display.common, false);
    LogoutOptions logout;
    auto* logout_cmd = app.add_subcommand(
        "logout", "Revoke a stored login's token at the org, then forget the login");
    AddCommonFlags(logout_cmd, logout.common, false);
    logout_cmd->add_flag("--all", logout.all, "Log out of every stored login")->excludes("--alias");
    ConfigSetOptions config_set;
    auto* config_cmd = app.add_subcommand("config", "CLI settings");
    config_cmd->require_subcommand(1);
    auto* config_set_cmd = config_cmd->add_subcommand(
        "set", "Set a setting: target-org ALIAS (the login used without -o)");
    config_set_cmd->add_option("key", config_set.key, "target-org")->required();
    config_set_cmd->add_option("value", config_set.value, "The value")->required();
    config_set_cmd->add_flag("--json", config_set.common.json, "Print a JSON envelope on stdout");

    // ---- create / get ------------------------------------------------------------------------
    CreateOptions create;
    auto* create_cmd =
        app.add_subcommand("create", "Create one record (REST POST /sobjects/SOBJECT)");
    create_cmd->add_option("sobject", create.sobject, "sObject name, e.g. Account")->required();
    create_cmd->add_option("-v,--values", create.values, kValuesHelp)
        ->excludes(create_cmd->add_option("-d,--data", create.data, kDataHelp));
    AddRestFlags(create_cmd,
                 create.xml,
                 create.api_version,
                 "Talk XML on the wire (implied when --data is XML)");
    AddCommonFlags(create_cmd, create.common, false);

    GetOptions get;
    auto* get_cmd = app.add_subcommand(
        "get", "Read one record (REST GET /sobjects/SOBJECT/ID, or by external id)");
    get_cmd->add_option("sobject", get.sobject, "sObject name, e.g. Account")->required();
    auto* get_id = get_cmd->add_option("id", get.id, "Record id (15 or 18 characters)");
    get_cmd
        ->add_option("--external-id",
                     get.external_id,
                     "Read the record whose external id FIELD has VALUE (instead of an id)")
        ->expected(2)
        ->type_name("FIELD VALUE")
        ->excludes(get_id);
    get_cmd->add_option("--fields", get.fields, "Comma-separated fields to return (default: all)");
    AddRestFlags(get_cmd, get.xml, get.api_version, "Ask for XML on the wire");
    AddCommonFlags(get_cmd, get.common, false);

    // ---- update / delete / upsert ------------------------------------------------------------
    UpdateOptions update;
    auto* update_cmd =
        app.add_subcommand("update", "Update one record (REST PATCH /sobjects/SOBJECT/ID)");
    update_cmd->add_option("sobject", update.sobject, "sObject name, e.g. Account")->required();
    update_cmd->add_option("id", update.id, "Record id (15 or 18 characters)")->required();
    update_cmd->add_option("-v,--values", update.values, kValuesHelp)
        ->excludes(update_cmd->add_option(
            "-d,--data", update.data, std::string(kDataHelp) + "; only the fields to change"));
    AddRestFlags(update_cmd,
                 update.xml,
                 update.api_version,
                 "Talk XML on the wire (implied when --data is XML)");
    AddCommonFlags(update_cmd, update.common, false);

    DeleteOptions del;
    auto* delete_cmd =
        app.add_subcommand("delete", "Delete one record (REST DELETE /sobjects/SOBJECT/ID)");
    delete_cmd->add_option("sobject", del.sobject, "sObject name, e.g. Account")->required();
    delete_cmd->add_option("id", del.id, "Record id (15 or 18 characters)")->required();
    AddRestFlags(delete_cmd, del.xml, del.api_version, "Ask for XML error answers");
    AddCommonFlags(delete_cmd, del.common, false);

    UpsertOptions upsert;
    auto* upsert_cmd =
        app.add_subcommand("upsert",
                           "Insert or update the record whose external id matches (REST PATCH "
                           "/sobjects/SOBJECT/FIELD/VALUE)");
    upsert_cmd->add_option("sobject", upsert.sobject, "sObject name, e.g. Account")->required();
    upsert_cmd->add_option("field", upsert.field, "External id field, e.g. External_Id__c")
        ->required();
    upsert_cmd->add_option("value", upsert.value, "External id value to match")->required();
    upsert_cmd->add_option("-d,--data", upsert.data, kDataHelp)->required();
    AddRestFlags(upsert_cmd,
                 upsert.xml,
                 upsert.api_version,
                 "Talk XML on the wire (implied when --data is XML)");
    AddCommonFlags(upsert_cmd, upsert.common, false);
    upsert_cmd->footer(
        "Prints 'Created' (HTTP 201) or 'Updated' (200; 204 before API 46.0, which does not say "
        "the id).\nSeveral records with that external id (HTTP 300): exit 1, their URLs listed.");

    // ---- metadata and limits -----------------------------------------------------------------
    SObjectsOptions sobjects;
    auto* sobjects_cmd = app.add_subcommand(
        "sobjects", "List the org's objects (REST GET /sobjects, describeGlobal)");
    sobjects_cmd->add_flag("--custom", sobjects.custom_only, "Only custom objects");
    sobjects_cmd->add_option(
        "--match", sobjects.match, "Only objects whose name or label contains this (any case)");
    AddRestFlags(sobjects_cmd, sobjects.xml, sobjects.api_version, "Ask for XML on the wire");
    AddCommonFlags(sobjects_cmd, sobjects.common, false);

    DescribeOptions describe;
    auto* describe_cmd = app.add_subcommand(
        "describe", "Describe one object: fields, types, relationships (REST GET .../describe)");
    describe_cmd->add_option("sobject", describe.sobject, "sObject name, e.g. Account")->required();
    describe_cmd->add_flag("--fields",
                           describe.fields_only,
                           "Only the field table (with --json: only the fields array)");
    AddRestFlags(describe_cmd,
                 describe.xml,
                 describe.api_version,
                 "Ask for XML on the wire (--json values then arrive as text)");
    AddCommonFlags(describe_cmd, describe.common, false);

    LimitsOptions limits;
    auto* limits_cmd = app.add_subcommand(
        "limits", "Show the org's limits and how much is used (REST GET /limits)");
    limits_cmd
        ->add_option("--record-count",
                     limits.record_count,
                     "Show record counts instead: comma-separated objects, or 'all'")
        ->type_name("SOBJECTS");
    AddRestFlags(limits_cmd, limits.xml, limits.api_version, "Ask for XML on the wire");
    AddCommonFlags(limits_cmd, limits.common, false);

    // ---- query -------------------------------------------------------------------------------
    QueryOptions query;
    auto* query_cmd = app.add_subcommand(
        "query", "Run a SOQL query and print every record of every page (REST GET /query)");
    query_cmd->add_option("soql", query.soql, "The SOQL query, @file, or @- for stdin")->required();
    query_cmd->add_flag(
        "--all-rows", query.all_rows, "Include deleted and archived records (queryAll)");
    query_cmd
        ->add_option("-r,--result-format", query.result_format, "Output format: human, csv or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"human", "csv", "json"}));
    query_cmd->add_option("--output-file",
                          query.output_file,
                          "Write the result to this file (complete when the command succeeds)");
    query_cmd
        ->add_option("--batch-size",
                     query.batch_size,
                     "Records per page to ask for (200-2000; a hint, default 2000)")
        ->check(CLI::Range(1, 100000));
    AddRestFlags(query_cmd,
                 query.xml,
                 query.api_version,
                 "Ask for XML on the wire (values then arrive as text)");
    AddCommonFlags(query_cmd, query.common, false);
    query_cmd->footer(
        "Pages are fetched as they are written, so memory stays flat however many rows come back.\n"
        "human: an aligned table of the selected fields (parent fields as Account.Name; child\n"
        "  subqueries as their number of records), column widths taken from the first page, then\n"
        "  'Total number of records retrieved: N.'\n"
        "csv:   RFC 4180 (CRLF line ends, a header row; child subqueries as a JSON array).\n"
        "json:  the records array, one record per line, attributes included.\n"
        "SELECT COUNT() prints the count. --json prints {\"status\":0,\"result\":{\"records\":\n"
        "[...],\"totalSize\":N,\"done\":true},\"warnings\":[]} instead (records written to\n"
        "--output-file are left out of it). Exit 1 on a query error, with the error on stderr\n"
        "(with --json: in the envelope only). A progress line goes to stderr when it is a\n"
        "terminal and the records go elsewhere.");

    // ---- search ------------------------------------------------------------------------------
    SearchOptions search;
    auto* search_cmd = app.add_subcommand(
        "search", "Run a SOSL search and print the records found (REST GET /search)");
    search_cmd
        ->add_option("sosl",
                     search.sosl,
                     "The SOSL statement (FIND {term} [IN ...] [RETURNING ...]), @file, or @- "
                     "for stdin")
        ->required();
    search_cmd
        ->add_option("-r,--result-format", search.result_format, "Output format: human or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"human", "json"}));
    AddRestFlags(search_cmd,
                 search.xml,
                 search.api_version,
                 "Ask for XML on the wire (values then arrive as text)");
    AddCommonFlags(search_cmd, search.common, false);
    search_cmd->footer(
        "human: one table per object, in RETURNING order, then 'Total number of records found: "
        "N.'\n"
        "json:  the searchRecords array, one record per line, attributes included.\n"
        "Reserved characters inside the braces (? & | ! { } [ ] ( ) ^ ~ * : \\ \" ' + -) need a\n"
        "backslash unless meant as operators or wildcards. Exit 1 on a search error.");

    // ---- api ---------------------------------------------------------------------------------
    ApiOptions api;
    auto* api_cmd = app.add_subcommand(
        "api", "Send any REST request with the stored token and print the answer as received");
    api_cmd->add_option("method", api.method, "GET, POST, PATCH, PUT, DELETE or HEAD")->required();
    api_cmd
        ->add_option("path",
                     api.path,
                     "An absolute URL, a path such as /services/data/v60.0/limits, or one "
                     "relative to /services/data/vXX.X/ such as limits or sobjects/Account")
        ->required();
    api_cmd->add_option("-d,--data", api.data, "Request body: text, @file, or @- for stdin");
    api_cmd
        ->add_option("-H,--header",
                     api.headers,
                     "Extra header 'Name: value' (repeatable); replaces the default Accept, "
                     "Content-Type or Authorization")
        ->type_name("'NAME: VALUE'");
    api_cmd->add_flag("-i,--include", api.include, "Print the status line and headers first");
    api_cmd->add_option(
        "--api-version", api.api_version, "Version for relative paths, e.g. 60.0 (default)");
    AddCommonFlags(api_cmd, api.common, false);
    api_cmd->footer(
        "Accept is application/json unless a --header says otherwise; a body's Content-Type is\n"
        "guessed (XML when it starts with '<', else JSON). Exit 1 on HTTP >= 400 (the body is\n"
        "still printed on stdout, the error on stderr). --json wraps the answer as\n"
        "{\"statusCode\",\"headers\",\"body\"} in the usual envelope.");

    // ---- bulk (Bulk API 2.0) ------------------------------------------------------------------
    auto* bulk_cmd = app.add_subcommand(
        "bulk", "Bulk API 2.0: load or export many records through CSV files (docs/cli.md)");
    bulk_cmd->require_subcommand(1);
    constexpr const char* kWaitHelp =
        "Minutes to wait for the job to finish (0: as --async); past it the job goes on and "
        "the command exits 69 saying how to resume";
    constexpr const char* kDelimiterHelp =
        "Column delimiter of the CSV: BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON or TAB "
        "(default: found in the file's first line)";
    std::vector<BulkIngestOptions> ingest(4);
    std::vector<CLI::App*> ingest_cmds;
    const char* ingest_names[] = {"import", "update", "upsert", "delete"};
    const char* ingest_help[] = {
        "Insert the records of a CSV file (a Bulk API 2.0 insert job)",
        "Update records by Id from a CSV file (a Bulk API 2.0 update job)",
        "Insert or update records by an external id from a CSV file (upsert job)",
        "Delete the records whose Id is in a CSV file (delete or hardDelete job)"};
    for (std::size_t i = 0; i < 4; ++i) {
        BulkIngestOptions& b = ingest[i];
        b.operation = i == 0 ? "insert" : ingest_names[i];
        auto* c = bulk_cmd->add_subcommand(ingest_names[i], ingest_help[i]);
        auto* job_id = c->add_option("--job-id",
                                     b.job_id,
                                     "Pick up a job started with --async: wait for it and "
                                     "report (no --file)");
        c->add_option("-s,--sobject", b.sobject, "sObject name, e.g. Account")->excludes(job_id);
        c->add_option("-f,--file", b.file, "CSV file: a header row of field names, then rows")
            ->check(CLI::ExistingFile)
            ->excludes(job_id);
        if (i == 2) {
            c->add_option("-i,--external-id", b.external_id, "External id field to match on")
                ->excludes(job_id);
        }
        if (i == 3) {
            c->add_flag("--hard-delete",
                        b.hard_delete,
                        "hardDelete: skip the recycle bin (needs the Bulk API Hard Delete "
                        "permission)");
        }
        auto* wait = c->add_option("-w,--wait", b.wait_minutes, kWaitHelp)
                         ->capture_default_str()
                         ->check(CLI::Range(0.0, 10080.0));
        c->add_flag("--async", b.async, "Create, upload and close the job, then exit")
            ->excludes(wait);
        c->add_option("--line-ending", b.line_ending, "Line ending of the CSV: LF or CRLF")
            ->check(CLI::IsMember({"LF", "CRLF"}));
        if (i != 3) {
            c->add_option("--column-delimiter", b.column_delimiter, kDelimiterHelp);
        }
        c->add_option("--api-version", b.api_version, "API version, e.g. 60.0 (default)");
        AddCommonFlags(c, b.common, false);
        c->footer(
            "The file is streamed to the org (any size, constant memory), the job closed and\n"
            "polled until it ends. A progress line goes to stderr when it is a terminal.\n"
            "Failed rows (with sf__Error) are written to <job id>-failed-records.csv and the\n"
            "path printed; the command then exits 1. --json prints {jobId, state,\n"
            "processedRecords, successfulRecords, failedRecords[, failedResultsFile]}.");
        ingest_cmds.push_back(c);
    }

    BulkExportOptions bexport;
    auto* export_cmd = bulk_cmd->add_subcommand(
        "export", "Export the records of a SOQL query to a CSV or JSON file (Bulk API 2.0 query)");
    auto* export_job = export_cmd->add_option(
        "--job-id", bexport.job_id, "Pick up a query job started with --async");
    auto* export_query =
        export_cmd->add_option("-q,--query", bexport.query, "The SOQL query")->excludes(export_job);
    export_cmd->add_option("--query-file", bexport.query_file, "A file holding the SOQL query")
        ->check(CLI::ExistingFile)
        ->excludes(export_query)
        ->excludes(export_job);
    export_cmd->add_option("--output-file", bexport.output_file, "File to write the records to")
        ->required();
    export_cmd->add_option("-r,--result-format", bexport.result_format, "csv or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"csv", "json"}));
    export_cmd->add_flag(
        "--all-rows", bexport.all_rows, "Include deleted and archived records (queryAll)");
    auto* export_wait = export_cmd->add_option("-w,--wait", bexport.wait_minutes, kWaitHelp)
                            ->capture_default_str()
                            ->check(CLI::Range(0.0, 10080.0));
    export_cmd->add_flag("--async", bexport.async, "Create the query job, then exit")
        ->excludes(export_wait);
    export_cmd->add_option("--line-ending", bexport.line_ending, "Line ending: LF or CRLF")
        ->check(CLI::IsMember({"LF", "CRLF"}));
    export_cmd->add_option(
        "--column-delimiter", bexport.column_delimiter, "Column delimiter of the CSV (COMMA)");
    export_cmd->add_option("--api-version", bexport.api_version, "API version (default 60.0)");
    AddCommonFlags(export_cmd, bexport.common, false);
    export_cmd->footer(
        "Every results page is streamed into the file (written under a temporary name and\n"
        "moved into place when complete), so memory stays flat whatever the row count.\n"
        "csv: the header row once, then every row as the org sent it. json: an array of\n"
        "objects keyed by the CSV header, one per line; empty values become null.");

    BulkJobOptions bstatus;
    auto* status_cmd =
        bulk_cmd->add_subcommand("status", "Show the state and counters of a bulk job");
    status_cmd->add_option("--job-id", bstatus.job_id, "Job id (750...)")->required();
    status_cmd->add_option("--api-version", bstatus.api_version, "API version (default 60.0)");
    AddCommonFlags(status_cmd, bstatus.common, false);

    BulkJobOptions bresults;
    auto* results_cmd = bulk_cmd->add_subcommand(
        "results", "Save the successful, failed and unprocessed rows of an ingest job to files");
    results_cmd->add_option("--job-id", bresults.job_id, "Job id (750...)")->required();
    results_cmd->add_option("--api-version", bresults.api_version, "API version (default 60.0)");
    AddCommonFlags(results_cmd, bresults.common, false);
    results_cmd->footer(
        "Writes <job id>-success-records.csv, plus <job id>-failed-records.csv when rows\n"
        "failed and <job id>-unprocessed-records.csv when the job Failed or was Aborted.");

    // ---- completion ----------------------------------------------------------------------------
    std::string completion_shell;
    auto* completion_cmd =
        app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
    completion_cmd->add_option("shell", completion_shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    completion_cmd->footer(
        "bash: source <(sfkit completion bash)   (e.g. in ~/.bashrc)\n"
        "zsh:  source <(sfkit completion zsh)    (after compinit, e.g. in ~/.zshrc)\n"
        "fish: sfkit completion fish | source    (or save as "
        "~/.config/fish/completions/sfkit.fish)");

    SetJsonOutput(WantsJson(argc, argv));
    if (const std::string unknown = CheckCommandWords(app, argc, argv); !unknown.empty()) {
        return UsageError(app, argc, argv, "UnknownCommand", unknown);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) {
            return app.exit(e);  // --help, --version
        }
        if (const std::string flag = CheckFlagWords(app, argc, argv); !flag.empty()) {
            return UsageError(app, argc, argv, "UnknownFlag", flag);
        }
        if (!WantsJson(argc, argv)) {
            app.exit(e);  // CLI11's message and hint on stderr
            return kExitUsage;
        }
        return UsageError(app, argc, argv, e.get_name(), e.what());
    }
    if (completion_cmd->parsed()) {
        std::fputs(CompletionScript(app, completion_shell, "sfkit").c_str(), stdout);
        return kExitOk;
    }
    if (serve_cmd->parsed()) {
        serve.org.session_timeout = std::chrono::seconds(session_seconds);
        serve.org.query_time_limit =
            std::chrono::milliseconds(static_cast<long long>(query_seconds * 1000.0));
        return RunServe(serve);
    }
    if (lp_cmd->parsed()) {
        return RunLoginPassword(lp);
    }
    if (lc_cmd->parsed()) {
        return RunLoginClientCredentials(lc);
    }
    if (lj_cmd->parsed()) {
        return RunLoginJwt(lj);
    }
    if (lw_cmd->parsed()) {
        return RunLoginWeb(lw);
    }
    if (ld_cmd->parsed()) {
        return RunLoginDevice(ld);
    }
    if (org_list_cmd->parsed()) {
        return RunOrgList(org_list);
    }
    if (org_display_cmd->parsed()) {
        return RunOrgDisplay(org_display);
    }
    if (logout_cmd->parsed()) {
        return RunLogout(logout);
    }
    if (config_set_cmd->parsed()) {
        return RunConfigSet(config_set);
    }
    if (create_cmd->parsed()) {
        return RunCreate(create);
    }
    if (get_cmd->parsed()) {
        return RunGet(get);
    }
    if (update_cmd->parsed()) {
        return RunUpdate(update);
    }
    if (delete_cmd->parsed()) {
        return RunDelete(del);
    }
    if (upsert_cmd->parsed()) {
        return RunUpsert(upsert);
    }
    if (sobjects_cmd->parsed()) {
        return RunSObjects(sobjects);
    }
    if (describe_cmd->parsed()) {
        return RunDescribe(describe);
    }
    if (limits_cmd->parsed()) {
        return RunLimits(limits);
    }
    if (query_cmd->parsed()) {
        return RunQuery(query);
    }
    if (search_cmd->parsed()) {
        return RunSearch(search);
    }
    if (api_cmd->parsed()) {
        return RunApi(api);
    }
    for (std::size_t i = 0; i < ingest_cmds.size(); ++i) {
        if (ingest_cmds[i]->parsed()) {
            return RunBulkIngest(ingest[i]);
        }
    }
    if (export_cmd->parsed()) {
        return RunBulkExport(bexport);
    }
    if (status_cmd->parsed()) {
        return RunBulkStatus(bstatus);
    }
    if (results_cmd->parsed()) {
        return RunBulkResults(bresults);
    }
    return kExitUsage;
}
