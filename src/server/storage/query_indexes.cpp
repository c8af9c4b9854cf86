// Query indexes over the sobject_<Name> tables.
#include "server/storage/query_indexes.hpp"

#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

void EnsureQueryIndexes(Database& db, const Schema& schema) {
    Transaction tx(db);
    for (const ObjectDef* object : schema.Objects()) {
        for (const FieldDef& f : object->fields) {
            // The record store already indexes references, unique and external-id fields.
            const bool indexed_by_store = f.IsReference() || f.unique || f.external_id;
            if (!f.IsStored() || !f.name_field || indexed_by_store || !IsStringLike(f.type) ||
                f.type == FieldType::kTextArea) {
                continue;
            }
            // Names are validated API names ([A-Za-z][A-Za-z0-9_]*), safe inside quotes.
            const std::string index = "\"qx_" + object->name + "_" + f.name + "\"";
            const std::string column = "\"" + f.name + "\" COLLATE NOCASE";
            db.Exec("CREATE INDEX IF NOT EXISTS " + index + " ON \"sobject_" + object->name +
                    "\" (" + column + ")");
        }
    }
    tx.Commit();
}

}  // namespace sfkit::server
