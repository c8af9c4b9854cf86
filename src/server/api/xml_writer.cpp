// XmlWriter implementation.
#include "server/api/xml_writer.hpp"

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "codec/utf8.hpp"

namespace sfkit::server {
namespace {

bool IsXmlName(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    const auto start = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    };
    if (!start(name.front())) {
        return false;
    }
    for (char c : name) {
        if (!start(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
            return false;
        }
    }
    return true;
}

}  // namespace

void WriteJsonAsXml(XmlWriter& w, std::string_view name, const boost::json::value& v) {
    namespace json = boost::json;
    if (!IsXmlName(name)) {
        return;
    }
    switch (v.kind()) {
        case json::kind::object:
            w.Open(name);
            for (const auto& kv : v.get_object()) {
                WriteJsonAsXml(w, kv.key(), kv.value());
            }
            w.Close();
            break;
        case json::kind::array:
            for (const auto& e : v.get_array()) {
                WriteJsonAsXml(w, name, e);
            }
            break;
        case json::kind::null:
            w.Nil(name);
            break;
        case json::kind::string:
            w.Leaf(name, v.get_string());
            break;
        case json::kind::double_:
            w.Leaf(name, codec::FormatJavaDouble(v.get_double()));
            break;
        default:
            w.Leaf(name, json::serialize(v));
    }
}

std::string XmlEscape(std::string_view text, bool quotes) {
    return codec::EscapeMarkup(text, quotes);
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
