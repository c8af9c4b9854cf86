// SOQL lexer. Lexical errors are reported the way Salesforce's ANTLR lexer reports them
// (`line R:C no viable alternative at character 'x'`, C 0-based), see README.md.
#include "soql/lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace sfkit::soql {
namespace {

bool IsAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}
bool IsIdentStart(char c) {
    return IsAsciiAlpha(c) || c == '_';
}
bool IsIdentChar(char c) {
    return IsIdentStart(c) || IsDigit(c);
}
bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool IsContinuationByte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
char ToUpper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

int HexValue(char c) {
    if (IsDigit(c)) {
        return c - '0';
    }
    const char u = ToUpper(c);
    if (u >= 'A' && u <= 'F') {
        return u - 'A' + 10;
    }
    return -1;
}

bool IsLeapYear(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int y, int m) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && IsLeapYear(y)) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

class Lexer {
public:
    Lexer(std::string_view src, std::size_t start) : src_(src) {
        Advance(std::min(start, src.size()));
    }

    boost::system::result<std::vector<Token>, SoqlError> Run() {
        std::vector<Token> tokens;
        for (;;) {
            SkipSpace();
            Token t;
            t.row = row_;
            t.column = column_;
            const std::size_t start = pos_;
            if (AtEnd()) {
                t.kind = TokenKind::kEnd;
                t.text = src_.substr(pos_, 0);
                tokens.push_back(std::move(t));
                return tokens;
            }
            if (!LexOne(t)) {
                return error_;
            }
            t.text = src_.substr(start, pos_ - start);
            tokens.push_back(std::move(t));
        }
    }

private:
    bool AtEnd() const { return pos_ >= src_.size(); }
    char Peek(std::size_t ahead = 0) const {
        return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
    }
    bool HasAhead(std::size_t ahead) const { return pos_ + ahead < src_.size(); }

    // Moves past one byte, keeping row/column (columns count characters, not bytes).
    void Advance() {
        const char c = src_[pos_++];
        if (c == '\n') {
            ++row_;
            column_ = 1;
        } else if (!IsContinuationByte(c)) {
            // The column of the next character; a multi-byte character's continuation bytes
            // do not move it again.
            ++column_;
        }
    }
    void Advance(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            Advance();
        }
    }

    void SkipSpace() {
        while (!AtEnd() && IsSpace(Peek())) {
            Advance();
        }
    }

    // ANTLR-style lexer error at the current position: the row/column Salesforce reports for
    // these is the 0-based character position (the recorded SOSL sample in wire reference
    // §B.12 shows `ERROR at Row:1:Column:10` with `line 1:10 mismatched character '|' ...`).
    bool LexicalError(const std::string& what) {
        const int col0 = column_ - 1;
        error_ = MakePositionedError(
            std::string(kMalformedQuery),
            src_,
            row_,
            col0,
            "line " + std::to_string(row_) + ":" + std::to_string(col0) + " " + what);
        return false;
    }

    bool NoViableAlternative() {
        if (AtEnd()) {
            return LexicalError("no viable alternative at character '<EOF>'");
        }
        std::size_t len = 1;
        while (HasAhead(len) && IsContinuationByte(Peek(len))) {
            ++len;
        }
        return LexicalError("no viable alternative at character '" +
                            std::string(src_.substr(pos_, len)) + "'");
    }

    bool PositionedError(int row, int column, std::string reason) {
        error_ = MakePositionedError(std::string(kMalformedQuery), src_, row, column, reason);
        return false;
    }

    bool LexOne(Token& t) {
        const char c = Peek();
        if (IsIdentStart(c)) {
            return LexIdentifier(t);
        }
        if (IsDigit(c) || ((c == '+' || c == '-' || c == '.') && StartsNumberAfterSign())) {
            return LexNumberOrDate(t);
        }
        switch (c) {
            case '\'':
                return LexString(t);
            case ',':
                return Single(t, TokenKind::kComma);
            case '.':
                return Single(t, TokenKind::kDot);
            case '(':
                return Single(t, TokenKind::kLParen);
            case ')':
                return Single(t, TokenKind::kRParen);
            case ':':
                return Single(t, TokenKind::kColon);
            case '=':
                return Single(t, TokenKind::kEq);
            case '!':
                if (Peek(1) == '=') {
                    t.kind = TokenKind::kNe;
                    Advance(2);
                    return true;
                }
                return NoViableAlternative();
            case '<':
                if (Peek(1) == '=') {
                    t.kind = TokenKind::kLe;
                    Advance(2);
                } else if (Peek(1) == '>') {
                    t.kind = TokenKind::kLtGt;
                    Advance(2);
                } else {
                    return Single(t, TokenKind::kLt);
                }
                return true;
            case '>':
                if (Peek(1) == '=') {
                    t.kind = TokenKind::kGe;
                    Advance(2);
                    return true;
                }
                return Single(t, TokenKind::kGt);
            default:
                return NoViableAlternative();
        }
    }

    bool Single(Token& t, TokenKind kind) {
        t.kind = kind;
        Advance();
        return true;
    }

    // `+5`, `-5`, `-.5`, `.5`: a sign or a dot starts a number only when a digit follows.
    bool StartsNumberAfterSign() const {
        const char c = Peek();
        if (c == '.') {
            return IsDigit(Peek(1));
        }
        return IsDigit(Peek(1)) || (Peek(1) == '.' && IsDigit(Peek(2)));
    }

    bool LexIdentifier(Token& t) {
        const std::size_t start = pos_;
        while (!AtEnd() && IsIdentChar(Peek())) {
            Advance();
        }
        t.kind = TokenKind::kIdentifier;
        // `LAST_N_DAYS:30` is one token: the number is part of the date literal. A colon that
        // is not followed by digits stays a separate token (the parser reports it).
        const std::string_view word = src_.substr(start, pos_ - start);
        if (Peek() == ':' && IsDigit(Peek(1)) && IsDateLiteralWithNumber(word)) {
            Advance();
            std::int64_t n = 0;
            while (!AtEnd() && IsDigit(Peek())) {
                // Saturates: the parser rejects anything above INT32_MAX anyway.
                if (n < std::numeric_limits<std::int64_t>::max() / 10 - 10) {
                    n = n * 10 + (Peek() - '0');
                }
                Advance();
            }
            t.kind = TokenKind::kDateLiteralN;
            t.number = n;
        }
        return true;
    }

    bool LexNumberOrDate(Token& t) {
        if (IsDigit(Peek()) && LooksLikeDate()) {
            return LexDate(t);
        }
        if (DigitsAt(0, 2) && Peek(2) == ':' && DigitsAt(3, 2)) {
            return LexTime(t);
        }
        if (Peek() == '+' || Peek() == '-') {
            Advance();
        }
        bool fraction = false;
        while (!AtEnd() && IsDigit(Peek())) {
            Advance();
        }
        if (Peek() == '.' && IsDigit(Peek(1))) {
            fraction = true;
            Advance();
            while (!AtEnd() && IsDigit(Peek())) {
                Advance();
            }
        }
        t.kind = fraction ? TokenKind::kDecimal : TokenKind::kInteger;
        return true;
    }

    bool DigitsAt(std::size_t ahead, std::size_t count) const {
        for (std::size_t i = 0; i < count; ++i) {
            if (!IsDigit(Peek(ahead + i))) {
                return false;
            }
        }
        return true;
    }

    int TwoDigits(std::size_t ahead) const {
        return (Peek(ahead) - '0') * 10 + (Peek(ahead + 1) - '0');
    }

    // The two digits just consumed.
    int PreviousTwoDigits() const { return (src_[pos_ - 2] - '0') * 10 + (src_[pos_ - 1] - '0'); }

    // YYYY-MM-DD
    bool LooksLikeDate() const {
        return DigitsAt(0, 4) && Peek(4) == '-' && DigitsAt(5, 2) && Peek(7) == '-' &&
               DigitsAt(8, 2);
    }

    // Consumes `n` digits or reports the first non-digit.
    bool ExpectDigits(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (!IsDigit(Peek())) {
                return NoViableAlternative();
            }
            Advance();
        }
        return true;
    }

    bool ExpectChar(char c) {
        if (Peek() != c || AtEnd()) {
            return NoViableAlternative();
        }
        Advance();
        return true;
    }

    // Dates `YYYY-MM-DD`; datetimes `YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm)` (SOQL "Date
    // Formats and Date Literals"). A `T` commits to a datetime: anything else after it is a
    // lexical error at the first wrong character.
    bool LexDate(Token& t) {
        const int row = row_;
        const int column = column_;
        const std::size_t start = pos_;
        DateTimeParts& p = t.date_time;
        p.year = (Peek(0) - '0') * 1000 + (Peek(1) - '0') * 100 + TwoDigits(2);
        p.month = TwoDigits(5);
        p.day = TwoDigits(8);
        Advance(10);
        t.kind = TokenKind::kDate;
        if (Peek() == 'T') {
            t.kind = TokenKind::kDateTime;
            Advance();
            if (!ExpectDigits(2)) {
                return false;
            }
            p.hour = PreviousTwoDigits();
            if (!ExpectChar(':') || !ExpectDigits(2)) {
                return false;
            }
            p.minute = PreviousTwoDigits();
            if (!ExpectChar(':') || !ExpectDigits(2)) {
                return false;
            }
            p.second = PreviousTwoDigits();
            if (Peek() == '.') {
                Advance();
                if (!IsDigit(Peek())) {
                    return NoViableAlternative();
                }
                int digits = 0;
                while (!AtEnd() && IsDigit(Peek())) {
                    if (digits < 3) {
                        p.millis = p.millis * 10 + (Peek() - '0');
                    }
                    ++digits;
                    Advance();
                }
                for (; digits < 3; ++digits) {
                    p.millis *= 10;
                }
            }
            if (Peek() == 'Z') {
                Advance();
            } else if (Peek() == '+' || Peek() == '-') {
                const int sign = Peek() == '-' ? -1 : 1;
                Advance();
                if (!ExpectDigits(2)) {
                    return false;
                }
                const int oh = PreviousTwoDigits();
                // `+hh:mm` or `+hhmm` (the colon is optional: apex-dev-tools/apex-parser
                // BaseApexLexer.g4 `TimeLiteral`; Salesforce's own responses print `+0000`).
                if (Peek() == ':') {
                    Advance();
                }
                if (!ExpectDigits(2)) {
                    return false;
                }
                const int om = PreviousTwoDigits();
                if (oh > 23 || om > 59) {
                    return InvalidDate(row, column, start, "datetime");
                }
                p.offset_minutes = sign * (oh * 60 + om);
            } else {
                return NoViableAlternative();
            }
        }
        const bool date_ok =
            p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= DaysInMonth(p.year, p.month);
        const bool time_ok = p.hour <= 23 && p.minute <= 59 && p.second <= 59;
        if (!date_ok || !time_ok) {
            return InvalidDate(
                row, column, start, t.kind == TokenKind::kDate ? "date" : "datetime");
        }
        return true;
    }

    // Times `hh:mm:ss[.fff]Z` for Time fields (apex-dev-tools/apex-parser BaseApexLexer.g4
    // `TimeLiteral`, seen in Apex `Check_Out__c = 01:00:00.000Z`); UTC only here.
    bool LexTime(Token& t) {
        const int row = row_;
        const int column = column_;
        const std::size_t start = pos_;
        DateTimeParts& p = t.date_time;
        t.kind = TokenKind::kTime;
        p.hour = TwoDigits(0);
        p.minute = TwoDigits(3);
        Advance(5);
        if (!ExpectChar(':') || !ExpectDigits(2)) {
            return false;
        }
        p.second = PreviousTwoDigits();
        if (Peek() == '.') {
            Advance();
            if (!IsDigit(Peek())) {
                return NoViableAlternative();
            }
            int digits = 0;
            while (!AtEnd() && IsDigit(Peek())) {
                if (digits < 3) {
                    p.millis = p.millis * 10 + (Peek() - '0');
                }
                ++digits;
                Advance();
            }
            for (; digits < 3; ++digits) {
                p.millis *= 10;
            }
        }
        if (!ExpectChar('Z')) {
            return false;
        }
        if (p.hour > 23 || p.minute > 59 || p.second > 59) {
            return InvalidDate(row, column, start, "time");
        }
        return true;
    }

    bool InvalidDate(int row, int column, std::size_t start, const char* what) {
        return PositionedError(
            row,
            column,
            std::string("Invalid ") + what + ": " + std::string(src_.substr(start, pos_ - start)));
    }

    // '...' with SOQL's escapes (SOQL reference, "Quoted String Escape Sequences"): \n \N \r \R
    // \t \T \b \B \f \F \" \' \\ \uXXXX, and \_ \% which keep their meaning for LIKE only.
    bool LexString(Token& t) {
        const int row = row_;
        const int column = column_;
        const std::size_t start = pos_;
        Advance();  // opening quote
        t.kind = TokenKind::kString;
        for (;;) {
            if (AtEnd()) {
                return LexicalError("mismatched character '<EOF>' expecting '''");
            }
            const char c = Peek();
            if (c == '\'') {
                Advance();
                return true;
            }
            if (c != '\\') {
                t.value += c;
                Advance();
                continue;
            }
            const std::size_t escape_at = pos_;
            Advance();  // backslash
            const char e = Peek();
            if (AtEnd()) {
                return LexicalError("mismatched character '<EOF>' expecting '''");
            }
            switch (e) {
                case 'n':
                case 'N':
                    t.value += '\n';
                    break;
                case 'r':
                case 'R':
                    t.value += '\r';
                    break;
                case 't':
                case 'T':
                    t.value += '\t';
                    break;
                case 'b':
                case 'B':
                    t.value += '\b';
                    break;
                case 'f':
                case 'F':
                    t.value += '\f';
                    break;
                case '"':
                case '\'':
                case '\\':
                    t.value += e;
                    break;
                case '_':
                case '%':
                    t.escaped_wildcards.push_back(t.value.size());
                    t.value += e;
                    break;
                case 'u':
                case 'U': {
                    std::uint32_t cp = 0;
                    if (!ReadHex4(1, cp)) {
                        return BadEscape(row, column, start, escape_at);
                    }
                    Advance(4);
                    // A UTF-16 surrogate pair written as two escapes is one character.
                    if (cp >= 0xD800 && cp <= 0xDBFF && Peek(1) == '\\' &&
                        (Peek(2) == 'u' || Peek(2) == 'U')) {
                        std::uint32_t low = 0;
                        if (ReadHex4(3, low) && low >= 0xDC00 && low <= 0xDFFF) {
                            Advance(6);
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        }
                    }
                    AppendUtf8(t.value, cp);
                    break;
                }
                default:
                    return BadEscape(row, column, start, escape_at);
            }
            Advance();
        }
    }

    // Reads 4 hex digits starting `ahead` bytes after the current position.
    bool ReadHex4(std::size_t ahead, std::uint32_t& out) const {
        out = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const int v = HexValue(Peek(ahead + i));
            if (v < 0 || !HasAhead(ahead + i)) {
                return false;
            }
            out = out * 16 + static_cast<std::uint32_t>(v);
        }
        return true;
    }

    bool BadEscape(int row, int column, std::size_t start, std::size_t escape_at) {
        // Show the literal up to and including the offending character.
        std::size_t end = escape_at + 2;
        while (end < src_.size() && IsContinuationByte(src_[end])) {
            ++end;
        }
        end = std::min(end, src_.size());
        return PositionedError(
            row,
            column,
            "Invalid string literal " + std::string(src_.substr(start, end - start)) +
                ". Illegal character sequence '" +
                std::string(src_.substr(escape_at, end - escape_at)) + "' in string literal.");
    }

    std::string_view src_;
    std::size_t pos_ = 0;
    int row_ = 1;
    int column_ = 1;
    SoqlError error_;
};

}  // namespace

void AppendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ToUpper(a[i]) != ToUpper(b[i])) {
            return false;
        }
    }
    return true;
}

bool Token::Is(std::string_view upper_keyword) const {
    return kind == TokenKind::kIdentifier && EqualsIgnoreCase(text, upper_keyword);
}

bool IsReservedWord(std::string_view word) {
    // SOQL reference, "Alias Notation" lists these as reserved. GROUP is left out on purpose:
    // `Group` is a standard object and a relationship name (GroupMember.Group), so GROUP is a
    // keyword only where `GROUP BY` can start a clause.
    // clang-format off
    static constexpr std::array<std::string_view, 19> kReserved = {
        "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "HAVING", "IN", "INCLUDES", "LAST",
        "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT", "WHERE", "WITH"};
    // clang-format on
    for (std::string_view r : kReserved) {
        if (EqualsIgnoreCase(word, r)) {
            return true;
        }
    }
    return false;
}

boost::system::result<std::vector<Token>, SoqlError> Tokenize(std::string_view soql) {
    return Lexer(soql, 0).Run();
}

boost::system::result<std::vector<Token>, SoqlError> Tokenize(std::string_view text,
                                                              std::size_t start) {
    return Lexer(text, start).Run();
}

}  // namespace sfkit::soql
