// Data-driven SOQL and SOSL engine tests: tests/soql/queries.test and tests/soql/search.test
// (dataset + SOQL/SOSL in -> JSON answer or error code and exact message out), run against an
// in-process org (QueryFixture) with a fixed "now", through the /query, /queryAll, /search
// and /parameterizedSearch routes.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/query_fixture.hpp"

namespace sfkit::test {
namespace {

std::string UrlEncode(const std::string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';  // `+` for spaces, as clients send (§B.11)
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

struct Case {
    std::string file;
    int line = 0;
    std::optional<std::string> query;
    enum class Kind { kQuery, kSearch, kParameterized } kind = Kind::kQuery;
    std::string version = "60.0";
    std::vector<std::string> headers;
    bool all = false;
    bool columns = false;
    std::string expected;
    std::optional<std::string> code;
    std::optional<std::string> message;
};

std::string Payload(const std::string& line, std::size_t skip) {
    return line.size() > skip ? line.substr(skip) : "";
}

void Append(std::optional<std::string>& target, const std::string& text) {
    target = target ? *target + "\n" + text : text;
}

void RunCase(QueryFixture& org, const Case& c) {
    SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + ": " + c.query.value_or(""));
    std::string target = "/services/data/v" + c.version + "/";
    switch (c.kind) {
        case Case::Kind::kQuery:
            target +=
                std::string(c.all ? "queryAll" : "query") + "?q=" + UrlEncode(org.Expand(*c.query));
            break;
        case Case::Kind::kSearch:
            target += "search?q=" + UrlEncode(org.Expand(*c.query));
            break;
        case Case::Kind::kParameterized:
            target += "parameterizedSearch?" + org.Expand(*c.query);  // written encoded
            break;
    }
    if (c.columns) {
        target += "&columns=true";
    }
    const server::Response r = org.Get(target, c.headers);
    if (std::getenv("SOQL_PRINT") != nullptr) {  // authoring aid: shows every answer
        std::printf("%d %d %s\n", c.line, r.status, org.Unexpand(r.body).c_str());
    }
    if (c.code) {
        ASSERT_EQ(r.status, 400) << r.body;
        const auto body = boost::json::parse(r.body);
        const auto& e = body.as_array().at(0).as_object();
        EXPECT_EQ(e.at("errorCode").as_string(), *c.code) << r.body;
        if (c.message) {
            EXPECT_EQ(std::string(e.at("message").as_string()), org.Expand(*c.message));
        }
        return;
    }
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, org.Expand(c.expected));
}

void RunFile(const std::string& file, int min_cases) {
    const std::string path = std::string(SFKIT_SOURCE_DIR) + "/tests/soql/" + file;
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << path;
    auto org = std::make_unique<QueryFixture>();
    std::optional<Case> current;
    int cases = 0;
    const auto flush = [&] {
        if (current && current->query) {
            RunCase(*org, *current);
            ++cases;
        }
        current.reset();
    };
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) {
            flush();
            continue;
        }
        if (line[0] == '#') {
            continue;
        }
        if (line == "RESET") {
            flush();
            org = std::make_unique<QueryFixture>();
            continue;
        }
        if (line.rfind("NOW ", 0) == 0) {
            const std::string t = line.substr(4);
            std::tm tm{};
            ASSERT_TRUE(strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) << line;
            org->SetNow(std::chrono::system_clock::from_time_t(timegm(&tm)));
            continue;
        }
        if (line.rfind("DATA ", 0) == 0) {
            // DATA <Type> <name> {json}
            const auto sp1 = line.find(' ', 5);
            const auto sp2 = line.find(' ', sp1 + 1);
            ASSERT_NE(sp2, std::string::npos) << file << ":" << number;
            org->Insert(
                line.substr(5, sp1 - 5), line.substr(sp2 + 1), line.substr(sp1 + 1, sp2 - sp1 - 1));
            continue;
        }
        if (!current) {
            current.emplace();
            current->file = file;
            current->line = number;
        }
        Case& c = *current;
        if (line.rfind("Q ", 0) == 0 || line == "Q") {
            Append(c.query, Payload(line, 2));
        } else if (line.rfind("S ", 0) == 0 || line == "S") {
            c.kind = Case::Kind::kSearch;
            Append(c.query, Payload(line, 2));
        } else if (line.rfind("P ", 0) == 0) {
            c.kind = Case::Kind::kParameterized;
            c.query = Payload(line, 2);
        } else if (line.rfind("V ", 0) == 0) {
            c.version = Payload(line, 2);
        } else if (line.rfind("H ", 0) == 0) {
            c.headers.push_back(Payload(line, 2));
        } else if (line == "ALL") {
            c.all = true;
        } else if (line == "COLUMNS") {
            c.columns = true;
        } else if (line.rfind("R ", 0) == 0) {
            c.expected += Payload(line, 2);
        } else if (line.rfind("E ", 0) == 0) {
            c.code = Payload(line, 2);
        } else if (line.rfind("M|", 0) == 0) {
            Append(c.message, Payload(line, 2));
        } else {
            ADD_FAILURE() << file << ":" << number << ": unknown line: " << line;
        }
    }
    flush();
    EXPECT_GT(cases, min_cases);
}

TEST(SoqlQueryCases, File) {
    RunFile("queries.test", 50);
}

TEST(SoslSearchCases, File) {
    RunFile("search.test", 30);
}

}  // namespace
}  // namespace sfkit::test
