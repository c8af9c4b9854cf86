// The SQLite record store: typed columns, the per-prefix id counter, and its persistence.
#include "server/storage/record_store.hpp"

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "server/schema/object_builder.hpp"
#include "server/storage/database.hpp"
#include "support/pg_scratch.hpp"

namespace sfkit::server {
namespace {

class TempDir {
public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() /
                ("sfkit-store-" + std::to_string(::getpid()) + "-" +
                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string File(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

RecordValues Row(const ObjectDef& o, std::initializer_list<std::pair<const char*, FieldValue>> v) {
    RecordValues values(o.fields.size());
    for (const auto& [name, value] : v) {
        values[o.IndexOf(*o.FindField(name))] = value;
    }
    return values;
}

TEST(RecordStoreTest, IdCounterIsPerPrefixAndSurvivesReopen) {
    TempDir dir;
    const std::string path = dir.File("org.db");
    Schema schema = Schema::Standard();
    ObjectBuilder custom("Widget__c", "Widget", "Widgets", "a00");
    custom.Text("Name", "Widget Name", 80);
    schema.Add(std::move(custom).Build());
    const ObjectDef& account = *schema.FindObject("Account");
    const ObjectDef& widget = *schema.FindObject("Widget__c");
    {
        Database db(path);
        auto store = MakeSqliteRecordStore(db);
        store->Bootstrap(schema);
        auto a1 = Row(account, {{"Name", std::string("A1")}});
        auto a2 = Row(account, {{"Name", std::string("A2")}});
        auto w1 = Row(widget, {{"Name", std::string("W1")}});
        EXPECT_EQ(store->Insert(account, a1).Str15(), "001Lo0000000001");
        EXPECT_EQ(store->Insert(widget, w1).Str15(), "a00Lo0000000001");
        EXPECT_EQ(store->Insert(account, a2).Str15(), "001Lo0000000002");
        EXPECT_EQ(std::get<std::string>(a2[0]), Id::Make("001", "Lo", 2).Str18());
    }
    Database db(path);
    auto store = MakeSqliteRecordStore(db);
    store->Bootstrap(schema);  // idempotent on an existing database
    auto a3 = Row(account, {{"Name", std::string("A3")}});
    EXPECT_EQ(store->Insert(account, a3), Id::Make("001", "Lo", 3));
    auto found = store->Find(account, Id::Make("001", "Lo", 1));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(std::get<std::string>((*found)[account.IndexOf(*account.FindField("Name"))]), "A1");
    EXPECT_FALSE(store->Find(account, Id::Make("001", "Lo", 4)).has_value());
}

TEST(RecordStoreTest, ValuesKeepTheirTypes) {
    Database db(":memory:");
    auto store = MakeSqliteRecordStore(db);
    const Schema schema = Schema::Standard();
    store->Bootstrap(schema);
    const ObjectDef& a = *schema.FindObject("Account");
    auto row = Row(a,
                   {{"Name", std::string("Typed")},
                    {"IsDeleted", false},
                    {"NumberOfEmployees", std::int64_t{42}},
                    {"AnnualRevenue", 1000.0},
                    {"BillingLatitude", 48.8566},
                    {"CreatedDate", std::string("2011-07-07T00:37:00.000+0000")}});
    const Id id = store->Insert(a, row);
    auto back = store->Find(a, id);
    ASSERT_TRUE(back.has_value());
    const auto at = [&](const char* name) { return (*back)[a.IndexOf(*a.FindField(name))]; };
    EXPECT_EQ(std::get<bool>(at("IsDeleted")), false);
    EXPECT_EQ(std::get<std::int64_t>(at("NumberOfEmployees")), 42);
    EXPECT_EQ(std::get<double>(at("AnnualRevenue")), 1000.0);
    EXPECT_EQ(std::get<double>(at("BillingLatitude")), 48.8566);
    EXPECT_EQ(std::get<std::string>(at("CreatedDate")), "2011-07-07T00:37:00.000+0000");
    EXPECT_TRUE(IsNull(at("Phone")));
    EXPECT_TRUE(IsNull(at("BillingAddress")));  // compound: never stored
    // Tables are STRICT: a text value in an INTEGER column is refused, not silently kept.
    auto lock = db.Acquire();
    EXPECT_THROW(db.Exec("UPDATE \"sobject_Account\" SET \"NumberOfEmployees\" = 'many'"),
                 StorageError);
}

TEST(RecordStoreTest, BootstrapAddsColumnsForNewFields) {
    TempDir dir;
    const std::string path = dir.File("org.db");
    {
        Schema v1;
        ObjectBuilder b("Widget__c", "Widget", "Widgets", "a00");
        b.Text("Name", "Widget Name", 80);
        v1.Add(std::move(b).Build());
        Database db(path);
        auto store = MakeSqliteRecordStore(db);
        store->Bootstrap(v1);
        RecordValues row = {std::monostate{}, std::string("old")};
        store->Insert(*v1.FindObject("Widget__c"), row);
    }
    Schema v2;
    ObjectBuilder b("Widget__c", "Widget", "Widgets", "a00");
    b.Text("Name", "Widget Name", 80);
    b.Integer("Count__c", "Count", 18);
    const ObjectDef& widget = v2.Add(std::move(b).Build());
    Database db(path);
    auto store = MakeSqliteRecordStore(db);
    store->Bootstrap(v2);
    auto old = store->Find(widget, Id::Make("a00", "Lo", 1));
    ASSERT_TRUE(old.has_value());
    EXPECT_EQ(std::get<std::string>((*old)[1]), "old");
    EXPECT_TRUE(IsNull((*old)[2]));
    RecordValues row = {std::monostate{}, std::string("new"), std::int64_t{7}};
    const Id id = store->Insert(widget, row);
    EXPECT_EQ(std::get<std::int64_t>((*store->Find(widget, id))[2]), 7);
}

/// A small object with an external id, IsDeleted and SystemModstamp, for the write/read paths.
ObjectDef Gadget() {
    ObjectBuilder b("Gadget__c", "Gadget", "Gadgets", "a05");
    b.IsDeleted();
    b.Text("Name", "Gadget Name", 80);
    FieldDef& key = b.Text("Key__c", "Key", 20);
    key.external_id = true;
    key.unique = true;
    FieldDef& exact = b.Text("Exact__c", "Exact", 20);
    exact.external_id = true;
    exact.case_sensitive = true;
    b.Add("SystemModstamp", "System Modstamp", FieldType::kDateTime);
    return std::move(b).Build();
}

/// The store's writes and reads on each engine: SQLite, and PostgreSQL when a server is given
/// (support/pg_scratch.hpp; skipped, visibly, otherwise).
class StoreWritesTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override {
        if (GetParam() == Engine::kPostgres) {
            const auto server = test::PgTestServer();
            if (!server) {
                GTEST_SKIP() << test::kNoPgServer;
            }
            pg_ = std::make_unique<test::PgTestDatabase>(*server);
            db_ = &pg_->Db();
        } else {
            lite_ = std::make_unique<Database>(":memory:");
            db_ = lite_.get();
        }
        store_ = MakeSqliteRecordStore(*db_);
        gadget_ = &schema_.Add(Gadget());
        store_->Bootstrap(schema_);
    }
    Id Add(const std::string& name, const std::string& key, const std::string& stamp) {
        auto row = Row(*gadget_,
                       {{"Name", name},
                        {"IsDeleted", false},
                        {"Key__c", key},
                        {"Exact__c", key},
                        {"SystemModstamp", stamp}});
        return store_->Insert(*gadget_, row);
    }
    std::size_t Index(const char* field) const {
        return gadget_->IndexOf(*gadget_->FindField(field));
    }
    std::unique_ptr<test::PgTestDatabase> pg_;
    std::unique_ptr<Database> lite_;
    Database* db_ = nullptr;
    std::unique_ptr<RecordStore> store_;
    Schema schema_;
    const ObjectDef* gadget_ = nullptr;
};

TEST_P(StoreWritesTest, UpdateWritesOnlyTheGivenFields) {
    const Id id = Add("before", "K1", "2024-01-01T00:00:00.000+0000");
    EXPECT_TRUE(store_->Update(*gadget_, id, {{Index("Name"), std::string("after")}}));
    auto back = *store_->Find(*gadget_, id);
    EXPECT_EQ(std::get<std::string>(back[Index("Name")]), "after");
    EXPECT_EQ(std::get<std::string>(back[Index("Key__c")]), "K1");
    EXPECT_FALSE(
        store_->Update(*gadget_, Id::Make("a05", "Lo", 99), {{Index("Name"), FieldValue{}}}));
}

TEST_P(StoreWritesTest, FindByFollowsCaseSensitivityAndSkipsDeleted) {
    const Id a = Add("a", "Key", "2024-01-01T00:00:00.000+0000");
    EXPECT_EQ(store_->FindBy(*gadget_, *gadget_->FindField("Key__c"), std::string("KEY"), false, 5)
                  .size(),
              1u);
    EXPECT_TRUE(
        store_->FindBy(*gadget_, *gadget_->FindField("Exact__c"), std::string("KEY"), false, 5)
            .empty());
    EXPECT_EQ(
        store_->FindBy(*gadget_, *gadget_->FindField("Exact__c"), std::string("Key"), false, 5)
            .size(),
        1u);
    store_->Update(*gadget_, a, {{Index("IsDeleted"), true}});
    EXPECT_TRUE(
        store_->FindBy(*gadget_, *gadget_->FindField("Key__c"), std::string("key"), false, 5)
            .empty());
    EXPECT_EQ(
        store_->FindBy(*gadget_, *gadget_->FindField("Key__c"), std::string("key"), true, 5).size(),
        1u);
    EXPECT_EQ(store_->Count(*gadget_), 0);
}

TEST_P(StoreWritesTest, WindowsAreHalfOpenAndOrderedByTime) {
    const Id late = Add("late", "L", "2024-01-01T10:05:00.000+0000");
    const Id early = Add("early", "E", "2024-01-01T10:00:00.000+0000");
    Add("edge", "X", "2024-01-01T10:10:00.000+0000");
    const auto ids = store_->ModifiedBetween(
        *gadget_, "2024-01-01T10:00:00.000+0000", "2024-01-01T10:10:00.000+0000");
    EXPECT_EQ(ids, (std::vector<std::string>{early.Str18(), late.Str18()}));
    store_->LogDeletion(*gadget_, late, "2024-01-01T11:00:00.000+0000");
    const auto gone = store_->DeletedBetween(
        *gadget_, "2024-01-01T11:00:00.000+0000", "2024-01-01T11:01:00.000+0000");
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0].id, late.Str18());
    EXPECT_EQ(gone[0].deleted_date, "2024-01-01T11:00:00.000+0000");
    EXPECT_TRUE(store_
                    ->DeletedBetween(
                        *gadget_, "2024-01-01T10:00:00.000+0000", "2024-01-01T11:00:00.000+0000")
                    .empty());
    EXPECT_EQ(store_->Count(*gadget_), 3);
}

TEST_P(StoreWritesTest, AtomicallyRollsBackEverythingOnThrow) {
    const Id kept = Add("kept", "K", "2024-01-01T00:00:00.000+0000");
    EXPECT_THROW(store_->Atomically([&] {
        store_->Update(*gadget_, kept, {{Index("Name"), std::string("changed")}});
        Add("phantom", "P", "2024-01-01T00:00:00.000+0000");
        throw std::runtime_error("validation failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(std::get<std::string>((*store_->Find(*gadget_, kept))[Index("Name")]), "kept");
    EXPECT_EQ(store_->Count(*gadget_), 1);
    // SQLite: the id counter rolled back too, the next insert reuses the number. PostgreSQL:
    // ids come from a block reserved outside the transaction, so the number stays used.
    EXPECT_EQ(Add("next", "N", "2024-01-01T00:00:00.000+0000"),
              Id::Make("a05", "Lo", GetParam() == Engine::kPostgres ? 3 : 2));
    store_->Erase(*gadget_, kept);
    EXPECT_FALSE(store_->Find(*gadget_, kept).has_value());
}

// Two nodes on one PostgreSQL database insert into one object: each takes its ids from blocks
// of the shared counter row, so no id is handed out twice (SQLite: one node, one counter).
TEST_P(StoreWritesTest, TwoStoresOnOneDatabaseNeverShareAnId) {
    if (GetParam() != Engine::kPostgres) {
        GTEST_SKIP() << "one node per SQLite file";
    }
    Database other_db(pg_->Scratch().Target());
    auto other = MakeSqliteRecordStore(other_db);
    std::set<std::string> ids;
    for (int i = 0; i < 1500; ++i) {
        auto row = Row(*gadget_,
                       {{"Name", "n" + std::to_string(i)},
                        {"IsDeleted", false},
                        {"Key__c", "K" + std::to_string(i)},
                        {"Exact__c", "K" + std::to_string(i)},
                        {"SystemModstamp", "2024-01-01T00:00:00.000+0000"}});
        RecordStore& s = (i % 3 == 0) ? *other : *store_;
        EXPECT_TRUE(ids.insert(s.Insert(*gadget_, row).Str18()).second) << i;
    }
    EXPECT_EQ(store_->Count(*gadget_), 1500);
    // Blocks of 1,000: the store that inserted first took 1..1,000, the other 1,001..2,000.
    EXPECT_TRUE(ids.count(Id::Make("a05", "Lo", 1).Str18()));
    EXPECT_TRUE(ids.count(Id::Make("a05", "Lo", 1001).Str18()));
}

TEST_P(StoreWritesTest, SavepointUndoesOnlyItsOwnPiece) {
    // One transaction, three pieces: the failing one leaves nothing behind, the others commit.
    const Id kept = Add("kept", "K", "2024-01-01T00:00:00.000+0000");
    bool second_threw = false;
    store_->Atomically([&] {
        store_->Savepoint([&] { Add("first", "F1", "2024-01-01T00:00:00.000+0000"); });
        try {
            store_->Savepoint([&] {
                store_->Update(*gadget_, kept, {{Index("Name"), std::string("changed")}});
                Add("second", "F2", "2024-01-01T00:00:00.000+0000");
                throw std::runtime_error("refused");
            });
        } catch (const std::runtime_error&) {
            second_threw = true;
        }
        store_->Savepoint([&] {
            // Nested pieces roll back to their own start.
            EXPECT_THROW(store_->Savepoint([&] {
                Add("inner", "F3", "2024-01-01T00:00:00.000+0000");
                throw std::runtime_error("inner");
            }),
                         std::runtime_error);
            Add("third", "F4", "2024-01-01T00:00:00.000+0000");
        });
    });
    EXPECT_TRUE(second_threw);
    const FieldDef& key = *gadget_->FindField("Key__c");
    const auto count = [&](const char* k) {
        return store_->FindBy(*gadget_, key, std::string(k), true, 5).size();
    };
    EXPECT_EQ(count("F1"), 1u);
    EXPECT_EQ(count("F2"), 0u);
    EXPECT_EQ(count("F3"), 0u);
    EXPECT_EQ(count("F4"), 1u);
    EXPECT_EQ(std::get<std::string>((*store_->Find(*gadget_, kept))[Index("Name")]), "kept");
    EXPECT_THROW(store_->Savepoint([] {}), std::logic_error);
}

TEST_P(StoreWritesTest, ConcurrentWritersShareCommitsButFailAlone) {
    // Group commit: many threads write at once; pieces that throw are rolled back on their own
    // (savepoints) while the others in the same group are kept, and nested calls just run.
    constexpr int kThreads = 8;
    constexpr int kPerThread = 40;
    std::vector<std::vector<std::string>> kept(kThreads);
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string key = "T" + std::to_string(t) + "-" + std::to_string(i);
                std::string id;
                try {
                    store_->Atomically([&] {
                        id = Add(key, key, "2024-01-01T00:00:00.000+0000").Str18();
                        store_->Atomically([&] {  // nested: joins the running group
                            store_->Update(*gadget_, *Id::Parse(id), {{Index("Name"), key + "!"}});
                        });
                        if (i % 3 == 0) {
                            throw std::runtime_error("refused");
                        }
                    });
                    kept[t].push_back(id);
                } catch (const std::runtime_error&) {
                    ++failed;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    std::size_t total = 0;
    for (int t = 0; t < kThreads; ++t) {
        for (const auto& id : kept[t]) {
            auto row = store_->Find(*gadget_, *Id::Parse(id));
            ASSERT_TRUE(row.has_value()) << id;
            const std::string name = std::get<std::string>((*row)[Index("Name")]);
            EXPECT_EQ(name.back(), '!');
        }
        total += kept[t].size();
    }
    EXPECT_EQ(failed.load(), kThreads * ((kPerThread + 2) / 3));
    EXPECT_EQ(static_cast<std::int64_t>(total), store_->Count(*gadget_));
    for (int t = 0; t < kThreads; ++t) {  // refused keys left nothing behind
        const auto refused = store_->FindBy(*gadget_,
                                            *gadget_->FindField("Key__c"),
                                            std::string("T" + std::to_string(t) + "-0"),
                                            true,
                                            5);
        EXPECT_TRUE(refused.empty());
    }
}

TEST(RecordStoreTest, ConcurrentWritersNeedFewerCommitsThanTransactions) {
    // Group commit on a durable file: while one writer's transaction runs, the others queue and
    // share the next COMMIT (one fsync). WriteStats counts both.
    TempDir dir;
    Database db(dir.File("org.db"));
    auto store = MakeSqliteRecordStore(db);
    const Schema schema = Schema::Standard();
    store->Bootstrap(schema);
    const ObjectDef& account = *schema.FindObject("Account");
    const RecordStore::WriteStats before = store->Writes();
    const std::uint64_t commits_before = db.Commits();

    constexpr int kWriters = 8;
    std::atomic<bool> first_running{false};
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
        store->Atomically([&] {
            first_running = true;
            auto row = Row(account, {{"Name", std::string("first")}, {"IsDeleted", false}});
            store->Insert(account, row);
            // Long enough for every other writer to queue behind this transaction.
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        });
    });
    while (!first_running) {
        std::this_thread::yield();
    }
    for (int t = 1; t < kWriters; ++t) {
        threads.emplace_back([&, t] {
            store->Atomically([&] {
                auto row =
                    Row(account, {{"Name", "writer " + std::to_string(t)}, {"IsDeleted", false}});
                store->Insert(account, row);
            });
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    const RecordStore::WriteStats after = store->Writes();
    EXPECT_EQ(after.transactions - before.transactions, static_cast<std::uint64_t>(kWriters));
    EXPECT_GE(after.commits - before.commits, 1U);
    EXPECT_LT(after.commits - before.commits, after.transactions - before.transactions);
    EXPECT_EQ(db.Commits() - commits_before, after.commits - before.commits);
    EXPECT_EQ(store->Count(account), kWriters);
}

TEST_P(StoreWritesTest, AGroupKeepsTheGoodPiecesWhenOneFails) {
    // While the first writer's group runs, two more queue up and form the next group together:
    // one of them throws, the other must still be committed.
    std::atomic<bool> first_running{false};
    std::atomic<bool> release_first{false};
    std::thread first([&] {
        store_->Atomically([&] {
            first_running = true;
            while (!release_first) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            Add("first", "F", "2024-01-01T00:00:00.000+0000");
        });
    });
    while (!first_running) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    bool bad_threw = false;
    std::thread bad([&] {
        try {
            store_->Atomically([&] {
                Add("bad", "B", "2024-01-01T00:00:00.000+0000");
                throw std::runtime_error("no");
            });
        } catch (const std::runtime_error&) {
            bad_threw = true;
        }
    });
    std::thread good(
        [&] { store_->Atomically([&] { Add("good", "G", "2024-01-01T00:00:00.000+0000"); }); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let both queue behind `first`
    release_first = true;
    first.join();
    bad.join();
    good.join();
    EXPECT_TRUE(bad_threw);
    const FieldDef& key = *gadget_->FindField("Key__c");
    EXPECT_EQ(store_->FindBy(*gadget_, key, std::string("F"), true, 5).size(), 1u);
    EXPECT_EQ(store_->FindBy(*gadget_, key, std::string("G"), true, 5).size(), 1u);
    EXPECT_TRUE(store_->FindBy(*gadget_, key, std::string("B"), true, 5).empty());
}

TEST(RecordStoreTest, DeleteLogStartSurvivesRestart) {
    TempDir dir;
    const std::string path = dir.File("org.db");
    Schema schema = Schema::Standard();
    std::string since;
    {
        Database db(path);
        auto store = MakeSqliteRecordStore(db);
        store->Bootstrap(schema);
        since = store->DeleteLogSince();
    }
    Database db(path);
    auto store = MakeSqliteRecordStore(db);
    store->Bootstrap(schema);
    EXPECT_EQ(store->DeleteLogSince(), since);
    EXPECT_EQ(since.size(), std::string("2011-07-07T00:37:00.000+0000").size());
}

INSTANTIATE_TEST_SUITE_P(Engines,
                         StoreWritesTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& engine) {
                             return engine.param == Engine::kPostgres ? "postgresql" : "sqlite";
                         });

}  // namespace
}  // namespace sfkit::server
