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

/// A referenceId as Salesforce accepts it: a letter or digit, then letters, digits and
/// underscores (Composite Subrequest Result docs, "illegal characters in reference IDs").
bool IsValidReferenceId(std::string_view reference_id);

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
