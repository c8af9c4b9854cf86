// SOAP login envelopes without a server (server/auth/soap_login.hpp): reading requests written
// with any prefixes, default namespaces, CDATA and entities; rejecting what is not a SOAP 1.1
// envelope; the fault and logout bytes; version parsing.
#include <gtest/gtest.h>

#include "server/auth/soap_login.hpp"

namespace sfkit::server {
namespace {

TEST(SoapEnvelope, ReadsLoginWithAnyPrefixesAndEntities) {
    SoapFault fault;
    auto call = ParseSoapEnvelope(
        R"(<a:Envelope xmlns:a="http://schemas.xmlsoap.org/soap/envelope/"><a:Body>)"
        R"(<p:login xmlns:p="urn:enterprise.soap.sforce.com"><p:username>u@x.test</p:username>)"
        R"(<p:password>a&amp;b&lt;<![CDATA[c]]></p:password></p:login></a:Body></a:Envelope>)",
        &fault);
    ASSERT_TRUE(call) << fault.message;
    EXPECT_EQ(call->operation_ns, "urn:enterprise.soap.sforce.com");
    EXPECT_EQ(call->operation, "login");
    EXPECT_EQ(call->username, "u@x.test");
    EXPECT_EQ(call->password, "a&b<c");
    EXPECT_EQ(call->session_id, "");
}

TEST(SoapEnvelope, DefaultNamespacesAndSessionHeader) {
    auto call = ParseSoapEnvelope(
        R"(<?xml version="1.0"?><Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/">)"
        R"(<Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>S1</sessionId>)"
        R"(</SessionHeader></Header><Body><logout xmlns="urn:partner.soap.sforce.com"/></Body>)"
        R"(</Envelope>)",
        nullptr);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->operation_ns, "urn:partner.soap.sforce.com");
    EXPECT_EQ(call->operation, "logout");
    EXPECT_EQ(call->session_id, "S1");
}

TEST(SoapEnvelope, RejectsWhatIsNotASoap11Envelope) {
    struct Case {
        const char* body;
        const char* faultstring_prefix;
    };
    const Case cases[] = {
        {"", "Premature end of file."},
        {"  \r\n", "Premature end of file."},
        {"login", "Content is not allowed in prolog."},
        {"<a><b></a>", "Malformed XML: "},
        // SOAP 1.2's namespace is not SOAP 1.1.
        {R"(<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><login/></e:Body></e:Envelope>)",
         "Unable to find SOAP 1.1 Envelope"},
        {R"(<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>)",
         "No operation found"},
    };
    for (const Case& c : cases) {
        SoapFault fault;
        EXPECT_FALSE(ParseSoapEnvelope(c.body, &fault)) << c.body;
        EXPECT_EQ(fault.faultcode, "soapenv:Client") << c.body;
        EXPECT_EQ(fault.message.rfind(c.faultstring_prefix, 0), 0u) << fault.message;
    }
}

TEST(SoapEnvelope, FaultBytes) {
    EXPECT_EQ(
        SoapFaultXml(SoapFault::Api("INVALID_SESSION_ID",
                                    "Invalid Session ID found in SessionHeader: Illegal Session"),
                     SoapApi::kEnterprise),
        R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.enterprise.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring><detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode><sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>)");
    // Client faults have no detail; text is escaped.
    EXPECT_EQ(
        SoapFaultXml(SoapFault::Client("No operation available for request {a<b}x"),
                     SoapApi::kPartner),
        R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>No operation available for request {a&lt;b}x</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>)");
    EXPECT_EQ(SoapFault::Login("INVALID_LOGIN", "m").faultcode, "INVALID_LOGIN");
    EXPECT_EQ(SoapFault::Login("INVALID_LOGIN", "m").detail_type, "LoginFault");
}

TEST(SoapEnvelope, Versions) {
    EXPECT_EQ(ParseSoapVersion("60.0"), 60);
    EXPECT_EQ(ParseSoapVersion("7.0"), 7);
    for (const char* bad : {"60", "60.1", "v60.0", ".0", "1000.0", "6a.0", ""}) {
        EXPECT_EQ(ParseSoapVersion(bad), std::nullopt) << bad;
    }
}

}  // namespace
}  // namespace sfkit::server
