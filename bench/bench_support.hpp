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

}  // namespace sfkit::bench
