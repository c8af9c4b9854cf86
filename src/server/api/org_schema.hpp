// The org's data model as served: the standard objects plus the custom objects and fields of
// the org definition, with the custom objects' key prefixes kept in the database (table
// `custom_object_key_prefix`) so that an object keeps its prefix, and its records their ids,
// across restarts. Also remembers when the model last changed (describe's Last-Modified, §B.0).
#pragma once

#include <cstdint>

#include "server/schema/custom_objects.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

class Database;

class OrgSchema {
public:
    /// Builds and checks the schema (reading stored key prefixes; nothing is written yet).
    /// Throws std::runtime_error("org definition <file>: <path>: <problem>") on a bad
    /// declaration.
    OrgSchema(Database& db, const CustomSchemaSpec& custom);

    const Schema& Get() const { return schema_; }
    /// The same schema, open for additions before Persist() (RestApi::MutableSchema: tests add
    /// objects with fixed key prefixes; those prefixes are not stored).
    Schema& Mutable() { return schema_; }

    /// Stores new key prefix assignments and, when the model differs from the last start's,
    /// the time of the change. Call once, before the record tables are created.
    void Persist();

    /// When the model last changed (ms since the epoch, whole seconds): describe and
    /// describeGlobal answer 304 to an If-Modified-Since at or after it.
    std::int64_t LastModifiedMs() const { return last_modified_ms_; }

    /// A stable hash of everything describe reports about the model.
    static std::uint64_t Fingerprint(const Schema& schema);

private:
    Database& db_;
    KeyPrefixMap prefixes_;
    Schema schema_;
    std::int64_t last_modified_ms_ = 0;
};

}  // namespace sfkit::server
