// `sfkit query` against a real local org (TestOrg on disk, so that many rows can be inserted
// directly): human, CSV and JSON output checked byte for byte, child subqueries, COUNT(), many
// pages with --all-rows, --output-file, --json, errors and exit codes, and a memory test: the
// CLI's peak RSS must not grow with the number of rows it streams.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/rest_client.hpp"

#include "support/bulk_rows.hpp"
#include "support/cli_fixture.hpp"
#include "support/client_login.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

class CliQuery : public CliTest {
protected:
    void SetUp() override {
        auto login = Sfkit(PasswordLogin(org_.BaseUrl()));
        ASSERT_EQ(login.exit_code, 0) << login.err;
        auto token = AdminPasswordFlow(org_).Authenticate(*transport_);
        ASSERT_TRUE(token) << token.error().ToString();
        user_id_ = token->user_id;
        rest_ = std::make_unique<client::RestClient>(transport_, *token);
    }

    std::string Create(const std::string& sobject, const client::Record& fields) {
        auto saved = rest_->Create(sobject, fields);
        EXPECT_TRUE(saved) << saved.error().ToString();
        return saved ? saved->id : std::string();
    }

    /// Two accounts (one needing CSV quoting twice over) and two contacts, one without account.
    void SmallData() {
        acme_ = Create("Account",
                       client::Record()
                           .Set("Name", "Acme, Inc.")
                           .Set("NumberOfEmployees", 12)
                           .Set("Description", "two\nlines"));
        quote_ = Create("Account", client::Record().Set("Name", "Quote \"Q\" Ltd"));
        smith_ =
            Create("Contact", client::Record().Set("LastName", "Smith").Set("AccountId", acme_));
        orphan_ = Create("Contact", client::Record().Set("LastName", "Orphan"));
    }

    std::string Url(const std::string& type, const std::string& id) const {
        return "/services/data/v60.0/sobjects/" + type + "/" + id;
    }

    std::string Work(const std::string& name) const { return work_.Path() + "/" + name; }

    TempDir dir_;
    TestOrg org_{OnDiskOrgOptions(dir_.Path())};
    std::shared_ptr<client::CurlTransport> transport_ = std::make_shared<client::CurlTransport>();
    std::unique_ptr<client::RestClient> rest_;
    std::string user_id_;
    std::string acme_, quote_, smith_, orphan_;
};

const std::string kContacts =
    "SELECT LastName, Account.Name, Account.NumberOfEmployees FROM Contact ORDER BY LastName";

TEST_F(CliQuery, HumanCsvAndJsonOutput) {
    SmallData();
    auto human = Sfkit({"query", kContacts});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    // Parent fields flattened as Account.Name; the orphan's null Account leaves its cells empty.
    EXPECT_EQ(human.out,
              "LastName  Account.Name  Account.NumberOfEmployees\n"
              "--------  ------------  -------------------------\n"
              "Orphan\n"
              "Smith     Acme, Inc.    12\n"
              "Total number of records retrieved: 2.\n");
    EXPECT_EQ(human.err, "");

    auto csv = Sfkit({"query", kContacts, "--result-format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out,
              "LastName,Account.Name,Account.NumberOfEmployees\r\n"
              "Orphan,,\r\n"
              "Smith,\"Acme, Inc.\",12\r\n");

    auto js = Sfkit({"query", kContacts, "-r", "json"});
    ASSERT_EQ(js.exit_code, 0) << js.err;
    EXPECT_EQ(js.out,
              "[\n"
              "{\"attributes\":{\"type\":\"Contact\",\"url\":\"" +
                  Url("Contact", orphan_) +
                  "\"},\"LastName\":\"Orphan\",\"Account\":null},\n"
                  "{\"attributes\":{\"type\":\"Contact\",\"url\":\"" +
                  Url("Contact", smith_) +
                  "\"},\"LastName\":\"Smith\",\"Account\":{\"attributes\":{\"type\":\"Account\","
                  "\"url\":\"" +
                  Url("Account", acme_) +
                  "\"},\"Name\":\"Acme, Inc.\",\"NumberOfEmployees\":12}}\n"
                  "]\n");

    // Quotes, commas and a line break inside values.
    const std::string accounts = "SELECT Name, Description FROM Account ORDER BY Name";
    auto quoted = Sfkit({"query", accounts, "-r", "csv"});
    ASSERT_EQ(quoted.exit_code, 0) << quoted.err;
    EXPECT_EQ(quoted.out,
              "Name,Description\r\n"
              "\"Acme, Inc.\",\"two\nlines\"\r\n"
              "\"Quote \"\"Q\"\" Ltd\",\r\n");
    auto table = Sfkit({"query", accounts});
    EXPECT_EQ(table.out,
              "Name           Description\n"
              "-------------  -----------\n"
              "Acme, Inc.     two lines\n"
              "Quote \"Q\" Ltd\n"
              "Total number of records retrieved: 2.\n");

    // XML on the wire gives the same table.
    auto xml = Sfkit({"query", kContacts, "--xml"});
    ASSERT_EQ(xml.exit_code, 0) << xml.err;
    EXPECT_EQ(xml.out, human.out);

    // No rows: the footer only; an empty CSV; an empty array.
    const std::string none = "SELECT Id FROM Account WHERE Name = 'nobody'";
    EXPECT_EQ(Sfkit({"query", none}).out, "Total number of records retrieved: 0.\n");
    EXPECT_EQ(Sfkit({"query", none, "-r", "csv"}).out, "");
    EXPECT_EQ(Sfkit({"query", none, "-r", "json"}).out, "[]\n");
}

TEST_F(CliQuery, ChildSubqueriesAndCount) {
    SmallData();
    const std::string soql =
        "SELECT Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name";
    auto human = Sfkit({"query", soql});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_EQ(human.out,
              "Name           Contacts\n"
              "-------------  --------\n"
              "Acme, Inc.            1\n"
              "Quote \"Q\" Ltd         0\n"
              "Total number of records retrieved: 2.\n");
    auto csv = Sfkit({"query", soql, "-r", "csv"});
    EXPECT_EQ(csv.out,
              "Name,Contacts\r\n"
              "\"Acme, Inc.\",\"[{\"\"LastName\"\":\"\"Smith\"\"}]\"\r\n"
              "\"Quote \"\"Q\"\" Ltd\",\r\n");

    const std::string count = "select count() from Contact";
    auto n = Sfkit({"query", count});
    ASSERT_EQ(n.exit_code, 0) << n.err;
    EXPECT_EQ(n.out, "Total number of records retrieved: 2.\n");
    EXPECT_EQ(Sfkit({"query", count, "-r", "csv"}).out, "count\r\n2\r\n");
    EXPECT_EQ(Sfkit({"query", count, "-r", "json"}).out,
              "{\"totalSize\":2,\"done\":true,\"records\":[]}\n");
    auto env = ParseEnvelope(Sfkit({"query", count, "--json"}).out);
    EXPECT_EQ(env["status"], 0);
    EXPECT_EQ(env["result"].as_object()["totalSize"], 2);
    EXPECT_TRUE(env["result"].as_object()["records"].as_array().empty());
}

TEST_F(CliQuery, ManyPagesAllRowsAndWideLaterRows) {
    const auto ids = InsertAccounts(dir_.Path(), 450, "Row ", user_id_);
    ASSERT_TRUE(rest_->Delete("Account", ids[7]));
    // Sorts last, so it arrives on the third page, wider than anything on the first.
    Create("Account", client::Record().Set("Name", "Row zz a much longer name than the others"));
    const std::string soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Row %' ORDER BY Name";

    auto csv = Sfkit({"query", soql, "--batch-size", "200", "-r", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    auto lines = Lines(csv.out);
    ASSERT_EQ(lines.size(), 451u);  // header + 449 live + the long one
    EXPECT_EQ(lines[0], "Id,Name\r");
    std::set<std::string> seen;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        EXPECT_TRUE(seen.insert(lines[i].substr(0, 18)).second) << lines[i];
    }
    EXPECT_EQ(seen.count(ids[7]), 0u);

    auto all = Sfkit({"query", soql, "--batch-size", "200", "-r", "csv", "--all-rows"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    EXPECT_EQ(Lines(all.out).size(), 452u);
    EXPECT_NE(all.out.find(ids[7] + ",Row 8\r\n"), std::string::npos);

    auto human = Sfkit({"query", soql, "--batch-size", "200"});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    auto rows = Lines(human.out);
    ASSERT_EQ(rows.size(), 2u + 450u + 1u);
    // Widths come from the first page ("Row 100" is the widest name there); the long name on
    // the last page is written whole, shifting only its own row.
    EXPECT_EQ(rows[1], std::string(18, '-') + "  " + std::string(7, '-'));
    EXPECT_EQ(rows[451].substr(20), "Row zz a much longer name than the others");
    EXPECT_EQ(rows[2].substr(20), "Row 1");
    EXPECT_EQ(rows.back(), "Total number of records retrieved: 450.");

    auto env = Sfkit({"query", soql, "--batch-size", "200", "--json"});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    auto parsed = ParseEnvelope(env.out);
    EXPECT_EQ(parsed["status"], 0);
    auto& result = parsed["result"].as_object();
    EXPECT_EQ(result["totalSize"], 450);
    EXPECT_EQ(result["done"], true);
    EXPECT_EQ(result["records"].as_array().size(), 450u);
    EXPECT_EQ(S(result["records"].as_array()[0].as_object()["Name"]), "Row 1");
}

// Columns come from the SELECT list: a parent null on every record of the first page still
// gets its Account.Name column, and a later page's non-null parent fills it (never JSON).
TEST_F(CliQuery, ColumnsFromTheSelectListNotTheFirstPage) {
    for (int i = 0; i < 200; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "A%03d", i);
        Create("Contact", client::Record().Set("LastName", name));
    }
    const std::string parent = Create("Account", client::Record().Set("Name", "Parent Co"));
    const std::string last =
        Create("Contact", client::Record().Set("LastName", "Z").Set("AccountId", parent));
    const std::string soql = "SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName";
    auto csv = Sfkit({"query", soql, "--batch-size", "200", "-r", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    auto lines = Lines(csv.out);
    ASSERT_EQ(lines.size(), 202u);
    EXPECT_EQ(lines[0], "Id,LastName,Account.Name\r");
    EXPECT_EQ(lines[1].substr(18), ",A000,\r");
    EXPECT_EQ(lines.back(), last + ",Z,Parent Co\r");

    auto human = Sfkit({"query",
                        "SELECT LastName, Account.Name FROM Contact WHERE "
                        "LastName = 'A007'"});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_EQ(human.out,
              "LastName  Account.Name\n"
              "--------  ------------\n"
              "A007\n"
              "Total number of records retrieved: 1.\n");
}

TEST_F(CliQuery, OutputFile) {
    SmallData();
    const std::string target = Work("contacts.csv");
    { std::ofstream(target) << "old content"; }
    auto r = Sfkit({"query", kContacts, "-r", "csv", "--output-file", target});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Wrote 2 records to " + target + "\n");
    EXPECT_EQ(ReadFile(target),
              "LastName,Account.Name,Account.NumberOfEmployees\r\n"
              "Orphan,,\r\n"
              "Smith,\"Acme, Inc.\",12\r\n");
    // The mode a plain create gives (not the temporary file's 0600).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    EXPECT_EQ(static_cast<unsigned>(std::filesystem::status(target).permissions()),
              0666u & ~static_cast<unsigned>(mask));

    // A failing query leaves the existing file as it was, and no temporary file behind.
    auto bad = Sfkit({"query", "SELECT Nope FROM Contact", "--output-file", target});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ(ReadFile(target).substr(0, 8), "LastName");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(work_.Path())) {
        ++files;
    }
    EXPECT_EQ(files, 1u);

    auto human = Sfkit({"query", kContacts, "--output-file", Work("t.txt")});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_EQ(ReadFile(Work("t.txt")),
              "LastName  Account.Name  Account.NumberOfEmployees\n"
              "--------  ------------  -------------------------\n"
              "Orphan\n"
              "Smith     Acme, Inc.    12\n"
              "Total number of records retrieved: 2.\n");

    auto js = Sfkit({"query", kContacts, "-r", "json", "--output-file", Work("c.json"), "--json"});
    ASSERT_EQ(js.exit_code, 0) << js.err;
    auto env = ParseEnvelope(js.out);
    EXPECT_EQ(env["result"].as_object()["recordsWritten"], 2);
    EXPECT_EQ(S(env["result"].as_object()["outputFile"]), Work("c.json"));
    EXPECT_EQ(json::parse(ReadFile(Work("c.json"))).as_array().size(), 2u);

    EXPECT_EQ(Sfkit({"query", kContacts, "--output-file", "/dev/null"}).exit_code, 0);
    auto nowhere = Sfkit({"query", kContacts, "--output-file", Work("missing/dir/x.csv")});
    EXPECT_EQ(nowhere.exit_code, 1);
    EXPECT_EQ(nowhere.err.rfind("ERROR CANNOT_WRITE_OUTPUT: cannot write " +
                                    Work("missing/dir/x.csv") + ": No such file or directory",
                                0),
              0u)
        << nowhere.err;
}

TEST_F(CliQuery, ErrorsAndExitCodes) {
    auto bad = Sfkit({"query", "SELECT Name FROM Acount"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ(bad.out, "");
    EXPECT_EQ(bad.err.rfind("ERROR INVALID_TYPE: \nSELECT Name FROM Acount\n                 ^\n"
                            "ERROR at Row:1:Column:18\nsObject type 'Acount' is not supported.",
                            0),
              0u)
        << bad.err;

    auto env = Sfkit({"query", "SELECT FROM Account", "--json"});
    EXPECT_EQ(env.exit_code, 1);
    auto e = ParseEnvelope(env.out);
    EXPECT_EQ(e["status"], 1);
    EXPECT_EQ(S(e["name"]), "MALFORMED_QUERY");
    EXPECT_EQ(S(e["context"]), "query");
    EXPECT_EQ(e["httpStatus"], 400);

    EXPECT_EQ(Sfkit({"query"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"query", "SELECT Id FROM Account", "-r", "xml"}).exit_code, 2);
    EXPECT_EQ(Sfkit({"query", "  "}).exit_code, 2);
    EXPECT_EQ(Sfkit({"query", "@" + Work("no-such-file.soql")}).exit_code, 2);

    // The query from a file or stdin.
    SmallData();
    WriteFile("q.soql", "SELECT COUNT() FROM Account");
    EXPECT_EQ(Sfkit({"query", "@q.soql", "-r", "csv"}).out, "count\r\n2\r\n");
    EXPECT_EQ(Sfkit({"query", "@-", "-r", "csv"}, {}, "SELECT COUNT() FROM Contact").out,
              "count\r\n2\r\n");

    auto help = Sfkit({"query", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--result-format"), std::string::npos);
    EXPECT_NE(help.out.find("--all-rows"), std::string::npos);
    EXPECT_NE(help.out.find("--output-file"), std::string::npos);
}

// Streaming: 10 times the rows must not mean a bigger process. Same org, same query shape; only
// the LIMIT differs (2 pages vs 15 pages of 2,000 rows).
TEST_F(CliQuery, SearchPrintsOneTablePerObjectOrTheRecords) {
    SmallData();
    const std::string sosl =
        "FIND {Smith OR Acme} RETURNING Contact(LastName), Account(Name, NumberOfEmployees)";
    auto human = Sfkit({"search", sosl});
    ASSERT_EQ(human.exit_code, 0) << human.err;
    EXPECT_EQ(human.out,
              "Contact (1)\n"
              "LastName\n"
              "--------\n"
              "Smith\n"
              "\n"
              "Account (1)\n"
              "Name        NumberOfEmployees\n"
              "----------  -----------------\n"
              "Acme, Inc.  12\n"
              "\n"
              "Total number of records found: 2.\n");

    auto js = Sfkit({"search", sosl, "-r", "json"});
    ASSERT_EQ(js.exit_code, 0) << js.err;
    EXPECT_EQ(js.out,
              "[\n{\"attributes\":{\"type\":\"Contact\",\"url\":\"" + Url("Contact", smith_) +
                  "\"},\"LastName\":\"Smith\"},\n{\"attributes\":{\"type\":\"Account\",\"url\":\"" +
                  Url("Account", acme_) +
                  "\"},\"Name\":\"Acme, Inc.\",\"NumberOfEmployees\":12}\n]\n");

    auto none = Sfkit({"search", "FIND {Nobody}"});
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_EQ(none.out, "Total number of records found: 0.\n");

    auto bad = Sfkit({"search", "FIND Smith"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("MALFORMED_SEARCH"), std::string::npos) << bad.err;

    auto envelope = Sfkit({"search", "FIND {Orphan} RETURNING Contact(Id)", "--json"});
    ASSERT_EQ(envelope.exit_code, 0) << envelope.err;
    const auto result = json::parse(envelope.out).at("result").at("searchRecords").as_array();
    ASSERT_EQ(result.size(), 1u);
    EXPECT_EQ(result[0].at("Id").as_string(), orphan_);
}

TEST_F(CliQuery, MemoryStaysFlatHoweverManyRows) {
    InsertAccounts(dir_.Path(), 30000, "Mem ", user_id_);
    const auto run = [&](const std::string& limit) {
        const std::string file = Work("mem" + limit + ".csv");
        auto r = Sfkit({"query",
                        "SELECT Id, Name FROM Account WHERE Name LIKE 'Mem %' LIMIT " + limit,
                        "-r",
                        "csv",
                        "--output-file",
                        file});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out, "Wrote " + limit + " records to " + file + "\n");
        EXPECT_EQ(Lines(ReadFile(file)).size(), std::stoul(limit) + 1);
        return r.max_rss_kb;
    };
    const long small = run("3000");
    const long large = run("30000");
    ASSERT_GT(small, 0);
    RecordProperty("rss_kb_3000", static_cast<int>(small));
    RecordProperty("rss_kb_30000", static_cast<int>(large));
    EXPECT_LT(static_cast<double>(large), 1.5 * static_cast<double>(small))
        << "peak RSS " << small << " kB for 3,000 rows, " << large << " kB for 30,000";
}

}  // namespace
}  // namespace sfkit::test
