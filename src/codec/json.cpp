// Salesforce-flavoured JSON writer and a parser wrapper with positioned error messages.
#include "codec/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

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
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    std::size_t pos = 0;
    while (pos < s.size()) {
        // Plain printable ASCII (nearly every field name and most values) goes out a run at a
        // time. perf (GET one record): appending character by character made this function
        // 5-6 % of a GET's samples.
        std::size_t run = pos;
        while (run < s.size()) {
            const auto r = static_cast<unsigned char>(s[run]);
            if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') {
                break;
            }
            ++run;
        }
        if (run != pos) {
            out.append(s.data() + pos, run - pos);
            pos = run;
            continue;
        }
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

namespace {

/// Boost.JSON's parser handler (what json::stream_parser uses), except for doubles: Boost.JSON
/// 1.81 converts them with a fast approximation that can be one unit in the last place off
/// (`28609973834881053e2`), so a number would not read back as the value it was written from.
/// The number's text is converted again with std::from_chars, which rounds correctly; only
/// values outside a double's range keep Boost's result (infinity or zero).
struct ValueBuilder {
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    json::value_stack st;
    std::string number;  ///< text of a number that arrived in parts

    bool on_document_begin(boost::system::error_code&) { return true; }
    bool on_document_end(boost::system::error_code&) { return true; }
    bool on_object_begin(boost::system::error_code&) { return true; }
    bool on_object_end(std::size_t n, boost::system::error_code&) {
        st.push_object(n);
        return true;
    }
    bool on_array_begin(boost::system::error_code&) { return true; }
    bool on_array_end(std::size_t n, boost::system::error_code&) {
        st.push_array(n);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, boost::system::error_code&) {
        st.push_key(s);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, boost::system::error_code&) {
        st.push_string(s);
        return true;
    }
    bool on_number_part(json::string_view s, boost::system::error_code&) {
        number.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, json::string_view, boost::system::error_code&) {
        number.clear();
        st.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code&) {
        number.clear();
        st.push_uint64(u);
        return true;
    }
    bool on_double(double d, json::string_view s, boost::system::error_code&) {
        number.append(s.data(), s.size());
        const char* end = number.data() + number.size();
        double exact = 0;
        const auto r = std::from_chars(number.data(), end, exact);
        st.push_double(r.ec == std::errc() && r.ptr == end ? exact : d);
        number.clear();
        return true;
    }
    bool on_bool(bool b, boost::system::error_code&) {
        st.push_bool(b);
        return true;
    }
    bool on_null(boost::system::error_code&) {
        st.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
    bool on_comment(json::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

Result<boost::json::value> ParseJson(std::string_view text) {
    // The calls json::stream_parser makes (write_some, then finish), with ValueBuilder.
    json::basic_parser<ValueBuilder> p(json::parse_options{});
    p.handler().st.reset(json::storage_ptr());
    boost::system::error_code ec;
    const std::size_t consumed = p.write_some(true, text.data(), text.size(), ec);
    if (!ec) {
        p.write_some(false, nullptr, 0, ec);
        if (!ec) {
            return p.handler().st.release();
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
