// Ratio reporting for sfkit benchmarks.
#include "bench_support.hpp"

#include <cstdio>
#include <map>

#include <benchmark/benchmark.h>

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

}  // namespace sfkit::bench
