// Engine differences in SQL text: the PostgreSQL rewrites of SqlDialect::Adapt.
#include "server/storage/sql_dialect.hpp"

#include <cctype>
#include <cstddef>

namespace sfkit::server {
namespace {

struct Token {
    enum Kind { kWord, kSpace, kPunct, kQuoted } kind;
    std::string text;
};

bool IsWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// Words, runs of whitespace, single punctuation characters, and quoted runs (string literals,
/// quoted identifiers, comments) that are passed through untouched.
std::vector<Token> Tokenize(std::string_view sql) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        std::size_t j = i + 1;
        Token::Kind kind = Token::kPunct;
        if (c == '\'' || c == '"') {
            kind = Token::kQuoted;
            while (j < sql.size()) {
                if (sql[j] == c) {
                    if (j + 1 < sql.size() && sql[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    ++j;
                    break;
                }
                ++j;
            }
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            kind = Token::kQuoted;
            j = sql.find('\n', i);
            j = j == std::string_view::npos ? sql.size() : j;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            kind = Token::kQuoted;
            j = sql.find("*/", i + 2);
            j = j == std::string_view::npos ? sql.size() : j + 2;
        } else if (IsWordChar(c)) {
            kind = Token::kWord;
            while (j < sql.size() && IsWordChar(sql[j])) {
                ++j;
            }
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            kind = Token::kSpace;
            while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j])) != 0) {
                ++j;
            }
        }
        out.push_back({kind, std::string(sql.substr(i, j - i))});
        i = j;
    }
    return out;
}

bool Is(const Token& t, std::string_view word) {
    if (t.kind != Token::kWord || t.text.size() != word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) {
            return false;
        }
    }
    return true;
}

/// The index of the next token after `i` that is not whitespace (tokens.size() if none).
std::size_t Next(const std::vector<Token>& t, std::size_t i) {
    for (++i; i < t.size(); ++i) {
        if (t[i].kind != Token::kSpace) {
            return i;
        }
    }
    return t.size();
}

/// The index of the previous token before `i` that is not whitespace (npos if none).
std::size_t Prev(const std::vector<Token>& t, std::size_t i) {
    while (i-- > 0) {
        if (t[i].kind != Token::kSpace) {
            return i;
        }
    }
    return std::string::npos;
}

bool NextIs(const std::vector<Token>& t, std::size_t i, std::string_view word) {
    const std::size_t n = Next(t, i);
    return n < t.size() && Is(t[n], word);
}

void Drop(std::vector<Token>& t, std::size_t i) {
    t[i] = {Token::kSpace, ""};
}

}  // namespace

std::string SqlDialect::Adapt(std::string_view sql) const {
    if (!Postgres()) {
        return std::string(sql);
    }
    std::vector<Token> t = Tokenize(sql);
    bool ddl = false;  // a CREATE TABLE or ADD COLUMN: column types are spelled here
    for (std::size_t i = 0; i < t.size(); ++i) {
        if ((Is(t[i], "CREATE") && NextIs(t, i, "TABLE")) ||
            (Is(t[i], "ADD") && NextIs(t, i, "COLUMN"))) {
            ddl = true;
        }
    }
    int placeholders = 0;
    bool ignore_conflicts = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        Token& tok = t[i];
        if (tok.kind == Token::kPunct && tok.text == "?") {
            if (i + 1 < t.size() && t[i + 1].kind == Token::kWord &&
                std::isdigit(static_cast<unsigned char>(t[i + 1].text[0])) != 0) {
                tok.text = "$" + t[i + 1].text;  // SQLite's numbered `?NNN`
                Drop(t, i + 1);
            } else {
                tok.text = "$" + std::to_string(++placeholders);
            }
            const std::size_t p = Prev(t, i);
            if (p != std::string::npos && Is(t[p], "LIMIT")) {
                // SQLite reads a negative LIMIT as none; PostgreSQL refuses it, and reads NULL so.
                tok.text = "NULLIF(GREATEST(CAST(" + tok.text + " AS BIGINT), -1), -1)";
            }
        } else if (Is(tok, "NOCASE")) {
            const std::size_t p = Prev(t, i);
            if (p != std::string::npos && Is(t[p], "COLLATE")) {
                tok.text = "sfkit_nocase";
            }
        } else if (Is(tok, "STRICT")) {
            const std::size_t p = Prev(t, i);
            if (p != std::string::npos && t[p].text == ")") {
                Drop(t, i);
            }
        } else if (Is(tok, "BEGIN") && NextIs(t, i, "IMMEDIATE")) {
            Drop(t, Next(t, i));
        } else if (Is(tok, "INSERT") && NextIs(t, i, "OR")) {
            const std::size_t o = Next(t, i);
            if (NextIs(t, o, "IGNORE")) {
                Drop(t, Next(t, o));
                Drop(t, o);
                ignore_conflicts = true;
            }
        } else if ((Is(tok, "MAX") || Is(tok, "MIN")) && Next(t, i) < t.size() &&
                   t[Next(t, i)].text == "(") {
            int depth = 0;
            bool several = false;
            for (std::size_t j = Next(t, i); j < t.size(); ++j) {
                if (t[j].kind != Token::kPunct) {
                    continue;
                }
                if (t[j].text == "(") {
                    ++depth;
                } else if (t[j].text == ")") {
                    if (--depth == 0) {
                        break;
                    }
                } else if (t[j].text == "," && depth == 1) {
                    several = true;
                }
            }
            if (several) {
                tok.text = Is(tok, "MAX") ? "GREATEST" : "LEAST";
            }
        } else if (ddl && Is(tok, "INTEGER")) {
            const std::size_t k = Next(t, i);
            if (k < t.size() && Is(t[k], "PRIMARY") && NextIs(t, k, "KEY")) {
                tok.text = "BIGINT GENERATED BY DEFAULT AS IDENTITY";
                const std::size_t key = Next(t, k);
                if (NextIs(t, key, "AUTOINCREMENT")) {
                    Drop(t, Next(t, key));
                }
            } else {
                tok.text = "BIGINT";
            }
        } else if (ddl && Is(tok, "REAL")) {
            tok.text = "DOUBLE PRECISION";
        } else if (ddl && Is(tok, "BLOB")) {
            // The stores bind text into their BLOB columns (Bulk 1.0 request and result bodies),
            // which SQLite keeps as given; a bytea would read text as escape-format bytes.
            tok.text = "TEXT";
        }
    }
    std::string out;
    out.reserve(sql.size() + 32);
    std::size_t returning = t.size();
    if (ignore_conflicts) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (Is(t[i], "RETURNING")) {
                returning = i;
                break;
            }
        }
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (ignore_conflicts && i == returning) {
            out += "ON CONFLICT DO NOTHING ";
        }
        out += t[i].text;
    }
    if (ignore_conflicts && returning == t.size()) {
        while (!out.empty() && (out.back() == ';' || out.back() == ' ' || out.back() == '\n')) {
            out.pop_back();
        }
        out += " ON CONFLICT DO NOTHING";
    }
    return out;
}

std::string SqlDialect::TableColumns(std::string_view table) const {
    if (Postgres()) {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = "
               "current_schema() AND table_name = '" +
               std::string(table) + "' ORDER BY ordinal_position";
    }
    return "SELECT name FROM pragma_table_info('" + std::string(table) + "')";
}

std::string SqlDialect::InsertOrReplace(std::string_view table,
                                        const std::vector<std::string>& cols,
                                        std::string_view key) const {
    std::string names;
    std::string marks;
    for (const std::string& c : cols) {
        names += names.empty() ? "" : ",";
        marks += marks.empty() ? "?" : ",?";
        names += c;
    }
    if (!Postgres()) {
        return "INSERT OR REPLACE INTO " + std::string(table) + " (" + names + ") VALUES (" +
               marks + ")";
    }
    std::string sets;
    for (const std::string& c : cols) {
        if (c == key) {
            continue;
        }
        sets += sets.empty() ? "" : ",";
        sets += c + "=excluded." + c;
    }
    return "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + marks +
           ") ON CONFLICT (" + std::string(key) + ") DO " +
           (sets.empty() ? std::string("NOTHING") : "UPDATE SET " + sets);
}

}  // namespace sfkit::server
