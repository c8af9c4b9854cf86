// Request text that is not what it should be, over HTTP against an in-process org (issue 9,
// defects 2-4): XML bodies holding bytes or characters XML 1.0 forbids are refused, never
// stored; echoed bytes that are not UTF-8 never reach an answer (every error path renders
// U+FFFD instead); long flat conditions and searches answer like short ones, never 500.
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"
#include "support/utf8_check.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kData = "/services/data/v60.0";
constexpr const char* kFffd = "\xef\xbf\xbd";

class InputIntegrity : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        org_ = new TestOrg();
        auth_ = "Authorization: Bearer " + org_->Login();
    }
    static void TearDownTestSuite() {
        delete org_;
        org_ = nullptr;
    }

    static RawResponse Get(const std::string& target, std::vector<std::string> headers = {}) {
        headers.push_back(auth_);
        return Fetch(org_->Port(), "GET", target, headers);
    }
    static RawResponse Post(const std::string& target,
                            const std::string& content_type,
                            const std::string& body,
                            std::vector<std::string> headers = {}) {
        headers.push_back(auth_);
        headers.push_back("Content-Type: " + content_type);
        return Fetch(org_->Port(), "POST", target, headers, body);
    }
    static RawResponse PostXmlAccount(const std::string& name_xml) {
        return Post(std::string(kData) + "/sobjects/Account/",
                    "application/xml",
                    "<Account><Name>" + name_xml + "</Name></Account>");
    }
    /// The one error of a JSON error answer.
    static json::object Error(const RawResponse& r) {
        const json::value v = json::parse(r.body);
        EXPECT_EQ(v.as_array().size(), 1u) << r.body;
        return v.as_array().at(0).as_object();
    }
    static std::int64_t AccountCount() {
        const RawResponse r = Get(std::string(kData) + "/query?q=SELECT+COUNT()+FROM+Account");
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).at("totalSize").as_int64();
    }
    /// `SELECT Id, Name FROM Account WHERE <term(0)> OR ... OR <term(n-1)>`, URL-encoded.
    template <class Term>
    static std::string QueryWithOrs(int n, Term term, const std::string& op = "+OR+") {
        std::string q = std::string(kData) + "/query?q=SELECT+Id,Name+FROM+Account+WHERE+";
        for (int i = 0; i < n; ++i) {
            q += (i ? op : "") + term(i);
        }
        return q;
    }

    static TestOrg* org_;
    static std::string auth_;
};

TestOrg* InputIntegrity::org_ = nullptr;
std::string InputIntegrity::auth_;

// ---- defect 2: XML bodies -------------------------------------------------------------------

TEST_F(InputIntegrity, XmlBodiesWithTextXmlCannotHoldAreRefusedAndNotStored) {
    const std::int64_t before = AccountCount();
    for (const std::string& bad : {std::string("\xff\xfe"),
                                   std::string("&#99999999;"),
                                   std::string("a&#0;b"),
                                   std::string("a&#xD800;b"),
                                   std::string("a\x01z"),
                                   std::string("a\0b", 3)}) {
        const RawResponse r = PostXmlAccount(bad);
        ASSERT_EQ(r.status, 400) << r.body;
        EXPECT_TRUE(IsValidUtf8(r.body));
        const json::object e = Error(r);
        EXPECT_EQ(e.at("errorCode"), "XML_PARSER_ERROR") << r.body;
        EXPECT_NE(std::string(e.at("message").as_string()).find(" at [row,col]:[1,"),
                  std::string::npos)
            << r.body;
    }
    EXPECT_EQ(AccountCount(), before);
}

TEST_F(InputIntegrity, XmlBodiesDeclaringAnotherEncodingAreRefused) {
    const RawResponse r = Post(std::string(kData) + "/sobjects/Account/",
                               "application/xml",
                               "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                               "<Account><Name>Caf\xe9</Name></Account>");
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Error(r).at("message"),
              "Unsupported encoding 'ISO-8859-1' in the XML declaration: request bodies must be "
              "UTF-8 at [row,col]:[1,31]");
}

TEST_F(InputIntegrity, XmlCharacterReferencesToRealCharactersAreStored) {
    const RawResponse created =
        Post(std::string(kData) + "/sobjects/Account/",
             "application/xml",
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account><Name>Caf&#233; &#x1F600;"
             "</Name></Account>");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    const RawResponse got = Get(std::string(kData) + "/sobjects/Account/" + id + "?fields=Name");
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(json::parse(got.body).at("Name"), "Caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST_F(InputIntegrity, SoapLoginRefusesTheSameXml) {
    for (const std::string& user : {std::string("admin@acme.test&#0;"), std::string("\xff")}) {
        const RawResponse r =
            Fetch(org_->Port(),
                  "POST",
                  "/services/Soap/u/60.0",
                  {"Content-Type: text/xml", "SOAPAction: login"},
                  R"(<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body>)"
                  R"(<login xmlns="urn:partner.soap.sforce.com"><username>)" +
                      user +
                      "</username><password>Passw0rd!TOKEN123</password></login></se:Body>"
                      "</se:Envelope>");
        EXPECT_EQ(r.status, 500) << r.body;
        EXPECT_TRUE(IsValidUtf8(r.body));
        EXPECT_NE(r.body.find("<faultcode>soapenv:Client</faultcode><faultstring>Malformed XML: "),
                  std::string::npos)
            << r.body;
        EXPECT_EQ(r.body.find("<sessionId>"), std::string::npos);
    }
}

// ---- defect 3: what errors echo is UTF-8 ----------------------------------------------------

TEST_F(InputIntegrity, SearchErrorsEchoMalformedBytesAsReplacementCharacters) {
    const RawResponse r = Get(std::string(kData) + "/parameterizedSearch?q=%ff%fe");
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_TRUE(IsValidUtf8(r.body));
    EXPECT_NE(r.body.find(kFffd), std::string::npos) << r.body;
    const RawResponse xml =
        Get(std::string(kData) + "/parameterizedSearch?q=%ff%fe", {"Accept: application/xml"});
    ASSERT_EQ(xml.status, 400) << xml.body;
    EXPECT_TRUE(IsValidUtf8(xml.body));
    EXPECT_EQ(xml.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << xml.body;
    const RawResponse sosl = Get(std::string(kData) + "/search?q=FIND+%7B%ff%fe%01%7D");
    EXPECT_TRUE(IsValidUtf8(sosl.body)) << sosl.status;
}

TEST_F(InputIntegrity, QueryErrorsEchoNoMalformedBytes) {
    for (const std::string q : {"SELECT+Id+FROM+%ff%fe",
                                "SELECT+%c0%af+FROM+Account",
                                "SELECT+Id+FROM+Account+WHERE+Name+%3D+%27%ff%27+AND"}) {
        for (const std::string accept : {"application/json", "application/xml"}) {
            const RawResponse r = Get(std::string(kData) + "/query?q=" + q, {"Accept: " + accept});
            EXPECT_EQ(r.status, 400) << q;
            EXPECT_TRUE(IsValidUtf8(r.body)) << q;
        }
    }
}

TEST_F(InputIntegrity, IdAndHeaderErrorsEchoNoMalformedBytes) {
    for (const std::string& target : {std::string(kData) + "/sobjects/Account/001%ff%fe",
                                      std::string(kData) + "/sobjects/%ff%fe/",
                                      std::string(kData) + "/sobjects/Account/%ff?fields=Name"}) {
        const RawResponse r = Get(target);
        EXPECT_GE(r.status, 400) << target;
        EXPECT_TRUE(IsValidUtf8(r.body)) << target;
    }
    // The 415 answer echoes the media type.
    const RawResponse r =
        Post(std::string(kData) + "/sobjects/Account/", "text/\xff\xfe", "{\"Name\":\"x\"}");
    ASSERT_EQ(r.status, 415) << r.body;
    EXPECT_TRUE(IsValidUtf8(r.body));
    EXPECT_EQ(Error(r).at("message"),
              "MediaType of 'text/\xef\xbf\xbd\xef\xbf\xbd' is not supported by this resource");
}

TEST_F(InputIntegrity, OAuthAnswersAndTheLoginPageEchoNoMalformedBytes) {
    const std::string authorize =
        "/services/oauth2/authorize?response_type=code&client_id=3MVG9local.key&redirect_uri="
        "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&state=%ff%fe&login_hint=%c0";
    const RawResponse page = Fetch(org_->Port(), "GET", authorize);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(IsValidUtf8(page.body));
    EXPECT_NE(page.body.find(std::string("name=\"state\" value=\"") + kFffd + kFffd + "\""),
              std::string::npos)
        << page.body;
    const std::vector<std::string> bodies = {
        "grant_type=%ff",
        "grant_type=password&client_id=%ff&client_secret=x&username=u&password=p",
        "grant_type=password&client_id=3MVG9local.key&client_secret=local-secret&username=%ff"
        "&password=%fe",
        "grant_type=refresh_token&client_id=3MVG9local.key&refresh_token=%ff"};
    for (const std::string& body : bodies) {
        for (const std::string format : {"json", "xml", "urlencoded"}) {
            const RawResponse r = Fetch(org_->Port(),
                                        "POST",
                                        "/services/oauth2/token?format=" + format,
                                        {"Content-Type: application/x-www-form-urlencoded"},
                                        body);
            EXPECT_GE(r.status, 400) << body;
            EXPECT_TRUE(IsValidUtf8(r.body)) << body;
        }
    }
}

// ---- defect 4: long flat conditions and searches ----------------------------------------

TEST_F(InputIntegrity, LongFlatConditionsAnswerLikeShortOnes) {
    const RawResponse created =
        Post(std::string(kData) + "/sobjects/Account/", "application/json", R"({"Name":"a1199"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    // 1,200 equalities on one field, ORed.
    RawResponse r =
        Get(QueryWithOrs(1200, [](int i) { return "Name%3D%27a" + std::to_string(i) + "%27"; }));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    json::value v = json::parse(r.body);
    ASSERT_EQ(v.at("totalSize"), 1);
    EXPECT_EQ(v.at("records").at(0).at("Id").as_string(), id);
    // Different fields, so no IN list can stand for them.
    r = Get(QueryWithOrs(1500, [](int i) {
        return std::string(i % 2 ? "Name" : "Phone") + "%3D%27a" + std::to_string(i) + "%27";
    }));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(json::parse(r.body).at("totalSize"), 1);
    // 1,200 inequalities ANDed, inside parentheses, next to another condition.
    r = Get(QueryWithOrs(
                1200, [](int i) { return "Name+!%3D+%27b" + std::to_string(i) + "%27"; }, "+AND+") +
            "+AND+(Name+%3D+%27a1199%27+OR+Name+%3D+%27zz%27)");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(json::parse(r.body).at("totalSize"), 1);
    // A long IN list.
    std::string in = std::string(kData) + "/query?q=SELECT+Id+FROM+Account+WHERE+Name+IN+(";
    for (int i = 0; i < 3000; ++i) {
        in += "%27a" + std::to_string(i) + "%27,";
    }
    in.back() = ')';
    r = Get(in);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(json::parse(r.body).at("totalSize"), 1);
}

TEST_F(InputIntegrity, LongSearchExpressionsAnswerLikeShortOnes) {
    const RawResponse created = Post(std::string(kData) + "/sobjects/Account/",
                                     "application/json",
                                     R"({"Name":"Zebulon Quux"})");
    ASSERT_EQ(created.status, 201) << created.body;
    std::string find = std::string(kData) + "/search?q=FIND+%7B";
    for (int i = 0; i < 1500; ++i) {
        find += (i ? "+OR+" : "") + std::string(i == 1499 ? "zebulon" : "zq");
    }
    find += "%7D+RETURNING+Account(Name+WHERE+";
    for (int i = 0; i < 1000; ++i) {
        find += (i ? "+OR+" : "") + ("Name%3D%27n" + std::to_string(i) + "%27");
    }
    find += "+OR+Name+LIKE+%27Zeb%25%27)";
    const RawResponse r = Get(find);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    const json::value v = json::parse(r.body);
    ASSERT_EQ(v.at("searchRecords").as_array().size(), 1u) << r.body;
    EXPECT_EQ(v.at("searchRecords").at(0).at("Name"), "Zebulon Quux");
}

}  // namespace
}  // namespace sfkit::test
