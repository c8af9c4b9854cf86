// SOAP API login() (wire reference §A.9): reading the request envelope (any prefixes, partner or
// enterprise namespace) and writing the loginResponse and SOAP fault envelopes byte for byte as
// Salesforce does. Pure formatting and parsing; AuthService checks the credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfkit::server {

/// Which SOAP API the URL names: `/services/Soap/u` (partner) or `/services/Soap/c` (enterprise).
enum class SoapApi { kPartner, kEnterprise };

/// `urn:partner.soap.sforce.com` or `urn:enterprise.soap.sforce.com`.
std::string_view SoapNamespace(SoapApi api);

/// The operation a request envelope carries.
struct SoapCall {
    std::string operation_ns;  ///< namespace URI of the Body's first element
    std::string operation;     ///< its local name, e.g. "login"
    std::string username;      ///< login's <username> text (any prefix)
    std::string password;      ///< login's <password> text
    std::string session_id;    ///< Header/SessionHeader/sessionId, empty when absent
};

/// A SOAP fault as Salesforce writes it: `faultcode` is unprefixed for LoginFault codes
/// (INVALID_LOGIN), `sf:`-prefixed for other API faults, `soapenv:Client` for envelope problems
/// (then there is no detail element).
struct SoapFault {
    std::string faultcode;       ///< as written, e.g. "INVALID_LOGIN", "sf:INVALID_SESSION_ID"
    std::string exception_code;  ///< e.g. "INVALID_LOGIN"; empty for soapenv:Client faults
    std::string message;         ///< exceptionMessage (faultstring = code + ": " + message)
    std::string detail_type;     ///< "LoginFault", "UnexpectedErrorFault", ...

    static SoapFault Login(std::string code, std::string message);
    static SoapFault Api(std::string code,
                         std::string message,
                         std::string detail_type = "UnexpectedErrorFault");
    static SoapFault Client(std::string faultstring);
};

/// Parses a SOAP 1.1 envelope. On failure returns the soapenv:Client fault to answer.
std::optional<SoapCall> ParseSoapEnvelope(std::string_view body, SoapFault* fault);

/// Everything loginResponse reports.
struct SoapLoginResult {
    std::string base_url;  ///< instance URL, no trailing slash
    std::string version;   ///< "60.0"
    std::string session_id;
    std::string org_id;  ///< 18-char
    std::string org_name;
    std::string user_id;  ///< 18-char
    std::string profile_id;
    std::string username;
    std::string email;
    std::string full_name;
    std::int64_t session_seconds_valid = 7200;
};

/// HTTP 200 body: the loginResponse envelope in the WSDL's element order (§A.9).
std::string SoapLoginResponseXml(const SoapLoginResult& r, SoapApi api);

/// HTTP 200 body of logout(): an empty logoutResponse.
std::string SoapLogoutResponseXml(SoapApi api);

/// HTTP 500 body: the fault envelope (§A.9, recorded shape).
std::string SoapFaultXml(const SoapFault& fault, SoapApi api);

/// "60.0" -> 60; nullopt for anything that is not `<digits>.0`.
std::optional<int> ParseSoapVersion(std::string_view version);

}  // namespace sfkit::server
