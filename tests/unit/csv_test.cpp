// CSV codec (src/codec/csv.*): the Bulk API's reading rules, chunked input split anywhere, and
// the writer's quoting.
#include "codec/csv.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sfkit::codec {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows Read(std::string_view text, char delimiter = ',') {
    Rows rows;
    CsvError error;
    EXPECT_TRUE(ReadCsv(text, {delimiter, 0}, rows, &error)) << error.message;
    return rows;
}

CsvError ReadError(std::string_view text, char delimiter = ',') {
    Rows rows;
    CsvError error;
    EXPECT_FALSE(ReadCsv(text, {delimiter, 0}, rows, &error));
    return error;
}

/// Feeds `text` in pieces cut at `cuts` (byte offsets) and collects the rows.
Rows ReadInPieces(std::string_view text, const std::vector<std::size_t>& cuts, char delim = ',') {
    CsvReader reader({delim, 0});
    Rows rows;
    std::vector<std::string> row;
    std::size_t at = 0;
    const auto drain = [&] {
        while (true) {
            const auto s = reader.Next(row);
            if (s == CsvReader::Status::kRow) {
                rows.push_back(row);
                continue;
            }
            EXPECT_NE(s, CsvReader::Status::kError) << reader.error().message;
            return;
        }
    };
    for (std::size_t cut : cuts) {
        reader.Feed(text.substr(at, cut - at));
        at = cut;
        drain();
    }
    reader.Feed(text.substr(at));
    reader.Finish();
    drain();
    return rows;
}

TEST(Csv, ReadsRowsWithLfAndCrlf) {
    EXPECT_EQ(Read("Name,Phone\nAcme,123\n"), (Rows{{"Name", "Phone"}, {"Acme", "123"}}));
    EXPECT_EQ(Read("Name,Phone\r\nAcme,123\r\n"), (Rows{{"Name", "Phone"}, {"Acme", "123"}}));
    // No line end after the last row; empty fields kept; spaces not trimmed.
    EXPECT_EQ(Read("a,,c\n, b ,"), (Rows{{"a", "", "c"}, {"", " b ", ""}}));
    EXPECT_EQ(Read(""), Rows{});
}

TEST(Csv, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
    EXPECT_EQ(Read("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\r\nline3\"\nx,\"\",y\n"),
              (Rows{{"a,b", "say \"hi\"", "line1\nline2\r\nline3"}, {"x", "", "y"}}));
}

TEST(Csv, EveryBulkDelimiter) {
    for (char d : {',', '\t', '|', ';', '^', '`'}) {
        std::string text = "Name" + std::string(1, d) + "Note\n\"A" + std::string(1, d) + "B\"" +
                           std::string(1, d) + "c\n";
        EXPECT_EQ(Read(text, d), (Rows{{"Name", "Note"}, {std::string("A") + d + "B", "c"}}))
            << "delimiter " << d;
    }
    // A comma is data when the delimiter is a pipe.
    EXPECT_EQ(Read("a,b|c\n", '|'), (Rows{{"a,b", "c"}}));
}

TEST(Csv, LeadingBomIsSkipped) {
    EXPECT_EQ(Read("\xEF\xBB\xBFName\nAcme\n"), (Rows{{"Name"}, {"Acme"}}));
    // Split inside the BOM.
    EXPECT_EQ(ReadInPieces("\xEF\xBB\xBFName\nAcme\n", {1, 2}), (Rows{{"Name"}, {"Acme"}}));
    // Only a leading one: elsewhere it is data.
    EXPECT_EQ(Read("a\n\xEF\xBB\xBF\n"), (Rows{{"a"}, {"\xEF\xBB\xBF"}}));
}

TEST(Csv, MalformedQuotingIsAnErrorWithRowAndColumn) {
    CsvError e = ReadError("Name,Last\n\"John\", \"Smith\"\n");
    EXPECT_EQ(e.row, 2u);
    EXPECT_EQ(e.column, 2u);
    EXPECT_EQ(e.message, "Unexpected quote in an unquoted field at row 2, column 2");

    e = ReadError("a,b\nc,\"d\"x\n");
    EXPECT_EQ(e.row, 2u);
    EXPECT_EQ(e.column, 2u);
    EXPECT_EQ(e.message, "Unexpected 'x' after a closing quote at row 2, column 2");

    e = ReadError("a,b\nc,\"open\nstill open");
    EXPECT_EQ(e.row, 2u);
    EXPECT_EQ(e.column, 2u);
    EXPECT_EQ(e.message, "Quoted field not closed before the end of the input at row 2, column 2");
}

TEST(Csv, FieldLimit) {
    Rows rows;
    CsvError error;
    EXPECT_TRUE(ReadCsv("abc,\"de\"\n", {',', 3}, rows, &error));
    EXPECT_FALSE(ReadCsv("abcd\n", {',', 3}, rows, &error));
    EXPECT_EQ(error.message, "Field longer than 3 bytes at row 1, column 1");
    EXPECT_FALSE(ReadCsv("\"abcd", {',', 3}, rows, &error));
}

TEST(Csv, ChunkBoundariesAnywhereGiveTheSameRows) {
    const std::string text =
        "\xEF\xBB\xBF"
        "Id,Name,Note\r\n001,\"Acme, Inc.\",\"He said \"\"ok\"\"\r\nnext\"\r\n002,,x\r\n003,\"\","
        "\n";
    const Rows whole = Read(text);
    ASSERT_EQ(whole.size(), 4u);
    EXPECT_EQ(whole[1], (std::vector<std::string>{"001", "Acme, Inc.", "He said \"ok\"\r\nnext"}));
    EXPECT_EQ(whole[3], (std::vector<std::string>{"003", "", ""}));
    // Every single cut, and every pair of cuts.
    for (std::size_t i = 0; i <= text.size(); ++i) {
        ASSERT_EQ(ReadInPieces(text, {i}), whole) << "cut at " << i;
        for (std::size_t j = i; j <= text.size(); ++j) {
            ASSERT_EQ(ReadInPieces(text, {i, j}), whole) << "cuts at " << i << ", " << j;
        }
    }
    // Byte by byte.
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < text.size(); ++i) {
        cuts.push_back(i);
    }
    EXPECT_EQ(ReadInPieces(text, cuts), whole);
}

TEST(Csv, OffsetMarksWhereTheNextRowStarts) {
    const std::string text = "\xEF\xBB\xBFId,Name\r\n1,\"a\nb\"\n2,c";
    CsvReader reader;
    std::vector<std::string> row;
    std::vector<std::uint64_t> offsets;
    for (char c : text) {
        reader.Feed(std::string_view(&c, 1));
        while (reader.Next(row) == CsvReader::Status::kRow) {
            offsets.push_back(reader.offset());
        }
    }
    reader.Finish();
    ASSERT_EQ(reader.Next(row), CsvReader::Status::kRow);
    offsets.push_back(reader.offset());
    EXPECT_EQ(offsets, (std::vector<std::uint64_t>{12, 20, 23}));
    // Resuming at an offset reads the rest.
    CsvReaderOptions resume;
    resume.skip_bom = false;
    Rows rest;
    ASSERT_TRUE(ReadCsv(std::string_view(text).substr(12), resume, rest));
    EXPECT_EQ(rest, (Rows{{"1", "a\nb"}, {"2", "c"}}));
}

TEST(Csv, StreamReaderReadsInSmallChunks) {
    std::istringstream in("a,\"b\nc\"\n1,2\n3,4");
    CsvStreamReader reader(in, {}, 3);
    Rows rows;
    std::vector<std::string> row;
    while (reader.Next(row)) {
        rows.push_back(row);
    }
    EXPECT_EQ(reader.error(), nullptr);
    EXPECT_EQ(rows, (Rows{{"a", "b\nc"}, {"1", "2"}, {"3", "4"}}));

    std::istringstream bad("a,\"b");
    CsvStreamReader failing(bad, {}, 2);
    EXPECT_FALSE(failing.Next(row));
    ASSERT_NE(failing.error(), nullptr);
    EXPECT_EQ(failing.error()->row, 1u);
}

TEST(Csv, WriterQuotesWhenNeededOrAlways) {
    std::string out;
    AppendCsvRow(
        out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""}, ',', "\n", CsvQuote::kAsNeeded);
    EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
    out.clear();
    AppendCsvRow(out, {"001", "true", ""}, '|', "\r\n", CsvQuote::kAlways);
    EXPECT_EQ(out, "\"001\"|\"true\"|\"\"\r\n");
    out.clear();
    AppendCsvField(out, "a|b", '|', CsvQuote::kAsNeeded);
    AppendCsvField(out, "a,b", '|', CsvQuote::kAsNeeded);
    EXPECT_EQ(out, "\"a|b\"a,b");
}

TEST(Csv, WrittenRowsReadBack) {
    const Rows rows = {{"x", "a\"b", "c\r\nd", ""}, {"", "", "", "e,f"}};
    for (char d : {',', '\t', '|', ';', '^', '`'}) {
        std::string out;
        for (const auto& r : rows) {
            AppendCsvRow(out, r, d, "\r\n", CsvQuote::kAsNeeded);
        }
        EXPECT_EQ(Read(out, d), rows);
    }
}

}  // namespace
}  // namespace sfkit::codec
