// The REST API under /services/data: wires the schema, the record store and the handlers of
// api_versions.cpp and sobject_handlers.cpp into the router.
#include "server/api/rest_api.hpp"

#include "server/api/api_versions.hpp"
#include "server/api/sobject_handlers.hpp"
#include "server/auth/auth_service.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/query/query_handlers.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"
#include "server/storage/query_indexes.hpp"
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
          queries(db, schema, query::QueryServiceOptions{options.clock}) {}

    Database& db;
    AuthService& auth;
    const LocalOrgOptions& options;
    Schema schema;
    std::unique_ptr<RecordStore> store;
    SObjectContext ctx;
    query::QueryService queries;
};

RestApi::RestApi(Database& db, AuthService& auth, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(db, auth, options)) {}

RestApi::~RestApi() = default;

void RestApi::Bootstrap() {
    impl_->store->Bootstrap(impl_->schema);
    EnsureQueryIndexes(impl_->db, impl_->schema);
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
    router.Add({{"GET"}, "/services/data", false, HandleVersions});
    router.Add({{"GET"}, "/services/data/v{version}", true, Versioned(HandleResources)});
    router.Add(
        {{"GET"}, "/services/data/v{version}/sobjects", true, with_ctx(&HandleDescribeGlobal)});
    router.Add(
        {{"GET"}, "/services/data/v{version}/sobjects/{type}", true, with_ctx(&HandleBasicInfo)});
    router.Add(
        {{"POST"}, "/services/data/v{version}/sobjects/{type}", true, with_ctx(&HandleCreate)});
    router.Add({{"GET"},
                "/services/data/v{version}/sobjects/{type}/{id}",
                true,
                with_ctx(&HandleRetrieve)});
    query::RegisterQueryRoutes(router, impl_->queries, impl_->schema);
}

}  // namespace sfkit::server
