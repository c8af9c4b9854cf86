// `.env` parsing (see dotenv.hpp for the accepted syntax).
#include "sfkit/client/dotenv.hpp"

#include <fstream>
#include <sstream>

namespace sfkit::client {
namespace {

bool IsKeyStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool IsKeyChar(char c) {
    return IsKeyStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool IsBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

Error SyntaxError(std::size_t line, const std::string& what) {
    return MakeError(
        ErrorKind::kInvalidArgument, "DOTENV_SYNTAX", "line " + std::to_string(line) + ": " + what);
}

}  // namespace

Result<DotEnv> ParseDotEnv(std::string_view text) {
    DotEnv out;
    std::size_t pos = 0;
    std::size_t line_no = 0;
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
        pos = 3;
    }
    while (pos < text.size()) {
        ++line_no;
        auto skip_blanks = [&] {
            while (pos < text.size() && IsBlank(text[pos])) {
                ++pos;
            }
        };
        auto at_line_end = [&] { return pos >= text.size() || text[pos] == '\n'; };
        auto skip_line = [&] {
            while (pos < text.size() && text[pos] != '\n') {
                ++pos;
            }
            if (pos < text.size()) {
                ++pos;
            }
        };
        skip_blanks();
        if (at_line_end() || text[pos] == '#') {
            skip_line();
            continue;
        }
        if (text.substr(pos, 7) == "export " || text.substr(pos, 7) == "export\t") {
            pos += 7;
            skip_blanks();
        }
        const std::size_t key_start = pos;
        if (pos >= text.size() || !IsKeyStart(text[pos])) {
            return SyntaxError(line_no, "expected KEY=VALUE");
        }
        while (pos < text.size() && IsKeyChar(text[pos])) {
            ++pos;
        }
        std::string key(text.substr(key_start, pos - key_start));
        skip_blanks();
        if (pos >= text.size() || text[pos] != '=') {
            return SyntaxError(line_no, "expected '=' after " + key);
        }
        ++pos;
        const std::size_t after_eq = pos;
        skip_blanks();
        std::string value;
        const std::size_t start_line = line_no;
        if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
            const char quote = text[pos++];
            bool closed = false;
            while (pos < text.size()) {
                const char c = text[pos++];
                if (c == quote) {
                    closed = true;
                    break;
                }
                if (c == '\n') {
                    ++line_no;
                }
                if (quote == '"' && c == '\\' && pos < text.size()) {
                    const char e = text[pos++];
                    switch (e) {
                        case 'n':
                            value += '\n';
                            break;
                        case 't':
                            value += '\t';
                            break;
                        case 'r':
                            value += '\r';
                            break;
                        case '"':
                        case '\\':
                        case '$':
                            value += e;
                            break;
                        default:
                            value += '\\';
                            value += e;
                    }
                    continue;
                }
                value += c;
            }
            if (!closed) {
                return SyntaxError(start_line, "unterminated quoted value for " + key);
            }
            skip_blanks();
            if (!at_line_end() && text[pos] != '#') {
                return SyntaxError(line_no, "unexpected text after the quoted value of " + key);
            }
        } else {
            const std::size_t value_start = pos;
            while (!at_line_end()) {
                // ` #` starts a comment; a `#` inside a value (a password) does not.
                if (text[pos] == '#' && pos > after_eq && IsBlank(text[pos - 1])) {
                    break;
                }
                ++pos;
            }
            std::string_view raw = text.substr(value_start, pos - value_start);
            while (!raw.empty() && IsBlank(raw.back())) {
                raw.remove_suffix(1);
            }
            value = std::string(raw);
        }
        skip_line();
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

Result<DotEnv> LoadDotEnvFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return MakeError(ErrorKind::kIo, "FILE_NOT_FOUND", "cannot read " + path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        return MakeError(ErrorKind::kIo, "IO_ERROR", "error reading " + path);
    }
    auto parsed = ParseDotEnv(ss.str());
    if (!parsed) {
        Error e = parsed.error();
        e.message = path + ": " + e.message;
        return e;
    }
    return parsed;
}

const std::string* DotEnvLookup(const DotEnv& env, std::string_view key) noexcept {
    const std::string* found = nullptr;
    for (const auto& [k, v] : env) {
        if (k == key) {
            found = &v;
        }
    }
    return found;
}

}  // namespace sfkit::client
