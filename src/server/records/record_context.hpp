// What a record write or read works on: the org's schema and its record store. No HTTP here.
#pragma once

#include "server/schema/schema.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {

struct SObjectContext {
    const Schema& schema;
    RecordStore& store;
};

}  // namespace sfkit::server
