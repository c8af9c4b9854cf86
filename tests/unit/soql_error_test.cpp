// Salesforce's query-error message layout (wire reference §B.11): echo window, caret, position
// line and reason, checked against messages recorded from real orgs.
#include <string>

#include <gtest/gtest.h>

#include "soql/error.hpp"

namespace sfkit::soql {
namespace {

constexpr const char* kInvalidType =
    "sObject type 'XYZZY' is not supported. If you are attempting to use a custom object, be "
    "sure to append the '__c' after the entity name. Please reference your WSDL or the describe "
    "call for the appropriate names.";

// The second line of a message: the echoed window of the query line.
std::string EchoOf(const std::string& message) {
    const std::size_t start = message.find('\n') + 1;
    return message.substr(start, message.find('\n', start) - start);
}

TEST(SoqlErrorTest, ShortLineIsEchoedWhole) {
    // Recorded (CumulusCI cassette, wire reference §B.11).
    EXPECT_EQ(FormatQueryErrorMessage("select count() from XYZZY", 1, 21, kInvalidType),
              std::string("\nselect count() from XYZZY\n                    ^\n"
                          "ERROR at Row:1:Column:21\n") +
                  kInvalidType);
}

TEST(SoqlErrorTest, LongLineIsEchoedAsAWindowOfWholeWords) {
    // Recorded INVALID_FIELD message (an app's notes on a real org): the echo starts 30
    // characters before column 114 and stops after the fourth field following it. The query
    // here is built so that the words around the window have those lengths.
    const std::string before = "SELECT A," + std::string(73, 'x') + ",";  // 83 characters
    const std::string query = before +
                              "CreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c,"
                              "Another_Long_Field__c FROM OCE__ActivityPlan__c";
    const std::string reason =
        "No such column 'TPI_Product__c' on entity 'OCE__ActivityPlan__c'. If you are "
        "attempting to use a custom field, be sure to append the '__c' after the custom field "
        "name. Please reference your WSDL or the describe call for the appropriate names.";
    EXPECT_EQ(FormatQueryErrorMessage(query, 1, 114, reason),
              "\nCreatedById,OCE__ActualCap__c,TPI_Product__c,Name,OCE__JobId__c\n"
              "                              ^\nERROR at Row:1:Column:114\n" +
                  reason);
}

TEST(SoqlErrorTest, WindowOnALaterRow) {
    // Recorded (salesforce.stackexchange, older API): row 3, column 61, echo starting 42
    // characters before the error.
    const std::string query =
        "SELECT Id, Email, Name\nFROM Contact\n"
        "WHERE AccountId = '0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'";
    const std::string message = FormatQueryErrorMessage(query, 3, 61, "unexpected token: 'OR'");
    EXPECT_EQ(EchoOf(message), "'0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'");
    EXPECT_NE(message.find("\n" + std::string(42, ' ') + "^\nERROR at Row:3:Column:61\n"),
              std::string::npos);
}

TEST(SoqlErrorTest, WindowEndingAtTheEndOfTheLineKeepsItsTrailingSpace) {
    // Recorded MALFORMED_QUERY: `...LastModifiedDate, From Account ` with the error on `From`
    // at column 78. (The recording puts the caret one column further left than the word;
    // sfkit puts it under the word.)
    const std::string query =
        "SELECT A, " + std::string(29, 'y') + ", LastModifiedById, LastModifiedDate, From Account ";
    ASSERT_EQ(query.find("From"), 77u);
    const std::string message = FormatQueryErrorMessage(query, 1, 78, "unexpected token: 'From'");
    EXPECT_EQ(message,
              "\nLastModifiedById, LastModifiedDate, From Account \n" + std::string(36, ' ') +
                  "^\nERROR at Row:1:Column:78\nunexpected token: 'From'");
}

TEST(SoqlErrorTest, CaretIsClampedIntoTheLine) {
    // ANTLR lexer errors report a 0-based column; at column 0 the caret stays at the start.
    EXPECT_EQ(
        FormatQueryErrorMessage("#x", 1, 0, "line 1:0 no viable alternative at character '#'"),
        "\n#x\n^\nERROR at Row:1:Column:0\nline 1:0 no viable alternative at character '#'");
    // Past the end (an error at <EOF>): the caret sits just after the last character.
    EXPECT_EQ(FormatQueryErrorMessage("SELECT", 1, 7, "unexpected token: <EOF>"),
              "\nSELECT\n      ^\nERROR at Row:1:Column:7\nunexpected token: <EOF>");
    // A row beyond the query echoes an empty line rather than failing.
    EXPECT_EQ(FormatQueryErrorMessage("SELECT", 4, 2, "r"), "\n\n^\nERROR at Row:4:Column:2\nr");
}

TEST(SoqlErrorTest, ColumnsAndWindowCountCharacters) {
    const std::string query = "SELECT Id FROM Account WHERE Name = 'é' AND Bogus__c = 1";
    // 'Bogus__c' is the 45th character (the 46th byte); the window starts 42 characters
    // before it, moved forward to the next word.
    EXPECT_EQ(FormatQueryErrorMessage(query, 1, 45, "r"),
              "\nId FROM Account WHERE Name = 'é' AND Bogus__c = 1\n" + std::string(37, ' ') +
                  "^\nERROR at Row:1:Column:45\nr");
}

TEST(SoqlErrorTest, PositionedAndPlainErrors) {
    const SoqlError positioned = MakePositionedError("INVALID_FIELD", "SELECT x FROM A", 1, 8, "r");
    EXPECT_EQ(positioned.code, "INVALID_FIELD");
    EXPECT_EQ(positioned.reason, "r");
    EXPECT_EQ(positioned.row, 1);
    EXPECT_EQ(positioned.column, 8);
    EXPECT_EQ(positioned.message, "\nSELECT x FROM A\n       ^\nERROR at Row:1:Column:8\nr");

    const SoqlError plain = MakePlainError("NUMBER_OUTSIDE_VALID_RANGE", "too far");
    EXPECT_EQ(plain.message, "too far");
    EXPECT_EQ(plain.row, 0);
    EXPECT_EQ(plain.column, 0);
}

}  // namespace
}  // namespace sfkit::soql
