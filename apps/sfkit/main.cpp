// sfkit command line: parses flags with CLI11 (this is the only CLI11 translation unit) and
// hands plain option structs to the commands in cmd_*.cpp.
#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
    using namespace sfkit::cli;
    CLI::App app{
        "sfkit: the Salesforce API from the command line, plus a local org to run it against"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sfkit 0.1.0");

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

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitUsage;
    }
    if (serve_cmd->parsed()) {
        serve.org.session_timeout = std::chrono::seconds(session_seconds);
        return RunServe(serve);
    }
    return kExitUsage;
}
