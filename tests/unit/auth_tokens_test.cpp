// Token shapes, the token-response signature (§A.4) and the crypto helpers behind them.
#include <set>

#include <gtest/gtest.h>

#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"

namespace sfkit::server {
namespace {

// Expected values computed outside sfkit with:
//   printf '%s' '<id><issued_at>' | openssl dgst -sha256 -hmac '<secret>' -binary | base64
TEST(TokenSignatureTest, MatchesOpensslHmacVectors) {
    EXPECT_EQ(
        TokenSignature("local-secret",
                       "https://login.salesforce.com/id/00D5e000000XXXXEAA/0055e000001YYYYAAA",
                       "1699999999999"),
        "bfnvVHi233tvdj/XYsvjLGwIKXJOycEpoohwlhaDHew=");
    EXPECT_EQ(TokenSignature("6312A3F1C0B1E0D4",
                             "http://127.0.0.1:8080/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS",
                             "1489712412567"),
              "W9bgaRGAo7RQAcsp1Gx/gGhd2CUHzLzN7lAVP65xHFQ=");
}

TEST(TokenSignatureTest, Is44CharsAndDependsOnEveryInput) {
    const std::string a = TokenSignature("s", "id", "1");
    EXPECT_EQ(a.size(), 44u);
    EXPECT_EQ(a.back(), '=');
    EXPECT_NE(a, TokenSignature("t", "id", "1"));
    EXPECT_NE(a, TokenSignature("s", "ie", "1"));
    EXPECT_NE(a, TokenSignature("s", "id", "2"));
}

TEST(AccessTokenTest, HasSalesforceShape) {
    const std::string org15 = "00D5e000000XXXX";
    const std::string t = GenerateAccessToken(org15);
    ASSERT_EQ(t.size(), 112u);
    EXPECT_EQ(t.substr(0, 16), org15 + "!");
    EXPECT_EQ(t.substr(16, 2), "AQ");
    for (std::size_t i = 16; i < t.size(); ++i) {
        const char c = t[i];
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_') << c;
    }
    EXPECT_TRUE(LooksLikeAccessToken(t));
    EXPECT_FALSE(LooksLikeAccessToken(t.substr(1)));
    EXPECT_FALSE(LooksLikeAccessToken(t.substr(0, 111) + "-"));
}

TEST(AccessTokenTest, IsRandom) {
    std::set<std::string> seen;
    std::set<char> chars;
    for (int i = 0; i < 200; ++i) {
        const std::string t = GenerateAccessToken("00D000000000001");
        seen.insert(t);
        chars.insert(t.begin() + 18, t.end());
    }
    EXPECT_EQ(seen.size(), 200u);
    EXPECT_EQ(chars.size(), 64u) << "all of [A-Za-z0-9._] should appear in 200 x 94 draws";
}

TEST(GeneratedCredentialsTest, LookLikeSalesforceOnes) {
    const std::string key = GenerateConsumerKey();
    EXPECT_EQ(key.rfind("3MVG9", 0), 0u);
    EXPECT_EQ(key.size(), 85u);
    EXPECT_NE(key, GenerateConsumerKey());
    const std::string secret = GenerateConsumerSecret();
    EXPECT_EQ(secret.size(), 64u);
    EXPECT_EQ(secret.find_first_not_of("0123456789ABCDEF"), std::string::npos);
    const std::string token = GenerateSecurityToken();
    EXPECT_EQ(token.size(), 25u);
    const std::string pw = GeneratePassword();
    EXPECT_EQ(pw.size(), 20u);
    EXPECT_NE(pw.find_first_of("ABCDEFGHJKLMNPQRSTUVWXYZ"), std::string::npos);
    EXPECT_NE(pw.find_first_of("23456789"), std::string::npos);
    EXPECT_NE(pw.find_first_of("-_."), std::string::npos);
}

TEST(CryptoTest, Sha256AndBase64KnownAnswers) {
    EXPECT_EQ(crypto::Sha256Hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(crypto::Base64Encode("M"), "TQ==");
    EXPECT_EQ(crypto::Base64Encode("Ma"), "TWE=");
    EXPECT_EQ(crypto::Base64Encode("Man"), "TWFu");
    EXPECT_EQ(crypto::Base64Decode("M01WRzlsb2NhbC5rZXk6bG9jYWwtc2VjcmV0"),
              "3MVG9local.key:local-secret");
    EXPECT_EQ(crypto::Base64Decode("TWE"), "Ma");
    EXPECT_FALSE(crypto::Base64Decode("T*E=").has_value());
    EXPECT_FALSE(crypto::Base64Decode("T").has_value());
}

TEST(CryptoTest, ConstantTimeEquals) {
    EXPECT_TRUE(crypto::ConstantTimeEquals("abc", "abc"));
    EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abd"));
    EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abcd"));
    EXPECT_TRUE(crypto::ConstantTimeEquals("", ""));
}

TEST(CryptoTest, Argon2idHashVerifies) {
    const std::string h = crypto::HashSecret("Passw0rd!TOKEN123");
    EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
    const auto p = crypto::SecretHashParams();
    EXPECT_NE(
        h.find("m=" + std::to_string(p.memlimit_bytes / 1024) + ",t=" + std::to_string(p.opslimit)),
        std::string::npos)
        << h;
    EXPECT_TRUE(crypto::VerifySecret(h, "Passw0rd!TOKEN123"));
    EXPECT_FALSE(crypto::VerifySecret(h, "Passw0rd!TOKEN12"));
    EXPECT_FALSE(crypto::VerifySecret("", "x"));
    EXPECT_NE(h, crypto::HashSecret("Passw0rd!TOKEN123")) << "salted";
}

TEST(CryptoTest, RandomBetweenStaysInRange) {
    for (int i = 0; i < 1000; ++i) {
        const auto v = crypto::RandomBetween(10, 13);
        EXPECT_GE(v, 10u);
        EXPECT_LT(v, 13u);
    }
}

}  // namespace
}  // namespace sfkit::server

namespace sfkit::server {
namespace {

// Expected value computed independently: Python base64.urlsafe_b64encode(hashlib.sha256(v)), "="
// dropped.
TEST(WebFlowTokens, PkceS256IsUnpaddedBase64UrlOfSha256) {
    EXPECT_EQ(PkceS256Challenge("dBjftJeZ4CVP-mJ92QsLgrGGmfNBiJ2FhLS5ZxJtOlk"),
              "sD8isESLFZZRe69vvCkuR_Fwkliey6SY5FT9q-h7NIs");
}

TEST(WebFlowTokens, CodeAndRefreshTokenShapes) {
    const std::string code = GenerateAuthorizationCode();
    EXPECT_EQ(code.substr(0, 4), "aPrx");
    EXPECT_EQ(code.size(), 4u + 88u);
    EXPECT_EQ(code.substr(code.size() - 2), "==");
    EXPECT_NE(code, GenerateAuthorizationCode());
    const std::string refresh = GenerateRefreshToken();
    EXPECT_EQ(refresh.substr(0, 4), "5Aep");
    EXPECT_EQ(refresh.size(), 87u);
    EXPECT_FALSE(LooksLikeAccessToken(refresh));
}

}  // namespace
}  // namespace sfkit::server
