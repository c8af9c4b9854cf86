// Engine migrations and the bootstrap lock.
#include "server/storage/migrations.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include "server/storage/database.hpp"
#include "soql/lexer.hpp"
#include "soql/sosl_match.hpp"

namespace sfkit::server {
namespace {

/// The advisory lock key of an org's bootstrap ("sfkit" in ASCII): one org per database.
constexpr const char* kBootstrapLockKey = "469853801332";

struct Migration {
    int version;
    std::string sql;  ///< in PostgreSQL's own spelling
};

/// `\uXXXX` / `\UXXXXXXXX`: a code point as a PostgreSQL regular expression escape.
std::string RegexEscape(char32_t cp) {
    char buf[16];
    if (cp <= 0xFFFF) {
        std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
    } else {
        std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(cp));
    }
    return buf;
}

/// SOSL's search tokens on PostgreSQL (docs/soql.md, "SOSL search"): the same characters and
/// the same lower-casing as soql::SearchTokens, derived from it so the engines cannot differ.
/// `sfkit_sosl_tokens(v)` is ` tok tok … ` plus a newline (NULL when `v` has no token), every
/// token lower-cased and separated by one space; `sfkit_sosl_digits(v)` is a phone number's
/// digits alone in the same form. The search translator tests terms against their
/// concatenation (sql_translator.cpp, TranslateSearch).
std::string SoslFunctions() {
    // translate(): every code point soql lower-cases, and its lower case.
    std::string from;
    std::string to;
    for (char32_t cp = 1; cp < 0x800; ++cp) {
        std::string lower;
        soql::AppendLowerUtf8(lower, cp);
        std::string same;
        soql::AppendUtf8(same, cp);
        if (lower != same) {
            from += same;
            to += lower;
        }
    }
    // The token characters as a bracket expression of ranges (no surrogates in PostgreSQL text).
    std::string ranges;
    const auto add = [&](char32_t first, char32_t last) {
        ranges += RegexEscape(first);
        if (last != first) {
            ranges += "-" + RegexEscape(last);
        }
    };
    char32_t start = 0;
    bool open = false;
    for (char32_t cp = 1; cp <= 0x110000; ++cp) {
        const bool in =
            cp < 0x110000 && !(cp >= 0xD800 && cp <= 0xDFFF) && soql::IsSearchTokenChar(cp);
        if (in && !open) {
            start = cp;
            open = true;
        } else if (!in && open) {
            add(start, cp - 1);
            open = false;
        }
    }
    const auto quote = [](const std::string& s) {
        std::string out = "'";
        for (char c : s) {
            out += c;
            if (c == '\'') {
                out += c;
            }
        }
        return out + "'";
    };
    return "CREATE OR REPLACE FUNCTION sfkit_sosl_tokens(v text) RETURNS text LANGUAGE sql "
           "IMMUTABLE PARALLEL SAFE AS $$ SELECT ' ' || NULLIF(btrim(regexp_replace(translate(v "
           "COLLATE \"C\", " +
           quote(from) + ", " + quote(to) + "), " + quote("[^" + ranges + "]+") +
           ", ' ', 'g')), '') || ' ' || chr(10) $$;\n"
           "CREATE OR REPLACE FUNCTION sfkit_sosl_digits(v text) RETURNS text LANGUAGE sql "
           "IMMUTABLE PARALLEL SAFE AS $$ SELECT ' ' || NULLIF(regexp_replace(v COLLATE \"C\", "
           "'[^0-9]+', '', 'g'), '') || ' ' || chr(10) $$";
}

/// PostgreSQL's migrations, oldest first. Never edit one that has shipped: add the next.
const std::vector<Migration>& PostgresMigrations() {
    static const std::vector<Migration> list = {
        // Salesforce compares text ignoring case; SQLite's NOCASE does it for `=`, ORDER BY and
        // UNIQUE indexes. A nondeterministic ICU collation does the same on PostgreSQL.
        {1,
         "CREATE COLLATION IF NOT EXISTS sfkit_nocase (provider = icu, "
         "locale = 'und-u-ks-level2', deterministic = false)"},
        // SOSL's matching (soql/sosl_match.hpp) in SQL: SQLite calls a C function instead.
        {2, SoslFunctions()},
    };
    return list;
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

BootstrapLock::BootstrapLock(Database& db) : db_(db) {
    if (db_.Dialect().Postgres()) {
        Database::Lock lock = db_.Acquire();
        db_.Exec(std::string("SELECT pg_advisory_lock(") + kBootstrapLockKey + ")");
    }
}

BootstrapLock::~BootstrapLock() {
    if (db_.Dialect().Postgres()) {
        try {
            Database::Lock lock = db_.Acquire();
            db_.Exec(std::string("SELECT pg_advisory_unlock(") + kBootstrapLockKey + ")");
        } catch (...) {  // the session's end releases it anyway
        }
    }
}

int PrepareEngine(Database& db) {
    BootstrapLock lock(db);
    {
        Transaction tx(db);
        db.Exec(
            "CREATE TABLE IF NOT EXISTS sfkit_migration (version INTEGER PRIMARY KEY NOT NULL, "
            "applied_ms INTEGER NOT NULL)");
        tx.Commit();
    }
    int current = 0;
    {
        Database::Lock w = db.Acquire();
        Statement st = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM sfkit_migration");
        if (st.Step()) {
            current = static_cast<int>(st.Int(0));
        }
    }
    if (!db.Dialect().Postgres()) {
        return current;
    }
    {
        // Text compares and sorts byte-wise on SQLite (ids, dates, ORDER BY without NOCASE);
        // a database whose default collation is a language's would order them differently.
        Database::Lock w = db.Acquire();
        Statement st =
            db.Prepare("SELECT datcollate FROM pg_database WHERE datname = current_database()");
        const std::string collate = st.Step() ? st.Text(0) : std::string("C");
        if (collate != "C" && collate != "POSIX" && collate.rfind("C.", 0) != 0) {
            throw StorageError(1,
                               "the PostgreSQL database's collation is " + collate +
                                   ": sfkit needs byte-order text (create it with "
                                   "`CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C'`)");
        }
    }
    for (const Migration& m : PostgresMigrations()) {
        if (m.version <= current) {
            continue;
        }
        Transaction tx(db);
        db.Exec(m.sql);
        Statement st =
            db.Prepare("INSERT INTO sfkit_migration (version, applied_ms) VALUES (?, ?)");
        st.Bind(1, std::int64_t{m.version});
        st.Bind(2, NowMs());
        st.Run();
        tx.Commit();
        current = m.version;
    }
    return current;
}

}  // namespace sfkit::server
