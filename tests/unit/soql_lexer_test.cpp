// SOQL lexer: token kinds, positions, keywords, escapes, dates, and lexical errors.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "soql/lexer.hpp"

namespace sfkit::soql {
namespace {

std::vector<Token> Lex(std::string_view soql) {
    auto r = Tokenize(soql);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : std::vector<Token>{};
}

std::vector<TokenKind> Kinds(const std::vector<Token>& tokens) {
    std::vector<TokenKind> kinds;
    for (const Token& t : tokens) {
        kinds.push_back(t.kind);
    }
    return kinds;
}

TEST(SoqlLexerTest, SplitsAQueryIntoTokensWithPositions) {
    const std::vector<Token> t = Lex("SELECT Id,\n  Account.Name FROM Contact WHERE x >= 5");
    using K = TokenKind;
    EXPECT_EQ(Kinds(t),
              (std::vector<K>{K::kIdentifier,
                              K::kIdentifier,
                              K::kComma,
                              K::kIdentifier,
                              K::kDot,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kGe,
                              K::kInteger,
                              K::kEnd}));
    EXPECT_EQ(t[0].text, "SELECT");
    EXPECT_EQ(t[0].row, 1);
    EXPECT_EQ(t[0].column, 1);
    EXPECT_EQ(t[2].column, 10);  // the comma
    EXPECT_EQ(t[3].text, "Account");
    EXPECT_EQ(t[3].row, 2);
    EXPECT_EQ(t[3].column, 3);
    EXPECT_EQ(t[11].text, "5");
    EXPECT_EQ(t.back().row, 2);
    EXPECT_EQ(t.back().column, 41);  // just past the last character
}

TEST(SoqlLexerTest, KeywordsAreCaseInsensitiveIdentifiers) {
    const std::vector<Token> t = Lex("select SeLeCt SELECT selectx");
    EXPECT_TRUE(t[0].Is("SELECT"));
    EXPECT_TRUE(t[1].Is("SELECT"));
    EXPECT_TRUE(t[2].Is("SELECT"));
    EXPECT_FALSE(t[3].Is("SELECT"));
    EXPECT_TRUE(IsReservedWord("limit"));
    EXPECT_TRUE(IsReservedWord("NULLS"));
    EXPECT_FALSE(IsReservedWord("Group"));  // the Group object and GroupMember.Group
    EXPECT_FALSE(IsReservedWord("Order"));
    EXPECT_FALSE(IsReservedWord("Name"));
}

TEST(SoqlLexerTest, CustomAndNamespacedNamesAreSingleIdentifiers) {
    const std::vector<Token> t = Lex("ns__Obj__c Parent__r _x a1_b2");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0].text, "ns__Obj__c");
    EXPECT_EQ(t[1].text, "Parent__r");
    EXPECT_EQ(t[2].text, "_x");
    EXPECT_EQ(t[3].text, "a1_b2");
}

TEST(SoqlLexerTest, OperatorsAndPunctuation) {
    using K = TokenKind;
    EXPECT_EQ(Kinds(Lex("= != <> < <= > >= ( ) , . :")),
              (std::vector<K>{K::kEq,
                              K::kNe,
                              K::kLtGt,
                              K::kLt,
                              K::kLe,
                              K::kGt,
                              K::kGe,
                              K::kLParen,
                              K::kRParen,
                              K::kComma,
                              K::kDot,
                              K::kColon,
                              K::kEnd}));
}

TEST(SoqlLexerTest, NumbersKeepTheirSignAndText) {
    const std::vector<Token> t = Lex("5 -5 +5 1.25 -0.5 .5 -.5 007");
    using K = TokenKind;
    EXPECT_EQ(Kinds(t),
              (std::vector<K>{K::kInteger,
                              K::kInteger,
                              K::kInteger,
                              K::kDecimal,
                              K::kDecimal,
                              K::kDecimal,
                              K::kDecimal,
                              K::kInteger,
                              K::kEnd}));
    EXPECT_EQ(t[1].text, "-5");
    EXPECT_EQ(t[2].text, "+5");
    EXPECT_EQ(t[6].text, "-.5");
    EXPECT_EQ(t[7].text, "007");
    // `x>-5` needs no spaces; a dot after a name is still a dot.
    EXPECT_EQ(Kinds(Lex("x>-5")), (std::vector<K>{K::kIdentifier, K::kGt, K::kInteger, K::kEnd}));
    EXPECT_EQ(Kinds(Lex("a.b")),
              (std::vector<K>{K::kIdentifier, K::kDot, K::kIdentifier, K::kEnd}));
}

TEST(SoqlLexerTest, DatesAndDatetimesAreParsed) {
    const std::vector<Token> t = Lex(
        "2024-02-29 2024-01-31T10:20:30Z 2024-01-31T10:20:30.5+05:30 2024-01-31T00:00:00-08:00");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0].kind, TokenKind::kDate);
    EXPECT_EQ(t[0].date_time, (DateTimeParts{2024, 2, 29, 0, 0, 0, 0, 0}));
    EXPECT_EQ(t[1].kind, TokenKind::kDateTime);
    EXPECT_EQ(t[1].date_time, (DateTimeParts{2024, 1, 31, 10, 20, 30, 0, 0}));
    EXPECT_EQ(t[2].date_time, (DateTimeParts{2024, 1, 31, 10, 20, 30, 500, 330}));
    EXPECT_EQ(t[2].text, "2024-01-31T10:20:30.5+05:30");
    EXPECT_EQ(t[3].date_time.offset_minutes, -480);
}

TEST(SoqlLexerTest, DateLiteralWithNumberIsOneToken) {
    const std::vector<Token> t =
        Lex("LAST_N_DAYS:30 last_n_weeks:2 TODAY LAST_N_DAYS LAST_N_DAYS :3");
    using K = TokenKind;
    EXPECT_EQ(Kinds(t),
              (std::vector<K>{K::kDateLiteralN,
                              K::kDateLiteralN,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kIdentifier,
                              K::kColon,
                              K::kInteger,
                              K::kEnd}));
    EXPECT_EQ(t[0].number, 30);
    EXPECT_EQ(t[1].text, "last_n_weeks:2");
    EXPECT_EQ(t[1].number, 2);
    // Only names of date literals that take a number are glued to `:n`.
    EXPECT_EQ(Kinds(Lex("TODAY:5")),
              (std::vector<K>{K::kIdentifier, K::kColon, K::kInteger, K::kEnd}));
}

TEST(SoqlLexerTest, StringEscapesDecode) {
    const std::vector<Token> t = Lex(R"('a\'b\"c\\d\ne\rf\tg\bh\fi\Nj\u00e9\uD83D\uDE00')");
    ASSERT_EQ(t[0].kind, TokenKind::kString);
    EXPECT_EQ(t[0].value, "a'b\"c\\d\ne\rf\tg\bh\fi\nj\xC3\xA9\xF0\x9F\x98\x80");
    EXPECT_TRUE(t[0].escaped_wildcards.empty());
}

TEST(SoqlLexerTest, EscapedLikeWildcardsStayDistinguishable) {
    // 'a\_b_c\%%' : value a_b_c%% where offsets 1 and 5 were escaped.
    const std::vector<Token> t = Lex(R"('a\_b_c\%%' '\\_')");
    EXPECT_EQ(t[0].value, "a_b_c%%");
    EXPECT_EQ(t[0].escaped_wildcards, (std::vector<std::size_t>{1, 5}));
    // An escaped backslash followed by a plain underscore: the underscore is a wildcard.
    EXPECT_EQ(t[1].value, "\\_");
    EXPECT_TRUE(t[1].escaped_wildcards.empty());
}

TEST(SoqlLexerTest, ColumnsCountCharactersNotBytes) {
    const std::vector<Token> t = Lex("'é東' x");
    EXPECT_EQ(t[1].text, "x");
    EXPECT_EQ(t[1].column, 6);
}

TEST(SoqlLexerTest, LexicalErrorsUseAntlrStyleZeroBasedColumns) {
    auto r = Tokenize("SELECT Id FROM A WHERE x = \"y\"");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "MALFORMED_QUERY");
    EXPECT_EQ(r.error().reason, "line 1:27 no viable alternative at character '\"'");
    EXPECT_EQ(r.error().row, 1);
    EXPECT_EQ(r.error().column, 27);

    r = Tokenize("x = 'open");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "line 1:9 mismatched character '<EOF>' expecting '''");

    r = Tokenize("x\n  ?");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "line 2:2 no viable alternative at character '?'");
    EXPECT_EQ(r.error().row, 2);
    EXPECT_EQ(r.error().column, 2);
}

TEST(SoqlLexerTest, BadEscapesAndImpossibleDatesAreRejected) {
    auto r = Tokenize(R"(x = 'ab\x')");
    ASSERT_FALSE(r);
    EXPECT_EQ(
        r.error().reason,
        R"(Invalid string literal 'ab\x. Illegal character sequence '\x' in string literal.)");
    EXPECT_EQ(r.error().column, 5);

    r = Tokenize("2023-02-29");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "Invalid date: 2023-02-29");
    r = Tokenize("2024-01-01T10:61:00Z");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "Invalid datetime: 2024-01-01T10:61:00Z");
    r = Tokenize("2024-01-01T10:00:00+01");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "line 1:22 no viable alternative at character '<EOF>'");
}

}  // namespace
}  // namespace sfkit::soql
