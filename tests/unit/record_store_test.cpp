// The SQLite record store: typed columns, the per-prefix id counter, and its persistence.
#include "server/storage/record_store.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "server/schema/object_builder.hpp"
#include "server/storage/database.hpp"

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

}  // namespace
}  // namespace sfkit::server
