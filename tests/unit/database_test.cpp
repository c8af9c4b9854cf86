// The Database's connections: one writer, a pool of read-only readers that never wait for it,
// snapshot leases, reads inside a write transaction, the read time limit, and the in-memory
// database (a private file shared by all connections, gone after close).
#include "server/storage/database.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace sfkit::server {
namespace {

using namespace std::chrono_literals;

std::int64_t CountRows(Database::Reader& rd) {
    Statement st = rd.Prepare("SELECT count(*) FROM t");
    return st.Step() ? st.Int(0) : -1;
}

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        Transaction tx(db_);
        db_.Exec("CREATE TABLE t (n INTEGER)");
        db_.Exec("INSERT INTO t VALUES (1)");
        tx.Commit();
    }
    Database db_{":memory:"};
};

TEST_F(DatabaseTest, ReadersDoNotWaitForAnOpenWriteTransaction) {
    std::promise<void> written;
    std::promise<void> may_commit;
    std::thread writer([&] {
        Transaction tx(db_);
        db_.Exec("INSERT INTO t VALUES (2)");
        written.set_value();
        may_commit.get_future().wait();
        tx.Commit();
    });
    written.get_future().wait();
    // The writer holds the write lock with an uncommitted row: a read answers at once with the
    // last committed state (before the fix it waited for the lock, i.e. forever here).
    auto read = std::async(std::launch::async, [&] {
        Database::Reader rd = db_.Read();
        EXPECT_FALSE(rd.OnWriter());
        return CountRows(rd);
    });
    const bool answered = read.wait_for(5s) == std::future_status::ready;
    may_commit.set_value();
    writer.join();
    ASSERT_TRUE(answered);
    EXPECT_EQ(read.get(), 1);
    Database::Reader rd = db_.Read();
    EXPECT_EQ(CountRows(rd), 2);  // committed: visible to the next read
}

TEST_F(DatabaseTest, ReadsInsideAWriteTransactionSeeItsOwnWrites) {
    Transaction tx(db_);
    db_.Exec("INSERT INTO t VALUES (2)");
    {
        Database::Reader rd = db_.Read();
        EXPECT_TRUE(rd.OnWriter());
        EXPECT_EQ(CountRows(rd), 2);
    }
    auto other = std::async(std::launch::async, [&] {
        Database::Reader rd = db_.Read();
        return CountRows(rd);
    });
    EXPECT_EQ(other.get(), 1);  // another thread does not see the uncommitted row
    tx.Commit();
}

TEST_F(DatabaseTest, ASnapshotLeaseSeesOneStateThroughout) {
    Database::Reader snap = db_.Read(Database::ReadMode::kSnapshot);
    EXPECT_EQ(CountRows(snap), 1);
    {
        Transaction tx(db_);
        db_.Exec("INSERT INTO t VALUES (2)");
        tx.Commit();
    }
    EXPECT_EQ(CountRows(snap), 1);  // same snapshot
    auto fresh = std::async(std::launch::async, [&] {
        Database::Reader rd = db_.Read();
        return CountRows(rd);
    });
    EXPECT_EQ(fresh.get(), 2);
}

TEST_F(DatabaseTest, AReleasedConnectionKeepsNoOldSnapshot) {
    {
        Database::Reader rd = db_.Read();
        Statement& st = rd.Cached("SELECT n FROM t");
        ASSERT_TRUE(st.Step());  // left mid-result: its read transaction is still open
    }
    {
        Transaction tx(db_);
        db_.Exec("INSERT INTO t VALUES (2)");
        tx.Commit();
    }
    Database::Reader rd = db_.Read();  // the same pooled connection
    EXPECT_EQ(db_.ReadConnections(), 1U);
    EXPECT_EQ(CountRows(rd), 2);
}

int OpenStatements(sqlite3* db) {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr;
         s = sqlite3_next_stmt(db, s)) {
        ++n;
    }
    return n;
}

TEST_F(DatabaseTest, ReusableStatementsAreBoundedAndStayValidForTheLease) {
    {
        Transaction tx(db_);
        db_.Exec("DELETE FROM t");
        db_.Exec("INSERT INTO t VALUES (1), (2)");
        tx.Commit();
    }
    {
        Database::Reader rd = db_.Read();
        Statement& first = rd.Reusable("SELECT n FROM t ORDER BY n");
        ASSERT_TRUE(first.Step());
        ASSERT_EQ(first.Int(0), 1);
        // Many distinct queries in one lease: the cache stays bounded, but never drops a
        // statement this lease was given (`first` is mid-result).
        for (int i = 0; i < 600; ++i) {
            Statement& st = rd.Reusable("SELECT n + " + std::to_string(i) + " FROM t");
            ASSERT_TRUE(st.Step());
        }
        ASSERT_TRUE(first.Step());  // not reset: it goes on to the second row
        EXPECT_EQ(first.Int(0), 2);
        EXPECT_FALSE(first.Step());
    }
    // Leases one after the other on the same pooled connection: the cache stays bounded.
    for (int i = 0; i < 600; ++i) {
        Database::Reader rd = db_.Read();
        Statement& st = rd.Reusable("SELECT n * " + std::to_string(i) + " FROM t");
        ASSERT_TRUE(st.Step());
    }
    ASSERT_EQ(db_.ReadConnections(), 1U);
    Database::Reader rd = db_.Read();
    EXPECT_LE(OpenStatements(rd.Raw()), 256);
    // A repeated query is the cached statement itself, not a new prepare.
    Statement& again = rd.Reusable("SELECT n * 599 FROM t");
    Statement& same = rd.Reusable("SELECT n * 599 FROM t");
    EXPECT_EQ(&again, &same);
}

TEST_F(DatabaseTest, ReusableStatementsOnTheWriterEndWithTheLease) {
    Transaction tx(db_);
    const int before = OpenStatements(db_.Raw());
    {
        Database::Reader rd = db_.Read();  // the writer: this thread holds the lock
        ASSERT_TRUE(rd.OnWriter());
        for (int i = 0; i < 10; ++i) {
            Statement& st = rd.Reusable("SELECT n + " + std::to_string(i) + " FROM t");
            ASSERT_TRUE(st.Step());
        }
        EXPECT_EQ(OpenStatements(db_.Raw()), before + 10);
    }
    EXPECT_EQ(OpenStatements(db_.Raw()), before);  // per-request SQL is not kept
}

TEST_F(DatabaseTest, ManyReadersAndOneWriterAtOnce) {
    // Readers lease and return pooled connections while the writer commits: each reader sees
    // the row count only grow, and the pool never holds more connections than readers.
    constexpr int kRows = 200;
    constexpr int kReaders = 4;
    std::atomic<bool> writing{true};
    std::thread writer([&] {
        for (int i = 0; i < kRows; ++i) {
            Transaction tx(db_);
            db_.Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
            tx.Commit();
        }
        writing = false;
    });
    std::vector<std::thread> readers;
    std::atomic<int> regressions{0};
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&] {
            std::int64_t last = 0;
            do {
                Database::Reader rd = db_.Read();
                Statement& st = rd.Cached("SELECT count(*) FROM t");
                const std::int64_t n = st.Step() ? st.Int(0) : -1;
                st.Reset();
                if (n < last) {
                    ++regressions;
                }
                last = n;
            } while (writing);
        });
    }
    writer.join();
    for (auto& th : readers) {
        th.join();
    }
    EXPECT_EQ(regressions.load(), 0);
    EXPECT_LE(db_.ReadConnections(), static_cast<std::size_t>(kReaders));
    Database::Reader rd = db_.Read();
    EXPECT_EQ(CountRows(rd), kRows + 1);
    EXPECT_GE(db_.Commits(), static_cast<std::uint64_t>(kRows));
}

TEST(DatabaseReadLimit, ALongReadIsInterruptedAndTheConnectionStaysUsable) {
    Database db(":memory:");
    const auto start = std::chrono::steady_clock::now();
    {
        Database::Reader rd = db.Read(Database::ReadMode::kStatement, 50ms);
        Statement st = rd.Prepare(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            "SELECT count(*) FROM c");
        EXPECT_THROW(st.Step(), ReadLimitExceeded);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    Database::Reader rd = db.Read();
    Statement st = rd.Prepare("SELECT 40 + 2");
    ASSERT_TRUE(st.Step());
    EXPECT_EQ(st.Int(0), 42);
}

TEST(DatabaseInMemory, SharesOneDatabaseAmongConnectionsAndLeavesNothingBehind) {
    std::string path;
    {
        Database db(":memory:");
        path = db.Path();
        ASSERT_FALSE(path.empty());
        EXPECT_EQ(std::filesystem::status(std::filesystem::path(path).parent_path()).permissions(),
                  std::filesystem::perms::owner_all);
        {
            Transaction tx(db);
            db.Exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7)");
            tx.Commit();
        }
        Database::Reader rd = db.Read();
        Statement st = rd.Prepare("SELECT n FROM t");
        ASSERT_TRUE(st.Step());
        EXPECT_EQ(st.Int(0), 7);
    }
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(path).parent_path()));
}

TEST(DatabaseSetup, FunctionsReachEveryConnection) {
    Database db(":memory:");
    db.OnEveryConnection([](sqlite3* c) {
        sqlite3_create_function_v2(
            c,
            "answer",
            0,
            SQLITE_UTF8,
            nullptr,
            [](sqlite3_context* ctx, int, sqlite3_value**) { sqlite3_result_int(ctx, 42); },
            nullptr,
            nullptr,
            nullptr);
    });
    Database::Reader rd = db.Read();
    Statement st = rd.Prepare("SELECT answer()");
    ASSERT_TRUE(st.Step());
    EXPECT_EQ(st.Int(0), 42);
}

}  // namespace
}  // namespace sfkit::server
