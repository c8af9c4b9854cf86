// The API version each standard object first exists in, from the cited data set
// (standard_catalog.hpp): describe and describeGlobal of older versions leave such objects out.
#pragma once

#include <string_view>

namespace sfkit::server {

/// The first API version that has the standard object `name` (0: every served version, and
/// for objects the catalog does not list, custom ones included).
int ObjectSinceVersion(std::string_view name);

}  // namespace sfkit::server
