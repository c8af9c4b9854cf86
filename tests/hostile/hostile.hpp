// The hostile-input suite: table-driven malformed and hostile requests against an in-process local
// org. Each case is one raw HTTP request with the exact status it must get and the shape of the
// error body (Salesforce's JSON/XML error list, the OAuth error object, ...); the runner checks
// the body is valid UTF-8 and that the org still answers a record GET afterwards.
//
// Cases live in tests/hostile/cases_*.cpp, one file per parser or endpoint family.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::test::hostile {

/// How an error body must look.
enum class Shape {
    kRestError,      ///< JSON array of {message, errorCode} (REST API, HTTP layer)
    kXmlRestError,   ///< <Errors><Error><errorCode/><message/></Error></Errors>
    kOAuthError,     ///< JSON object {error, error_description}
    kFormError,      ///< error=...&error_description=... (revoke, authorize)
    kSoapFault,      ///< SOAP envelope with a Fault (faultcode, faultstring)
    kText,           ///< text/plain body equal to `code` (identity URL, userinfo)
    kRedirectError,  ///< 302 whose Location carries error=`code` (authorize)
    kNestedError,    ///< JSON whose first {message, errorCode|statusCode} list is nested
                     ///< (composite subresponses, graph and tree results)
};

/// The defect a case reproduces: the issue-9 defect, or a finding of this suite, whose fix made it
/// pass (all of these are fixed now; a new finding gets a tag here until its fix lands).
/// kNone: passed from the start.
enum class ExpectedAfterFix {
    kNone,
    kDefect2XmlText,        ///< XML input stores invalid text (issue 9, defect 2)
    kDefect3Utf8Echo,       ///< error bodies echo raw bytes (defect 3)
    kDefect4LongCondition,  ///< 1,000-term OR/AND answers 500 (defect 4)
    kDefect6Chunked,        ///< malformed chunked bodies get no answer (defect 6)
    kNewTransferEncoding,   ///< finding: unknown Transfer-Encoding read as an empty body
    kNewHostHeader,         ///< finding: Host bytes echoed into instance_url / id
    kNewXmlWellFormed,      ///< finding: XML that is not well-formed is accepted
};

std::string_view Describe(ExpectedAfterFix why);

struct Case;
/// gtest prints a case by its name.
void PrintTo(const Case& c, std::ostream* os);

struct Case {
    std::string name;     ///< unique within the suite; letters, digits, underscores
    std::string request;  ///< raw bytes; placeholders {TOKEN}, {ID}, {PORT}, {LEN} (body size)
    int status = 0;       ///< exact status expected
    Shape shape = Shape::kRestError;
    std::string code;  ///< errorCode / error / text expected ("" = any non-empty)
    ExpectedAfterFix after_fix = ExpectedAfterFix::kNone;
    int alt_status = 0;      ///< a second acceptable status (only where the issue leaves a choice)
    double max_seconds = 5;  ///< the answer must come within this (debug build)
};

/// Builds a request: request line, Host, Connection: close, the session's Authorization header
/// (unless `auth` is false), `headers` ("Name: value"), Content-Length when there is a body or
/// the method usually has one.
std::string Request(std::string_view method,
                    std::string_view target,
                    const std::vector<std::string>& headers = {},
                    std::string_view body = {},
                    bool auth = true);

/// Percent-encodes everything but unreserved characters (the client library's PercentEncode).
std::string Enc(std::string_view text);

inline constexpr const char* kJson = "Content-Type: application/json";
inline constexpr const char* kXml = "Content-Type: application/xml";
inline constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";
inline constexpr const char* kApi = "/services/data/v60.0";

/// The org's connected app, users and callback (see hostile.cpp's org definition).
inline constexpr const char* kClientId = "3MVG9hostile.key";
inline constexpr const char* kClientSecret = "hostile-secret";
inline constexpr const char* kCallbackEnc = "http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect";

/// The JWT bearer material: the app's certificate is made from Key(); OtherKey() signs forgeries.
const std::string& AppKeyPem();
const std::string& AppCertificatePem();
const std::string& OtherKeyPem();

// The case tables.
std::vector<Case> HttpFramingCases();
std::vector<Case> JsonCases();
std::vector<Case> XmlCases();
std::vector<Case> OAuthCases();
std::vector<Case> JwtCases();
std::vector<Case> QueryCases();
std::vector<Case> IdAndHeaderCases();
std::vector<Case> CompositeCases();
std::vector<Case> SoapCases();

}  // namespace sfkit::test::hostile
