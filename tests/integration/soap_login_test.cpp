// SOAP login() over real HTTP (wire reference §A.9): partner and enterprise envelopes with any
// prefixes and SOAPAction, the loginResponse bytes, the session working as a REST Bearer token,
// and every fault (codes, HTTP 500, namespaces), lockout shared with OAuth, GET -> HTML 405.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

constexpr const char* kSoapOrgDef = R"({
  "orgName": "Acme <SOAP> & Co",
  "users": [
    {"username": "admin@acme.test", "password": "Passw0rd!", "securityToken": "TOKEN123",
     "firstName": "Ada", "lastName": "Admin", "email": "ada@acme.test"},
    {"username": "gone@acme.test", "password": "Gone1!", "securityToken": "TOK", "active": false},
    {"username": "noapi@acme.test", "password": "NoApi1!", "securityToken": "TOK",
     "apiEnabled": false},
    {"username": "office@acme.test", "password": "Off&ice<1!", "securityToken": "TOK",
     "trustedIpRanges": ["127.0.0.1"]},
    {"username": "lock@acme.test", "password": "Lock1!", "securityToken": "TOK"}
  ],
  "connectedApps": [
    {"name": "Seed App", "consumerKey": "3MVG9local.key", "consumerSecret": "local-secret",
     "flows": ["password"]}
  ],
  "lockoutThreshold": 3,
  "lockoutMinutes": 5
})";

constexpr const char* kInvalidLoginFault =
    R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>)";

/// jsforce's envelope, byte for byte (reference jsforce-and-newman.md).
std::string JsforceEnvelope(const std::string& user, const std::string& password) {
    return R"(<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>)" +
           user + "</username><password>" + password +
           "</password></login></se:Body></se:Envelope>";
}

/// The Postman collection's envelope: other prefixes, CDATA, whitespace, XML declaration.
std::string PostmanEnvelope(const std::string& ns,
                            const std::string& user,
                            const std::string& password) {
    return R"(<?xml version="1.0" encoding="utf-8" ?>
<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
  <env:Body>
    <n1:login xmlns:n1=")" +
           ns + R"(">
      <n1:username><![CDATA[)" +
           user + R"(]]></n1:username>
      <n1:password><![CDATA[)" +
           password + R"(]]></n1:password>
    </n1:login>
  </env:Body>
</env:Envelope>)";
}

class SoapLoginTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const std::string path = dir_->Path() + "/soap.json";
        std::ofstream(path) << kSoapOrgDef;
        auto options = TestOrg::DefaultOptions();
        options.org_def_file = path;
        org_ = new TestOrg(options);
    }
    static void TearDownTestSuite() {
        delete org_;
        delete dir_;
        org_ = nullptr;
        dir_ = nullptr;
    }
    static RawResponse Soap(const std::string& path,
                            const std::string& body,
                            const std::string& action = "SOAPAction: \"\"") {
        return Fetch(org_->Port(), "POST", path, {"Content-Type: text/xml", action}, body);
    }
    static std::string Text(const std::string& xml, const std::string& element) {
        const std::regex re("<" + element + ">([^<]*)</" + element + ">");
        std::smatch m;
        return std::regex_search(xml, m, re) ? m[1].str() : std::string("<missing>");
    }
    static const server::OrgInfo& Org() { return org_->Org().Org(); }

    static TempDir* dir_;
    static TestOrg* org_;
};

TempDir* SoapLoginTest::dir_ = nullptr;
TestOrg* SoapLoginTest::org_ = nullptr;

TEST_F(SoapLoginTest, PartnerLoginAnswersTheWsdlElementsInOrder) {
    const RawResponse r =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "text/xml;charset=UTF-8");
    const std::string base = "http://127.0.0.1:" + std::to_string(org_->Port());
    const std::string org15 = Org().org_id.substr(0, 15);
    const std::string session = Text(r.body, "sessionId");
    const std::string expected =
        R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>)" +
        base + "/services/Soap/m/60.0/" + org15 +
        "</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</"
        "sandbox><serverUrl>" +
        base + "/services/Soap/u/60.0/" + org15 + "</serverUrl><sessionId>" + session +
        "</sessionId><userId>" + Org().admin_user_id +
        "</userId><userInfo><accessibilityMode>false</accessibilityMode><currencySymbol>$</"
        "currencySymbol><orgAttachmentFileSizeLimit>5242880</"
        "orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>USD</"
        "orgDefaultCurrencyIsoCode><orgDisallowHtmlAttachments>false</"
        "orgDisallowHtmlAttachments><orgHasPersonAccounts>false</"
        "orgHasPersonAccounts><organizationId>" +
        Org().org_id +
        "</organizationId><organizationMultiCurrency>false</"
        "organizationMultiCurrency><organizationName>Acme &lt;SOAP&gt; &amp; "
        "Co</organizationName><profileId>";
    ASSERT_EQ(r.body.substr(0, expected.size()), expected);
    const std::string tail =
        "</profileId><roleId xsi:nil=\"true\"/><sessionSecondsValid>7200</"
        "sessionSecondsValid><userDefaultCurrencyIsoCode xsi:nil=\"true\"/><userEmail>ada@acme."
        "test</userEmail><userFullName>Ada Admin</userFullName><userId>" +
        Org().admin_user_id +
        "</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale><userName>"
        "admin@acme.test</userName><userTimeZone>America/Los_Angeles</"
        "userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin></"
        "userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>";
    ASSERT_GE(r.body.size(), tail.size());
    EXPECT_EQ(r.body.substr(r.body.size() - tail.size()), tail);
    const std::string profile = Text(r.body, "profileId");
    EXPECT_EQ(profile.size(), 18u);
    EXPECT_EQ(profile.substr(0, 3), "00e");
    // Same shape as an OAuth access token (§A.4).
    EXPECT_EQ(session.size(), 112u);
    EXPECT_EQ(session.substr(0, 16), org15 + "!");
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(r.body.c_str())) << "well-formed XML";
}

TEST_F(SoapLoginTest, SessionIdIsARestBearerTokenAndReadsTheIdentityUrl) {
    const RawResponse r =
        Soap("/services/Soap/u/59.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string session = Text(r.body, "sessionId");
    const RawResponse rest = Fetch(org_->Port(),
                                   "GET",
                                   "/services/data/v59.0/sobjects/Account/describe",
                                   {"Authorization: Bearer " + session});
    EXPECT_EQ(rest.status, 200) << rest.body.substr(0, 200);
    EXPECT_NE(rest.Header("Sforce-Limit-Info"), "");
    const RawResponse id = Fetch(
        org_->Port(),
        "GET",
        "/id/" + Org().org_id + "/" + Org().admin_user_id + "?format=json&oauth_token=" + session);
    EXPECT_EQ(id.status, 200) << id.body;
}

TEST_F(SoapLoginTest, EnterpriseEndpointWithPostmanEnvelopeAndAnySoapAction) {
    const RawResponse r = Soap(
        "/services/Soap/c/60.0",
        PostmanEnvelope("urn:enterprise.soap.sforce.com", "ADMIN@acme.test", "Passw0rd!TOKEN123"),
        "SOAPAction: login");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find(R"(xmlns="urn:enterprise.soap.sforce.com")"), std::string::npos);
    EXPECT_EQ(Text(r.body, "serverUrl"),
              "http://127.0.0.1:" + std::to_string(org_->Port()) + "/services/Soap/c/60.0/" +
                  Org().org_id.substr(0, 15));
    EXPECT_EQ(Text(r.body, "userName"), "admin@acme.test");
    // The partner endpoint takes the Postman envelope (CDATA, n1: prefix) too, without SOAPAction.
    const RawResponse p = Fetch(
        org_->Port(),
        "POST",
        "/services/Soap/u/60.0",
        {"Content-Type: text/xml; charset=UTF-8"},
        PostmanEnvelope("urn:partner.soap.sforce.com", "admin@acme.test", "Passw0rd!TOKEN123"));
    EXPECT_EQ(p.status, 200) << p.body;
}

TEST_F(SoapLoginTest, TrustedRangeNeedsNoTokenAndXmlEscapesAreDecoded) {
    // jsforce escapes & < > in credentials: the entities are decoded before the check.
    EXPECT_EQ(
        Soap("/services/Soap/u/60.0", JsforceEnvelope("office@acme.test", "Off&amp;ice&lt;1!"))
            .status,
        200);
    const RawResponse r =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("office@acme.test", "Off&amp;amp;ice<1!"));
    EXPECT_EQ(r.status, 500);
}

TEST_F(SoapLoginTest, BadCredentialsGiveTheRecordedInvalidLoginFault) {
    for (const auto& [user, password] :
         std::vector<std::pair<std::string, std::string>>{{"admin@acme.test", "wrong"},
                                                          {"nobody@acme.test", "Passw0rd!TOKEN123"},
                                                          {"gone@acme.test", "Gone1!TOK"},
                                                          {"", ""}}) {
        const RawResponse r = Soap("/services/Soap/u/60.0", JsforceEnvelope(user, password));
        EXPECT_EQ(r.status, 500) << user;
        EXPECT_EQ(r.Header("Content-Type"), "text/xml;charset=UTF-8");
        EXPECT_EQ(r.body, kInvalidLoginFault) << user;
    }
    // The admin's failure count must not lock the admin for the other tests.
    EXPECT_EQ(Soap("/services/Soap/u/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"))
                  .status,
              200);
}

TEST_F(SoapLoginTest, RightPasswordWithoutTokenFromOutsideAsksForTheToken) {
    const RawResponse r =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!"));
    ASSERT_EQ(r.status, 500);
    EXPECT_EQ(Text(r.body, "faultcode"), "LOGIN_MUST_USE_SECURITY_TOKEN");
    EXPECT_EQ(Text(r.body, "sf:exceptionCode"), "LOGIN_MUST_USE_SECURITY_TOKEN");
    const std::string prefix =
        "LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user "
        "locked out. Are you at a new location?";
    EXPECT_EQ(Text(r.body, "faultstring").rfind(prefix, 0), 0u) << r.body;
    EXPECT_NE(r.body.find("company\xE2\x80\x99s trusted networks"), std::string::npos);
    EXPECT_EQ(Soap("/services/Soap/u/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"))
                  .status,
              200);
}

TEST_F(SoapLoginTest, ApiDisabledUserIsRefused) {
    const RawResponse r =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("noapi@acme.test", "NoApi1!TOK"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(Text(r.body, "faultcode"), "API_CURRENTLY_DISABLED");
    EXPECT_EQ(Text(r.body, "faultstring"), "API_CURRENTLY_DISABLED: API is disabled for this User");
}

TEST_F(SoapLoginTest, FailuresCountTowardsTheSameLockoutAsOAuth) {
    // Two SOAP failures and one OAuth failure reach the threshold of 3.
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(Soap("/services/Soap/u/60.0", JsforceEnvelope("lock@acme.test", "bad")).status,
                  500);
    }
    const RawResponse oauth = Fetch(org_->Port(),
                                    "POST",
                                    "/services/oauth2/token",
                                    {"Content-Type: application/x-www-form-urlencoded"},
                                    "grant_type=password&client_id=3MVG9local.key&client_secret="
                                    "local-secret&username=lock%40acme.test&password=bad");
    ASSERT_EQ(oauth.status, 400);
    const RawResponse locked =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("lock@acme.test", "Lock1!TOK"));
    EXPECT_EQ(locked.status, 500);
    EXPECT_EQ(locked.body, kInvalidLoginFault) << "a locked user gets the plain INVALID_LOGIN";
}

TEST_F(SoapLoginTest, VersionFaults) {
    const std::string good = JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123");
    for (const std::string v : {"30.0", "20.0", "67.0", "99.0", "60.1", "abc", "60"}) {
        const RawResponse r = Soap("/services/Soap/u/" + v, good);
        EXPECT_EQ(r.status, 500) << v;
        EXPECT_EQ(Text(r.body, "faultcode"), "sf:UNSUPPORTED_API_VERSION") << v;
        EXPECT_EQ(Text(r.body, "faultstring"),
                  "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL")
            << v;
        EXPECT_NE(r.body.find("<sf:UnexpectedErrorFault xsi:type=\"sf:UnexpectedErrorFault\">"),
                  std::string::npos);
    }
    // login() is gone from 65.0 on (forcedotcom/wsc#363).
    for (const std::string v : {"65.0", "66.0"}) {
        const RawResponse r = Soap("/services/Soap/u/" + v, good);
        EXPECT_EQ(r.status, 500) << v;
        EXPECT_EQ(Text(r.body, "faultcode"), "sf:INVALID_OPERATION");
        EXPECT_EQ(Text(r.body, "faultstring"),
                  "INVALID_OPERATION: The SOAP Login operation is not available in the API "
                  "version specified (" +
                      v + "). Refer to the documentation for supported versions.");
    }
    EXPECT_EQ(Soap("/services/Soap/u/31.0", good).status, 200);
    EXPECT_EQ(Soap("/services/Soap/u/64.0", good).status, 200);
}

TEST_F(SoapLoginTest, EnterpriseFaultsUseTheEnterpriseFaultNamespace) {
    const RawResponse r =
        Soap("/services/Soap/c/60.0",
             PostmanEnvelope("urn:enterprise.soap.sforce.com", "admin@acme.test", "nope"));
    EXPECT_EQ(r.status, 500);
    EXPECT_NE(r.body.find(R"(xmlns:sf="urn:fault.enterprise.soap.sforce.com")"), std::string::npos);
    EXPECT_EQ(Text(r.body, "faultcode"), "INVALID_LOGIN");
}

TEST_F(SoapLoginTest, EnvelopeProblemsAreClientFaults) {
    // A partner envelope at the enterprise endpoint names no operation that endpoint has.
    const RawResponse wrong_ns =
        Soap("/services/Soap/c/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"));
    EXPECT_EQ(wrong_ns.status, 500);
    EXPECT_EQ(Text(wrong_ns.body, "faultcode"), "soapenv:Client");
    EXPECT_EQ(Text(wrong_ns.body, "faultstring"),
              "No operation available for request {urn:partner.soap.sforce.com}login, please "
              "check the WSDL for the service.");
    EXPECT_EQ(wrong_ns.body.find("<detail>"), std::string::npos);
    for (const std::string body : {"", "not xml", "<a><b></a>", "<Envelope/>"}) {
        const RawResponse r = Soap("/services/Soap/u/60.0", body);
        EXPECT_EQ(r.status, 500) << body;
        EXPECT_EQ(Text(r.body, "faultcode"), "soapenv:Client") << body;
    }
    EXPECT_EQ(Text(Soap("/services/Soap/u/60.0", "").body, "faultstring"),
              "Premature end of file.");
    EXPECT_EQ(Text(Soap("/services/Soap/u/60.0", "not xml").body, "faultstring"),
              "Content is not allowed in prolog.");
}

TEST_F(SoapLoginTest, OtherCallsNeedASessionAndAreNotServed) {
    const std::string query =
        R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Header><urn:SessionHeader><urn:sessionId>bogus</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:query><urn:queryString>SELECT Id FROM Account</urn:queryString></urn:query></soapenv:Body></soapenv:Envelope>)";
    const RawResponse r = Soap("/services/Soap/u/60.0", query);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(Text(r.body, "faultcode"), "sf:INVALID_SESSION_ID");
    EXPECT_EQ(Text(r.body, "faultstring"),
              "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session");
}

TEST_F(SoapLoginTest, LogoutEndsTheSession) {
    const RawResponse login =
        Soap("/services/Soap/u/60.0", JsforceEnvelope("admin@acme.test", "Passw0rd!TOKEN123"));
    ASSERT_EQ(login.status, 200);
    const std::string session = Text(login.body, "sessionId");
    // jsforce's logoutBySoap() envelope.
    const std::string logout =
        R"(<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>)" +
        session +
        R"(</sessionId></SessionHeader></se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>)";
    const RawResponse r = Soap("/services/Soap/u/60.0", logout);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(
        r.body,
        R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>)");
    const RawResponse rest = Fetch(
        org_->Port(), "GET", "/services/data/v60.0/sobjects", {"Authorization: Bearer " + session});
    EXPECT_EQ(rest.status, 401);
    // A second logout has no session any more.
    EXPECT_EQ(Text(Soap("/services/Soap/u/60.0", logout).body, "faultcode"),
              "sf:INVALID_SESSION_ID");
}

TEST_F(SoapLoginTest, GetAnswersAnHtml405) {
    const RawResponse r = Fetch(org_->Port(), "GET", "/services/Soap/u/60.0");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.Header("Content-Type"), "text/html;charset=UTF-8");
    EXPECT_NE(r.body.find("Only POST allowed"), std::string::npos);
}

TEST_F(SoapLoginTest, The405PageEscapesThePathItEchoes) {
    // The version segment is the client's: percent-decoded, it must not become markup.
    const RawResponse r = Fetch(org_->Port(), "GET", "/services/Soap/u/%3Cscript%3Ealert(1)");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("&lt;script&gt;alert(1)"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace sfkit::test
