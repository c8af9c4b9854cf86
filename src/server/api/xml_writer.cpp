// XmlWriter implementation.
#include "server/api/xml_writer.hpp"

namespace sfkit::server {

std::string XmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
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
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

XmlWriter::XmlWriter(bool pretty, bool standalone) : pretty_(pretty) {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"";
    out_ += standalone ? " standalone=\"yes\"?>" : "?>";
}

void XmlWriter::Indent() {
    if (pretty_) {
        out_ += '\n';
        out_.append(open_.size() * 4, ' ');
    }
}

void XmlWriter::Open(std::string_view name, const Attributes& attributes) {
    Indent();
    out_ += '<';
    out_ += name;
    for (const auto& [k, v] : attributes) {
        out_ += ' ' + k + "=\"" + XmlEscape(v) + '"';
    }
    out_ += '>';
    open_.emplace_back(name);
}

void XmlWriter::Close() {
    std::string name = std::move(open_.back());
    open_.pop_back();
    Indent();
    out_ += "</" + name + '>';
}

void XmlWriter::Leaf(std::string_view name, std::string_view text) {
    Indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    out_ += XmlEscape(text);
    out_ += "</";
    out_ += name;
    out_ += '>';
}

void XmlWriter::Nil(std::string_view name) {
    Indent();
    out_ += '<';
    out_ += name;
    out_ += " xsi:nil=\"true\"/>";
}

std::string XmlWriter::Finish() && {
    while (!open_.empty()) {
        Close();
    }
    return std::move(out_);
}

}  // namespace sfkit::server
