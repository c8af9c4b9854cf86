// What the record store does for the data model: mirrored rows that never collide with later
// inserts, auto numbers, Names defaulting to the Id, and the indexes behind unique and
// external-id fields.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "server/schema/custom_objects.hpp"
#include "server/schema/object_builder.hpp"
#include "server/storage/database.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

RecordValues Row(const ObjectDef& o, std::initializer_list<std::pair<const char*, FieldValue>> v) {
    RecordValues values(o.fields.size());
    for (const auto& [name, value] : v) {
        values[o.IndexOf(*o.FindField(name))] = value;
    }
    return values;
}

const FieldValue& At(const ObjectDef& o, const RecordValues& v, const char* name) {
    return v[o.IndexOf(*o.FindField(name))];
}

TEST(SchemaStorageTest, MirroredIdsAreNeverHandedOutAgain) {
    Database db(":memory:");
    auto store = MakeSqliteRecordStore(db, "Lo");
    const Schema schema = Schema::Standard();
    store->Bootstrap(schema);
    const ObjectDef& account = *schema.FindObject("Account");
    // A row whose id someone else chose, in this store's pod: the counter jumps past it.
    const Id mirrored = Id::Make("001", "Lo", 500);
    store->Put(account,
               Row(account, {{"Id", mirrored.Str18()}, {"Name", std::string("Mirrored")}}));
    auto next = Row(account, {{"Name", std::string("Next")}});
    EXPECT_EQ(store->Insert(account, next), Id::Make("001", "Lo", 501));
    // Another pod cannot collide, so the counter is left alone.
    store->Put(account,
               Row(account,
                   {{"Id", Id::Make("001", "Zz", 9000).Str18()}, {"Name", std::string("Other")}}));
    auto after = Row(account, {{"Name", std::string("After")}});
    EXPECT_EQ(store->Insert(account, after), Id::Make("001", "Lo", 502));
    // Put replaces.
    store->Put(account, Row(account, {{"Id", mirrored.Str18()}, {"Name", std::string("Renamed")}}));
    EXPECT_EQ(At(account, *store->Find(account, mirrored), "Name"),
              FieldValue{std::string("Renamed")});
    // Only ids of the object itself.
    EXPECT_THROW(store->Put(account, Row(account, {{"Id", Id::Make("003", "Lo", 1).Str18()}})),
                 StorageError);
}

TEST(SchemaStorageTest, AutoNumbersAndIdDefaultedNames) {
    Database db(":memory:");
    auto store = MakeSqliteRecordStore(db);
    Schema schema = Schema::Standard();
    CustomSchemaSpec spec;
    spec.source = "org.json";
    CustomObjectSpec invoice{"customObjects[0]", "Invoice__c", "Invoice", "", {}, {}};
    invoice.name_field = {"Invoice Number", "AutoNumber", "INV-{0000}", 7};
    spec.objects.push_back(invoice);
    spec.objects.push_back({"customObjects[1]", "Note__c", "Note", "", {}, {}});
    AddCustomSchema(schema, spec, AssignKeyPrefixes(spec, {}));
    store->Bootstrap(schema);
    const ObjectDef& inv = *schema.FindObject("Invoice__c");
    auto first = Row(inv, {});
    auto second = Row(inv, {});
    store->Insert(inv, first);
    store->Insert(inv, second);
    EXPECT_EQ(At(inv, first, "Name"), FieldValue{std::string("INV-0007")});
    EXPECT_EQ(At(inv, second, "Name"), FieldValue{std::string("INV-0008")});
    const ObjectDef& cases = *schema.FindObject("Case");
    auto c = Row(cases, {});
    store->Insert(cases, c);
    EXPECT_EQ(At(cases, c, "CaseNumber"), FieldValue{std::string("00001001")});
    // A custom object's Text Name left empty becomes the Id; a given one is kept.
    const ObjectDef& note = *schema.FindObject("Note__c");
    auto unnamed = Row(note, {});
    const Id id = store->Insert(note, unnamed);
    EXPECT_EQ(At(note, unnamed, "Name"), FieldValue{id.Str18()});
    auto named = Row(note, {{"Name", std::string("Kept")}});
    store->Insert(note, named);
    EXPECT_EQ(At(note, named, "Name"), FieldValue{std::string("Kept")});
}

TEST(SchemaStorageTest, UniqueFieldsRefuseDuplicatesIgnoringCase) {
    Database db(":memory:");
    auto store = MakeSqliteRecordStore(db);
    Schema schema;
    ObjectBuilder b("Thing__c", "Thing", "Things", "a00");
    b.Text("Name", "Thing Name", 80);
    FieldDef& code = b.Text("Code__c", "Code", 20);
    code.unique = true;
    code.external_id = true;
    FieldDef& exact = b.Text("Exact__c", "Exact", 20);
    exact.unique = true;
    exact.case_sensitive = true;
    const ObjectDef& thing = schema.Add(std::move(b).Build());
    store->Bootstrap(schema);
    auto a = Row(thing, {{"Code__c", std::string("abc")}, {"Exact__c", std::string("x")}});
    store->Insert(thing, a);
    auto dup = Row(thing, {{"Code__c", std::string("ABC")}});
    try {
        store->Insert(thing, dup);
        FAIL() << "duplicate accepted";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.code & 0xff, SQLITE_CONSTRAINT) << e.what();
    }
    auto other_case = Row(thing, {{"Code__c", std::string("abd")}, {"Exact__c", std::string("X")}});
    EXPECT_NO_THROW(store->Insert(thing, other_case));  // case-sensitive field: X != x
    // Nothing half-written: the failed insert left no row and used no id.
    auto next = Row(thing, {{"Code__c", std::string("new")}});
    EXPECT_EQ(store->Insert(thing, next), Id::Make("a00", "Lo", 3));
    // The indexes exist under predictable names (for the query planner and for error mapping).
    auto lock = db.Acquire();
    auto st = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sobject_Thing__c' "
        "ORDER BY name");
    std::vector<std::string> names;
    while (st.Step()) {
        names.push_back(st.Text(0));
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"sobject_Thing__c__Code__c__unique",
                                        "sobject_Thing__c__Exact__c__unique",
                                        "sqlite_autoindex_sobject_Thing__c_1"}));
}

}  // namespace
}  // namespace sfkit::server
