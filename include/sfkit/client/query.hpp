// SOQL on the client side (wire reference §B.11): query pages, a lazy cursor over every record of
// every page, child subquery results inside records, and literal helpers that make user input
// safe to splice into a SOQL string. The RestClient calls that start queries are declared in
// rest_client.hpp (Query, QueryAll, QueryFirstPage, QueryMore, Count).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/datetime.hpp"
#include "sfkit/client/record.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

/// How a query runs.
struct QueryOptions {
    /// Rows per page, sent as `Sforce-Query-Options: batchSize=N` on every page request.
    /// Salesforce treats it as a hint within 200..2,000 (§B.11); 0 sends nothing (server
    /// default, 2,000).
    int batch_size = 0;
    /// `queryAll` instead of `query`: deleted and archived records are included.
    bool all_rows = false;
};

/// One page of a query answer: `{"totalSize","done","nextRecordsUrl","records"}` (§B.11), or the
/// same read from a child subquery value inside a record.
struct QueryPage {
    std::int64_t total_size = 0;   ///< rows of the whole query (COUNT(): the count)
    bool done = true;              ///< no page follows
    std::string next_records_url;  ///< `/services/data/vNN.N/query/01g...-2000`; empty when done
    std::vector<Record> records;   ///< in the answer's order; `attributes` as Type()/Url()
};

/// A single-pass, lazy range over every record of a query, across all its pages, without any cap.
/// It holds one page at a time and fetches the next one only when iteration runs past the end
/// of the current one.
///
/// Elements are `Result<Record>`: records, and at most one error, which is always the last
/// element (a page request that failed: expired locator, network, ...); iteration stops after
/// it. `error()` also holds that error once the iteration has ended, so both styles work:
///
///     for (auto& rec : *cursor) {
///         if (!rec) { report(rec.error()); break; }
///         use(rec->GetString("Name"));
///     }
///     // or, exception style: use(rec.value()) throws sfkit::Exception on the error
///
/// The cursor is an input range (`std::ranges::input_range`): begin() a second time continues
/// with the element the last loop stopped on (the one it did not increment past). It must not
/// be moved while iterating, and the RestClient it came from must outlive it. Not thread-safe:
/// it fetches pages through that RestClient, so it belongs to the RestClient's thread.
class QueryCursor {
public:
    /// Fetches the page behind a `nextRecordsUrl`.
    using PageFetcher = std::function<Result<QueryPage>(const std::string& next_records_url)>;

    /// A cursor that starts with `first` and fetches further pages with `fetch_more`.
    QueryCursor(QueryPage first, PageFetcher fetch_more);
    QueryCursor(QueryCursor&&) noexcept;
    QueryCursor& operator=(QueryCursor&&) noexcept;
    QueryCursor(const QueryCursor&) = delete;
    QueryCursor& operator=(const QueryCursor&) = delete;
    ~QueryCursor();

    /// `totalSize` of the first page: the number of rows the query matched (the count of a
    /// `SELECT COUNT()` query, whose pages carry no records).
    std::int64_t TotalSize() const noexcept { return total_size_; }
    /// Pages received so far, the first one included.
    std::int64_t PagesFetched() const noexcept { return pages_; }
    /// Records handed out so far.
    std::int64_t RecordsRead() const noexcept { return read_; }
    /// Whether the iteration has ended (after the last record, or after an error).
    bool Finished() const noexcept { return finished_; }
    /// The error that ended the iteration early, if any.
    const std::optional<Error>& error() const noexcept { return error_; }

    class Iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Result<Record>;
        using difference_type = std::ptrdiff_t;
        using reference = Result<Record>&;
        using pointer = Result<Record>*;

        Iterator() = default;
        reference operator*() const { return cursor_->current_; }
        pointer operator->() const { return &cursor_->current_; }
        Iterator& operator++() {
            cursor_->Advance();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const Iterator& it, std::default_sentinel_t) noexcept {
            return it.cursor_ == nullptr || it.cursor_->Finished();
        }

    private:
        friend class QueryCursor;
        explicit Iterator(QueryCursor* cursor) : cursor_(cursor) {}
        QueryCursor* cursor_ = nullptr;
    };

    /// Positions on the first record not yet handed out (fetching a page if needed).
    Iterator begin();
    std::default_sentinel_t end() const noexcept { return {}; }

    /// The next element, or nullopt at the end: the same sequence as iteration, for callers who
    /// prefer a pull loop (`while (auto rec = cursor.Next()) ...`).
    std::optional<Result<Record>> Next();

private:
    /// Loads the next element (record or error) into current_; sets finished_ at the end.
    void Advance();
    /// Makes `error` the current (and last) element.
    void Fail(Error error);

    PageFetcher fetch_;
    std::vector<Record> page_;  ///< the current page; records are moved out as they are read
    std::size_t pos_ = 0;       ///< next record of page_
    std::string next_url_;      ///< empty when no page follows
    std::int64_t total_size_ = 0;
    std::int64_t pages_ = 1;
    std::int64_t read_ = 0;
    bool has_current_ = false;  ///< current_ holds an element not yet moved past
    bool finished_ = false;
    bool failed_ = false;
    Result<Record> current_{Record()};
    std::optional<Error> pending_error_;  ///< a malformed page, reported after its records
    std::optional<Error> error_;
};

// ---- child subqueries and result shapes ------------------------------------------------------

/// Whether `value` is a query result nested in a record: a child subquery's
/// `{"totalSize","done","records"}` (JSON), or its XML form `<Rel><done/><records/>..<totalSize/>`.
bool IsQueryResultValue(const Value& value) noexcept;

/// The child subquery `relationship` of a record (`Contacts` in `SELECT Name, (SELECT LastName
/// FROM Contacts) FROM Account`) as a page. A null value (Salesforce sends null when there are
/// no children) is an empty page. Errors (kInvalidArgument): NO_SUCH_FIELD when the record has
/// no such field, INVALID_TYPE when the field is not a query result. When `done` is false, the
/// rest of the children come from RestClient::QueryMore(next_records_url).
Result<QueryPage> ReadSubquery(const Record& record, std::string_view relationship);

/// Reads a whole query answer body (JSON, or the `<QueryResult>` XML document) as a page.
/// kProtocol INVALID_RESPONSE when the body is not a query result.
Result<QueryPage> ParseQueryPage(std::string_view body);

// ---- literals ----------------------------------------------------------------------------------
// Build SOQL from values without SOQL injection: every string that did not come from the
// program's own text goes through SoqlLiteral (or SoqlLikeLiteral for LIKE patterns).

/// `value` escaped for use inside a quoted SOQL string, without the quotes: `\\` `\'` `\"` `\n`
/// `\r` `\t` `\b` `\f`, other control characters as `\u00XX` (SOQL reference, "Quoted String
/// Escape Sequences"); everything else, UTF-8 included, as is.
std::string SoqlEscape(std::string_view value);

/// `value` as a quoted SOQL string literal: `O'Neil` -> `'O\'Neil'`.
std::string SoqlLiteral(std::string_view value);

/// Like SoqlEscape, and also escapes LIKE's wildcards `%` and `_` (as `\%`, `\_`), so that
/// `value` matches only itself inside a LIKE pattern. No quotes.
std::string SoqlLikeEscape(std::string_view value);

/// `value` made safe inside the braces of a SOSL `FIND {...}` term: each of SOSL's reserved
/// characters `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` gets a backslash, so the text is searched
/// for as written (no wildcards, no operators). Words stay words: `Acme Corp` still finds records
/// with both words, as a term typed by hand would.
std::string SoslEscape(std::string_view value);

/// Where a LIKE pattern built by SoqlLikeLiteral lets other text appear.
enum class LikeMatch {
    kExact,     ///< 'value'
    kPrefix,    ///< 'value%' : starts with value
    kSuffix,    ///< '%value' : ends with value
    kContains,  ///< '%value%'
};

/// A quoted LIKE pattern matching `value` literally (wildcards in it escaped), with `%` added as
/// `match` says: `SoqlLikeLiteral("50%_off", LikeMatch::kPrefix)` -> `'50\%\_off%'`.
std::string SoqlLikeLiteral(std::string_view value, LikeMatch match = LikeMatch::kExact);

/// `TRUE` / `FALSE`.
std::string SoqlBool(bool value);

/// An integer literal.
std::string SoqlNumber(std::int64_t value);

/// A decimal literal without exponent (SOQL has none): shortest digits that read back as the
/// same double, e.g. `0.1`, `100000000000000000000`. Fails (kInvalidArgument, INVALID_NUMBER) on
/// NaN and infinities.
Result<std::string> SoqlNumber(double value);

/// A date literal, `2024-01-31` (no quotes: SOQL date literals are bare).
std::string SoqlDate(std::chrono::year_month_day date);

/// A dateTime literal in UTC, `2024-01-31T12:00:00Z` (`.123Z` when there are milliseconds).
std::string SoqlDateTime(DateTime instant);

/// `('a', 'b')` for `IN` / `NOT IN` / `INCLUDES`, each value a SoqlLiteral. SOQL has no empty
/// list, so an empty `values` fails (kInvalidArgument, EMPTY_LIST): test for it before building
/// the query.
Result<std::string> SoqlInList(const std::vector<std::string>& values);

/// `NULL`.
inline constexpr std::string_view kSoqlNull = "NULL";

}  // namespace sfkit::client
