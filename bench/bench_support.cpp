// Ratio reporting for sfkit benchmarks.
#include "bench_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "support/subprocess.hpp"

namespace sfkit::bench {
namespace {

std::vector<std::pair<std::string, std::string>>& Pairs() {
    static std::vector<std::pair<std::string, std::string>> pairs;
    return pairs;
}

/// Console output as usual, plus a copy of each run's real time per iteration.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& r : runs) {
            if (r.run_type == Run::RT_Iteration && r.iterations > 0 && r.error_message.empty()) {
                times_[r.benchmark_name()] = r.GetAdjustedRealTime();
                // Benchmarks whose iteration is a batch of requests report items/s; use it.
                const auto items = r.counters.find("items_per_second");
                rates_[r.benchmark_name()] = items != r.counters.end()
                                                 ? static_cast<double>(items->second)
                                                 : r.iterations / r.real_accumulated_time;
            }
        }
    }
    std::map<std::string, double> times_;
    std::map<std::string, double> rates_;
};

}  // namespace

void CompareTo(std::string name, std::string baseline) {
    Pairs().emplace_back(std::move(name), std::move(baseline));
}

std::string RawRequest(std::string_view method,
                       std::string_view target,
                       const std::vector<std::string>& headers,
                       std::string_view body) {
    std::string r;
    r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (const auto& h : headers) {
        r += h + "\r\n";
    }
    if (!body.empty() || method == "POST") {
        r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    r += "\r\n";
    r.append(body);
    return r;
}

int RunAndReport(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf(
        "\n%-44s %-28s %12s %12s %8s\n", "benchmark", "baseline", "ops/s", "base ops/s", "ratio");
    for (const auto& [name, base] : Pairs()) {
        for (const auto& [run_name, t] : reporter.times_) {
            if (run_name.rfind(name, 0) != 0) {
                continue;
            }
            auto b = reporter.times_.find(base);
            if (b == reporter.times_.end()) {
                continue;
            }
            // ratio = time per op relative to the baseline (1.0 = as fast as the baseline).
            std::printf("%-44s %-28s %12.0f %12.0f %8.2f\n",
                        run_name.c_str(),
                        base.c_str(),
                        reporter.rates_[run_name],
                        reporter.rates_[base],
                        t / b->second);
        }
    }
    benchmark::Shutdown();
    return 0;
}

std::string PgProgram(const std::string& name) {
    namespace fs = std::filesystem;
    std::string best;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const fs::path p = e.path() / "bin" / name;
        if (::access(p.c_str(), X_OK) == 0 && (best.empty() || p.string() > best)) {
            best = p.string();
        }
    }
    if (!best.empty()) {
        return best;
    }
    for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
        const fs::path p = fs::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0) {
            return p.string();
        }
    }
    return "";
}

std::string WithDatabase(const std::string& uri, const std::string& dbname) {
    const auto scheme = uri.find("://");
    const auto slash = uri.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme == std::string::npos || slash == std::string::npos) {
        throw std::runtime_error("not a postgresql:// URI with a database: " + uri);
    }
    const auto query = uri.find('?', slash);
    return uri.substr(0, slash + 1) + dbname +
           (query == std::string::npos ? "" : uri.substr(query));
}

PgCluster::PgCluster(std::string dir, bool durable, const std::string& options)
    : dir_(std::move(dir)) {
    test::ProcessOptions po;
    po.timeout = std::chrono::seconds(120);
    po.env["SFKIT_PG_FSYNC"] = durable ? "on" : "off";
    po.env["SFKIT_PG_OPTIONS"] = options;
    const auto r = test::RunProcess(
        {"/bin/bash", std::string(SFKIT_SOURCE_DIR) + "/scripts/pg-cluster.sh", "start", dir_}, po);
    if (r.exit_code != 0 || r.out.rfind("postgresql://", 0) != 0) {
        throw std::runtime_error("scripts/pg-cluster.sh start " + dir_ + " failed: " + r.out +
                                 r.err);
    }
    uri_ = r.out.substr(0, r.out.find('\n'));
}

PgCluster::~PgCluster() {
    if (keep_) {
        std::fprintf(
            stderr, "kept the PostgreSQL cluster in %s (%s)\n", dir_.c_str(), uri_.c_str());
        return;
    }
    test::ProcessOptions po;
    po.timeout = std::chrono::seconds(120);
    test::RunProcess(
        {"/bin/bash", std::string(SFKIT_SOURCE_DIR) + "/scripts/pg-cluster.sh", "stop", dir_}, po);
}

std::string PgCluster::UriFor(const std::string& dbname) const {
    return WithDatabase(uri_, dbname);
}

std::string Psql(const std::string& uri, const std::string& sql) {
    const std::string psql = PgProgram("psql");
    if (psql.empty()) {
        throw std::runtime_error("psql not found (apt-get install postgresql-client)");
    }
    test::ProcessOptions po;
    po.timeout = std::chrono::hours(2);
    const auto r = test::RunProcess(
        {psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql}, po);
    if (r.exit_code != 0) {
        throw std::runtime_error("psql failed (" + sql.substr(0, 120) + "): " + r.out + r.err);
    }
    return r.out;
}

}  // namespace sfkit::bench
