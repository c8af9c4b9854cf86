// Strict UTF-8 decoding and repair (Unicode 15, table 3-7 "Well-Formed UTF-8 Byte Sequences").
#include "codec/utf8.hpp"

namespace sfkit::codec {
namespace {

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
}

}  // namespace

Utf8Char DecodeUtf8(std::string_view text, std::size_t pos) {
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
    const unsigned char b0 = at(0);
    if (b0 < 0x80) {
        return {b0, 1, true};
    }
    std::size_t need = 0;
    // Bounds of the second byte; later bytes are always 80..BF.
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    char32_t cp = 0;
    if (InRange(b0, 0xC2, 0xDF)) {
        need = 1;
        cp = b0 & 0x1F;
    } else if (InRange(b0, 0xE0, 0xEF)) {
        need = 2;
        cp = b0 & 0x0F;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
        hi = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (InRange(b0, 0xF0, 0xF4)) {
        need = 3;
        cp = b0 & 0x07;
        lo = b0 == 0xF0 ? 0x90 : 0x80;  // no overlong forms
        hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    } else {
        return {kReplacementChar, 1, false};
    }
    for (std::size_t i = 1; i <= need; ++i) {
        if (pos + i >= text.size()) {
            return {kReplacementChar, i, false};
        }
        const unsigned char b = at(i);
        if (!(i == 1 ? InRange(b, lo, hi) : InRange(b, 0x80, 0xBF))) {
            return {kReplacementChar, i, false};
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, need + 1, true};
}

std::size_t FindInvalidUtf8(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const Utf8Char c = DecodeUtf8(text, pos);
        if (!c.valid) {
            return pos;
        }
        pos += c.length;
    }
    return std::string_view::npos;
}

void AppendValidUtf8(std::string& out, std::string_view text) {
    std::size_t bad = FindInvalidUtf8(text);
    while (bad != std::string_view::npos) {
        out.append(text.substr(0, bad));
        out += kReplacementUtf8;
        text.remove_prefix(bad + DecodeUtf8(text, bad).length);
        bad = FindInvalidUtf8(text);
    }
    out.append(text);
}

std::string ToValidUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    AppendValidUtf8(out, text);
    return out;
}

void AppendXmlChars(std::string& out, std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b >= 0x20 && b < 0x80) {
            out += static_cast<char>(b);
            ++pos;
            continue;
        }
        const Utf8Char c = DecodeUtf8(text, pos);
        if (c.valid && IsXmlChar(c.cp)) {
            out.append(text.substr(pos, c.length));
        } else {
            out += kReplacementUtf8;
        }
        pos += c.length;
    }
}

std::string ToXmlChars(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    AppendXmlChars(out, text);
    return out;
}

std::string EscapeMarkup(std::string_view text, bool quotes) {
    std::string out;
    out.reserve(text.size());
    // Echoed text may hold bytes that are not UTF-8 or characters XML cannot carry: U+FFFD.
    for (char c : ToXmlChars(text)) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += quotes ? "&quot;" : "\"";
                break;
            case '\'':
                out += quotes ? "&apos;" : "'";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace sfkit::codec
