// Aligned text tables (see table.hpp).
#include "table.hpp"

#include <algorithm>
#include <cstdint>

#include <unistd.h>
#include <unistr.h>
#include <uniwidth.h>

namespace sfkit::cli {
namespace {

// Display width comes from libunistring (Unicode's East Asian Width and the zero width of
// combining marks, the data of the library's Unicode version): a CJK ideograph or an emoji takes
// two columns, a combining accent none, whatever the locale.
constexpr const char* kEncoding = "UTF-8";

const std::uint8_t* Bytes(std::string_view s) {
    return reinterpret_cast<const std::uint8_t*>(s.data());
}

/// Columns `s` takes on a terminal.
std::size_t Width(std::string_view s) {
    const int w = u8_width(Bytes(s), s.size(), kEncoding);
    return w > 0 ? static_cast<std::size_t>(w) : 0;
}

/// At most `limit` columns, ending in "..." when cut (a wide character that would straddle the
/// limit goes too; combining marks stay with their base character).
std::string Cut(const std::string& s, std::size_t limit) {
    if (limit == 0 || Width(s) <= limit) {
        return s;
    }
    const std::size_t keep = limit > 3 ? limit - 3 : 0;
    std::size_t columns = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        ucs4_t c = 0;
        const int n = u8_mbtouc(&c, Bytes(s) + i, s.size() - i);
        const int w = uc_width(c, kEncoding);
        const std::size_t cw = w > 0 ? static_cast<std::size_t>(w) : 0;
        if (columns + cw > keep) {
            break;
        }
        columns += cw;
        i += static_cast<std::size_t>(n > 0 ? n : 1);
    }
    return s.substr(0, i) + "...";
}

/// Cells are one line each: line breaks (textarea values, help texts) become spaces.
std::string OneLine(std::string s) {
    for (auto& c : s) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    return s;
}

}  // namespace

void Table::AddRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    for (auto& c : cells) {
        c = OneLine(std::move(c));
    }
    rows_.push_back(std::move(cells));
}

std::string Table::Render(std::size_t max_cell_width) const {
    return RenderWith(Widths(max_cell_width), max_cell_width, true);
}

std::vector<std::size_t> Table::Widths(std::size_t max_cell_width) const {
    std::vector<std::size_t> widths;
    for (const auto& col : columns_) {
        widths.push_back(Width(col.header));
    }
    for (const auto& row : rows_) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], Width(Cut(row[i], max_cell_width)));
        }
    }
    return widths;
}

std::string Table::RenderWith(const std::vector<std::size_t>& widths,
                              std::size_t max_cell_width,
                              bool with_header) const {
    std::string out;
    const auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::size_t width = i < widths.size() ? widths[i] : 0;
            const std::size_t cell = Width(row[i]);
            const std::size_t pad = width > cell ? width - cell : 0;
            if (i > 0) {
                text += "  ";
            }
            if (columns_[i].align_right) {
                text.append(pad, ' ');
                text += row[i];
            } else {
                text += row[i];
                text.append(pad, ' ');
            }
        }
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
        out += text;
        out += '\n';
    };
    if (with_header) {
        std::vector<std::string> header;
        std::vector<std::string> rule;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            header.push_back(columns_[i].header);
            rule.emplace_back(i < widths.size() ? widths[i] : 0, '-');
        }
        line(header);
        line(rule);
    }
    for (const auto& row : rows_) {
        std::vector<std::string> cut;
        cut.reserve(row.size());
        for (const auto& c : row) {
            cut.push_back(Cut(c, max_cell_width));
        }
        line(cut);
    }
    return out;
}

bool StdoutIsTerminal() {
    return ::isatty(STDOUT_FILENO) == 1;
}

std::size_t HumanCellLimit() {
    return StdoutIsTerminal() ? 48 : 0;
}

}  // namespace sfkit::cli
