// SOAP login envelopes (wire reference §A.9). Replies are written as compact text rather than
// through a DOM so that the bytes match the recorded fault and the WSDL element order exactly:
// clients such as jsforce read them with regular expressions, not an XML parser.
#include "server/auth/soap_login.hpp"

#include <algorithm>
#include <cstring>

#include <pugixml.hpp>

#include "codec/xml_input.hpp"
#include "server/api/xml_writer.hpp"

namespace sfkit::server {
namespace {

constexpr std::string_view kEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";

std::string_view LocalName(const pugi::xml_node& n) {
    std::string_view name = n.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

/// Namespace URI bound to the node's prefix (or the default namespace), looking up the tree.
std::string NamespaceOf(const pugi::xml_node& n) {
    std::string_view name = n.name();
    const auto colon = name.find(':');
    const std::string attr =
        colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    for (pugi::xml_node p = n; p; p = p.parent()) {
        if (p.type() != pugi::node_element) {
            break;
        }
        if (const pugi::xml_attribute a = p.attribute(attr.c_str())) {
            return a.value();
        }
    }
    return {};
}

pugi::xml_node ChildByLocalName(const pugi::xml_node& parent, std::string_view local) {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element && LocalName(c) == local) {
            return c;
        }
    }
    return {};
}

pugi::xml_node FirstElement(const pugi::xml_node& parent) {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            return c;
        }
    }
    return {};
}

/// Text of an element including CDATA sections (the Postman collection wraps credentials in
/// CDATA).
std::string TextOf(const pugi::xml_node& n) {
    std::string out;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            out += c.value();
        }
    }
    return out;
}

void Element(std::string& out, std::string_view name, std::string_view value) {
    out += '<';
    out += name;
    out += '>';
    out += XmlEscape(value);
    out += "</";
    out += name;
    out += '>';
}

void Nil(std::string& out, std::string_view name) {
    out += '<';
    out += name;
    out += " xsi:nil=\"true\"/>";
}

}  // namespace

std::string_view SoapNamespace(SoapApi api) {
    return api == SoapApi::kPartner ? "urn:partner.soap.sforce.com"
                                    : "urn:enterprise.soap.sforce.com";
}

SoapFault SoapFault::Login(std::string code, std::string message) {
    // LoginFault codes are written without the sf: prefix in real captures (§A.9 [R]).
    std::string faultcode = code;
    return {std::move(faultcode), std::move(code), std::move(message), "LoginFault"};
}

SoapFault SoapFault::Api(std::string code, std::string message, std::string detail_type) {
    return {"sf:" + code, std::move(code), std::move(message), std::move(detail_type)};
}

SoapFault SoapFault::Client(std::string faultstring) {
    return {"soapenv:Client", {}, std::move(faultstring), {}};
}

std::optional<SoapCall> ParseSoapEnvelope(std::string_view body, SoapFault* fault) {
    auto fail = [fault](std::string text) -> std::optional<SoapCall> {
        if (fault != nullptr) {
            *fault = SoapFault::Client(std::move(text));
        }
        return std::nullopt;
    };
    const auto first =
        std::find_if(body.begin(), body.end(), [](char c) { return !std::strchr(" \t\r\n", c); });
    if (first == body.end()) {
        // The Java SAX parser's words for an empty body [M].
        return fail("Premature end of file.");
    }
    if (*first != '<') {
        return fail("Content is not allowed in prolog.");
    }
    pugi::xml_document doc;
    if (const auto error =
            codec::LoadXmlInput(doc, body, pugi::parse_default | pugi::parse_cdata)) {
        return fail("Malformed XML: " + error->reason + " at offset " +
                    std::to_string(error->offset));
    }
    const pugi::xml_node env = doc.document_element();
    if (LocalName(env) != "Envelope" || NamespaceOf(env) != kEnvelopeNs) {
        return fail(
            "Unable to find SOAP 1.1 Envelope: the root element must be "
            "{http://schemas.xmlsoap.org/soap/envelope/}Envelope");
    }
    const pugi::xml_node body_el = ChildByLocalName(env, "Body");
    const pugi::xml_node op = body_el ? FirstElement(body_el) : pugi::xml_node();
    if (!op) {
        return fail("No operation found in the SOAP Body");
    }
    SoapCall call;
    call.operation_ns = NamespaceOf(op);
    call.operation = std::string(LocalName(op));
    if (const pugi::xml_node u = ChildByLocalName(op, "username")) {
        call.username = TextOf(u);
    }
    if (const pugi::xml_node p = ChildByLocalName(op, "password")) {
        call.password = TextOf(p);
    }
    if (const pugi::xml_node header = ChildByLocalName(env, "Header")) {
        if (const pugi::xml_node sh = ChildByLocalName(header, "SessionHeader")) {
            call.session_id = TextOf(ChildByLocalName(sh, "sessionId"));
        }
    }
    return call;
}

std::string SoapLoginResponseXml(const SoapLoginResult& r, SoapApi api) {
    const std::string org15 = r.org_id.substr(0, 15);
    const std::string letter = api == SoapApi::kPartner ? "u" : "c";
    std::string out;
    out.reserve(2048);
    out += R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope )"
           R"(xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns=")";
    out += SoapNamespace(api);
    out += R"(" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)";
    out += "<soapenv:Body><loginResponse><result>";
    Element(out, "metadataServerUrl", r.base_url + "/services/Soap/m/" + r.version + "/" + org15);
    Element(out, "passwordExpired", "false");
    Element(out, "sandbox", "false");
    Element(
        out, "serverUrl", r.base_url + "/services/Soap/" + letter + "/" + r.version + "/" + org15);
    Element(out, "sessionId", r.session_id);
    Element(out, "userId", r.user_id);
    out += "<userInfo>";
    Element(out, "accessibilityMode", "false");
    Element(out, "currencySymbol", "$");
    Element(out, "orgAttachmentFileSizeLimit", "5242880");
    Element(out, "orgDefaultCurrencyIsoCode", "USD");
    Element(out, "orgDisallowHtmlAttachments", "false");
    Element(out, "orgHasPersonAccounts", "false");
    Element(out, "organizationId", r.org_id);
    Element(out, "organizationMultiCurrency", "false");
    Element(out, "organizationName", r.org_name);
    Element(out, "profileId", r.profile_id);
    Nil(out, "roleId");
    Element(out, "sessionSecondsValid", std::to_string(r.session_seconds_valid));
    Nil(out, "userDefaultCurrencyIsoCode");
    Element(out, "userEmail", r.email);
    Element(out, "userFullName", r.full_name);
    Element(out, "userId", r.user_id);
    Element(out, "userLanguage", "en_US");
    Element(out, "userLocale", "en_US");
    Element(out, "userName", r.username);
    // Same zone as the identity documents (identity.cpp).
    Element(out, "userTimeZone", "America/Los_Angeles");
    Element(out, "userType", "Standard");
    Element(out, "userUiSkin", "Theme3");
    out += "</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>";
    return out;
}

std::string SoapLogoutResponseXml(SoapApi api) {
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope )"
                      R"(xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns=")";
    out += SoapNamespace(api);
    out += R"("><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>)";
    return out;
}

std::string SoapFaultXml(const SoapFault& fault, SoapApi api) {
    const std::string fault_ns = api == SoapApi::kPartner ? "urn:fault.partner.soap.sforce.com"
                                                          : "urn:fault.enterprise.soap.sforce.com";
    std::string out;
    out.reserve(1024);
    out += R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope )"
           R"(xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf=")";
    out += fault_ns;
    out += R"(" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)";
    out += "<soapenv:Body><soapenv:Fault>";
    Element(out, "faultcode", fault.faultcode);
    if (fault.exception_code.empty()) {
        Element(out, "faultstring", fault.message);
    } else {
        Element(out, "faultstring", fault.exception_code + ": " + fault.message);
        out += "<detail><sf:" + fault.detail_type + " xsi:type=\"sf:" + fault.detail_type + "\">";
        Element(out, "sf:exceptionCode", fault.exception_code);
        Element(out, "sf:exceptionMessage", fault.message);
        out += "</sf:" + fault.detail_type + "></detail>";
    }
    out += "</soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    return out;
}

std::optional<int> ParseSoapVersion(std::string_view version) {
    const auto dot = version.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 3 || version.substr(dot) != ".0") {
        return std::nullopt;
    }
    int major = 0;
    for (char c : version.substr(0, dot)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        major = major * 10 + (c - '0');
    }
    return major;
}

}  // namespace sfkit::server
