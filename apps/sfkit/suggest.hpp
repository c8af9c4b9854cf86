// "Did you mean ...?": the one suggestion mechanism of the CLI, for mistyped commands, flags,
// objects and fields alike. The candidates come from the caller (the CLI's own command and flag
// definitions, or the org's describe answers).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sfkit::cli {

/// Levenshtein distance (insertions, deletions, substitutions), ignoring ASCII case.
std::size_t EditDistance(std::string_view a, std::string_view b);

/// The candidates nearest to `word` (at most `limit`, nearest first, ties in the given order):
/// those within a third of the word's length in edits (at least 2), or that start with the word
/// (when it has 2 or more characters). An exact match (any case) is never suggested for itself
/// unless it differs in case. Empty when nothing is near.
std::vector<std::string> Nearest(std::string_view word,
                                 const std::vector<std::string>& candidates,
                                 std::size_t limit = 3);

/// "Did you mean 'a'?" or "Did you mean 'a', 'b' or 'c'?"; "" for no names.
std::string DidYouMean(const std::vector<std::string>& names);

}  // namespace sfkit::cli
