// Durability: a record that got a 201 survives `kill -9` of the server. Runs the real `sfkit`
// binary on a data directory, streams creates from writer threads, kills the process
// mid-stream, restarts it on the same directory and reads every acknowledged record back;
// once, and as a loop of rounds under concurrent writers.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/pg_scratch.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kAccounts = "/services/data/v60.0/sobjects/Account/";

ServeConfig OnDisk(const std::string& data_dir) {
    ServeConfig config;
    config.org_def_file = TestDataPath("org-def.json");
    config.data_dir = data_dir;
    return config;
}

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

/// (id, Name) of every create the server answered 201.
struct Acknowledged {
    std::mutex mu;
    std::vector<std::pair<std::string, std::string>> records;
    std::atomic<int> count{0};
};

/// Creates Accounts until `stop` or until the server is gone; records every acknowledged one.
/// A create whose answer never arrived is not acknowledged, whatever the server did with it.
void CreateAccounts(std::uint16_t port,
                    const std::string& auth,
                    const std::string& prefix,
                    const std::atomic<bool>& stop,
                    Acknowledged& acked) {
    for (int i = 0; !stop.load(); ++i) {
        const std::string name = prefix + " " + std::to_string(i);
        try {
            auto r = Fetch(port,
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
            std::lock_guard<std::mutex> lock(acked.mu);
            acked.records.emplace_back(std::string(id), name);
            acked.count.fetch_add(1);
        } catch (const std::exception&) {
            return;  // connection refused/reset once the process is gone
        }
    }
}

/// Starts the org (`config`), runs `writers` concurrent creators for at least `min_time`
/// and until at least `min_acked` creates are acknowledged, then `kill -9`s the server while
/// they still write. Returns what was acknowledged.
std::vector<std::pair<std::string, std::string>> WriteThenKill(
    const ServeConfig& config,
    int writers,
    int min_acked,
    const std::string& prefix,
    std::chrono::milliseconds min_time = std::chrono::milliseconds(0)) {
    ServeProcess server(config);
    const std::string auth = "Authorization: Bearer " + Login(server.Port());
    Acknowledged acked;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            CreateAccounts(server.Port(), auth, prefix + " w" + std::to_string(w), stop, acked);
        });
    }
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::seconds(20);
    while (
        (acked.count.load() < min_acked || std::chrono::steady_clock::now() < start + min_time) &&
        std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.KillHard();  // while the writers are still sending
    stop.store(true);
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_GE(acked.records.size(), static_cast<std::size_t>(min_acked))
        << "too few creates before the kill to mean anything";
    return std::move(acked.records);
}

/// Every acknowledged record is there with its Name.
void ExpectAllPresent(std::uint16_t port,
                      const std::string& auth,
                      const std::vector<std::pair<std::string, std::string>>& acknowledged) {
    for (const auto& [id, name] : acknowledged) {
        auto r = Fetch(port, "GET", std::string(kAccounts) + id + "?fields=Name", {auth});
        ASSERT_EQ(r.status, 200) << id << " was acknowledged but is gone: " << r.body;
        EXPECT_EQ(json::parse(r.body).at("Name").as_string(), name);
    }
}

TEST(CrashTest, EveryAcknowledgedCreateSurvivesKill9) {
    TempDir root;
    const std::string data_dir = root.Path() + "/org";
    const auto acknowledged = WriteThenKill(OnDisk(data_dir), 1, 40, "Crash");

    ServeProcess restarted(OnDisk(data_dir));
    const std::string auth = "Authorization: Bearer " + Login(restarted.Port());
    ExpectAllPresent(restarted.Port(), auth, acknowledged);
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
}

// The audit's crash loop: rounds of concurrent writers killed mid-stream, each restart on the
// same directory checking every create acknowledged in any earlier round.
TEST(CrashTest, RepeatedKill9UnderConcurrentWritersLosesNothing) {
    constexpr int kRounds = 5;
    constexpr int kWriters = 4;
    TempDir root;
    const std::string data_dir = root.Path() + "/org";
    std::vector<std::pair<std::string, std::string>> acknowledged;
    for (int round = 0; round < kRounds; ++round) {
        auto more = WriteThenKill(OnDisk(data_dir),
                                  kWriters,
                                  60,
                                  "Loop " + std::to_string(round),
                                  std::chrono::milliseconds(1500));
        acknowledged.insert(acknowledged.end(), more.begin(), more.end());
        ServeProcess restarted(OnDisk(data_dir));
        const std::string auth = "Authorization: Bearer " + Login(restarted.Port());
        ExpectAllPresent(restarted.Port(), auth, acknowledged);
        if (HasFatalFailure()) {
            return;
        }
    }
    RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
    std::set<std::string> ids;
    for (const auto& [id, name] : acknowledged) {
        EXPECT_TRUE(ids.insert(id).second) << id << " was acknowledged twice";
    }
}

// Two nodes on one PostgreSQL org (issue 13): node A is killed under concurrent writers, and
// node B, which kept running, has every create A acknowledged.
TEST(CrashTest, Kill9OfOnePostgresNodeLosesNothingTheOtherCanRead) {
    const auto server = PgTestServer();
    if (!server) {
        GTEST_SKIP() << kNoPgServer;
    }
    PgScratch scratch(*server);
    TempDir root;
    const auto node = [&](const std::string& name) {
        ServeConfig config = OnDisk(root.Path() + "/" + name);
        config.extra_args = {"--database", scratch.Target()};
        return config;
    };
    ServeProcess b(node("b"));
    const auto acknowledged = WriteThenKill(node("a"), 4, 60, "Node A");
    const std::string auth = "Authorization: Bearer " + Login(b.Port());
    ExpectAllPresent(b.Port(), auth, acknowledged);
    std::set<std::string> ids;
    for (const auto& [id, name] : acknowledged) {
        EXPECT_TRUE(ids.insert(id).second) << id << " was acknowledged twice";
    }
}

}  // namespace
}  // namespace sfkit::test
