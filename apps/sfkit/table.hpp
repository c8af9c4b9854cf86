// Aligned text tables for the human output of the client commands (`sfkit sobjects`, `describe`,
// `limits`): a header row, a dashed rule, and columns padded to their widest cell.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::cli {

class Table {
public:
    struct Column {
        std::string header;
        bool align_right = false;  ///< numbers
    };

    explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

    /// Adds a row; missing cells are empty, extra cells are dropped.
    void AddRow(std::vector<std::string> cells);
    std::size_t Rows() const noexcept { return rows_.size(); }

    /// The table as text, one line per row, each ending in '\n'. Cells wider than
    /// `max_cell_width` columns (0: no limit) are cut and end in "...". Trailing spaces are
    /// not written. Widths are display columns (libunistring): wide characters (CJK, emoji)
    /// count two, combining marks none.
    std::string Render(std::size_t max_cell_width = 0) const;

    // Streaming (`sfkit query`): fix the widths from the first batch of rows, then render each
    // batch with them and drop it, so memory does not grow with the number of rows.

    /// Column widths over the header and the rows added so far (cells cut as in Render).
    std::vector<std::size_t> Widths(std::size_t max_cell_width = 0) const;
    /// The header and rule when `with_header`, then the rows added so far, padded to `widths`.
    /// A cell wider than its column shifts the rest of its own row only. Same cutting and
    /// trailing-space rules as Render.
    std::string RenderWith(const std::vector<std::size_t>& widths,
                           std::size_t max_cell_width,
                           bool with_header) const;
    /// Drops the rows (the columns stay).
    void ClearRows() { rows_.clear(); }

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

/// Whether stdout is a terminal (tables then cut long cells so rows fit on a line).
bool StdoutIsTerminal();

/// The cell width limit for human tables: 48 on a terminal, none when piped (scripts get
/// whole values).
std::size_t HumanCellLimit();

/// `yes` / `no`.
inline const char* YesNo(bool b) {
    return b ? "yes" : "no";
}

}  // namespace sfkit::cli
