// libFuzzer target for the SOAP login/logout envelope reader (ParseSoapEnvelope,
// src/server/auth/soap_login.cpp). Properties:
//  - an envelope that is not a well-formed XML 1.0 document at the byte level (bytes that are
//    not UTF-8, characters outside XML's Char production, `&#0;`, `&#99999999;`) is refused;
//  - a refusal is a soapenv:Client fault with a faultstring in valid UTF-8;
//  - an accepted envelope yields an operation name and username/password/sessionId texts that
//    are valid UTF-8 made of XML Chars.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/auth/soap_login.hpp"

namespace {

[[noreturn]] void Die(const char* what, std::string_view input, const std::string& detail) {
    sfkit::fuzz::Die("soap_envelope_fuzz", what, input, detail);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const bool must_refuse =
        !sfkit::fuzz::IsXmlText(input) || sfkit::fuzz::HasIllegalCharReference(input);
    sfkit::server::SoapFault fault;
    const auto call = sfkit::server::ParseSoapEnvelope(input, &fault);
    if (!call) {
        if (fault.faultcode != "soapenv:Client" || fault.message.empty() ||
            !sfkit::fuzz::IsValidUtf8(fault.message)) {
            Die("refusal is not a soapenv:Client fault with a UTF-8 message",
                input,
                fault.faultcode + ": " + fault.message);
        }
        return 0;
    }
    if (must_refuse) {
        Die("accepted XML that is not well-formed (bytes or character references)", input, "");
    }
    if (call->operation.empty()) {
        Die("accepted envelope without an operation", input, "");
    }
    for (const std::string* text : {&call->operation_ns,
                                    &call->operation,
                                    &call->username,
                                    &call->password,
                                    &call->session_id}) {
        if (!sfkit::fuzz::IsXmlText(*text)) {
            Die("accepted text is not valid UTF-8 XML text", input, *text);
        }
    }
    return 0;
}
