// Strict UTF-8 validation for tests: what the server writes must pass it.
#pragma once

#include <cstddef>
#include <string_view>

namespace sfkit::test {

/// Byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
/// forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequence), or
/// `text.size()` when all of `text` is well formed.
inline std::size_t FirstInvalidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80;  // allowed range of the second byte
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) {
                lo = 0xA0;  // no overlong 3-byte forms
            } else if (c == 0xED) {
                hi = 0x9F;  // no surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) {
                lo = 0x90;  // no overlong 4-byte forms
            } else if (c == 0xF4) {
                hi = 0x8F;  // nothing above U+10FFFF
            }
        } else {
            return i;  // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF
        }
        if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) {
            return i;
        }
        for (std::size_t k = 2; k < len; ++k) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
                return i;
            }
        }
        i += len;
    }
    return n;
}

/// True when `text` is well-formed UTF-8 (see FirstInvalidUtf8).
inline bool IsValidUtf8(std::string_view text) {
    return FirstInvalidUtf8(text) == text.size();
}

}  // namespace sfkit::test
