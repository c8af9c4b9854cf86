// CSV reader (incremental state machine) and field writer; see csv.hpp for the rules.
#include "codec/csv.hpp"

#include <istream>
#include <utility>

namespace sfkit::codec {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string Shown(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
    }
    return std::string("'") + c + "'";
}

}  // namespace

CsvReader::CsvReader(CsvReaderOptions options)
    : options_(options), bom_checked_(!options.skip_bom) {}

void CsvReader::Feed(std::string_view bytes) {
    if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
        buffer_.erase(0, pos_);
        base_ += pos_;
        pos_ = 0;
    }
    buffer_.append(bytes);
}

void CsvReader::Finish() {
    finished_ = true;
}

CsvReader::Status CsvReader::Fail(std::string what) {
    failed_ = true;
    error_.row = rows_ + 1;
    error_.column = fields_.size() + 1;
    error_.message = what + " at row " + std::to_string(error_.row) + ", column " +
                     std::to_string(error_.column);
    return Status::kError;
}

void CsvReader::EndField() {
    fields_.push_back(std::move(field_));
    field_.clear();
    state_ = State::kFieldStart;
}

bool CsvReader::TooLong() const {
    return options_.max_field_bytes != 0 && field_.size() > options_.max_field_bytes;
}

CsvReader::Status CsvReader::Next(std::vector<std::string>& row) {
    if (failed_) {
        return Status::kError;
    }
    if (!bom_checked_) {
        const std::size_t have = buffer_.size() - pos_;
        const std::size_t n = std::min(have, kBom.size());
        if (std::string_view(buffer_).substr(pos_, n) != kBom.substr(0, n)) {
            bom_checked_ = true;
        } else if (n == kBom.size()) {
            pos_ += kBom.size();
            bom_checked_ = true;
        } else if (!finished_) {
            return Status::kNeedInput;  // could still be a BOM
        } else {
            bom_checked_ = true;
        }
    }
    const char delim = options_.delimiter;
    const auto end_row = [&]() {
        EndField();
        row = std::move(fields_);
        fields_.clear();
        row_started_ = false;
        ++rows_;
        return Status::kRow;
    };
    while (pos_ < buffer_.size()) {
        const char c = buffer_[pos_];
        // CR: the start of a CRLF line end (needs the next byte), or data.
        if (c == '\r' && state_ != State::kQuoted) {
            if (pos_ + 1 >= buffer_.size() && !finished_) {
                return Status::kNeedInput;
            }
            if (pos_ + 1 < buffer_.size() && buffer_[pos_ + 1] == '\n') {
                pos_ += 2;
                return end_row();
            }
            if (state_ == State::kQuoteInQuoted) {
                return Fail("Unexpected " + Shown(c) + " after a closing quote");
            }
            // A lone CR is part of the field.
            ++pos_;
            row_started_ = true;
            state_ = State::kUnquoted;
            field_ += c;
            if (TooLong()) {
                return Fail("Field longer than " + std::to_string(options_.max_field_bytes) +
                            " bytes");
            }
            continue;
        }
        switch (state_) {
            case State::kFieldStart:
                if (c == '"') {
                    state_ = State::kQuoted;
                    quote_row_ = rows_ + 1;
                    quote_column_ = fields_.size() + 1;
                    row_started_ = true;
                    ++pos_;
                    continue;
                }
                if (c == '\n') {
                    ++pos_;
                    return end_row();
                }
                if (c == delim) {
                    ++pos_;
                    row_started_ = true;
                    EndField();
                    continue;
                }
                state_ = State::kUnquoted;
                row_started_ = true;
                continue;  // the same byte, as data
            case State::kUnquoted: {
                // The common case: copy the run of plain bytes at once.
                std::size_t i = pos_;
                while (i < buffer_.size()) {
                    const char d = buffer_[i];
                    if (d == delim || d == '\n' || d == '\r' || d == '"') {
                        break;
                    }
                    ++i;
                }
                field_.append(buffer_, pos_, i - pos_);
                pos_ = i;
                if (TooLong()) {
                    return Fail("Field longer than " + std::to_string(options_.max_field_bytes) +
                                " bytes");
                }
                if (pos_ >= buffer_.size()) {
                    continue;
                }
                const char d = buffer_[pos_];
                if (d == '"') {
                    return Fail("Unexpected quote in an unquoted field");
                }
                if (d == delim) {
                    ++pos_;
                    EndField();
                } else if (d == '\n') {
                    ++pos_;
                    return end_row();
                }
                continue;  // CR: handled above
            }
            case State::kQuoted: {
                const auto q = buffer_.find('"', pos_);
                const std::size_t stop = q == std::string::npos ? buffer_.size() : q;
                field_.append(buffer_, pos_, stop - pos_);
                pos_ = stop;
                if (TooLong()) {
                    return Fail("Field longer than " + std::to_string(options_.max_field_bytes) +
                                " bytes");
                }
                if (q != std::string::npos) {
                    ++pos_;
                    state_ = State::kQuoteInQuoted;
                }
                continue;
            }
            case State::kQuoteInQuoted:
                if (c == '"') {
                    field_ += '"';
                    state_ = State::kQuoted;
                    ++pos_;
                    continue;
                }
                if (c == delim) {
                    ++pos_;
                    EndField();
                    continue;
                }
                if (c == '\n') {
                    ++pos_;
                    return end_row();
                }
                return Fail("Unexpected " + Shown(c) + " after a closing quote");
        }
    }
    if (!finished_) {
        return Status::kNeedInput;
    }
    if (state_ == State::kQuoted) {
        failed_ = true;
        error_.row = quote_row_;
        error_.column = quote_column_;
        error_.message = "Quoted field not closed before the end of the input at row " +
                         std::to_string(quote_row_) + ", column " + std::to_string(quote_column_);
        return Status::kError;
    }
    if (row_started_) {
        return end_row();
    }
    return Status::kEnd;
}

CsvStreamReader::CsvStreamReader(std::istream& in,
                                 CsvReaderOptions options,
                                 std::size_t chunk_bytes)
    : in_(in), reader_(options), chunk_(chunk_bytes == 0 ? 1 : chunk_bytes, '\0') {}

bool CsvStreamReader::Next(std::vector<std::string>& row) {
    while (true) {
        switch (reader_.Next(row)) {
            case CsvReader::Status::kRow:
                return true;
            case CsvReader::Status::kEnd:
                return false;
            case CsvReader::Status::kError:
                failed_ = true;
                return false;
            case CsvReader::Status::kNeedInput:
                in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
                const auto got = static_cast<std::size_t>(in_.gcount());
                reader_.Feed(std::string_view(chunk_.data(), got));
                if (got < chunk_.size()) {
                    reader_.Finish();
                }
                break;
        }
    }
}

bool ReadCsv(std::string_view text,
             CsvReaderOptions options,
             std::vector<std::vector<std::string>>& rows,
             CsvError* error) {
    CsvReader reader(options);
    reader.Feed(text);
    reader.Finish();
    std::vector<std::string> row;
    while (true) {
        switch (reader.Next(row)) {
            case CsvReader::Status::kRow:
                rows.push_back(std::move(row));
                break;
            case CsvReader::Status::kEnd:
            case CsvReader::Status::kNeedInput:  // not after Finish(); for completeness
                return true;
            case CsvReader::Status::kError:
                if (error != nullptr) {
                    *error = reader.error();
                }
                return false;
        }
    }
}

void AppendCsvField(std::string& out, std::string_view value, char delimiter, CsvQuote quote) {
    const bool needs =
        quote == CsvQuote::kAlways ||
        value.find_first_of(std::string{'"', '\r', '\n', delimiter}) != std::string_view::npos;
    if (!needs) {
        out.append(value);
        return;
    }
    out += '"';
    std::size_t start = 0;
    while (true) {
        const auto q = value.find('"', start);
        if (q == std::string_view::npos) {
            out.append(value.substr(start));
            break;
        }
        out.append(value.substr(start, q + 1 - start));
        out += '"';
        start = q + 1;
    }
    out += '"';
}

void AppendCsvRow(std::string& out,
                  const std::vector<std::string>& fields,
                  char delimiter,
                  std::string_view line_end,
                  CsvQuote quote) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            out += delimiter;
        }
        AppendCsvField(out, fields[i], delimiter, quote);
    }
    out.append(line_end);
}

}  // namespace sfkit::codec
