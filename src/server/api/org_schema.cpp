// OrgSchema: building the model from the org definition and persisting what must not change.
#include "server/api/org_schema.hpp"

#include <chrono>
#include <stdexcept>

#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

constexpr std::string_view kTables = R"sql(
CREATE TABLE IF NOT EXISTS custom_object_key_prefix (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    key_prefix TEXT NOT NULL UNIQUE
) STRICT;
CREATE TABLE IF NOT EXISTS schema_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    fingerprint TEXT NOT NULL,
    changed_ms INTEGER NOT NULL
) STRICT;
)sql";

KeyPrefixMap StoredPrefixes(Database& db) {
    auto lock = db.Acquire();
    db.Exec(kTables);
    KeyPrefixMap out;
    auto st = db.Prepare("SELECT name, key_prefix FROM custom_object_key_prefix");
    while (st.Step()) {
        out[ToLowerAscii(st.Text(0))] = st.Text(1);
    }
    return out;
}

/// FNV-1a, 64 bits: stable across builds and platforms (std::hash is not).
class Hasher {
public:
    void Add(std::string_view s) {
        for (unsigned char c : s) {
            h_ = (h_ ^ c) * 1099511628211ULL;
        }
        h_ = (h_ ^ 0xff) * 1099511628211ULL;  // separator
    }
    void Add(std::int64_t n) { Add(std::to_string(n)); }
    std::uint64_t Value() const { return h_; }

private:
    std::uint64_t h_ = 14695981039346656037ULL;
};

}  // namespace

OrgSchema::OrgSchema(Database& db, const CustomSchemaSpec& custom)
    : db_(db),
      prefixes_(AssignKeyPrefixes(custom, StoredPrefixes(db))),
      schema_(Schema::Standard()) {
    AddCustomSchema(schema_, custom, prefixes_);
}

void OrgSchema::Persist() {
    Transaction tx(db_);
    for (const auto& [name, prefix] : prefixes_) {
        const ObjectDef* o = schema_.FindObject(name);
        db_.Prepare(
               "INSERT INTO custom_object_key_prefix (name, key_prefix) VALUES (?, ?) "
               "ON CONFLICT(name) DO NOTHING")
            .Bind(1, o != nullptr ? o->name : name)
            .Bind(2, prefix)
            .Run();
    }
    const std::string fingerprint = std::to_string(Fingerprint(schema_));
    auto st = db_.Prepare("SELECT fingerprint, changed_ms FROM schema_state");
    const bool known = st.Step();
    if (known && st.Text(0) == fingerprint) {
        last_modified_ms_ = st.Int(1);
    } else if (known && db_.Dialect().Postgres()) {
        // Several nodes serve one org on PostgreSQL: a node started with another org
        // definition (or another sfkit version's standard objects) would serve another schema.
        throw std::runtime_error(
            "this node's org definition differs from the one the org on this database was "
            "created with (schema fingerprint " +
            fingerprint + ", stored " + st.Text(0) +
            "): start every node with the same --org-def and sfkit version");
    } else {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        last_modified_ms_ = static_cast<std::int64_t>(now) * 1000;
        db_.Prepare(
               "INSERT INTO schema_state (singleton, fingerprint, changed_ms) VALUES (1, ?, ?) "
               "ON CONFLICT(singleton) DO UPDATE SET fingerprint = excluded.fingerprint, "
               "changed_ms = excluded.changed_ms")
            .Bind(1, fingerprint)
            .Bind(2, last_modified_ms_)
            .Run();
    }
    tx.Commit();
}

std::uint64_t OrgSchema::Fingerprint(const Schema& schema) {
    Hasher h;
    for (const ObjectDef* o : schema.Objects()) {
        h.Add(o->name);
        h.Add(o->label);
        h.Add(o->label_plural);
        h.Add(o->key_prefix);
        const ObjectFlags& f = o->flags;
        for (bool b : {f.activateable,
                       f.createable,
                       f.custom,
                       f.custom_setting,
                       f.deep_cloneable,
                       f.deletable,
                       f.feed_enabled,
                       f.layoutable,
                       f.mergeable,
                       f.mru_enabled,
                       f.queryable,
                       f.replicateable,
                       f.retrieveable,
                       f.searchable,
                       f.triggerable,
                       f.undeletable,
                       f.updateable,
                       f.compact_layoutable,
                       f.search_layoutable}) {
            h.Add(b ? "1" : "0");
        }
        for (const FieldDef& d : o->fields) {
            h.Add(d.name);
            h.Add(d.label);
            h.Add(std::int64_t{static_cast<int>(d.type)});
            h.Add(std::int64_t{d.length * 1000000LL + d.precision * 1000 + d.scale});
            h.Add(std::int64_t{d.digits});
            for (bool b : {d.nillable,
                           d.createable,
                           d.updateable,
                           d.defaulted_on_create,
                           d.external_id,
                           d.unique,
                           d.name_field,
                           d.id_lookup,
                           d.custom,
                           d.restricted_picklist,
                           d.case_sensitive,
                           d.cascade_delete,
                           d.restricted_delete,
                           d.auto_number,
                           d.html_formatted,
                           d.default_boolean.value_or(false)}) {
                h.Add(b ? "1" : "0");
            }
            h.Add(std::int64_t{d.relationship_order.value_or(-1)});
            h.Add(d.relationship_name);
            h.Add(d.child_relationship_name);
            h.Add(d.compound_field_name);
            h.Add(d.extra_type_info);
            h.Add(d.inline_help_text);
            h.Add(d.display_format);
            for (const std::string& t : d.reference_to) {
                h.Add(t);
            }
            for (const PicklistEntry& e : d.picklist) {
                h.Add(e.value);
                h.Add(e.label);
                h.Add(e.active ? "1" : "0");
                h.Add(e.default_value ? "1" : "0");
            }
        }
    }
    return h.Value();
}

}  // namespace sfkit::server
