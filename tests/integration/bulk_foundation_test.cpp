// The shared pieces of the Bulk APIs (src/server/bulk/): the background worker, the per-job file
// area and job ids.
#include <atomic>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sfkit/core/id.hpp"

#include "server/bulk/bulk_services.hpp"
#include "server/org/local_org.hpp"
#include "server/storage/database.hpp"
#include "support/bulk_rows.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::server::bulk {
namespace {

unsigned Mode(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

TEST(BulkWorker, RunsStepsOffTheCallerAndStepsChainTheirNextStep) {
    Worker worker(2);
    std::atomic<int> done{0};
    const auto caller = std::this_thread::get_id();
    std::atomic<bool> on_caller{false};
    // A job of 5 steps, each posting the next one, plus 10 independent steps.
    std::function<void(int)> step = [&](int left) {
        on_caller = on_caller || std::this_thread::get_id() == caller;
        ++done;
        if (left > 1) {
            worker.Post([&, left] { step(left - 1); });
        }
    };
    worker.Post([&] { step(5); });
    for (int i = 0; i < 10; ++i) {
        worker.Post([&] { ++done; });
    }
    worker.Post([] { throw std::runtime_error("a failing step does not stop the worker"); });
    worker.Post([&] { ++done; });
    worker.Drain();
    EXPECT_EQ(done.load(), 16);
    EXPECT_FALSE(on_caller.load());
    EXPECT_FALSE(worker.Stopping());
}

TEST(BulkWorker, StopWaitsForRunningStepsAndDropsTheQueue) {
    Worker worker(1);
    std::atomic<bool> started{false};
    std::atomic<bool> release{false};
    std::atomic<int> ran{0};
    worker.Post([&] {
        started = true;
        while (!release) {
            std::this_thread::yield();
        }
        ++ran;
    });
    worker.Post([&] { ++ran; });  // still queued when Stop() begins
    while (!started) {
        std::this_thread::yield();
    }
    std::thread stopper([&] { worker.Stop(); });
    while (!worker.Stopping()) {
        std::this_thread::yield();
    }
    release = true;
    stopper.join();
    EXPECT_EQ(ran.load(), 1);  // the running step finished, the queued one was dropped
    worker.Post([&] { ++ran; });
    worker.Stop();
    EXPECT_EQ(ran.load(), 1);
}

TEST(BulkJobFiles, OwnerOnlyDirectoriesAndFilesAndPlainNamesOnly) {
    test::TempDir tmp;
    const std::filesystem::path root = std::filesystem::path(tmp.Path()) / "bulk";
    JobFiles files(root, true);
    EXPECT_EQ(Mode(root), 0700u);
    const auto path = files.PathOf("750000000000001AAA", "data.csv");
    EXPECT_EQ(Mode(path.parent_path()), 0700u);
    {
        AppendFile f(path, files.Durable());
        f.Append("Name\n");
        f.Append("Acme\n");
        f.Sync();
        EXPECT_EQ(f.Size(), 10u);
        f.Truncate(5);
        EXPECT_EQ(f.Size(), 5u);
    }
    EXPECT_EQ(Mode(path), 0600u);
    EXPECT_EQ(FileSize(path), 5u);
    EXPECT_EQ(files.JobIds(), std::vector<std::string>{"750000000000001AAA"});
    EXPECT_THROW(files.PathOf("../etc", "x"), std::invalid_argument);
    EXPECT_THROW(files.PathOf("750", "../x"), std::invalid_argument);
    EXPECT_THROW(files.PathOf("750", ".hidden"), std::invalid_argument);
    // A symbolic link planted where a file goes is not followed.
    std::filesystem::create_symlink(root / "elsewhere", root / "750000000000001AAA" / "link");
    EXPECT_THROW(AppendFile(files.PathOf("750000000000001AAA", "link"), true), std::runtime_error);
    files.Remove("750000000000001AAA");
    EXPECT_FALSE(std::filesystem::exists(path.parent_path()));
}

TEST(BulkIds, JobIdsHaveThe750PrefixAndAreNeverReusedAcrossRestarts) {
    test::TempDir tmp;
    std::set<std::string> seen;
    for (int start = 0; start < 2; ++start) {
        LocalOrg org(test::OnDiskOrgOptions(tmp.Path()));
        const BulkContext& ctx = org.Bulk().Context();
        for (int i = 0; i < 3; ++i) {
            const std::string id = NewBulkId(ctx, kJobKeyPrefix);
            ASSERT_EQ(id.size(), 18u);
            EXPECT_EQ(id.substr(0, 3), "750");
            EXPECT_TRUE(Id::IsValid(id)) << id;
            EXPECT_TRUE(seen.insert(id).second) << "reused " << id;
        }
        EXPECT_EQ(NewBulkId(ctx, kBatchKeyPrefix).substr(0, 3), "751");
        // The file area sits next to the database.
        EXPECT_EQ(ctx.files.Root(), std::filesystem::path(tmp.Path()) / "bulk");
        EXPECT_TRUE(ctx.files.Durable());
    }
}

TEST(BulkIds, AnInMemoryOrgKeepsItsJobFilesInItsPrivateDirectory) {
    std::filesystem::path root;
    {
        LocalOrgOptions options;
        options.in_memory = true;
        options.org_def_file = test::TestDataPath("org-def.json");
        LocalOrg org(options);
        const BulkContext& ctx = org.Bulk().Context();
        root = ctx.files.Root();
        EXPECT_EQ(root.parent_path(), std::filesystem::path(ctx.db.Path()).parent_path());
        EXPECT_FALSE(ctx.files.Durable());
        EXPECT_TRUE(std::filesystem::is_directory(root));
    }
    EXPECT_FALSE(std::filesystem::exists(root));  // gone with the org
}

}  // namespace
}  // namespace sfkit::server::bulk
