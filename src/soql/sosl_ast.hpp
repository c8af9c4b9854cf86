// The SOSL syntax tree: `FIND {term} [IN group FIELDS] [RETURNING Obj(fields WHERE ...), ...]
// [WITH ...] [LIMIT n] [UPDATE TRACKING|VIEWSTAT]`, as ParseSearch produces it. The field specs
// of RETURNING reuse the SOQL nodes, so the SOQL binder resolves them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soql/ast.hpp"

namespace sfkit::soql {

/// The search expression written between the braces, parsed (docs/soql.md, "SOSL search").
struct SearchExpr {
    enum class Kind { kTerm, kAnd, kOr, kNot };
    Kind kind = Kind::kTerm;
    /// kTerm: the word or phrase as search tokens (lower-cased; unescaped `*` and `?` kept as
    /// wildcards). Several tokens (a "phrase", or a word with punctuation such as `acme.com`)
    /// must appear one after the other in a field.
    std::vector<std::string> tokens;
    bool quoted = false;               ///< kTerm written in double quotes
    std::vector<SearchExpr> operands;  ///< kAnd/kOr: two or more; kNot: one
    bool operator==(const SearchExpr&) const = default;
};

/// `IN ... FIELDS`: which fields of each object the term is matched against.
enum class SearchGroup { kAll, kName, kEmail, kPhone, kSidebar };

/// The parenthesised part of a RETURNING item: `(Id, Name WHERE ... USING ListView = Recent
/// ORDER BY ... LIMIT n OFFSET n)`. `fields` holds only SelectExpr items (fields, toLabel,
/// convertCurrency, FORMAT).
struct SearchFieldSpec {
    std::vector<SelectItem> fields;
    std::optional<Condition> where;
    std::optional<std::string> list_view;  ///< `USING ListView = name`, as written
    std::vector<OrderItem> order_by;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    SourcePos limit_pos;
    SourcePos offset_pos;
    bool operator==(const SearchFieldSpec&) const = default;
};

/// `Account` or `Account(Id, Name WHERE ...)`.
struct ReturningItem {
    std::string object;  ///< as written
    SourcePos pos;
    std::optional<SearchFieldSpec> spec;  ///< nullopt without parentheses
    bool operator==(const ReturningItem&) const = default;
};

struct SearchQuery {
    std::string term;    ///< the text between the braces, exactly as written (escapes kept)
    SourcePos term_pos;  ///< of the first character after `{`
    SearchExpr expr;     ///< `term`, parsed
    std::optional<SearchGroup> in;  ///< nullopt when not written (ALL FIELDS)
    std::vector<ReturningItem> returning;
    /// WITH clauses sfkit accepts and ignores, in canonical form (`WITH SNIPPET
    /// (target_length=120)`, `WITH NETWORK IN ('a', 'b')`), in the order written.
    std::vector<std::string> with;
    std::optional<std::int64_t> limit;  ///< as written; the search caps it at 2,000
    SourcePos limit_pos;
    bool update_tracking = false;
    bool update_viewstat = false;

    /// Canonical SOSL: keywords upper case, single spaces, the term as written, field specs
    /// printed like SOQL. ParseSearch(ToSosl()) == *this.
    std::string ToSosl() const;
    bool operator==(const SearchQuery&) const = default;
};

/// `ALL`, `NAME`, `EMAIL`, `PHONE`, `SIDEBAR`.
std::string_view SearchGroupName(SearchGroup g);

}  // namespace sfkit::soql
