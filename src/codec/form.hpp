// `application/x-www-form-urlencoded` and percent decoding, shared by the server (query strings,
// form bodies) and the client library (the loopback listener's redirect).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfkit::codec {

/// Percent-decodes `text`; when `plus_is_space`, '+' becomes ' ' (form and query encoding).
/// Returns nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

/// Splits an `application/x-www-form-urlencoded` string into decoded pairs, in order.
/// Malformed escapes yield nullopt.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view text);

}  // namespace sfkit::codec
