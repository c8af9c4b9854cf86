// libFuzzer target for the SOSL parser (src/soql/sosl_parser.*). Properties:
//  - any input either fails with a well-formed error (MALFORMED_SEARCH or INVALID_SEARCH with a
//    reason and a message; a positioned one has Salesforce's echo layout) or parses to a tree
//    whose canonical print (SearchQuery::ToSosl) parses back to an equal tree and prints
//    identically, and whose stored term re-parses on its own (ParseSearchExpr) to the same
//    expression, as the search service does;
//  - the input used as /parameterizedSearch's `q` (FIND {EscapeSearchText(q)}) keeps the whole
//    escaped text as the term: it never closes the braces early.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "soql/sosl_parser.hpp"

namespace {

using sfkit::soql::ParseSearch;
using sfkit::soql::SoqlError;

[[noreturn]] void Die(const char* what, std::string_view input, const std::string& detail) {
    sfkit::fuzz::Die("sosl_parse_fuzz", what, input, detail);
}

void CheckError(std::string_view input, const SoqlError& e) {
    if ((e.code != sfkit::soql::kMalformedSearch && e.code != sfkit::soql::kInvalidSearch) ||
        e.reason.empty() || e.message.empty()) {
        Die("error without SOSL code, reason or message", input, e.code + ": " + e.message);
    }
    if (e.row > 0 &&
        (e.message.front() != '\n' || e.message.find("ERROR at Row:") == std::string::npos)) {
        Die("positioned error without echo layout", input, e.message);
    }
}

void CheckStatement(std::string_view input) {
    const auto first = ParseSearch(input);
    if (!first) {
        CheckError(input, first.error());
        return;
    }
    const std::string printed = first->ToSosl();
    const auto second = ParseSearch(printed);
    if (!second) {
        Die("printed search does not parse", input, printed + "\n" + second.error().message);
    }
    if (!(*second == *first)) {
        Die("re-parsed search differs", input, printed + "\n" + second->ToSosl());
    }
    if (second->ToSosl() != printed) {
        Die("printing is not stable", input, printed + "\n" + second->ToSosl());
    }
    const auto expr = sfkit::soql::ParseSearchExpr(first->term, first->term, 0);
    if (!expr || !(*expr == first->expr)) {
        Die("stored term does not re-parse to the same expression", input, first->term);
    }
}

void CheckEscaped(std::string_view input) {
    const std::string escaped = sfkit::soql::EscapeSearchText(input);
    const auto q = ParseSearch("FIND {" + escaped + "}");
    if (!q) {
        CheckError(input, q.error());
        return;
    }
    if (q->term != escaped) {
        Die("escaped text does not stay one term", input, escaped + "\n" + q->term);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    CheckStatement(input);
    CheckEscaped(input);
    return 0;
}
