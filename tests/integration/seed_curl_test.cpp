// The seed's own cURL commands (tests/data/seed, copied verbatim from ../shared/seed) run
// against a local org with only hosts and placeholders replaced, checked field by field.
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pugixml.hpp>

#include "sfkit/core/id.hpp"

#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

struct CurlResult {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string Header(const std::string& name) const {
        for (const auto& [k, v] : headers) {
            if (strcasecmp(k.c_str(), name.c_str()) == 0)
                return v;
        }
        return "";
    }
};

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
        s.replace(pos, from.size(), to);
    }
}

/// Runs a seed command through bash with --silent --include appended, parses the answer.
CurlResult RunSeed(const std::string& file,
                   const std::vector<std::pair<std::string, std::string>>& subst) {
    std::string cmd = ReadFile(TestDataPath("seed/" + file));
    while (!cmd.empty() && (cmd.back() == '\n' || cmd.back() == ' ')) cmd.pop_back();
    for (const auto& [from, to] : subst) ReplaceAll(cmd, from, to);
    cmd += " --silent --include";
    const std::string script = ::testing::TempDir() + "/seed_cmd.sh";
    std::ofstream(script) << cmd << "\n";
    FILE* p = popen(("bash " + script).c_str(), "r");
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    CurlResult r;
    // Skip any interim "HTTP/1.1 100 Continue" blocks.
    std::size_t start = 0;
    for (;;) {
        const auto end = out.find("\r\n\r\n", start);
        if (end == std::string::npos)
            return r;
        std::string head = out.substr(start, end - start);
        std::istringstream hs(head);
        std::string line;
        std::getline(hs, line);
        r.status = std::atoi(line.substr(line.find(' ') + 1).c_str());
        if (r.status == 100) {
            start = end + 4;
            continue;
        }
        while (std::getline(hs, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            const auto c = line.find(':');
            if (c == std::string::npos)
                continue;
            r.headers.emplace_back(line.substr(0, c), line.substr(c + 2));
        }
        r.body = out.substr(end + 4);
        return r;
    }
}

std::vector<std::string> Keys(const boost::json::object& o) {
    std::vector<std::string> k;
    for (const auto& kv : o) k.emplace_back(kv.key());
    return k;
}

std::string HmacSha256Base64(const std::string& key, const std::string& msg) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(),
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(msg.data()),
         msg.size(),
         mac,
         &len);
    unsigned char out[64];
    const int n = EVP_EncodeBlock(out, mac, static_cast<int>(len));
    return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}

/// GET a record with plain curl (JSON), the way a seed user would read it back.
std::string GetRecord(const std::string& instance,
                      const std::string& token,
                      const std::string& id) {
    const std::string script = ::testing::TempDir() + "/seed_get.sh";
    std::ofstream(script) << "curl --silent --request GET '" << instance
                          << "/services/data/v60.0/sobjects/Account/" << id
                          << "' --header 'Authorization: Bearer " << token << "'\n";
    FILE* p = popen(("bash " + script).c_str(), "r");
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

class SeedCurlTest : public ::testing::Test {
protected:
    TestOrg org_;
    std::vector<std::pair<std::string, std::string>> Credentials() const {
        return {{"https://login.salesforce.com", org_.BaseUrl()},
                {"YOUR_CLIENT_ID", kClientId},
                {"YOUR_CLIENT_SECRET", kClientSecret},
                {"YOUR_USERNAME", kUser},
                {"YOUR_PASSWORD", kPassword},
                {"YOUR_SECURITY_TOKEN", kSecurityToken}};
    }
    std::pair<std::string, std::string> Token() {
        auto r = RunSeed("01_token.sh", Credentials());
        EXPECT_EQ(r.status, 200) << r.body;
        auto v = boost::json::parse(r.body).as_object();
        return {std::string(v.at("access_token").as_string()),
                std::string(v.at("instance_url").as_string())};
    }
    std::vector<std::pair<std::string, std::string>> Rest(const std::string& token,
                                                          const std::string& instance) {
        // Longest placeholder first: YOUR_ACCESS_TOKEN must not be hit by a shorter rule.
        return {{"https://yourInstance.salesforce.com", instance}, {"YOUR_ACCESS_TOKEN", token}};
    }
};

TEST_F(SeedCurlTest, TokenRequestAnswersLikeSalesforce) {
    auto r = RunSeed("01_token.sh", Credentials());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(Keys(v),
              (std::vector<std::string>{"access_token",
                                        "signature",
                                        "scope",
                                        "instance_url",
                                        "id",
                                        "token_type",
                                        "issued_at"}));
    const std::string token(v.at("access_token").as_string());
    const std::string org15 = org_.Org().Org().org_id.substr(0, 15);
    EXPECT_TRUE(std::regex_match(token, std::regex("00D[0-9A-Za-z]{12}![A-Za-z0-9._]{96}")))
        << token;
    EXPECT_EQ(token.substr(0, 16), org15 + "!");
    EXPECT_EQ(token.size(), 112u);
    EXPECT_EQ(v.at("instance_url").as_string(), org_.BaseUrl());
    const std::string id(v.at("id").as_string());
    const std::regex id_re(org_.BaseUrl() + "/id/(00D[0-9A-Za-z]{15})/(005[0-9A-Za-z]{15})");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(id, m, id_re)) << id;
    EXPECT_TRUE(Id::IsValid(m[1].str()));
    EXPECT_TRUE(Id::IsValid(m[2].str()));
    EXPECT_EQ(m[1].str(), org_.Org().Org().org_id);
    EXPECT_EQ(v.at("token_type").as_string(), "Bearer");
    const std::string issued(v.at("issued_at").as_string());
    EXPECT_TRUE(std::regex_match(issued, std::regex("1[0-9]{12}"))) << issued;
    EXPECT_EQ(v.at("signature").as_string(), HmacSha256Base64(kClientSecret, id + issued));
}

TEST_F(SeedCurlTest, DescribeAccountBasicInfo) {
    auto [token, instance] = Token();
    auto r = RunSeed("02_describe_account.sh", Rest(token, instance));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.Header("Sforce-Limit-Info").find("api-usage="), std::string::npos);
    const auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(Keys(v), (std::vector<std::string>{"objectDescribe", "recentItems"}));
    const auto& d = v.at("objectDescribe").as_object();
    EXPECT_EQ(d.at("name").as_string(), "Account");
    EXPECT_EQ(d.at("keyPrefix").as_string(), "001");
    EXPECT_EQ(d.at("label").as_string(), "Account");
    EXPECT_TRUE(v.at("recentItems").is_array());
}

TEST_F(SeedCurlTest, CreateAccountJsonThenReadBack) {
    auto [token, instance] = Token();
    auto r = RunSeed("03_create_account_json.sh", Rest(token, instance));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json;charset=UTF-8");
    const auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(Keys(v), (std::vector<std::string>{"id", "success", "errors"}));
    const std::string id(v.at("id").as_string());
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "001");
    EXPECT_TRUE(Id::IsValid(id));
    EXPECT_EQ(v.at("success"), true);
    EXPECT_TRUE(v.at("errors").as_array().empty());

    // Read it back with the 15-char form, as the seed's readers would.
    const auto rec = boost::json::parse(GetRecord(instance, token, id.substr(0, 15))).as_object();
    EXPECT_EQ(rec.begin()->key(), "attributes");
    EXPECT_EQ(rec.at("attributes").at("type").as_string(), "Account");
    EXPECT_EQ(rec.at("attributes").at("url").as_string(),
              "/services/data/v60.0/sobjects/Account/" + id);
    EXPECT_EQ(rec.at("Id").as_string(), id);
    EXPECT_EQ(rec.at("Name").as_string(), "Test Account");
    EXPECT_EQ(rec.at("Phone").as_string(), "1234567890");
    EXPECT_EQ(rec.at("Website").as_string(), "https://example.com");
    EXPECT_EQ(rec.at("BillingCity").as_string(), "New York");
}

TEST_F(SeedCurlTest, CreateAccountXmlAnswersXml) {
    auto [token, instance] = Token();
    auto r = RunSeed("04_create_account_xml.sh", Rest(token, instance));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/xml", 0), 0u) << r.Header("Content-Type");
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(r.body.c_str())) << r.body;
    const auto result = doc.child("Result");
    ASSERT_TRUE(result) << r.body;
    const std::string id = result.child_value("id");
    EXPECT_TRUE(Id::IsValid(id)) << id;
    EXPECT_EQ(id.substr(0, 3), "001");
    EXPECT_STREQ(result.child_value("success"), "true");

    const auto rec = boost::json::parse(GetRecord(instance, token, id)).as_object();
    EXPECT_EQ(rec.at("Id").as_string(), id);
    EXPECT_EQ(rec.at("Name").as_string(), "Test Account XML");
    EXPECT_EQ(rec.at("Phone").as_string(), "1234567890");
    EXPECT_EQ(rec.at("Website").as_string(), "https://example.com");
    EXPECT_EQ(rec.at("BillingCity").as_string(), "New York");
}

}  // namespace
}  // namespace sfkit::test
