// Query indexes over the sobject_<Name> tables.
#include "server/storage/query_indexes.hpp"

#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

void EnsureQueryIndexes(Database& db, const Schema& schema) {
    Transaction tx(db);
    for (const ObjectDef* object : schema.Objects()) {
        for (const FieldDef& f : object->fields) {
            const bool reference = f.type == FieldType::kReference;
            const bool text_key = (f.name_field || f.external_id) && IsStringLike(f.type) &&
                                  f.type != FieldType::kTextArea;
            if (!f.IsStored() || (!reference && !text_key)) {
                continue;
            }
            // Names are validated API names ([A-Za-z][A-Za-z0-9_]*), safe inside quotes.
            const std::string index = "\"qx_" + object->name + "_" + f.name + "\"";
            const std::string column =
                "\"" + f.name + "\"" + (reference ? std::string() : " COLLATE NOCASE");
            db.Exec("CREATE INDEX IF NOT EXISTS " + index + " ON \"sobject_" + object->name +
                    "\" (" + column + ")");
        }
    }
    tx.Commit();
}

}  // namespace sfkit::server
