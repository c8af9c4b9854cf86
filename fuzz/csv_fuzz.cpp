// libFuzzer target for the CSV codec (src/codec/csv.*). The first input byte picks the delimiter
// (one of Bulk's six) and a chunk size; the rest is the CSV. Properties:
//  - reading the input whole and fed in chunks gives the same rows, or the same error;
//  - an error names a row and a column (both >= 1) and its message ends with them;
//  - rows that were read, written back with the writer (quoting as needed, CRLF line ends) and
//    read again are the same rows.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/csv.hpp"
#include "fuzz_check.hpp"

namespace {

using sfkit::codec::CsvError;
using sfkit::codec::CsvReader;
using Rows = std::vector<std::vector<std::string>>;

[[noreturn]] void Die(const char* what, std::string_view input, std::string_view detail) {
    sfkit::fuzz::Die("csv_fuzz", what, input, detail);
}

bool ReadChunked(std::string_view text, char delim, std::size_t chunk, Rows& rows, CsvError& e) {
    CsvReader reader({delim, 0});
    std::vector<std::string> row;
    std::size_t at = 0;
    while (true) {
        const auto s = reader.Next(row);
        if (s == CsvReader::Status::kRow) {
            rows.push_back(row);
        } else if (s == CsvReader::Status::kError) {
            e = reader.error();
            return false;
        } else if (s == CsvReader::Status::kEnd) {
            return true;
        } else if (at < text.size()) {
            reader.Feed(text.substr(at, chunk));
            at += chunk;
        } else {
            reader.Finish();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    static constexpr char kDelims[] = {',', '\t', '|', ';', '^', '`'};
    const char delim = kDelims[data[0] % 6];
    const std::size_t chunk = 1 + (data[0] >> 3);
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    Rows whole;
    CsvError whole_error;
    const bool ok = sfkit::codec::ReadCsv(text, {delim, 0}, whole, &whole_error);
    Rows pieces;
    CsvError pieces_error;
    const bool pieces_ok = ReadChunked(text, delim, chunk, pieces, pieces_error);
    if (ok != pieces_ok) {
        Die("whole and chunked reads disagree on success", text, std::to_string(chunk));
    }
    if (!ok) {
        if (whole_error.message != pieces_error.message || whole_error.row != pieces_error.row ||
            whole_error.column != pieces_error.column) {
            Die("whole and chunked reads give different errors", text, whole_error.message);
        }
        const std::string tail = " at row " + std::to_string(whole_error.row) + ", column " +
                                 std::to_string(whole_error.column);
        if (whole_error.row == 0 || whole_error.column == 0 ||
            whole_error.message.size() < tail.size() ||
            whole_error.message.compare(
                whole_error.message.size() - tail.size(), tail.size(), tail) != 0) {
            Die("error without its position", text, whole_error.message);
        }
        return 0;
    }
    if (pieces != whole) {
        Die("whole and chunked reads give different rows", text, std::to_string(chunk));
    }
    std::string written;
    if (!whole.empty() && !whole[0].empty() && whole[0][0].starts_with("\xEF\xBB\xBF")) {
        written = "\xEF\xBB\xBF";  // a leading BOM is skipped, so data that starts with one needs
                                   // another in front
    }
    for (const auto& r : whole) {
        sfkit::codec::AppendCsvRow(written, r, delim, "\r\n", sfkit::codec::CsvQuote::kAsNeeded);
    }
    Rows again;
    CsvError again_error;
    if (!sfkit::codec::ReadCsv(written, {delim, 0}, again, &again_error)) {
        Die("written rows do not read back", text, again_error.message);
    }
    if (again != whole) {
        Die("written rows read back differently", text, sfkit::fuzz::Printable(written));
    }
    return 0;
}
