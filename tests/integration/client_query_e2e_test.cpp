// libsfkit's SOQL calls end to end against a real local org (TestOrg on disk, so that rows can be
// bulk-inserted): the lazy cursor over many pages, queryAll, Count, child subqueries, parent
// paths, aggregates, literals built with the helpers, XML on the wire, and query errors.
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/query.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/bulk_rows.hpp"
#include "support/client_login.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::client {
namespace {

class ClientQueryE2E : public ::testing::Test {
protected:
    void SetUp() override {
        auto token = test::AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        user_id_ = token->user_id;
        rest_ = std::make_unique<RestClient>(transport_, *token);
    }

    std::string Create(const std::string& sobject, Record fields) {
        auto saved = rest_->Create(sobject, fields);
        EXPECT_TRUE(saved) << saved.error().ToString();
        return saved ? saved->id : std::string();
    }

    long long Used() const { return rest_->LastApiUsage().value().used; }

    test::TempDir dir_;
    test::TestOrg org_{test::OnDiskOrgOptions(dir_.Path())};
    std::shared_ptr<CurlTransport> transport_ = std::make_shared<CurlTransport>();
    std::unique_ptr<RestClient> rest_;
    std::string user_id_;
};

TEST_F(ClientQueryE2E, LazyRangeReadsEveryRecordExactlyOnceAcrossPages) {
    const auto ids = test::InsertAccounts(dir_.Path(), 1000, "Row ", user_id_);
    auto cursor = rest_->Query("SELECT Id, Name FROM Account WHERE Name LIKE 'Row %' ORDER BY Name",
                               {.batch_size = 200});
    ASSERT_TRUE(cursor) << cursor.error().ToString();
    EXPECT_EQ(cursor->TotalSize(), 1000);
    const long long after_first = Used();

    std::set<std::string> seen;
    std::string previous;
    for (auto& rec : *cursor) {
        ASSERT_TRUE(rec) << rec.error().ToString();
        // Pages are requested only when iteration reaches them: each API call (counted by the
        // org in Sforce-Limit-Info) comes after another 200 records.
        EXPECT_EQ(Used(), after_first + static_cast<long long>(seen.size()) / 200)
            << "at record " << seen.size();
        EXPECT_TRUE(seen.insert(rec->GetString("Id").value()).second) << "repeated record";
        const std::string name = rec->GetString("Name").value();
        EXPECT_LT(previous, name);  // ORDER BY holds across pages
        previous = name;
    }
    EXPECT_FALSE(cursor->error());
    EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
    EXPECT_EQ(cursor->PagesFetched(), 5);
    EXPECT_EQ(cursor->RecordsRead(), 1000);
    EXPECT_EQ(Used(), after_first + 4);

    // The page calls, by hand.
    auto page = rest_->QueryFirstPage("SELECT Id FROM Account WHERE Name LIKE 'Row %'",
                                      {.batch_size = 300});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->records.size(), 300u);
    EXPECT_FALSE(page->done);
    std::size_t total = page->records.size();
    while (!page->done) {
        page = rest_->QueryMore(page->next_records_url, {.batch_size = 300});
        ASSERT_TRUE(page) << page.error().ToString();
        total += page->records.size();
    }
    EXPECT_EQ(total, 1000u);
}

TEST_F(ClientQueryE2E, QueryAllAndCountSeeDeletedRecords) {
    std::vector<std::string> ids;
    for (const char* name : {"Del A", "Del B", "Del C"}) {
        ids.push_back(Create("Account", Record().Set("Name", name)));
    }
    ASSERT_TRUE(rest_->Delete("Account", ids[1]));

    const std::string soql = "SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE 'Del %'";
    auto live = rest_->Query(soql);
    ASSERT_TRUE(live);
    std::vector<std::string> names;
    for (auto& rec : *live) {
        names.push_back(rec.value().GetString("Name").value());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Del A", "Del C"}));

    auto all = rest_->QueryAll(soql);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->TotalSize(), 3);
    int deleted = 0;
    for (auto& rec : *all) {
        if (rec.value().GetBool("IsDeleted").value()) {
            ++deleted;
            EXPECT_EQ(rec->GetString("Id").value(), ids[1]);
        }
    }
    EXPECT_EQ(deleted, 1);

    const std::string count = "SELECT COUNT() FROM Account WHERE Name LIKE 'Del %'";
    EXPECT_EQ(rest_->Count(count).value(), 2);
    EXPECT_EQ(rest_->Count(count, {.all_rows = true}).value(), 3);
}

TEST_F(ClientQueryE2E, SubqueriesParentsAggregatesAndLiterals) {
    const std::string tricky = "O'Neil \\ \"Sons\" 50%_off\n";
    const std::string acme = Create("Account", Record().Set("Name", tricky));
    const std::string lonely = Create("Account", Record().Set("Name", "50 off"));
    const std::string smith =
        Create("Contact", Record().Set("LastName", "Smith").Set("AccountId", acme));
    Create("Contact", Record().Set("LastName", "Jones").Set("AccountId", acme));
    Create("Case", Record().Set("Subject", "Broken").Set("ContactId", smith));

    // A value with every kind of special character finds exactly its record.
    auto by_name = rest_->Query(
        "SELECT Id, Name, (SELECT LastName FROM Contacts ORDER BY "
        "LastName) FROM Account WHERE Name = " +
        SoqlLiteral(tricky));
    ASSERT_TRUE(by_name) << by_name.error().ToString();
    ASSERT_EQ(by_name->TotalSize(), 1);
    auto rec = by_name->Next().value().value();
    EXPECT_EQ(rec.GetString("Name").value(), tricky);
    auto contacts = rec.GetSubquery("Contacts");
    ASSERT_TRUE(contacts) << contacts.error().ToString();
    ASSERT_EQ(contacts->size(), 2u);
    EXPECT_EQ((*contacts)[0].GetString("LastName").value(), "Jones");
    EXPECT_EQ((*contacts)[0].Type(), "Contact");
    EXPECT_EQ(ReadSubquery(rec, "Contacts")->total_size, 2);

    // API 58.0+ nests child subqueries: a contact's cases are read with GetSubquery at the
    // second level; a contact without cases has null there.
    auto nested = rest_->Query(
        "SELECT Name, (SELECT LastName, (SELECT Subject FROM Cases) FROM Contacts ORDER BY "
        "LastName DESC) FROM Account WHERE Id = " +
        SoqlLiteral(acme));
    ASSERT_TRUE(nested) << nested.error().ToString();
    auto nested_rec = nested->Next().value().value();
    auto nested_contacts = nested_rec.GetSubquery("Contacts");
    ASSERT_TRUE(nested_contacts) << nested_contacts.error().ToString();
    ASSERT_EQ(nested_contacts->size(), 2u);
    EXPECT_EQ((*nested_contacts)[0].GetString("LastName").value(), "Smith");
    auto cases = (*nested_contacts)[0].GetSubquery("Cases");
    ASSERT_TRUE(cases) << cases.error().ToString();
    ASSERT_EQ(cases->size(), 1u);
    EXPECT_EQ((*cases)[0].Type(), "Case");
    EXPECT_EQ((*cases)[0].GetString("Subject").value(), "Broken");
    EXPECT_TRUE((*nested_contacts)[1].IsNull("Cases"));
    EXPECT_TRUE((*nested_contacts)[1].GetSubquery("Cases").value().empty());

    // LIKE with the value's own % and _ escaped: "50%_off" matches the tricky name only.
    auto like = rest_->Query("SELECT Id FROM Account WHERE Name LIKE " +
                             SoqlLikeLiteral("50%_off", LikeMatch::kContains));
    ASSERT_TRUE(like) << like.error().ToString();
    EXPECT_EQ(like->TotalSize(), 1);
    EXPECT_EQ(like->Next().value().value().GetString("Id").value(), acme);
    auto plain = rest_->Count("SELECT COUNT() FROM Account WHERE Name LIKE '%50%_off%'");
    EXPECT_EQ(plain.value(), 2);  // the unescaped pattern matches both

    auto none = rest_->Query(
        "SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE "
        "Id = " +
        SoqlLiteral(lonely));
    ASSERT_TRUE(none);
    auto lonely_rec = none->Next().value().value();
    EXPECT_TRUE(lonely_rec.IsNull("Contacts"));
    EXPECT_TRUE(lonely_rec.GetSubquery("Contacts").value().empty());

    auto parents = rest_->Query(
        "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE "
        "AccountId IN " +
        SoqlInList({acme, lonely}).value() + " ORDER BY LastName");
    ASSERT_TRUE(parents);
    for (auto& c : *parents) {
        ASSERT_TRUE(c);
        EXPECT_EQ(c->GetString("Account.Name").value(), tricky);
        EXPECT_FALSE(c->GetString("Account.Owner.Name").value().empty());
        EXPECT_EQ(c->GetRecord("Account").value().Type(), "Account");
    }

    auto groups = rest_->Query(
        "SELECT AccountId, COUNT(Id) n FROM Contact WHERE AccountId != null GROUP BY AccountId");
    ASSERT_TRUE(groups) << groups.error().ToString();
    auto row = groups->Next().value().value();
    EXPECT_EQ(row.Type(), "AggregateResult");
    EXPECT_TRUE(row.Url().empty());
    EXPECT_EQ(row.GetString("AccountId").value(), acme);
    EXPECT_EQ(row.GetInt("n").value(), 2);
}

TEST_F(ClientQueryE2E, XmlOnTheWire) {
    test::InsertAccounts(dir_.Path(), 450, "Xml ", user_id_);
    const std::string acme =
        Create("Account", Record().Set("Name", "Xml Acme & Co").Set("NumberOfEmployees", 12));
    Create("Contact", Record().Set("LastName", "Only").Set("AccountId", acme));
    ASSERT_TRUE(rest_->Describe("Account"));  // cached: XML values are typed from it
    rest_->SetFormat(WireFormat::kXml);

    auto cursor = rest_->Query(
        "SELECT Id, Name, NumberOfEmployees, Owner.Name, (SELECT LastName FROM Contacts) FROM "
        "Account WHERE Name LIKE 'Xml %' ORDER BY Name",
        {.batch_size = 200});
    ASSERT_TRUE(cursor) << cursor.error().ToString();
    EXPECT_EQ(cursor->TotalSize(), 451);
    std::set<std::string> ids;
    bool saw_acme = false;
    for (auto& rec : *cursor) {
        ASSERT_TRUE(rec) << rec.error().ToString();
        ids.insert(rec->GetString("Id").value());
        EXPECT_EQ(rec->Type(), "Account");
        if (rec->GetString("Name").value() == "Xml Acme & Co") {
            saw_acme = true;
            EXPECT_EQ(rec->Find("NumberOfEmployees")->AsInt(), 12);  // typed, not "12"
            auto children = rec->GetSubquery("Contacts");            // one child: no list in XML
            ASSERT_TRUE(children) << children.error().ToString();
            ASSERT_EQ(children->size(), 1u);
            EXPECT_EQ((*children)[0].GetString("LastName").value(), "Only");
            EXPECT_FALSE(rec->GetString("Owner.Name").value().empty());
        } else {
            EXPECT_TRUE(rec->IsNull("Contacts"));
        }
    }
    EXPECT_FALSE(cursor->error());
    EXPECT_TRUE(saw_acme);
    EXPECT_EQ(ids.size(), 451u);
    EXPECT_EQ(cursor->PagesFetched(), 3);
    EXPECT_EQ(rest_->Count("SELECT COUNT() FROM Account WHERE Name LIKE 'Xml %'").value(), 451);
}

TEST_F(ClientQueryE2E, QueryErrors) {
    auto bad = rest_->Query("SELECT Nme FROM Account");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kApi);
    EXPECT_EQ(bad.error().code, "INVALID_FIELD");
    EXPECT_EQ(bad.error().http_status, 400);
    EXPECT_EQ(bad.error().message.rfind(
                  "\nSELECT Nme FROM Account\n       ^\nERROR at Row:1:Column:8\n", 0),
              0u)
        << bad.error().message;

    auto malformed = rest_->Count("SELECT FROM Account");
    ASSERT_FALSE(malformed);
    EXPECT_EQ(malformed.error().code, "MALFORMED_QUERY");

    auto locator = rest_->QueryMore("/services/data/v60.0/query/01gLo0000000000AAA-2000");
    ASSERT_FALSE(locator);
    EXPECT_EQ(locator.error().code, "INVALID_QUERY_LOCATOR");
    EXPECT_EQ(locator.error().http_status, 400);
}

}  // namespace
}  // namespace sfkit::client

namespace sfkit::client {
namespace {

TEST_F(ClientQueryE2E, SearchFindsRecordsWithEscapedUserInputInJsonAndXml) {
    Record a;
    a.Set("Name", "O'Brien-Smith (Holdings) Ltd");
    const std::string account = Create("Account", a);
    Record c;
    c.Set("LastName", "Quagga");
    c.Set("Email", "quagga@zoo.test");
    const std::string contact = Create("Contact", c);
    Record other;
    other.Set("Name", "Unrelated Ltd");
    Create("Account", other);

    // User input with SOSL's reserved characters: unescaped it is a MALFORMED_SEARCH.
    const std::string typed = "O'Brien-Smith (Holdings)";
    auto bad = rest_->Search("FIND {" + typed + "} RETURNING Account(Id)");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "MALFORMED_SEARCH");
    auto found = rest_->Search("FIND {" + SoslEscape(typed) +
                               "} IN NAME FIELDS RETURNING Account(Id, Name)");
    ASSERT_TRUE(found) << found.error().ToString();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0].Type(), "Account");
    EXPECT_EQ((*found)[0].GetString("Id").value(), account);
    EXPECT_EQ((*found)[0].GetString("Name").value(), "O'Brien-Smith (Holdings) Ltd");

    // Several objects, in RETURNING order; the same through XML.
    const std::string sosl =
        "FIND {Quagga OR Brien*} RETURNING Contact(Id, Email), Account(Id ORDER BY Name)";
    for (WireFormat f : {WireFormat::kJson, WireFormat::kXml}) {
        rest_->SetFormat(f);
        auto both = rest_->Search(sosl);
        ASSERT_TRUE(both) << both.error().ToString();
        ASSERT_EQ(both->size(), 2u);
        EXPECT_EQ((*both)[0].Type(), "Contact");
        EXPECT_EQ((*both)[0].GetString("Id").value(), contact);
        EXPECT_EQ((*both)[0].GetString("Email").value(), "quagga@zoo.test");
        EXPECT_EQ((*both)[1].Type(), "Account");
        EXPECT_EQ((*both)[1].GetString("Id").value(), account);
    }
    rest_->SetFormat(WireFormat::kJson);

    // Before API 36.0 the answer is a bare array; the client reads both.
    rest_->SetApiVersion("35.0");
    auto old = rest_->Search("FIND {Quagga} RETURNING Contact(LastName)");
    ASSERT_TRUE(old) << old.error().ToString();
    ASSERT_EQ(old->size(), 1u);
    EXPECT_EQ((*old)[0].GetString("LastName").value(), "Quagga");

    auto unknown = rest_->Search("FIND {x1} RETURNING Nope__c");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "INVALID_TYPE");
}

TEST(SoslEscapeTest, EveryReservedCharacterGetsABackslash) {
    EXPECT_EQ(SoslEscape("plain words 123"), "plain words 123");
    EXPECT_EQ(SoslEscape(R"(?&|!{}[]()^~*:\"'+-)"), R"(\?\&\|\!\{\}\[\]\(\)\^\~\*\:\\\"\'\+\-)");
    EXPECT_EQ(SoslEscape("caf\xC3\xA9"), "caf\xC3\xA9");  // UTF-8 untouched
}

}  // namespace
}  // namespace sfkit::client
