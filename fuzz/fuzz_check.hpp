// Shared by the fuzz targets: failing a check (print what and where, then abort so that libFuzzer
// and the CTest replay both stop) and independent reference checks of text (UTF-8, XML Char).
// Deliberately separate from the code under test: an oracle must not share its bugs.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sfkit::fuzz {

/// `text` with bytes outside printable ASCII written as \xHH (for failure messages).
inline std::string Printable(std::string_view text, std::size_t limit = 2000) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

/// Reports a failed property and aborts.
[[noreturn]] inline void Die(const char* target,
                             const char* what,
                             std::string_view input,
                             std::string_view detail) {
    std::fprintf(stderr,
                 "%s: %s\ninput: %s\ndetail: %s\n",
                 target,
                 what,
                 Printable(input).c_str(),
                 Printable(detail).c_str());
    std::abort();
}

/// Decodes one UTF-8 sequence at `s[*pos]` strictly (no overlong forms, no surrogates, nothing
/// above U+10FFFF) and advances `*pos`; returns -1 for a malformed sequence.
inline long DecodeUtf8(std::string_view s, std::size_t* pos) {
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = at(*pos);
    std::size_t len = 0;
    long cp = 0;
    long min = 0;
    if (c < 0x80) {
        ++*pos;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (*pos + len > s.size()) {
        return -1;
    }
    for (std::size_t i = 1; i < len; ++i) {
        if ((at(*pos + i) & 0xC0) != 0x80) {
            return -1;
        }
        cp = (cp << 6) | (at(*pos + i) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return -1;
    }
    *pos += len;
    return cp;
}

/// True when `s` is well-formed UTF-8 (RFC 3629).
inline bool IsValidUtf8(std::string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
        if (DecodeUtf8(s, &pos) < 0) {
            return false;
        }
    }
    return true;
}

/// XML 1.0 `Char`: what a well-formed document may contain (no NUL, no other C0 controls but
/// tab, LF and CR, no surrogates, no U+FFFE/U+FFFF).
inline bool IsXmlChar(long cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/// True when `s` is valid UTF-8 made only of XML Chars (what an XML reader may hand out).
inline bool IsXmlText(std::string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
        const long cp = DecodeUtf8(s, &pos);
        if (cp < 0 || !IsXmlChar(cp)) {
            return false;
        }
    }
    return true;
}

/// True when the XML document `doc` holds a character reference (`&#N;`, `&#xH;`) to something
/// that is not an XML Char (`&#0;`, `&#99999999;`), outside comments, CDATA sections and
/// processing instructions (where `&#` is plain text). A conforming reader refuses such a
/// document (XML 1.0, "Well-formedness constraint: Legal Character").
inline bool HasIllegalCharReference(std::string_view doc) {
    std::size_t i = 0;
    while (i < doc.size()) {
        const std::string_view rest = doc.substr(i);
        const auto skip_to = [&](std::string_view end) {
            const auto e = doc.find(end, i);
            i = e == std::string_view::npos ? doc.size() : e + end.size();
        };
        if (rest.starts_with("<!--")) {
            skip_to("-->");
        } else if (rest.starts_with("<![CDATA[")) {
            skip_to("]]>");
        } else if (rest.starts_with("<?")) {
            skip_to("?>");
        } else if (rest.starts_with("&#")) {
            std::size_t j = 2;
            const bool hex = j < rest.size() && rest[j] == 'x';
            j += hex ? 1 : 0;
            long cp = 0;
            std::size_t digits = 0;
            for (; j < rest.size(); ++j, ++digits) {
                const char c = rest[j];
                int d = -1;
                if (c >= '0' && c <= '9') {
                    d = c - '0';
                } else if (hex && c >= 'a' && c <= 'f') {
                    d = c - 'a' + 10;
                } else if (hex && c >= 'A' && c <= 'F') {
                    d = c - 'A' + 10;
                }
                if (d < 0) {
                    break;
                }
                cp = cp > 0x10FFFF ? cp : cp * (hex ? 16 : 10) + d;
            }
            if (digits > 0 && j < rest.size() && rest[j] == ';' && !IsXmlChar(cp)) {
                return true;
            }
            i += 2;
        } else {
            ++i;
        }
    }
    return false;
}

}  // namespace sfkit::fuzz
