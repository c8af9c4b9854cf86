// XML 1.0 checks on request bodies (see the header) and the pugixml load behind them.
#include "codec/xml_input.hpp"

#include <cstdio>

#include <pugixml.hpp>

#include "codec/json.hpp"
#include "codec/utf8.hpp"

namespace sfkit::codec {
namespace {

std::string Hex(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(cp));
    return buf;
}

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char Lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// The `encoding` pseudo-attribute of an XML declaration starting at `body[pos]`, with its
/// offset; nullopt when there is no declaration or it names no encoding.
std::optional<std::pair<std::string_view, std::size_t>> DeclaredEncoding(std::string_view body,
                                                                         std::size_t pos) {
    if (body.substr(pos, 5) != "<?xml" || pos + 5 >= body.size() || !IsSpace(body[pos + 5])) {
        return std::nullopt;
    }
    const std::size_t end = body.find("?>", pos);
    const std::string_view decl =
        body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    std::size_t at = decl.find("encoding");
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    at += 8;
    while (at < decl.size() && (IsSpace(decl[at]) || decl[at] == '=')) {
        ++at;
    }
    if (at >= decl.size() || (decl[at] != '"' && decl[at] != '\'')) {
        return std::nullopt;
    }
    const char quote = decl[at];
    const std::size_t close = decl.find(quote, at + 1);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    return std::make_pair(decl.substr(at + 1, close - at - 1), pos + at + 1);
}

std::optional<XmlInputError> CheckCharRef(std::string_view body,
                                          std::size_t pos,
                                          std::size_t* next);

/// Checks the reference at `body[pos]` (which is `&`): a character reference or one of XML's
/// five predefined entities (no DTD is read, so no other entity is declared). On success returns
/// nullopt and sets `*next` past its `;`.
std::optional<XmlInputError> CheckReference(std::string_view body,
                                            std::size_t pos,
                                            std::size_t* next) {
    if (pos + 1 < body.size() && body[pos + 1] == '#') {
        return CheckCharRef(body, pos, next);
    }
    for (const std::string_view name : {"amp;", "lt;", "gt;", "quot;", "apos;"}) {
        if (body.substr(pos + 1, name.size()) == name) {
            *next = pos + 1 + name.size();
            return std::nullopt;
        }
    }
    std::size_t end = pos + 1;
    while (end < body.size() && end < pos + 64 && body[end] != ';' && body[end] != '<' &&
           !IsSpace(body[end])) {
        ++end;
    }
    if (end < body.size() && body[end] == ';' && end > pos + 1) {
        return XmlInputError{pos,
                             "Undeclared general entity \"" +
                                 ToValidUtf8(body.substr(pos + 1, end - pos - 1)) + "\""};
    }
    return XmlInputError{pos,
                         "Unexpected character after '&': expected an entity or character "
                         "reference ending in ';'"};
}

/// Checks the character reference at `body[pos]` (which starts with `&#`); on success returns
/// nullopt and sets `*next` past its `;`.
std::optional<XmlInputError> CheckCharRef(std::string_view body,
                                          std::size_t pos,
                                          std::size_t* next) {
    std::size_t i = pos + 2;
    const bool hex = i < body.size() && body[i] == 'x';
    if (hex) {
        ++i;
    }
    const std::size_t digits_at = i;
    char32_t cp = 0;
    bool overflow = false;
    for (; i < body.size() && body[i] != ';'; ++i) {
        const char c = body[i];
        unsigned d = 0;
        if (c >= '0' && c <= '9') {
            d = static_cast<unsigned>(c - '0');
        } else if (hex && Lower(c) >= 'a' && Lower(c) <= 'f') {
            d = static_cast<unsigned>(Lower(c) - 'a' + 10);
        } else {
            return XmlInputError{i,
                                 std::string("Malformed character reference: expected ") +
                                     (hex ? "a hex digit (0-9a-fA-F)" : "a decimal digit") +
                                     " or ';'"};
        }
        cp = cp * (hex ? 16 : 10) + d;
        if (cp > 0x10FFFF) {
            overflow = true;
            cp = 0x110000;  // keeps the loop from wrapping; reported as too large
        }
    }
    if (i >= body.size() || i == digits_at) {
        return XmlInputError{i, "Malformed character reference: expected digits and ';'"};
    }
    if (overflow || !IsXmlChar(cp)) {
        return XmlInputError{pos,
                             "Illegal character entity: expansion character (code " +
                                 (overflow ? std::string("above 0x10ffff") : Hex(cp)) +
                                 ") not a valid XML character"};
    }
    *next = i + 1;
    return std::nullopt;
}

}  // namespace

std::optional<XmlInputError> CheckXmlInput(std::string_view body) {
    std::size_t pos = 0;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") {
        pos = 3;
    }
    if (const auto enc = DeclaredEncoding(body, pos)) {
        std::string name(enc->first);
        for (char& c : name) {
            c = Lower(c);
        }
        if (name != "utf-8" && name != "utf8") {
            return XmlInputError{enc->second,
                                 "Unsupported encoding '" + ToValidUtf8(enc->first) +
                                     "' in the XML declaration: request bodies must be UTF-8"};
        }
    }
    // Markup whose content holds no references: where each ends.
    struct Skip {
        std::string_view open;
        std::string_view close;
    };
    static constexpr Skip kSkips[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
    std::string_view skip_until;
    // Where the scan is in the element structure: inside a tag (and in which quotes), whether
    // that tag closes an element, the depth of open elements and how many roots were seen. The
    // parser checks that tags match; this only finds what it lets through (text or a second
    // element outside the root).
    bool in_tag = false;
    bool closing_tag = false;
    char quote = 0;
    int depth = 0;
    int roots = 0;
    while (pos < body.size()) {
        const char c = body[pos];
        if (!skip_until.empty()) {
            if (body.substr(pos, skip_until.size()) == skip_until) {
                pos += skip_until.size();
                skip_until = {};
                continue;
            }
        } else if (in_tag) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                in_tag = false;
                if (closing_tag) {
                    --depth;
                } else {
                    roots += depth == 0 ? 1 : 0;
                    depth += body[pos - 1] == '/' ? 0 : 1;  // `<a/>` opens nothing
                }
                if (roots > 1) {
                    return XmlInputError{pos, "Illegal to have multiple roots"};
                }
                ++pos;
                continue;
            }
        } else if (c == '<') {
            for (const Skip& s : kSkips) {
                if (body.substr(pos, s.open.size()) == s.open) {
                    skip_until = s.close;
                    pos += s.open.size();
                    break;
                }
            }
            if (!skip_until.empty()) {
                continue;
            }
            if (body.substr(pos, 2) == "<!") {
                // DTDs declare entities (billion laughs, external entities): never read.
                return XmlInputError{pos, "DOCTYPE and other declarations are not allowed"};
            }
            in_tag = true;
            closing_tag = pos + 1 < body.size() && body[pos + 1] == '/';
            ++pos;
            continue;
        } else if (depth == 0 && !IsSpace(c)) {
            return XmlInputError{pos, "Illegal character data outside the root element"};
        }
        if (skip_until.empty() && c == '&') {
            std::size_t next = pos;
            if (auto error = CheckReference(body, pos, &next)) {
                return error;
            }
            pos = next;
            continue;
        }
        const auto uc = static_cast<unsigned char>(c);
        if (uc >= 0x20 && uc < 0x80) {
            ++pos;
            continue;
        }
        const Utf8Char ch = DecodeUtf8(body, pos);
        if (!ch.valid) {
            if (uc < 0xC2 || uc > 0xF4) {
                return XmlInputError{pos, "Invalid UTF-8 start byte " + Hex(uc)};
            }
            const std::size_t at = pos + ch.length;
            if (at >= body.size()) {
                return XmlInputError{pos, "Unexpected end of input inside a UTF-8 sequence"};
            }
            return XmlInputError{
                at, "Invalid UTF-8 middle byte " + Hex(static_cast<unsigned char>(body[at]))};
        }
        if (!IsXmlChar(ch.cp)) {
            return XmlInputError{
                pos, "Illegal character (code " + Hex(ch.cp) + "): not a valid XML character"};
        }
        pos += ch.length;
    }
    return std::nullopt;
}

std::optional<XmlInputError> LoadXmlInput(pugi::xml_document& doc,
                                          std::string_view body,
                                          unsigned pugi_options) {
    if (auto error = CheckXmlInput(body)) {
        return error;
    }
    const pugi::xml_parse_result parsed =
        doc.load_buffer(body.data(), body.size(), pugi_options, pugi::encoding_utf8);
    if (!parsed) {
        return XmlInputError{static_cast<std::size_t>(parsed.offset), parsed.description()};
    }
    return std::nullopt;
}

std::string XmlRowCol(std::string_view body, std::size_t offset) {
    const auto [row, col] = LineColumn(body, offset);
    return "[row,col]:[" + std::to_string(row) + "," + std::to_string(col) + "]";
}

}  // namespace sfkit::codec
