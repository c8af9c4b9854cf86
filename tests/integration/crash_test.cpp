// Durability: a record that got a 201 survives `kill -9` of the server. Runs the real `sfkit`
// binary on a data directory, streams creates from a thread, kills the process mid-stream,
// restarts it on the same directory and reads every acknowledged record back.
// Needs the OAuth token endpoint (auth branch) to log in.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

/// `sfkit serve` as a child process whose stdout goes to a file we poll for the ready line.
class ServeProcess {
public:
    explicit ServeProcess(const std::string& data_dir) {
        log_ = data_dir + ".stdout-" + std::to_string(++starts_);
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, STDOUT_FILENO);
            const std::string org_def = TestDataPath("org-def.json");
            ::execl(SFKIT_BINARY,
                    SFKIT_BINARY,
                    "serve",
                    "--port",
                    "0",
                    "--data-dir",
                    data_dir.c_str(),
                    "--org-def",
                    org_def.c_str(),
                    "--log-level",
                    "warn",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        const std::regex ready(R"(sfkit local org ready at http://127\.0\.0\.1:(\d+))");
        while (std::chrono::steady_clock::now() < deadline) {
            std::ifstream in(log_);
            std::stringstream ss;
            ss << in.rdbuf();
            const std::string out = ss.str();
            std::smatch m;
            if (std::regex_search(out, m, ready)) {
                port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
                return;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "sfkit serve did not become ready";
    }
    ~ServeProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        std::filesystem::remove(log_);
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    void KillHard() {
        ASSERT_GT(pid_, 0);
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    std::uint16_t Port() const { return port_; }

private:
    static inline int starts_ = 0;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::string log_;
};

std::string Login(std::uint16_t port) {
    const std::string body = std::string("grant_type=password&client_id=") + kClientId +
                             "&client_secret=" + kClientSecret + "&username=admin%40acme.test" +
                             "&password=Passw0rd%21" + kSecurityToken;
    auto r = Fetch(port,
                   "POST",
                   "/services/oauth2/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   body);
    if (r.status != 200) {
        throw std::runtime_error("login failed: " + std::to_string(r.status) + " " + r.body);
    }
    return std::string(json::parse(r.body).at("access_token").as_string());
}

TEST(CrashTest, EveryAcknowledgedCreateSurvivesKill9) {
    char tmpl[] = "/tmp/sfkit-crash-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string root = tmpl;
    const std::string data_dir = root + "/org";
    constexpr const char* kAccounts = "/services/data/v60.0/sobjects/Account/";

    std::vector<std::pair<std::string, std::string>> acknowledged;  // id, Name
    {
        ServeProcess server(data_dir);
        ASSERT_NE(server.Port(), 0);
        const std::string auth = "Authorization: Bearer " + Login(server.Port());

        std::mutex mu;
        std::atomic<bool> stop{false};
        std::atomic<int> acked{0};
        std::thread writer([&] {
            for (int i = 0; !stop.load(); ++i) {
                const std::string name = "Crash " + std::to_string(i);
                try {
                    auto r = Fetch(server.Port(),
                                   "POST",
                                   kAccounts,
                                   {auth, "Content-Type: application/json"},
                                   R"({"Name":")" + name + R"("})");
                    if (r.status == 0) {
                        return;  // the server died mid-answer: not acknowledged
                    }
                    if (r.status != 201) {
                        ADD_FAILURE() << "create answered " << r.status << " " << r.body;
                        return;
                    }
                    auto id = json::parse(r.body).at("id").as_string();
                    std::lock_guard<std::mutex> lock(mu);
                    acknowledged.emplace_back(std::string(id), name);
                    acked.fetch_add(1);
                } catch (const std::exception&) {
                    return;  // connection refused/reset once the process is gone
                }
            }
        });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (acked.load() < 40 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        server.KillHard();  // while the writer is still sending
        stop.store(true);
        writer.join();
    }
    ASSERT_GE(acknowledged.size(), 40u) << "too few creates before the kill to mean anything";

    ServeProcess restarted(data_dir);
    ASSERT_NE(restarted.Port(), 0);
    const std::string auth = "Authorization: Bearer " + Login(restarted.Port());
    for (const auto& [id, name] : acknowledged) {
        auto r =
            Fetch(restarted.Port(), "GET", std::string(kAccounts) + id + "?fields=Name", {auth});
        ASSERT_EQ(r.status, 200) << id << " was acknowledged but is gone: " << r.body;
        EXPECT_EQ(json::parse(r.body).at("Name").as_string(), name);
    }
    // The id counter survived too: a new record does not reuse an acknowledged id.
    auto r = Fetch(restarted.Port(),
                   "POST",
                   kAccounts,
                   {auth, "Content-Type: application/json"},
                   R"({"Name":"After restart"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string fresh(json::parse(r.body).at("id").as_string());
    for (const auto& [id, name] : acknowledged) {
        EXPECT_NE(fresh, id);
    }
    std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace sfkit::test
