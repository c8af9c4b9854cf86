// SQLite implementation of RecordStore: typed STRICT tables created and widened from the schema.
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
        const Id id = NextId(object.key_prefix);
        values[0] = id.Str18();
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
        Statement st = db_.Prepare("INSERT INTO " + TableName(object) + " (" + cols + ") VALUES (" +
                                   marks + ")");
        int index = 1;
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (object.fields[i].IsStored()) {
                st.Bind(index++, ToSql(values[i]));
            }
        }
        st.Run();
        tx.Commit();
        return id;
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
            return;
        }
        // A field added to the schema since the table was made: widen the table. Changing the
        // type of an existing column is not supported (it would need a table rebuild).
        for (const FieldDef& f : object.fields) {
            if (f.IsStored() && existing.count(ToLowerAscii(f.name)) == 0) {
                db_.Exec("ALTER TABLE " + TableName(object) + " ADD COLUMN " + ColumnDef(f));
            }
        }
    }

    Id NextId(const std::string& key_prefix) {
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
