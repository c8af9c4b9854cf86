// Field values Salesforce computes from other fields of the same record (Contact.Name from the
// name parts, Opportunity.IsClosed/IsWon/Probability from the stage, Case.IsClosed, ...), and
// picklist defaults. Pure: no lookups of other records; values that would need one (e.g.
// OpportunityLineItem.ListPrice, PricebookEntry.Name) are left null.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

/// One of the standard opportunity stages of a new org (OpportunityStage records).
struct OpportunityStage {
    std::string_view name;
    int probability;  ///< default Probability (%)
    bool closed;
    bool won;
    std::string_view forecast_category_name;  ///< ForecastCategoryName value
};

/// The stages in picklist order: Prospecting ... Negotiation/Review, Closed Won, Closed Lost.
std::span<const OpportunityStage> OpportunityStages();

/// Fills server-computed fields of a record about to be written.
///  - `values`: one per field of `object` (definition order), already holding the request's
///    values (and, for an update, the stored ones);
///  - `assigned[i]`: field i was set by the request (so defaults must not override it);
///  - `is_insert`: picklist defaults and insert-only values apply;
///  - `now`: canonical datetime of the write (ClosedDate, CompletedDateTime).
/// Call it after validation and before storing, on inserts and updates alike.
void ComputeDerivedFields(const ObjectDef& object,
                          std::vector<FieldValue>& values,
                          const std::vector<bool>& assigned,
                          bool is_insert,
                          std::string_view now);

}  // namespace sfkit::server
