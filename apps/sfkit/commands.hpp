// Entry points of the sfkit subcommands. Each takes plain option structs filled by main.cpp
// (the only CLI11 translation unit) and returns the process exit code (docs/cli.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/org/options.hpp"

namespace sfkit::cli {

/// Documented exit codes (mirroring the sf CLI where it has one).
enum ExitCode : int {
    kExitOk = 0,
    kExitError = 1,         ///< Salesforce answered with an error (API, auth)
    kExitUsage = 2,         ///< bad flags or arguments
    kExitUnavailable = 69,  ///< could not reach the org (connect, TLS, timeout)
    kExitInterrupted = 130,
};

struct ServeOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;                  ///< I/O threads; 0 = one per core (ServeThreads)
    unsigned write_threads = 0;            ///< threads where writes wait for their commit; 0 = 64
    unsigned header_timeout_seconds = 10;  ///< HttpServerOptions::header_timeout
    unsigned keep_alive_timeout_seconds = 60;  ///< HttpServerOptions::keep_alive_timeout
    std::size_t max_connections = 0;           ///< 0: derived from the descriptor limit
    std::string tls_cert;
    std::string tls_key;
    std::string log_level = "info";
    unsigned bulk_lease_ms = 30000;  ///< LocalOrgOptions::bulk_lease
    unsigned bulk_poll_ms = 1000;    ///< LocalOrgOptions::bulk_poll
    server::LocalOrgOptions org;
};

int RunServe(const ServeOptions& options);

/// The I/O thread count `sfkit serve` uses for `--threads requested`: as asked, or with 0 one per
/// core of this machine (at least 1).
unsigned ServeThreads(unsigned requested);

/// Flags every client command shares (docs/cli.md, "Common flags").
struct ClientCommonOptions {
    bool json = false;               ///< print the JSON envelope on stdout
    std::string alias;               ///< stored login to use or write; empty means "default"
    unsigned timeout_seconds = 120;  ///< whole-request limit (connect limit is 10 s)
    std::string ca_file;             ///< PEM bundle to trust (e.g. a local org's --tls-cert)
    unsigned max_retries = 3;        ///< transport retries (TransportOptions::retry)
    bool verbose = false;            ///< HTTP trace on stderr (also SFKIT_DEBUG=1)
};

/// `sfkit login password`. Empty strings mean "not given on the command line"; the command
/// then looks at SFKIT_* environment variables, then the .env file.
struct LoginPasswordOptions {
    ClientCommonOptions common;
    std::string login_url;
    std::string client_id;
    std::string client_secret;
    std::string username;
    std::string password;
    std::string security_token;
    std::string env_file;  ///< explicit .env path; default ./.env (optional)
};

/// `sfkit login client-credentials`.
struct LoginClientCredentialsOptions {
    ClientCommonOptions common;
    std::string login_url;
    std::string client_id;
    std::string client_secret;
    std::string env_file;
    bool basic_auth = false;  ///< send client id/secret as HTTP Basic credentials
};

/// `sfkit login jwt`: the JWT bearer flow, signed with the connected app's private key.
struct LoginJwtOptions {
    ClientCommonOptions common;
    std::string login_url;
    std::string client_id;
    std::string username;
    std::string key_file;  ///< PEM RSA private key
    std::string audience;  ///< empty: client::DefaultJwtAudience(login_url)
    std::string env_file;
};

/// `sfkit login web`: the web-server flow with PKCE through a loopback listener (the daily
/// login). Flags only; no SFKIT_* settings or .env are read.
struct LoginWebOptions {
    ClientCommonOptions common;
    std::string instance_url;   ///< empty: https://login.salesforce.com
    std::string client_id;      ///< empty: the CLI app (client::kCliClientId)
    std::string client_secret;  ///< optional
    unsigned port = 1717;       ///< loopback port of the callback; 0 picks a free one
    bool no_browser = false;
    std::string scopes = "api refresh_token";
};

/// `sfkit login device`: the device flow.
struct LoginDeviceOptions {
    ClientCommonOptions common;
    std::string instance_url;
    std::string client_id;
    std::string client_secret;
    std::string scopes = "api refresh_token";
};

/// `sfkit create SOBJECT --data ...`.
struct CreateOptions {
    ClientCommonOptions common;
    std::string sobject;
    std::string data;         ///< JSON or XML text, `@file`, or `@-` for stdin
    std::string values;       ///< `Name='Acme Inc' Industry=Energy` instead of data
    bool xml = false;         ///< XML on the wire even for JSON data
    std::string api_version;  ///< "60.0" (default) or "latest"
};

/// `sfkit get SOBJECT ID` or `sfkit get SOBJECT --external-id FIELD VALUE`.
struct GetOptions {
    ClientCommonOptions common;
    std::string sobject;
    std::string id;
    std::vector<std::string> external_id;  ///< FIELD VALUE, instead of an id
    std::string fields;                    ///< comma-separated
    bool xml = false;
    std::string api_version;
};

/// `sfkit update SOBJECT ID --data ...`.
struct UpdateOptions {
    ClientCommonOptions common;
    std::string sobject;
    std::string id;
    std::string data;  ///< as for create
    std::string values;
    bool xml = false;
    std::string api_version;
};

/// `sfkit delete SOBJECT ID`.
struct DeleteOptions {
    ClientCommonOptions common;
    std::string sobject;
    std::string id;
    bool xml = false;
    std::string api_version;
};

/// `sfkit upsert SOBJECT EXTFIELD VALUE --data ...`.
struct UpsertOptions {
    ClientCommonOptions common;
    std::string sobject;
    std::string field;
    std::string value;
    std::string data;
    bool xml = false;
    std::string api_version;
};

/// `sfkit sobjects`.
struct SObjectsOptions {
    ClientCommonOptions common;
    bool custom_only = false;
    std::string match;  ///< case-insensitive substring of name or label
    bool xml = false;
    std::string api_version;
};

/// `sfkit describe SOBJECT`.
struct DescribeOptions {
    ClientCommonOptions common;
    std::string sobject;
    bool fields_only = false;  ///< only the field table (or `fields` array with --json)
    bool xml = false;
    std::string api_version;
};

/// `sfkit limits`.
struct LimitsOptions {
    ClientCommonOptions common;
    std::string record_count;  ///< comma-separated sObjects, or "all"; empty: the limits
    bool xml = false;
    std::string api_version;
};

/// `sfkit api METHOD PATH`.
struct ApiOptions {
    ClientCommonOptions common;
    std::string method;
    std::string path;
    std::string data;                  ///< body: text, @file, @- (stdin)
    std::vector<std::string> headers;  ///< "Name: value"
    bool include = false;              ///< print the status line and headers first
    std::string api_version;
};

/// `sfkit query SOQL`.
struct QueryOptions {
    ClientCommonOptions common;
    std::string soql;                     ///< the query, `@file`, or `@-` for stdin
    bool all_rows = false;                ///< queryAll: deleted and archived records too
    std::string result_format = "human";  ///< human | csv | json
    std::string output_file;              ///< empty: stdout
    int batch_size = 0;                   ///< Sforce-Query-Options batchSize; 0: server default
    bool xml = false;
    std::string api_version;
};

/// `sfkit search SOSL`.
struct SearchOptions {
    ClientCommonOptions common;
    std::string sosl;                     ///< the SOSL statement, `@file`, or `@-` for stdin
    std::string result_format = "human";  ///< human | json
    bool xml = false;
    std::string api_version;
};

/// `sfkit bulk import|update|upsert|delete` (Bulk API 2.0 ingest; docs/cli.md).
struct BulkIngestOptions {
    ClientCommonOptions common;
    std::string operation;  ///< insert | update | upsert | delete
    std::string sobject;
    std::string file;              ///< the CSV to upload
    std::string external_id;       ///< upsert: externalIdFieldName
    double wait_minutes = 5;       ///< how long to wait for the job; 0: as --async
    bool async = false;            ///< create, upload, close, then exit (resume with --job-id)
    std::string line_ending;       ///< LF | CRLF; empty: LF
    std::string column_delimiter;  ///< COMMA, TAB, ...; empty: detected from the file
    bool hard_delete = false;      ///< delete: hardDelete
    std::string job_id;            ///< resume the job started with --async
    std::string api_version;
};

/// `sfkit bulk export` (Bulk API 2.0 query).
struct BulkExportOptions {
    ClientCommonOptions common;
    std::string query;       ///< SOQL
    std::string query_file;  ///< or a file holding it
    std::string output_file;
    std::string result_format = "csv";  ///< csv | json
    bool all_rows = false;              ///< queryAll
    double wait_minutes = 5;
    bool async = false;
    std::string line_ending;
    std::string column_delimiter;
    std::string job_id;  ///< resume
    std::string api_version;
};

/// `sfkit bulk status|results --job-id ID`.
struct BulkJobOptions {
    ClientCommonOptions common;
    std::string job_id;
    std::string api_version;
};

/// `sfkit org list` and `sfkit org display [-o A]`.
struct OrgOptions {
    ClientCommonOptions common;
};

/// `sfkit logout [-o A | --all]`: revoke at the org, then forget the stored login.
struct LogoutOptions {
    ClientCommonOptions common;
    bool all = false;
};

/// `sfkit config set KEY VALUE` (only `target-org` so far).
struct ConfigSetOptions {
    ClientCommonOptions common;
    std::string key;
    std::string value;
};

int RunOrgList(const OrgOptions& options);
int RunOrgDisplay(const OrgOptions& options);
int RunLogout(const LogoutOptions& options);
int RunConfigSet(const ConfigSetOptions& options);
int RunBulkIngest(const BulkIngestOptions& options);
int RunBulkExport(const BulkExportOptions& options);
int RunBulkStatus(const BulkJobOptions& options);
int RunBulkResults(const BulkJobOptions& options);
int RunLoginPassword(const LoginPasswordOptions& options);
int RunLoginJwt(const LoginJwtOptions& options);
int RunLoginClientCredentials(const LoginClientCredentialsOptions& options);
int RunLoginWeb(const LoginWebOptions& options);
int RunLoginDevice(const LoginDeviceOptions& options);
int RunCreate(const CreateOptions& options);
int RunGet(const GetOptions& options);
int RunUpdate(const UpdateOptions& options);
int RunDelete(const DeleteOptions& options);
int RunUpsert(const UpsertOptions& options);
int RunSObjects(const SObjectsOptions& options);
int RunDescribe(const DescribeOptions& options);
int RunLimits(const LimitsOptions& options);
int RunApi(const ApiOptions& options);
int RunQuery(const QueryOptions& options);
int RunSearch(const SearchOptions& options);

}  // namespace sfkit::cli
