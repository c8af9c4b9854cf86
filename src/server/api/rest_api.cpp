// The REST API under /services/data: wires the schema, the record store and the handlers of
// api_versions.cpp and sobject_handlers.cpp into the router.
#include "server/api/rest_api.hpp"

#include "server/api/api_versions.hpp"
#include "server/api/limits_handlers.hpp"
#include "server/api/record_handlers.hpp"
#include "server/api/sobject_handlers.hpp"
#include "server/auth/auth_service.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {

struct RestApi::Impl {
    Impl(Database& db_in, AuthService& auth_in, const LocalOrgOptions& options_in)
        : db(db_in),
          auth(auth_in),
          options(options_in),
          schema(Schema::Standard()),
          store(MakeSqliteRecordStore(db)),
          ctx{schema, *store},
          limits{schema, *store, nullptr} {}

    Database& db;
    AuthService& auth;
    const LocalOrgOptions& options;
    Schema schema;
    std::unique_ptr<RecordStore> store;
    SObjectContext ctx;
    LimitsContext limits;
};

RestApi::RestApi(Database& db, AuthService& auth, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(db, auth, options)) {}

RestApi::~RestApi() = default;

void RestApi::Bootstrap() {
    impl_->store->Bootstrap(impl_->schema);
}

void RestApi::SetApiUsage(const ApiUsage* usage) {
    impl_->limits.usage = usage;
}

Schema& RestApi::MutableSchema() {
    return impl_->schema;
}

namespace {

/// Every /services/data/v{version}/... handler first checks the version (§B.0: 410 for
/// retired, 404 for unknown).
RouteHandler Versioned(RouteHandler handler) {
    return [handler = std::move(handler)](Call& call) {
        RequireServedVersion(call.api_version);
        return handler(call);
    };
}

}  // namespace

void RestApi::RegisterRoutes(Router& router) {
    const SObjectContext* ctx = &impl_->ctx;
    const auto with_ctx = [ctx](Response (*h)(const SObjectContext&, Call&)) {
        return Versioned([ctx, h](Call& call) { return h(*ctx, call); });
    };
    const LimitsContext* limits = &impl_->limits;
    const auto with_limits = [limits](Response (*h)(const LimitsContext&, Call&)) {
        return Versioned([limits, h](Call& call) { return h(*limits, call); });
    };
    const std::string sobject = "/services/data/v{version}/sobjects/{type}";
    router.Add({{"GET"}, "/services/data", false, HandleVersions});
    router.Add({{"GET"}, "/services/data/v{version}", true, Versioned(HandleResources)});
    router.Add(
        {{"GET"}, "/services/data/v{version}/sobjects", true, with_ctx(&HandleDescribeGlobal)});
    router.Add({{"GET"}, sobject, true, with_ctx(&HandleBasicInfo)});
    router.Add({{"POST"}, sobject, true, with_ctx(&HandleCreate)});
    // The router prefers literal segments, so these do not depend on registration order.
    router.Add({{"GET", "PATCH", "DELETE"}, sobject + "/{id}", true, with_ctx(&HandleRecord)});
    router.Add({{"POST", "PATCH"}, sobject + "/Id", true, with_ctx(&HandleUpsertWithoutId)});
    router.Add({{"GET", "PATCH", "DELETE"},
                sobject + "/{field}/{value}",
                true,
                with_ctx(&HandleExternalId)});
    router.Add({{"GET"}, sobject + "/updated", true, with_ctx(&HandleGetUpdated)});
    router.Add({{"GET"}, sobject + "/deleted", true, with_ctx(&HandleGetDeleted)});
    router.Add({{"GET"}, "/services/data/v{version}/limits", true, with_limits(&HandleLimits)});
    router.Add({{"GET"},
                "/services/data/v{version}/limits/recordCount",
                true,
                with_limits(&HandleRecordCount)});
}

}  // namespace sfkit::server
