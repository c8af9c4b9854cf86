// libFuzzer target for the JSON codec (src/codec/json.*). Properties:
//  - a refused input gets JSON_PARSER_ERROR (400, kInvalidArgument) whose message is
//    `Unexpected end-of-input at [line:L, column:C]` pointing just past the end of the input, or
//    `Unexpected character (('c' )(code N)) at [line:L, column:C]` pointing at a byte of the
//    input that is that character;
//  - whatever parses re-serialises (compact and pretty) to valid UTF-8 that parses back to an
//    equal value and serialises identically again; the one deliberate exception is a number too
//    large for a double (`1e309`), which parses to an infinity that is written as Jackson writes
//    it, the string "Infinity" / "-Infinity";
//  - a document that is a single number reads as the correctly rounded double of its text;
//  - any valid UTF-8 text written as a JSON string literal (AppendJsonString) reads back as
//    itself.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "fuzz_check.hpp"

namespace {

using sfkit::codec::ParseJson;

[[noreturn]] void Die(const char* what, std::string_view input, std::string_view detail) {
    sfkit::fuzz::Die("json_codec_fuzz", what, input, detail);
}

/// Parses the decimal number at `s[*pos]`; -1 when there is none.
long ReadNumber(std::string_view s, std::size_t* pos) {
    long n = -1;
    while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9' && n < 100000000) {
        n = (n < 0 ? 0 : n * 10) + (s[*pos] - '0');
        ++*pos;
    }
    return n;
}

/// Byte offset of 1-based (line, column) in `text` (columns count bytes, as ParseJson does);
/// npos when the text has no such position.
std::size_t OffsetOf(std::string_view text, long line, long column) {
    std::size_t at = 0;
    for (long l = 1; l < line; ++l) {
        const auto nl = text.find('\n', at);
        if (nl == std::string_view::npos) {
            return std::string_view::npos;
        }
        at = nl + 1;
    }
    const auto line_end = std::min(text.find('\n', at), text.size());
    const auto offset = at + static_cast<std::size_t>(column - 1);
    return offset <= line_end ? offset : std::string_view::npos;
}

void CheckError(std::string_view input, const sfkit::Error& e) {
    if (e.code != "JSON_PARSER_ERROR" || e.http_status != 400 ||
        e.kind != sfkit::ErrorKind::kInvalidArgument) {
        Die("error is not a 400 JSON_PARSER_ERROR", input, e.ToString());
    }
    if (!sfkit::fuzz::IsValidUtf8(e.message)) {
        Die("error message is not valid UTF-8", input, e.message);
    }
    const auto at = e.message.rfind(" at [line:");
    if (at == std::string::npos || e.message.back() != ']') {
        Die("error message without position", input, e.message);
    }
    std::size_t pos = at + 10;
    const long line = ReadNumber(e.message, &pos);
    if (e.message.compare(pos, 9, ", column:") != 0) {
        Die("malformed position", input, e.message);
    }
    pos += 9;
    const long column = ReadNumber(e.message, &pos);
    if (line < 1 || column < 1 || pos + 1 != e.message.size()) {
        Die("malformed position", input, e.message);
    }
    const std::size_t offset = OffsetOf(input, line, column);
    if (offset == std::string_view::npos) {
        Die("position outside the input", input, e.message);
    }
    const std::string_view what = std::string_view(e.message).substr(0, at);
    if (what == "Unexpected end-of-input") {
        if (offset != input.size()) {
            Die("end-of-input error not at the end", input, e.message);
        }
        return;
    }
    if (offset >= input.size()) {
        Die("character error past the end of the input", input, e.message);
    }
    const auto c = static_cast<unsigned char>(input[offset]);
    const std::string code = "(code " + std::to_string(c) + ")";
    const std::string expected =
        c >= 0x20 && c < 0x7f
            ? "Unexpected character ('" + std::string(1, char(c)) + "' " + code + ")"
            : "Unexpected character " + code;
    if (what != expected) {
        Die("error does not name the character at its position", input, e.message);
    }
}

/// `b` is what `a` reads back as after WriteJson: equal, except that infinities come back as
/// Jackson's strings.
bool ReadsBackAs(const boost::json::value& a, const boost::json::value& b) {
    if (a.is_double() && std::isinf(a.get_double())) {
        return b.is_string() && b.get_string() == (a.get_double() > 0 ? "Infinity" : "-Infinity");
    }
    if (a.is_array() && b.is_array()) {
        const auto& x = a.get_array();
        const auto& y = b.get_array();
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), ReadsBackAs);
    }
    if (a.is_object() && b.is_object()) {
        const auto& x = a.get_object();
        const auto& y = b.get_object();
        return x.size() == y.size() &&
               std::equal(x.begin(), x.end(), y.begin(), [](const auto& p, const auto& q) {
                   return p.key() == q.key() && ReadsBackAs(p.value(), q.value());
               });
    }
    return a == b;
}

void CheckRoundTrip(std::string_view input, const boost::json::value& v, bool pretty) {
    const std::string written = sfkit::codec::WriteJson(v, pretty);
    if (!sfkit::fuzz::IsValidUtf8(written)) {
        Die("serialised JSON is not valid UTF-8", input, written);
    }
    const auto again = ParseJson(written);
    if (!again) {
        Die("serialised JSON does not parse", input, written + "\n" + again.error().message);
    }
    if (!ReadsBackAs(v, *again)) {
        Die("serialised JSON parses to a different value", input, written);
    }
    if (sfkit::codec::WriteJson(*again, pretty) != written) {
        Die("serialisation is not stable", input, written);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto parsed = ParseJson(input);
    if (!parsed) {
        CheckError(input, parsed.error());
    } else {
        if (parsed->is_double() && std::isfinite(parsed->get_double())) {
            // A document that is one number: the value is the correctly rounded double of its
            // text (glibc's strtod as the independent reference).
            const std::string text(input);
            char* end = nullptr;
            const double expected = std::strtod(text.c_str(), &end);
            if (end != text.c_str() && parsed->get_double() != expected) {
                Die("number not read as its correctly rounded double", input, "");
            }
        }
        CheckRoundTrip(input, *parsed, false);
        CheckRoundTrip(input, *parsed, true);
    }
    if (sfkit::fuzz::IsValidUtf8(input)) {
        std::string literal;
        sfkit::codec::AppendJsonString(literal, input);
        const auto back = ParseJson(literal);
        if (!back || !back->is_string() || back->get_string() != input) {
            Die("string literal does not read back as itself", input, literal);
        }
    }
    return 0;
}
