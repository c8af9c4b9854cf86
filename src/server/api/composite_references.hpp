// References between the subrequests of a Composite request (wire reference §B.13):
// `@{refId.field}`, `@{refQuery.records[0].Id}`, resolved against the bodies of earlier
// subrequests, in URLs, header values and request bodies.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace sfkit::server {

/// The first API version that refuses referenceIds with characters other than letters, digits
/// and underscores. [R] guardian/support-service-lambdas#1512/#1524: hyphens refused after an
/// upgrade to 54.0; sf-fx-runtime-java's composite/graph mapping: `insert-anh` accepted at 53.0.
inline constexpr int kStrictReferenceIdsSince = 54;

/// Why Salesforce refuses `reference_id` at API version `api_major` (Composite, Composite Graph
/// and sObject Tree alike), or nullopt when it is accepted. Every version wants a letter or
/// digit first (sObject Tree docs since 36.0); since kStrictReferenceIdsSince only letters,
/// digits and underscores follow (Composite Subrequest Result and sObject Tree Request Body
/// docs). The text is the one clients report for both.
std::optional<std::string> ReferenceIdProblem(std::string_view reference_id, int api_major);

/// The body of the earlier subrequest named `reference_id`, or nullptr when there is none
/// (no such referenceId before this one, or that subrequest failed).
using ReferenceLookup = std::function<const boost::json::value*(std::string_view reference_id)>;

/// A reference that cannot be resolved: the expression inside `@{...}` and its referenceId.
struct UnresolvedReference {
    std::string expression;    ///< "refQuery.records[0].Id"
    std::string reference_id;  ///< "refQuery"
};

/// Evaluates `refId.a.b[0].c` (the text inside `@{}`): `.name` selects an object member (exact
/// name), `[n]` an array element. nullptr when the referenceId is unknown or the path leads
/// nowhere.
const boost::json::value* EvaluateReference(std::string_view expression,
                                            const ReferenceLookup& lookup);

/// Replaces every `@{...}` in `text` by the text of its value: strings as they are, numbers,
/// booleans and null as JSON writes them, objects and arrays as compact JSON. Returns the first
/// reference that cannot be resolved instead, or an `@{` without its `}`.
std::optional<UnresolvedReference> SubstituteText(std::string& text, const ReferenceLookup& lookup);

/// Replaces references in the string values of a JSON document (object keys are left alone). A
/// string that is exactly one reference takes the referenced value itself, with its JSON type
/// (`"@{q.totalSize}"` becomes the number); references inside longer strings are replaced by
/// text as in SubstituteText.
std::optional<UnresolvedReference> SubstituteJson(boost::json::value& document,
                                                  const ReferenceLookup& lookup);

}  // namespace sfkit::server
