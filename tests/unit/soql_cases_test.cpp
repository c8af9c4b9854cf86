// Data-driven SOQL parser tests: tests/soql/parse_ok.txt (canonical print + round trip) and
// tests/soql/parse_errors.txt (Salesforce's error code, position and message).
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "soql/parser.hpp"

namespace sfkit::soql {
namespace {

struct Line {
    int number;
    std::string text;
};

// Splits a case file into blocks of non-comment lines, separated by blank lines.
std::vector<std::vector<Line>> ReadBlocks(const std::string& file) {
    const std::string path = std::string(SFKIT_SOQL_TEST_DIR) + "/" + file;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path;
    std::vector<std::vector<Line>> blocks(1);
    std::string text;
    int number = 0;
    while (std::getline(in, text)) {
        ++number;
        if (text.empty()) {
            if (!blocks.back().empty()) {
                blocks.emplace_back();
            }
            continue;
        }
        if (text[0] == '#') {
            continue;
        }
        blocks.back().push_back({number, text});
    }
    if (blocks.back().empty()) {
        blocks.pop_back();
    }
    return blocks;
}

// "Q text" -> "text" ("Q" alone is an empty line of the query).
std::string Payload(const std::string& line) {
    return line.size() > 2 ? line.substr(2) : "";
}

void AppendLine(std::optional<std::string>& target, const std::string& text) {
    if (target) {
        *target += '\n';
        *target += text;
    } else {
        target = text;
    }
}

struct OkCase {
    int line = 0;
    std::string query;
    std::string printed;
    int depth = 1;  ///< ParseOptions::max_child_depth (`D n`)
};

std::vector<OkCase> ReadOkCases() {
    std::vector<OkCase> cases;
    for (const std::vector<Line>& block : ReadBlocks("parse_ok.txt")) {
        std::optional<std::string> query;
        std::optional<std::string> printed;
        int depth = 1;
        for (const Line& l : block) {
            if (l.text[0] == 'Q') {
                AppendLine(query, Payload(l.text));
            } else if (l.text[0] == 'P') {
                AppendLine(printed, Payload(l.text));
            } else if (l.text[0] == 'D') {
                depth = std::stoi(Payload(l.text));
            } else {
                ADD_FAILURE() << "parse_ok.txt:" << l.number << ": unknown line: " << l.text;
            }
        }
        if (!query) {
            ADD_FAILURE() << "parse_ok.txt:" << block.front().number << ": case without Q";
            continue;
        }
        cases.push_back({block.front().number, *query, printed ? *printed : *query, depth});
    }
    return cases;
}

struct ErrorCase {
    int line = 0;
    std::string query;
    std::string code = "MALFORMED_QUERY";
    bool positioned = false;
    int row = 0;
    int column = 0;
    std::string reason;
    std::optional<std::string> message;
    int depth = 1;  ///< ParseOptions::max_child_depth (`D n`)
};

std::vector<ErrorCase> ReadErrorCases() {
    std::vector<ErrorCase> cases;
    for (const std::vector<Line>& block : ReadBlocks("parse_errors.txt")) {
        ErrorCase c;
        c.line = block.front().number;
        std::optional<std::string> query;
        bool has_expectation = false;
        for (const Line& l : block) {
            const std::string payload = Payload(l.text);
            if (l.text.rfind("M|", 0) == 0) {
                AppendLine(c.message, l.text.substr(2));
            } else if (l.text[0] == 'Q') {
                AppendLine(query, payload);
            } else if (l.text[0] == 'C') {
                c.code = payload;
            } else if (l.text[0] == 'D') {
                c.depth = std::stoi(payload);
            } else if (l.text[0] == 'E') {
                has_expectation = true;
                const std::size_t space = payload.find(' ');
                const std::string where = payload.substr(0, space);
                c.reason = payload.substr(space + 1);
                if (where != "-") {
                    c.positioned = true;
                    const std::size_t colon = where.find(':');
                    c.row = std::stoi(where.substr(0, colon));
                    c.column = std::stoi(where.substr(colon + 1));
                }
            } else {
                ADD_FAILURE() << "parse_errors.txt:" << l.number << ": unknown line: " << l.text;
            }
        }
        if (!query || !has_expectation) {
            ADD_FAILURE() << "parse_errors.txt:" << c.line << ": case needs Q and E lines";
            continue;
        }
        c.query = *query;
        cases.push_back(std::move(c));
    }
    return cases;
}

TEST(SoqlCasesTest, EveryValidQueryPrintsCanonicallyAndRoundTrips) {
    const std::vector<OkCase> cases = ReadOkCases();
    // Guards against a reader bug that would silently test nothing.
    EXPECT_GE(cases.size(), 150u);
    for (const OkCase& c : cases) {
        SCOPED_TRACE("parse_ok.txt:" + std::to_string(c.line) + ": " + c.query);
        const ParseOptions options{.max_child_depth = c.depth};
        const ParseResult first = Parse(c.query, options);
        ASSERT_TRUE(first) << first.error().message;
        const std::string printed = first->ToSoql();
        EXPECT_EQ(printed, c.printed);

        const ParseResult second = Parse(printed, options);
        ASSERT_TRUE(second) << second.error().message;
        EXPECT_TRUE(*second == *first) << "re-parsed tree differs: " << second->ToSoql();
        EXPECT_EQ(second->ToSoql(), printed);
    }
}

TEST(SoqlCasesTest, EveryInvalidQueryFailsWithSalesforcesError) {
    const std::vector<ErrorCase> cases = ReadErrorCases();
    EXPECT_GE(cases.size(), 100u);
    for (const ErrorCase& c : cases) {
        SCOPED_TRACE("parse_errors.txt:" + std::to_string(c.line) + ": " + c.query);
        const ParseResult r = Parse(c.query, {.max_child_depth = c.depth});
        ASSERT_FALSE(r) << "parsed as: " << r->ToSoql();
        const SoqlError& e = r.error();
        EXPECT_EQ(e.code, c.code);
        EXPECT_EQ(e.reason, c.reason);
        if (c.positioned) {
            EXPECT_EQ(e.row, c.row);
            EXPECT_EQ(e.column, c.column);
            EXPECT_EQ(e.message, FormatQueryErrorMessage(c.query, c.row, c.column, c.reason));
        } else {
            EXPECT_EQ(e.row, 0);
            EXPECT_EQ(e.column, 0);
            EXPECT_EQ(e.message, c.reason);
        }
        if (c.message) {
            EXPECT_EQ(e.message, *c.message);
        }
    }
}

}  // namespace
}  // namespace sfkit::soql
