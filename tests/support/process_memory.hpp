// This process's memory as Linux reports it, for tests that bound what a request costs.
#pragma once

#include <fstream>
#include <string>

namespace sfkit::test {

/// A line of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1.
inline long StatusKb(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            return std::stol(line.substr(key.size() + 1));
        }
    }
    return -1;
}

/// Resets the peak (VmHWM) to the current RSS ("5" to clear_refs); false if not possible.
inline bool ResetPeakRss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

}  // namespace sfkit::test
