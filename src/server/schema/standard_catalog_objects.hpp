// Completes the standard objects from the generated catalog (standard_catalog.hpp). Internal
// to the schema module.
#pragma once

#include <vector>

#include "server/schema/schema.hpp"

namespace sfkit::server::standard {

/// Adds to the hand-written objects in `objects` the fields, lookup targets and child
/// relationship names the catalog has and they lack, and appends the catalog's other objects.
void CompleteFromCatalog(std::vector<ObjectDef>& objects);

}  // namespace sfkit::server::standard
