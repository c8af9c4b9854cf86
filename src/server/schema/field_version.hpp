// The one API-version gate on fields (and objects): describe, SOQL (binder) and record reads show a
// field only to requests made with an API version at or after the one the field first appeared in
// (FieldDef::since_version, from the cited describe data set; standard_catalog.hpp).
#pragma once

#include <string_view>

#include "server/schema/schema.hpp"

namespace sfkit::server {

/// The major number of an API version (`58` for "58.0"); 0 when it does not start with digits.
inline int ApiMajor(std::string_view version) {
    int major = 0;
    std::size_t i = 0;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9' && major < 1000) {
        major = major * 10 + (version[i] - '0');
        ++i;
    }
    return major;
}

/// Whether requests made with API version `api_major` (58 for v58.0) see `field`. 0 = no gate.
inline bool VisibleIn(const FieldDef& field, int api_major) {
    return api_major == 0 || field.since_version <= api_major;
}

/// Whether requests made with API version `api_major` see `object` (its describe, records and
/// queries): the same gate for objects that appeared in a later release. 0 = no gate.
inline bool VisibleIn(const ObjectDef& object, int api_major) {
    return api_major == 0 || object.since_version <= api_major;
}

}  // namespace sfkit::server
