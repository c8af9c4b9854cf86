// Entry points of the sfkit subcommands. Each takes plain option structs filled by main.cpp
// (the only CLI11 translation unit) and returns the process exit code (docs/cli.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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
    unsigned threads = 4;
    std::string tls_cert;
    std::string tls_key;
    std::string log_level = "info";
    server::LocalOrgOptions org;
};

int RunServe(const ServeOptions& options);

}  // namespace sfkit::cli
