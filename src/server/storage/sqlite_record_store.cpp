// SQLite implementation of RecordStore: typed STRICT tables created and widened from the schema.
#include <cstdio>
#include <set>

#include "server/storage/database.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

std::string Quote(std::string_view ident) {
    // Names are validated API names ([A-Za-z][A-Za-z0-9_]*), so quoting cannot be escaped.
    return "\"" + std::string(ident) + "\"";
}

std::string TableName(const ObjectDef& object) {
    return Quote("sobject_" + object.name);
}

std::string_view ColumnType(const FieldDef& f) {
    switch (KindOf(f.type)) {
        case ValueKind::kInteger:
        case ValueKind::kBoolean:
            return "INTEGER";
        case ValueKind::kReal:
            return "REAL";
        default:
            return "TEXT";
    }
}

std::string ColumnDef(const FieldDef& f) {
    std::string def = Quote(f.name) + " " + std::string(ColumnType(f));
    if (f.name == "Id") {
        def += " PRIMARY KEY NOT NULL";
    }
    return def;
}

SqlValue ToSql(const FieldValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
        return std::int64_t{*b ? 1 : 0};
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return *i;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    return std::monostate{};
}

FieldValue FromColumn(const Statement& st, int col, const FieldDef& f) {
    if (st.IsNull(col)) {
        return std::monostate{};
    }
    switch (KindOf(f.type)) {
        case ValueKind::kBoolean:
            return st.Int(col) != 0;
        case ValueKind::kInteger:
            return st.Int(col);
        case ValueKind::kReal:
            return st.Double(col);
        default:
            return st.Text(col);
    }
}

/// `INV-{0000}` with 42 -> `INV-0042`: each `{0...}` block is the number padded to its width.
std::string FormatAutoNumber(const std::string& format, std::int64_t n) {
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '{') {
            const auto close = format.find('}', i);
            if (close != std::string::npos) {
                const int width = static_cast<int>(close - i - 1);
                char buf[32];
                std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(n));
                out += buf;
                i = close;
                continue;
            }
        }
        out += format[i];
    }
    return out;
}

/// The counter part of an id (last 9 characters of the 15, base 62) and its pod.
std::uint64_t IdCounter(const Id& id) {
    static constexpr std::string_view kBase62 =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::uint64_t n = 0;
    for (char c : id.Str15().substr(6)) {
        n = n * 62 + kBase62.find(c);
    }
    return n;
}

class SqliteRecordStore final : public RecordStore {
public:
    SqliteRecordStore(Database& db, std::string pod) : db_(db), pod_(std::move(pod)) {}

    void Bootstrap(const Schema& schema) override {
        Transaction tx(db_);
        db_.Exec(
            "CREATE TABLE IF NOT EXISTS record_id_counter ("
            "key_prefix TEXT PRIMARY KEY NOT NULL, last_value INTEGER NOT NULL) STRICT");
        for (const ObjectDef* object : schema.Objects()) {
            CreateOrWiden(*object);
        }
        tx.Commit();
    }

    Id Insert(const ObjectDef& object, RecordValues& values) override {
        Transaction tx(db_);
        std::uint64_t counter = 0;
        const Id id = NextId(object.key_prefix, &counter);
        values[0] = id.Str18();
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            const FieldDef& f = object.fields[i];
            if (f.auto_number) {
                // One counter per key prefix numbers the records, so auto numbers follow the
                // insert order (gaps only where an insert rolled back, as in Salesforce).
                values[i] = FormatAutoNumber(
                    f.display_format, f.auto_number_start + static_cast<std::int64_t>(counter) - 1);
            } else if (f.defaults_to_id && IsNull(values[i])) {
                values[i] = id.Str18();
            }
        }
        Write(object, values, "INSERT");
        tx.Commit();
        return id;
    }

    void Put(const ObjectDef& object, const RecordValues& values) override {
        const auto id = Id::Parse(std::get<std::string>(values[0]));
        if (!id || id->KeyPrefix() != object.key_prefix) {
            throw StorageError(0, "Put: not an id of " + object.name);
        }
        Transaction tx(db_);
        if (id->Str15().substr(3, 2) == pod_) {
            Statement up = db_.Prepare(
                "INSERT INTO record_id_counter (key_prefix, last_value) VALUES (?, ?) "
                "ON CONFLICT(key_prefix) DO UPDATE SET last_value = "
                "MAX(last_value, excluded.last_value)");
            up.Bind(1, std::string_view(object.key_prefix));
            up.Bind(2, static_cast<std::int64_t>(IdCounter(*id)));
            up.Run();
        }
        Write(object, values, "INSERT OR REPLACE");
        tx.Commit();
    }

    void Write(const ObjectDef& object, const RecordValues& values, std::string_view verb) {
        std::string cols;
        std::string marks;
        for (const FieldDef& f : object.fields) {
            if (!f.IsStored()) {
                continue;
            }
            if (!cols.empty()) {
                cols += ',';
                marks += ',';
            }
            cols += Quote(f.name);
            marks += '?';
        }
        Statement st = db_.Prepare(std::string(verb) + " INTO " + TableName(object) + " (" + cols +
                                   ") VALUES (" + marks + ")");
        int index = 1;
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (object.fields[i].IsStored()) {
                st.Bind(index++, ToSql(values[i]));
            }
        }
        st.Run();
    }

    std::optional<RecordValues> Find(const ObjectDef& object, const Id& id) override {
        auto lock = db_.Acquire();
        Statement st = db_.Prepare(SelectList(object) + " WHERE \"Id\" = ?");
        st.Bind(1, std::string_view(id.Str18()));
        if (!st.Step()) {
            return std::nullopt;
        }
        return ReadRow(object, st);
    }

    std::vector<RecordValues> RecentlyViewed(const ObjectDef& object, std::size_t limit) override {
        std::vector<RecordValues> out;
        if (object.FindField("LastViewedDate") == nullptr) {
            return out;
        }
        auto lock = db_.Acquire();
        Statement st = db_.Prepare(SelectList(object) +
                                   " WHERE \"LastViewedDate\" IS NOT NULL "
                                   "ORDER BY \"LastViewedDate\" DESC LIMIT ?");
        st.Bind(1, static_cast<std::int64_t>(limit));
        while (st.Step()) {
            out.push_back(ReadRow(object, st));
        }
        return out;
    }

private:
    void CreateOrWiden(const ObjectDef& object) {
        std::set<std::string> existing;
        {
            Statement info = db_.Prepare("SELECT name FROM pragma_table_info(?)");
            info.Bind(1, std::string_view("sobject_" + object.name));
            while (info.Step()) {
                existing.insert(ToLowerAscii(info.Text(0)));
            }
        }
        if (existing.empty()) {
            std::string sql = "CREATE TABLE " + TableName(object) + " (";
            bool first = true;
            for (const FieldDef& f : object.fields) {
                if (!f.IsStored()) {
                    continue;
                }
                sql += first ? "" : ", ";
                sql += ColumnDef(f);
                first = false;
            }
            sql += ") STRICT";
            db_.Exec(sql);
        } else {
            // A field added to the schema since the table was made: widen the table. Changing
            // the type of an existing column is not supported (it would need a table rebuild).
            for (const FieldDef& f : object.fields) {
                if (f.IsStored() && existing.count(ToLowerAscii(f.name)) == 0) {
                    db_.Exec("ALTER TABLE " + TableName(object) + " ADD COLUMN " + ColumnDef(f));
                }
            }
        }
        CreateIndexes(object);
    }

    /// References (joins, child lookups, cascades), external ids (upsert) and unique fields
    /// (DUPLICATE_VALUE) are indexed. Text comparisons in Salesforce ignore case unless the
    /// field is case-sensitive, hence NOCASE on text indexes that enforce or serve equality.
    void CreateIndexes(const ObjectDef& object) {
        for (const FieldDef& f : object.fields) {
            if (!f.IsStored() || f.type == FieldType::kId) {
                continue;
            }
            const bool unique = f.unique;
            if (!unique && !f.external_id && !f.IsReference()) {
                continue;
            }
            const bool nocase =
                KindOf(f.type) == ValueKind::kText && !f.IsReference() && !f.case_sensitive;
            const std::string index =
                Quote("sobject_" + object.name + "__" + f.name + (unique ? "__unique" : "__idx"));
            const std::string sql = std::string("CREATE ") + (unique ? "UNIQUE " : "") +
                                    "INDEX IF NOT EXISTS " + index + " ON " + TableName(object) +
                                    " (" + Quote(f.name) + (nocase ? " COLLATE NOCASE" : "") + ")";
            try {
                db_.Exec(sql);
            } catch (const StorageError& e) {
                throw StorageError(e.code,
                                   "cannot index " + object.name + "." + f.name +
                                       (unique ? " as unique (are there duplicate values?)" : "") +
                                       ": " + e.what());
            }
        }
    }

    Id NextId(const std::string& key_prefix, std::uint64_t* counter_out) {
        Statement up = db_.Prepare(
            "INSERT INTO record_id_counter (key_prefix, last_value) VALUES (?, 1) "
            "ON CONFLICT(key_prefix) DO UPDATE SET last_value = last_value + 1 "
            "RETURNING last_value");
        up.Bind(1, std::string_view(key_prefix));
        if (!up.Step()) {
            throw StorageError(0, "id counter did not return a value");
        }
        const auto counter = static_cast<std::uint64_t>(up.Int(0));
        up.Run();
        *counter_out = counter;
        return Id::Make(key_prefix, pod_, counter);
    }

    static std::string SelectList(const ObjectDef& object) {
        std::string cols;
        for (const FieldDef& f : object.fields) {
            if (f.IsStored()) {
                cols += cols.empty() ? "" : ",";
                cols += Quote(f.name);
            }
        }
        return "SELECT " + cols + " FROM " + TableName(object);
    }

    static RecordValues ReadRow(const ObjectDef& object, const Statement& st) {
        RecordValues values(object.fields.size());
        int col = 0;
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (object.fields[i].IsStored()) {
                values[i] = FromColumn(st, col++, object.fields[i]);
            }
        }
        return values;
    }

    Database& db_;
    std::string pod_;
};

}  // namespace

std::unique_ptr<RecordStore> MakeSqliteRecordStore(Database& db, std::string pod) {
    return std::make_unique<SqliteRecordStore>(db, std::move(pod));
}

}  // namespace sfkit::server
