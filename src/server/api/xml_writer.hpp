// A minimal XML writer for REST responses. We write XML by hand rather than through pugixml so
// that escaping matches Salesforce (apostrophes as `&apos;`, §B.1) and layout is exact.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::json {
class value;
}

namespace sfkit::server {

class XmlWriter {
public:
    /// Starts a document with `<?xml version="1.0" encoding="UTF-8"[ standalone="yes"]?>`.
    /// `pretty` indents nested elements by 4 spaces, one element per line.
    explicit XmlWriter(bool pretty, bool standalone = false);

    using Attributes = std::vector<std::pair<std::string, std::string>>;

    void Open(std::string_view name, const Attributes& attributes = {});
    void Close();
    /// `<name>text</name>`, text escaped.
    void Leaf(std::string_view name, std::string_view text);
    /// `<name xsi:nil="true"/>`.
    void Nil(std::string_view name);

    /// Closes open elements and returns the document.
    std::string Finish() &&;

private:
    void Indent();
    bool pretty_;
    std::string out_;
    std::vector<std::string> open_;
};

/// Writes a JSON value as XML under element `name`, for resources whose XML form mirrors their
/// JSON: objects become nested elements, arrays repeat the element, null is xsi:nil, doubles
/// print Java-style. Keys that are not XML names (e.g. connected-app names with spaces) are
/// skipped.
void WriteJsonAsXml(XmlWriter& w, std::string_view name, const boost::json::value& v);

/// Escapes `&`, `<`, `>`, `"` and `'` as XML entities (the quotes only when `quotes`: Bulk API
/// 1.0 writes them as they are); malformed UTF-8 and characters XML 1.0 cannot carry become
/// U+FFFD (codec::ToXmlChars).
std::string XmlEscape(std::string_view text, bool quotes = true);

inline constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

}  // namespace sfkit::server
