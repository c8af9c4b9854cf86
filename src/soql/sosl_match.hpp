// SOSL matching without a search index: splits text into search tokens the way the FIND clause
// describes (runs of letters and digits; spaces and punctuation separate), and evaluates a
// parsed search expression against the text fields of one record. docs/soql.md, "SOSL search".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "soql/sosl_ast.hpp"

namespace sfkit::soql {

/// Decodes the UTF-8 code point at `text[*pos]` and moves `*pos` past it (a malformed byte
/// decodes as U+FFFD and moves one byte).
char32_t NextCodePoint(std::string_view text, std::size_t* pos);
/// Letters and digits: the characters search tokens are made of.
bool IsSearchTokenChar(char32_t cp);
/// Appends `cp` lower-cased, UTF-8 encoded.
void AppendLowerUtf8(std::string& out, char32_t cp);

/// `text` as search tokens: maximal runs of letters and digits (any non-ASCII letter counts as
/// a letter), lower-cased (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
std::vector<std::string> SearchTokens(std::string_view text);

/// Characters (code points) of all terms of `e`, wildcards not counted: Salesforce rejects a
/// search whose term is shorter than two characters.
std::size_t SearchTextLength(const SearchExpr& e);

/// `pattern` (a lower-cased token where `*` matches any run of characters and `?` exactly one)
/// against one lower-cased token.
bool WildcardMatch(std::string_view pattern, std::string_view token);

/// One searched field value of a record.
struct SearchField {
    std::string_view text;
    bool phone = false;  ///< phone fields also match their digits alone (`4155551212`)
};

/// The searched fields of one record, tokenized once; `Matches` evaluates an expression
/// against them: a term matches when its tokens appear one after the other in one field.
class SearchDocument {
public:
    explicit SearchDocument(const std::vector<SearchField>& fields);
    bool Matches(const SearchExpr& e) const;

private:
    bool MatchesTerm(const std::vector<std::string>& tokens) const;
    std::vector<std::vector<std::string>> sequences_;  ///< per field (phones twice)
};

}  // namespace sfkit::soql
