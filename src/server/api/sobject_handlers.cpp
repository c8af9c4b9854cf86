// The `{type}` lookup shared by the record handlers.
#include "server/api/sobject_handlers.hpp"

#include "server/http/api_error.hpp"

namespace sfkit::server {

const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call) {
    const ObjectDef* object = ctx.schema.FindObject(call.Param("type"));
    if (object == nullptr) {
        throw NotFound();
    }
    return *object;
}

}  // namespace sfkit::server
