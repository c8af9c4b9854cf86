// Salesforce-flavoured JSON writer and a parser wrapper with positioned error messages.
#include "codec/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>

#include "codec/utf8.hpp"

namespace sfkit::codec {
namespace {

namespace json = boost::json;

void Indent(std::string& out, int depth) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void Write(std::string& out, const json::value& v, bool pretty, int depth) {
    switch (v.kind()) {
        case json::kind::null:
            out += "null";
            break;
        case json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            break;
        case json::kind::int64: {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
            out.append(buf, r.ptr);
            break;
        }
        case json::kind::uint64: {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
            out.append(buf, r.ptr);
            break;
        }
        case json::kind::double_:
            out += FormatJavaDouble(v.get_double());
            break;
        case json::kind::string:
            AppendJsonString(out, v.get_string());
            break;
        case json::kind::array: {
            const auto& a = v.get_array();
            if (a.empty()) {
                out += pretty ? "[ ]" : "[]";
                break;
            }
            out += pretty ? "[ " : "[";
            bool first = true;
            for (const auto& e : a) {
                if (!first) {
                    out += pretty ? ", " : ",";
                }
                first = false;
                // Jackson does not indent for arrays: nested objects use object depth only.
                Write(out, e, pretty, depth);
            }
            out += pretty ? " ]" : "]";
            break;
        }
        case json::kind::object: {
            const auto& o = v.get_object();
            if (o.empty()) {
                out += pretty ? "{ }" : "{}";
                break;
            }
            out += '{';
            bool first = true;
            for (const auto& kv : o) {
                if (!first) {
                    out += ',';
                }
                first = false;
                if (pretty) {
                    out += '\n';
                    Indent(out, depth + 1);
                }
                AppendJsonString(out, kv.key());
                out += pretty ? " : " : ":";
                Write(out, kv.value(), pretty, depth + 1);
            }
            if (pretty) {
                out += '\n';
                Indent(out, depth);
            }
            out += '}';
            break;
        }
    }
}

}  // namespace

std::pair<int, int> LineColumn(std::string_view text, std::size_t offset) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

void AppendJsonString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '"';
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char ch = s[pos];
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            // Strings may echo request bytes that are not UTF-8: those become U+FFFD, so every
            // document written is valid UTF-8.
            const Utf8Char u = DecodeUtf8(s, pos);
            if (u.valid) {
                out.append(s.substr(pos, u.length));
            } else {
                out += kReplacementUtf8;
            }
            pos += u.length;
            continue;
        }
        ++pos;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

std::string FormatJavaDouble(double d) {
    if (std::isnan(d)) {
        return "\"NaN\"";
    }
    if (std::isinf(d)) {
        return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    }
    if (d == 0) {
        return std::signbit(d) ? "-0.0" : "0.0";
    }
    const double mag = std::fabs(d);
    char buf[64];
    if (mag >= 1e-3 && mag < 1e7) {
        auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
        std::string s(buf, r.ptr);
        if (s.find('.') == std::string::npos) {
            s += ".0";
        }
        return s;
    }
    // Java: d.dddE[-]n, at least one digit after the point.
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, r.ptr);  // e.g. 1e+10, 1.5e-05
    const auto e = s.find('e');
    std::string mant = s.substr(0, e);
    std::string exp = s.substr(e + 1);
    if (mant.find('.') == std::string::npos) {
        mant += ".0";
    }
    bool neg = false;
    std::size_t i = 0;
    if (i < exp.size() && (exp[i] == '+' || exp[i] == '-')) {
        neg = exp[i] == '-';
        ++i;
    }
    while (i + 1 < exp.size() && exp[i] == '0') {
        ++i;
    }
    return mant + "E" + (neg ? "-" : "") + exp.substr(i);
}

std::string WriteJson(const boost::json::value& v, bool pretty) {
    std::string out;
    out.reserve(256);
    Write(out, v, pretty, 0);
    return out;
}

Result<boost::json::value> ParseJson(std::string_view text) {
    json::stream_parser p;
    boost::system::error_code ec;
    const std::size_t consumed = p.write_some(text.data(), text.size(), ec);
    if (!ec) {
        p.finish(ec);
        if (!ec) {
            return p.release();
        }
    }
    const std::size_t offset = std::min(consumed, text.size());
    auto [line, column] = LineColumn(text, offset);
    std::string message;
    if (offset >= text.size()) {
        message = "Unexpected end-of-input";
    } else {
        const auto c = static_cast<unsigned char>(text[offset]);
        char buf[96];
        if (c >= 0x20 && c < 0x7f) {
            std::snprintf(buf, sizeof buf, "Unexpected character ('%c' (code %u))", c, c);
        } else {
            std::snprintf(buf, sizeof buf, "Unexpected character (code %u)", c);
        }
        message = buf;
    }
    message += " at [line:" + std::to_string(line) + ", column:" + std::to_string(column) + "]";
    return MakeError(ErrorKind::kInvalidArgument, "JSON_PARSER_ERROR", std::move(message), 400);
}

}  // namespace sfkit::codec
