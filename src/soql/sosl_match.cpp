// Search tokens and term matching (sosl_match.hpp).
#include "soql/sosl_match.hpp"

#include "soql/lexer.hpp"

namespace sfkit::soql {
namespace {

bool IsAsciiAlnum(char32_t c) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

char32_t Lower(char32_t c) {
    if (c < 0x80) {
        return (c >= U'A' && c <= U'Z') ? c + 32 : c;
    }
    // Latin-1 capitals (not the multiplication sign), Greek and Cyrillic capitals.
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F)) {
        return c + 32;
    }
    if (c >= 0x400 && c <= 0x40F) {
        return c + 80;
    }
    // Latin Extended-A: capital/small pairs alternate (even/odd, then odd/even in the middle
    // and at the end of the block).
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
        return (c % 2 == 0) ? c + 1 : c;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
        return (c % 2 == 1) ? c + 1 : c;
    }
    return c;
}

std::size_t CodePointLength(std::string_view s, std::size_t pos) {
    std::size_t next = pos;
    NextCodePoint(s, &next);
    return next - pos;
}

// The digits of a phone number alone: `(415) 555-1212` -> `4155551212`.
std::string Digits(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            out += c;
        }
    }
    return out;
}

}  // namespace

char32_t NextCodePoint(std::string_view text, std::size_t* pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const std::size_t i = *pos;
    const unsigned char b = byte(i);
    std::size_t len = 1;
    char32_t cp = b;
    if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        cp = b & 0x07;
    } else if (b >= 0xE0) {
        len = 3;
        cp = b & 0x0F;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        cp = b & 0x1F;
    } else if (b >= 0x80) {
        *pos = i + 1;
        return 0xFFFD;
    }
    if (i + len > text.size()) {
        *pos = i + 1;
        return b < 0x80 ? cp : 0xFFFD;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            *pos = i + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    *pos = i + len;
    return cp;
}

bool IsSearchTokenChar(char32_t cp) {
    if (cp < 0x80) {
        return IsAsciiAlnum(cp);
    }
    // Non-ASCII text counts as letters except the punctuation and spaces of Latin-1, the
    // General Punctuation block (dashes, curly quotes, ...), CJK punctuation and the
    // replacement character.
    if (cp >= 0xA0 && cp <= 0xBF) {
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    }
    if (cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD || cp == 0xFEFF) {
        return false;
    }
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x3003)) {
        return false;
    }
    return true;
}

void AppendLowerUtf8(std::string& out, char32_t cp) {
    AppendUtf8(out, Lower(cp));
}

std::vector<std::string> SearchTokens(std::string_view text) {
    std::vector<std::string> tokens;
    std::string current;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t cp = NextCodePoint(text, &pos);
        if (IsSearchTokenChar(cp)) {
            AppendLowerUtf8(current, cp);
        } else if (!current.empty()) {
            tokens.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) {
        tokens.push_back(std::move(current));
    }
    return tokens;
}

std::size_t SearchTextLength(const SearchExpr& e) {
    std::size_t n = 0;
    for (const std::string& t : e.tokens) {
        std::size_t pos = 0;
        while (pos < t.size()) {
            const char32_t cp = NextCodePoint(t, &pos);
            n += (cp == U'*' || cp == U'?') ? 0 : 1;
        }
    }
    for (const SearchExpr& o : e.operands) {
        n += SearchTextLength(o);
    }
    return n;
}

bool WildcardMatch(std::string_view p, std::string_view t) {
    // Iterative glob with one backtrack point (the last `*`); `?` takes one code point.
    std::size_t i = 0;
    std::size_t j = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (i < t.size()) {
        if (j < p.size() && p[j] == '?') {
            i += CodePointLength(t, i);
            ++j;
        } else if (j < p.size() && p[j] == '*') {
            star = j++;
            mark = i;
        } else if (j < p.size() && p[j] == t[i]) {
            ++i;
            ++j;
        } else if (star != std::string_view::npos) {
            j = star + 1;
            mark += CodePointLength(t, mark);
            i = mark;
        } else {
            return false;
        }
    }
    while (j < p.size() && p[j] == '*') {
        ++j;
    }
    return j == p.size();
}

SearchDocument::SearchDocument(const std::vector<SearchField>& fields) {
    for (const SearchField& f : fields) {
        std::vector<std::string> tokens = SearchTokens(f.text);
        if (f.phone) {
            // Salesforce finds phone numbers by their digits whatever the formatting.
            std::string digits = Digits(f.text);
            if (!digits.empty() && !(tokens.size() == 1 && tokens.front() == digits)) {
                sequences_.push_back({std::move(digits)});
            }
        }
        if (!tokens.empty()) {
            sequences_.push_back(std::move(tokens));
        }
    }
}

bool SearchDocument::MatchesTerm(const std::vector<std::string>& term) const {
    if (term.empty()) {
        return false;
    }
    for (const std::vector<std::string>& seq : sequences_) {
        if (seq.size() < term.size()) {
            continue;
        }
        for (std::size_t start = 0; start + term.size() <= seq.size(); ++start) {
            bool all = true;
            for (std::size_t k = 0; k < term.size() && all; ++k) {
                all = WildcardMatch(term[k], seq[start + k]);
            }
            if (all) {
                return true;
            }
        }
    }
    return false;
}

bool SearchDocument::Matches(const SearchExpr& e) const {
    switch (e.kind) {
        case SearchExpr::Kind::kTerm:
            return MatchesTerm(e.tokens);
        case SearchExpr::Kind::kAnd:
            for (const SearchExpr& o : e.operands) {
                if (!Matches(o)) {
                    return false;
                }
            }
            return true;
        case SearchExpr::Kind::kOr:
            for (const SearchExpr& o : e.operands) {
                if (Matches(o)) {
                    return true;
                }
            }
            return false;
        case SearchExpr::Kind::kNot:
            return !e.operands.empty() && !Matches(e.operands.front());
    }
    return false;
}

}  // namespace sfkit::soql
