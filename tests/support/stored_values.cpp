// Looking for a value in what a test org stored (see stored_values.hpp).
#include "support/stored_values.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "server/storage/database.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

std::string FileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A quoted PostgreSQL identifier.
std::string Quoted(const std::string& name) {
    std::string out = "\"";
    for (const char c : name) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

std::vector<std::string> WhereStoredOnPostgres(const std::string& target,
                                               const std::string& needle) {
    server::Database db(target);
    std::vector<std::pair<std::string, std::string>> columns;  // table, column
    std::vector<bool> binary;
    {
        // Tables only (views would repeat what their tables hold), of the org's own schema.
        server::Statement s = db.Prepare(
            "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND "
            "t.table_name = c.table_name WHERE c.table_schema = current_schema() AND "
            "t.table_type = 'BASE TABLE' AND c.data_type IN ('text', 'character varying', "
            "'character', 'json', 'jsonb', 'bytea') ORDER BY c.table_name, c.ordinal_position");
        while (s.Step()) {
            columns.emplace_back(s.Text(0), s.Text(1));
            binary.push_back(s.Text(2) == "bytea");
        }
    }
    if (columns.empty()) {
        throw std::runtime_error("WhereStored: no tables in the org's schema (" + target + ")");
    }
    std::vector<std::string> places;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& [table, column] = columns[i];
        const std::string col = Quoted(column);
        // Compared as bytes: a column's collation (sfkit_nocase is nondeterministic) would
        // refuse a substring search, and case matters here.
        const std::string bytes = binary[i] ? col : "convert_to(CAST(" + col + " AS TEXT), 'UTF8')";
        const std::string test = "position(convert_to(?, 'UTF8') in " + bytes + ") > 0";
        server::Statement s =
            db.Prepare("SELECT 1 FROM " + Quoted(table) + " WHERE " + test + " LIMIT 1");
        s.Bind(1, needle);
        if (s.Step()) {
            places.push_back(table + "." + column);
            while (s.Step()) {
            }
        }
    }
    return places;
}

}  // namespace

std::vector<std::string> WhereStored(const std::string& data_dir, const std::string& needle) {
    if (needle.empty()) {
        throw std::invalid_argument("WhereStored: an empty needle is everywhere");
    }
    if (TestOrgsOnPostgres()) {
        return WhereStoredOnPostgres(OrgDatabase(data_dir), needle);
    }
    const std::filesystem::path db = OrgDatabase(data_dir);
    if (!std::filesystem::exists(db)) {
        throw std::runtime_error("WhereStored: no org database " + db.string());
    }
    std::vector<std::string> places;
    for (const std::string suffix : {"", "-wal"}) {
        const std::filesystem::path file = db.string() + suffix;
        if (FileBytes(file).find(needle) != std::string::npos) {
            places.push_back(file.filename().string());
        }
    }
    return places;
}

std::string Places(const std::vector<std::string>& places) {
    std::string out;
    for (const auto& p : places) {
        out += (out.empty() ? "" : ", ") + p;
    }
    return out.empty() ? "nowhere" : out;
}

}  // namespace sfkit::test
