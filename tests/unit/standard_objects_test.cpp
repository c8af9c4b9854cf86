// The standard objects' key facts (key prefixes, required fields, lengths, picklists,
// relationships in both directions, object flags) and the values the server derives.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/schema/derived_fields.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {
namespace {

const Schema& Std() {
    static const Schema schema = Schema::Standard();
    return schema;
}

const ObjectDef& Obj(const char* name) {
    const ObjectDef* o = Std().FindObject(name);
    if (o == nullptr) {
        throw std::runtime_error(std::string("missing object ") + name);
    }
    return *o;
}

const FieldDef& Fld(const char* object, const char* field) {
    const FieldDef* f = Obj(object).FindField(field);
    if (f == nullptr) {
        throw std::runtime_error(std::string("missing field ") + object + "." + field);
    }
    return *f;
}

std::vector<std::string> Values(const FieldDef& f) {
    std::vector<std::string> out;
    for (const PicklistEntry& e : f.picklist) {
        out.push_back(e.value);
    }
    return out;
}

std::string DefaultValue(const FieldDef& f) {
    for (const PicklistEntry& e : f.picklist) {
        if (e.default_value) {
            return e.value;
        }
    }
    return "";
}

TEST(StandardObjectsTest, RealKeyPrefixes) {
    const std::vector<std::pair<const char*, const char*>> expected = {
        {"Account", "001"},
        {"Contact", "003"},
        {"Lead", "00Q"},
        {"Opportunity", "006"},
        {"OpportunityLineItem", "00k"},
        {"Case", "500"},
        {"Task", "00T"},
        {"Event", "00U"},
        {"Campaign", "701"},
        {"CampaignMember", "00v"},
        {"Product2", "01t"},
        {"Pricebook2", "01s"},
        {"PricebookEntry", "01u"},
        {"Contract", "800"},
        {"Order", "801"},
        {"Asset", "02i"},
        {"Note", "002"},
        {"Attachment", "00P"},
        {"Organization", "00D"},
        {"User", "005"},
        {"Profile", "00e"}};
    // The 21 hand-written objects, EventLogFile and PlatformAction (standard_platform.cpp, where
    // the catalog lacks them) and the rest generated from the cited data sets
    // (src/server/schema/standard_catalog.cpp); history objects share 017 and feeds 0D5.
    EXPECT_EQ(Std().Objects().size(), 149u);  // with AccountTeamMember (the Object Reference)
    EXPECT_EQ(Obj("EventLogFile").key_prefix, "0AT");
    EXPECT_FALSE(Obj("EventLogFile").flags.createable);
    EXPECT_FALSE(Obj("PlatformAction").flags.createable);
    // Describe-only objects have no key prefix; an empty prefix finds nothing.
    EXPECT_EQ(Obj("ActivityHistory").key_prefix, "");
    EXPECT_FALSE(Obj("ActivityHistory").flags.queryable);
    EXPECT_EQ(Std().FindByKeyPrefix(""), nullptr);
    for (const auto& [name, prefix] : expected) {
        EXPECT_EQ(Obj(name).key_prefix, prefix) << name;
        ASSERT_NE(Std().FindByKeyPrefix(prefix), nullptr) << prefix;
        EXPECT_EQ(Std().FindByKeyPrefix(prefix)->name, name);
    }
}

TEST(StandardObjectsTest, EveryObjectStartsWithIdAndHasAuditFieldsServerMaintained) {
    for (const ObjectDef* o : Std().Objects()) {
        EXPECT_EQ(o->fields.front().name, "Id") << o->name;
        for (const char* audit : {"CreatedDate",
                                  "CreatedById",
                                  "LastModifiedDate",
                                  "LastModifiedById",
                                  "SystemModstamp"}) {
            const FieldDef* f = o->FindField(audit);
            // Some objects lack some (GroupMember has only SystemModstamp, history rows are
            // never modified: the data set's field lists); the CRM objects have all five.
            if (f == nullptr && o->name != "Account" && o->name != "Contact" &&
                o->name != "Opportunity" && o->name != "Case" && o->name != "Lead") {
                continue;
            }
            ASSERT_NE(f, nullptr) << o->name << "." << audit;
            EXPECT_FALSE(f->createable) << o->name << "." << audit;
            EXPECT_FALSE(f->updateable) << o->name << "." << audit;
            EXPECT_TRUE(f->system_maintained) << o->name << "." << audit;
        }
        if (const FieldDef* deleted = o->FindField("IsDeleted")) {
            EXPECT_FALSE(deleted->createable) << o->name;
            EXPECT_TRUE(deleted->system_maintained) << o->name;
        }
        EXPECT_EQ(o->flags.mru_enabled, o->FindField("LastViewedDate") != nullptr) << o->name;
    }
    // Salesforce has no IsDeleted on these.
    for (const char* none : {"User", "Organization", "Profile"}) {
        EXPECT_EQ(Obj(none).FindField("IsDeleted"), nullptr) << none;
    }
}

TEST(StandardObjectsTest, RequiredFieldsOnCreate) {
    const std::vector<std::pair<const char*, std::vector<std::string>>> expected = {
        {"Account", {"Name"}},
        {"Contact", {"LastName"}},
        {"Lead", {"LastName", "Company"}},
        {"Opportunity", {"Name", "StageName", "CloseDate"}},
        {"OpportunityLineItem", {"OpportunityId", "Quantity"}},
        {"Case", {}},
        {"Task", {}},
        {"Campaign", {"Name"}},
        {"CampaignMember", {"CampaignId"}},
        {"Product2", {"Name"}},
        {"Pricebook2", {"Name"}},
        {"PricebookEntry", {"Pricebook2Id", "Product2Id", "UnitPrice"}},
        {"Contract", {"AccountId"}},
        {"Order", {"EffectiveDate"}},
        {"Asset", {"Name"}},
        {"Note", {"ParentId", "Title"}},
        {"Attachment", {"ParentId", "Name", "Body"}},
    };
    for (const auto& [name, fields] : expected) {
        std::vector<std::string> required;
        for (const FieldDef& f : Obj(name).fields) {
            if (f.RequiredOnCreate()) {
                required.push_back(f.name);
            }
        }
        EXPECT_EQ(required, fields) << name;
    }
}

TEST(StandardObjectsTest, TypesAndLengths) {
    struct Expect {
        const char* object;
        const char* field;
        FieldType type;
        int length;
    };
    for (const Expect& e : {
             Expect{"Contact", "LastName", FieldType::kString, 80},
             Expect{"Contact", "FirstName", FieldType::kString, 40},
             Expect{"Contact", "Email", FieldType::kEmail, 80},
             Expect{"Contact", "Title", FieldType::kString, 128},
             Expect{"Contact", "Name", FieldType::kString, 121},
             Expect{"Contact", "MailingStreet", FieldType::kTextArea, 255},
             Expect{"Contact", "Birthdate", FieldType::kDate, 0},
             Expect{"Lead", "Company", FieldType::kString, 255},
             Expect{"Lead", "PostalCode", FieldType::kString, 20},
             Expect{"Opportunity", "Name", FieldType::kString, 120},
             Expect{"Opportunity", "Amount", FieldType::kCurrency, 0},
             Expect{"Opportunity", "Probability", FieldType::kPercent, 0},
             Expect{"Opportunity", "CloseDate", FieldType::kDate, 0},
             Expect{"Case", "Subject", FieldType::kString, 255},
             Expect{"Case", "CaseNumber", FieldType::kString, 30},
             Expect{"Case", "Comments", FieldType::kTextArea, 4000},
             Expect{"Task", "Subject", FieldType::kCombobox, 255},
             Expect{"Event", "DurationInMinutes", FieldType::kInt, 0},
             Expect{"Attachment", "Body", FieldType::kBase64, 0},
             Expect{"Note", "Title", FieldType::kString, 80},
             Expect{"User", "Username", FieldType::kString, 80},
             Expect{"User", "Alias", FieldType::kString, 8},
             Expect{"Organization", "Name", FieldType::kString, 80},
             Expect{"Product2", "ProductCode", FieldType::kString, 255},
             Expect{"PricebookEntry", "UnitPrice", FieldType::kCurrency, 0},
         }) {
        const FieldDef& f = Fld(e.object, e.field);
        EXPECT_EQ(f.type, e.type) << e.object << "." << e.field;
        EXPECT_EQ(f.length, e.length) << e.object << "." << e.field;
    }
    EXPECT_EQ(Fld("Opportunity", "Amount").precision, 18);
    EXPECT_EQ(Fld("Opportunity", "Amount").scale, 2);
    EXPECT_EQ(Fld("Opportunity", "Probability").precision, 3);
}

TEST(StandardObjectsTest, Picklists) {
    const FieldDef& stage = Fld("Opportunity", "StageName");
    EXPECT_TRUE(stage.restricted_picklist);
    EXPECT_EQ(Values(stage),
              (std::vector<std::string>{"Prospecting",
                                        "Qualification",
                                        "Needs Analysis",
                                        "Value Proposition",
                                        "Id. Decision Makers",
                                        "Perception Analysis",
                                        "Proposal/Price Quote",
                                        "Negotiation/Review",
                                        "Closed Won",
                                        "Closed Lost"}));
    EXPECT_EQ(Values(Fld("Lead", "Status")),
              (std::vector<std::string>{"Open - Not Contacted",
                                        "Working - Contacted",
                                        "Closed - Converted",
                                        "Closed - Not Converted"}));
    EXPECT_EQ(DefaultValue(Fld("Lead", "Status")), "Open - Not Contacted");
    EXPECT_EQ(Values(Fld("Case", "Status")),
              (std::vector<std::string>{"New", "Working", "Escalated", "Closed"}));
    EXPECT_EQ(DefaultValue(Fld("Case", "Status")), "New");
    EXPECT_EQ(Values(Fld("Case", "Origin")), (std::vector<std::string>{"Phone", "Email", "Web"}));
    EXPECT_EQ(Values(Fld("Case", "Priority")), (std::vector<std::string>{"High", "Medium", "Low"}));
    EXPECT_EQ(DefaultValue(Fld("Case", "Priority")), "Medium");
    EXPECT_EQ(
        Values(Fld("Task", "Status")),
        (std::vector<std::string>{
            "Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"}));
    EXPECT_EQ(DefaultValue(Fld("Task", "Priority")), "Normal");
    EXPECT_EQ(Values(Fld("Contact", "Salutation")).front(), "Mr.");
    EXPECT_EQ(Values(Fld("Contact", "LeadSource")),
              (std::vector<std::string>{
                  "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}));
    // Values and labels differ here (recorded).
    EXPECT_EQ(Fld("Contract", "StatusCode").picklist[1].value, "InApproval");
    EXPECT_EQ(Fld("Contract", "StatusCode").picklist[1].label, "In Approval Process");
}

TEST(StandardObjectsTest, ReferencesPointAtTheRightObjects) {
    struct Expect {
        const char* object;
        const char* field;
        std::vector<std::string> targets;
        const char* relationship;
        const char* child_relationship;
    };
    for (const Expect& e : {
             Expect{"Contact", "AccountId", {"Account"}, "Account", "Contacts"},
             Expect{"Contact", "ReportsToId", {"Contact"}, "ReportsTo", ""},
             Expect{"Opportunity", "AccountId", {"Account"}, "Account", "Opportunities"},
             Expect{"Case", "AccountId", {"Account"}, "Account", "Cases"},
             Expect{"Case", "ContactId", {"Contact"}, "Contact", "Cases"},
             Expect{"Case", "ParentId", {"Case"}, "Parent", "Cases"},
             Expect{"Task", "WhoId", {"Contact", "Lead"}, "Who", "Tasks"},
             Expect{"Event", "WhoId", {"Contact", "Lead"}, "Who", "Events"},
             Expect{"Task", "OwnerId", {"Group", "User"}, "Owner", ""},
             Expect{"Lead", "OwnerId", {"Group", "User"}, "Owner", ""},
             Expect{"Case", "OwnerId", {"Group", "User"}, "Owner", ""},
             Expect{"Event", "OwnerId", {"Calendar", "User"}, "Owner", ""},
             Expect{"Account", "OwnerId", {"User"}, "Owner", ""},
             Expect{"OpportunityLineItem",
                    "OpportunityId",
                    {"Opportunity"},
                    "Opportunity",
                    "OpportunityLineItems"},
             Expect{"PricebookEntry", "Product2Id", {"Product2"}, "Product2", "PricebookEntries"},
             Expect{"CampaignMember", "CampaignId", {"Campaign"}, "Campaign", "CampaignMembers"},
             Expect{"User", "ProfileId", {"Profile"}, "Profile", "Users"},
             Expect{"Note", "ParentId", {}, "Parent", "Notes"},
         }) {
        const FieldDef& f = Fld(e.object, e.field);
        EXPECT_EQ(f.type, FieldType::kReference) << e.object << "." << e.field;
        if (!e.targets.empty()) {
            EXPECT_EQ(f.reference_to, e.targets) << e.object << "." << e.field;
        }
        EXPECT_EQ(f.relationship_name, e.relationship) << e.object << "." << e.field;
        EXPECT_EQ(f.child_relationship_name, e.child_relationship) << e.object << "." << e.field;
        EXPECT_EQ(f.IsPolymorphic(), f.reference_to.size() > 1);
    }
    const std::vector<std::string>& what = Fld("Task", "WhatId").reference_to;
    for (const char* t : {"Account", "Opportunity", "Case", "Contract", "Campaign"}) {
        EXPECT_NE(std::find(what.begin(), what.end(), t), what.end()) << t;
    }
    // Master-detail like: required, cascade delete, not reparentable.
    const FieldDef& opp = Fld("OpportunityLineItem", "OpportunityId");
    EXPECT_FALSE(opp.nillable);
    EXPECT_FALSE(opp.updateable);
    EXPECT_TRUE(opp.cascade_delete);
    // Recorded delete rules from Account's childRelationships.
    EXPECT_TRUE(Fld("Contact", "AccountId").cascade_delete);
    EXPECT_TRUE(Fld("Case", "AccountId").restricted_delete);
    EXPECT_FALSE(Fld("Case", "AccountId").cascade_delete);
}

TEST(StandardObjectsTest, RelationshipsWalkBothWays) {
    const Schema& s = Std();
    // Child to parent: SOQL `Account.Name` on Contact.
    const FieldDef* account = Obj("Contact").FindRelationship("account");
    ASSERT_NE(account, nullptr);
    EXPECT_EQ(account->name, "AccountId");
    ASSERT_EQ(s.ReferenceTargets(*account).size(), 1u);
    EXPECT_EQ(s.ReferenceTargets(*account)[0]->name, "Account");
    const FieldDef* owner = Obj("Lead").FindRelationship("Owner");
    ASSERT_NE(owner, nullptr);
    // Queues: Group is modelled since the data set was added, so both targets are walkable.
    ASSERT_EQ(s.ReferenceTargets(*owner).size(), 2u);
    EXPECT_EQ(s.ReferenceTargets(*owner)[0]->name, "Group");
    EXPECT_EQ(s.ReferenceTargets(*owner)[1]->name, "User");
    EXPECT_EQ(Obj("Task").FindRelationship("What")->name, "WhatId");
    EXPECT_EQ(Obj("Contact").FindRelationship("Nope"), nullptr);
    // Parent to children: `(SELECT .. FROM Contacts)` on Account.
    auto contacts = s.FindChildRelationship(Obj("Account"), "CONTACTS");
    ASSERT_TRUE(contacts.has_value());
    EXPECT_EQ(contacts->child->name, "Contact");
    EXPECT_EQ(contacts->field->name, "AccountId");
    EXPECT_TRUE(contacts->cascade_delete);
    EXPECT_EQ(s.FindChildRelationship(Obj("Account"), "Opportunities")->child->name, "Opportunity");
    EXPECT_EQ(s.FindChildRelationship(Obj("Contact"), "Cases")->field->name, "ContactId");
    EXPECT_EQ(s.FindChildRelationship(Obj("Opportunity"), "OpportunityLineItems")->child->name,
              "OpportunityLineItem");
    EXPECT_EQ(s.FindChildRelationship(Obj("Account"), "Tasks")->field->name, "WhatId");
    EXPECT_EQ(s.FindChildRelationship(Obj("Lead"), "Tasks")->field->name, "WhoId");
    EXPECT_FALSE(s.FindChildRelationship(Obj("Account"), "Nope").has_value());
    // Every relationship, sorted by child then field; unnamed ones included (describe shows null).
    const auto all = s.ChildRelationships(Obj("Account"));
    for (std::size_t i = 1; i < all.size(); ++i) {
        const auto key = [](const ChildRelationship& r) {
            return r.child->name + "." + r.field->name;
        };
        EXPECT_LT(key(all[i - 1]), key(all[i]));
    }
    const bool has_unnamed = std::any_of(all.begin(), all.end(), [](const ChildRelationship& r) {
        return r.child->name == "Task" && r.field->name == "AccountId" && r.name.empty();
    });
    EXPECT_TRUE(has_unnamed);
}

TEST(StandardObjectsTest, ReadOnlyAndDerivedFieldsAreNotCreateable) {
    for (const auto& [object, field] : std::vector<std::pair<const char*, const char*>>{
             {"Contact", "Name"},
             {"Lead", "Name"},
             {"Opportunity", "IsClosed"},
             {"Opportunity", "IsWon"},
             {"Opportunity", "ExpectedRevenue"},
             {"Opportunity", "ForecastCategory"},
             {"Case", "CaseNumber"},
             {"Case", "IsClosed"},
             {"Case", "ClosedDate"},
             {"Task", "IsClosed"},
             {"Contract", "ContractNumber"},
             {"Order", "OrderNumber"},
             {"Attachment", "BodyLength"},
             {"Account", "MasterRecordId"},
         }) {
        EXPECT_FALSE(Fld(object, field).createable) << object << "." << field;
        EXPECT_FALSE(Fld(object, field).updateable) << object << "." << field;
    }
    EXPECT_TRUE(Fld("Case", "CaseNumber").auto_number);
    EXPECT_TRUE(Fld("Case", "CaseNumber").name_field);
    EXPECT_TRUE(Fld("Opportunity", "Probability").createable);
}

TEST(StandardObjectsTest, IdentityObjectsAreNotWritableThroughTheApi) {
    for (const char* name : {"User", "Organization", "Profile"}) {
        const ObjectFlags& f = Obj(name).flags;
        EXPECT_FALSE(f.createable) << name;
        EXPECT_FALSE(f.updateable) << name;
        EXPECT_FALSE(f.deletable) << name;
        EXPECT_TRUE(f.queryable) << name;
    }
    EXPECT_TRUE(Obj("Account").flags.createable);
    EXPECT_TRUE(Obj("Account").flags.mergeable);
    EXPECT_FALSE(Obj("Opportunity").flags.mergeable);
    EXPECT_FALSE(Obj("Note").flags.layoutable);
    EXPECT_TRUE(Fld("User", "Username").unique);
}

// ---- derived values --------------------------------------------------------------------------

class Record {
public:
    explicit Record(const char* object) : o_(Obj(object)), v_(o_.fields.size()), a_(v_.size()) {}
    Record& Set(const char* field, FieldValue v) {
        const std::size_t i = o_.IndexOf(*o_.FindField(field));
        v_[i] = std::move(v);
        a_[i] = true;
        return *this;
    }
    Record& Compute(bool insert = true) {
        ComputeDerivedFields(o_, v_, a_, insert, "2024-03-01T10:00:00.000+0000");
        std::fill(a_.begin(), a_.end(), false);
        return *this;
    }
    const FieldValue& Get(const char* field) const { return v_[o_.IndexOf(*o_.FindField(field))]; }

private:
    const ObjectDef& o_;
    std::vector<FieldValue> v_;
    std::vector<bool> a_;
};

TEST(DerivedFieldsTest, OpportunityFollowsItsStage) {
    Record r("Opportunity");
    r.Set("StageName", std::string("Closed Won"))
        .Set("Amount", 1000.0)
        .Set("CloseDate", std::string("2024-05-17"))
        .Compute();
    EXPECT_EQ(r.Get("IsClosed"), FieldValue{true});
    EXPECT_EQ(r.Get("IsWon"), FieldValue{true});
    EXPECT_EQ(r.Get("Probability"), FieldValue{100.0});
    EXPECT_EQ(r.Get("ExpectedRevenue"), FieldValue{1000.0});
    EXPECT_EQ(r.Get("ForecastCategoryName"), FieldValue{std::string("Closed")});
    EXPECT_EQ(r.Get("ForecastCategory"), FieldValue{std::string("Closed")});
    EXPECT_EQ(r.Get("FiscalYear"), FieldValue{std::int64_t{2024}});
    EXPECT_EQ(r.Get("FiscalQuarter"), FieldValue{std::int64_t{2}});
    EXPECT_EQ(r.Get("Fiscal"), FieldValue{std::string("2024 2")});
    // A later stage change re-defaults the probability unless it is set explicitly.
    r.Set("StageName", std::string("Negotiation/Review")).Compute(false);
    EXPECT_EQ(r.Get("IsClosed"), FieldValue{false});
    EXPECT_EQ(r.Get("Probability"), FieldValue{90.0});
    EXPECT_EQ(r.Get("ForecastCategory"), FieldValue{std::string("Pipeline")});
    EXPECT_EQ(r.Get("LastStageChangeDate"),
              FieldValue{std::string("2024-03-01T10:00:00.000+0000")});
    r.Set("StageName", std::string("Prospecting")).Set("Probability", 33.0).Compute(false);
    EXPECT_EQ(r.Get("Probability"), FieldValue{33.0});
    EXPECT_EQ(r.Get("ExpectedRevenue"), FieldValue{330.0});
}

TEST(DerivedFieldsTest, NamesDefaultsAndClosedStates) {
    Record c("Contact");
    c.Set("FirstName", std::string("Ada")).Set("LastName", std::string("Lovelace")).Compute();
    EXPECT_EQ(c.Get("Name"), FieldValue{std::string("Ada Lovelace")});
    Record l("Lead");
    l.Set("LastName", std::string("Solo")).Set("Company", std::string("X")).Compute();
    EXPECT_EQ(l.Get("Name"), FieldValue{std::string("Solo")});
    EXPECT_EQ(l.Get("Status"), FieldValue{std::string("Open - Not Contacted")});

    Record k("Case");
    k.Compute();
    EXPECT_EQ(k.Get("Status"), FieldValue{std::string("New")});
    EXPECT_EQ(k.Get("Priority"), FieldValue{std::string("Medium")});
    EXPECT_EQ(k.Get("IsClosed"), FieldValue{false});
    EXPECT_TRUE(IsNull(k.Get("ClosedDate")));
    k.Set("Status", std::string("Closed")).Compute(false);
    EXPECT_EQ(k.Get("IsClosed"), FieldValue{true});
    EXPECT_EQ(k.Get("ClosedDate"), FieldValue{std::string("2024-03-01T10:00:00.000+0000")});

    Record t("Task");
    t.Set("Priority", std::string("High"))
        .Set("WhatId", std::string("001Lo0000000001IAA"))
        .Compute();
    EXPECT_EQ(t.Get("Status"), FieldValue{std::string("Not Started")});
    EXPECT_EQ(t.Get("IsHighPriority"), FieldValue{true});
    EXPECT_EQ(t.Get("AccountId"), FieldValue{std::string("001Lo0000000001IAA")});
    EXPECT_EQ(t.Get("TaskSubtype"), FieldValue{std::string("Task")});
}

TEST(DerivedFieldsTest, DatesOfContractsAndEvents) {
    Record c("Contract");
    c.Set("StartDate", std::string("2024-01-31"))
        .Set("ContractTerm", std::int64_t{1})
        .Set("Status", std::string("In Approval Process"))
        .Compute();
    EXPECT_EQ(c.Get("EndDate"), FieldValue{std::string("2024-02-28")});  // Feb 29 minus a day
    EXPECT_EQ(c.Get("StatusCode"), FieldValue{std::string("InApproval")});
    Record y("Contract");
    y.Set("StartDate", std::string("2024-03-15")).Set("ContractTerm", std::int64_t{12}).Compute();
    EXPECT_EQ(y.Get("EndDate"), FieldValue{std::string("2025-03-14")});
    EXPECT_EQ(y.Get("StatusCode"), FieldValue{std::string("Draft")});  // default status

    Record e("Event");
    e.Set("StartDateTime", std::string("2024-03-01T23:30:00.000+0000"))
        .Set("DurationInMinutes", std::int64_t{90})
        .Compute();
    EXPECT_EQ(e.Get("EndDateTime"), FieldValue{std::string("2024-03-02T01:00:00.000+0000")});
    EXPECT_EQ(e.Get("ActivityDateTime"), FieldValue{std::string("2024-03-01T23:30:00.000+0000")});
    EXPECT_EQ(e.Get("ActivityDate"), FieldValue{std::string("2024-03-01")});
    EXPECT_EQ(e.Get("EndDate"), FieldValue{std::string("2024-03-02")});
    EXPECT_EQ(e.Get("ShowAs"), FieldValue{std::string("Busy")});

    Record a("Attachment");
    a.Set("Body", std::string("aGVsbG8=")).Compute();  // "hello"
    EXPECT_EQ(a.Get("BodyLength"), FieldValue{std::int64_t{5}});
}

}  // namespace
}  // namespace sfkit::server
