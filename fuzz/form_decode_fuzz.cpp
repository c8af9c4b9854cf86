// libFuzzer target for form and query-string decoding as the OAuth endpoints and
// /parameterizedSearch read them (PercentDecode, ParseForm, Request::QueryParam in
// src/server/http/message.*). Properties:
//  - PercentDecode refuses exactly the texts with a `%` not followed by two hex digits, and
//    otherwise turns each `%XX` into one byte (and `+` into a space in form mode) and leaves every
//    other byte alone;
//  - what ParseForm accepts has one pair per non-empty `&`-separated part, and the client's
//    FormEncode of those pairs (how libsfkit writes token requests) parses back to them;
//  - QueryParam(name) is the value of the first pair with that name.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sfkit/client/http.hpp"

#include "fuzz_check.hpp"
#include "server/http/message.hpp"

namespace {

using sfkit::server::ParseForm;
using sfkit::server::PercentDecode;

[[noreturn]] void Die(const char* what, std::string_view input, std::string_view detail) {
    sfkit::fuzz::Die("form_decode_fuzz", what, input, detail);
}

int Hex(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// Independent decoder: nullopt for a bad escape.
std::optional<std::string> Reference(std::string_view text, bool plus_is_space) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (text.size() - i < 3 || Hex(text[i + 1]) < 0 || Hex(text[i + 2]) < 0) {
                return std::nullopt;
            }
            out += static_cast<char>(Hex(text[i + 1]) * 16 + Hex(text[i + 2]));
            i += 2;
        } else {
            out += plus_is_space && text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

void CheckDecode(std::string_view input, bool plus_is_space) {
    const auto decoded = PercentDecode(input, plus_is_space);
    if (decoded != Reference(input, plus_is_space)) {
        Die("PercentDecode differs from the reference decoder",
            input,
            decoded ? *decoded : std::string("(refused)"));
    }
    if (decoded) {
        const auto back = PercentDecode(sfkit::client::PercentEncode(*decoded), plus_is_space);
        if (back != decoded) {
            Die("PercentEncode does not decode back", input, *decoded);
        }
    }
}

void CheckForm(std::string_view input) {
    const auto pairs = ParseForm(input);
    std::size_t parts = 0;
    bool decodable = true;
    for (std::size_t at = 0; at <= input.size();) {
        const auto amp = std::min(input.find('&', at), input.size());
        const std::string_view part = input.substr(at, amp - at);
        if (!part.empty()) {
            ++parts;
            decodable = decodable && Reference(part, true).has_value();
        }
        at = amp + 1;
    }
    if (pairs.has_value() != decodable) {
        Die(pairs ? "accepted a form with a bad escape" : "refused a well-formed form", input, "");
    }
    if (!pairs) {
        return;
    }
    if (pairs->size() != parts) {
        Die("pair count differs from the part count", input, std::to_string(pairs->size()));
    }
    const std::string encoded = sfkit::client::FormEncode(*pairs);
    if (ParseForm(encoded) != pairs) {
        Die("FormEncode of the pairs does not parse back", input, encoded);
    }
    sfkit::server::Request req;
    req.query = std::string(input);
    for (std::size_t i = 0; i < pairs->size() && i < 16; ++i) {
        const std::string& name = (*pairs)[i].first;
        std::size_t first = 0;
        while ((*pairs)[first].first != name) {
            ++first;
        }
        if (first == i && req.QueryParam(name) != (*pairs)[i].second) {
            Die("QueryParam is not the first value of its name", input, name);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    CheckDecode(input, true);
    CheckDecode(input, false);
    CheckForm(input);
    return 0;
}
