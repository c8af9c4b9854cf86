// SOQL recursive-descent parser and the syntactic limit checks Salesforce applies before it looks
// at the schema. Error texts are Salesforce's where known (README.md lists which are confirmed).
#include "soql/parser.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "soql/lexer.hpp"
#include "soql/parser_internal.hpp"

namespace sfkit::soql {
namespace {

// Thrown inside the parser, caught once in Parse(): keeps every grammar rule a plain function.
struct Failure {
    SoqlError error;
};

// kSearch: the field spec of a SOSL RETURNING item (parser_internal.hpp).
enum class QueryKind { kTop, kChild, kSemiJoin, kSearch };

// Where an expression appears: decides which functions it may be.
enum class ExprContext {
    kSelect,
    kWhere,
    kHaving,
    kGroupBy,
    kOrderBy,
    kSemiJoinSelect,
    kSearchSelect,  ///< SOSL field lists: no aggregates ("RETURNING FieldSpec")
};

bool AllowedIn(Function f, ExprContext ctx) {
    switch (ctx) {
        case ExprContext::kSelect:
            return f != Function::kConvertTimezone;
        case ExprContext::kWhere:
            return IsDateFunction(f) || f == Function::kToLabel || f == Function::kDistance;
        case ExprContext::kHaving:
            return IsAggregate(f) || IsDateFunction(f) || f == Function::kGrouping;
        case ExprContext::kOrderBy:
            return IsAggregate(f) || IsDateFunction(f) || f == Function::kGrouping ||
                   f == Function::kDistance;
        case ExprContext::kGroupBy:
            return IsDateFunction(f);
        case ExprContext::kSemiJoinSelect:
            return false;
        case ExprContext::kSearchSelect:
            return f == Function::kToLabel || f == Function::kFormat ||
                   f == Function::kConvertCurrency;
    }
    return false;
}

SourcePos PosOf(const Token& t) {
    return SourcePos{t.row, t.column};
}

std::string Shown(const Token& t) {
    return t.kind == TokenKind::kEnd ? std::string("<EOF>") : std::string(t.text);
}

// `USD5000`: a three-letter ISO code followed directly by digits.
bool LooksLikeCurrency(std::string_view word) {
    if (word.size() < 4) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        const char c = word[i];
        const bool ok =
            i < 3 ? ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) : (c >= '0' && c <= '9');
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string UpperAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

class Parser {
public:
    Parser(std::string_view src, std::vector<Token> tokens, const ParseOptions& options)
        : src_(src), tokens_(std::move(tokens)), options_(options) {}

    /// For SOSL field specs: errors with another code, columns shifted by `column_adjust`.
    void SetErrorStyle(std::string_view code, int column_adjust) {
        code_ = std::string(code);
        column_adjust_ = column_adjust;
    }
    void SetIndex(std::size_t index) { index_ = std::min(index, tokens_.size() - 1); }
    std::size_t Index() const { return index_; }

    // SOSL "RETURNING FieldSpec": `field, ... [WHERE c] [USING ListView = name] [ORDER BY ...]
    // [LIMIT n] [OFFSET n]`, up to the closing parenthesis (which the caller expects).
    SearchFieldSpec ParseSearchFieldSpec() {
        Nesting guard(*this);
        query_stack_.push_back(QueryKind::kSearch);
        SearchFieldSpec spec;
        do {
            SelectExpr s;
            s.expr = ParseExpr(ExprContext::kSearchSelect);
            spec.fields.push_back(SelectItem{std::move(s)});
        } while (Accept(TokenKind::kComma));
        if (AcceptKeyword("WHERE")) {
            spec.where = ParseCondition(ExprContext::kWhere);
        }
        if (AtKeyword("USING") && AtKeyword("LISTVIEW", 1)) {
            Next();
            Next();
            if (!Accept(TokenKind::kEq)) {
                Unexpected(Peek());
            }
            spec.list_view = ExpectName();
        }
        if (AtKeyword("ORDER") && AtKeyword("BY", 1)) {
            Next();
            Next();
            do {
                spec.order_by.push_back(ParseOrderItem());
            } while (Accept(TokenKind::kComma));
        }
        if (AcceptKeyword("LIMIT")) {
            spec.limit = ParseCount(&spec.limit_pos);
        }
        if (AtKeyword("OFFSET") && !AtName(1)) {
            Next();
            spec.offset = ParseCount(&spec.offset_pos);
        }
        query_stack_.pop_back();
        return spec;
    }

    Query ParseStatement() {
        if (!AtKeyword("SELECT") && !At(TokenKind::kEnd)) {
            // A statement that does not start with SELECT: the bare reason, the token unquoted,
            // no echo [R] (sf-fx-runtime WireMock mapping query-malformed-soql.json, v51.0:
            // `[{"message":"unexpected token: SELEKT","errorCode":"MALFORMED_QUERY"}]`). Errors
            // further in keep the echo and the quoted token.
            throw Failure{MakePlainError(code_, "unexpected token: " + std::string(Peek().text))};
        }
        Query q = ParseQuery(QueryKind::kTop, 0);
        if (Peek().Is("ALL") && Peek(1).Is("ROWS")) {
            // Apex-only: `[SELECT ... ALL ROWS]`. The REST API uses /queryAll instead.
            Fail(Peek(), "ALL ROWS not allowed in this context");
        }
        if (!At(TokenKind::kEnd)) {
            Unexpected(Peek());
        }
        return q;
    }

private:
    // ---- token access -------------------------------------------------------------------------

    const Token& Peek(std::size_t ahead = 0) const {
        const std::size_t i = std::min(index_ + ahead, tokens_.size() - 1);
        return tokens_[i];
    }
    const Token& Next() {
        const Token& t = tokens_[index_];
        if (t.kind != TokenKind::kEnd) {
            ++index_;
        }
        return t;
    }
    bool At(TokenKind kind, std::size_t ahead = 0) const { return Peek(ahead).kind == kind; }
    bool AtKeyword(std::string_view kw, std::size_t ahead = 0) const { return Peek(ahead).Is(kw); }
    bool Accept(TokenKind kind) {
        if (At(kind)) {
            Next();
            return true;
        }
        return false;
    }
    bool AcceptKeyword(std::string_view kw) {
        if (AtKeyword(kw)) {
            Next();
            return true;
        }
        return false;
    }

    // ---- errors -------------------------------------------------------------------------------

    [[noreturn]] void Fail(const Token& t, std::string reason) const {
        throw Failure{
            MakePositionedError(code_, src_, t.row, t.column + column_adjust_, std::move(reason))};
    }
    [[noreturn]] void FailAt(SourcePos pos, std::string reason) const {
        throw Failure{MakePositionedError(
            code_, src_, pos.row, pos.column + column_adjust_, std::move(reason))};
    }
    [[noreturn]] void Unexpected(const Token& t) const {
        if (t.kind == TokenKind::kEnd) {
            Fail(t, "unexpected token: <EOF>");
        }
        Fail(t, "unexpected token: '" + std::string(t.text) + "'");
    }
    [[noreturn]] void BindVariable(const Token& colon) const {
        Fail(colon, "Bind variables only allowed in Apex code");
    }
    void ExpectKeyword(std::string_view kw) {
        if (!AcceptKeyword(kw)) {
            Unexpected(Peek());
        }
    }
    /// The enum value of whichever keyword of `choices` comes next; else an unexpected token.
    template <class E, std::size_t N>
    E ExpectOneOf(const std::array<std::pair<std::string_view, E>, N>& choices) {
        for (const auto& [keyword, value] : choices) {
            if (AcceptKeyword(keyword)) {
                return value;
            }
        }
        Unexpected(Peek());
    }

    void ExpectComma() {
        if (!Accept(TokenKind::kComma)) {
            Unexpected(Peek());
        }
    }
    void ExpectLParen() {
        if (!Accept(TokenKind::kLParen)) {
            Fail(Peek(), "expecting a left parentheses, found '" + Shown(Peek()) + "'");
        }
    }
    void ExpectRParen() {
        if (!Accept(TokenKind::kRParen)) {
            Fail(Peek(), "expecting a right parentheses, found '" + Shown(Peek()) + "'");
        }
    }

    // Guards recursion so that no input can exhaust the stack.
    class Nesting {
    public:
        explicit Nesting(Parser& p) : p_(p) {
            if (++p_.nesting_ > kMaxNesting) {
                throw Failure{MakePlainError(std::string(kQueryTooComplicated),
                                             std::string(kQueryTooComplicatedMessage))};
            }
        }
        ~Nesting() { --p_.nesting_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        Parser& p_;
    };

    // ---- names --------------------------------------------------------------------------------

    // An identifier usable as a name here: not one of SOQL's reserved words.
    bool AtName(std::size_t ahead = 0) const {
        const Token& t = Peek(ahead);
        return t.kind == TokenKind::kIdentifier && !IsReservedWord(t.text);
    }

    std::string ExpectName() {
        if (!AtName()) {
            Unexpected(Peek());
        }
        return std::string(Next().text);
    }

    FieldPath ParseFieldPath() {
        FieldPath path;
        path.pos = PosOf(Peek());
        path.parts.push_back(ExpectName());
        while (Accept(TokenKind::kDot)) {
            path.parts.push_back(ExpectName());
        }
        return path;
    }

    // Does the current token start a clause (so it is not an alias)? Non-reserved keywords need
    // the next token to decide: `FROM Account Order` has an alias, `... ORDER BY` does not.
    bool AtClauseStart() const {
        return (AtKeyword("USING") && AtKeyword("SCOPE", 1)) ||
               (AtKeyword("ORDER") && AtKeyword("BY", 1)) ||
               (AtKeyword("GROUP") && AtKeyword("BY", 1)) ||
               (AtKeyword("OFFSET") && (At(TokenKind::kInteger, 1) || At(TokenKind::kDecimal, 1) ||
                                        At(TokenKind::kColon, 1))) ||
               (AtKeyword("FOR") &&
                (AtKeyword("VIEW", 1) || AtKeyword("REFERENCE", 1) || AtKeyword("UPDATE", 1))) ||
               (AtKeyword("UPDATE") && (AtKeyword("TRACKING", 1) || AtKeyword("VIEWSTAT", 1))) ||
               (AtKeyword("ALL") && AtKeyword("ROWS", 1));
    }

    std::optional<std::string> ParseOptionalAlias(SourcePos* pos) {
        if (AtName() && !AtClauseStart()) {
            if (pos != nullptr) {
                *pos = PosOf(Peek());
            }
            return std::string(Next().text);
        }
        return std::nullopt;
    }

    // ---- expressions --------------------------------------------------------------------------

    Expr ParseExpr(ExprContext ctx) {
        if (AtName() && At(TokenKind::kLParen, 1)) {
            const std::optional<Function> f = FindFunction(Peek().text);
            if (f && AllowedIn(*f, ctx)) {
                return Expr{ParseCall(*f)};
            }
        }
        // Not a function here: a field path, and a following '(' is reported as unexpected.
        return Expr{ParseFieldPath()};
    }

    Call ParseCall(Function f) {
        Call call;
        call.function = f;
        call.pos = PosOf(Next());  // the name
        Next();                    // '('
        if (f == Function::kCount && At(TokenKind::kRParen)) {
            Next();
            return call;  // COUNT()
        }
        if (f == Function::kDistance) {
            ParseDistanceArgs(call);
            return call;
        }
        std::optional<Function> inner;
        if (AtName() && At(TokenKind::kLParen, 1)) {
            inner = FindFunction(Peek().text);
        }
        if (inner && IsDateFunction(f) && *inner == Function::kConvertTimezone) {
            call.args.push_back(Expr{ParseCall(*inner)});
        } else if (inner && f == Function::kFormat &&
                   (IsAggregate(*inner) || *inner == Function::kConvertCurrency)) {
            call.args.push_back(Expr{ParseCall(*inner)});
        } else {
            call.args.push_back(Expr{ParseFieldPath()});
        }
        ExpectRParen();
        return call;
    }

    // DISTANCE(field, GEOLOCATION(lat, lon), 'mi' | 'km') (SOQL reference, "Location-Based SOQL
    // Queries"; apex-dev-tools/apex-parser BaseApexParser.g4 `DISTANCE ... GEOLOCATION`).
    void ParseDistanceArgs(Call& call) {
        call.args.push_back(Expr{ParseFieldPath()});
        ExpectComma();
        if (!AtKeyword("GEOLOCATION") || !At(TokenKind::kLParen, 1)) {
            Unexpected(Peek());
        }
        Next();
        Next();
        for (int i = 0; i < 2; ++i) {
            if (!At(TokenKind::kInteger) && !At(TokenKind::kDecimal)) {
                Unexpected(Peek());
            }
            call.geo.emplace_back(Next().text);
            if (i == 0) {
                ExpectComma();
            }
        }
        ExpectRParen();
        ExpectComma();
        const Token& unit = Peek();
        if (unit.kind != TokenKind::kString ||
            (UpperAscii(unit.value) != "MI" && UpperAscii(unit.value) != "KM")) {
            Unexpected(unit);
        }
        call.geo.push_back(unit.value);
        Next();
        ExpectRParen();
    }

    // ---- values -------------------------------------------------------------------------------

    Value ParseValue() {
        const Token& t = Peek();
        Value v;
        v.pos = PosOf(t);
        switch (t.kind) {
            case TokenKind::kString:
                v.node = StringValue{t.value, t.escaped_wildcards};
                Next();
                return v;
            case TokenKind::kInteger:
            case TokenKind::kDecimal:
                v.node = NumberValue{std::string(t.text), t.kind == TokenKind::kInteger};
                Next();
                return v;
            case TokenKind::kDate:
                v.node = DateValue{std::string(t.text), t.date_time};
                Next();
                return v;
            case TokenKind::kDateTime:
                v.node = DateTimeValue{std::string(t.text), t.date_time};
                Next();
                return v;
            case TokenKind::kTime:
                v.node = TimeValue{std::string(t.text), t.date_time};
                Next();
                return v;
            case TokenKind::kDateLiteralN: {
                const std::string_view name = t.text.substr(0, t.text.find(':'));
                if (t.number > std::numeric_limits<std::int32_t>::max()) {
                    Fail(t, "Invalid date literal value: " + std::string(t.text));
                }
                v.node = DateLiteralValue{*FindDateLiteral(name), t.number};
                Next();
                return v;
            }
            case TokenKind::kColon:
                BindVariable(t);
            case TokenKind::kIdentifier:
                break;
            default:
                Unexpected(t);
        }
        if (t.Is("NULL")) {
            v.node = NullValue{};
        } else if (t.Is("TRUE") || t.Is("FALSE")) {
            v.node = BoolValue{t.Is("TRUE")};
        } else if (const std::optional<DateLiteralKind> k = FindDateLiteral(t.text)) {
            if (DateLiteralTakesNumber(*k)) {
                Unexpected(t);  // LAST_N_DAYS without `:n`
            }
            v.node = DateLiteralValue{*k, std::nullopt};
        } else if (LooksLikeCurrency(t.text)) {
            return ParseCurrency();
        } else if (LooksLikeNegativeCurrency()) {
            return ParseCurrency();
        } else {
            // A field name on the right-hand side: SOQL compares with literals only.
            Unexpected(t);
        }
        Next();
        return v;
    }

    static bool Touches(const Token& a, const Token& b) {
        return a.row == b.row && a.column + static_cast<int>(a.text.size()) == b.column;
    }

    // `USD-500`: a three-letter code touching a negative number (the lexer reads `USD` and
    // `-500`); the SOQL reference's currency example for negative amounts.
    bool LooksLikeNegativeCurrency() const {
        const Token& code = Peek();
        const Token& number = Peek(1);
        return code.text.size() == 3 && LooksLikeCurrency(std::string(code.text) + "0") &&
               (number.kind == TokenKind::kInteger || number.kind == TokenKind::kDecimal) &&
               number.text[0] == '-' && Touches(code, number);
    }

    // `USD5000` or `USD5000.50`: the lexer reads the latter as `USD5000` and `.50`, which must
    // touch. `USD-500`: `USD` and `-500`.
    Value ParseCurrency() {
        const Token& code = Next();
        Value v;
        v.pos = PosOf(code);
        CurrencyValue c;
        c.iso_code = UpperAscii(code.text.substr(0, 3));
        c.amount = std::string(code.text.substr(3));
        if (c.amount.empty()) {
            c.amount = Next().text;  // `-500` (LooksLikeNegativeCurrency)
            v.node = std::move(c);
            return v;
        }
        if (At(TokenKind::kDecimal) && Peek().text[0] == '.' && Touches(code, Peek())) {
            c.amount += Next().text;
        }
        v.node = std::move(c);
        return v;
    }

    std::vector<Value> ParseValueList() {
        std::vector<Value> values;
        values.push_back(ParseValue());
        while (Accept(TokenKind::kComma)) {
            values.push_back(ParseValue());
        }
        ExpectRParen();
        return values;
    }

    std::int64_t ParseCount(SourcePos* pos) {
        const Token& t = Peek();
        if (t.kind == TokenKind::kColon) {
            BindVariable(t);
        }
        if (t.kind != TokenKind::kInteger || t.text[0] == '+' || t.text[0] == '-' ||
            t.text.size() > 18) {
            Unexpected(t);
        }
        std::int64_t n = 0;
        for (char c : t.text) {
            n = n * 10 + (c - '0');
        }
        *pos = PosOf(t);
        Next();
        return n;
    }

    // ---- conditions ---------------------------------------------------------------------------

    // `a AND b AND c` or `a OR b OR c`; mixing needs parentheses (SOQL reference,
    // "conditionExpression"), so the other operator is an unexpected token.
    Condition ParseCondition(ExprContext ctx) {
        Nesting guard(*this);
        Condition first = ParseUnary(ctx);
        LogicalOp op;
        if (AtKeyword("AND")) {
            op = LogicalOp::kAnd;
        } else if (AtKeyword("OR")) {
            op = LogicalOp::kOr;
        } else {
            return first;
        }
        const std::string_view keyword = op == LogicalOp::kAnd ? "AND" : "OR";
        Logical logical;
        logical.op = op;
        logical.operands.push_back(std::move(first));
        while (AcceptKeyword(keyword)) {
            logical.operands.push_back(ParseUnary(ctx));
        }
        if (AtKeyword("AND") || AtKeyword("OR")) {
            Unexpected(Peek());
        }
        return Condition{std::move(logical)};
    }

    Condition ParseUnary(ExprContext ctx) {
        Nesting guard(*this);
        if (AtKeyword("NOT")) {
            Not n;
            n.pos = PosOf(Next());
            n.operand = ParseUnary(ctx);
            return Condition{std::move(n)};
        }
        if (Accept(TokenKind::kLParen)) {
            Condition inner = ParseCondition(ctx);
            ExpectRParen();
            return inner;
        }
        return ParseSimpleCondition(ctx);
    }

    Condition ParseSimpleCondition(ExprContext ctx) {
        Expr lhs = ParseExpr(ctx);
        const Token& op = Peek();
        const SourcePos op_pos = PosOf(op);
        std::optional<CompareOp> compare;
        switch (op.kind) {
            case TokenKind::kEq:
                compare = CompareOp::kEq;
                break;
            case TokenKind::kNe:
            case TokenKind::kLtGt:
                compare = CompareOp::kNe;
                break;
            case TokenKind::kLt:
                compare = CompareOp::kLt;
                break;
            case TokenKind::kLe:
                compare = CompareOp::kLe;
                break;
            case TokenKind::kGt:
                compare = CompareOp::kGt;
                break;
            case TokenKind::kGe:
                compare = CompareOp::kGe;
                break;
            default:
                if (op.Is("LIKE")) {
                    compare = CompareOp::kLike;
                }
        }
        if (compare) {
            Next();
            Comparison c{std::move(lhs), *compare, ParseValue(), op_pos};
            return Condition{std::move(c)};
        }
        if (op.Is("IN")) {
            Next();
            return ParseInRhs(std::move(lhs), false, op_pos, ctx);
        }
        if (op.Is("NOT") && AtKeyword("IN", 1)) {
            Next();
            Next();
            return ParseInRhs(std::move(lhs), true, op_pos, ctx);
        }
        if (op.Is("INCLUDES") || op.Is("EXCLUDES")) {
            const SetOp set_op = op.Is("INCLUDES") ? SetOp::kIncludes : SetOp::kExcludes;
            Next();
            ExpectLParen();
            SetComparison s{std::move(lhs), set_op, ParseValueList(), op_pos};
            return Condition{std::move(s)};
        }
        Unexpected(op);
    }

    Condition ParseInRhs(Expr lhs, bool negated, SourcePos op_pos, ExprContext ctx) {
        if (At(TokenKind::kColon)) {
            BindVariable(Peek());
        }
        if (!Accept(TokenKind::kLParen)) {
            // What Salesforce's parser says here: it expects an Apex bind (`IN :ids`).
            Fail(Peek(), "expecting a colon, found '" + Shown(Peek()) + "'");
        }
        if (AtKeyword("SELECT")) {
            const FieldPath* field = lhs.AsField();
            if (ctx != ExprContext::kWhere || field == nullptr) {
                Unexpected(Peek());
            }
            SemiJoin s;
            s.lhs = *field;
            s.anti = negated;
            s.op_pos = op_pos;
            if (query_stack_.back() == QueryKind::kSearch) {
                // Not in the SOSL grammar ("WHERE" of RETURNING FieldSpec); sfkit's text.
                Fail(Peek(), "Semi join sub-selects are not supported in SOSL WHERE clauses");
            }
            if (query_stack_.back() != QueryKind::kTop) {
                // SOQL reference, "Semi-Joins and Anti-Joins": no semi-join inside a semi-join
                // subquery nor in the WHERE of a child-relationship subquery.
                Fail(Peek(),
                     query_stack_.back() == QueryKind::kSemiJoin
                         ? "Nesting of semi join sub-selects is not supported"
                         : "Semi join sub-selects are not allowed in child relationship "
                           "subqueries");
            }
            s.subquery = ParseQuery(QueryKind::kSemiJoin, 0);
            ExpectRParen();
            return Condition{std::move(s)};
        }
        SetComparison set{std::move(lhs), negated ? SetOp::kNotIn : SetOp::kIn, {}, op_pos};
        set.values = ParseValueList();
        return Condition{std::move(set)};
    }

    // ---- SELECT list --------------------------------------------------------------------------

    SelectItem ParseSelectItem(QueryKind kind, int child_depth) {
        if (kind == QueryKind::kSemiJoin) {
            if (AtKeyword("TYPEOF") && AtName(1) && AtKeyword("WHEN", 2)) {
                // "TYPEOF isn't allowed in the SELECT clause of a semi-join query" (SOQL
                // reference, TYPEOF considerations, as we read it); the text is sfkit's.
                Fail(Peek(), "TYPEOF is not allowed in the SELECT clause of a semi-join query");
            }
            // The one column a semi-join compares with: a plain field.
            return SelectItem{SelectExpr{Expr{ParseFieldPath()}, std::nullopt, {}}};
        }
        if (At(TokenKind::kLParen) && AtKeyword("SELECT", 1)) {
            const Token& open = Peek();
            if (child_depth + 1 > options_.max_child_depth) {
                const int n = options_.max_child_depth;
                Fail(open,
                     "SOQL statements cannot query aggregate relationships more than " +
                         std::to_string(n) + (n == 1 ? " level" : " levels") +
                         " away from the root entity object.");
            }
            SubqueryItem item;
            item.pos = PosOf(Next());
            item.query = ParseQuery(QueryKind::kChild, child_depth + 1);
            ExpectRParen();
            return SelectItem{std::move(item)};
        }
        if (AtKeyword("TYPEOF") && AtName(1)) {
            return SelectItem{ParseTypeOf()};
        }
        if (AtKeyword("FIELDS") && At(TokenKind::kLParen, 1)) {
            FieldsItem f;
            f.pos = PosOf(Next());
            Next();  // '('
            f.kind = ExpectOneOf(std::array<std::pair<std::string_view, FieldsKind>, 3>{
                {{"ALL", FieldsKind::kAll},
                 {"STANDARD", FieldsKind::kStandard},
                 {"CUSTOM", FieldsKind::kCustom}}});
            ExpectRParen();
            return SelectItem{f};
        }
        SelectExpr s;
        s.expr = ParseExpr(ExprContext::kSelect);
        s.alias = ParseOptionalAlias(&s.alias_pos);
        return SelectItem{std::move(s)};
    }

    std::vector<FieldPath> ParseFieldList() {
        std::vector<FieldPath> fields;
        fields.push_back(ParseFieldPath());
        while (Accept(TokenKind::kComma)) {
            fields.push_back(ParseFieldPath());
        }
        return fields;
    }

    TypeOfItem ParseTypeOf() {
        TypeOfItem t;
        t.pos = PosOf(Next());  // TYPEOF
        t.field = ExpectName();
        while (AtKeyword("WHEN")) {
            TypeOfWhen w;
            w.pos = PosOf(Next());
            w.object_type = ExpectName();
            ExpectKeyword("THEN");
            w.fields = ParseFieldList();
            t.whens.push_back(std::move(w));
        }
        if (t.whens.empty()) {
            Unexpected(Peek());
        }
        if (AcceptKeyword("ELSE")) {
            t.else_fields = ParseFieldList();
        }
        ExpectKeyword("END");
        return t;
    }

    // ---- query --------------------------------------------------------------------------------

    Query ParseQuery(QueryKind kind, int child_depth) {
        Nesting guard(*this);
        query_stack_.push_back(kind);
        Query q;
        q.pos = PosOf(Peek());
        ExpectKeyword("SELECT");
        do {
            q.select.push_back(ParseSelectItem(kind, child_depth));
        } while (kind != QueryKind::kSemiJoin && Accept(TokenKind::kComma));
        ExpectKeyword("FROM");
        if (kind == QueryKind::kChild) {
            q.from = ParseFieldPath();  // a relationship, possibly `Account.Contacts`
        } else {
            q.from.pos = PosOf(Peek());
            q.from.parts.push_back(ExpectName());
        }
        q.from_alias = ParseOptionalAlias(nullptr);

        if (kind == QueryKind::kTop && AtKeyword("USING") && AtKeyword("SCOPE", 1)) {
            Next();
            Next();
            q.using_scope = ExpectName();
        }
        if (AcceptKeyword("WHERE")) {
            q.where = ParseCondition(ExprContext::kWhere);
        }
        if (kind == QueryKind::kSemiJoin) {
            query_stack_.pop_back();
            return q;
        }
        while (kind == QueryKind::kTop && AtKeyword("WITH")) {
            ParseWith(q);
        }
        if (kind == QueryKind::kTop && AtKeyword("GROUP") && AtKeyword("BY", 1)) {
            Next();
            Next();
            q.group_by = ParseGroupBy();
            if (AcceptKeyword("HAVING")) {
                q.having = ParseCondition(ExprContext::kHaving);
            }
        }
        if (AtKeyword("ORDER") && AtKeyword("BY", 1)) {
            Next();
            Next();
            do {
                q.order_by.push_back(ParseOrderItem());
            } while (Accept(TokenKind::kComma));
        }
        if (AcceptKeyword("LIMIT")) {
            q.limit = ParseCount(&q.limit_pos);
        }
        if (AtKeyword("OFFSET") && !AtName(1)) {
            Next();
            q.offset = ParseCount(&q.offset_pos);
        }
        if (kind == QueryKind::kTop && AtKeyword("FOR")) {
            Next();
            q.for_clause = ExpectOneOf(std::array<std::pair<std::string_view, ForClause>, 3>{
                {{"VIEW", ForClause::kView},
                 {"REFERENCE", ForClause::kReference},
                 {"UPDATE", ForClause::kUpdate}}});
        }
        // `UPDATE TRACKING`, `UPDATE VIEWSTAT` or both, comma-separated, after any FOR clause
        // (apex-dev-tools/apex-parser BaseApexParser.g4 `query` / `updateList`).
        if (kind == QueryKind::kTop && AcceptKeyword("UPDATE")) {
            do {
                q.update.push_back(
                    ExpectOneOf(std::array<std::pair<std::string_view, UpdateKind>, 2>{
                        {{"TRACKING", UpdateKind::kTracking},
                         {"VIEWSTAT", UpdateKind::kViewStat}}}));
            } while (Accept(TokenKind::kComma));
        }
        query_stack_.pop_back();
        return q;
    }

    // WITH DATA CATEGORY <selections AND-ed> | SECURITY_ENFORCED | USER_MODE | SYSTEM_MODE. The
    // data category filter and one access clause may both appear, each at most once.
    void ParseWith(Query& q) {
        Next();  // WITH
        if (AtKeyword("DATA") && AtKeyword("CATEGORY", 1) && q.data_category.empty()) {
            Next();
            Next();
            do {
                DataCategorySelection d;
                d.group = ExpectName();
                d.selector =
                    ExpectOneOf(std::array<std::pair<std::string_view, CategorySelector>, 4>{
                        {{"AT", CategorySelector::kAt},
                         {"ABOVE", CategorySelector::kAbove},
                         {"BELOW", CategorySelector::kBelow},
                         {"ABOVE_OR_BELOW", CategorySelector::kAboveOrBelow}}});
                if (Accept(TokenKind::kLParen)) {
                    do {
                        d.categories.push_back(ExpectName());
                    } while (Accept(TokenKind::kComma));
                    ExpectRParen();
                } else {
                    d.categories.push_back(ExpectName());
                }
                q.data_category.push_back(std::move(d));
            } while (AcceptKeyword("AND"));
            return;
        }
        const bool free = !q.with_security_enforced && !q.access_mode;
        if (free && AcceptKeyword("SECURITY_ENFORCED")) {
            q.with_security_enforced = true;
        } else if (free && AcceptKeyword("USER_MODE")) {
            q.access_mode = AccessMode::kUser;
        } else if (free && AcceptKeyword("SYSTEM_MODE")) {
            q.access_mode = AccessMode::kSystem;
        } else {
            Unexpected(Peek());
        }
    }

    GroupBy ParseGroupBy() {
        GroupBy g;
        bool parenthesised = false;
        if ((AtKeyword("ROLLUP") || AtKeyword("CUBE")) && At(TokenKind::kLParen, 1)) {
            g.kind = AtKeyword("ROLLUP") ? GroupByKind::kRollup : GroupByKind::kCube;
            Next();
            Next();
            parenthesised = true;
        }
        do {
            if (parenthesised && g.exprs.size() == kMaxRollupFields) {
                // "You can include up to three fields in a GROUP BY ROLLUP/CUBE clause" [D]; the
                // text is ours. Each field doubles CUBE's grouping sets (one SQL branch each).
                Fail(Peek(),
                     std::string(g.kind == GroupByKind::kRollup ? "ROLLUP" : "CUBE") +
                         " can group by at most " + std::to_string(kMaxRollupFields) + " fields");
            }
            g.exprs.push_back(ParseExpr(ExprContext::kGroupBy));
        } while (Accept(TokenKind::kComma));
        if (parenthesised) {
            ExpectRParen();
        }
        return g;
    }

    OrderItem ParseOrderItem() {
        OrderItem o;
        o.expr = ParseExpr(ExprContext::kOrderBy);
        if (AcceptKeyword("ASC")) {
            o.direction = SortDirection::kAsc;
        } else if (AcceptKeyword("DESC")) {
            o.direction = SortDirection::kDesc;
        }
        if (AcceptKeyword("NULLS")) {
            if (AcceptKeyword("FIRST")) {
                o.nulls = NullsOrder::kFirst;
            } else if (AcceptKeyword("LAST")) {
                o.nulls = NullsOrder::kLast;
            } else {
                Unexpected(Peek());
            }
        }
        return o;
    }

    std::string_view src_;
    std::vector<Token> tokens_;
    ParseOptions options_;
    std::size_t index_ = 0;
    int nesting_ = 0;
    std::vector<QueryKind> query_stack_;
    std::string code_ = std::string(kMalformedQuery);
    int column_adjust_ = 0;
};

// ---- checks after a successful parse ----------------------------------------------------------
//
// Salesforce reports these only for queries that are syntactically valid, so they run on the
// finished tree, in this order: relationship depth, aliases, semi-join placement and count,
// FIELDS() without LIMIT, OFFSET.

class Validator {
public:
    explicit Validator(std::string_view src) : src_(src) {}

    void Run(const Query& q) { CheckQuery(q, QueryKind::kTop, nullptr); }

private:
    [[noreturn]] void FailAt(SourcePos pos, std::string reason) const {
        throw Failure{MakePositionedError(
            std::string(kMalformedQuery), src_, pos.row, pos.column, std::move(reason))};
    }

    void CheckQuery(const Query& q, QueryKind kind, const Query* parent) {
        CheckPaths(q, kind);
        CheckAliases(q);
        if (q.where) {
            int semi_joins = 0;
            CheckSemiJoins(*q.where, false, semi_joins);
        }
        for (const SelectItem& item : q.select) {
            if (const auto* sub = std::get_if<SubqueryItem>(&item.node)) {
                CheckQuery(*sub->query, QueryKind::kChild, &q);
            }
        }
        if (q.where) {
            ForEachSemiJoin(*q.where, [this, &q](const SemiJoin& s) {
                CheckQuery(*s.subquery, QueryKind::kSemiJoin, &q);
            });
        }
        CheckFieldsLimit(q);
        CheckOffset(q, kind, parent);
    }

    // No more than five child-to-parent hops per path. The first part may name the FROM object
    // or its alias (`Account.Owner.Name` from Account is one hop); in a child subquery it may
    // name the child object, which only the binder knows, so one extra part is allowed there.
    void CheckPaths(const Query& q, QueryKind kind) {
        const auto check = [&](const FieldPath& p) {
            int hops = static_cast<int>(p.parts.size()) - 1;
            if (hops > 0) {
                const std::string& first = p.parts.front();
                const bool names_root =
                    (q.from_alias && EqualsIgnoreCase(first, *q.from_alias)) ||
                    (kind != QueryKind::kChild && EqualsIgnoreCase(first, q.from.parts.back()));
                if (names_root || kind == QueryKind::kChild) {
                    --hops;
                }
            }
            if (hops > kMaxParentHops) {
                FailAt(p.pos,
                       "SOQL statements cannot query more than " + std::to_string(kMaxParentHops) +
                           " levels of child-to-parent relationships: " + p.ToString());
            }
        };
        const auto check_expr = [&](const Expr& e, const auto& self) -> void {
            if (const FieldPath* f = e.AsField()) {
                check(*f);
                return;
            }
            for (const Expr& a : e.AsCall()->args) {
                self(a, self);
            }
        };
        for (const SelectItem& item : q.select) {
            if (const auto* s = std::get_if<SelectExpr>(&item.node)) {
                check_expr(s->expr, check_expr);
            }
        }
        const auto check_condition = [&](const Condition& c, const auto& self) -> void {
            if (const auto* cmp = std::get_if<Comparison>(&c.node)) {
                check_expr(cmp->lhs, check_expr);
            } else if (const auto* set = std::get_if<SetComparison>(&c.node)) {
                check_expr(set->lhs, check_expr);
            } else if (const auto* semi = std::get_if<SemiJoin>(&c.node)) {
                check(semi->lhs);
            } else if (const auto* logical = std::get_if<Logical>(&c.node)) {
                for (const Condition& o : logical->operands) {
                    self(o, self);
                }
            } else if (const auto* n = std::get_if<Not>(&c.node)) {
                self(*n->operand, self);
            }
        };
        if (q.where) {
            check_condition(*q.where, check_condition);
        }
        if (q.having) {
            check_condition(*q.having, check_condition);
        }
        if (q.group_by) {
            for (const Expr& e : q.group_by->exprs) {
                check_expr(e, check_expr);
            }
        }
        for (const OrderItem& o : q.order_by) {
            check_expr(o.expr, check_expr);
        }
    }

    static bool HasAggregate(const Expr& e) {
        const Call* call = e.AsCall();
        if (call == nullptr) {
            return false;
        }
        if (IsAggregate(call->function)) {
            return true;
        }
        for (const Expr& a : call->args) {
            if (HasAggregate(a)) {
                return true;
            }
        }
        return false;
    }

    // Aliases name the columns of aggregate results; a non-aggregate query has none.
    void CheckAliases(const Query& q) {
        bool aggregate = q.group_by.has_value();
        for (const SelectItem& item : q.select) {
            if (const auto* s = std::get_if<SelectExpr>(&item.node)) {
                aggregate = aggregate || HasAggregate(s->expr);
            }
        }
        if (aggregate) {
            return;
        }
        for (const SelectItem& item : q.select) {
            // FORMAT() and convertCurrency() columns may be aliased in any query (SOQL
            // reference, "FORMAT()": `FORMAT(amount) Amt, convertCurrency(amount)
            // convertedAmount`).
            const auto* s = std::get_if<SelectExpr>(&item.node);
            const Call* call = s != nullptr ? s->expr.AsCall() : nullptr;
            if (call != nullptr &&
                (call->function == Function::kFormat ||
                 call->function == Function::kConvertCurrency ||
                 call->function == Function::kToLabel || call->function == Function::kDistance)) {
                // DISTANCE() too (SOQL reference, "Location-Based SOQL Queries": `DISTANCE(...)
                // dist`; apex-parser `selectEntry: soqlFunction soqlId?`).
                continue;
            }
            if (s != nullptr && s->alias) {
                FailAt(s->alias_pos, "Only aggregate expressions use field aliasing");
            }
        }
    }

    // A semi-join may sit under AND, or under an OR at the top of the WHERE, but not under an
    // OR that is itself inside an AND (recorded: `1 AND (2 OR 3)` with 3 a semi-join fails,
    // `(1 AND 2) OR (1 AND 3)` passes). At most kMaxSemiJoins per WHERE.
    void CheckSemiJoins(const Condition& c, bool below_and, int& count) {
        if (const auto* semi = std::get_if<SemiJoin>(&c.node)) {
            if (++count > kMaxSemiJoins) {
                FailAt(semi->op_pos,
                       "Maximum of " + std::to_string(kMaxSemiJoins) +
                           " semi join sub-selects are allowed per WHERE clause");
            }
        } else if (const auto* logical = std::get_if<Logical>(&c.node)) {
            const bool is_and = logical->op == LogicalOp::kAnd;
            for (const Condition& o : logical->operands) {
                if (!is_and && below_and && ContainsSemiJoin(o)) {
                    FailAt(FirstSemiJoin(o)->op_pos,
                           "Semi join sub-selects are only allowed at the top level WHERE "
                           "expressions and not in nested WHERE expressions.");
                }
                CheckSemiJoins(o, below_and || is_and, count);
            }
        } else if (const auto* n = std::get_if<Not>(&c.node)) {
            CheckSemiJoins(*n->operand, below_and, count);
        }
    }

    static const SemiJoin* FirstSemiJoin(const Condition& c) {
        if (const auto* semi = std::get_if<SemiJoin>(&c.node)) {
            return semi;
        }
        if (const auto* logical = std::get_if<Logical>(&c.node)) {
            for (const Condition& o : logical->operands) {
                if (const SemiJoin* s = FirstSemiJoin(o)) {
                    return s;
                }
            }
        }
        if (const auto* n = std::get_if<Not>(&c.node)) {
            return FirstSemiJoin(*n->operand);
        }
        return nullptr;
    }
    static bool ContainsSemiJoin(const Condition& c) { return FirstSemiJoin(c) != nullptr; }

    template <class F>
    static void ForEachSemiJoin(const Condition& c, F&& f) {
        if (const auto* semi = std::get_if<SemiJoin>(&c.node)) {
            f(*semi);
        } else if (const auto* logical = std::get_if<Logical>(&c.node)) {
            for (const Condition& o : logical->operands) {
                ForEachSemiJoin(o, f);
            }
        } else if (const auto* n = std::get_if<Not>(&c.node)) {
            ForEachSemiJoin(*n->operand, f);
        }
    }

    // SOQL reference, "FIELDS()": FIELDS(ALL) and FIELDS(CUSTOM) are unbounded and need
    // LIMIT 200 or less; FIELDS(STANDARD) does not.
    void CheckFieldsLimit(const Query& q) {
        for (const SelectItem& item : q.select) {
            const auto* f = std::get_if<FieldsItem>(&item.node);
            if (f && f->kind != FieldsKind::kStandard && (!q.limit || *q.limit > kMaxFieldsLimit)) {
                throw Failure{
                    MakePlainError(std::string(kMalformedQuery),
                                   "The SOQL FIELDS function must have a LIMIT of at most 200")};
            }
        }
    }

    // OFFSET above 2,000 is NUMBER_OUTSIDE_VALID_RANGE with a bare message (recorded in jsforce
    // / OrgCheck issues). A child subquery may use OFFSET only when its parent has LIMIT 1.
    void CheckOffset(const Query& q, QueryKind kind, const Query* parent) {
        if (!q.offset) {
            return;
        }
        if (kind == QueryKind::kChild && (parent == nullptr || parent->limit != 1)) {
            FailAt(q.offset_pos,
                   "OFFSET is allowed in a subquery only when the outer query has LIMIT 1");
        }
        if (*q.offset > kMaxOffset) {
            throw Failure{MakePlainError(
                std::string(kNumberOutsideValidRange),
                "Maximum SOQL offset allowed for apiName " + q.from.ToString() + " is 2000")};
        }
    }

    std::string_view src_;
};

std::size_t CountCharacters(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

}  // namespace

namespace detail {

boost::system::result<SearchFieldSpec, SoqlError> ParseSearchFieldSpec(
    std::string_view src,
    const std::vector<Token>& tokens,
    std::size_t* index,
    std::string_view code,
    int column_adjust) {
    try {
        Parser parser(src, tokens, ParseOptions{});
        parser.SetErrorStyle(code, column_adjust);
        parser.SetIndex(*index);
        SearchFieldSpec spec = parser.ParseSearchFieldSpec();
        *index = parser.Index();
        return spec;
    } catch (const Failure& f) {
        return f.error;
    }
}

}  // namespace detail

ParseResult Parse(std::string_view soql, const ParseOptions& options) {
    if (CountCharacters(soql) > kMaxSoqlLength) {
        return MakePlainError(std::string(kMalformedQuery),
                              "SOQL statements can not be longer than " +
                                  std::to_string(kMaxSoqlLength) + " characters");
    }
    auto tokens = Tokenize(soql);
    if (!tokens) {
        return tokens.error();
    }
    try {
        Parser parser(soql, std::move(*tokens), options);
        Query q = parser.ParseStatement();
        Validator(soql).Run(q);
        return q;
    } catch (const Failure& f) {
        return f.error;
    }
}

}  // namespace sfkit::soql
