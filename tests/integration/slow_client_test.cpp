// Slow and idle clients against the real `sfkit serve` binary run with few descriptors
// (RLIMIT_NOFILE 64): more idle connections than descriptors must not make the server spin,
// the connections it already serves keep being answered, and once the idle ones go away new
// ones are served again. Also the header timeout flag: a connection that never sends a request
// is closed after it.
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr long kMaxOpenFiles = 64;
constexpr int kIdleConnections = 150;  // well beyond the server's descriptors
constexpr const char* kVersions = "GET /services/data/ HTTP/1.1\r\nHost: h\r\n\r\n";

/// CPU time (user + system) the process has used so far, in seconds (/proc/<pid>/stat).
double CpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces) start after the last ')'.
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string field;
    unsigned long utime = 0;
    unsigned long stime = 0;
    for (int i = 3; rest >> field; ++i) {
        if (i == 14) {
            utime = std::stoul(field);
        } else if (i == 15) {
            stime = std::stoul(field);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// The test org definition, in memory, with these flags and descriptor limit.
ServeConfig Config(std::vector<std::string> flags, long max_open_files = 0) {
    ServeConfig config;
    config.org_def_file = TestDataPath("org-def.json");
    config.extra_args = std::move(flags);
    config.max_open_files = max_open_files;
    return config;
}

/// Opens many connections that never send anything, checks the server idles meanwhile and
/// still answers `keeper` (opened and used before), then closes them and checks that a new
/// connection is answered.
void FloodWithIdleConnections(const ServeProcess& server) {
    RawConnection keeper(server.Port());
    ASSERT_EQ(keeper.Exchange(kVersions).status, 200);

    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < kIdleConnections; ++i) {
        idle.push_back(std::make_unique<RawConnection>(server.Port()));  // the backlog completes
    }                                                                    // the handshake
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const double before = CpuSeconds(server.Pid());
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double used = CpuSeconds(server.Pid()) - before;
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_LT(used / wall, 0.05) << "the server spun while out of descriptors: " << used
                                 << " s of CPU in " << wall << " s";

    const auto answered = keeper.Exchange(kVersions);
    EXPECT_EQ(answered.status, 200) << "an open connection was not served: " << answered.body;

    idle.clear();
    int status = 0;
    for (const auto deadline = Clock::now() + std::chrono::seconds(10);
         status != 200 && Clock::now() < deadline;) {
        try {
            status = Fetch(server.Port(), "GET", "/services/data/").status;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // refused: retry
        }
    }
    EXPECT_EQ(status, 200) << "no new connection served after the idle ones closed";
}

TEST(SlowClientTest, OutOfDescriptorsTheServerBacksOffAndKeepsServing) {
    // No connection cap: the accept loop meets EMFILE and must back off instead of spinning.
    ServeProcess server(Config({"--max-connections", "100000"}, kMaxOpenFiles));
    FloodWithIdleConnections(server);
}

TEST(SlowClientTest, TheDefaultConnectionCapFitsTheDescriptorLimit) {
    ServeProcess server(Config({}, kMaxOpenFiles));
    FloodWithIdleConnections(server);
}

TEST(SlowClientTest, IdleConnectionIsClosedAfterTheHeaderTimeout) {
    ServeProcess server(Config({"--header-timeout", "1"}));
    RawConnection silent(server.Port());
    const auto start = Clock::now();
    EXPECT_TRUE(silent.Closed(5000));
    const auto waited = Clock::now() - start;
    EXPECT_GE(waited, std::chrono::milliseconds(900));
    EXPECT_LT(waited, std::chrono::milliseconds(3000));
    // A client that sends its request in time is served.
    RawConnection prompt(server.Port());
    EXPECT_EQ(prompt.Exchange(kVersions).status, 200);
}

TEST(SlowClientTest, HeaderSentAByteASecondIsCutOff) {
    ServeProcess server(Config({"--header-timeout", "2"}));
    RawConnection slow(server.Port());
    const auto start = Clock::now();
    const std::string request = "GET /services/data/ HTTP/1.1\r\nHost: h\r\nX-Slow: abcdefgh";
    bool closed = false;
    for (char byte : request) {
        slow.Send(std::string(1, byte));
        if (slow.Closed(1000)) {
            closed = true;
            break;
        }
    }
    ASSERT_TRUE(closed) << "a header sent a byte a second was never cut off";
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
}

}  // namespace
}  // namespace sfkit::test
