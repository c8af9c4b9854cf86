// Request builders and key material shared by the hostile-input case tables.
#include "hostile/hostile.hpp"

#include "sfkit/client/http.hpp"

#include "support/rsa_test_keys.hpp"

namespace sfkit::test::hostile {
namespace {

const RsaTestKey& AppKey() {
    static const RsaTestKey key = MakeRsaTestKey();
    return key;
}

}  // namespace

std::string_view Describe(ExpectedAfterFix why) {
    switch (why) {
        case ExpectedAfterFix::kNone:
            return "passes on main";
        case ExpectedAfterFix::kDefect2XmlText:
            return "defect 2: XML input must refuse invalid text with XML_PARSER_ERROR (400)";
        case ExpectedAfterFix::kDefect3Utf8Echo:
            return "defect 3: error bodies must be valid UTF-8 (echoed bytes replaced/escaped)";
        case ExpectedAfterFix::kDefect4LongCondition:
            return "defect 4: 1,000-term flat conditions must not answer 500";
        case ExpectedAfterFix::kDefect6Chunked:
            return "defect 6: malformed chunked bodies must be answered 400";
        case ExpectedAfterFix::kNewTransferEncoding:
            return "new finding: a Transfer-Encoding other than a final 'chunked' must be refused";
        case ExpectedAfterFix::kNewHostHeader:
            return "new finding: a Host header that is not a host[:port] must be refused (400)";
        case ExpectedAfterFix::kNewXmlWellFormed:
            return "new finding: XML that is not well-formed (undeclared entity, bare '&', DTD, "
                   "two roots) must be refused with XML_PARSER_ERROR";
    }
    return "?";
}

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

std::string Request(std::string_view method,
                    std::string_view target,
                    const std::vector<std::string>& headers,
                    std::string_view body,
                    bool auth) {
    std::string r;
    r.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    r += "Host: 127.0.0.1:{PORT}\r\nConnection: close\r\n";
    if (auth) {
        r += "Authorization: Bearer {TOKEN}\r\n";
    }
    for (const auto& h : headers) {
        r += h + "\r\n";
    }
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
        r += "Content-Length: {LEN}\r\n";
    }
    r += "\r\n";
    r.append(body);
    return r;
}

std::string Enc(std::string_view text) {
    return client::PercentEncode(text);
}

const std::string& AppKeyPem() {
    return AppKey().private_key_pem;
}

const std::string& AppCertificatePem() {
    return AppKey().certificate_pem;
}

const std::string& OtherKeyPem() {
    static const RsaTestKey key = MakeRsaTestKey();
    return key.private_key_pem;
}

}  // namespace sfkit::test::hostile
