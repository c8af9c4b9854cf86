// `sfkit query`: runs SOQL and streams every page to stdout or a file as an aligned table, RFC
// 4180 CSV or a JSON records array, holding one page in memory at a time (docs/cli.md).
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "sfkit/client/query.hpp"

#include "client_support.hpp"
#include "codec/json.hpp"
#include "commands.hpp"
#include "output_file.hpp"
#include "progress.hpp"
#include "soql/parser.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

constexpr std::string_view kCommand = "query";

void Write(FILE* out, std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), out);
}

// ---- columns ---------------------------------------------------------------------------------

bool SameName(std::string_view a, std::string_view b) {
    return a.size() == b.size() && client::HeaderNameEquals(a, b);
}

/// A selected field; nested records (parent relationships, compound fields) have children.
struct ColumnNode {
    std::string name;
    std::vector<ColumnNode> children;
    bool subquery = false;  ///< a child subquery (seen as a query result at least once)
};

/// A column of the output: `Account.Owner.Name`-style path of a leaf.
struct Column {
    std::string path;
    bool subquery = false;
};

/// Adds the record's fields to the column tree, in the record's (SELECT) order.
void MergeColumns(std::vector<ColumnNode>& nodes, const client::Record& record) {
    for (const auto& field : record.Fields()) {
        std::size_t at = 0;
        while (at < nodes.size() && !SameName(nodes[at].name, field.name)) {
            ++at;
        }
        if (at == nodes.size()) {
            nodes.push_back({field.name, {}, false});
        }
        if (client::IsQueryResultValue(field.value)) {
            nodes[at].subquery = true;
        } else if (const client::Record* nested = field.value.AsRecord()) {
            MergeColumns(nodes[at].children, *nested);
        }
    }
}

void Leaves(const std::vector<ColumnNode>& nodes,
            const std::string& prefix,
            std::vector<Column>& out) {
    for (const auto& n : nodes) {
        const std::string path = prefix.empty() ? n.name : prefix + "." + n.name;
        if (n.children.empty()) {
            out.push_back({path, n.subquery});
        } else {
            Leaves(n.children, path, out);
        }
    }
}

/// Adds `parts` as a chain of nodes (a parent path `Account.Owner.Name` as three levels).
void AddPath(std::vector<ColumnNode>& nodes, const std::vector<std::string>& parts, bool subquery) {
    std::vector<ColumnNode>* level = &nodes;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::size_t at = 0;
        while (at < level->size() && !SameName((*level)[at].name, parts[i])) {
            ++at;
        }
        if (at == level->size()) {
            level->push_back({parts[i], {}, false});
        }
        if (i + 1 == parts.size()) {
            (*level)[at].subquery = (*level)[at].subquery || subquery;
        }
        level = &(*level)[at].children;
    }
}

/// The column tree the SELECT list names, so a parent that is null on every record of the
/// first page still gets its columns. Empty when the query does not parse, or selects what
/// only the records can tell (FIELDS(), TYPEOF, functions, aliases): the records decide then.
std::vector<ColumnNode> ColumnsOfSelect(std::string_view soql_text) {
    soql::ParseOptions options;
    options.max_child_depth = 4;
    auto q = soql::Parse(soql_text, options);
    std::vector<ColumnNode> tree;
    if (!q) {
        return tree;
    }
    const std::string& from = q->from.parts.empty() ? std::string() : q->from.parts.back();
    for (const auto& item : q->select) {
        if (const auto* e = std::get_if<soql::SelectExpr>(&item.node)) {
            const soql::FieldPath* f = e->expr.AsField();
            if (f == nullptr || e->alias) {
                return {};
            }
            std::vector<std::string> parts = f->parts;
            // `SELECT Account.Name FROM Account` and `FROM Account a ... a.Name`.
            if (parts.size() > 1 && (SameName(parts.front(), from) ||
                                     (q->from_alias && SameName(parts.front(), *q->from_alias)))) {
                parts.erase(parts.begin());
            }
            AddPath(tree, parts, false);
        } else if (const auto* sub = std::get_if<soql::SubqueryItem>(&item.node)) {
            const auto& rel = sub->query->from.parts;
            if (rel.empty()) {
                return {};
            }
            AddPath(tree, {rel.back()}, true);
        } else {
            return {};
        }
    }
    return tree;
}

/// The object a query reads (`FROM Contact`), for relationship suggestions; "" when the query
/// does not parse here.
std::string FromObject(std::string_view soql_text) {
    soql::ParseOptions options;
    options.max_child_depth = 4;  // as ColumnsOfSelect: subqueries allowed
    auto q = soql::Parse(soql_text, options);
    return q && !q->from.parts.empty() ? q->from.parts.back() : std::string();
}

/// The columns of a page: the SELECT list's fields (see ColumnsOfSelect), then every field of
/// every record not yet among them, in SELECT order, nested records flattened (a parent that is
/// null in one record and not in another still gets its fields).
std::vector<Column> ColumnsOf(const std::vector<client::Record>& records,
                              std::vector<ColumnNode> tree = {}) {
    for (const auto& r : records) {
        MergeColumns(tree, r);
    }
    std::vector<Column> columns;
    Leaves(tree, "", columns);
    return columns;
}

/// Child records as a compact JSON array (their own `attributes` left out).
std::string ChildrenJson(const client::QueryPage& children) {
    std::string out = "[";
    for (std::size_t i = 0; i < children.records.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += children.records[i].ToJson(false);
    }
    out += ']';
    return out;
}

/// The text of one cell. Child subqueries: their number of records (human; 0 for null, which
/// is how Salesforce says "none") or the records as JSON (csv; empty for null). A nested record
/// in a column that was a leaf on the first page (a parent that was null throughout it):
/// compact JSON.
std::string CellText(const client::Record& record, const Column& column, bool csv) {
    const client::Value* v = record.FindPath(column.path);
    if (v == nullptr || v->IsNull()) {
        return column.subquery && !csv ? "0" : std::string();
    }
    if (client::IsQueryResultValue(*v)) {
        auto children = client::ReadSubquery(record, column.path);
        if (!children) {
            return {};
        }
        return csv ? ChildrenJson(*children) : std::to_string(children->total_size);
    }
    if (const client::Record* nested = v->AsRecord()) {
        return nested->ToJson(false);
    }
    return v->ToText();
}

// ---- formats ---------------------------------------------------------------------------------

/// One output format. Pages arrive in order; End comes after the last one.
class Writer {
public:
    explicit Writer(FILE* out) : out_(out) {}
    virtual ~Writer() = default;
    virtual void Records(const std::vector<client::Record>& records) = 0;
    /// `total`: totalSize of the answer; `count`: a SELECT COUNT() query (no records).
    virtual void End(std::int64_t total, bool count) = 0;
    /// A page failed after some output was written.
    virtual void Fail(const Error&) {}

    std::int64_t Written() const { return written_; }
    /// The columns the SELECT list names (ColumnsOfSelect), shown even when always null.
    void SetSelectColumns(std::vector<ColumnNode> tree) { select_columns_ = std::move(tree); }

protected:
    FILE* out_;
    std::vector<ColumnNode> select_columns_;
    std::int64_t written_ = 0;
};

/// An aligned table. Widths come from the first page with records; later pages keep them (a
/// wider value shifts only its own row), so nothing but the current page is held.
class HumanWriter final : public Writer {
public:
    HumanWriter(FILE* out, std::size_t cell_limit) : Writer(out), limit_(cell_limit) {}

    void Records(const std::vector<client::Record>& records) override {
        if (records.empty()) {
            return;
        }
        if (!table_) {
            columns_ = ColumnsOf(records, select_columns_);
            std::vector<Table::Column> columns;
            for (const auto& c : columns_) {
                columns.push_back({c.path, c.subquery});
            }
            table_.emplace(std::move(columns));
        }
        for (const auto& r : records) {
            std::vector<std::string> cells;
            cells.reserve(columns_.size());
            for (const auto& p : columns_) {
                cells.push_back(CellText(r, p, false));
            }
            table_->AddRow(std::move(cells));
        }
        const bool first = widths_.empty();
        if (first) {
            widths_ = table_->Widths(limit_);
        }
        Write(out_, table_->RenderWith(widths_, limit_, first));
        table_->ClearRows();
        written_ += static_cast<std::int64_t>(records.size());
    }

    void End(std::int64_t total, bool count) override {
        // sf CLI's footer; for COUNT() it carries the count.
        std::fprintf(out_,
                     "Total number of records retrieved: %lld.\n",
                     static_cast<long long>(count ? total : written_));
    }

private:
    std::size_t limit_;
    std::optional<Table> table_;
    std::vector<Column> columns_;
    std::vector<std::size_t> widths_;
};

/// RFC 4180: a header row, CRLF after every row, fields quoted when they hold `,` `"` CR or LF
/// (quotes doubled). Columns come from the first page with records.
class CsvWriter final : public Writer {
public:
    using Writer::Writer;

    static void AppendField(std::string& line, const std::string& field) {
        if (field.find_first_of(",\"\r\n") == std::string::npos) {
            line += field;
            return;
        }
        line += '"';
        for (const char c : field) {
            if (c == '"') {
                line += '"';
            }
            line += c;
        }
        line += '"';
    }

    void Records(const std::vector<client::Record>& records) override {
        if (records.empty()) {
            return;
        }
        std::string text;
        if (columns_.empty()) {
            columns_ = ColumnsOf(records, select_columns_);
            std::vector<std::string> header;
            for (const auto& c : columns_) {
                header.push_back(c.path);
            }
            Row(text, header);
        }
        std::vector<std::string> cells(columns_.size());
        for (const auto& r : records) {
            for (std::size_t i = 0; i < columns_.size(); ++i) {
                cells[i] = CellText(r, columns_[i], true);
            }
            Row(text, cells);
        }
        Write(out_, text);
        written_ += static_cast<std::int64_t>(records.size());
    }

    void End(std::int64_t total, bool count) override {
        if (count) {
            Write(out_, "count\r\n" + std::to_string(total) + "\r\n");
        }
    }

private:
    static void Row(std::string& text, const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) {
                text += ',';
            }
            AppendField(text, fields[i]);
        }
        text += "\r\n";
    }

    std::vector<Column> columns_;
};

/// The records array, one compact record per line, `attributes` included. COUNT(): the answer
/// itself (`{"totalSize":N,"done":true,"records":[]}`), since an empty array would lose the count.
class JsonWriter final : public Writer {
public:
    using Writer::Writer;

    void Records(const std::vector<client::Record>& records) override {
        std::string text;
        for (const auto& r : records) {
            text += written_ == 0 ? "[\n" : ",\n";
            text += r.ToJson(true);
            ++written_;
        }
        Write(out_, text);
    }

    void End(std::int64_t total, bool count) override {
        if (count) {
            Write(out_,
                  "{\"totalSize\":" + std::to_string(total) + ",\"done\":true,\"records\":[]}\n");
        } else {
            Write(out_, written_ == 0 ? "[]\n" : "\n]\n");
        }
    }
};

/// `--json` on stdout: the envelope
/// (`{"status":0,"result":{"records":[...],"totalSize":N,"done":true},"warnings":[],...}`).
class EnvelopeWriter final : public Writer {
public:
    // The records are spooled to an unnamed temporary file (memory stays flat) and the envelope
    // is written when the outcome is known, so that its keys come in sf's order with the right
    // status: `status, result, warnings` on success; on a page failing midway, the error
    // envelope (name, message, exitCode, ..., status, commandName) with the records so far as
    // its `result`, last, as sf places an error's result.
    EnvelopeWriter(FILE* out, client::RestClient& rest)
        : Writer(out), rest_(rest), spool_(std::tmpfile()) {}
    ~EnvelopeWriter() override {
        if (spool_ != nullptr) {
            std::fclose(spool_);
        }
    }
    EnvelopeWriter(const EnvelopeWriter&) = delete;
    EnvelopeWriter& operator=(const EnvelopeWriter&) = delete;

    void Records(const std::vector<client::Record>& records) override {
        std::string text;
        for (const auto& r : records) {
            if (written_ > 0) {
                text += ',';
            }
            text += r.ToJson(true);
            ++written_;
        }
        if (spool_ != nullptr) {
            Write(spool_, text);
        } else {
            memory_ += text;  // no temporary file could be made: hold them
        }
    }

    void End(std::int64_t total, bool) override {
        WarnOnApiUsage(rest_.LastApiUsage());
        json::object tail;
        tail["warnings"] = WarningsJson();
        if (auto usage = rest_.LastApiUsage()) {
            tail["apiUsage"] = json::object{{"used", usage->used}, {"max", usage->max}};
        }
        Write(out_, "{\"status\":0,");
        WriteResult(total, true);
        Write(out_, "," + codec::WriteJson(tail).substr(1) + "\n");
    }

    void Fail(const Error& error) override {
        std::string head = codec::WriteJson(ErrorEnvelope(error, kCommand));
        head.back() = ',';  // the closing brace: `result` follows
        Write(out_, head);
        WriteResult(total_hint_, false);
        Write(out_, "}\n");
    }

    void SetTotal(std::int64_t total) { total_hint_ = total; }

private:
    /// `"result":{"records":[...],"totalSize":N,"done":B}` with the spooled records.
    void WriteResult(std::int64_t total, bool done) {
        Write(out_, "\"result\":{\"records\":[");
        if (spool_ != nullptr) {
            std::rewind(spool_);
            char buf[65536];
            std::size_t n = 0;
            while ((n = std::fread(buf, 1, sizeof buf, spool_)) > 0) {
                std::fwrite(buf, 1, n, out_);
            }
        }
        Write(out_, memory_);
        Write(out_,
              "],\"totalSize\":" + std::to_string(total) +
                  ",\"done\":" + (done ? "true" : "false") + "}");
    }

    client::RestClient& rest_;
    FILE* spool_;
    std::string memory_;
    std::int64_t total_hint_ = 0;
};

// ---- the command -------------------------------------------------------------------------------

/// `SELECT COUNT() FROM ...` (any case and spacing): its answer has a totalSize and no records.
bool IsCountQuery(std::string_view soql) {
    std::string squeezed;
    for (const char c : soql) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            squeezed += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (squeezed.size() >= 17) {
            break;
        }
    }
    return squeezed.rfind("selectcount()from", 0) == 0;
}

Error BadPage(std::string message) {
    return MakeError(ErrorKind::kProtocol, "INVALID_RESPONSE", std::move(message));
}

}  // namespace

int RunQuery(const QueryOptions& o) {
    const bool as_json = o.common.json;
    auto soql = ReadDataArgument(o.soql);
    if (!soql) {
        return ReportError(soql.error(), as_json, kCommand);
    }
    if (soql->find_first_not_of(" \t\r\n") == std::string::npos) {
        return ReportError(
            MakeError(ErrorKind::kInvalidArgument, "INVALID_ARGUMENT", "the query is empty"),
            as_json,
            kCommand);
    }
    Output out;
    if (auto opened = out.Open(o.output_file); !opened) {
        return ReportError(opened.error(), as_json, kCommand);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml, FromObject(*soql));
    if (!rest) {
        out.Abort();
        return ReportError(rest.error(), as_json, kCommand);
    }
    client::QueryOptions query_options;
    query_options.batch_size = o.batch_size;
    query_options.all_rows = o.all_rows;

    auto first = rest->QueryFirstPage(*soql, query_options);
    if (!first) {
        out.Abort();
        WarnOnApiUsage(rest->LastApiUsage());
        return ReportError(first.error(), as_json, kCommand);
    }
    const std::int64_t total = first->total_size;
    const bool count = IsCountQuery(*soql) || (first->records.empty() && total > 0);

    std::unique_ptr<Writer> writer;
    EnvelopeWriter* envelope = nullptr;
    if (as_json && !out.ToFile()) {
        auto w = std::make_unique<EnvelopeWriter>(out.File(), *rest);
        w->SetTotal(total);
        envelope = w.get();
        writer = std::move(w);
    } else if (o.result_format == "csv") {
        writer = std::make_unique<CsvWriter>(out.File());
    } else if (o.result_format == "json") {
        writer = std::make_unique<JsonWriter>(out.File());
    } else {
        writer = std::make_unique<HumanWriter>(out.File(), out.ToFile() ? 0 : HumanCellLimit());
    }
    writer->SetSelectColumns(ColumnsOfSelect(*soql));
    // Rows so far and their rate on stderr when it is a terminal, unless the rows themselves go
    // to that terminal (or --json is on).
    Progress progress(as_json || (!out.ToFile() && StdoutIsTerminal()), "Query");
    const std::string writing = "writing " + (out.ToFile() ? o.output_file : "stdout");
    std::int64_t rows = 0;

    // One page at a time: write it, flush it, drop it, then ask for the next.
    const auto fail = [&](const Error& e) {
        writer->Fail(e);
        WarnOnApiUsage(rest->LastApiUsage());
        if (envelope != nullptr) {
            [[maybe_unused]] auto flushed = out.Flush();
            return ExitCodeFor(e);  // the envelope carries the error; nothing on stderr
        }
        if (out.ToFile()) {
            out.Abort();
        } else {
            [[maybe_unused]] auto flushed = out.Flush();
        }
        return ReportError(e, as_json, kCommand);
    };
    std::string next = first->done ? std::string() : std::move(first->next_records_url);
    if (!first->done && next.empty()) {
        return fail(BadPage("the query answer says done:false but has no nextRecordsUrl"));
    }
    writer->Records(first->records);
    rows += static_cast<std::int64_t>(first->records.size());
    progress.Rows(writing, rows, total, false);
    first->records = {};  // one page in memory at a time
    if (auto flushed = out.Flush(); !flushed) {
        return fail(flushed.error());
    }
    while (!next.empty()) {
        auto page = rest->QueryMore(next, query_options);
        if (!page) {
            return fail(page.error());
        }
        if (!page->done && (page->next_records_url.empty() || page->next_records_url == next)) {
            return fail(BadPage("a query page has no usable nextRecordsUrl: '" +
                                page->next_records_url + "'"));
        }
        writer->Records(page->records);
        rows += static_cast<std::int64_t>(page->records.size());
        progress.Rows(writing, rows, total, false);
        next = page->done ? std::string() : std::move(page->next_records_url);
        if (auto flushed = out.Flush(); !flushed) {
            return fail(flushed.error());
        }
    }
    progress.Rows(writing, rows, total, true);
    progress.Done();
    writer->End(total, count);
    if (auto committed = out.Commit(); !committed) {
        return ReportError(committed.error(), as_json && envelope == nullptr, kCommand);
    }
    WarnOnApiUsage(rest->LastApiUsage());
    if (out.ToFile()) {
        const std::int64_t n = count ? total : writer->Written();
        if (as_json) {
            json::object r;
            r["totalSize"] = total;
            r["done"] = true;
            r["recordsWritten"] = writer->Written();
            r["outputFile"] = o.output_file;
            PrintJsonResult(r, rest->LastApiUsage());
        } else {
            std::printf(count ? "Wrote the count (%lld) to %s\n" : "Wrote %lld records to %s\n",
                        static_cast<long long>(n),
                        o.output_file.c_str());
        }
    }
    return kExitOk;
}

int RunSearch(const SearchOptions& o) {
    constexpr std::string_view kSearch = "search";
    const bool as_json = o.common.json;
    auto sosl = ReadDataArgument(o.sosl);
    if (!sosl) {
        return ReportError(sosl.error(), as_json, kSearch);
    }
    auto rest = ConnectRest(o.common, o.api_version, o.xml);
    if (!rest) {
        return ReportError(rest.error(), as_json, kSearch);
    }
    auto found = rest->Search(*sosl);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!found) {
        return ReportError(found.error(), as_json, kSearch);
    }
    if (as_json) {
        json::array records;
        for (const client::Record& r : *found) {
            records.push_back(json::parse(r.ToJson(true)));
        }
        json::object result;
        result["searchRecords"] = std::move(records);
        PrintJsonResult(result, rest->LastApiUsage());
        return kExitOk;
    }
    if (o.result_format == "json") {
        JsonWriter w(stdout);
        w.Records(*found);
        w.End(static_cast<std::int64_t>(found->size()), false);
        return kExitOk;
    }
    // One table per object, in the answer's order (RETURNING order), like `sf data search`.
    std::size_t i = 0;
    while (i < found->size()) {
        std::size_t end = i;
        while (end < found->size() && (*found)[end].Type() == (*found)[i].Type()) {
            ++end;
        }
        const std::vector<client::Record> group(
            (*found).begin() + static_cast<std::ptrdiff_t>(i),
            (*found).begin() + static_cast<std::ptrdiff_t>(end));
        std::printf("%s%s (%zu)\n", i == 0 ? "" : "\n", group.front().Type().c_str(), group.size());
        HumanWriter w(stdout, HumanCellLimit());
        w.Records(group);
        i = end;
    }
    std::printf(
        "%sTotal number of records found: %zu.\n", found->empty() ? "" : "\n", found->size());
    return kExitOk;
}

}  // namespace sfkit::cli
