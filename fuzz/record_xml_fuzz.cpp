// libFuzzer target for XML record bodies (ParseRecordBody with BodyFormat::kXml, as
// POST/PATCH .../sobjects/Account answer an application/xml body). Properties:
//  - a body that is not a well-formed XML 1.0 document at the byte level (bytes that are not
//    UTF-8, characters outside XML's Char production, `&#0;`, `&#99999999;`) is refused with
//    400 XML_PARSER_ERROR;
//  - any other refusal is a 400 ApiError with a code and a message;
//  - an accepted body yields assignments to Account fields whose text values are valid UTF-8
//    made of XML Chars (what the record store and every later JSON answer rely on).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_check.hpp"
#include "server/api/record_input.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/schema.hpp"

namespace {

using sfkit::server::ApiError;

[[noreturn]] void Die(const char* what, std::string_view input, const std::string& detail) {
    sfkit::fuzz::Die("record_xml_fuzz", what, input, detail);
}

const sfkit::server::ObjectDef& Account() {
    static const sfkit::server::Schema schema = sfkit::server::Schema::Standard();
    static const sfkit::server::ObjectDef* account = schema.FindObject("Account");
    return *account;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const bool must_refuse =
        !sfkit::fuzz::IsXmlText(input) || sfkit::fuzz::HasIllegalCharReference(input);
    std::vector<sfkit::server::FieldAssignment> assignments;
    try {
        assignments =
            sfkit::server::ParseRecordBody(Account(), sfkit::server::BodyFormat::kXml, input);
    } catch (const ApiError& e) {
        if (e.status != 400 || e.items.empty() || e.items.front().code.empty() ||
            e.items.front().message.empty()) {
            Die("refusal is not a 400 error with code and message", input, e.what());
        }
        if (must_refuse && e.items.front().code != "XML_PARSER_ERROR") {
            Die("XML that is not well-formed refused with another code",
                input,
                e.items.front().code + ": " + e.items.front().message);
        }
        return 0;
    }
    if (must_refuse) {
        Die("accepted XML that is not well-formed (bytes or character references)", input, "");
    }
    for (const auto& a : assignments) {
        if (a.field == nullptr || Account().FindField(a.field->name) != a.field) {
            Die("assignment to a field that is not Account's", input, "");
        }
        if (const auto* s = std::get_if<std::string>(&a.value);
            s != nullptr && !sfkit::fuzz::IsXmlText(*s)) {
            Die("accepted value is not valid UTF-8 XML text", input, a.field->name + ": " + *s);
        }
    }
    return 0;
}
