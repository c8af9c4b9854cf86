// The REST API under /services/data: wires the org's schema, the record store and the handlers
// of api_versions.cpp, describe_handlers.cpp, record_handlers.cpp, collection_handlers.cpp,
// composite_handlers.cpp and limits_handlers.cpp into the router.
#include "server/api/rest_api.hpp"

#include "server/api/api_versions.hpp"
#include "server/api/collection_handlers.hpp"
#include "server/api/composite_handlers.hpp"
#include "server/api/describe_handlers.hpp"
#include "server/api/limits_handlers.hpp"
#include "server/api/org_records.hpp"
#include "server/api/org_schema.hpp"
#include "server/api/record_handlers.hpp"
#include "server/api/sobject_handlers.hpp"
#include "server/api/ui_resources.hpp"
#include "server/api/user_password.hpp"
#include "server/auth/auth_service.hpp"
#include "server/http/router.hpp"
#include "server/org/options.hpp"
#include "server/org/org_def.hpp"
#include "server/query/query_handlers.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"
#include "server/storage/query_indexes.hpp"
#include "server/storage/record_store.hpp"
#include "server/tooling/tooling_api.hpp"

namespace sfkit::server {

namespace {

CustomSchemaSpec CustomPart(const LocalOrgOptions& options) {
    if (options.org_def_file.empty()) {
        return {};
    }
    return LoadOrgDefinition(options.org_def_file).custom;
}

}  // namespace

struct RestApi::Impl {
    Impl(Database& db_in, AuthService& auth_in, const LocalOrgOptions& options_in)
        : db(db_in),
          auth(auth_in),
          options(options_in),
          org_schema(db, CustomPart(options)),
          store(MakeSqliteRecordStore(db)),
          records(db, org_schema.Get(), *store),
          ctx{org_schema.Get(), *store},
          describe{org_schema.Get(), *store, 0},
          limits{org_schema.Get(), *store, nullptr},
          queries(db,
                  org_schema.Get(),
                  query::QueryServiceOptions{.clock = options.clock,
                                             .time_limit = options.query_time_limit}) {}

    Database& db;
    AuthService& auth;
    const LocalOrgOptions& options;
    OrgSchema org_schema;
    std::unique_ptr<RecordStore> store;
    OrgRecords records;
    SObjectContext ctx;
    DescribeContext describe;
    LimitsContext limits;
    query::QueryService queries;
    /// Set by RegisterRoutes: the composite resources dispatch through the router they are in.
    std::unique_ptr<CompositeContext> composite;
    std::unique_ptr<tooling::ToolingApi> tooling;
};

RestApi::RestApi(Database& db, AuthService& auth, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(db, auth, options)) {}

RestApi::~RestApi() = default;

query::QueryService& RestApi::Queries() {
    return impl_->queries;
}

void RestApi::Bootstrap() {
    impl_->org_schema.Persist();
    impl_->store->Bootstrap(impl_->org_schema.Get());
    EnsureQueryIndexes(impl_->db, impl_->org_schema.Get());
    impl_->describe.schema_modified_ms = impl_->org_schema.LastModifiedMs();
}

DirectorySink& RestApi::Directory() {
    return impl_->records;
}

void RestApi::SetIdPod(std::string pod) {
    impl_->store->SetIdPod(std::move(pod));
}

void RestApi::SetApiUsage(const ApiUsage* usage) {
    impl_->limits.usage = usage;
}

void RestApi::SetBulkUsage(const bulk::BulkUsage* usage) {
    impl_->limits.bulk = usage;
}

RecordStore::WriteStats RestApi::Writes() const {
    return impl_->store->Writes();
}

Schema& RestApi::MutableSchema() {
    return impl_->org_schema.Mutable();
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

const SObjectContext& RestApi::Records() const {
    return impl_->ctx;
}

void RegisterSObjectRoutes(Router& router,
                           const std::string& root,
                           const SObjectContext& records,
                           const DescribeContext& describe_ctx,
                           query::QueryService& queries) {
    const SObjectContext* ctx = &records;
    const auto with_ctx = [ctx](Response (*h)(const SObjectContext&, Call&)) {
        return Versioned([ctx, h](Call& call) { return h(*ctx, call); });
    };
    const DescribeContext* dctx = &describe_ctx;
    const auto describe = [dctx](Response (*h)(const DescribeContext&, Call&)) {
        return Versioned([dctx, h](Call& call) { return h(*dctx, call); });
    };
    const std::string sobject = root + "/sobjects/{type}";
    router.Add({{"GET"}, root + "/sobjects", true, describe(&HandleDescribeGlobal)});
    router.Add({{"GET"}, sobject, true, describe(&HandleBasicInfo)});
    router.Add({{"POST"}, sobject, true, with_ctx(&HandleCreate)});
    // The router prefers literal segments, so these do not depend on registration order:
    // /describe, /updated, /deleted and /Id win over /{id}.
    router.Add({{"GET"}, sobject + "/describe", true, describe(&HandleDescribe)});
    router.Add({{"GET", "PATCH", "DELETE"}, sobject + "/{id}", true, with_ctx(&HandleRecord)});
    router.Add({{"POST", "PATCH"}, sobject + "/Id", true, with_ctx(&HandleUpsertWithoutId)});
    query::QueryService* q = &queries;
    router.Add(
        {{"GET", "PATCH", "DELETE"},
         sobject + "/{field}/{value}",
         true,
         Versioned([ctx, q](Call& call) { return HandleRecordSubresource(*ctx, q, call); })});
    router.Add({{"GET"}, sobject + "/updated", true, with_ctx(&HandleGetUpdated)});
    router.Add({{"GET"}, sobject + "/deleted", true, with_ctx(&HandleGetDeleted)});
}

void RestApi::RegisterRoutes(Router& router) {
    const SObjectContext* ctx = &impl_->ctx;
    const auto with_ctx = [ctx](Response (*h)(const SObjectContext&, Call&)) {
        return Versioned([ctx, h](Call& call) { return h(*ctx, call); });
    };
    const LimitsContext* limits = &impl_->limits;
    const auto with_limits = [limits](Response (*h)(const LimitsContext&, Call&)) {
        return Versioned([limits, h](Call& call) { return h(*limits, call); });
    };
    router.Add({{"GET"}, "/services/data", false, HandleVersions});
    router.Add({{"GET"}, "/services/data/v{version}", true, Versioned(HandleResources)});
    RegisterSObjectRoutes(
        router, "/services/data/v{version}", impl_->ctx, impl_->describe, impl_->queries);
    // sObject Collections (§B.13); the handlers answer 404 below the versions that have them.
    const std::string collections = "/services/data/v{version}/composite/sobjects";
    router.Add({{"POST", "PATCH", "DELETE"}, collections, true, with_ctx(&HandleCollection)});
    router.Add(
        {{"GET", "POST"}, collections + "/{type}", true, with_ctx(&HandleCollectionRetrieve)});
    router.Add(
        {{"PATCH"}, collections + "/{type}/{field}", true, with_ctx(&HandleCollectionUpsert)});
    // Composite, Batch, Graph and Tree (§B.13); their subrequests go through this same router.
    impl_->composite = std::make_unique<CompositeContext>(CompositeContext{router, impl_->ctx});
    const CompositeContext* cctx = impl_->composite.get();
    const auto composite = [cctx](Response (*h)(const CompositeContext&, Call&)) {
        return Versioned([cctx, h](Call& call) { return h(*cctx, call); });
    };
    const std::string composite_base = "/services/data/v{version}/composite";
    router.Add({{"GET"}, composite_base, true, composite(&HandleCompositeResources)});
    router.Add({{"POST"}, composite_base, true, composite(&HandleComposite)});
    router.Add({{"POST"}, composite_base + "/batch", true, composite(&HandleCompositeBatch)});
    router.Add({{"POST"}, composite_base + "/graph", true, composite(&HandleCompositeGraph)});
    router.Add({{"POST"}, composite_base + "/tree/{type}", true, composite(&HandleCompositeTree)});
    router.Add({{"GET"}, "/services/data/v{version}/limits", true, with_limits(&HandleLimits)});
    router.Add({{"GET"},
                "/services/data/v{version}/limits/recordCount",
                true,
                with_limits(&HandleRecordCount)});
    query::RegisterQueryRoutes(router, impl_->queries, impl_->org_schema.Get());
    RegisterUiResourceRoutes(router, impl_->ctx, impl_->queries);
    RegisterUserPasswordRoutes(router, impl_->auth);
    // The Tooling API (src/server/tooling): its entities in a store of their own.
    impl_->tooling = std::make_unique<tooling::ToolingApi>(
        impl_->org_schema.Get(), impl_->options, impl_->describe.schema_modified_ms, impl_->db);
    impl_->tooling->RegisterRoutes(router);
}

}  // namespace sfkit::server
