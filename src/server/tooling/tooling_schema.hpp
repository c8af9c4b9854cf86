// The Tooling API's entities (docs/tooling.md): EntityDefinition, FieldDefinition, CustomObject
// and CustomField describe the org's data model and are generated from it; ApexClass and
// ApexTrigger exist and are empty (the local org runs no Apex). They are an ordinary Schema
// served under /services/data/vNN.N/tooling/sobjects, so the REST describe, record and SOQL
// machinery answers for them unchanged.
#pragma once

#include "server/schema/schema.hpp"

namespace sfkit::server {
class RecordStore;
}

namespace sfkit::server::tooling {

/// The Tooling entities (every object's resource_path is "tooling/sobjects"; all read-only).
Schema ToolingSchema();

/// Writes one row per object and field of `org` into the Tooling entities of `tooling`
/// (`store` bootstrapped with `tooling`). `modified` is the model's last change
/// (CreatedDate/LastModifiedDate of every row), canonical datetime text.
void FillToolingRows(RecordStore& store,
                     const Schema& tooling,
                     const Schema& org,
                     const std::string& modified);

/// describe's `type` as Setup shows it in FieldDefinition.DataType: "Text(255)",
/// "Lookup(Account)", "Number(18, 0)", "Checkbox", ...
std::string DataTypeText(const FieldDef& field);

}  // namespace sfkit::server::tooling
