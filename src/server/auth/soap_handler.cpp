// SOAP login() and logout() on /services/Soap/{u,c}/{version} (§A.9).
#include <spdlog/spdlog.h>

#include "server/api/api_versions.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/auth_impl.hpp"
#include "server/auth/tokens.hpp"

namespace sfkit::server {

using namespace oauth;

// ---- SOAP login (§A.9) -----------------------------------------------------------------------

namespace {

constexpr const char* kInvalidLoginMessage =
    "Invalid username, password, security token; or user locked out.";
// §A.5 "Trusted IP / security token" [R] (jsforce#487), including the typographic apostrophe.
constexpr const char* kMustUseTokenMessage =
    "Invalid username, password, security token; or user locked out. Are you at a new location? "
    "When accessing Salesforce--either via a desktop client or the API--from outside of your "
    "company\u2019s trusted networks, you must add a security token to your password to log in. "
    "To get your new security token, log in to Salesforce. From your personal settings, enter "
    "Reset My Security Token in the Quick Find box, then select Reset My Security Token.";
/// First API version without SOAP login() (peers.md §3; forcedotcom/wsc#363 [R]).
constexpr int kFirstVersionWithoutSoapLogin = 65;

Response SoapAnswer(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.SetHeader("Content-Type", "text/xml;charset=UTF-8");
    return r;
}

}  // namespace

Response AuthService::Impl::HandleSoapLogin(Call& call, SoapApi api) {
    const Request& req = call.req;
    if (req.method != "POST") {
        // §A.9 [R]: anything but POST gets an HTML 405 page, not a SOAP fault.
        Response r;
        r.status = 405;
        r.SetHeader("Content-Type", "text/html;charset=UTF-8");
        r.SetHeader("Allow", "POST");
        r.body =
            "<html><head><title>Error 405 Only POST allowed</title></head><body><h2>HTTP ERROR "
            "405</h2><p>Problem accessing " +
            XmlEscape(req.path) + ". Reason:<pre>    Only POST allowed</pre></p></body></html>";
        return r;
    }
    const auto fault = [api](const SoapFault& f) { return SoapAnswer(500, SoapFaultXml(f, api)); };
    const std::string& version = call.Param("version");
    const std::optional<int> major = ParseSoapVersion(version);
    if (!major || *major < kMinApiVersion || *major > kMaxApiVersion) {
        // Retired (< 31.0, §B.0) and unknown versions.
        return fault(
            SoapFault::Api("UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL"));
    }
    SoapFault parse_fault;
    const std::optional<SoapCall> soap = ParseSoapEnvelope(req.body, &parse_fault);
    if (!soap) {
        return fault(parse_fault);
    }
    if (soap->operation_ns != SoapNamespace(api)) {
        // A partner envelope sent to the enterprise endpoint, or the reverse.
        return fault(SoapFault::Client("No operation available for request {" + soap->operation_ns +
                                       "}" + soap->operation +
                                       ", please check the WSDL for the service."));
    }
    if (soap->operation != "login") {
        if (!FindSession(soap->session_id)) {
            return fault(
                SoapFault::Api("INVALID_SESSION_ID",
                               "Invalid Session ID found in SessionHeader: Illegal Session",
                               "UnexpectedErrorFault"));
        }
        if (soap->operation == "logout") {
            // jsforce's logout() for SOAP sessions: the session ends at once.
            RevokeSession(soap->session_id);
            return SoapAnswer(200, SoapLogoutResponseXml(api));
        }
        // Only login() and logout() are served over SOAP; the data calls exist over REST.
        return fault(SoapFault::Api("INVALID_OPERATION",
                                    "The SOAP API call " + soap->operation +
                                        "() is not available in sfkit's local org; use the "
                                        "REST API"));
    }
    if (*major >= kFirstVersionWithoutSoapLogin) {
        return fault(SoapFault::Api("INVALID_OPERATION",
                                    "The SOAP Login operation is not available in the API version "
                                    "specified (" +
                                        version +
                                        "). Refer to the documentation for supported versions."));
    }
    // argon2id runs on the server's blocking pool, not on this I/O thread (defect 11).
    std::shared_ptr<void> slot = AdmitPasswordCheck();
    if (!slot) {
        spdlog::info("SOAP login refused: {} checks already waiting", kMaxPendingPasswordChecks);
        return fault(SoapFault::Login("LOGIN_RATE_EXCEEDED", "Login rate exceeded."));
    }
    Response deferred;
    deferred.deferred = [this,
                         slot,
                         fault,
                         api,
                         username = soap->username,
                         password = soap->password,
                         remote_ip = req.remote_ip,
                         version = std::string(version),
                         base_url = StripTrailingSlash(call.base_url)] {
        const LoginOutcome login =
            VerifyLogin(username, password, remote_ip, /*detect_missing_token=*/true, "SOAP");
        if (login.check == LoginCheck::kNeedsToken) {
            return fault(SoapFault::Login("LOGIN_MUST_USE_SECURITY_TOKEN", kMustUseTokenMessage));
        }
        if (login.check != LoginCheck::kOk) {
            // Unknown user, wrong password, lockout and inactive users look the same (§A.5).
            return fault(SoapFault::Login("INVALID_LOGIN", kInvalidLoginMessage));
        }
        const UserRecord& user = *login.user;
        if (!user.api_enabled) {
            // OAuth issues a token and REST refuses it; SOAP refuses the login itself [M].
            return fault(
                SoapFault::Login("API_CURRENTLY_DISABLED", "API is disabled for this User"));
        }
        // A SOAP session is a full session, usable as a REST Bearer token (§A.4).
        SoapLoginResult r;
        r.session_id = IssueSession(user, /*app_id=*/"", /*app_name=*/"", {"full"}, NowMs());
        r.base_url = base_url;
        r.version = version;
        r.org_id = org.org_id;
        r.org_name = org.name;
        r.user_id = user.id;
        r.profile_id = user.profile_id;
        r.username = user.username;
        r.email = user.email;
        r.full_name =
            user.first_name.empty() ? user.last_name : user.first_name + " " + user.last_name;
        r.session_seconds_valid = session_timeout_ms / 1000;
        spdlog::debug("SOAP login: {}", user.username);
        return SoapAnswer(200, SoapLoginResponseXml(r, api));
    };
    return deferred;
}

}  // namespace sfkit::server
