// SOAP login()/logout() (/services/Soap/u and /c): XML that is not an envelope, invalid text,
// entities, wrong namespaces, bad credentials, huge values. Faults come back as SOAP faults.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {
namespace {

std::string Envelope(std::string_view inside_body,
                     std::string_view op_ns = "urn:partner.soap.sforce.com") {
    return std::string(
               R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn=")") +
           std::string(op_ns) + R"("><soapenv:Body>)" + std::string(inside_body) +
           "</soapenv:Body></soapenv:Envelope>";
}

std::string Login(std::string_view user, std::string_view password) {
    return Envelope("<urn:login><urn:username>" + std::string(user) +
                    "</urn:username><urn:password>" + std::string(password) +
                    "</urn:password></urn:login>");
}

}  // namespace

std::vector<Case> SoapCases() {
    using F = ExpectedAfterFix;
    std::vector<Case> c;
    const std::string u = "/services/Soap/u/60.0";
    auto fault = [&](std::string name,
                     const std::string& body,
                     std::string code,
                     F fix = F::kNone,
                     const std::string& path = "") {
        c.push_back({std::move(name),
                     Request("POST",
                             path.empty() ? u : path,
                             {"Content-Type: text/xml; charset=UTF-8", "SOAPAction: login"},
                             body,
                             false),
                     500,
                     Shape::kSoapFault,
                     std::move(code),
                     fix});
    };
    fault("soap_empty_body", "", "soapenv:Client");
    fault("soap_not_xml", "hello", "soapenv:Client");
    fault("soap_truncated_envelope", Login("a", "b").substr(0, 120), "soapenv:Client");
    fault("soap_not_an_envelope", "<login/>", "soapenv:Client");
    fault("soap_wrong_envelope_namespace",
          R"(<e:Envelope xmlns:e="urn:wrong"><e:Body><login/></e:Body></e:Envelope>)",
          "soapenv:Client");
    fault("soap_no_body",
          R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>)",
          "soapenv:Client");
    fault("soap_empty_body_element", Envelope(""), "soapenv:Client");
    fault("soap_wrong_operation_namespace",
          Envelope("<urn:login><urn:username>a</urn:username></urn:login>", "urn:wrong"),
          "soapenv:Client");
    fault("soap_unknown_operation", Envelope("<urn:deleteEverything/>"), "");
    fault("soap_wrong_password", Login("victim@acme.test", "nope"), "INVALID_LOGIN");
    fault("soap_unknown_user", Login("nobody@acme.test", "nope"), "INVALID_LOGIN");
    fault("soap_huge_username", Login(std::string(100000, 'u'), "x"), "INVALID_LOGIN");
    fault("soap_huge_password",
          Login("victim@acme.test", std::string(1 << 20, 'p')),
          "INVALID_LOGIN");
    fault("soap_deep_nesting", Envelope(std::string(100000, '<')), "soapenv:Client");
    fault("soap_mismatched_tags",
          Envelope("<urn:login><urn:username>a</urn:password></urn:login>"),
          "soapenv:Client");
    fault("soap_logout_without_session", Envelope("<urn:logout/>"), "");
    // Issue 9 defect 2: XML 1.0 cannot carry these, so the envelope is malformed XML.
    fault("soap_username_invalid_bytes", Login("\xff\xfe", "x"), "soapenv:Client");
    fault("soap_username_char_ref_nul", Login("admin@acme.test&#0;", "x"), "soapenv:Client");
    fault("soap_undeclared_entity", Login("&bogus;", "x"), "soapenv:Client", F::kNewXmlWellFormed);
    fault("soap_billion_laughs",
          "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
          "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
              Login("&b;", "x")
                  .substr(std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)").size()),
          "soapenv:Client",
          F::kNewXmlWellFormed);
    fault("soap_enterprise_not_xml", "junk", "soapenv:Client", F::kNone, "/services/Soap/c/60.0");
    fault("soap_enterprise_wrong_password",
          Envelope("<urn:login><urn:username>victim@acme.test</urn:username><urn:password>x</"
                   "urn:password></urn:login>",
                   "urn:enterprise.soap.sforce.com"),
          "INVALID_LOGIN",
          F::kNone,
          "/services/Soap/c/60.0");
    c.push_back(
        {"soap_unsupported_version",
         Request(
             "POST", "/services/Soap/u/5.0", {"Content-Type: text/xml"}, Login("a", "b"), false),
         500,
         Shape::kSoapFault,
         ""});
    return c;
}

}  // namespace sfkit::test::hostile
