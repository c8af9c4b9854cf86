// SOSL parser and matcher: canonical print and round trip, the recorded MALFORMED_SEARCH
// messages (wire reference §B.12), the search-expression grammar, tokens and wildcards.
#include "soql/sosl_parser.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "soql/sosl_match.hpp"

namespace sfkit::soql {
namespace {

SearchQuery MustParse(std::string_view sosl) {
    auto r = ParseSearch(sosl);
    EXPECT_TRUE(r) << sosl << "\n" << (r ? "" : r.error().message);
    return r ? *r : SearchQuery{};
}

SoqlError MustFail(std::string_view sosl) {
    auto r = ParseSearch(sosl);
    EXPECT_FALSE(r) << sosl << " parsed as " << (r ? r->ToSosl() : "");
    return r ? SoqlError{} : r.error();
}

struct PrintCase {
    const char* sosl;
    const char* printed;
};

TEST(SoslParser, CanonicalPrintAndRoundTrip) {
    const PrintCase cases[] = {
        {"FIND {Acme}", "FIND {Acme}"},
        {"  find{Acme}  ", "FIND {Acme}"},
        {"FIND {Joe Smith} IN Name Fields RETURNING lead",
         "FIND {Joe Smith} IN NAME FIELDS RETURNING lead"},
        {"FIND {Joe Smith}\nIN Name Fields\nRETURNING lead(name, phone Where createddate = "
         "THIS_FISCAL_QUARTER)",
         "FIND {Joe Smith} IN NAME FIELDS RETURNING lead(name, phone WHERE createddate = "
         "THIS_FISCAL_QUARTER)"},
        {"FIND {\"Joe Smith\" OR \"Joe Smythe\"} IN Name Fields RETURNING lead(name, phone), "
         "contact(name, phone)",
         "FIND {\"Joe Smith\" OR \"Joe Smythe\"} IN NAME FIELDS RETURNING lead(name, phone), "
         "contact(name, phone)"},
        {"FIND {Joe Sm?th*} IN email fields", "FIND {Joe Sm?th*} IN EMAIL FIELDS"},
        {"FIND {415*} IN PHONE FIELDS RETURNING Contact(Id, Phone ORDER BY Phone DESC NULLS LAST "
         "LIMIT 5 OFFSET 2) LIMIT 10",
         "FIND {415*} IN PHONE FIELDS RETURNING Contact(Id, Phone ORDER BY Phone DESC NULLS LAST "
         "LIMIT 5 OFFSET 2) LIMIT 10"},
        {"FIND {test} RETURNING Account(Name, toLabel(Industry), convertCurrency(AnnualRevenue) "
         "USING ListView=Recent)",
         "FIND {test} RETURNING Account(Name, toLabel(Industry), convertCurrency(AnnualRevenue) "
         "USING ListView = Recent)"},
        {"FIND {test} RETURNING Account (id WHERE cf__c includes('AAA'))",
         "FIND {test} RETURNING Account(id WHERE cf__c INCLUDES ('AAA'))"},
        {"FIND {test} IN sidebar FIELDS", "FIND {test} IN SIDEBAR FIELDS"},
        {"FIND {test} WITH SNIPPET (target_length=120) with highlight WITH SPELL_CORRECTION = "
         "false WITH METADATA='LABELS' WITH DIVISION = 'Global' WITH PricebookId = '01s' WITH "
         "NETWORK IN ('0DB1', '0DB2') WITH NETWORK = '0DB3' WITH DATA CATEGORY Geography__c AT "
         "(usa__c, uk__c) and Product__c above_or_below mobile__c WITH SNIPPET LIMIT 5 UPDATE "
         "VIEWSTAT, TRACKING",
         "FIND {test} WITH SNIPPET (target_length=120) WITH HIGHLIGHT WITH SPELL_CORRECTION = "
         "false WITH METADATA = 'LABELS' WITH DIVISION = 'Global' WITH PricebookId = '01s' WITH "
         "NETWORK IN ('0DB1', '0DB2') WITH NETWORK = '0DB3' WITH DATA CATEGORY Geography__c AT "
         "(usa__c, uk__c) AND Product__c ABOVE_OR_BELOW mobile__c WITH SNIPPET LIMIT 5 UPDATE "
         "TRACKING, VIEWSTAT"},
        {"FIND {right\\?} UPDATE TRACKING", "FIND {right\\?} UPDATE TRACKING"},
        {"FIND {Marie\\-Pier} RETURNING Contact(Name), Account",
         "FIND {Marie\\-Pier} RETURNING Contact(Name), Account"},
    };
    for (const PrintCase& c : cases) {
        SCOPED_TRACE(c.sosl);
        const SearchQuery q = MustParse(c.sosl);
        EXPECT_EQ(q.ToSosl(), c.printed);
        const SearchQuery again = MustParse(q.ToSosl());
        EXPECT_EQ(again, q);
        EXPECT_EQ(again.ToSosl(), q.ToSosl());
    }
}

TEST(SoslParser, Clauses) {
    const SearchQuery q = MustParse(
        "FIND {Acme} IN NAME FIELDS RETURNING Account(Id, Name WHERE Industry = 'Banking' "
        "ORDER BY Name LIMIT 3), Contact LIMIT 20 UPDATE VIEWSTAT");
    EXPECT_EQ(q.term, "Acme");
    EXPECT_EQ(q.term_pos.row, 1);
    ASSERT_TRUE(q.in);
    EXPECT_EQ(*q.in, SearchGroup::kName);
    ASSERT_EQ(q.returning.size(), 2U);
    EXPECT_EQ(q.returning[0].object, "Account");
    ASSERT_TRUE(q.returning[0].spec);
    EXPECT_EQ(q.returning[0].spec->fields.size(), 2U);
    EXPECT_TRUE(q.returning[0].spec->where);
    EXPECT_EQ(q.returning[0].spec->order_by.size(), 1U);
    EXPECT_EQ(q.returning[0].spec->limit, 3);
    EXPECT_EQ(q.returning[1].object, "Contact");
    EXPECT_FALSE(q.returning[1].spec);
    EXPECT_EQ(q.limit, 20);
    EXPECT_TRUE(q.update_viewstat);
    EXPECT_FALSE(q.update_tracking);
    EXPECT_FALSE(MustParse("FIND {Acme}").in);
}

// restforce#688, recorded from a live org (wire reference §B.12).
TEST(SoslParser, RecordedMismatchedCharacter) {
    const SoqlError e = MustFail("FIND {John|jane_gray@uoa.edu} RETURNING Contact");
    EXPECT_EQ(e.code, "MALFORMED_SEARCH");
    EXPECT_EQ(e.message,
              "\nFIND {John|jane_gray@uoa.edu} RETURNING Contact\n         ^\nERROR at "
              "Row:1:Column:10\nline 1:10 mismatched character '|' expecting '}'");
}

// simple-salesforce#415: an unescaped hyphen (whitespace of the caret line lost in the report).
TEST(SoslParser, RecordedHyphen) {
    const SoqlError e = MustFail("FIND {Marie-Pier Martin}");
    EXPECT_EQ(e.code, "MALFORMED_SEARCH");
    EXPECT_EQ(e.message,
              "\nFIND {Marie-Pier Martin}\n          ^\nERROR at Row:1:Column:11\nline 1:11 "
              "mismatched character '-' expecting '}'");
}

// jesperfj/force-rest-api#92 (live org, v51.0).
TEST(SoslParser, RecordedMalformedSearchToken) {
    const SoqlError e = MustFail("FIND {name} IN ALL TYPE RETURNING Account(name)");
    EXPECT_EQ(e.code, "MALFORMED_SEARCH");
    EXPECT_EQ(e.message,
              "\nFIND {name} IN ALL TYPE RETURNING Account(name)\n                  ^\nERROR at "
              "Row:1:Column:19\nMalformed search token: TYPE");
    EXPECT_EQ(MustFail("FIND {name} IN EVERY FIELDS").reason, "Malformed search token: EVERY");
    EXPECT_EQ(MustFail("FIND {name} IN ALL").reason, "Malformed search token: <EOF>");
}

TEST(SoslParser, NoBraces) {
    for (const char* sosl : {"FIND Zebra", "FIND 'Zebra'", "FIND", "  ", ""}) {
        const SoqlError e = MustFail(sosl);
        EXPECT_EQ(e.code, "MALFORMED_SEARCH") << sosl;
        EXPECT_EQ(e.message, "No search term found. The search term must be enclosed in braces.")
            << sosl;
        EXPECT_EQ(e.row, 0);
    }
}

TEST(SoslParser, ShortTerm) {
    for (const char* sosl : {"FIND {a}",
                             "FIND {}",
                             "FIND {  }",
                             "FIND {a*}",
                             "FIND {\"a\"}",
                             "FIND {*}",
                             "FIND {\\-}"}) {
        const SoqlError e = MustFail(sosl);
        EXPECT_EQ(e.code, "INVALID_SEARCH") << sosl;
        const std::string s(sosl);
        const std::string term = s.substr(s.find('{') + 1, s.rfind('}') - s.find('{') - 1);
        EXPECT_EQ(e.message, "search term must be longer than one character: " + term);
    }
    MustParse("FIND {ab}");
    MustParse("FIND {a b}");
}

TEST(SoslParser, SyntaxErrors) {
    struct Case {
        const char* sosl;
        int column;  // as reported (0-based)
        const char* reason;
    };
    const Case cases[] = {
        {"SELECT Id FROM Account", 0, "unexpected token: 'SELECT'"},
        {"FIND {Acme", 10, "line 1:10 mismatched character '<EOF>' expecting '}'"},
        {"FIND {Acme\\}", 12, "line 1:12 mismatched character '<EOF>' expecting '}'"},
        {"FIND {Acme} RETURNING", 21, "unexpected token: <EOF>"},
        {"FIND {Acme} RETURNING Account(", 30, "unexpected token: <EOF>"},
        {"FIND {Acme} RETURNING Account()", 30, "unexpected token: ')'"},
        {"FIND {Acme} RETURNING Account(Name", 34, "expecting a right parentheses, found '<EOF>'"},
        {"FIND {Acme} RETURNING Account(Name WHERE)", 40, "unexpected token: ')'"},
        {"FIND {Acme} RETURNING Account(COUNT(Id))",
         35,
         "expecting a right parentheses, found '('"},
        {"FIND {Acme} RETURNING Account(Id WHERE Id IN (SELECT AccountId FROM Contact))",
         46,
         "Semi join sub-selects are not supported in SOSL WHERE clauses"},
        {"FIND {Acme} LIMIT 5 RETURNING Account", 20, "unexpected token: 'RETURNING'"},
        {"FIND {Acme} LIMIT -1", 18, "unexpected token: '-1'"},
        {"FIND {Acme} WITH USER_MODE", 17, "unexpected token: 'USER_MODE'"},
        {"FIND {Acme} UPDATE", 18, "unexpected token: <EOF>"},
        {"FIND {Acme} OFFSET 5", 12, "unexpected token: 'OFFSET'"},
        {"FIND {Acme} RETURNING Account(Name) #",
         36,
         "line 1:36 no viable alternative at character '#'"},
        {"FIND {Acme AND}", 14, "unexpected token: '}'"},
        {"FIND {OR Acme}", 6, "unexpected token: 'OR'"},
        {"FIND {(Acme}", 11, "expecting a right parentheses, found '}'"},
        {"FIND {Acme)}", 10, "unexpected token: ')'"},
        {"FIND {\"Acme}", 11, "mismatched character '}' expecting '\"'"},
        {"FIND {and}", 6, "unexpected token: 'and'"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.sosl);
        const SoqlError e = MustFail(c.sosl);
        EXPECT_EQ(e.code, "MALFORMED_SEARCH");
        EXPECT_EQ(e.row, 1);
        EXPECT_EQ(e.column, c.column);
        EXPECT_EQ(e.reason, c.reason);
    }
}

SearchExpr Expr(std::string_view term) {
    auto r = ParseSearchExpr(term, term, 0);
    EXPECT_TRUE(r) << term << ": " << (r ? "" : r.error().message);
    return r ? *r : SearchExpr{};
}

SearchExpr T(std::vector<std::string> tokens, bool quoted = false) {
    SearchExpr e;
    e.tokens = std::move(tokens);
    e.quoted = quoted;
    return e;
}

SearchExpr Op(SearchExpr::Kind kind, std::vector<SearchExpr> operands) {
    SearchExpr e;
    e.kind = kind;
    e.operands = std::move(operands);
    return e;
}

TEST(SoslSearchExpr, Grammar) {
    using K = SearchExpr::Kind;
    EXPECT_EQ(Expr("Zebra"), T({"zebra"}));
    EXPECT_EQ(Expr("Joe Smith"), Op(K::kAnd, {T({"joe"}), T({"smith"})}));
    EXPECT_EQ(Expr("\"Joe Smith\""), T({"joe", "smith"}, true));
    EXPECT_EQ(Expr("acme.com"), T({"acme", "com"}));
    EXPECT_EQ(Expr("jane_gray@uoa.edu"), T({"jane", "gray", "uoa", "edu"}));
    EXPECT_EQ(Expr("a OR b c"), Op(K::kOr, {T({"a"}), Op(K::kAnd, {T({"b"}), T({"c"})})}));
    EXPECT_EQ(Expr("a and b AND c"), Op(K::kAnd, {T({"a"}), T({"b"}), T({"c"})}));
    EXPECT_EQ(Expr("(a OR b) AND NOT c"),
              Op(K::kAnd, {Op(K::kOr, {T({"a"}), T({"b"})}), Op(K::kNot, {T({"c"})})}));
    EXPECT_EQ(Expr("\"and\" or \"or\""), Op(K::kOr, {T({"and"}, true), T({"or"}, true)}));
    EXPECT_EQ(Expr("in returning find"), Op(K::kAnd, {T({"in"}), T({"returning"}), T({"find"})}));
    EXPECT_EQ(Expr("Sm?th* Jo\\*"), Op(K::kAnd, {T({"sm?th*"}), T({"jo"})}));
    EXPECT_EQ(Expr("Marie\\-Pier"), T({"marie", "pier"}));
    EXPECT_EQ(Expr("ÉCOLE Straße"), Op(K::kAnd, {T({"école"}), T({"straße"})}));
}

TEST(SoslMatch, Tokens) {
    EXPECT_EQ(SearchTokens("Searchable Zebra"), (std::vector<std::string>{"searchable", "zebra"}));
    EXPECT_EQ(SearchTokens("  (415) 555-1212 "), (std::vector<std::string>{"415", "555", "1212"}));
    EXPECT_EQ(SearchTokens("jane_gray@uoa.edu"),
              (std::vector<std::string>{"jane", "gray", "uoa", "edu"}));
    EXPECT_EQ(SearchTokens("Ünïcode—ДОМ «x»"), (std::vector<std::string>{"ünïcode", "дом", "x"}));
    EXPECT_TRUE(SearchTokens("--- ...").empty());
}

TEST(SoslMatch, Wildcards) {
    EXPECT_TRUE(WildcardMatch("john*", "johnson"));
    EXPECT_TRUE(WildcardMatch("john*", "john"));
    EXPECT_FALSE(WildcardMatch("john*", "joh"));
    EXPECT_TRUE(WildcardMatch("jo?n", "joan"));
    EXPECT_FALSE(WildcardMatch("jo?n", "jon"));
    EXPECT_TRUE(WildcardMatch("ma*y", "marty"));
    EXPECT_TRUE(WildcardMatch("*ty", "marty"));
    EXPECT_TRUE(WildcardMatch("m?ller", "müller"));  // ? is one character, not one byte
    EXPECT_FALSE(WildcardMatch("zebra", "zebras"));
    EXPECT_TRUE(WildcardMatch("a*b*c", "axxbyyc"));
    EXPECT_FALSE(WildcardMatch("a*b*c", "axxbyy"));
}

TEST(SoslMatch, Documents) {
    const SearchDocument doc({{"Searchable Zebra", false}, {"(415) 555-1212", true}});
    EXPECT_TRUE(doc.Matches(Expr("zebra")));
    EXPECT_TRUE(doc.Matches(Expr("ZEBRA")));
    EXPECT_FALSE(doc.Matches(Expr("zeb")));
    EXPECT_TRUE(doc.Matches(Expr("zeb*")));
    EXPECT_TRUE(doc.Matches(Expr("\"searchable zebra\"")));
    EXPECT_FALSE(doc.Matches(Expr("\"zebra searchable\"")));
    EXPECT_TRUE(doc.Matches(Expr("zebra searchable")));  // AND: any order
    EXPECT_TRUE(doc.Matches(Expr("zebra 415")));         // across fields
    EXPECT_TRUE(doc.Matches(Expr("4155551212")));        // phone digits
    EXPECT_TRUE(doc.Matches(Expr("415555*")));
    EXPECT_TRUE(doc.Matches(Expr("555\\-1212")));
    EXPECT_FALSE(doc.Matches(Expr("zebra AND NOT searchable")));
    EXPECT_TRUE(doc.Matches(Expr("lion OR zebra")));
    EXPECT_FALSE(doc.Matches(Expr("lion OR tiger")));
    EXPECT_TRUE(doc.Matches(Expr("NOT lion")));
    // Digits of non-phone fields are ordinary tokens.
    const SearchDocument text({{"call 415 555 1212", false}});
    EXPECT_FALSE(text.Matches(Expr("4155551212")));
    EXPECT_TRUE(SearchTextLength(Expr("a* OR b?")) == 2);
}

// Mutations of valid statements: the parser never crashes, and whatever it accepts prints back
// to a statement that parses to the same tree (the fuzz target's invariant, on a budget).
TEST(SoslParser, MutatedStatementsRoundTrip) {
    const std::vector<std::string> seeds = {
        "FIND {Joe Sm?th*} IN NAME FIELDS RETURNING Contact(Name, Phone WHERE Phone != null "
        "ORDER BY Name DESC LIMIT 5 OFFSET 1), Account LIMIT 20",
        "FIND {\"acme corp\" AND NOT (x\\y OR z\\-1)} RETURNING Account(Id) WITH SNIPPET "
        "(target_length=10) UPDATE TRACKING",
        "FIND {a\\}b} IN ALL FIELDS WITH NETWORK IN ('1', '2') WITH DATA CATEGORY G__c AT (a__c, "
        "b__c) LIMIT 3",
    };
    const std::string alphabet = "{}()\"\\*?-|' ,=aAzZ09_.\nFINDRETURNINGWHEREANDORNOT";
    std::mt19937 rng(12345);
    int accepted = 0;
    for (int round = 0; round < 10000; ++round) {
        std::string s = seeds[rng() % seeds.size()];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !s.empty(); ++e) {
            const std::size_t at = rng() % s.size();
            switch (rng() % 3) {
                case 0:
                    s.erase(at, 1 + rng() % 3);
                    break;
                case 1:
                    s.insert(at, 1, alphabet[rng() % alphabet.size()]);
                    break;
                default:
                    s[at] = alphabet[rng() % alphabet.size()];
                    break;
            }
        }
        auto r = ParseSearch(s);
        if (!r) {
            EXPECT_FALSE(r.error().code.empty()) << s;
            EXPECT_FALSE(r.error().message.empty()) << s;
            continue;
        }
        ++accepted;
        const std::string printed = r->ToSosl();
        auto again = ParseSearch(printed);
        ASSERT_TRUE(again) << s << "\n" << printed << "\n" << again.error().message;
        ASSERT_EQ(*again, *r) << s << "\n" << printed;
        ASSERT_EQ(again->ToSosl(), printed);
    }
    EXPECT_GT(accepted, 500);
}

TEST(SoslParser, EscapeSearchText) {
    EXPECT_EQ(EscapeSearchText("Marie-Pier O'Brien"), "Marie\\-Pier O\\'Brien");
    EXPECT_EQ(EscapeSearchText("Acme*"), "Acme*");
    EXPECT_EQ(EscapeSearchText("a{b}c\\"), "a\\{b\\}c\\\\");
    const std::string sosl = "FIND {" + EscapeSearchText("x|y & z: [1] +2 ~3 ^4 !5") + "}";
    EXPECT_TRUE(ParseSearch(sosl)) << sosl;
}

}  // namespace
}  // namespace sfkit::soql
