// SOQL error values and the echo + caret message layout of Salesforce's query errors.
#include "soql/error.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace sfkit::soql {
namespace {

// Characters the echo window is allowed to start or end at: it never cuts a word in half.
bool IsWindowBreak(char c) {
    return c == ' ' || c == '\t' || c == ',';
}

bool IsContinuationByte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Byte offsets of each character (code point) of `line`, plus one past the end.
std::vector<std::size_t> CharOffsets(std::string_view line) {
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (!IsContinuationByte(line[i])) {
            offsets.push_back(i);
        }
    }
    offsets.push_back(line.size());
    return offsets;
}

// The text of 1-based line `row` of `query`, without its line break.
std::string_view LineOf(std::string_view query, int row) {
    std::size_t start = 0;
    for (int r = 1; r < row; ++r) {
        const std::size_t nl = query.find('\n', start);
        if (nl == std::string_view::npos) {
            return {};
        }
        start = nl + 1;
    }
    std::size_t end = query.find('\n', start);
    if (end == std::string_view::npos) {
        end = query.size();
    }
    std::string_view line = query.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

// How many characters of the line the echo keeps before and after the error column. Salesforce
// echoes a window of the line, cut at word boundaries; these are the smallest limits consistent
// with the recorded samples (README.md, "Error message layout").
constexpr int kEchoBefore = 42;
constexpr int kEchoAfter = 42;

}  // namespace

Error SoqlError::ToError() const {
    Error e;
    e.kind = ErrorKind::kApi;
    e.http_status = 400;
    e.code = code;
    e.message = message;
    return e;
}

SoqlException::SoqlException(SoqlError error)
    : std::runtime_error(error.code + ": " + error.message), error_(std::move(error)) {}

void throw_exception_from_error(const SoqlError& e, const boost::source_location& /*loc*/) {
    throw SoqlException(e);
}

std::string FormatQueryErrorMessage(std::string_view query,
                                    int row,
                                    int column,
                                    std::string_view reason) {
    const std::string_view line = LineOf(query, row);
    const std::vector<std::size_t> offsets = CharOffsets(line);
    const int chars = static_cast<int>(offsets.size()) - 1;
    const int caret = std::clamp(column - 1, 0, chars);  // 0-based character index

    // Window start: the line start if it is close enough, else the first word that starts at or
    // after caret - kEchoBefore (never past the caret itself).
    int begin = 0;
    if (caret > kEchoBefore) {
        begin = caret - kEchoBefore;
        if (!IsWindowBreak(line[offsets[begin - 1]])) {
            while (begin < caret && !IsWindowBreak(line[offsets[begin]])) {
                ++begin;
            }
        }
        while (begin < caret && IsWindowBreak(line[offsets[begin]])) {
            ++begin;
        }
    }
    // Window end: the line end if it is close enough, else the end of the last word that ends
    // at or before caret + kEchoAfter (never before the character under the caret).
    int end = chars;
    if (chars - caret > kEchoAfter) {
        end = caret + kEchoAfter;
        if (!IsWindowBreak(line[offsets[end]])) {
            while (end > caret + 1 && !IsWindowBreak(line[offsets[end - 1]])) {
                --end;
            }
        }
        while (end > caret + 1 && IsWindowBreak(line[offsets[end - 1]])) {
            --end;
        }
    }

    std::string message = "\n";
    message.append(line.substr(offsets[begin], offsets[end] - offsets[begin]));
    message += '\n';
    message.append(static_cast<std::size_t>(caret - begin), ' ');
    message += "^\nERROR at Row:";
    message += std::to_string(row);
    message += ":Column:";
    message += std::to_string(column);
    message += '\n';
    message.append(reason);
    return message;
}

SoqlError MakePositionedError(
    std::string code, std::string_view query, int row, int column, std::string reason) {
    SoqlError e;
    e.code = std::move(code);
    e.message = FormatQueryErrorMessage(query, row, column, reason);
    e.reason = std::move(reason);
    e.row = row;
    e.column = column;
    return e;
}

SoqlError MakePlainError(std::string code, std::string reason) {
    SoqlError e;
    e.code = std::move(code);
    e.message = reason;
    e.reason = std::move(reason);
    return e;
}

}  // namespace sfkit::soql
