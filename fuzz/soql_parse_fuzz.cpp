// libFuzzer target for the SOQL parser: any input must either fail with a well-formed error or
// parse to a tree whose canonical print parses back to the same tree (and prints identically).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "soql/parser.hpp"

namespace {

[[noreturn]] void Die(const char* what, std::string_view input, const std::string& detail) {
    sfkit::fuzz::Die("soql_parse_fuzz", what, input, detail);
}

void CheckOne(std::string_view input, const sfkit::soql::ParseOptions& options) {
    using sfkit::soql::Parse;
    const sfkit::soql::ParseResult first = Parse(input, options);
    if (!first) {
        const sfkit::soql::SoqlError& e = first.error();
        if (e.code.empty() || e.reason.empty() || e.message.empty()) {
            Die("error without code, reason or message", input, e.message);
        }
        if (e.row > 0 &&
            (e.message.front() != '\n' || e.message.find("ERROR at Row:") == std::string::npos)) {
            Die("positioned error without echo layout", input, e.message);
        }
        return;
    }
    const std::string printed = first->ToSoql();
    const sfkit::soql::ParseResult second = Parse(printed, options);
    if (!second) {
        Die("printed query does not parse", input, printed + "\n" + second.error().message);
    }
    if (!(*second == *first)) {
        Die("re-parsed tree differs", input, printed + "\n" + second->ToSoql());
    }
    if (second->ToSoql() != printed) {
        Die("printing is not stable", input, printed + "\n" + second->ToSoql());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    CheckOne(input, sfkit::soql::ParseOptions{});
    CheckOne(input, sfkit::soql::ParseOptions{.max_child_depth = 4});
    return 0;
}
