// Acknowledged = on disk, without a thread parked per write (issue 10): a COMMIT only appends
// to the WAL, the database's syncer thread fdatasyncs it for every commit made meanwhile, and
// a write's answer waits for that sync (Transaction::Commit blocks for it; an HTTP request on an
// I/O thread awaits it through Response::when_durable). A sync that fails is never acknowledged.
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "server/net/http_server.hpp"
#include "server/storage/database.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"

namespace sfkit::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class DurabilityTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<Database>(dir_.Path() + "/org.db");
        Transaction tx(*db_);
        db_->Exec("CREATE TABLE t (n INTEGER)");
        tx.Commit();
    }
    void Insert(int n) {
        Transaction tx(*db_);
        db_->Exec("INSERT INTO t VALUES (" + std::to_string(n) + ")");
        tx.Commit();
    }
    test::TempDir dir_;
    std::unique_ptr<Database> db_;
};

TEST_F(DurabilityTest, ACommitReturnsOnlyOnceTheWalIsSynced) {
    const auto syncs = db_->Syncs();
    Insert(1);
    EXPECT_TRUE(db_->IsDurable(db_->CommitSeq()));
    EXPECT_GT(db_->Syncs(), syncs);
}

TEST_F(DurabilityTest, ADeferredCommitIsReportedDurableByTheSyncer) {
    std::uint64_t seq = 0;
    {
        const Database::DeferDurability defer;
        Insert(2);  // returns without waiting for the disk
        seq = db_->CommitSeq();
    }
    std::promise<bool> synced;
    db_->WhenDurable(seq, [&](bool ok) { synced.set_value(ok); });
    auto f = synced.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(f.get());
    EXPECT_TRUE(db_->IsDurable(seq));
}

TEST_F(DurabilityTest, AWalThatCannotBeSyncedIsNeverAcknowledged) {
    // The WAL file vanishes behind SQLite's back (it keeps writing to its open descriptor), so
    // the syncer cannot flush it: nothing committed from then on may be reported durable.
    std::filesystem::remove(dir_.Path() + "/org.db-wal");
    std::uint64_t seq = 0;
    {
        const Database::DeferDurability defer;
        Insert(3);
        seq = db_->CommitSeq();
    }
    std::promise<bool> synced;
    db_->WhenDurable(seq, [&](bool ok) { synced.set_value(ok); });
    auto f = synced.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_FALSE(f.get());
    EXPECT_FALSE(db_->IsDurable(seq));
    EXPECT_THROW(Insert(4), StorageError);  // a blocking commit reports it too
}

/// A server whose handler answers after a durability callback that the test fires by hand.
class DurableAnswerTest : public ::testing::Test {
protected:
    void SetUp() override {
        HttpServerOptions o;
        o.port = 0;
        o.threads = 2;
        server_ = std::make_unique<HttpServer>(o, [this](const Request&) {
            Response r;
            r.status = 201;
            r.SetHeader("Content-Type", "text/plain");
            r.body = "written";
            r.when_durable = [this](std::function<void(bool)> done) {
                std::lock_guard lock(mu_);
                done_ = std::move(done);
                asked_.set_value();
            };
            return r;
        });
        server_->Start();
    }
    void TearDown() override { server_->Stop(); }
    /// Waits until the handler asked, then reports `ok` from another thread after `delay`.
    std::thread Report(bool ok, std::chrono::milliseconds delay) {
        return std::thread([this, ok, delay] {
            asked_.get_future().wait();
            std::this_thread::sleep_for(delay);
            std::function<void(bool)> done;
            {
                std::lock_guard lock(mu_);
                done = std::move(done_);
            }
            done(ok);
        });
    }
    std::mutex mu_;
    std::function<void(bool)> done_;
    std::promise<void> asked_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(DurableAnswerTest, TheAnswerWaitsForTheSync) {
    std::thread reporter = Report(true, 300ms);
    const auto start = Clock::now();
    const auto r = test::Fetch(server_->Port(), "POST", "/w", {}, "x");
    reporter.join();
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, "written");
    EXPECT_GE(Clock::now() - start, 300ms);
}

TEST_F(DurableAnswerTest, AFailedSyncAnswers500) {
    std::thread reporter = Report(false, 0ms);
    const auto r = test::Fetch(server_->Port(), "POST", "/w", {}, "x");
    reporter.join();
    EXPECT_EQ(r.status, 500);
    EXPECT_NE(r.body.find("UNKNOWN_EXCEPTION"), std::string::npos);
}

}  // namespace
}  // namespace sfkit::server
