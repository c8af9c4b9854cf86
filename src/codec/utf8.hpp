// Strict UTF-8: decoding (Unicode's well-formed byte sequences only: no overlong forms, no
// surrogates, nothing above U+10FFFF), validation, and repair of text that is echoed back to a
// client (every malformed sequence becomes U+FFFD). Every body the server writes goes through
// these (the JSON and XML writers, HTML escaping), so no answer carries bytes that are not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sfkit::codec {

inline constexpr char32_t kReplacementChar = U'\uFFFD';
/// U+FFFD as UTF-8 bytes.
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

/// One decoding step: the code point at a position and how many bytes it takes. A malformed
/// sequence decodes as `valid == false`, `cp == U+FFFD`, with `length` the bytes of its maximal
/// well-formed prefix (at least 1), as Unicode's "best practice for U+FFFD substitution".
struct Utf8Char {
    char32_t cp = 0;
    std::size_t length = 1;
    bool valid = true;
};

/// Decodes the sequence starting at `text[pos]` (`pos < text.size()`).
Utf8Char DecodeUtf8(std::string_view text, std::size_t pos);

/// Byte offset of the first malformed sequence, or `npos` when `text` is valid UTF-8.
std::size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
    return FindInvalidUtf8(text) == std::string_view::npos;
}

/// Appends `text` with each malformed sequence replaced by U+FFFD.
void AppendValidUtf8(std::string& out, std::string_view text);

/// `text` with each malformed sequence replaced by U+FFFD (a copy when it is already valid).
std::string ToValidUtf8(std::string_view text);

/// XML 1.0's `Char` production: TAB, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF.
constexpr bool IsXmlChar(char32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/// Appends `text` with each malformed sequence and each character XML 1.0 cannot carry (not
/// even as a reference: NUL, C0 controls but TAB/LF/CR, U+FFFE, U+FFFF) replaced by U+FFFD.
/// No markup escaping: for text handed to an XML writer.
void AppendXmlChars(std::string& out, std::string_view text);

/// AppendXmlChars into a new string.
std::string ToXmlChars(std::string_view text);

/// `text` for XML or HTML character data and attribute values: ToXmlChars, then `&`, `<`, `>`
/// as entities and, with `quotes`, `"` and `'` as `&quot;` and `&apos;` (HTML5 knows both).
/// One escape for the server's XML and HTML answers and the client's loopback page.
std::string EscapeMarkup(std::string_view text, bool quotes = true);

}  // namespace sfkit::codec
