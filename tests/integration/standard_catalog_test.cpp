// Wire tests of the standard schema grown from the cited data set (apex-dev-tools/sobject-types,
// generated into src/server/schema/standard_catalog.cpp): the objects an Enterprise org has,
// the fields and child relationships real describes show, and keys gated by API version.
#include <iostream>
#include <map>
#include <set>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

class StandardCatalogTest : public ::testing::Test {
protected:
    void SetUp() override { token_ = org_.Login(); }
    json::object Get(const std::string& target) {
        auto r = Fetch(org_.Port(), "GET", target, {"Authorization: Bearer " + token_});
        EXPECT_EQ(r.status, 200) << target << " -> " << r.body;
        return json::parse(r.body).as_object();
    }
    json::object Describe(const std::string& type, const std::string& version = "66.0") {
        return Get("/services/data/v" + version + "/sobjects/" + type + "/describe");
    }
    static std::set<std::string> FieldNames(const json::object& d) {
        std::set<std::string> out;
        for (const auto& f : d.at("fields").as_array()) {
            out.emplace(f.at("name").as_string());
        }
        return out;
    }
    static std::set<std::string> ChildNames(const json::object& d) {
        std::set<std::string> out;
        for (const auto& c : d.at("childRelationships").as_array()) {
            if (c.at("relationshipName").is_string()) {
                out.emplace(c.at("relationshipName").as_string());
            }
        }
        return out;
    }
    TestOrg org_;
    std::string token_;
};

TEST_F(StandardCatalogTest, DescribeGlobalListsTheStandardObjectsOfAnEnterpriseOrg) {
    const json::object g = Get("/services/data/v66.0/sobjects");
    std::set<std::string> names;
    for (const auto& o : g.at("sobjects").as_array()) {
        names.emplace(o.at("name").as_string());
    }
    EXPECT_GE(names.size(), 60u);
    for (const char* required : {"Task",
                                 "Event",
                                 "RecordType",
                                 "Profile",
                                 "UserRole",
                                 "Group",
                                 "PermissionSet",
                                 "ContentDocument",
                                 "ContentVersion",
                                 "ContentDocumentLink",
                                 "Attachment",
                                 "Note",
                                 "Document",
                                 "Individual",
                                 "EmailMessage",
                                 "FeedItem",
                                 "Order",
                                 "OrderItem",
                                 "Quote",
                                 "QuoteLineItem",
                                 "Entitlement",
                                 "ServiceContract",
                                 "Solution",
                                 "Idea",
                                 "Partner",
                                 "AccountContactRelation",
                                 "OpportunityContactRole",
                                 "OpportunityTeamMember",
                                 "AccountHistory",
                                 "ContactHistory",
                                 "OpportunityFieldHistory",
                                 "AccountShare",
                                 "OpportunityShare"}) {
        EXPECT_EQ(names.count(required), 1u) << required;
    }
}

TEST_F(StandardCatalogTest, AccountAndContactHaveTheRelationshipsOfARealDescribe) {
    const json::object account = Describe("Account");
    const json::object contact = Describe("Contact");
    // The recorded real describes (CumulusCI cassettes): Account 61 named child
    // relationships, Contact 53 (issue 14); sfkit had 13 and 9 before the first data set and
    // 36 and 34 before the second. RecordedShapesTest checks each recorded one by name, child
    // object and field; sfkit has a few more (features the recording org had off:
    // AccountContactRelations, Entitlements, ServiceContracts).
    EXPECT_GE(ChildNames(account).size(), 61u);
    EXPECT_GE(ChildNames(contact).size(), 53u);
    std::cout << "Account: " << account.at("childRelationships").as_array().size()
              << " child relationships, " << account.at("fields").as_array().size()
              << " fields; Contact: " << contact.at("childRelationships").as_array().size()
              << " child relationships, " << contact.at("fields").as_array().size() << " fields\n";
    const std::set<std::string> account_children = ChildNames(account);
    for (const char* rel : {"Contacts",
                            "Opportunities",
                            "Cases",
                            "Tasks",
                            "Events",
                            "Histories",
                            "Shares",
                            "Feeds",
                            "AccountContactRelations",
                            "PartnersFrom",
                            "PartnersTo",
                            "ContentDocumentLinks",
                            "Attachments",
                            "Notes",
                            "Orders",
                            "ServiceContracts",
                            "Entitlements",
                            "ChildAccounts"}) {
        EXPECT_EQ(account_children.count(rel), 1u) << rel;
    }
    const std::set<std::string> contact_children = ChildNames(contact);
    for (const char* rel : {"Tasks",
                            "Events",
                            "OpportunityContactRoles",
                            "CaseContactRoles",
                            "AccountContactRelations",
                            "Histories",
                            "Shares"}) {
        EXPECT_EQ(contact_children.count(rel), 1u) << rel;
    }
    // Fields the issue found missing.
    const std::set<std::string> account_fields = FieldNames(account);
    for (const char* f : {"IsPartner", "IsCustomerPortal", "OperatingHoursId"}) {
        EXPECT_EQ(account_fields.count(f), 1u) << f;
    }
    EXPECT_EQ(FieldNames(contact).count("IndividualId"), 1u);
    // Person-account and multi-currency fields stay out (not in a plain Enterprise org).
    EXPECT_EQ(account_fields.count("PersonEmail"), 0u);
    EXPECT_EQ(account_fields.count("CurrencyIsoCode"), 0u);
}

TEST_F(StandardCatalogTest, EventsHaveTheirRecurrenceFieldsAndActivityLookups) {
    const std::set<std::string> event = FieldNames(Describe("Event"));
    for (const char* f : {"RecurrenceType",
                          "RecurrenceInterval",
                          "RecurrenceStartDateTime",
                          "RecurrenceEndDateOnly",
                          "RecurrenceActivityId",
                          "IsRecurrence",
                          "WhoId",
                          "WhatId"}) {
        EXPECT_EQ(event.count(f), 1u) << f;
    }
    // WhatId reaches the objects the data set lists Events under.
    const json::object d = Describe("Event");
    for (const auto& f : d.at("fields").as_array()) {
        if (f.at("name") == "WhatId") {
            std::set<std::string> targets;
            for (const auto& t : f.at("referenceTo").as_array()) {
                targets.emplace(t.as_string());
            }
            EXPECT_EQ(targets.count("Account"), 1u);
            EXPECT_EQ(targets.count("Quote"), 1u);
            EXPECT_EQ(targets.count("ServiceContract"), 1u);
        }
    }
}

TEST_F(StandardCatalogTest, FieldsAppearFromTheReleaseThatIntroducedThem) {
    // Contact.ContactSource first appears in the data set's v61 release; GenderIdentity in v67,
    // which sfkit does not serve yet.
    EXPECT_EQ(FieldNames(Describe("Contact", "60.0")).count("ContactSource"), 0u);
    EXPECT_EQ(FieldNames(Describe("Contact", "61.0")).count("ContactSource"), 1u);
    EXPECT_EQ(FieldNames(Describe("Contact", "66.0")).count("GenderIdentity"), 0u);
}

TEST_F(StandardCatalogTest, ObjectsAppearFromTheReleaseThatIntroducedThem) {
    // The Object Reference's "available in API version NN.0 and later" [D]:
    // AccountContactRelation 37.0, Individual 42.0, ContactPointPhone 48.0.
    const auto global_names = [&](const std::string& version) {
        std::set<std::string> out;
        const json::object global = Get("/services/data/v" + version + "/sobjects");
        for (const auto& o : global.at("sobjects").as_array()) {
            out.emplace(o.at("name").as_string());
        }
        return out;
    };
    EXPECT_EQ(global_names("36.0").count("AccountContactRelation"), 0u);
    EXPECT_EQ(global_names("37.0").count("AccountContactRelation"), 1u);
    EXPECT_EQ(global_names("47.0").count("ContactPointPhone"), 0u);
    EXPECT_EQ(global_names("48.0").count("ContactPointPhone"), 1u);
    EXPECT_EQ(global_names("36.0").count("Account"), 1u);
    const auto status = [&](const std::string& target) {
        return Fetch(org_.Port(), "GET", target, {"Authorization: Bearer " + token_}).status;
    };
    EXPECT_EQ(status("/services/data/v41.0/sobjects/Individual/describe"), 404);
    EXPECT_EQ(status("/services/data/v41.0/sobjects/Individual"), 404);
    EXPECT_EQ(status("/services/data/v42.0/sobjects/Individual/describe"), 200);
    // A lookup to the object comes with it; so does the parent's child relationship.
    EXPECT_EQ(FieldNames(Describe("Contact", "41.0")).count("IndividualId"), 0u);
    EXPECT_EQ(FieldNames(Describe("Contact", "42.0")).count("IndividualId"), 1u);
    EXPECT_EQ(ChildNames(Describe("Account", "36.0")).count("AccountContactRelations"), 0u);
    EXPECT_EQ(ChildNames(Describe("Account", "37.0")).count("AccountContactRelations"), 1u);
    // SOQL at the older version: the object does not exist (INVALID_TYPE), top level or child.
    auto r = Fetch(org_.Port(),
                   "GET",
                   "/services/data/v41.0/query?q=SELECT+Id+FROM+Individual",
                   {"Authorization: Bearer " + token_});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALID_TYPE"), std::string::npos) << r.body;
    r = Fetch(org_.Port(),
              "GET",
              "/services/data/v36.0/query?q=SELECT+Id,(SELECT+Id+FROM+AccountContactRelations)"
              "+FROM+Account",
              {"Authorization: Bearer " + token_});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("INVALID_TYPE"), std::string::npos) << r.body;
    EXPECT_EQ(status("/services/data/v42.0/query?q=SELECT+Id+FROM+Individual"), 200);
}

TEST_F(StandardCatalogTest, GeneratedObjectsTakeRecordsAndReadOnlyOnesRefuseThem) {
    // A generated, writable object: create and read back.
    auto r = Fetch(org_.Port(),
                   "POST",
                   "/services/data/v66.0/sobjects/Solution",
                   {"Authorization: Bearer " + token_, "Content-Type: application/json"},
                   R"({"SolutionName":"Restart it"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(json::parse(r.body).at("id").as_string());
    EXPECT_EQ(id.substr(0, 3), "501");
    const json::object got = Get("/services/data/v66.0/sobjects/Solution/" + id);
    EXPECT_EQ(got.at("SolutionName"), "Restart it");
    // History rows are written by the platform only.
    EXPECT_EQ(Describe("AccountHistory").at("createable"), false);
    EXPECT_EQ(Describe("AccountHistory").at("keyPrefix"), "017");
    EXPECT_EQ(Describe("ContactHistory").at("keyPrefix"), "017");
}

TEST_F(StandardCatalogTest, DescribeOnlyObjectsHaveNoKeyPrefixAndRefuseQueries) {
    // ActivityHistory: describe only (Object Reference "Supported Calls: describeSObjects()"),
    // keyPrefix null; reached as a child relationship.
    const json::object d = Describe("ActivityHistory");
    EXPECT_TRUE(d.at("keyPrefix").is_null());
    EXPECT_EQ(d.at("queryable"), false);
    EXPECT_EQ(d.at("createable"), false);
    auto r = Fetch(org_.Port(),
                   "GET",
                   "/services/data/v66.0/query?q=SELECT+Id+FROM+ActivityHistory",
                   {"Authorization: Bearer " + token_});
    EXPECT_EQ(r.status, 400);
    // The plain text real orgs answer (recorded in client logs) [R].
    EXPECT_EQ(json::parse(r.body),
              json::parse(R"([{"message":"entity type ActivityHistory does not support query",)"
                          R"("errorCode":"INVALID_TYPE_FOR_OPERATION"}])"));
    // As a child relationship the query runs (ActivityHistories from Task and Event rows:
    // the cases in tests/soql/queries.test).
    r = Fetch(org_.Port(),
              "GET",
              "/services/data/v66.0/query?q=SELECT+Id,(SELECT+Id+FROM+ActivityHistories),"
              "(SELECT+Id+FROM+NotesAndAttachments)+FROM+Account",
              {"Authorization: Bearer " + token_});
    EXPECT_EQ(r.status, 200) << r.body;
    // The event relation views: no key prefix either (recorded global describe), queryable.
    const json::object undecided = Describe("UndecidedEventRelation");
    EXPECT_TRUE(undecided.at("keyPrefix").is_null());
    EXPECT_EQ(undecided.at("queryable"), true);
}

TEST_F(StandardCatalogTest, AccountTeamMemberHasItsDocumentedFieldsAndServesUsingScopeTeam) {
    // In neither data set (account teams were off in both orgs): generated from the Object
    // Reference's facts [D] (scripts/gen_standard_schema.py, DOCUMENTED).
    const json::object d = Describe("AccountTeamMember");
    EXPECT_EQ(d.at("createable"), true);
    EXPECT_EQ(d.at("queryable"), true);
    std::map<std::string, json::object> fields;
    for (const auto& f : d.at("fields").as_array()) {
        fields.emplace(std::string(f.at("name").as_string()), f.as_object());
    }
    for (const char* name : {"AccountAccessLevel",
                             "AccountId",
                             "CaseAccessLevel",
                             "ContactAccessLevel",
                             "OpportunityAccessLevel",
                             "PhotoUrl",
                             "TeamMemberRole",
                             "Title",
                             "UserId",
                             "IsDeleted"}) {
        EXPECT_EQ(fields.count(name), 1u) << name;
    }
    ASSERT_EQ(fields.count("AccountAccessLevel"), 1u);
    EXPECT_EQ(fields["AccountAccessLevel"].at("type"), "picklist");
    EXPECT_EQ(fields["AccountAccessLevel"].at("label"), "Account Access");
    EXPECT_EQ(fields["AccountAccessLevel"].at("restrictedPicklist"), true);
    EXPECT_EQ(fields["AccountAccessLevel"].at("picklistValues").as_array().size(), 3u);
    EXPECT_EQ(fields["AccountId"].at("updateable"), false);
    EXPECT_EQ(fields["AccountId"].at("nillable"), false);
    EXPECT_EQ(fields["AccountId"].at("referenceTo").as_array().front(), "Account");
    EXPECT_EQ(fields["Title"].at("createable"), false);
    EXPECT_EQ(ChildNames(Describe("Account")).count("AccountTeamMembers"), 1u);

    // A team member record: USING SCOPE team then finds the account, and only it.
    const auto post = [&](const std::string& type, const std::string& body) {
        auto r = Fetch(org_.Port(),
                       "POST",
                       "/services/data/v66.0/sobjects/" + type,
                       {"Authorization: Bearer " + token_, "Content-Type: application/json"},
                       body);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(json::parse(r.body).at("id").as_string());
    };
    const std::string on_team = post("Account", R"({"Name":"On the team"})");
    post("Account", R"({"Name":"Not on the team"})");
    const json::object me = Get("/services/data/v66.0/query?q=SELECT+Id+FROM+User+LIMIT+1");
    const std::string user(me.at("records").as_array().front().at("Id").as_string());
    const std::string member =
        post("AccountTeamMember",
             R"({"AccountId":")" + on_team + R"(","UserId":")" + user +
                 R"(","TeamMemberRole":"Sales Rep","AccountAccessLevel":"Edit"})");
    const json::object team =
        Get("/services/data/v66.0/query?q=SELECT+Id,(SELECT+TeamMemberRole+FROM+"
            "AccountTeamMembers)+FROM+Account+USING+SCOPE+team");
    ASSERT_EQ(team.at("totalSize"), 1) << json::serialize(team);
    const auto& rec = team.at("records").as_array().front().as_object();
    EXPECT_EQ(rec.at("Id").as_string(), on_team);
    EXPECT_EQ(rec.at("AccountTeamMembers").at("records").as_array().front().at("TeamMemberRole"),
              "Sales Rep");
    // The restricted access picklist refuses a value it does not list.
    auto bad = Fetch(org_.Port(),
                     "PATCH",
                     "/services/data/v66.0/sobjects/AccountTeamMember/" + member,
                     {"Authorization: Bearer " + token_, "Content-Type: application/json"},
                     R"({"AccountAccessLevel":"Everything"})");
    EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(StandardCatalogTest, RecordedDescribesGiveLabelsLengthsAndPicklists) {
    // Fields the hand-written Account lacks take a recorded describe's facts (CumulusCI
    // shared cassette, v48) instead of the [M] defaults (split name, string of 255).
    const json::object account = Describe("Account");
    std::map<std::string, json::object> fields;
    for (const auto& f : account.at("fields").as_array()) {
        fields.emplace(std::string(f.at("name").as_string()), f.as_object());
    }
    ASSERT_EQ(fields.count("YearStarted"), 1u);
    EXPECT_EQ(fields["YearStarted"].at("label"), "Year Started");
    EXPECT_EQ(fields["YearStarted"].at("length"), 4);
    ASSERT_EQ(fields.count("IsPartner"), 1u);
    EXPECT_EQ(fields["IsPartner"].at("label"), "Partner Account");
    EXPECT_EQ(fields["IsPartner"].at("createable"), false);
    EXPECT_EQ(fields["IsPartner"].at("defaultValue"), false);
    ASSERT_EQ(fields.count("AccountSource"), 1u);
    EXPECT_EQ(fields["AccountSource"].at("type"), "picklist");
    EXPECT_FALSE(fields["AccountSource"].at("picklistValues").as_array().empty());
    // The recording shows IsPartner at v48, though the stubs first list it at v56.
    EXPECT_EQ(FieldNames(Describe("Account", "48.0")).count("IsPartner"), 1u);
}

TEST_F(StandardCatalogTest, DescribeKeysAppearFromTheirRelease) {
    // associateEntityType/associateParentEntity: API 50.0 and later [D]; absent from the v48
    // recordings, present in the v52/v59 ones, like sobjectDescribeOption [R].
    const json::object v48 = Describe("Account", "48.0");
    const json::object v59 = Describe("Account", "59.0");
    for (const char* key :
         {"associateEntityType", "associateParentEntity", "sobjectDescribeOption"}) {
        EXPECT_EQ(v48.count(key), 0u) << key;
        EXPECT_EQ(v59.count(key), 1u) << key;
    }
    const json::object global = Get("/services/data/v48.0/sobjects");
    EXPECT_EQ(global.at("sobjects").as_array().at(0).as_object().count("associateEntityType"), 0u);
}

}  // namespace
}  // namespace sfkit::test
