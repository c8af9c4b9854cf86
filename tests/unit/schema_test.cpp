// Schema registry lookups, Account's definition, and date/time normalisation.
#include "server/schema/schema.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "server/schema/field_value.hpp"
#include "server/schema/object_builder.hpp"

namespace sfkit::server {
namespace {

TEST(SchemaTest, ObjectLookupIsCaseInsensitiveAndCanonical) {
    const Schema schema = Schema::Standard();
    for (const char* name : {"Account", "account", "ACCOUNT", "aCcOuNt"}) {
        const ObjectDef* o = schema.FindObject(name);
        ASSERT_NE(o, nullptr) << name;
        EXPECT_EQ(o->name, "Account");
    }
    EXPECT_EQ(schema.FindObject("Accounts"), nullptr);
    EXPECT_EQ(schema.FindObject(""), nullptr);
    ASSERT_NE(schema.FindByKeyPrefix("001"), nullptr);
    EXPECT_EQ(schema.FindByKeyPrefix("001")->name, "Account");
    EXPECT_EQ(schema.FindByKeyPrefix("a00"), nullptr);  // no custom objects in the standard set
}

TEST(SchemaTest, FieldLookupIsCaseInsensitiveAndCanonical) {
    const Schema schema = Schema::Standard();
    const ObjectDef& account = *schema.FindObject("Account");
    const FieldDef* city = account.FindField("billingcity");
    ASSERT_NE(city, nullptr);
    EXPECT_EQ(city->name, "BillingCity");
    EXPECT_EQ(city->label, "Billing City");
    EXPECT_EQ(city->length, 40);
    EXPECT_EQ(account.FindField("BillingCitty"), nullptr);
    EXPECT_EQ(&account.fields[account.IndexOf(*city)], city);
    EXPECT_EQ(account.IdField().name, "Id");
}

TEST(SchemaTest, AccountCarriesRealAttributes) {
    const Schema schema = Schema::Standard();
    const ObjectDef& a = *schema.FindObject("Account");
    struct Expect {
        const char* name;
        FieldType type;
        int length;
        bool nillable, createable, updateable;
    };
    for (const Expect& e : {
             Expect{"Id", FieldType::kId, 18, false, false, false},
             Expect{"Name", FieldType::kString, 255, false, true, true},
             Expect{"Type", FieldType::kPicklist, 40, true, true, true},
             Expect{"BillingStreet", FieldType::kTextArea, 255, true, true, true},
             Expect{"BillingState", FieldType::kString, 80, true, true, true},
             Expect{"BillingPostalCode", FieldType::kString, 20, true, true, true},
             Expect{"BillingAddress", FieldType::kAddress, 0, true, false, false},
             Expect{"Phone", FieldType::kPhone, 40, true, true, true},
             Expect{"Website", FieldType::kUrl, 255, true, true, true},
             Expect{"PhotoUrl", FieldType::kUrl, 255, true, false, false},
             Expect{"AnnualRevenue", FieldType::kCurrency, 0, true, true, true},
             Expect{"NumberOfEmployees", FieldType::kInt, 0, true, true, true},
             Expect{"Description", FieldType::kTextArea, 32000, true, true, true},
             Expect{"OwnerId", FieldType::kReference, 18, false, true, true},
             Expect{"CreatedDate", FieldType::kDateTime, 0, false, false, false},
             Expect{"LastActivityDate", FieldType::kDate, 0, true, false, false},
         }) {
        const FieldDef* f = a.FindField(e.name);
        ASSERT_NE(f, nullptr) << e.name;
        EXPECT_EQ(f->type, e.type) << e.name;
        EXPECT_EQ(f->length, e.length) << e.name;
        EXPECT_EQ(f->nillable, e.nillable) << e.name;
        EXPECT_EQ(f->createable, e.createable) << e.name;
        EXPECT_EQ(f->updateable, e.updateable) << e.name;
    }
    std::vector<std::string> required;
    for (const FieldDef& f : a.fields) {
        if (f.RequiredOnCreate()) {
            required.push_back(f.name);
        }
    }
    EXPECT_EQ(required, std::vector<std::string>{"Name"});
    EXPECT_EQ(a.FindField("ParentId")->reference_to, std::vector<std::string>{"Account"});
    EXPECT_EQ(a.FindField("ParentId")->relationship_name, "Parent");
    EXPECT_TRUE(a.FindField("BillingGeocodeAccuracy")->restricted_picklist);
    EXPECT_EQ(TypeName(a.FindField("CreatedDate")->type), "datetime");
    EXPECT_EQ(SoapType(a.FindField("OwnerId")->type), "tns:ID");
}

TEST(SchemaTest, AddressComponentsGetAlphabeticalKeys) {
    const Schema schema = Schema::Standard();
    const ObjectDef& a = *schema.FindObject("Account");
    const FieldDef& billing = *a.FindField("BillingAddress");
    std::vector<std::string> keys;
    for (std::size_t i : a.ComponentsOf(billing)) {
        keys.push_back(a.fields[i].compound_key);
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"street",
                                        "city",
                                        "state",
                                        "postalCode",
                                        "country",
                                        "latitude",
                                        "longitude",
                                        "geocodeAccuracy"}));
}

TEST(SchemaTest, RejectsDuplicatesAndBadDefinitions) {
    Schema s = Schema::Standard();
    EXPECT_THROW(s.Add(ObjectBuilder("account", "A", "As", "0AA").Build()), std::invalid_argument);
    EXPECT_THROW(s.Add(ObjectBuilder("Thing__c", "T", "Ts", "001").Build()), std::invalid_argument);
    ObjectBuilder dup("Widget__c", "Widget", "Widgets", "a00");
    dup.Text("Name", "Name", 80);
    dup.Text("name", "Name again", 80);
    EXPECT_THROW(s.Add(std::move(dup).Build()), std::invalid_argument);
    ObjectBuilder no_length("Gadget__c", "Gadget", "Gadgets", "a01");
    no_length.Text("Code__c", "Code", 0);
    EXPECT_THROW(s.Add(std::move(no_length).Build()), std::invalid_argument);
    ObjectBuilder ok("Gizmo__c", "Gizmo", "Gizmos", "a02");
    ok.Text("Name", "Gizmo Name", 80);
    const ObjectDef& added = s.Add(std::move(ok).Build());
    EXPECT_EQ(s.FindObject("GIZMO__C"), &added);
    EXPECT_EQ(s.FindByKeyPrefix("a02"), &added);
    EXPECT_EQ(s.Objects().front()->name, "AcceptedEventRelation");  // sorted by name
}

TEST(FieldValueTest, DateTimesNormaliseToUtcWithMillis) {
    struct Case {
        const char* in;
        const char* out;
    };
    for (const Case& c : {
             Case{"2011-07-07T00:37:00.000+0000", "2011-07-07T00:37:00.000+0000"},
             Case{"2011-07-07T00:37:00Z", "2011-07-07T00:37:00.000+0000"},
             Case{"2011-07-07T00:37Z", "2011-07-07T00:37:00.000+0000"},
             Case{"2011-07-07T02:37:00.5+02:00", "2011-07-07T00:37:00.500+0000"},
             Case{"2011-07-07T00:37:00.123456-0130", "2011-07-07T02:07:00.123+0000"},
             Case{"2011-07-07T00:37:00", "2011-07-07T00:37:00.000+0000"},
             Case{"2011-07-07", "2011-07-07T00:00:00.000+0000"},
             Case{"2012-02-29T23:59:59.999-00:01", "2012-03-01T00:00:59.999+0000"},
             // Salesforce's datetimes run from 1700 to 4000: beyond the 1677-2262 span of a
             // nanosecond clock (found by date_literal_fuzz).
             Case{"1700-01-01T00:00:00Z", "1700-01-01T00:00:00.000+0000"},
             Case{"3000-01-01T00:00:00Z", "3000-01-01T00:00:00.000+0000"},
             Case{"4000-12-31T23:59:59.999+00:00", "4000-12-31T23:59:59.999+0000"},
             Case{"0001-01-01T00:30:00+00:15", "0001-01-01T00:15:00.000+0000"},
             Case{"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999+0000"},
         }) {
        auto r = NormalizeDateTime(c.in);
        ASSERT_TRUE(r.has_value()) << c.in;
        EXPECT_EQ(*r, c.out) << c.in;
    }
    for (const char* bad : {"2017-10-17 00:00:00",
                            "2011-13-01T00:00:00Z",
                            "2011-02-29",
                            "2011-07-07T24:00:00Z",
                            "07/07/2011",
                            "2011-07-07T00:37:00+2",
                            // in UTC before year 0000 or after 9999: not writable canonically
                            "0000-01-01T00:00:00+01:00",
                            "9999-12-31T23:59:59-00:01",
                            ""}) {
        EXPECT_FALSE(NormalizeDateTime(bad).has_value()) << bad;
    }
    EXPECT_EQ(NormalizeDate("2010-01-01").value_or(""), "2010-01-01");
    EXPECT_FALSE(NormalizeDate("2010-1-1").has_value());
    EXPECT_EQ(NormalizeTime("11:59:59Z").value_or(""), "11:59:59.000Z");
    EXPECT_EQ(NormalizeTime("11:59").value_or(""), "11:59:00.000Z");
    EXPECT_FALSE(NormalizeTime("25:00").has_value());
    EXPECT_EQ(FormatDateTime(std::chrono::system_clock::time_point(std::chrono::milliseconds(0))),
              "1970-01-01T00:00:00.000+0000");
}

}  // namespace
}  // namespace sfkit::server
