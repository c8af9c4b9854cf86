// Id parsing, checksum and construction. The checksum algorithm is Salesforce's documented one:
// for each 5-char chunk, a bit per uppercase letter (LSB = first char) indexes "A..Z0..5".
#include "sfkit/core/id.hpp"

#include <array>

namespace sfkit {
namespace {

constexpr std::string_view kSuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char ToUpper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

Error Malformed(std::string_view text) {
    return MakeError(
        ErrorKind::kInvalidArgument, "MALFORMED_ID", "malformed id " + std::string(text), 400);
}

}  // namespace

std::string Id::Suffix(std::string_view id15) {
    std::string suffix;
    suffix.reserve(3);
    for (std::size_t chunk = 0; chunk < 3; ++chunk) {
        unsigned bits = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            const char c = id15[chunk * 5 + i];
            if (c >= 'A' && c <= 'Z') {
                bits |= 1u << i;
            }
        }
        suffix.push_back(kSuffixAlphabet[bits]);
    }
    return suffix;
}

Result<Id> Id::Parse(std::string_view text) {
    if (text.size() != 15 && text.size() != 18) {
        return Malformed(text);
    }
    for (char c : text) {
        if (!IsAlnum(c)) {
            return Malformed(text);
        }
    }
    const std::string_view id15 = text.substr(0, 15);
    std::string id18(id15);
    id18 += Suffix(id15);
    if (text.size() == 18) {
        for (std::size_t i = 15; i < 18; ++i) {
            if (ToUpper(text[i]) != id18[i]) {
                return Malformed(text);
            }
        }
    }
    return Id(std::move(id18));
}

bool Id::IsValid(std::string_view text) {
    return Parse(text).has_value();
}

Id Id::Make(std::string_view key_prefix, std::string_view pod, std::uint64_t counter) {
    std::string id15;
    id15.reserve(18);
    id15.append(key_prefix.substr(0, 3));
    id15.append(pod.substr(0, 2));
    id15.push_back('0');
    std::array<char, 9> digits{};
    for (std::size_t i = 9; i-- > 0;) {
        digits[i] = kBase62[counter % 62];
        counter /= 62;
    }
    id15.append(digits.data(), digits.size());
    id15 += Suffix(id15);
    return Id(std::move(id15));
}

}  // namespace sfkit
