// Shared main for sfkit benchmarks: runs the registered benchmarks, then prints each one's time
// per iteration as a ratio to its named baseline from the same run.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sfkit::bench {

/// Declares that benchmark `name` should be reported relative to benchmark `baseline`.
void CompareTo(std::string name, std::string baseline);

/// Runs all benchmarks and prints the ratio table. Returns the process exit code.
int RunAndReport(int argc, char** argv);

}  // namespace sfkit::bench
