// CSV as Bulk API jobs read and write it (RFC 4180 with a chosen delimiter): a streaming reader
// that takes bytes in chunks of any size (or from a std::istream) and yields rows of fields, and
// the field writer of result files.
//
// Reading: fields are separated by the delimiter and rows end with LF or CRLF (both accepted,
// whatever the job's lineEnding says). A field that starts with `"` is quoted: it may hold the
// delimiter, line breaks and `""` (one quote), and its closing quote must be followed by the
// delimiter, a line end or the end of the input. A quote inside an unquoted field, anything after
// a closing quote, and a quoted field still open at the end of the input are errors with their
// row and column. Fields are not trimmed. A leading UTF-8 byte order mark is skipped. A line
// ending at the end of the input does not start another row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::codec {

/// A malformed input: where (1-based row of the CSV, counting rows and not physical lines, and
/// 1-based field number in that row) and what.
struct CsvError {
    std::uint64_t row = 0;
    std::size_t column = 0;
    std::string message;  ///< "<what> at row R, column C"
};

struct CsvReaderOptions {
    char delimiter = ',';
    /// Longest field in bytes (0: no limit); a longer one is an error, so that an unclosed quote
    /// in a huge upload cannot grow one field without bound.
    std::size_t max_field_bytes = 0;
    /// Skip a leading byte order mark (off when reading resumes in the middle of a file).
    bool skip_bom = true;
};

/// Incremental reader: Feed() bytes as they arrive, call Next() until it asks for more input,
/// then Feed() again; Finish() when the input is over. Memory holds the unread part of the
/// bytes fed and the row being read, never more.
class CsvReader {
public:
    enum class Status {
        kRow,        ///< `row` holds the next row
        kNeedInput,  ///< every complete row has been read; Feed() more or Finish()
        kEnd,        ///< the input is over and every row has been read
        kError,      ///< malformed input: see error(); further calls return kError
    };

    explicit CsvReader(CsvReaderOptions options = {});

    void Feed(std::string_view bytes);
    void Finish();
    Status Next(std::vector<std::string>& row);

    const CsvError& error() const { return error_; }
    /// Rows returned so far.
    std::uint64_t rows() const { return rows_; }
    /// Bytes of the input consumed so far: after a row, where the next row starts. Reading may
    /// resume there with a new reader (skip_bom off).
    std::uint64_t offset() const { return base_ + pos_; }

private:
    enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

    Status Fail(std::string what);
    void EndField();
    bool TooLong() const;

    CsvReaderOptions options_;
    std::string buffer_;
    std::size_t pos_ = 0;
    std::uint64_t base_ = 0;  ///< bytes dropped from the front of buffer_
    bool finished_ = false;
    bool bom_checked_ = false;
    bool failed_ = false;
    State state_ = State::kFieldStart;
    std::string field_;
    std::vector<std::string> fields_;
    bool row_started_ = false;
    std::uint64_t rows_ = 0;
    std::uint64_t quote_row_ = 0;   ///< row where the open quoted field started
    std::size_t quote_column_ = 0;  ///< and its field number
    CsvError error_;
};

/// Reads rows from a stream in chunks of `chunk_bytes`.
class CsvStreamReader {
public:
    CsvStreamReader(std::istream& in,
                    CsvReaderOptions options = {},
                    std::size_t chunk_bytes = 1 << 16);
    /// The next row; false at the end of the input or on an error (then error() is set).
    bool Next(std::vector<std::string>& row);
    /// Set when Next() returned false because of malformed input.
    const CsvError* error() const { return failed_ ? &reader_.error() : nullptr; }

private:
    std::istream& in_;
    CsvReader reader_;
    std::string chunk_;
    bool failed_ = false;
};

/// Reads all of `text` (tests, small bodies): the rows, or the error.
bool ReadCsv(std::string_view text,
             CsvReaderOptions options,
             std::vector<std::vector<std::string>>& rows,
             CsvError* error = nullptr);

enum class CsvQuote {
    kAsNeeded,  ///< quoted only when it holds the delimiter, a quote, CR or LF
    kAlways,    ///< always quoted (Bulk result values: `"001..."`, `"true"`)
};

/// Appends one field, quoting it per `quote` (a quote inside becomes `""`).
void AppendCsvField(std::string& out, std::string_view value, char delimiter, CsvQuote quote);

/// Appends a whole row: fields joined by `delimiter`, then `line_end` ("\n" or "\r\n").
void AppendCsvRow(std::string& out,
                  const std::vector<std::string>& fields,
                  char delimiter,
                  std::string_view line_end,
                  CsvQuote quote);

}  // namespace sfkit::codec
