// SOQL parser: the shape of the tree the binder walks, positions, options and limits, equality,
// and the printer's escaping. Broad grammar coverage lives in soql_cases_test.cpp.
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "soql/parser.hpp"

namespace sfkit::soql {
namespace {

Query MustParse(std::string_view soql, const ParseOptions& options = {}) {
    ParseResult r = Parse(soql, options);
    if (!r) {
        ADD_FAILURE() << soql << "\n" << r.error().message;
        return Query{};
    }
    return std::move(*r);
}

template <class T, class V>
const T& As(const V& variant_holder) {
    const T* p = std::get_if<T>(&variant_holder.node);
    if (p == nullptr) {
        throw std::runtime_error("unexpected node type");
    }
    return *p;
}

TEST(SoqlParserTest, SelectListShape) {
    const Query q = MustParse(
        "SELECT Id, Account.Owner.Name, toLabel(Status), COUNT(Id) cnt, FIELDS(STANDARD), "
        "(SELECT LastName FROM Contacts WHERE LastName != NULL ORDER BY LastName LIMIT 3), "
        "TYPEOF What WHEN Account THEN Phone, Name ELSE Email END FROM Case c GROUP BY Id");
    ASSERT_EQ(q.select.size(), 7u);

    const SelectExpr& id = As<SelectExpr>(q.select[0]);
    ASSERT_NE(id.expr.AsField(), nullptr);
    EXPECT_EQ(id.expr.AsField()->parts, (std::vector<std::string>{"Id"}));
    EXPECT_FALSE(id.alias);

    const FieldPath& path = *As<SelectExpr>(q.select[1]).expr.AsField();
    EXPECT_EQ(path.parts, (std::vector<std::string>{"Account", "Owner", "Name"}));
    EXPECT_EQ(path.ToString(), "Account.Owner.Name");
    EXPECT_EQ(path.pos.column, 12);

    const Call& label = *As<SelectExpr>(q.select[2]).expr.AsCall();
    EXPECT_EQ(label.function, Function::kToLabel);
    ASSERT_EQ(label.args.size(), 1u);
    EXPECT_EQ(label.args[0].AsField()->ToString(), "Status");

    const SelectExpr& count = As<SelectExpr>(q.select[3]);
    EXPECT_EQ(count.expr.AsCall()->function, Function::kCount);
    EXPECT_EQ(count.alias, "cnt");

    EXPECT_EQ(As<FieldsItem>(q.select[4]).kind, FieldsKind::kStandard);

    const Query& child = *As<SubqueryItem>(q.select[5]).query;
    EXPECT_EQ(child.from.ToString(), "Contacts");
    ASSERT_TRUE(child.where);
    EXPECT_TRUE(std::holds_alternative<NullValue>(As<Comparison>(*child.where).value.node));
    ASSERT_EQ(child.order_by.size(), 1u);
    EXPECT_EQ(child.limit, 3);

    const TypeOfItem& typeof_item = As<TypeOfItem>(q.select[6]);
    EXPECT_EQ(typeof_item.field, "What");
    ASSERT_EQ(typeof_item.whens.size(), 1u);
    EXPECT_EQ(typeof_item.whens[0].object_type, "Account");
    EXPECT_EQ(typeof_item.whens[0].fields.size(), 2u);
    ASSERT_EQ(typeof_item.else_fields.size(), 1u);
    EXPECT_EQ(typeof_item.else_fields[0].ToString(), "Email");

    EXPECT_EQ(q.from.ToString(), "Case");
    EXPECT_EQ(q.from_alias, "c");
    ASSERT_TRUE(q.group_by);
    EXPECT_EQ(q.group_by->kind, GroupByKind::kPlain);
}

TEST(SoqlParserTest, WhereTreeShape) {
    const Query q = MustParse(
        "SELECT Id FROM Account WHERE Name LIKE 'A%' AND (Type = 'x' OR NOT Rating IN ('Hot')) "
        "AND Id IN (SELECT AccountId FROM Contact WHERE Email != null) "
        "AND Tags__c INCLUDES ('a;b') AND CreatedDate = LAST_N_DAYS:7");
    const Logical& top = As<Logical>(*q.where);
    EXPECT_EQ(top.op, LogicalOp::kAnd);
    ASSERT_EQ(top.operands.size(), 5u);

    const Comparison& like = As<Comparison>(top.operands[0]);
    EXPECT_EQ(like.op, CompareOp::kLike);
    EXPECT_EQ(like.lhs.AsField()->ToString(), "Name");
    EXPECT_EQ(As<StringValue>(like.value).value, "A%");
    EXPECT_EQ(like.op_pos.column, 35);
    EXPECT_EQ(like.value.pos.column, 40);

    const Logical& inner = As<Logical>(top.operands[1]);
    EXPECT_EQ(inner.op, LogicalOp::kOr);
    const Not& negated = As<Not>(inner.operands[1]);
    const SetComparison& in = As<SetComparison>(*negated.operand);
    EXPECT_EQ(in.op, SetOp::kIn);
    ASSERT_EQ(in.values.size(), 1u);

    const SemiJoin& semi = As<SemiJoin>(top.operands[2]);
    EXPECT_FALSE(semi.anti);
    EXPECT_EQ(semi.lhs.ToString(), "Id");
    EXPECT_EQ(semi.subquery->from.ToString(), "Contact");
    EXPECT_EQ(As<SelectExpr>(semi.subquery->select[0]).expr.AsField()->ToString(), "AccountId");
    ASSERT_TRUE(semi.subquery->where);

    EXPECT_EQ(As<SetComparison>(top.operands[3]).op, SetOp::kIncludes);

    const DateLiteralValue& literal = As<DateLiteralValue>(As<Comparison>(top.operands[4]).value);
    EXPECT_EQ(literal.kind, DateLiteralKind::kLastNDays);
    EXPECT_EQ(literal.n, 7);
}

TEST(SoqlParserTest, ValuesKeepWhatTheBinderNeeds) {
    const Query q = MustParse(
        "SELECT Id FROM Opportunity WHERE Amount > -1.50 AND Amount < USD5000.25 AND "
        "CloseDate = 2024-03-01 AND LastModifiedDate > 2024-03-01T10:00:00.123-02:30 AND "
        "IsWon = true");
    const Logical& l = As<Logical>(*q.where);
    const NumberValue& n = As<NumberValue>(As<Comparison>(l.operands[0]).value);
    EXPECT_EQ(n.text, "-1.50");
    EXPECT_FALSE(n.is_integer);
    const CurrencyValue& c = As<CurrencyValue>(As<Comparison>(l.operands[1]).value);
    EXPECT_EQ(c.iso_code, "USD");
    EXPECT_EQ(c.amount, "5000.25");
    const DateValue& d = As<DateValue>(As<Comparison>(l.operands[2]).value);
    EXPECT_EQ(d.parts, (DateTimeParts{2024, 3, 1, 0, 0, 0, 0, 0}));
    const DateTimeValue& dt = As<DateTimeValue>(As<Comparison>(l.operands[3]).value);
    EXPECT_EQ(dt.parts, (DateTimeParts{2024, 3, 1, 10, 0, 0, 123, -150}));
    EXPECT_TRUE(As<BoolValue>(As<Comparison>(l.operands[4]).value).value);
}

TEST(SoqlParserTest, ClausesAfterFrom) {
    const Query q = MustParse(
        "SELECT Name, COUNT(Id) FROM Account USING SCOPE mine WHERE Name != null "
        "WITH SECURITY_ENFORCED GROUP BY ROLLUP(Name) HAVING COUNT(Id) > 1 "
        "ORDER BY Name DESC NULLS LAST, COUNT(Id) LIMIT 20 OFFSET 40 FOR VIEW");
    EXPECT_EQ(q.using_scope, "mine");
    EXPECT_TRUE(q.with_security_enforced);
    EXPECT_EQ(q.group_by->kind, GroupByKind::kRollup);
    ASSERT_TRUE(q.having);
    EXPECT_EQ(As<Comparison>(*q.having).lhs.AsCall()->function, Function::kCount);
    ASSERT_EQ(q.order_by.size(), 2u);
    EXPECT_EQ(q.order_by[0].direction, SortDirection::kDesc);
    EXPECT_EQ(q.order_by[0].nulls, NullsOrder::kLast);
    EXPECT_FALSE(q.order_by[1].direction);
    EXPECT_FALSE(q.order_by[1].nulls);
    EXPECT_EQ(q.limit, 20);
    EXPECT_EQ(q.offset, 40);
    EXPECT_EQ(q.for_clause, ForClause::kView);
}

TEST(SoqlParserTest, PositionsAreOneBasedRowAndColumn) {
    const Query q = MustParse("SELECT Id,\n       Bogus__c\nFROM Account\nWHERE  Other__c = 1");
    EXPECT_EQ(q.pos.row, 1);
    const FieldPath& bogus = *As<SelectExpr>(q.select[1]).expr.AsField();
    EXPECT_EQ(bogus.pos.row, 2);
    EXPECT_EQ(bogus.pos.column, 8);
    EXPECT_EQ(q.from.pos.row, 3);
    EXPECT_EQ(q.from.pos.column, 6);
    const Comparison& c = As<Comparison>(*q.where);
    EXPECT_EQ(c.lhs.Pos().row, 4);
    EXPECT_EQ(c.lhs.Pos().column, 8);
}

TEST(SoqlParserTest, CrLfLineEndsCountAsOneLine) {
    const ParseResult r = Parse("SELECT Id\r\nFROM Account\r\nWHERE x = = 1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().row, 3);
    EXPECT_EQ(r.error().column, 11);
    EXPECT_EQ(r.error().message,
              "\nWHERE x = = 1\n          ^\nERROR at Row:3:Column:11\nunexpected token: '='");
}

TEST(SoqlParserTest, EqualityIgnoresPositionsButNotContent) {
    const Query a = MustParse("SELECT Id FROM Account WHERE Name = 'x'");
    const Query b = MustParse("SELECT\n  Id\nFROM   Account\nWHERE Name='x'");
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == MustParse("SELECT Id FROM Account WHERE Name = 'y'"));
    EXPECT_FALSE(a == MustParse("SELECT Id FROM Account WHERE Name != 'x'"));
    EXPECT_FALSE(a == MustParse("SELECT Id FROM account WHERE Name = 'x'"));
    EXPECT_FALSE(MustParse("SELECT Id FROM A ORDER BY Id") ==
                 MustParse("SELECT Id FROM A ORDER BY Id ASC"));
    // Explicit parentheses are structure: (a AND b) AND c is not a AND b AND c.
    EXPECT_FALSE(MustParse("SELECT Id FROM A WHERE (x = 1 AND y = 2) AND z = 3") ==
                 MustParse("SELECT Id FROM A WHERE x = 1 AND y = 2 AND z = 3"));
}

TEST(SoqlParserTest, TreesCopyDeeply) {
    const Query original =
        MustParse("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE NOT Name = 'x'");
    Query copy = original;
    EXPECT_TRUE(copy == original);
    std::get<SubqueryItem>(copy.select[1].node).query->from.parts[0] = "Cases";
    EXPECT_FALSE(copy == original);
    EXPECT_EQ(std::get<SubqueryItem>(original.select[1].node).query->from.parts[0], "Contacts");
}

TEST(SoqlParserTest, PrinterEscapesWhatTheLexerDecodes) {
    StringValue s;
    s.value = "it's a\\b\n\t\x01_%";
    s.escaped_wildcards = {11};  // the '_' was written \_
    EXPECT_EQ(QuoteString(s), R"('it\'s a\\b\n\t\u0001\_%')");
    const Query q = MustParse("SELECT Id FROM A WHERE Name LIKE " + QuoteString(s));
    EXPECT_EQ(As<StringValue>(As<Comparison>(*q.where).value), s);
}

TEST(SoqlParserTest, LikePatternKeepsEscapedWildcardsLiteral) {
    const Query q = MustParse(R"(SELECT Id FROM A WHERE Name LIKE 'a\_b_c\%d%e!\\')");
    const StringValue& s = As<StringValue>(As<Comparison>(*q.where).value);
    EXPECT_EQ(s.value, "a_b_c%d%e!\\");
    EXPECT_EQ(s.ToLikePattern('!'), "a!_b_c!%d%e!!\\");
    EXPECT_EQ(s.ToLikePattern('\\'), "a\\_b_c\\%d%e!\\\\");
}

TEST(SoqlParserTest, EveryDateLiteralParsesAndPrints) {
    for (DateLiteralKind k : AllDateLiteralKinds()) {
        const std::string name(DateLiteralName(k));
        EXPECT_EQ(FindDateLiteral(name), k) << name;
        const std::string literal = DateLiteralTakesNumber(k) ? name + ":12" : name;
        const Query q = MustParse("SELECT Id FROM Opportunity WHERE CloseDate = " + literal);
        const DateLiteralValue& v = As<DateLiteralValue>(As<Comparison>(*q.where).value);
        EXPECT_EQ(v.kind, k) << name;
        EXPECT_EQ(v.n.has_value(), DateLiteralTakesNumber(k)) << name;
        EXPECT_EQ(q.ToSoql(), "SELECT Id FROM Opportunity WHERE CloseDate = " + literal);
    }
    EXPECT_EQ(AllDateLiteralKinds().size(), 44u);
}

TEST(SoqlParserTest, FunctionNamesRoundTrip) {
    for (int i = 0; i <= static_cast<int>(Function::kGrouping); ++i) {
        const auto f = static_cast<Function>(i);
        EXPECT_EQ(FindFunction(FunctionName(f)), f) << FunctionName(f);
    }
    EXPECT_EQ(FindFunction("tolabel"), Function::kToLabel);
    EXPECT_EQ(FindFunction("FIELDS"), std::nullopt);
    EXPECT_TRUE(IsAggregate(Function::kCountDistinct));
    EXPECT_FALSE(IsAggregate(Function::kCalendarYear));
    EXPECT_TRUE(IsDateFunction(Function::kWeekInYear));
    EXPECT_FALSE(IsDateFunction(Function::kConvertTimezone));
}

TEST(SoqlParserTest, ChildSubqueryDepthFollowsTheOption) {
    const std::string four_levels =
        "SELECT Name, (SELECT LastName, (SELECT AssetLevel, (SELECT Description, "
        "(SELECT LineItemNumber FROM WorkOrderLineItems) FROM WorkOrders) FROM Assets) "
        "FROM Contacts) FROM Account";
    // API 58.0 and later: the root plus four child levels.
    const Query q = MustParse(four_levels, ParseOptions{.max_child_depth = 4});
    EXPECT_EQ(q.ToSoql(), four_levels);

    const ParseResult old_api = Parse(four_levels);
    ASSERT_FALSE(old_api);
    EXPECT_EQ(old_api.error().reason,
              "SOQL statements cannot query aggregate relationships more than 1 level away from "
              "the root entity object.");
    EXPECT_EQ(old_api.error().column, 32);

    const std::string five_levels =
        "SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id FROM F) FROM E) "
        "FROM D) FROM C) FROM B) FROM A";
    const ParseResult too_deep = Parse(five_levels, ParseOptions{.max_child_depth = 4});
    ASSERT_FALSE(too_deep);
    EXPECT_EQ(too_deep.error().reason,
              "SOQL statements cannot query aggregate relationships more than 4 levels away "
              "from the root entity object.");
}

TEST(SoqlParserTest, DeepNestingIsTooComplicatedNotACrash) {
    std::string soql = "SELECT Id FROM A WHERE ";
    soql += std::string(5000, '(');
    soql += "x = 1";
    soql += std::string(5000, ')');
    const ParseResult r = Parse(soql);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "QUERY_TOO_COMPLICATED");
    EXPECT_EQ(r.error().message,
              "Query is either selecting too many fields or the filter conditions are too "
              "complicated.");

    // Just under the limit still parses (each parenthesis costs two levels).
    std::string ok =
        "SELECT Id FROM A WHERE " + std::string(40, '(') + "x = 1" + std::string(40, ')');
    EXPECT_TRUE(Parse(ok));
}

TEST(SoqlParserTest, OverlongQueriesAreRejectedBeforeParsing) {
    std::string soql = "SELECT Id FROM Account WHERE Name = '";
    soql += std::string(kMaxSoqlLength, 'x');
    soql += "'";
    const ParseResult r = Parse(soql);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "MALFORMED_QUERY");
    EXPECT_EQ(r.error().message, "SOQL statements can not be longer than 100000 characters");
    // Length counts characters: 100,000 two-byte characters are within the limit.
    std::string wide = "SELECT Id FROM A WHERE Name = '";
    for (std::size_t i = wide.size() + 1; i < kMaxSoqlLength; ++i) {
        wide += "\xC3\xA9";
    }
    wide += "'";
    EXPECT_TRUE(Parse(wide));
}

TEST(SoqlParserTest, ErrorsConvertToSfkitErrorsAndThrowFromValue) {
    const ParseResult r = Parse("SELECT Id FROM Account WHERE Name = :n");
    ASSERT_FALSE(r);
    const Error e = r.error().ToError();
    EXPECT_EQ(e.kind, ErrorKind::kApi);
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.code, "MALFORMED_QUERY");
    EXPECT_EQ(e.message, r.error().message);
    try {
        (void)r.value();
        ADD_FAILURE() << "value() did not throw";
    } catch (const SoqlException& ex) {
        EXPECT_EQ(ex.error(), r.error());
    }
}

}  // namespace
}  // namespace sfkit::soql
