// Composite references (`@{refId.path}`): referenceId rules, path evaluation, substitution in
// text and in JSON bodies, and what counts as unresolvable.
#include "server/api/composite_references.hpp"

#include <map>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace sfkit::server {
namespace {

namespace json = boost::json;

class ReferencesTest : public ::testing::Test {
protected:
    ReferencesTest() {
        bodies_["NewAccount"] = json::parse(R"({"id":"001000000000001AAA","success":true})");
        bodies_["refQuery"] =
            json::parse(R"({"totalSize":2,"done":true,"records":[{"Id":"003A","Amount":23.5,)"
                        R"("Parent":{"Name":"P"},"Flag":false,"Empty":null},{"Id":"003B"}]})");
        bodies_["list"] = json::parse(R"([{"id":"a1","success":true},{"id":"a2"}])");
        lookup_ = [this](std::string_view ref) -> const json::value* {
            const auto it = bodies_.find(std::string(ref));
            return it == bodies_.end() ? nullptr : &it->second;
        };
    }
    std::string Eval(std::string_view expression) {
        const json::value* v = EvaluateReference(expression, lookup_);
        return v == nullptr ? "<none>" : json::serialize(*v);
    }

    std::map<std::string, json::value> bodies_;
    ReferenceLookup lookup_;
};

TEST(ReferenceIdTest, LettersDigitsAndUnderscoresStartingWithALetterOrDigitSince54) {
    const auto valid = [](std::string_view id) { return !ReferenceIdProblem(id, 60); };
    EXPECT_TRUE(valid("refAccount"));
    EXPECT_TRUE(valid("1st_ref"));
    EXPECT_TRUE(valid("A"));
    EXPECT_FALSE(valid(""));
    EXPECT_FALSE(valid("_lead"));
    EXPECT_FALSE(valid("ref-1"));
    EXPECT_FALSE(valid("ref:1"));  // the Mobile SDK's old ids, refused at v59
    EXPECT_FALSE(valid("ref.id"));
    EXPECT_FALSE(
        valid("r\xc3\xa9"
              "f"));
    EXPECT_EQ(*ReferenceIdProblem("ref-1", 54),
              "Provided referenceId ('ref-1') must start with a letter or a number, and it can "
              "contain only letters, numbers and underscores ('_').");
}

TEST(ReferenceIdTest, BeforeVersion54OnlyTheFirstCharacterIsChecked) {
    // sf-fx-runtime-java's recorded composite/graph call at v53.0 used `insert-anh`.
    EXPECT_FALSE(ReferenceIdProblem("insert-anh", 53));
    EXPECT_FALSE(ReferenceIdProblem("ref:1", 50));
    EXPECT_TRUE(ReferenceIdProblem("-ref", 53));
    EXPECT_TRUE(ReferenceIdProblem("", 53));
    EXPECT_TRUE(ReferenceIdProblem("insert-anh", 54));
}

TEST_F(ReferencesTest, EvaluatesMembersAndArrayElements) {
    EXPECT_EQ(Eval("NewAccount.id"), R"("001000000000001AAA")");
    EXPECT_EQ(Eval("refQuery.records[0].Id"), R"("003A")");
    EXPECT_EQ(Eval("refQuery.records[1].Id"), R"("003B")");
    EXPECT_EQ(Eval("refQuery.records[0].Parent.Name"), R"("P")");
    EXPECT_EQ(Eval("refQuery.totalSize"), "2");
    EXPECT_EQ(Eval("refQuery.records[0].Empty"), "null");
    EXPECT_EQ(Eval("list[1].id"), R"("a2")");
}

TEST_F(ReferencesTest, UnresolvableExpressions) {
    EXPECT_EQ(Eval("Unknown.id"), "<none>");
    EXPECT_EQ(Eval("NewAccount"), "<none>");              // no field selected
    EXPECT_EQ(Eval("NewAccount.Id"), "<none>");           // member names are exact
    EXPECT_EQ(Eval("refQuery.records[2].Id"), "<none>");  // past the end
    EXPECT_EQ(Eval("refQuery.records[x].Id"), "<none>");
    EXPECT_EQ(Eval("refQuery.records[].Id"), "<none>");
    EXPECT_EQ(Eval("refQuery.records[0"), "<none>");
    EXPECT_EQ(Eval("refQuery.totalSize.x"), "<none>");  // a member of a number
    EXPECT_EQ(Eval("refQuery.records.Id"), "<none>");   // a member of an array
    EXPECT_EQ(Eval("NewAccount..id"), "<none>");
    EXPECT_EQ(Eval(".id"), "<none>");
}

TEST_F(ReferencesTest, TextSubstitution) {
    std::string url = "/services/data/v60.0/sobjects/Account/@{NewAccount.id}?fields=Name";
    EXPECT_FALSE(SubstituteText(url, lookup_));
    EXPECT_EQ(url, "/services/data/v60.0/sobjects/Account/001000000000001AAA?fields=Name");

    std::string text =
        "@{refQuery.totalSize} of @{refQuery.records[0].Amount}, "
        "@{refQuery.records[0].Flag}, @{refQuery.records[0].Empty}";
    EXPECT_FALSE(SubstituteText(text, lookup_));
    EXPECT_EQ(text, "2 of 23.5, false, null");

    std::string plain = "no references, just @ and {braces}";
    EXPECT_FALSE(SubstituteText(plain, lookup_));
    EXPECT_EQ(plain, "no references, just @ and {braces}");

    std::string bad = "x/@{refQuery.records[9].Id}/@{NewAccount.id}";
    const auto unresolved = SubstituteText(bad, lookup_);
    ASSERT_TRUE(unresolved);
    EXPECT_EQ(unresolved->expression, "refQuery.records[9].Id");
    EXPECT_EQ(unresolved->reference_id, "refQuery");
    EXPECT_EQ(bad, "x/@{refQuery.records[9].Id}/@{NewAccount.id}");  // left as it was

    std::string open = "a/@{NewAccount.id";
    const auto unclosed = SubstituteText(open, lookup_);
    ASSERT_TRUE(unclosed);
    EXPECT_EQ(unclosed->expression, "NewAccount.id");
    EXPECT_EQ(unclosed->reference_id, "NewAccount");
}

TEST_F(ReferencesTest, JsonSubstitutionKeepsTypesOfWholeReferences) {
    json::value body = json::parse(
        R"({"AccountId":"@{NewAccount.id}","Count__c":"@{refQuery.totalSize}",)"
        R"("Amount__c":"@{refQuery.records[0].Amount}","Flag__c":"@{refQuery.records[0].Flag}",)"
        R"("Parent__c":"@{refQuery.records[0].Empty}","Name":"Copy of @{refQuery.records[0].Id}",)"
        R"("nested":{"list":["@{list[0].id}",1,true,null]},"@{NewAccount.id}":"key kept"})");
    EXPECT_FALSE(SubstituteJson(body, lookup_));
    EXPECT_EQ(json::serialize(body),
              R"({"AccountId":"001000000000001AAA","Count__c":2,"Amount__c":2.35E1,)"
              R"("Flag__c":false,"Parent__c":null,"Name":"Copy of 003A",)"
              R"("nested":{"list":["a1",1,true,null]},"@{NewAccount.id}":"key kept"})");

    json::value bad = json::parse(R"({"a":"ok","b":["@{NewAccount.missing}"]})");
    const auto unresolved = SubstituteJson(bad, lookup_);
    ASSERT_TRUE(unresolved);
    EXPECT_EQ(unresolved->expression, "NewAccount.missing");
}

TEST_F(ReferencesTest, ObjectsAndArraysCanBeReferencedWhole) {
    json::value body = json::parse(R"({"parent":"@{refQuery.records[0].Parent}"})");
    EXPECT_FALSE(SubstituteJson(body, lookup_));
    EXPECT_EQ(json::serialize(body), R"({"parent":{"Name":"P"}})");
    std::string text = "p=@{refQuery.records[0].Parent}";
    EXPECT_FALSE(SubstituteText(text, lookup_));
    EXPECT_EQ(text, R"(p={"Name":"P"})");
}

}  // namespace
}  // namespace sfkit::server
