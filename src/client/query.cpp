// SOQL on the client side (see query.hpp): the lazy QueryCursor, query pages read from JSON and
// XML answers (§B.11, §B.16) and from child subquery values, and the SOQL literal helpers.
#include "sfkit/client/query.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/record_codec.hpp"
#include "client/value_read.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;

// ---- QueryCursor -------------------------------------------------------------------------------

QueryCursor::QueryCursor(QueryPage first, PageFetcher fetch_more)
    : fetch_(std::move(fetch_more)),
      page_(std::move(first.records)),
      total_size_(first.total_size) {
    if (!first.done) {
        if (first.next_records_url.empty()) {
            pending_error_ = MakeError(ErrorKind::kProtocol,
                                       "INVALID_RESPONSE",
                                       "the query answer says done:false but has no "
                                       "nextRecordsUrl");
        }
        next_url_ = std::move(first.next_records_url);
    }
}

QueryCursor::QueryCursor(QueryCursor&&) noexcept = default;
QueryCursor& QueryCursor::operator=(QueryCursor&&) noexcept = default;
QueryCursor::~QueryCursor() = default;

void QueryCursor::Fail(Error error) {
    error_ = error;
    current_ = std::move(error);
    has_current_ = true;
    failed_ = true;
    next_url_.clear();
    page_.clear();
}

void QueryCursor::Advance() {
    has_current_ = false;
    if (finished_) {
        return;
    }
    if (failed_) {
        // The error was the last element.
        finished_ = true;
        return;
    }
    while (pos_ >= page_.size()) {
        // Drop the spent page before asking for the next: one page in memory at a time.
        page_.clear();
        page_.shrink_to_fit();
        pos_ = 0;
        if (pending_error_) {
            Fail(*std::move(pending_error_));
            pending_error_.reset();
            return;
        }
        if (next_url_.empty()) {
            finished_ = true;
            current_ = Record();
            return;
        }
        auto page = fetch_ ? fetch_(next_url_)
                           : Result<QueryPage>(MakeError(ErrorKind::kInvalidArgument,
                                                         "NO_PAGE_FETCHER",
                                                         "this cursor cannot fetch more pages"));
        if (!page) {
            Fail(page.error());
            return;
        }
        ++pages_;
        if (!page->done && page->next_records_url.empty()) {
            pending_error_ = MakeError(ErrorKind::kProtocol,
                                       "INVALID_RESPONSE",
                                       "a query page says done:false but has no nextRecordsUrl");
        } else if (!page->done && page->next_records_url == next_url_) {
            // A server that hands back the same locator would make this loop forever.
            pending_error_ =
                MakeError(ErrorKind::kProtocol,
                          "INVALID_RESPONSE",
                          "a query page points to itself as the next page: " + next_url_);
        }
        next_url_ = page->done ? std::string() : std::move(page->next_records_url);
        page_ = std::move(page->records);
    }
    current_ = std::move(page_[pos_]);
    ++pos_;
    ++read_;
    has_current_ = true;
}

QueryCursor::Iterator QueryCursor::begin() {
    if (!has_current_ && !finished_) {
        Advance();
    }
    return Iterator(this);
}

std::optional<Result<Record>> QueryCursor::Next() {
    if (!has_current_) {
        Advance();
    }
    if (finished_) {
        return std::nullopt;
    }
    has_current_ = false;
    return std::move(current_);
}

// ---- pages and subqueries
// ------------------------------------------------------------------------

bool IsQueryResultValue(const Value& value) noexcept {
    const Record* r = value.AsRecord();
    // Parent records carry a type (attributes); compound values have other keys.
    return r != nullptr && r->Type().empty() && r->Find("records") != nullptr &&
           r->Find("done") != nullptr && r->Find("totalSize") != nullptr;
}

namespace {

Error BadAnswer(std::string message) {
    return MakeError(ErrorKind::kProtocol, "INVALID_RESPONSE", std::move(message));
}

/// A generic record holding `totalSize`, `done`, `nextRecordsUrl` and `records` (a child
/// subquery value, JSON or XML) as a page.
QueryPage PageFromRecord(const Record& r) {
    QueryPage page;
    page.total_size = detail::ReadInt(r, "totalSize");
    page.done = detail::ReadBool(r, "done");
    page.next_records_url = detail::ReadText(r, "nextRecordsUrl");
    // XML cannot tell one child from a list of one: ReadItems takes either.
    for (const auto& item : detail::ReadItems(r, "records")) {
        if (const Record* rec = item.AsRecord()) {
            page.records.push_back(*rec);
        } else if (!item.IsNull()) {
            // A record with no fields in XML (`<records type=".."/>`) has no element children.
            page.records.emplace_back();
        }
    }
    return page;
}

Result<QueryPage> PageFromJson(std::string_view body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        return BadAnswer("the query answer is not JSON: " + parsed.error().message);
    }
    if (!parsed->is_object()) {
        return BadAnswer("the query answer is not a JSON object");
    }
    json::object& o = parsed->get_object();
    const json::value* records = o.if_contains("records");
    const json::value* total = o.if_contains("totalSize");
    const json::value* done = o.if_contains("done");
    if (records == nullptr || !records->is_array() || total == nullptr || !total->is_number() ||
        done == nullptr || !done->is_bool()) {
        return BadAnswer("the answer is not a query result (totalSize, done, records)");
    }
    QueryPage page;
    page.total_size = total->is_int64()    ? total->get_int64()
                      : total->is_uint64() ? static_cast<std::int64_t>(total->get_uint64())
                                           : static_cast<std::int64_t>(total->get_double());
    page.done = done->get_bool();
    if (const json::value* next = o.if_contains("nextRecordsUrl");
        next != nullptr && next->is_string()) {
        page.next_records_url = std::string(next->get_string());
    }
    json::array& list = o["records"].get_array();
    page.records.reserve(list.size());
    for (json::value& item : list) {
        if (!item.is_object()) {
            return BadAnswer("a query record is not a JSON object");
        }
        page.records.push_back(detail::RecordFromJsonObject(item.get_object()));
        item = nullptr;  // release the parsed record as soon as it is converted
    }
    return page;
}

Result<QueryPage> PageFromXml(std::string_view body) {
    pugi::xml_document doc;
    const auto r =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
        return BadAnswer(std::string("the query answer is not XML: ") + r.description());
    }
    const pugi::xml_node root = doc.document_element();
    if (!root.child("done") || !root.child("totalSize")) {
        return BadAnswer("the XML answer is not a query result (done, records, totalSize)");
    }
    QueryPage page;
    page.done = std::string_view(root.child_value("done")) == "true";
    const std::string_view total = root.child_value("totalSize");
    const auto parsed = std::from_chars(total.data(), total.data() + total.size(), page.total_size);
    if (parsed.ec != std::errc() || parsed.ptr != total.data() + total.size()) {
        return BadAnswer("totalSize is not a number: '" + std::string(total) + "'");
    }
    page.next_records_url = root.child_value("nextRecordsUrl");
    for (const pugi::xml_node rec : root.children("records")) {
        page.records.push_back(detail::RecordFromXmlNode(rec));
    }
    return page;
}

}  // namespace

Result<QueryPage> ParseQueryPage(std::string_view body) {
    std::string_view t = body;
    while (!t.empty() &&
           (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t')) {
        t.remove_prefix(1);
    }
    if (t.rfind("\xEF\xBB\xBF", 0) == 0) {
        t.remove_prefix(3);
    }
    if (!t.empty() && t.front() == '<') {
        return PageFromXml(t);
    }
    return PageFromJson(t);
}

Result<QueryPage> ReadSubquery(const Record& record, std::string_view relationship) {
    const Value* v = record.FindPath(relationship);
    if (v == nullptr) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "NO_SUCH_FIELD",
                         "the " + (record.Type().empty() ? std::string("record") : record.Type()) +
                             " has no field " + std::string(relationship));
    }
    if (v->IsNull()) {
        return QueryPage{};  // Salesforce sends null for a parent without children
    }
    if (!IsQueryResultValue(*v)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_TYPE",
                         "field " + std::string(relationship) +
                             " is not a child subquery result (totalSize, done, records)");
    }
    return PageFromRecord(*v->AsRecord());
}

Result<std::vector<Record>> Record::GetSubquery(std::string_view relationship) const {
    auto page = ReadSubquery(*this, relationship);
    if (!page) {
        return page.error();
    }
    return std::move(page->records);
}

// ---- literals ----------------------------------------------------------------------------------

namespace {

void AppendEscaped(std::string& out, std::string_view value, bool like) {
    out.reserve(out.size() + value.size() + 2);
    for (const char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\'':
                out += "\\'";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '%':
            case '_':
                if (like) {
                    out += '\\';
                }
                out += c;
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned char>(c));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
}

}  // namespace

std::string SoqlEscape(std::string_view value) {
    std::string out;
    AppendEscaped(out, value, false);
    return out;
}

std::string SoqlLiteral(std::string_view value) {
    std::string out = "'";
    AppendEscaped(out, value, false);
    out += '\'';
    return out;
}

std::string SoqlLikeEscape(std::string_view value) {
    std::string out;
    AppendEscaped(out, value, true);
    return out;
}

std::string SoqlLikeLiteral(std::string_view value, LikeMatch match) {
    std::string out = "'";
    if (match == LikeMatch::kSuffix || match == LikeMatch::kContains) {
        out += '%';
    }
    AppendEscaped(out, value, true);
    if (match == LikeMatch::kPrefix || match == LikeMatch::kContains) {
        out += '%';
    }
    out += '\'';
    return out;
}

std::string SoqlBool(bool value) {
    return value ? "TRUE" : "FALSE";
}

std::string SoqlNumber(std::int64_t value) {
    return std::to_string(value);
}

Result<std::string> SoqlNumber(double value) {
    if (!std::isfinite(value)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_NUMBER",
                         "SOQL has no literal for NaN or infinity");
    }
    // Fixed notation, shortest digits that round-trip: SOQL numbers have no exponent.
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    if (r.ec != std::errc()) {
        return MakeError(ErrorKind::kInvalidArgument, "INVALID_NUMBER", "cannot format the number");
    }
    std::string out(buf, r.ptr);
    if (out == "-0") {
        out = "0";
    }
    return out;
}

std::string SoqlDate(std::chrono::year_month_day date) {
    return FormatDate(date);
}

std::string SoqlDateTime(DateTime instant) {
    // FormatDateTime gives `2011-07-07T00:37:00.000+0000`; SOQL literals take `Z` or `+hh:mm`.
    const std::string text = FormatDateTime(instant);
    const std::string_view millis = std::string_view(text).substr(20, 3);
    return text.substr(0, 19) + (millis == "000" ? "" : "." + std::string(millis)) + "Z";
}

Result<std::string> SoqlInList(const std::vector<std::string>& values) {
    if (values.empty()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "EMPTY_LIST",
                         "SOQL has no empty IN list; leave the condition out instead");
    }
    std::string out = "(";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += SoqlLiteral(values[i]);
    }
    out += ')';
    return out;
}

}  // namespace sfkit::client
