// Shared plumbing of the client commands: settings lookup (flag > SFKIT_* env > .env), the
// stored-login store, the transport, and output (human text, the --json envelope, exit codes).
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/dotenv.hpp"
#include "sfkit/client/http.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/client/token_store.hpp"
#include "sfkit/core/error.hpp"

#include "commands.hpp"

namespace boost::json {
class array;
class value;
class object;
}  // namespace boost::json

namespace sfkit::cli {

/// Exit code for an error kind (docs/cli.md): usage 2, unreachable 69, anything else 1.
int ExitCodeFor(const Error& error);

/// Reports a command's error: worded and with suggestions as error_help.hpp says, then either
/// `ERROR <code>: <message>` on stderr (one line per error, the candidate URLs of a
/// MULTIPLE_CHOICES error, then each suggestion on its own line) or, with `json`, only the error
/// envelope on stdout (nothing on stderr). Returns the exit code.
int ReportError(const Error& error, bool json, std::string_view command);

/// The stderr lines of ReportError, for an error whose envelope is printed elsewhere.
void PrintErrorLines(const Error& error);
void PrintErrorLines(const Error& error, const std::vector<std::string>& actions);

/// The `--json` error envelope, keys in sf's order: `name, message, exitCode[, actions],
/// context[, data][, httpStatus][, errors][, candidates], warnings, code, status, commandName`
/// (a caller may append `result`, as sf does).
boost::json::object ErrorEnvelope(const Error& error,
                                  std::string_view command,
                                  const std::vector<std::string>& actions = {},
                                  const boost::json::object* data = nullptr);

/// Prints a JSON value as one compact line on stdout.
void PrintJsonLine(const boost::json::value& value);

/// Prints `{"status":0,"result":...,"warnings":[]}` (plus `apiUsage` when known) to stdout, as one
/// compact line.
void PrintJsonResult(const boost::json::value& result,
                     const std::optional<client::ApiUsage>& usage);

/// Whether this run prints JSON (`--json`; set once by main). Then warnings go into the
/// envelope's `warnings` array instead of stderr, as sf does.
void SetJsonOutput(bool json);

/// A warning: `WARNING: text` on stderr, or with JSON output an entry of the envelope's
/// `warnings`. The same text twice is reported once.
void Warn(const std::string& text);

/// The warnings so far, as the envelope's `warnings` array.
boost::json::array WarningsJson();

/// Warns when the org has used 90% or more of its daily API requests.
void WarnOnApiUsage(const std::optional<client::ApiUsage>& usage);

/// Looks a setting up: the flag value when non-empty, else `SFKIT_<NAME>` from the environment,
/// else `name` (or `SFKIT_<NAME>`) in the .env file. The .env file is read on first need:
/// `env_file` when given (must exist), else ./.env when it exists.
class Settings {
public:
    explicit Settings(std::string env_file) : env_file_(std::move(env_file)) {}
    Result<std::string> Get(const std::string& flag_value, std::string_view name);
    /// Like Get, but a missing value is an error naming the flag, variable and .env key.
    Result<std::string> Require(const std::string& flag_value,
                                std::string_view name,
                                std::string_view flag);

    /// The first failure among `results` (from Get/Require), with every MISSING_SETTING among
    /// them reported together in one error; success when all hold a value.
    static Result<void> AllOf(std::initializer_list<const Result<std::string>*> results);

private:
    Result<const client::DotEnv*> DotEnvFile();
    std::string env_file_;
    bool loaded_ = false;
    client::DotEnv dotenv_;
};

/// `login` -> production, `test`/`sandbox` -> test.salesforce.com, else the URL normalised.
Result<std::string> ResolveLoginUrl(const std::string& value);

/// The alias to use ("default" when empty), validated.
Result<std::string> ResolveAlias(const std::string& alias);

/// The alias a command that uses a stored login talks to: `alias` when given (`-o`), else
/// SFKIT_TARGET_ORG, else the `target-org` setting (`sfkit config set`), else "default".
Result<std::string> ResolveTargetAlias(const std::string& alias);

/// The default target org without a `-o`: SFKIT_TARGET_ORG, else the `target-org` setting in
/// `<config dir>/config.json`, else "default".
std::string DefaultTargetOrg();

/// Writes the `target-org` setting to `<config dir>/config.json`.
Result<void> SaveDefaultTargetOrg(const std::string& alias);

/// The login store under the default config directory.
Result<client::TokenStore> OpenStore();

/// A libcurl transport configured from the common flags.
std::shared_ptr<client::CurlTransport> MakeTransport(const ClientCommonOptions& common);

/// A REST client for the stored login of `common.alias` at `api_version` ("" = default,
/// "latest" = newest the server lists, which costs one request).
Result<client::RestClient> ConnectStored(const ClientCommonOptions& common,
                                         const std::string& api_version);

/// Reads `--data`: literal text, `@path`, or `@-` (stdin).
Result<std::string> ReadDataArgument(const std::string& data);

/// Reads `--data` (see ReadDataArgument) as a record: a JSON object (`{...}`) or an XML document
/// whose root is the object. `was_xml` tells which. Usage errors (kInvalidArgument) for anything
/// else, or for data that names another object than `sobject`.
Result<client::Record> ReadRecordData(const std::string& data,
                                      const std::string& sobject,
                                      bool& was_xml);

/// `--values "Name='Acme Inc' Industry=Energy"` (as sf data create record) as a record.
Result<client::Record> ParseValues(const std::string& values);

/// The record of create/update: ParseValues(values) when given, else ReadRecordData(data).
Result<client::Record> ReadRecordInput(const std::string& data,
                                       const std::string& values,
                                       const std::string& sobject,
                                       bool& was_xml);

/// Checks a record id locally (15 or 18 characters, valid checksum) before any request:
/// kInvalidArgument MALFORMED_ID naming the id when it is not one.
Result<void> CheckRecordId(const std::string& id);

/// "A, B,C" -> {"A","B","C"} (blanks dropped).
std::vector<std::string> SplitList(const std::string& list);

/// ConnectStored plus the wire format: XML with `xml`, else JSON. `sobject`, the object a record
/// command names, is noted for error suggestions (error_help.hpp).
Result<client::RestClient> ConnectRest(const ClientCommonOptions& common,
                                       const std::string& api_version,
                                       bool xml,
                                       const std::string& sobject = {});

}  // namespace sfkit::cli
