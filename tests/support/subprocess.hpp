// Running the sfkit binary from tests: one-shot commands with captured output and exit code,
// and a background `sfkit serve` whose port is read from its "ready at" line.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace sfkit::test {

class PgScratch;
class TempDir;

struct ProcessResult {
    int exit_code = -1;  ///< -1 when killed by a signal or timed out
    std::string out;
    std::string err;
    bool timed_out = false;
    /// The child's peak resident set size. wait4's ru_maxrss, which Linux raises to the
    /// parent's own peak at fork/exec (a test process holding an in-process org inflates it);
    /// with ProcessOptions::measure_rss, GNU time's exact figure for the program alone.
    long max_rss_kb = 0;
};

struct ProcessOptions {
    /// Environment changes: a value sets the variable, nullopt removes it.
    std::map<std::string, std::optional<std::string>> env;
    std::string cwd;    ///< empty: inherit
    std::string input;  ///< written to stdin, then stdin is closed
    std::chrono::milliseconds timeout{20'000};
    long max_open_files = 0;  ///< the child's RLIMIT_NOFILE (soft and hard); 0: inherited
    /// Runs the program under /usr/bin/time (a small process that forks it) so that max_rss_kb
    /// is the program's own peak, not inherited from this process. Needs GNU time (deps.sh).
    bool measure_rss = false;
};

/// Runs `argv` (argv[0] is a path) to completion.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/// How to start a background `sfkit serve`.
struct ServeConfig {
    std::string org_def_file;             ///< --org-def
    std::string data_dir;                 ///< --data-dir; empty: --in-memory
    std::vector<std::string> extra_args;  ///< more flags, e.g. {"--header-timeout", "1"}
    long max_open_files = 0;              ///< the child's RLIMIT_NOFILE; 0: inherited
    /// How long to wait for "ready at" (a durable PostgreSQL org's first start creates ~100
    /// tables, each with an fsync).
    std::chrono::seconds ready_timeout{20};
};

/// `sfkit serve --port 0 --threads 2 --log-level warn` plus the config's flags, in the
/// background; stopped (SIGTERM) on destruction. When the tests run on PostgreSQL
/// (TestOrgsOnPostgres) and the flags name no --database, the org goes there: an in-memory one
/// on a scratch schema of its own, one with a data directory on that directory's schema
/// (OrgDatabase), so a restart on the directory finds its data. Throws std::runtime_error when it
/// does not report readiness within ServeConfig::ready_timeout (20 s).
class ServeProcess {
public:
    /// In memory, with that org definition.
    explicit ServeProcess(const std::string& org_def_file);
    explicit ServeProcess(const ServeConfig& config);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    std::uint16_t Port() const { return port_; }
    std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
    pid_t Pid() const { return pid_; }
    /// `kill -9` and reap: no shutdown, no flushing, as a crash or power cut would.
    void KillHard();

private:
    std::unique_ptr<PgScratch> pg_;   ///< an in-memory org's schema on PostgreSQL
    std::unique_ptr<TempDir> files_;  ///< and its node's files
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::uint16_t port_ = 0;
};

/// A fresh, empty directory under the test temp dir; removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& Path() const { return path_; }

private:
    std::string path_;
};

}  // namespace sfkit::test
