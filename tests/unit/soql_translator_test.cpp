// The SOQL -> SQL translator: user literals never reach the SQL text (they are bound
// parameters, in placeholder order), identifiers come from the schema, and the SQL shapes the
// engine relies on (LEFT JOIN per parent hop, IN (SELECT ...) semi-joins, deleted-row filter).
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "server/http/api_error.hpp"
#include "server/query/binder.hpp"
#include "server/query/sql_translator.hpp"
#include "server/schema/object_builder.hpp"
#include "soql/parser.hpp"

namespace sfkit::server::query {
namespace {

Schema TestSchema() {
    Schema s = Schema::Standard();
    ObjectBuilder o("Gadget__c", "Gadget", "Gadgets", "a05");
    o.IsDeleted();
    Required(o.Text("Name", "Name", 80)).name_field = true;
    o.Add("Tags__c", "Tags", FieldType::kMultiPicklist, 4099).custom = true;
    o.Add("When__c", "When", FieldType::kDateTime).custom = true;
    FieldDef& account = o.Reference("Account__c", "Account", {"Account"}, "Account__r");
    account.custom = true;
    account.child_relationship_name = "Gadgets__r";
    s.Add(std::move(o).Build());
    return s;
}

struct Translated {
    std::shared_ptr<BoundQuery> bound;
    SqlText sql;
};

Translated Translate(const Schema& schema, const std::string& soql, bool all = false) {
    auto parsed = soql::Parse(soql);
    EXPECT_TRUE(parsed) << parsed.error().message;
    BindContext ctx;
    ctx.now = std::chrono::sys_days(std::chrono::year(2024) / 5 / 15);
    ctx.user_id = "005Lo0000000001AAA";
    ctx.query_all = all;
    auto bound = Bind(*parsed, soql, schema, ctx);
    EXPECT_TRUE(bound) << bound.error().message;
    return {*bound, TranslateQuery(**bound)};
}

std::string Text(const SqlValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*i);
    }
    return "?";
}

TEST(SoqlTranslator, LiteralsAreBoundNeverWritten) {
    const Schema schema = TestSchema();
    const std::string evil = "x'); DROP TABLE \"sobject_Account\"; --";
    const auto t = Translate(schema,
                             "SELECT Name FROM Account WHERE Name = 'x\\'); DROP TABLE "
                             "\"sobject_Account\"; --' OR Name LIKE 'abc%' OR "
                             "NumberOfEmployees IN (1234567, 7654321) LIMIT 42 OFFSET 7");
    EXPECT_EQ(t.sql.sql.find("DROP"), std::string::npos) << t.sql.sql;
    EXPECT_EQ(t.sql.sql.find("abc"), std::string::npos);
    EXPECT_EQ(t.sql.sql.find("1234567"), std::string::npos);
    EXPECT_EQ(t.sql.sql.find("42"), std::string::npos);
    const auto placeholders = std::count(t.sql.sql.begin(), t.sql.sql.end(), '?');
    ASSERT_EQ(static_cast<std::size_t>(placeholders), t.sql.params.size()) << t.sql.sql;
    ASSERT_EQ(t.sql.params.size(), 6U);
    EXPECT_EQ(Text(t.sql.params[0]), evil);
    EXPECT_EQ(Text(t.sql.params[1]), "abc%");
    EXPECT_EQ(Text(t.sql.params[2]), "1234567");
    EXPECT_EQ(Text(t.sql.params[3]), "7654321");
    EXPECT_EQ(Text(t.sql.params[4]), "42");
    EXPECT_EQ(Text(t.sql.params[5]), "7");
    EXPECT_NE(t.sql.sql.find("\"IsDeleted\" = 0"), std::string::npos);
    EXPECT_NE(t.sql.sql.find("LIKE ? ESCAPE '\\'"), std::string::npos);
}

/// Deepest parenthesis nesting of `sql` (placeholders and names hold no parentheses).
int MaxParenDepth(const std::string& sql) {
    int depth = 0;
    int max = 0;
    for (char c : sql) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        max = std::max(max, depth);
    }
    return max;
}

TEST(SoqlTranslator, LongAndOrChainsBecomeBalancedTreesInTextOrder) {
    const Schema schema = TestSchema();
    for (const std::string op : {" OR ", " AND "}) {
        std::string soql = "SELECT Id FROM Account WHERE ";
        for (int i = 0; i < 2000; ++i) {
            soql += (i ? op : "") + "Name = 'a" + std::to_string(i) + "'";
        }
        const auto t = Translate(schema, soql);
        ASSERT_EQ(t.sql.params.size(), 2000U);
        for (int i = 0; i < 2000; ++i) {
            ASSERT_EQ(Text(t.sql.params[static_cast<std::size_t>(i)]), "a" + std::to_string(i));
        }
        // A left-deep chain of 2,000 terms is 2,000 levels deep for SQLite; halves keep every
        // operand within log2(2000/4) + 1 groups of the top (and SQLite far from its 1000).
        EXPECT_LE(MaxParenDepth(t.sql.sql), 14) << op;
        // Each group joins at most four operands without parentheses of its own.
        EXPECT_EQ(t.sql.sql.find("?)" + op + "(t0.\"Name\" COLLATE NOCASE = ?)" + op +
                                 "(t0.\"Name\" COLLATE NOCASE = ?)" + op +
                                 "(t0.\"Name\" COLLATE NOCASE = ?)" + op + "("),
                  std::string::npos);
    }
    // Short chains stay flat, as before.
    const auto t = Translate(schema, "SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b'");
    EXPECT_NE(t.sql.sql.find("((t0.\"Name\" COLLATE NOCASE = ?) OR (t0.\"Name\" COLLATE NOCASE "
                             "= ?))"),
              std::string::npos)
        << t.sql.sql;
}

TEST(SoqlTranslator, StatementsBindingTooManyValuesAreTooComplicated) {
    const Schema schema = TestSchema();
    std::string values;
    for (std::size_t i = 0; i <= kMaxSqlParameters; ++i) {
        values += i ? ";a" : "a";
    }
    try {
        Translate(schema, "SELECT Id FROM Gadget__c WHERE Tags__c INCLUDES ('" + values + "')");
        FAIL() << "no error";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 400);
        EXPECT_EQ(e.items.at(0).code, "QUERY_TOO_COMPLICATED");
    }
}

TEST(SoqlTranslator, DateLiteralsAndMultipicklistsBindTheirValues) {
    const Schema schema = TestSchema();
    const auto t = Translate(schema,
                             "SELECT Id FROM Gadget__c WHERE When__c = LAST_N_DAYS:3 AND Tags__c "
                             "INCLUDES ('red;blue', 'green') AND When__c > 2024-01-02T03:04:05Z");
    const auto placeholders = std::count(t.sql.sql.begin(), t.sql.sql.end(), '?');
    EXPECT_EQ(static_cast<std::size_t>(placeholders), t.sql.params.size()) << t.sql.sql;
    EXPECT_EQ(t.sql.sql.find("red"), std::string::npos);
    EXPECT_EQ(t.sql.sql.find("2024"), std::string::npos);
    ASSERT_GE(t.sql.params.size(), 6U);
    EXPECT_EQ(Text(t.sql.params[0]), "2024-05-12T00:00:00.000+0000");
    EXPECT_EQ(Text(t.sql.params[1]), "2024-05-16T00:00:00.000+0000");
    EXPECT_EQ(Text(t.sql.params[2]), "red");
    EXPECT_EQ(Text(t.sql.params[3]), "blue");
    EXPECT_EQ(Text(t.sql.params[4]), "green");
    EXPECT_EQ(Text(t.sql.params[5]), "2024-01-02T03:04:05.000+0000");
}

TEST(SoqlTranslator, RelationshipsBecomeLeftJoinsAndSemiJoinsSubselects) {
    const Schema schema = TestSchema();
    auto t = Translate(schema, "SELECT Name, Parent.Parent.Name FROM Account");
    EXPECT_NE(t.sql.sql.find("LEFT JOIN \"sobject_Account\" t1 ON t1.\"Id\" = t0.\"ParentId\""),
              std::string::npos)
        << t.sql.sql;
    EXPECT_NE(t.sql.sql.find("LEFT JOIN \"sobject_Account\" t2 ON t2.\"Id\" = t1.\"ParentId\""),
              std::string::npos);
    t = Translate(schema,
                  "SELECT Id FROM Account WHERE Id IN (SELECT Account__c FROM Gadget__c WHERE "
                  "Name = 'q')");
    EXPECT_NE(t.sql.sql.find("t0.\"Id\" IN (SELECT s0.\"Account__c\" FROM \"sobject_Gadget__c\" "
                             "s0 WHERE s0.\"IsDeleted\" = 0 AND "),
              std::string::npos)
        << t.sql.sql;
    ASSERT_EQ(t.sql.params.size(), 1U);
    EXPECT_EQ(Text(t.sql.params[0]), "q");
    // queryAll: no deleted-row filter.
    t = Translate(schema, "SELECT Id FROM Account", /*all=*/true);
    EXPECT_EQ(t.sql.sql.find("IsDeleted"), std::string::npos);
}

TEST(SoqlTranslator, FetchAndChildQueriesBindIds) {
    const Schema schema = TestSchema();
    auto t = Translate(schema,
                       "SELECT Name, (SELECT Name FROM Gadgets__r WHERE Name != 'z') FROM Account");
    ASSERT_EQ(t.bound->children.size(), 1U);
    const SqlText child = TranslateChild(t.bound->children[0], {"001Lo000000000AAAA"});
    EXPECT_EQ(child.sql.find("001Lo"), std::string::npos);
    ASSERT_EQ(child.params.size(), 2U);
    EXPECT_EQ(Text(child.params[0]), "001Lo000000000AAAA");
    EXPECT_EQ(Text(child.params[1]), "z");
    const SqlText fetch = TranslateFetch(*t.bound, {11, 12});
    EXPECT_NE(fetch.sql.find("t0.rowid IN (?, ?)"), std::string::npos) << fetch.sql;
}

TEST(SoqlTranslator, PostgresSpellsWhatDiffers) {
    const Schema schema = TestSchema();
    const Translated t =
        Translate(schema,
                  "SELECT Name FROM Gadget__c WHERE Name != 'x' AND Name LIKE 'a%' AND "
                  "DAY_IN_WEEK(When__c) = 2 AND Tags__c INCLUDES ('a') ORDER BY Name OFFSET 5");
    ASSERT_TRUE(t.bound);
    const std::string pg = TranslateQuery(*t.bound, Engine::kPostgres).sql;
    const std::string lite = t.sql.sql;
    for (const char* part :
         {"IS DISTINCT FROM", " ILIKE ", "EXTRACT(DOW", "strpos(", "NULLS FIRST", "LIMIT ALL"}) {
        EXPECT_NE(pg.find(part), std::string::npos) << part << " in " << pg;
        EXPECT_EQ(lite.find(part), std::string::npos) << part << " in " << lite;
    }
    for (const char* part : {" IS NOT ?", " LIKE ?", "strftime('%w'", "instr(", "LIMIT ?"}) {
        EXPECT_NE(lite.find(part), std::string::npos) << part << " in " << lite;
    }
}

}  // namespace
}  // namespace sfkit::server::query
