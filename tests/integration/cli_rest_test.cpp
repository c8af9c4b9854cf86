// The REST commands of the sfkit binary: sobjects, describe, update, delete, upsert, get by
// external id, limits and api, each in human and --json output with its exit codes. `CliRest*`
// tests run against a canned org (FakeOrg); `CliRestE2E*` tests run against a real `sfkit serve`.
#include <algorithm>
#include <memory>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/cli_fixture.hpp"
#include "support/fake_org.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The line of `text` that starts with `start`, or "".
std::string LineStarting(const std::string& text, const std::string& start) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        const std::string line = text.substr(pos, end == std::string::npos ? end : end - pos);
        if (line.rfind(start, 0) == 0) {
            return line;
        }
        if (end == std::string::npos) {
            break;
        }
        pos = end + 1;
    }
    return "";
}

/// Collapses runs of spaces, so table rows can be compared without their padding.
std::string Squeeze(const std::string& line) {
    std::string out;
    for (const char c : line) {
        if (c != ' ' || out.empty() || out.back() != ' ') {
            out += c;
        }
    }
    return out;
}

class CliRest : public CliTest {
protected:
    void SetUp() override {
        auto login = Sfkit(PasswordLogin(org_.BaseUrl()));
        ASSERT_EQ(login.exit_code, 0) << login.err;
    }
    const server::Request& LastRequest() {
        requests_ = org_.Requests();
        return requests_.back();
    }
    FakeOrg org_;
    std::vector<server::Request> requests_;
};

const std::string kRecord = FakeOrg::kRecordId;

// ---- sobjects -------------------------------------------------------------------------------

TEST_F(CliRest, SObjectsTable) {
    auto r = Sfkit({"sobjects"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(LastRequest().path, "/services/data/v60.0/sobjects/");
    EXPECT_EQ(*LastRequest().Header("Accept"), "application/json");
    const std::string header = LineStarting(r.out, "NAME");
    EXPECT_EQ(Squeeze(header),
              "NAME LABEL KEY PREFIX CUSTOM CREATEABLE UPDATEABLE DELETABLE QUERYABLE");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Account ")), "Account Account 001 no yes yes yes yes");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Widget__c")), "Widget__c Widget a00 yes yes yes no yes");
    // Columns line up: each row's label starts where the LABEL header does.
    const auto label_col = header.find("LABEL");
    EXPECT_EQ(LineStarting(r.out, "Widget__c").find("Widget", 9), label_col);
    EXPECT_EQ(LineStarting(r.out, "Contact").find("Contact", 7), label_col);
    EXPECT_TRUE(Has(r.out, "\n3 sObjects\n")) << r.out;
    EXPECT_TRUE(Has(r.err, "WARNING: the org has used 14000 of 15000"));

    auto custom = Sfkit({"sobjects", "--custom"});
    ASSERT_EQ(custom.exit_code, 0) << custom.err;
    EXPECT_FALSE(Has(custom.out, "Account"));
    EXPECT_TRUE(Has(custom.out, "Widget__c"));
    EXPECT_TRUE(Has(custom.out, "\n1 sObject\n"));
    auto match = Sfkit({"sobjects", "--match", "CONT"});
    EXPECT_TRUE(Has(match.out, "Contact"));
    EXPECT_FALSE(Has(match.out, "Widget__c"));
}

TEST_F(CliRest, SObjectsJsonAndXml) {
    auto r = Sfkit({"sobjects", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);  // one compact line
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(env["status"], 0);
    auto& result = env["result"].as_object();
    EXPECT_EQ(S(result["encoding"]), "UTF-8");
    ASSERT_EQ(result["sobjects"].as_array().size(), 3u);
    // The raw describeGlobal entries, every key as sent.
    auto& first = result["sobjects"].as_array()[0].as_object();
    EXPECT_EQ(S(first["name"]), "Account");
    EXPECT_EQ(S(first["urls"].as_object()["sobject"]), "/services/data/v60.0/sobjects/Account");
    EXPECT_EQ(env["apiUsage"].as_object()["used"], 14000);

    auto custom = Sfkit({"sobjects", "--custom", "--json"});
    auto list = ParseEnvelope(custom.out)["result"].as_object()["sobjects"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(S(list[0].as_object()["name"]), "Widget__c");

    auto xml = Sfkit({"sobjects", "--xml"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(*LastRequest().Header("Accept"), "application/xml");
    EXPECT_EQ(Squeeze(LineStarting(xml.out, "Account")), "Account Account 001 no yes no no no");
}

// ---- describe -------------------------------------------------------------------------------

TEST_F(CliRest, DescribeHuman) {
    auto r = Sfkit({"describe", "Account"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(LastRequest().path, "/services/data/v60.0/sobjects/Account/describe/");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Name ")), "Name Account");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Label")), "Label Account (plural Accounts)");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Key prefix")), "Key prefix 001");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Fields")), "Fields 6 (1 required on create)");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Access")),
              "Access createable, updateable, deletable, undeletable, queryable, searchable, "
              "retrieveable");
    // The field table follows the summary after a blank line.
    const auto at = r.out.find("\n\nNAME");
    ASSERT_NE(at, std::string::npos) << r.out;
    const std::string table = r.out.substr(at);
    EXPECT_EQ(Squeeze(LineStarting(table, "NAME")),
              "NAME LABEL TYPE LENGTH REQUIRED CREATE UPDATE DETAILS");
    EXPECT_EQ(Squeeze(LineStarting(table, "Id ")), "Id Account ID id 18");
    EXPECT_EQ(Squeeze(LineStarting(table, "Name ")), "Name Account Name string 255 yes yes yes");
    EXPECT_EQ(Squeeze(LineStarting(table, "ParentId")),
              "ParentId Parent Account ID reference 18 yes yes -> Account (Parent)");
    EXPECT_EQ(Squeeze(LineStarting(table, "Type ")),
              "Type Account Type picklist 40 yes yes values: Prospect, Customer");
    EXPECT_EQ(Squeeze(LineStarting(table, "AnnualRevenue")),
              "AnnualRevenue Annual Revenue currency 18,2 yes yes");
    EXPECT_EQ(Squeeze(LineStarting(table, "External_Id__c")),
              "External_Id__c External Id string 20 yes yes external id; unique");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "RELATIONSHIP")),
              "RELATIONSHIP CHILD OBJECT FIELD ON DELETE");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Contacts")), "Contacts Contact AccountId cascade");

    auto fields = Sfkit({"describe", "Account", "--fields"});
    ASSERT_EQ(fields.exit_code, 0) << fields.err;
    EXPECT_EQ(fields.out.rfind("NAME", 0), 0u) << fields.out;  // the field table only
    EXPECT_FALSE(Has(fields.out, "RELATIONSHIP"));
    EXPECT_FALSE(Has(fields.out, "Key prefix"));
}

TEST_F(CliRest, DescribeJson) {
    auto r = Sfkit({"describe", "Account", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(env["status"], 0);
    auto& d = env["result"].as_object();
    EXPECT_EQ(S(d["name"]), "Account");
    EXPECT_EQ(d.begin()->key(), "childRelationships");  // raw, in the order sent
    ASSERT_EQ(d["fields"].as_array().size(), 6u);
    EXPECT_EQ(S(d["fields"].as_array()[5].as_object()["name"]), "External_Id__c");
    EXPECT_EQ(d["fields"].as_array()[5].as_object()["externalId"], true);

    auto fields = Sfkit({"describe", "Account", "--fields", "--json"});
    auto f = ParseEnvelope(fields.out)["result"];
    ASSERT_TRUE(f.is_array());
    EXPECT_EQ(f.as_array().size(), 6u);
}

TEST_F(CliRest, DescribeUnknownObjectExits1) {
    auto r = Sfkit({"describe", "Nope__c", "--json"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.empty()) << "--json: the envelope only, " << r.err;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(S(env["message"]), "The requested resource does not exist");
    EXPECT_EQ(env["status"], 1);
    // The API-usage warning (14000 of 15000) goes into the envelope, as sf's warnings do.
    ASSERT_EQ(env["warnings"].as_array().size(), 1u) << r.out;
    EXPECT_TRUE(Has(S(env["warnings"].as_array()[0]), "used 14000 of 15000")) << r.out;
    EXPECT_EQ(S(env["name"]), "NOT_FOUND");
    EXPECT_EQ(env["httpStatus"], 404);
    EXPECT_EQ(S(env["context"]), "describe");
    EXPECT_EQ(Sfkit({"describe"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"describe", "Account/x"}).exit_code, 2);  // not a name: nothing sent
}

// ---- update / delete ------------------------------------------------------------------------

TEST_F(CliRest, Update) {
    auto r = Sfkit({"update", "Account", kRecord, "--data", R"({"Name":"Renamed","Phone":null})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Updated Account " + kRecord + "\n");
    const auto& sent = LastRequest();
    EXPECT_EQ(sent.method, "PATCH");
    EXPECT_EQ(sent.path, "/services/data/v60.0/sobjects/Account/" + kRecord);
    EXPECT_EQ(*sent.Header("Content-Type"), "application/json");
    EXPECT_EQ(sent.body, R"({"Name":"Renamed","Phone":null})");

    auto j = Sfkit({"update", "Account", kRecord, "-d", R"({"Name":"x"})", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    auto env = ParseEnvelope(j.out);
    EXPECT_EQ(env["status"], 0);
    EXPECT_EQ(S(env["result"].as_object()["id"]), kRecord);
    EXPECT_EQ(env["result"].as_object()["success"], true);

    auto xml = Sfkit({"update", "Account", kRecord, "--data", "<Account><Name>X</Name></Account>"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(*LastRequest().Header("Content-Type"), "application/xml");
    EXPECT_TRUE(Has(LastRequest().body, "<Account><Name>X</Name></Account>"));
}

TEST_F(CliRest, UpdateErrors) {
    auto missing = Sfkit({"update", "Account", "001000000000009AAA", "--data", "{}", "--json"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(missing.err.empty()) << missing.err;
    EXPECT_EQ(S(ParseEnvelope(missing.out)["name"]), "NOT_FOUND");
    EXPECT_EQ(ParseEnvelope(missing.out)["httpStatus"], 404);
    auto bad_field = Sfkit({"update", "Account", kRecord, "--data", R"({"NoSuchField__c":1})"});
    EXPECT_EQ(bad_field.exit_code, 1);
    EXPECT_TRUE(Has(bad_field.err, "ERROR INVALID_FIELD: No such column 'NoSuchField__c'"));
    EXPECT_EQ(Sfkit({"update", "Account", kRecord}).exit_code, 2);  // --data is required
    EXPECT_EQ(Sfkit({"update", "Account", kRecord, "--data", "Name=x"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"update", "Account", kRecord, "--data", "<Contact><Name>x</Name></Contact>"})
                  .exit_code,
              2);
}

TEST_F(CliRest, Delete) {
    auto r = Sfkit({"delete", "Account", kRecord});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Deleted Account " + kRecord + "\n");
    EXPECT_EQ(LastRequest().method, "DELETE");
    EXPECT_EQ(LastRequest().path, "/services/data/v60.0/sobjects/Account/" + kRecord);
    auto j = Sfkit({"delete", "Account", kRecord, "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    EXPECT_EQ(S(ParseEnvelope(j.out)["result"].as_object()["id"]), kRecord);
    auto gone = Sfkit({"delete", "Account", "001000000000009AAA"});
    EXPECT_EQ(gone.exit_code, 1);
    EXPECT_TRUE(Has(gone.err, "ERROR NOT_FOUND"));
    EXPECT_EQ(Sfkit({"delete", "Account"}).exit_code, 2);
}

// ---- upsert and external ids ----------------------------------------------------------------

TEST_F(CliRest, UpsertCreatesAndUpdates) {
    auto created = Sfkit(
        {"upsert", "Account", "External_Id__c", FakeOrg::kNewExtId, "--data", R"({"Name":"N"})"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(created.out,
              std::string("Created Account ") + FakeOrg::kNewRecordId +
                  " (External_Id__c = " + FakeOrg::kNewExtId + ")\n");
    EXPECT_EQ(LastRequest().method, "PATCH");
    EXPECT_EQ(
        LastRequest().path,
        std::string("/services/data/v60.0/sobjects/Account/External_Id__c/") + FakeOrg::kNewExtId);
    EXPECT_EQ(LastRequest().body, R"({"Name":"N"})");

    auto updated = Sfkit(
        {"upsert", "Account", "External_Id__c", FakeOrg::kOneExtId, "--data", "{}", "--json"});
    ASSERT_EQ(updated.exit_code, 0) << updated.err;
    auto result = ParseEnvelope(updated.out)["result"].as_object();
    EXPECT_EQ(S(result["id"]), kRecord);
    EXPECT_EQ(result["created"], false);
    EXPECT_EQ(result["success"], true);

    auto xml = Sfkit({"upsert",
                      "Account",
                      "External_Id__c",
                      FakeOrg::kNewExtId,
                      "--data",
                      "<Account><Name>N</Name></Account>",
                      "--json"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(*LastRequest().Header("Accept"), "application/xml");
    EXPECT_EQ(ParseEnvelope(xml.out)["result"].as_object()["created"], true);
}

TEST_F(CliRest, UpsertMatchingSeveralRecordsListsThem) {
    auto r = Sfkit({"upsert", "Account", "External_Id__c", FakeOrg::kDupExtId, "--data", "{}"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(Has(r.err,
                    "ERROR MULTIPLE_CHOICES: The external ID provided matches more than "
                    "one record (2)"))
        << r.err;
    EXPECT_TRUE(Has(r.err, "\n  /services/data/v60.0/sobjects/Account/" + kRecord + "\n")) << r.err;
    EXPECT_TRUE(r.out.empty());

    auto j = Sfkit(
        {"upsert", "Account", "External_Id__c", FakeOrg::kDupExtId, "--data", "{}", "--json"});
    EXPECT_EQ(j.exit_code, 1);
    auto env = ParseEnvelope(j.out);
    EXPECT_EQ(env["status"], 1);
    EXPECT_EQ(S(env["name"]), "MULTIPLE_CHOICES");
    EXPECT_EQ(env["httpStatus"], 300);
    ASSERT_EQ(env["candidates"].as_array().size(), 2u);
    EXPECT_EQ(S(env["candidates"].as_array()[1]),
              std::string("/services/data/v60.0/sobjects/Account/") + FakeOrg::kNewRecordId);

    auto bad = Sfkit({"upsert", "Account", "Namez", "1", "--data", "{}"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_TRUE(Has(bad.err,
                    "Provided external ID field does not exist or is not accessible: "
                    "Namez"));
    EXPECT_EQ(Sfkit({"upsert", "Account", "External_Id__c", "--data", "{}"}).exit_code, 2);
}

TEST_F(CliRest, GetByExternalId) {
    auto r = Sfkit({"get", "Account", "--external-id", "External_Id__c", FakeOrg::kOneExtId});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(
        LastRequest().path,
        std::string("/services/data/v60.0/sobjects/Account/External_Id__c/") + FakeOrg::kOneExtId);
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Id ")), "Id " + kRecord) << r.out;
    auto j =
        Sfkit({"get", "Account", "--external-id", "External_Id__c", FakeOrg::kOneExtId, "--json"});
    EXPECT_EQ(S(ParseEnvelope(j.out)["result"].as_object()["Name"]), "Test Account");
    auto dup = Sfkit({"get", "Account", "--external-id", "External_Id__c", FakeOrg::kDupExtId});
    EXPECT_EQ(dup.exit_code, 1);
    EXPECT_TRUE(Has(dup.err, "MULTIPLE_CHOICES"));
    // Exactly one of an id and --external-id.
    EXPECT_EQ(Sfkit({"get", "Account"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"get", "Account", kRecord, "--external-id", "External_Id__c", "x"}).exit_code,
              2);
    EXPECT_EQ(Sfkit({"get", "Account", "--external-id", "External_Id__c"}).exit_code, 2);
}

// ---- limits ---------------------------------------------------------------------------------

TEST_F(CliRest, LimitsTable) {
    auto r = Sfkit({"limits"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(LastRequest().path, "/services/data/v60.0/limits/");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "NAME")), "NAME MAX REMAINING USED USED %");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "DailyApiRequests")),
              "DailyApiRequests 15000 1000 14000 93.3%");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "  My App")), " My App 200 150 50 25.0%");
    EXPECT_EQ(Squeeze(LineStarting(r.out, "SingleEmail")), "SingleEmail 0 0 0 -");
    // Numbers are right-aligned: every row ends its MAX column where the header does.
    const std::string header = LineStarting(r.out, "NAME");
    const std::string row = LineStarting(r.out, "DataStorageMB");
    EXPECT_EQ(row.find("5 "), header.find("MAX") + 2);

    auto xml = Sfkit({"limits", "--xml"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(Squeeze(LineStarting(xml.out, "DailyApiRequests")),
              "DailyApiRequests 15000 1000 14000 93.3%");
}

TEST_F(CliRest, LimitsJsonAndRecordCounts) {
    auto r = Sfkit({"limits", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto result = ParseEnvelope(r.out)["result"].as_object();
    auto& api = result["DailyApiRequests"].as_object();
    EXPECT_EQ(api["Max"], 15000);
    EXPECT_EQ(api["Remaining"], 1000);
    EXPECT_EQ(api["My App"].as_object()["Remaining"], 150);

    auto counts = Sfkit({"limits", "--record-count", "Account,Contact"});
    ASSERT_EQ(counts.exit_code, 0) << counts.err;
    EXPECT_EQ(LastRequest().target,
              "/services/data/v60.0/limits/recordCount?sObjects=Account,Contact");
    EXPECT_EQ(Squeeze(LineStarting(counts.out, "SOBJECT")), "SOBJECT RECORDS");
    EXPECT_EQ(Squeeze(LineStarting(counts.out, "Account")), "Account 2");
    auto all = Sfkit({"limits", "--record-count", "all", "--json"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    EXPECT_EQ(LastRequest().target, "/services/data/v60.0/limits/recordCount");
    auto list = ParseEnvelope(all.out)["result"].as_object()["sObjects"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].as_object()["count"], 2);
}

// ---- api ------------------------------------------------------------------------------------

TEST_F(CliRest, ApiPrintsTheBodyAsReceived) {
    auto r = Sfkit({"api", "GET", "limits"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto& sent = LastRequest();
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.target, "/services/data/v60.0/limits");
    EXPECT_EQ(*sent.Header("Authorization"), std::string("Bearer ") + FakeOrg::kAccessToken);
    EXPECT_EQ(r.out.rfind(R"({"DailyApiRequests":{"Max":15000,)", 0), 0u) << r.out;
    EXPECT_EQ(r.out.back(), '}');  // as received: no newline added when piped

    auto head = Sfkit({"api", "get", "/services/data/v60.0/limits", "--include"});
    ASSERT_EQ(head.exit_code, 0) << head.err;
    EXPECT_EQ(head.out.rfind("HTTP/1.1 200 OK\n", 0), 0u) << head.out;
    EXPECT_TRUE(Has(head.out, "\nSforce-Limit-Info: api-usage=14000/15000\n")) << head.out;
    EXPECT_TRUE(Has(head.out, "\n\n{\"DailyApiRequests\"")) << head.out;
}

TEST_F(CliRest, ApiSendsDataAndHeaders) {
    WriteFile("body.xml", "<Account><Name>X</Name></Account>");
    auto r = Sfkit({"api",
                    "PATCH",
                    "sobjects/Account/" + kRecord,
                    "--data",
                    "@body.xml",
                    "-H",
                    "X-Test: one two",
                    "--header",
                    "Sforce-Auto-Assign:FALSE"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());  // 204
    const auto& sent = LastRequest();
    EXPECT_EQ(sent.method, "PATCH");
    EXPECT_EQ(sent.body, "<Account><Name>X</Name></Account>");
    EXPECT_EQ(*sent.Header("Content-Type"), "application/xml");
    EXPECT_EQ(*sent.Header("X-Test"), "one two");
    EXPECT_EQ(*sent.Header("Sforce-Auto-Assign"), "FALSE");

    auto piped =
        Sfkit({"api", "POST", "sobjects/Account/", "-d", "@-", "-H", "Accept: application/xml"},
              {},
              R"({"Name":"Piped"})");
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_EQ(*LastRequest().Header("Content-Type"), "application/json");
    EXPECT_EQ(*LastRequest().Header("Accept"), "application/xml");
    EXPECT_TRUE(Has(piped.out, "<Result><id>")) << piped.out;
}

TEST_F(CliRest, ApiErrorStatusExits1WithTheBodyPrinted) {
    auto r = Sfkit({"api", "GET", "sobjects/Nope"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    EXPECT_TRUE(Has(r.err, "ERROR NOT_FOUND: The requested resource does not exist"));

    auto j = Sfkit({"api", "GET", "sobjects/Nope", "--json"});
    EXPECT_EQ(j.exit_code, 1);
    auto env = ParseEnvelope(j.out);
    EXPECT_EQ(env["status"], 1);
    EXPECT_EQ(S(env["name"]), "NOT_FOUND");
    EXPECT_EQ(env["httpStatus"], 404);
    auto& result = env["result"].as_object();
    EXPECT_EQ(result["statusCode"], 404);
    EXPECT_EQ(S(result["body"].as_array()[0].as_object()["errorCode"]), "NOT_FOUND");
}

TEST_F(CliRest, ApiJsonEnvelope) {
    auto r = Sfkit({"api", "GET", "limits", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(env["status"], 0);
    auto& result = env["result"].as_object();
    EXPECT_EQ(result["statusCode"], 200);
    EXPECT_EQ(S(result["headers"].as_object()["Sforce-Limit-Info"]), "api-usage=14000/15000");
    EXPECT_EQ(result["body"].as_object()["DailyApiRequests"].as_object()["Max"], 15000);
    EXPECT_EQ(env["apiUsage"].as_object()["used"], 14000);
    // A body that is not JSON is kept as text.
    auto xml = Sfkit({"api", "GET", "limits", "-H", "Accept: application/xml", "--json"});
    auto body = ParseEnvelope(xml.out)["result"].as_object()["body"];
    ASSERT_TRUE(body.is_string());
    EXPECT_TRUE(Has(S(body), "<LimitsSnapshot>"));
}

TEST_F(CliRest, ApiUsageErrors) {
    auto bad_header = Sfkit({"api", "GET", "limits", "-H", "no colon here"});
    EXPECT_EQ(bad_header.exit_code, 2);
    EXPECT_TRUE(Has(bad_header.err, "ERROR INVALID_HEADER"));
    EXPECT_EQ(Sfkit({"api", "FETCH", "limits"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"api", "GET"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"api", "GET", "limits", "--data", "@missing.json"}).exit_code, 2);
    auto nobody = Sfkit({"api", "GET", "limits", "-o", "nobody"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_TRUE(Has(nobody.err, "NO_SUCH_ALIAS"));
    const auto before = org_.Requests().size();
    EXPECT_EQ(Sfkit({"api", "GET", "limits", "-H", "bad"}).exit_code, 2);
    EXPECT_EQ(org_.Requests().size(), before);  // nothing sent
}

TEST_F(CliRest, UnreachableOrgExits69) {
    // A stored login whose org has gone away: its port now refuses connections.
    auto gone = std::make_unique<FakeOrg>();
    auto login = PasswordLogin(gone->BaseUrl());
    login.insert(login.end(), {"-o", "gone"});
    ASSERT_EQ(Sfkit(login).exit_code, 0);
    gone.reset();
    for (const auto& cmd :
         std::vector<std::vector<std::string>>{{"sobjects", "-o", "gone"},
                                               {"limits", "-o", "gone"},
                                               {"describe", "Account", "-o", "gone"},
                                               {"api", "GET", "limits", "-o", "gone"}}) {
        auto r = Sfkit(cmd);
        EXPECT_EQ(r.exit_code, 69) << cmd[0] << ": " << r.err;
        EXPECT_TRUE(Has(r.err, "ERROR COULDNT_CONNECT")) << r.err;
    }
}

// ---- end to end against `sfkit serve` ----------------------------------------------------------
// sobjects and api on /sobjects need only main; describe needs the schema branch (describe
// resource); update, delete, upsert, get by external id and limits need the records branch.

class CliRestE2E : public CliTest {
protected:
    void SetUp() override {
        auto login = Sfkit(PasswordLogin(serve_.BaseUrl()));
        ASSERT_EQ(login.exit_code, 0) << login.err;
    }
    std::string CreateAccount(const std::string& json) {
        auto r = Sfkit({"create", "Account", "--data", json, "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return S(ParseEnvelope(r.out)["result"].as_object()["id"]);
    }
    ServeProcess serve_{TestDataPath("org-def.json")};
};

TEST_F(CliRestE2E, SObjectsAndApi) {
    auto r = Sfkit({"sobjects"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Account ")), "Account Account 001 no yes yes yes yes");
    auto j = Sfkit({"sobjects", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    EXPECT_GT(ParseEnvelope(j.out)["apiUsage"].as_object()["used"].as_int64(), 0);

    auto api = Sfkit({"api", "GET", "/services/data/v60.0/sobjects", "-i"});
    ASSERT_EQ(api.exit_code, 0) << api.err;
    EXPECT_EQ(api.out.rfind("HTTP/1.1 200", 0), 0u) << api.out;
    EXPECT_TRUE(Has(api.out, "\"encoding\":\"UTF-8\""));
    auto missing = Sfkit({"api", "GET", "sobjects/NoSuchObject__c"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(Has(missing.out, "NOT_FOUND"));
}

TEST_F(CliRestE2E, DescribeAccount) {  // needs the schema branch
    auto r = Sfkit({"describe", "Account"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Squeeze(LineStarting(r.out, "Key prefix")), "Key prefix 001");
    const auto at = r.out.find("\n\nNAME");
    ASSERT_NE(at, std::string::npos) << r.out;
    const std::string table = r.out.substr(at);
    EXPECT_TRUE(Has(Squeeze(LineStarting(table, "Name ")), "Name Account Name string 255 yes"))
        << r.out;
    EXPECT_TRUE(Has(LineStarting(table, "ParentId"), "-> Account (Parent)")) << r.out;
    auto j = Sfkit({"describe", "Account", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    auto d = ParseEnvelope(j.out)["result"].as_object();
    EXPECT_EQ(S(d["name"]), "Account");
    EXPECT_GT(d["fields"].as_array().size(), 10u);
}

TEST_F(CliRestE2E, UpdateUpsertGetDelete) {  // needs the records branch
    const std::string id = CreateAccount(R"({"Name":"E2E","Phone":"1"})");
    ASSERT_EQ(id.size(), 18u);
    auto upd = Sfkit({"update", "Account", id, "--data", R"({"Phone":"2"})"});
    ASSERT_EQ(upd.exit_code, 0) << upd.err;
    auto got = Sfkit({"get", "Account", id, "--fields", "Phone", "--json"});
    EXPECT_EQ(S(ParseEnvelope(got.out)["result"].as_object()["Phone"]), "2");

    // Upsert keyed on Id (Salesforce accepts Id as the key): an update.
    auto ups = Sfkit({"upsert", "Account", "Id", id, "--data", R"({"Phone":"3"})", "--json"});
    ASSERT_EQ(ups.exit_code, 0) << ups.err;
    auto result = ParseEnvelope(ups.out)["result"].as_object();
    EXPECT_EQ(result["created"], false);
    EXPECT_EQ(S(result["id"]), id);
    auto by_ext =
        Sfkit({"get", "Account", "--external-id", "Id", id, "--fields", "Phone", "--json"});
    ASSERT_EQ(by_ext.exit_code, 0) << by_ext.err;
    EXPECT_EQ(S(ParseEnvelope(by_ext.out)["result"].as_object()["Phone"]), "3");

    auto xml = Sfkit({"update", "Account", id, "--data", "<Account><Phone>4</Phone></Account>"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;

    auto del = Sfkit({"delete", "Account", id});
    ASSERT_EQ(del.exit_code, 0) << del.err;
    EXPECT_EQ(del.out, "Deleted Account " + id + "\n");
    auto again = Sfkit({"get", "Account", id});
    EXPECT_EQ(again.exit_code, 1);
    auto twice = Sfkit({"delete", "Account", id});
    EXPECT_EQ(twice.exit_code, 1);
}

TEST_F(CliRestE2E, Limits) {  // needs the records branch
    auto r = Sfkit({"limits"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Has(LineStarting(r.out, "DailyApiRequests"), "15000")) << r.out;
    auto j = Sfkit({"limits", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    auto api = ParseEnvelope(j.out)["result"].as_object()["DailyApiRequests"].as_object();
    EXPECT_GT(api["Max"].as_int64(), 0);
    CreateAccount(R"({"Name":"Counted"})");
    auto counts = Sfkit({"limits", "--record-count", "Account", "--json"});
    ASSERT_EQ(counts.exit_code, 0) << counts.err;
    auto list = ParseEnvelope(counts.out)["result"].as_object()["sObjects"].as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_GE(list[0].as_object()["count"].as_int64(), 1);
    auto api_cmd = Sfkit({"api", "GET", "limits"});
    EXPECT_EQ(api_cmd.exit_code, 0) << api_cmd.err;
    EXPECT_TRUE(Has(api_cmd.out, "\"DailyApiRequests\""));
}

}  // namespace
}  // namespace sfkit::test
