// Custom objects and fields from the org definition: what they become, the errors for bad
// declarations (file + JSON path), and key prefixes that stay put across restarts.
#include "server/schema/custom_objects.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "server/api/org_schema.hpp"
#include "server/org/org_def.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

constexpr const char* kUsers = R"("users":[{"username":"a@b.test","password":"p"}])";

/// Parses an org definition with `custom` (JSON members after "users") and builds the schema.
Schema Build(const std::string& custom, const KeyPrefixMap& stored = {}) {
    const OrgDefinition def =
        ParseOrgDefinition("{" + std::string(kUsers) + "," + custom + "}", "org.json");
    Schema schema = Schema::Standard();
    AddCustomSchema(schema, def.custom, AssignKeyPrefixes(def.custom, stored));
    return schema;
}

std::string BuildError(const std::string& custom) {
    try {
        Build(custom);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

// The example of the issue, verbatim.
constexpr const char* kIssueExample = R"(
  "customObjects":[{"name":"Invoice__c","label":"Invoice","pluralLabel":"Invoices",
    "nameField":{"label":"Invoice Number","type":"AutoNumber","displayFormat":"INV-{0000}"},
    "fields":[{"name":"Amount__c","type":"Currency","precision":18,"scale":2},
      {"name":"Account__c","type":"Lookup","referenceTo":"Account","relationshipName":"Invoices"},
      {"name":"Order__c","type":"MasterDetail","referenceTo":"Order","relationshipName":"Invoices"},
      {"name":"ExtId__c","type":"Text","length":40,"externalId":true,"unique":true},
      {"name":"Status__c","type":"Picklist","values":["Draft","Sent"],"restricted":true}]}],
  "customFields":{"Account":[{"name":"Region__c","type":"Text","length":80}]})";

TEST(CustomObjectsTest, IssueExampleBuilds) {
    const Schema s = Build(kIssueExample);
    const ObjectDef* invoice = s.FindObject("invoice__C");
    ASSERT_NE(invoice, nullptr);
    EXPECT_EQ(invoice->name, "Invoice__c");
    EXPECT_EQ(invoice->key_prefix, "a00");
    EXPECT_EQ(invoice->label_plural, "Invoices");
    EXPECT_TRUE(invoice->flags.custom);
    // Standard fields of a custom object, in Salesforce's order; a master-detail child has no
    // OwnerId (its records belong to the master's owner).
    std::vector<std::string> names;
    for (const FieldDef& f : invoice->fields) {
        names.push_back(f.name);
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"Id",
                                        "IsDeleted",
                                        "Name",
                                        "CreatedDate",
                                        "CreatedById",
                                        "LastModifiedDate",
                                        "LastModifiedById",
                                        "SystemModstamp",
                                        "LastViewedDate",
                                        "LastReferencedDate",
                                        "Amount__c",
                                        "Account__c",
                                        "Order__c",
                                        "ExtId__c",
                                        "Status__c"}));
    const FieldDef& name = *invoice->FindField("Name");
    EXPECT_TRUE(name.auto_number);
    EXPECT_EQ(name.display_format, "INV-{0000}");
    EXPECT_EQ(name.label, "Invoice Number");
    EXPECT_FALSE(name.createable);
    EXPECT_TRUE(name.name_field);

    const FieldDef& amount = *invoice->FindField("amount__c");
    EXPECT_EQ(amount.type, FieldType::kCurrency);
    EXPECT_EQ(amount.precision, 18);
    EXPECT_EQ(amount.scale, 2);
    EXPECT_TRUE(amount.custom);
    EXPECT_EQ(amount.label, "Amount");

    const FieldDef& account = *invoice->FindField("Account__c");
    EXPECT_EQ(account.reference_to, std::vector<std::string>{"Account"});
    EXPECT_EQ(account.relationship_name, "Account__r");
    EXPECT_EQ(account.child_relationship_name, "Invoices__r");
    EXPECT_TRUE(account.nillable);
    EXPECT_FALSE(account.IsMasterDetail());

    const FieldDef& order = *invoice->FindField("Order__c");
    EXPECT_TRUE(order.IsMasterDetail());
    EXPECT_EQ(order.relationship_order, 0);
    EXPECT_FALSE(order.nillable);
    EXPECT_TRUE(order.cascade_delete);
    EXPECT_FALSE(order.updateable);
    EXPECT_TRUE(order.RequiredOnCreate());

    const FieldDef& ext = *invoice->FindField("ExtId__c");
    EXPECT_EQ(ext.length, 40);
    EXPECT_TRUE(ext.external_id);
    EXPECT_TRUE(ext.unique);
    EXPECT_TRUE(ext.id_lookup);

    const FieldDef& status = *invoice->FindField("Status__c");
    EXPECT_EQ(status.type, FieldType::kPicklist);
    EXPECT_TRUE(status.restricted_picklist);
    ASSERT_EQ(status.picklist.size(), 2u);
    EXPECT_EQ(status.picklist[1].value, "Sent");

    // Both directions of the relationships.
    const ObjectDef& account_object = *s.FindObject("Account");
    EXPECT_EQ(account_object.FindField("Region__c")->length, 80);
    EXPECT_TRUE(account_object.FindField("Region__c")->custom);
    auto invoices = s.FindChildRelationship(account_object, "invoices__r");
    ASSERT_TRUE(invoices.has_value());
    EXPECT_EQ(invoices->child, invoice);
    EXPECT_EQ(s.FindChildRelationship(*s.FindObject("Order"), "Invoices__r")->field->name,
              "Order__c");
    EXPECT_EQ(invoice->FindRelationship("account__r")->name, "Account__c");
    // Custom objects can have activities and notes.
    const auto& what = s.FindObject("Task")->FindField("WhatId")->reference_to;
    EXPECT_NE(std::find(what.begin(), what.end(), "Invoice__c"), what.end());
    const auto& parent = s.FindObject("Note")->FindField("ParentId")->reference_to;
    EXPECT_NE(std::find(parent.begin(), parent.end(), "Invoice__c"), parent.end());
}

TEST(CustomObjectsTest, DefaultsOfAPlainObject) {
    const Schema s = Build(R"("customObjects":[{"name":"Widget__c","label":"Widget",
        "fields":[{"name":"Size_In_Cm__c","type":"Number"},
                  {"name":"Owner_Contact__c","type":"Lookup","referenceTo":"contact"},
                  {"name":"Done__c","type":"Checkbox","defaultValue":true},
                  {"name":"Kind__c","type":"Picklist","values":["A","B"],"defaultValue":"B"},
                  {"name":"Blurb__c","type":"LongTextArea"}]}])");
    const ObjectDef& w = *s.FindObject("Widget__c");
    EXPECT_EQ(w.label_plural, "Widgets");
    ASSERT_NE(w.FindField("OwnerId"), nullptr);
    EXPECT_EQ(w.FindField("OwnerId")->reference_to, (std::vector<std::string>{"Group", "User"}));
    const FieldDef& name = *w.FindField("Name");
    EXPECT_EQ(name.label, "Widget Name");
    EXPECT_EQ(name.length, 80);
    EXPECT_TRUE(name.defaults_to_id);
    EXPECT_FALSE(name.RequiredOnCreate());
    const FieldDef& size = *w.FindField("Size_In_Cm__c");
    EXPECT_EQ(size.label, "Size In Cm");
    EXPECT_EQ(size.type, FieldType::kDouble);
    EXPECT_EQ(size.precision, 18);
    EXPECT_EQ(size.scale, 0);
    const FieldDef& contact = *w.FindField("Owner_Contact__c");
    EXPECT_EQ(contact.reference_to, std::vector<std::string>{"Contact"});  // canonical case
    EXPECT_EQ(contact.child_relationship_name, "Widgets__r");              // from the plural label
    EXPECT_EQ(w.FindField("Done__c")->default_boolean, true);
    EXPECT_TRUE(w.FindField("Kind__c")->picklist[1].default_value);
    EXPECT_EQ(w.FindField("Blurb__c")->length, 32768);
}

struct ErrorCase {
    const char* label;
    std::string custom;
    std::string expected;  ///< the whole message after "org definition org.json: "
};

class CustomObjectErrorTest : public ::testing::TestWithParam<ErrorCase> {};

std::string Obj(const std::string& fields, const std::string& extra = "") {
    return R"("customObjects":[{"name":"Invoice__c","label":"Invoice")" + extra + R"(,"fields":[)" +
           fields + "]}]";
}

std::vector<ErrorCase> ErrorCases() {
    return {
        {"NotAnArray",
         R"("customObjects":{})",
         "customObjects: expected an array of custom object definitions"},
        {"NoSuffix",
         R"("customObjects":[{"name":"Gadget","label":"Gadget"}])",
         "customObjects[0].name: 'Gadget' is not a valid custom object name (letters, digits and "
         "single underscores, starting with a letter, at most 40 characters, ending in __c)"},
        {"DoubleUnderscore",
         R"("customObjects":[{"name":"My__Thing__c","label":"T"}])",
         "customObjects[0].name: 'My__Thing__c' is not a valid custom object name (letters, "
         "digits and single underscores, starting with a letter, at most 40 characters, ending in "
         "__c)"},
        {"MissingLabel",
         R"("customObjects":[{"name":"Thing__c"}])",
         "customObjects[0].label: required (a non-empty string)"},
        {"UnknownObjectKey",
         R"("customObjects":[{"name":"Thing__c","label":"T","colour":"red"}])",
         "customObjects[0]: unknown key 'colour' (allowed: name, label, pluralLabel, nameField, "
         "fields, description)"},
        {"DuplicateObject",
         R"("customObjects":[{"name":"Thing__c","label":"T"},{"name":"thing__c","label":"U"}])",
         "customObjects[1].name: duplicate object 'thing__c'"},
        {"BadFieldName",
         Obj(R"({"name":"Amount","type":"Currency"})"),
         "customObjects[0].fields[0].name: 'Amount' is not a valid custom field name (letters, "
         "digits and single underscores, starting with a letter, at most 40 characters, ending in "
         "__c)"},
        {"FieldNameWithDash",
         Obj(R"({"name":"Net-Amount__c","type":"Currency"})"),
         "customObjects[0].fields[0].name: 'Net-Amount__c' is not a valid custom field name "
         "(letters, digits and single underscores, starting with a letter, at most 40 characters, "
         "ending in __c)"},
        {"UnknownType",
         Obj(R"({"name":"Amount__c","type":"Money"})"),
         "customObjects[0].fields[0].type: unknown field type 'Money' (Text, TextArea, "
         "LongTextArea, Number, Currency, Percent, Checkbox, Date, DateTime, Time, Email, Phone, "
         "Url, Picklist, MultiselectPicklist, Lookup, MasterDetail, AutoNumber)"},
        {"MissingType",
         Obj(R"({"name":"Amount__c"})"),
         "customObjects[0].fields[0].type: required (a non-empty string)"},
        {"TextTooLong",
         Obj(R"({"name":"Code__c","type":"Text","length":256})"),
         "customObjects[0].fields[0].length: Text length must be from 1 to 255 (got 256)"},
        {"LengthNotWhole",
         Obj(R"({"name":"Code__c","type":"Text","length":12.5})"),
         "customObjects[0].fields[0].length: expected a whole number"},
        {"LongTextTooShort",
         Obj(R"({"name":"Notes__c","type":"LongTextArea","length":100})"),
         "customObjects[0].fields[0].length: LongTextArea length must be from 256 to 131072 (got "
         "100)"},
        {"LengthOnNumber",
         Obj(R"({"name":"Qty__c","type":"Number","length":5})"),
         "customObjects[0].fields[0].length: not used by Number fields"},
        {"PrecisionTooBig",
         Obj(R"({"name":"Qty__c","type":"Number","precision":19})"),
         "customObjects[0].fields[0].precision: must be from 1 to 18 (got 19)"},
        {"ScaleAbovePrecision",
         Obj(R"({"name":"Qty__c","type":"Number","precision":4,"scale":5})"),
         "customObjects[0].fields[0].scale: must be from 0 to the precision 4 (got 5)"},
        {"PicklistWithoutValues",
         Obj(R"({"name":"Status__c","type":"Picklist"})"),
         "customObjects[0].fields[0].values: a Picklist needs at least one value"},
        {"DuplicatePicklistValue",
         Obj(R"({"name":"Status__c","type":"Picklist","values":["Draft","draft"]})"),
         "customObjects[0].fields[0].values[1]: duplicate value 'draft'"},
        {"DefaultNotAValue",
         Obj(R"({"name":"Status__c","type":"Picklist","values":["A"],"defaultValue":"B"})"),
         "customObjects[0].fields[0].defaultValue: 'B' is not one of the values"},
        {"LookupWithoutTarget",
         Obj(R"({"name":"Account__c","type":"Lookup"})"),
         "customObjects[0].fields[0].referenceTo: required: the object this Lookup points at"},
        {"UnknownTarget",
         Obj(R"({"name":"Account__c","type":"Lookup","referenceTo":"Acount"})"),
         "customObjects[0].fields[0].referenceTo: unknown object 'Acount'"},
        {"LookupToTask",
         Obj(R"({"name":"Task__c","type":"Lookup","referenceTo":"Task"})"),
         "customObjects[0].fields[0].referenceTo: Task cannot be the target of a Lookup"},
        {"MasterIsUser",
         Obj(R"({"name":"User__c","type":"MasterDetail","referenceTo":"User"})"),
         "customObjects[0].fields[0].referenceTo: User cannot be the master of a MasterDetail"},
        {"ThreeMasters",
         Obj(R"({"name":"A__c","type":"MasterDetail","referenceTo":"Account","relationshipName":"A"},
                {"name":"B__c","type":"MasterDetail","referenceTo":"Contact","relationshipName":"B"},
                {"name":"C__c","type":"MasterDetail","referenceTo":"Case","relationshipName":"C"})"),
         "customObjects[0].fields[2].type: an object can have at most two MasterDetail fields"},
        {"DuplicateChildRelationship",
         Obj(R"({"name":"A__c","type":"Lookup","referenceTo":"Account","relationshipName":"Invoices"},
                {"name":"B__c","type":"Lookup","referenceTo":"Account","relationshipName":"Invoices"})"),
         "customObjects[0].fields[1].relationshipName: 'Invoices__r' is already a child "
         "relationship of Account"},
        {"BadRelationshipName",
         Obj(R"({"name":"A__c","type":"Lookup","referenceTo":"Account","relationshipName":"My Invoices"})"),
         "customObjects[0].fields[0].relationshipName: 'My Invoices' is not a valid relationship "
         "name (letters, digits and single underscores, starting with a letter; __r is added by "
         "Salesforce)"},
        {"BadDeleteConstraint",
         Obj(R"({"name":"A__c","type":"Lookup","referenceTo":"Account","deleteConstraint":"Nuke"})"),
         "customObjects[0].fields[0].deleteConstraint: 'Nuke' is not SetNull, Restrict or Cascade"},
        {"DuplicateField",
         Obj(R"({"name":"Amount__c","type":"Currency"},{"name":"AMOUNT__c","type":"Number"})"),
         "customObjects[0].fields[1].name: duplicate field 'AMOUNT__c' on Invoice__c"},
        {"UniqueOnPicklist",
         Obj(R"({"name":"S__c","type":"Picklist","values":["A"],"unique":true})"),
         "customObjects[0].fields[0].unique: not used by Picklist fields"},
        {"RequiredCheckbox",
         Obj(R"({"name":"Done__c","type":"Checkbox","required":true})"),
         "customObjects[0].fields[0].required: checkboxes are never empty; drop 'required'"},
        {"AutoNumberWithoutFormat",
         Obj(R"({"name":"Seq__c","type":"AutoNumber","displayFormat":"INV"})"),
         "customObjects[0].fields[0].displayFormat: an AutoNumber needs a display format with a "
         "{0...} number block, e.g. \"INV-{0000}\""},
        {"BadNameFieldType",
         Obj("", R"(,"nameField":{"type":"Number"})"),
         "customObjects[0].nameField.type: 'Number' is not a name field type (Text or "
         "AutoNumber)"},
        {"AutoNameWithoutFormat",
         Obj("", R"(,"nameField":{"type":"AutoNumber"})"),
         "customObjects[0].nameField.displayFormat: an AutoNumber name needs a display format "
         "with a {0...} number block, e.g. \"INV-{0000}\""},
        {"UnknownFieldKey",
         Obj(R"({"name":"A__c","type":"Text","lenght":10})"),
         "customObjects[0].fields[0]: unknown key 'lenght' (allowed: name, label, type, length, "
         "precision, scale, required, externalId, unique, caseSensitive, defaultValue, values, "
         "restricted, referenceTo, relationshipName, deleteConstraint, reparentable, "
         "displayFormat, startingNumber, helpText, description)"},
        {"CustomFieldsNotAnObject",
         R"("customFields":[])",
         "customFields: expected an object: {\"Account\": [fields...], \"Contact\": [...]}"},
        {"CustomFieldsUnknownObject",
         R"("customFields":{"Acount":[{"name":"Region__c","type":"Text"}]})",
         "customFields.Acount: unknown object 'Acount'"},
        {"CustomFieldClashesWithStandard",
         R"("customFields":{"Account":[{"name":"Region__c","type":"Text"},{"name":"region__c","type":"Text"}]})",
         "customFields.Account[1].name: duplicate field 'region__c' on Account"},
        {"MasterDetailOnStandard",
         R"("customFields":{"Contact":[{"name":"Acct__c","type":"MasterDetail","referenceTo":"Account"}]})",
         "customFields.Contact[0].type: MasterDetail fields can only be added to custom objects "
         "(Contact cannot be a detail)"},
        {"CustomFieldsOnOrganization",
         R"("customFields":{"Organization":[{"name":"X__c","type":"Text"}]})",
         "customFields.Organization: Organization cannot have custom fields"},
    };
}

TEST_P(CustomObjectErrorTest, NamesFileAndPath) {
    EXPECT_EQ(BuildError(GetParam().custom), "org definition org.json: " + GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(OrgDefinition,
                         CustomObjectErrorTest,
                         ::testing::ValuesIn(ErrorCases()),
                         [](const auto& p) { return std::string(p.param.label); });

TEST(CustomObjectsTest, ReferencesBetweenCustomObjectsResolveInAnyOrder) {
    const Schema s = Build(R"("customObjects":[
        {"name":"Line__c","label":"Line","fields":[
            {"name":"Invoice__c","type":"MasterDetail","referenceTo":"Invoice__c"}]},
        {"name":"Invoice__c","label":"Invoice"}])");
    EXPECT_EQ(s.FindObject("Line__c")->key_prefix, "a00");
    EXPECT_EQ(s.FindObject("Invoice__c")->key_prefix, "a01");
    EXPECT_EQ(s.FindObject("Line__c")->FindField("OwnerId"), nullptr);
    EXPECT_EQ(s.FindChildRelationship(*s.FindObject("Invoice__c"), "Lines__r")->child->name,
              "Line__c");
}

TEST(CustomKeyPrefixTest, SequenceAndStability) {
    EXPECT_EQ(CustomKeyPrefix(0), "a00");
    EXPECT_EQ(CustomKeyPrefix(9), "a09");
    EXPECT_EQ(CustomKeyPrefix(10), "a0A");
    EXPECT_EQ(CustomKeyPrefix(61), "a0z");
    EXPECT_EQ(CustomKeyPrefix(62), "a10");

    CustomSchemaSpec spec;
    spec.objects.push_back({"customObjects[0]", "A__c", "A", "", {}, {}});
    spec.objects.push_back({"customObjects[1]", "B__c", "B", "", {}, {}});
    const KeyPrefixMap first = AssignKeyPrefixes(spec, {});
    EXPECT_EQ(first.at("a__c"), "a00");
    EXPECT_EQ(first.at("b__c"), "a01");
    // Same file again: same prefixes.
    EXPECT_EQ(AssignKeyPrefixes(spec, first), first);
    // A removed, C added in front: B keeps a01, C gets the lowest prefix nobody ever had.
    CustomSchemaSpec later;
    later.objects.push_back({"customObjects[0]", "C__c", "C", "", {}, {}});
    later.objects.push_back({"customObjects[1]", "B__c", "B", "", {}, {}});
    const KeyPrefixMap second = AssignKeyPrefixes(later, first);
    EXPECT_EQ(second.at("b__c"), "a01");
    EXPECT_EQ(second.at("c__c"), "a02");
    EXPECT_EQ(second.at("a__c"), "a00");  // kept reserved for A
}

class TempFile {
public:
    TempFile()
        : path_(std::filesystem::temp_directory_path() /
                ("sfkit-schema-" + std::to_string(::getpid()) + "-" +
                 std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".db")) {}
    ~TempFile() {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(path_.string() + suffix);
        }
    }
    std::string Path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

CustomSchemaSpec Spec(const std::string& custom) {
    return ParseOrgDefinition("{" + std::string(kUsers) + "," + custom + "}", "org.json").custom;
}

TEST(OrgSchemaTest, PrefixesAndLastModifiedSurviveRestarts) {
    TempFile db_file;
    const std::string v1 =
        R"("customObjects":[{"name":"A__c","label":"A"},{"name":"B__c","label":"B"}])";
    const std::string v2 = R"("customObjects":[{"name":"B__c","label":"B"},)"
                           R"({"name":"C__c","label":"C"},{"name":"A__c","label":"A"}])";
    std::int64_t modified = 0;
    {
        Database db(db_file.Path());
        OrgSchema s(db, Spec(v1));
        s.Persist();
        EXPECT_EQ(s.Get().FindObject("A__c")->key_prefix, "a00");
        EXPECT_EQ(s.Get().FindObject("B__c")->key_prefix, "a01");
        modified = s.LastModifiedMs();
        EXPECT_GT(modified, 0);
        EXPECT_EQ(modified % 1000, 0);
    }
    {
        Database db(db_file.Path());
        OrgSchema s(db, Spec(v1));
        s.Persist();
        EXPECT_EQ(s.LastModifiedMs(), modified);  // nothing changed
    }
    Database db(db_file.Path());
    OrgSchema s(db, Spec(v2));  // reordered, one added
    s.Persist();
    EXPECT_EQ(s.Get().FindObject("A__c")->key_prefix, "a00");
    EXPECT_EQ(s.Get().FindObject("B__c")->key_prefix, "a01");
    EXPECT_EQ(s.Get().FindObject("C__c")->key_prefix, "a02");
    EXPECT_GE(s.LastModifiedMs(), modified);
    EXPECT_NE(OrgSchema::Fingerprint(s.Get()), OrgSchema::Fingerprint(Schema::Standard()));
}

TEST(OrgDefinitionTest, ExistingFilesWithoutCustomPartsStillParse) {
    const OrgDefinition def = ParseOrgDefinition("{" + std::string(kUsers) + "}", "org.json");
    EXPECT_TRUE(def.custom.objects.empty());
    EXPECT_TRUE(def.custom.standard_fields.empty());
}

}  // namespace
}  // namespace sfkit::server
