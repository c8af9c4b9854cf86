// Shared main for sfkit benchmarks: runs the registered benchmarks, then prints each one's time
// per iteration as a ratio to its named baseline from the same run.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfkit::bench {

/// Declares that benchmark `name` should be reported relative to benchmark `baseline`.
void CompareTo(std::string name, std::string baseline);

/// One raw HTTP/1.1 request with Host and (for a body or a POST) Content-Length; `headers` are
/// "Name: value" lines without CRLF.
std::string RawRequest(std::string_view method,
                       std::string_view target,
                       const std::vector<std::string>& headers = {},
                       std::string_view body = {});

/// Runs all benchmarks and prints the ratio table. Returns the process exit code.
int RunAndReport(int argc, char** argv);

/// The PostgreSQL client programs (psql, pgbench, ...): Debian's newest server bin directory,
/// else PATH. Empty when not installed.
std::string PgProgram(const std::string& name);

/// A throwaway PostgreSQL cluster for a benchmark, started with scripts/pg-cluster.sh in
/// `dir` (created; removed with the cluster by the destructor). `durable`: PostgreSQL's
/// defaults (fsync, synchronous_commit, full_page_writes on), as a fair match for SQLite's
/// synchronous=FULL; otherwise the test suite's settings (no fsync). `options`: more
/// `-c name=value` server options (SFKIT_PG_OPTIONS).
class PgCluster {
public:
    PgCluster(std::string dir, bool durable, const std::string& options = "");
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    /// postgresql://sfkit@127.0.0.1:PORT/sfkit
    const std::string& Uri() const { return uri_; }
    /// The same server, database `dbname`.
    std::string UriFor(const std::string& dbname) const;
    /// Keep the cluster running (and its dir) after this object: --keep.
    void Keep() { keep_ = true; }

private:
    std::string dir_;
    std::string uri_;
    bool keep_ = false;
};

/// `psql -X -q -A -t -v ON_ERROR_STOP=1 -c sql` against `uri`; returns stdout. Throws
/// std::runtime_error with psql's output when it fails.
std::string Psql(const std::string& uri, const std::string& sql);

/// The database part of a postgresql:// URI replaced by `dbname`.
std::string WithDatabase(const std::string& uri, const std::string& dbname);

}  // namespace sfkit::bench
