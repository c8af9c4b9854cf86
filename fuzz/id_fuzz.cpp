// libFuzzer target for Salesforce ids (src/core/id.cpp). Properties:
//  - Id::Parse accepts exactly the 15-char alphanumeric ids and the 18-char ones whose suffix is
//    the checksum of the first 15 (letter case of the suffix ignored); the reference checksum
//    here is written independently from the documented algorithm;
//  - a refused id gets MALFORMED_ID (400) with `malformed id <input>`;
//  - an accepted id keeps its 15 chars, its 18-char form and its 15-char form parse back to it,
//    and changing the case of any one letter of the 15 changes the 18-char form even when
//    compared case-insensitively (what the suffix is for);
//  - Id::Make from fuzzed prefix, pod and counter gives an id that parses back to itself and
//    whose last 9 of 15 chars are the counter in base 62.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sfkit/core/id.hpp"

#include "fuzz_check.hpp"

namespace {

using sfkit::Id;

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

[[noreturn]] void Die(const char* what, std::string_view input, std::string_view detail) {
    sfkit::fuzz::Die("id_fuzz", what, input, detail);
}

bool IsAlnum(char c) {
    return kBase62.find(c) != std::string_view::npos;
}

bool IsUpper(char c) {
    return c >= 'A' && c <= 'Z';
}

char Upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

std::string UpperAll(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = Upper(c);
    }
    return out;
}

/// The documented checksum: per 5-char chunk, bit i set when char i is an upper-case letter;
/// the 5-bit number indexes "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".
std::string ReferenceSuffix(std::string_view id15) {
    std::string out;
    for (int chunk = 0; chunk < 3; ++chunk) {
        int n = 0;
        for (int i = 4; i >= 0; --i) {
            n = n * 2 + (IsUpper(id15[static_cast<std::size_t>(chunk * 5 + i)]) ? 1 : 0);
        }
        out += n < 26 ? static_cast<char>('A' + n) : static_cast<char>('0' + n - 26);
    }
    return out;
}

bool ShouldParse(std::string_view text) {
    if (text.size() != 15 && text.size() != 18) {
        return false;
    }
    for (char c : text) {
        if (!IsAlnum(c)) {
            return false;
        }
    }
    return text.size() == 15 || UpperAll(text.substr(15)) == ReferenceSuffix(text.substr(0, 15));
}

void CheckParse(std::string_view input) {
    const auto id = Id::Parse(input);
    if (id.has_value() != ShouldParse(input) || Id::IsValid(input) != id.has_value()) {
        Die(id ? "accepted an invalid id" : "refused a valid id", input, "");
    }
    if (!id) {
        const sfkit::Error& e = id.error();
        if (e.code != "MALFORMED_ID" || e.http_status != 400 ||
            e.message != "malformed id " + std::string(input)) {
            Die("malformed id error is not well-formed", input, e.ToString());
        }
        return;
    }
    const std::string& id18 = id->Str18();
    if (id18.size() != 18 || id->Str15() != input.substr(0, 15) ||
        id18.substr(15) != ReferenceSuffix(input.substr(0, 15)) ||
        id->KeyPrefix() != input.substr(0, 3)) {
        Die("parsed id has the wrong forms", input, id18);
    }
    for (const std::string_view form : {std::string_view(id18), id->Str15()}) {
        const auto again = Id::Parse(form);
        if (!again || *again != *id) {
            Die("id form does not parse back to the same id", input, form);
        }
    }
    std::string lower_suffix = id18;
    for (std::size_t i = 15; i < 18; ++i) {
        if (IsUpper(lower_suffix[i])) {
            lower_suffix[i] = static_cast<char>(lower_suffix[i] + 32);
        }
    }
    if (const auto again = Id::Parse(lower_suffix); !again || *again != *id) {
        Die("lower-case suffix not accepted as the same id", input, lower_suffix);
    }
    for (std::size_t i = 0; i < 15; ++i) {
        std::string flipped(id->Str15());
        const char c = flipped[i];
        if (c >= 'a' && c <= 'z') {
            flipped[i] = static_cast<char>(c - 32);
        } else if (IsUpper(c)) {
            flipped[i] = static_cast<char>(c + 32);
        } else {
            continue;
        }
        const auto other = Id::Parse(flipped);
        if (!other || UpperAll(other->Str18()) == UpperAll(id18)) {
            Die("ids differing in case are equal case-insensitively", input, flipped);
        }
    }
}

void CheckMake(std::string_view input) {
    if (input.size() < 13) {
        return;
    }
    std::string prefix;
    std::string pod;
    for (std::size_t i = 0; i < 5; ++i) {
        const char c = kBase62[static_cast<unsigned char>(input[i]) % 62];
        (i < 3 ? prefix : pod) += c;
    }
    std::uint64_t raw = 0;
    for (std::size_t i = 5; i < 13; ++i) {
        raw = raw << 8 | static_cast<unsigned char>(input[i]);
    }
    std::uint64_t max = 1;
    for (int i = 0; i < 9; ++i) {
        max *= 62;
    }
    const std::uint64_t counter = raw % max;
    const Id made = Id::Make(prefix, pod, counter);
    const auto back = Id::Parse(made.Str18());
    if (!back || *back != made || made.KeyPrefix() != prefix ||
        made.Str15().substr(3, 3) != pod + "0") {
        Die("made id does not parse back", input, made.Str18());
    }
    std::uint64_t decoded = 0;
    for (const char c : made.Str15().substr(6)) {
        decoded = decoded * 62 + kBase62.find(c);
    }
    if (decoded != counter) {
        Die("made id does not hold its counter", input, made.Str18());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    CheckParse(input);
    CheckMake(input);
    return 0;
}
