// XML request bodies: the one place they are checked and loaded, for every caller (REST record
// bodies, SOAP login/logout envelopes). pugixml neither validates UTF-8 nor refuses characters
// XML 1.0 forbids (it stores `&#0;` as a string terminator and `&#99999999;` as bytes that are
// not UTF-8), so each body is first checked against XML 1.0 here. pugixml stays out of this
// header; the `.cpp` of a caller includes it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pugi {
class xml_document;
}

namespace sfkit::codec {

/// Why an XML body was refused and the byte offset where.
struct XmlInputError {
    std::size_t offset = 0;
    std::string reason;
};

/// Checks an XML body at the byte level, before any parser sees it: it must be UTF-8 (an
/// `encoding` in the XML declaration must name UTF-8; a UTF-8 byte order mark is allowed), hold
/// only characters of XML 1.0's `Char` production (no NUL or other C0 controls but TAB/LF/CR, no
/// U+FFFE/U+FFFF), and every character reference (`&#N;`, `&#xH;`) outside comments, CDATA and
/// processing instructions must be well formed and name such a character (not 0, not a
/// surrogate, not above U+10FFFF). It also refuses what pugixml would quietly accept although
/// it is not well-formed or not safe: a DOCTYPE or other `<!` declaration (no DTD is ever read,
/// so no entity expansion or external entity), an entity reference other than XML's five
/// predefined ones, a bare `&`, text or a second element outside the root element. A plain
/// function on bytes, also the fuzz target's entry.
std::optional<XmlInputError> CheckXmlInput(std::string_view body);

/// CheckXmlInput, then pugixml on the same bytes as UTF-8 with `pugi_options` (a pugi::parse_*
/// mask). On a syntax error the reason is pugixml's description.
std::optional<XmlInputError> LoadXmlInput(pugi::xml_document& doc,
                                          std::string_view body,
                                          unsigned pugi_options);

/// `[row,col]:[r,c]` (1-based, as Java's StAX parsers report positions) of a byte offset.
std::string XmlRowCol(std::string_view body, std::size_t offset);

}  // namespace sfkit::codec
