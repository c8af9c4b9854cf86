// BulkRows: a lazy range over the rows of Bulk 2.0 results CSVs. Each page is written to an
// anonymous temporary file as it arrives (tmpfile: gone when closed, or when the process dies),
// then read back in 64 KiB pieces through the streaming CSV reader, so that neither a page nor
// the whole result is ever held in memory.
#include <cstdio>

#include "sfkit/client/bulk2.hpp"

#include "codec/csv.hpp"

namespace sfkit::client {

struct BulkRows::Page {
    explicit Page(char delimiter) : reader(codec::CsvReaderOptions{delimiter, 0}) {}
    ~Page() {
        if (file != nullptr) {
            std::fclose(file);
        }
    }
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;

    std::FILE* file = nullptr;
    codec::CsvReader reader;
    bool input_done = false;
};

BulkRows::BulkRows(PageFetcher fetch, char delimiter)
    : fetch_(std::move(fetch)), delimiter_(delimiter) {}
BulkRows::BulkRows(BulkRows&&) noexcept = default;
BulkRows& BulkRows::operator=(BulkRows&&) noexcept = default;
BulkRows::~BulkRows() = default;

void BulkRows::Fail(Error error) {
    error_ = error;
    current_ = std::move(error);
    has_current_ = true;
    more_pages_ = false;
    page_.reset();
}

Result<bool> BulkRows::NextPage() {
    page_.reset();
    if (!more_pages_) {
        return false;
    }
    auto page = std::make_unique<Page>(delimiter_);
    page->file = std::tmpfile();
    if (page->file == nullptr) {
        return MakeError(ErrorKind::kIo, "CANNOT_WRITE", "cannot create a temporary file");
    }
    std::FILE* f = page->file;
    const BodySink sink = [f](std::string_view piece) {
        return std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
    };
    auto next = fetch_(locator_, sink);
    if (!next) {
        return next.error();
    }
    if (std::fflush(f) != 0 || std::fseek(f, 0, SEEK_SET) != 0) {
        return MakeError(ErrorKind::kIo, "CANNOT_WRITE", "cannot write a temporary file");
    }
    ++pages_;
    locator_ = *next;
    more_pages_ = !locator_.empty();
    page_ = std::move(page);
    // Every page starts with the header row (§3.4); the first one's is the range's.
    BulkRow header;
    auto got = ReadRecord(header);
    if (!got) {
        return got.error();
    }
    if (*got && columns_.empty()) {
        columns_ = std::move(header);
    }
    return true;
}

Result<bool> BulkRows::ReadRecord(BulkRow& out) {
    Page& p = *page_;
    for (;;) {
        switch (p.reader.Next(out)) {
            case codec::CsvReader::Status::kRow:
                return true;
            case codec::CsvReader::Status::kEnd:
                return false;
            case codec::CsvReader::Status::kError:
                return MakeError(
                    ErrorKind::kProtocol,
                    "INVALID_CSV",
                    "results page " + std::to_string(pages_) + ": " + p.reader.error().message);
            case codec::CsvReader::Status::kNeedInput:
                break;
        }
        if (p.input_done) {
            p.reader.Finish();
            continue;
        }
        char buffer[1 << 16];
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, p.file);
        if (n > 0) {
            p.reader.Feed(std::string_view(buffer, n));
        }
        if (n < sizeof buffer) {
            if (std::ferror(p.file) != 0) {
                return MakeError(ErrorKind::kIo, "CANNOT_READ", "cannot read a temporary file");
            }
            p.input_done = true;
        }
    }
}

void BulkRows::Advance() {
    has_current_ = false;
    if (finished_) {
        return;
    }
    if (error_.has_value()) {
        finished_ = true;
        return;
    }
    for (;;) {
        if (!page_) {
            auto fetched = NextPage();
            if (!fetched) {
                Fail(fetched.error());
                return;
            }
            if (!*fetched) {
                finished_ = true;
                return;
            }
        }
        BulkRow row;
        auto got = ReadRecord(row);
        if (!got) {
            Fail(got.error());
            return;
        }
        if (*got) {
            current_ = std::move(row);
            has_current_ = true;
            ++read_;
            return;
        }
        page_.reset();
    }
}

const std::vector<std::string>& BulkRows::Columns() {
    if (!started_) {
        started_ = true;
        Advance();
    }
    return columns_;
}

BulkRows::Iterator BulkRows::begin() {
    if (!started_) {
        started_ = true;
        Advance();
    } else if (!has_current_ && !finished_) {
        Advance();
    }
    return Iterator(this);
}

std::optional<Result<BulkRow>> BulkRows::Next() {
    auto it = begin();
    if (it == end()) {
        return std::nullopt;
    }
    Result<BulkRow> out = std::move(current_);
    has_current_ = false;
    if (error_.has_value()) {
        finished_ = true;
    }
    return out;
}

}  // namespace sfkit::client
