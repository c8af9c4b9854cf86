// Durability of Bulk API 2.0 ingest: `kill -9` of the real `sfkit serve` while a job is being
// processed, then a restart on the same data directory: the job resumes, every row is written
// exactly once, and the results list each row once.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"

#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

const std::string kIngest = "/services/data/v60.0/jobs/ingest";

std::string Login(std::uint16_t port) {
    const std::string body = std::string("grant_type=password&client_id=") + kClientId +
                             "&client_secret=" + kClientSecret + "&username=admin%40acme.test" +
                             "&password=Passw0rd%21" + kSecurityToken;
    auto r = Fetch(port,
                   "POST",
                   "/services/oauth2/token",
                   {"Content-Type: application/x-www-form-urlencoded"},
                   body);
    EXPECT_EQ(r.status, 200) << r.body;
    return "Authorization: Bearer " +
           std::string(json::parse(r.body).at("access_token").as_string());
}

json::object JobInfo(std::uint16_t port, const std::string& auth, const std::string& id) {
    auto r = Fetch(port, "GET", kIngest + "/" + id, {auth});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).as_object();
}

TEST(Bulk2CrashTest, AJobKilledMidwayResumesAndWritesEveryRowOnce) {
    TempDir dir;
    ServeConfig config;
    config.org_def_file = TestDataPath("org-def.json");
    config.data_dir = dir.Path();
    constexpr int kRows = 5000;
    std::string csv = "Name,Phone\n";
    for (int i = 0; i < kRows; ++i) {
        csv += "Crash " + std::to_string(i) + "," + std::to_string(i) + "\n";
    }
    std::string id;
    bool killed_in_progress = false;
    {
        ServeProcess server(config);
        const std::string auth = Login(server.Port());
        auto r = Fetch(server.Port(),
                       "POST",
                       kIngest,
                       {auth, "Content-Type: application/json"},
                       R"({"object":"Account","operation":"insert"})");
        ASSERT_EQ(r.status, 200) << r.body;
        id = std::string(json::parse(r.body).at("id").as_string());
        r = Fetch(server.Port(),
                  "PUT",
                  kIngest + "/" + id + "/batches",
                  {auth, "Content-Type: text/csv"},
                  csv);
        ASSERT_EQ(r.status, 201) << r.body;
        r = Fetch(server.Port(),
                  "PATCH",
                  kIngest + "/" + id,
                  {auth, "Content-Type: application/json"},
                  R"({"state":"UploadComplete"})");
        ASSERT_EQ(r.status, 200) << r.body;
        for (int i = 0; i < 200; ++i) {
            if (JobInfo(server.Port(), auth, id).at("state") == "InProgress") {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                killed_in_progress = JobInfo(server.Port(), auth, id).at("state") == "InProgress";
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        server.KillHard();
    }
    ServeProcess restarted(config);
    const std::string auth = Login(restarted.Port());
    json::object job;
    for (int i = 0; i < 1200; ++i) {
        job = JobInfo(restarted.Port(), auth, id);
        if (job.at("state") == "JobComplete" || job.at("state") == "Failed") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(job.at("state"), "JobComplete");
    EXPECT_EQ(job.at("numberRecordsProcessed").as_int64(), kRows);
    EXPECT_EQ(job.at("numberRecordsFailed").as_int64(), 0);
    auto r =
        Fetch(restarted.Port(),
              "GET",
              "/services/data/v60.0/query?q=" +
                  client::PercentEncode("SELECT COUNT() FROM Account WHERE Name LIKE 'Crash %'"),
              {auth});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("totalSize").as_int64(), kRows);
    r = Fetch(restarted.Port(), "GET", kIngest + "/" + id + "/successfulResults", {auth});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), kRows + 1);
    if (!killed_in_progress) {
        std::cout << "note: the job was not InProgress when the server was killed\n";
    }
}

}  // namespace
}  // namespace sfkit::test
