// Rows of a Bulk API 2.0 ingest upload turned into record writes (bulk-wire.md §2.10): the
// header row maps to fields (case-insensitively; `Rel.Field` and `Type:Rel.Field` name a parent
// by one of its fields), each cell converts to its field's type, an empty cell is ignored, `#N/A`
// is null, and the operation runs through the record-write path (server/records/), with the
// same validation, derived values and errors as the REST API.
#pragma once

#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "server/http/api_error.hpp"
#include "server/records/record_context.hpp"

namespace sfkit::server::bulk {

/// A problem with the upload as a whole (its header row, its CSV): the job fails with
/// errorMessage `what()` (`InvalidBatch : Field name not found : Foo`).
class InvalidBatch : public std::runtime_error {
public:
    explicit InvalidBatch(const std::string& what) : std::runtime_error("InvalidBatch : " + what) {}
};

struct IngestColumn {
    const FieldDef* field = nullptr;         ///< the field set (the reference, for a parent)
    const ObjectDef* target = nullptr;       ///< parent columns: the parent object
    const FieldDef* target_field = nullptr;  ///< and the field that finds it
};

/// How an upload's columns map to `object` for `operation`.
struct IngestPlan {
    const ObjectDef* object = nullptr;
    std::string operation;  ///< insert, update, upsert, delete, hardDelete
    std::vector<IngestColumn> columns;
    int id_column = -1;                   ///< the Id column, -1 when absent
    int key_column = -1;                  ///< upsert: the external id column
    const FieldDef* key_field = nullptr;  ///< upsert: the external id field (may be Id)
};

/// Maps the header row; throws InvalidBatch for a column that names no field (or no parent),
/// a delete without an Id column, an upsert without its external id column.
IngestPlan PlanColumns(const Schema& schema,
                       const ObjectDef& object,
                       const std::string& operation,
                       const std::string& external_id_field,
                       const std::vector<std::string>& header);

/// What a row did: the record's id and whether it was created.
struct RowResult {
    std::string id;
    bool created = false;
};

/// Applies one data row (run it in a RecordStore::Savepoint inside the chunk's transaction).
/// Throws ApiError for the row's failure; `id_hint` is then the id the failed-results row shows
/// (the row's Id cell for update and delete, "" otherwise).
RowResult ApplyRow(const SObjectContext& ctx,
                   const std::string& user_id,
                   const IngestPlan& plan,
                   const std::vector<std::string>& row);

/// ApplyRow in a RecordStore::Savepoint of its own (call it inside the chunk's transaction): a
/// row that fails leaves nothing and does not undo the rows before it. The row's result, or the
/// ApiError it failed with. Bulk 2.0 and Bulk 1.0 batches both write their rows so.
std::variant<RowResult, ApiError> ApplyRowIsolated(const SObjectContext& ctx,
                                                   const std::string& user_id,
                                                   const IngestPlan& plan,
                                                   const std::vector<std::string>& row);

/// The `sf__Id` of a failed row: the row's Id cell when it has one, "" otherwise.
std::string FailedRowId(const IngestPlan& plan, const std::vector<std::string>& row);

/// `CODE:message:fields --` (`fields` comma-separated; `--` alone when there are none), each
/// error of `e` so, separated by a space (bulk-wire.md §2.9).
std::string BulkErrorText(const ApiError& e);

}  // namespace sfkit::server::bulk
