// SOSL parser. The text between FIND's braces is free text with its own small grammar (words,
// "phrases", wildcards, AND/OR/NOT, parentheses); what follows the braces is tokenized by the
// SOQL lexer, and RETURNING field specs are parsed by the SOQL parser (parser_internal.hpp).
//
// Positions: the two recorded SOSL syntax errors report 0-based columns (`FIND {John|...`:
// `ERROR at Row:1:Column:10` for the `|` at index 10, restforce#688; `FIND {name} IN ALL TYPE`:
// `Column:19` for TYPE at index 19, jesperfj/force-rest-api#92). The SOQL layout helper takes
// that number as the 1-based caret column, so the caret lands one character left of the
// offending one, as in those recordings. Every MALFORMED_SEARCH here follows that rule.
#include "soql/sosl_parser.hpp"

#include <utility>
#include <vector>

#include "soql/lexer.hpp"
#include "soql/parser_internal.hpp"
#include "soql/sosl_match.hpp"

namespace sfkit::soql {
namespace {

struct Failure {
    SoqlError error;
};

constexpr std::string_view kNoSearchTerm =
    "No search term found. The search term must be enclosed in braces.";

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool IsIdentChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::size_t SkipSpace(std::string_view s, std::size_t pos) {
    while (pos < s.size() && IsSpace(s[pos])) {
        ++pos;
    }
    return pos;
}

// 1-based row and column (in characters) of byte `offset`, counted like the SOQL lexer.
SourcePos PositionAt(std::string_view text, std::size_t offset) {
    SourcePos p;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++p.row;
            p.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++p.column;
        }
    }
    return p;
}

// MALFORMED_SEARCH at byte `offset` of `text`, reported with the 0-based column (file comment).
[[noreturn]] void FailAtOffset(std::string_view text, std::size_t offset, std::string reason) {
    const SourcePos p = PositionAt(text, offset);
    throw Failure{MakePositionedError(
        std::string(kMalformedSearch), text, p.row, p.column - 1, std::move(reason))};
}

// The character at `offset` as an error message shows it.
std::string CharAt(std::string_view text, std::size_t offset) {
    if (offset >= text.size()) {
        return "<EOF>";
    }
    std::size_t end = offset;
    NextCodePoint(text, &end);
    return std::string(text.substr(offset, end - offset));
}

// Characters SOSL reserves (SOSL reference, "FIND {SearchQuery}": & | ! ( ) { } [ ] ^ " ~ * ?
// : \ ' + -). Inside the braces the ones without a meaning there must be escaped: Salesforce's
// lexer stops at them (recorded for `|` and `-`: `mismatched character '-' expecting '}'`,
// simple-salesforce#415). `( ) " * ?` and `\` are the term's own syntax.
bool MustEscapeInTerm(char c) {
    switch (c) {
        case '&':
        case '|':
        case '!':
        case '{':
        case '[':
        case ']':
        case '^':
        case '~':
        case ':':
        case '\'':
        case '+':
        case '-':
            return true;
        default:
            return false;
    }
}

// Finds the `}` closing the term that starts at `open + 1`; checks the characters in between.
std::size_t ScanTerm(std::string_view sosl, std::size_t open) {
    std::size_t i = open + 1;
    while (i < sosl.size()) {
        const char c = sosl[i];
        if (c == '}') {
            return i;
        }
        if (c == '\\') {
            ++i;
            if (i >= sosl.size()) {
                break;
            }
            NextCodePoint(sosl, &i);
            continue;
        }
        if (MustEscapeInTerm(c)) {
            const SourcePos p = PositionAt(sosl, i);
            const int col0 = p.column - 1;
            throw Failure{MakePositionedError(std::string(kMalformedSearch),
                                              sosl,
                                              p.row,
                                              col0,
                                              "line " + std::to_string(p.row) + ":" +
                                                  std::to_string(col0) + " mismatched character '" +
                                                  std::string(1, c) + "' expecting '}'")};
        }
        NextCodePoint(sosl, &i);
    }
    const SourcePos p = PositionAt(sosl, sosl.size());
    const int col0 = p.column - 1;
    throw Failure{MakePositionedError(std::string(kMalformedSearch),
                                      sosl,
                                      p.row,
                                      col0,
                                      "line " + std::to_string(p.row) + ":" + std::to_string(col0) +
                                          " mismatched character '<EOF>' expecting '}'")};
}

// ---- the search expression --------------------------------------------------------------------

struct TermToken {
    enum class Kind { kWord, kPhrase, kLParen, kRParen, kEnd };
    Kind kind = Kind::kEnd;
    std::string_view raw;    ///< word as written; phrase without its quotes
    std::size_t offset = 0;  ///< in the statement

    bool IsKeyword(std::string_view kw) const {
        return kind == Kind::kWord && EqualsIgnoreCase(raw, kw);
    }
    bool IsOperator() const { return IsKeyword("AND") || IsKeyword("OR") || IsKeyword("NOT"); }
};

class TermParser {
public:
    TermParser(std::string_view term, std::string_view statement, std::size_t base)
        : term_(term), statement_(statement), base_(base) {}

    SearchExpr Run() {
        Lex();
        if (tokens_.size() == 1) {
            return SearchExpr{};  // empty: the caller reports the term as too short
        }
        SearchExpr e = ParseOr();
        if (Peek().kind != TermToken::Kind::kEnd) {
            Unexpected(Peek());
        }
        return e;
    }

private:
    void Lex() {
        std::size_t i = 0;
        for (;;) {
            while (i < term_.size() && IsSpace(term_[i])) {
                ++i;
            }
            TermToken t;
            t.offset = base_ + i;
            if (i >= term_.size()) {
                tokens_.push_back(t);
                return;
            }
            const char c = term_[i];
            if (c == '(' || c == ')') {
                t.kind = c == '(' ? TermToken::Kind::kLParen : TermToken::Kind::kRParen;
                t.raw = term_.substr(i, 1);
                ++i;
            } else if (c == '"') {
                const std::size_t start = ++i;
                while (i < term_.size() && term_[i] != '"') {
                    i += term_[i] == '\\' ? 2 : 1;
                }
                if (i >= term_.size()) {
                    const std::size_t at = base_ + term_.size();
                    FailAtOffset(
                        statement_,
                        at,
                        "mismatched character '" + CharAt(statement_, at) + "' expecting '\"'");
                }
                t.kind = TermToken::Kind::kPhrase;
                t.raw = term_.substr(start, i - start);
                ++i;
            } else {
                const std::size_t start = i;
                while (i < term_.size() && !IsSpace(term_[i]) && term_[i] != '(' &&
                       term_[i] != ')' && term_[i] != '"') {
                    i += term_[i] == '\\' ? 2 : 1;
                }
                i = std::min(i, term_.size());
                t.kind = TermToken::Kind::kWord;
                t.raw = term_.substr(start, i - start);
            }
            tokens_.push_back(t);
        }
    }

    const TermToken& Peek() const { return tokens_[index_]; }
    const TermToken& Next() {
        const TermToken& t = tokens_[index_];
        if (t.kind != TermToken::Kind::kEnd) {
            ++index_;
        }
        return t;
    }

    [[noreturn]] void Unexpected(const TermToken& t) const {
        std::string shown = t.kind == TermToken::Kind::kEnd      ? CharAt(statement_, t.offset)
                            : t.kind == TermToken::Kind::kPhrase ? "\"" + std::string(t.raw) + "\""
                                                                 : std::string(t.raw);
        FailAtOffset(statement_, t.offset, "unexpected token: '" + shown + "'");
    }

    bool StartsOperand(const TermToken& t) const {
        return t.kind == TermToken::Kind::kLParen || t.kind == TermToken::Kind::kPhrase ||
               (t.kind == TermToken::Kind::kWord && (!t.IsOperator() || t.IsKeyword("NOT")));
    }

    class Nesting {
    public:
        explicit Nesting(TermParser& p) : p_(p) {
            if (++p_.depth_ > 100) {
                throw Failure{MakePlainError(std::string(kMalformedSearch),
                                             "Search term is too complicated")};
            }
        }
        ~Nesting() { --p_.depth_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        TermParser& p_;
    };

    // `a OR b OR c` is one kOr node with three operands. `left` grows in place, so a chain of n
    // terms costs O(n), not O(n^2) moves (a 1,500-term FIND took seconds to parse).
    static SearchExpr Combine(SearchExpr::Kind kind, SearchExpr left, SearchExpr right) {
        if (left.kind != kind) {
            SearchExpr out;
            out.kind = kind;
            out.operands.push_back(std::move(left));
            left = std::move(out);
        }
        if (right.kind == kind) {
            for (SearchExpr& o : right.operands) {
                left.operands.push_back(std::move(o));
            }
        } else {
            left.operands.push_back(std::move(right));
        }
        return left;
    }

    // OR binds loosest; AND (written or implied between two operands) binds tighter.
    SearchExpr ParseOr() {
        Nesting guard(*this);
        SearchExpr left = ParseAnd();
        while (Peek().IsKeyword("OR")) {
            Next();
            left = Combine(SearchExpr::Kind::kOr, std::move(left), ParseAnd());
        }
        return left;
    }

    SearchExpr ParseAnd() {
        Nesting guard(*this);
        SearchExpr left = ParseUnary();
        for (;;) {
            if (Peek().IsKeyword("AND")) {
                Next();
            } else if (!StartsOperand(Peek())) {
                return left;
            }
            left = Combine(SearchExpr::Kind::kAnd, std::move(left), ParseUnary());
        }
    }

    SearchExpr ParseUnary() {
        Nesting guard(*this);
        const TermToken& t = Peek();
        if (t.IsKeyword("NOT")) {
            Next();
            SearchExpr n;
            n.kind = SearchExpr::Kind::kNot;
            n.operands.push_back(ParseUnary());
            return n;
        }
        if (t.kind == TermToken::Kind::kLParen) {
            Next();
            SearchExpr inner = ParseOr();
            if (Peek().kind != TermToken::Kind::kRParen) {
                const TermToken& bad = Peek();
                FailAtOffset(statement_,
                             bad.offset,
                             "expecting a right parentheses, found '" +
                                 (bad.kind == TermToken::Kind::kEnd ? CharAt(statement_, bad.offset)
                                                                    : std::string(bad.raw)) +
                                 "'");
            }
            Next();
            return inner;
        }
        if (t.kind == TermToken::Kind::kPhrase ||
            (t.kind == TermToken::Kind::kWord && !t.IsOperator())) {
            Next();
            SearchExpr e;
            e.quoted = t.kind == TermToken::Kind::kPhrase;
            e.tokens = TermTokens(t.raw);
            return e;
        }
        Unexpected(t);
    }

    // The search tokens of a word or phrase: letters and digits (an escaped character counts
    // as itself), unescaped `*` and `?` as wildcards; anything else separates tokens.
    static std::vector<std::string> TermTokens(std::string_view raw) {
        std::vector<std::string> tokens;
        std::string current;
        const auto flush = [&] {
            if (!current.empty()) {
                tokens.push_back(std::move(current));
                current.clear();
            }
        };
        std::size_t i = 0;
        while (i < raw.size()) {
            const char c = raw[i];
            if (c == '\\') {
                ++i;
                if (i >= raw.size()) {
                    break;
                }
                const char32_t cp = NextCodePoint(raw, &i);
                if (IsSearchTokenChar(cp)) {
                    AppendLowerUtf8(current, cp);
                } else {
                    flush();
                }
                continue;
            }
            if (c == '*' || c == '?') {
                current += c;
                ++i;
                continue;
            }
            const char32_t cp = NextCodePoint(raw, &i);
            if (IsSearchTokenChar(cp)) {
                AppendLowerUtf8(current, cp);
            } else {
                flush();
            }
        }
        flush();
        return tokens;
    }

    std::string_view term_;
    std::string_view statement_;
    std::size_t base_;
    std::vector<TermToken> tokens_;
    std::size_t index_ = 0;
    int depth_ = 0;
};

// ---- the clauses after the braces --------------------------------------------------------------

class ClauseParser {
public:
    ClauseParser(std::string_view src, std::vector<Token> tokens)
        : src_(src), tokens_(std::move(tokens)) {}

    void Run(SearchQuery& q) {
        if (AcceptKeyword("IN")) {
            ParseIn(q);
        }
        if (AcceptKeyword("RETURNING")) {
            do {
                q.returning.push_back(ParseItem());
            } while (Accept(TokenKind::kComma));
        }
        while (AtKeyword("WITH")) {
            q.with.push_back(ParseWith());
        }
        if (AcceptKeyword("LIMIT")) {
            q.limit = ParseCount(&q.limit_pos);
        }
        if (AcceptKeyword("UPDATE")) {
            do {
                if (AcceptKeyword("TRACKING")) {
                    q.update_tracking = true;
                } else if (AcceptKeyword("VIEWSTAT")) {
                    q.update_viewstat = true;
                } else {
                    Unexpected(Peek());
                }
            } while (Accept(TokenKind::kComma));
        }
        if (Peek().kind != TokenKind::kEnd) {
            Unexpected(Peek());
        }
    }

private:
    const Token& Peek(std::size_t ahead = 0) const {
        return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
    }
    const Token& Next() {
        const Token& t = tokens_[index_];
        if (t.kind != TokenKind::kEnd) {
            ++index_;
        }
        return t;
    }
    bool AtKeyword(std::string_view kw, std::size_t ahead = 0) const { return Peek(ahead).Is(kw); }
    bool AcceptKeyword(std::string_view kw) {
        if (AtKeyword(kw)) {
            Next();
            return true;
        }
        return false;
    }
    bool Accept(TokenKind kind) {
        if (Peek().kind == kind) {
            Next();
            return true;
        }
        return false;
    }

    static std::string Shown(const Token& t) {
        return t.kind == TokenKind::kEnd ? std::string("<EOF>") : std::string(t.text);
    }

    // 0-based column, see the file comment.
    [[noreturn]] void Fail(const Token& t, std::string reason) const {
        throw Failure{MakePositionedError(
            std::string(kMalformedSearch), src_, t.row, t.column - 1, std::move(reason))};
    }
    [[noreturn]] void Unexpected(const Token& t) const {
        if (t.kind == TokenKind::kEnd) {
            Fail(t, "unexpected token: <EOF>");
        }
        Fail(t, "unexpected token: '" + std::string(t.text) + "'");
    }
    void Expect(TokenKind kind) {
        if (!Accept(kind)) {
            Unexpected(Peek());
        }
    }
    void ExpectKeyword(std::string_view kw) {
        if (!AcceptKeyword(kw)) {
            Unexpected(Peek());
        }
    }

    std::string ExpectName() {
        const Token& t = Peek();
        if (t.kind != TokenKind::kIdentifier || IsReservedWord(t.text)) {
            Unexpected(t);
        }
        return std::string(Next().text);
    }

    std::int64_t ParseCount(SourcePos* pos) {
        const Token& t = Peek();
        if (t.kind != TokenKind::kInteger || t.text[0] == '+' || t.text[0] == '-' ||
            t.text.size() > 18) {
            Unexpected(t);
        }
        std::int64_t n = 0;
        for (char c : t.text) {
            n = n * 10 + (c - '0');
        }
        *pos = SourcePos{t.row, t.column};
        Next();
        return n;
    }

    std::string ExpectString() {
        const Token& t = Peek();
        if (t.kind != TokenKind::kString) {
            Unexpected(t);
        }
        Next();
        return QuoteString(StringValue{t.value, t.escaped_wildcards});
    }

    // `IN ALL FIELDS`: a wrong word is "Malformed search token" (recorded for `IN ALL TYPE`).
    void ParseIn(SearchQuery& q) {
        const Token& group = Peek();
        if (group.Is("ALL")) {
            q.in = SearchGroup::kAll;
        } else if (group.Is("NAME")) {
            q.in = SearchGroup::kName;
        } else if (group.Is("EMAIL")) {
            q.in = SearchGroup::kEmail;
        } else if (group.Is("PHONE")) {
            q.in = SearchGroup::kPhone;
        } else if (group.Is("SIDEBAR")) {
            q.in = SearchGroup::kSidebar;
        } else {
            Fail(group, "Malformed search token: " + Shown(group));
        }
        Next();
        if (!AcceptKeyword("FIELDS")) {
            Fail(Peek(), "Malformed search token: " + Shown(Peek()));
        }
    }

    ReturningItem ParseItem() {
        ReturningItem item;
        item.pos = SourcePos{Peek().row, Peek().column};
        item.object = ExpectName();
        if (Accept(TokenKind::kLParen)) {
            auto spec = detail::ParseSearchFieldSpec(src_, tokens_, &index_, kMalformedSearch, -1);
            if (!spec) {
                throw Failure{spec.error()};
            }
            item.spec = std::move(*spec);
            if (!Accept(TokenKind::kRParen)) {
                Fail(Peek(), "expecting a right parentheses, found '" + Shown(Peek()) + "'");
            }
        }
        return item;
    }

    // WITH clauses sfkit accepts without acting on them (SOSL reference, "SOSL Syntax"); the
    // canonical text is kept for printing.
    std::string ParseWith() {
        Next();  // WITH
        std::string out = "WITH ";
        if (AcceptKeyword("DIVISION")) {
            Expect(TokenKind::kEq);
            return out + "DIVISION = " + ExpectString();
        }
        if (AtKeyword("DATA") && AtKeyword("CATEGORY", 1)) {
            Next();
            Next();
            out += "DATA CATEGORY ";
            for (;;) {
                out += ExpectName();
                const Token& sel = Peek();
                if (!(sel.Is("AT") || sel.Is("ABOVE") || sel.Is("BELOW") ||
                      sel.Is("ABOVE_OR_BELOW"))) {
                    Unexpected(sel);
                }
                std::string word(Next().text);
                for (char& c : word) {
                    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
                }
                out += " " + word + " ";
                if (Accept(TokenKind::kLParen)) {
                    out += "(";
                    do {
                        out += (out.back() == '(' ? "" : ", ") + ExpectName();
                    } while (Accept(TokenKind::kComma));
                    Expect(TokenKind::kRParen);
                    out += ")";
                } else {
                    out += ExpectName();
                }
                if (!AcceptKeyword("AND")) {
                    return out;
                }
                out += " AND ";
            }
        }
        if (AcceptKeyword("SNIPPET")) {
            out += "SNIPPET";
            if (Accept(TokenKind::kLParen)) {
                ExpectKeyword("TARGET_LENGTH");
                Expect(TokenKind::kEq);
                SourcePos ignored;
                out += " (target_length=" + std::to_string(ParseCount(&ignored)) + ")";
                Expect(TokenKind::kRParen);
            }
            return out;
        }
        if (AcceptKeyword("NETWORK")) {
            if (Accept(TokenKind::kEq)) {
                return out + "NETWORK = " + ExpectString();
            }
            ExpectKeyword("IN");
            Expect(TokenKind::kLParen);
            out += "NETWORK IN (";
            bool first = true;
            do {
                out += (first ? "" : ", ") + ExpectString();
                first = false;
            } while (Accept(TokenKind::kComma));
            Expect(TokenKind::kRParen);
            return out + ")";
        }
        if (AcceptKeyword("PRICEBOOKID")) {
            Expect(TokenKind::kEq);
            return out + "PricebookId = " + ExpectString();
        }
        if (AcceptKeyword("METADATA")) {
            Expect(TokenKind::kEq);
            return out + "METADATA = " + ExpectString();
        }
        if (AcceptKeyword("HIGHLIGHT")) {
            return out + "HIGHLIGHT";
        }
        if (AcceptKeyword("SPELL_CORRECTION")) {
            Expect(TokenKind::kEq);
            if (AcceptKeyword("TRUE")) {
                return out + "SPELL_CORRECTION = true";
            }
            ExpectKeyword("FALSE");
            return out + "SPELL_CORRECTION = false";
        }
        Unexpected(Peek());
    }

    std::string_view src_;
    std::vector<Token> tokens_;
    std::size_t index_ = 0;
};

bool StartsWithFind(std::string_view s, std::size_t pos) {
    return s.size() >= pos + 4 && EqualsIgnoreCase(s.substr(pos, 4), "FIND") &&
           (s.size() == pos + 4 || !IsIdentChar(s[pos + 4]));
}

}  // namespace

boost::system::result<SearchExpr, SoqlError> ParseSearchExpr(std::string_view term,
                                                             std::string_view statement,
                                                             std::size_t term_offset) {
    try {
        return TermParser(term, statement, term_offset).Run();
    } catch (const Failure& f) {
        return f.error;
    }
}

SearchParseResult ParseSearch(std::string_view sosl) {
    try {
        const std::size_t start = SkipSpace(sosl, 0);
        if (start >= sosl.size()) {
            return MakePlainError(std::string(kMalformedSearch), std::string(kNoSearchTerm));
        }
        if (!StartsWithFind(sosl, start)) {
            std::size_t end = start;
            while (end < sosl.size() && IsIdentChar(sosl[end])) {
                ++end;
            }
            const std::string shown =
                end > start ? std::string(sosl.substr(start, end - start)) : CharAt(sosl, start);
            FailAtOffset(sosl, start, "unexpected token: '" + shown + "'");
        }
        const std::size_t open = SkipSpace(sosl, start + 4);
        if (open >= sosl.size() || sosl[open] != '{') {
            // Recorded without a position (wire reference §B.12).
            return MakePlainError(std::string(kMalformedSearch), std::string(kNoSearchTerm));
        }
        const std::size_t close = ScanTerm(sosl, open);

        SearchQuery q;
        q.term = std::string(sosl.substr(open + 1, close - open - 1));
        q.term_pos = PositionAt(sosl, open + 1);
        auto tokens = Tokenize(sosl, close + 1);
        if (!tokens) {
            SoqlError e = tokens.error();
            e.code = std::string(kMalformedSearch);
            return e;
        }
        ClauseParser(sosl, std::move(*tokens)).Run(q);

        auto expr = ParseSearchExpr(q.term, sosl, open + 1);
        if (!expr) {
            return expr.error();
        }
        if (SearchTextLength(*expr) < 2) {
            // Salesforce's text (Apex SearchException and the UI API's INVALID_SEARCH, which
            // both append the term).
            return MakePlainError(std::string(kInvalidSearch),
                                  "search term must be longer than one character: " + q.term);
        }
        q.expr = std::move(*expr);
        return q;
    } catch (const Failure& f) {
        return f.error;
    }
}

std::string EscapeSearchText(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            // An escape stays an escape; a trailing backslash would escape the closing brace.
            out += c;
            if (i + 1 < text.size()) {
                out += text[++i];
            } else {
                out += '\\';
            }
            continue;
        }
        if (MustEscapeInTerm(c) || c == '}') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

}  // namespace sfkit::soql
