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

    /// The table as text, one line per row, each ending in '\n'. Cells longer than
    /// `max_cell_width` characters (0: no limit) are cut and end in "...". Trailing spaces are
    /// not written. Widths count UTF-8 characters, not bytes.
    std::string Render(std::size_t max_cell_width = 0) const;

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
