// The `{type}` lookup shared by the record handlers.
#include "server/api/sobject_handlers.hpp"

#include "server/http/api_error.hpp"
#include "server/schema/field_version.hpp"

namespace sfkit::server {

const ObjectDef& RequireObject(const SObjectContext& ctx, const Call& call) {
    const ObjectDef* object = ctx.schema.FindObject(call.Param("type"));
    // An object newer than the request's API version does not exist there.
    if (object == nullptr || !VisibleIn(*object, ApiMajor(call.api_version))) {
        throw NotFound();
    }
    return *object;
}

}  // namespace sfkit::server
