// Id parsing and checksum, checked against real ids from recorded Salesforce responses (§C.2).
#include "sfkit/core/id.hpp"

#include <gtest/gtest.h>

namespace sfkit {
namespace {

struct KnownId {
    const char* id15;
    const char* suffix;
};

// Real 15-char ids and their suffixes as they appeared in recorded responses.
constexpr KnownId kKnown[] = {
    {"001D000000IqhSL", "IAZ"},
    {"0015500001QdQWa", "AAN"},
    {"00Di0000000icUB", "EAY"},
    {"005gK000000TSnJ", "QAW"},
    {"012000000000000", "AAA"},
    {"00DRO0000008aXd", "2AI"},
    {"001M000001FgVKl", "IAN"},
    {"0015500001QdQWf", "AAN"},
    {"005i0000002MUqL", "AAW"},
    {"A00000000000000", "BAA"},
};

TEST(IdTest, SuffixMatchesRealIds) {
    for (const auto& k : kKnown) {
        EXPECT_EQ(Id::Suffix(k.id15), k.suffix) << k.id15;
    }
}

TEST(IdTest, ParsesFifteenAndEighteen) {
    auto a = Id::Parse("001D000000IqhSL");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->Str18(), "001D000000IqhSLIAZ");
    EXPECT_EQ(a->Str15(), "001D000000IqhSL");
    EXPECT_EQ(a->KeyPrefix(), "001");
    auto b = Id::Parse("001D000000IqhSLIAZ");
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*a, *b);
}

TEST(IdTest, SuffixIsCaseInsensitive) {
    auto a = Id::Parse("001D000000IqhSLiaz");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->Str18(), "001D000000IqhSLIAZ");
}

TEST(IdTest, RejectsBadInput) {
    EXPECT_FALSE(Id::IsValid(""));
    EXPECT_FALSE(Id::IsValid("001D000000IqhS"));      // 14 chars
    EXPECT_FALSE(Id::IsValid("001D000000IqhSL!"));    // 16 chars
    EXPECT_FALSE(Id::IsValid("001D000000IqhS-"));     // bad char
    EXPECT_FALSE(Id::IsValid("001D000000IqhSLAAA"));  // wrong checksum
    auto r = Id::Parse("nope");
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code, "MALFORMED_ID");
}

TEST(IdTest, MakeProducesValidIdsWithPrefix) {
    const Id id = Id::Make("001", "Lo", 1);
    EXPECT_EQ(id.Str15(), "001Lo0000000001");
    EXPECT_EQ(id.KeyPrefix(), "001");
    EXPECT_TRUE(Id::IsValid(id.Str18()));
    const Id big = Id::Make("003", "Lo", 62ULL * 62 * 62);
    EXPECT_EQ(big.Str15(), "003Lo0000001000");
    EXPECT_NE(Id::Make("001", "Lo", 2), id);
}

}  // namespace
}  // namespace sfkit
