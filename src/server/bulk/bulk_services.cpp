// The Bulk APIs of a local org and what they share.
#include "server/bulk/bulk_services.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "server/bulk/ingest_v2.hpp"
#include "server/bulk/job_leases.hpp"
#include "server/bulk/query_jobs.hpp"
#include "server/org/options.hpp"
#include "server/schema/field_value.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk {

std::string NewBulkId(const BulkContext& ctx, std::string_view key_prefix) {
    return ctx.records.store.NewId(key_prefix).Str18();
}

std::string JobTimestamp(std::chrono::system_clock::time_point t) {
    return FormatDateTime(Instant(std::chrono::floor<std::chrono::seconds>(t)));
}

std::string JobTimestampNow(const LocalOrgOptions& options) {
    return JobTimestamp(options.clock ? options.clock() : std::chrono::system_clock::now());
}

BulkServices::BulkServices(Database& db,
                           SObjectContext records,
                           const LocalOrgOptions& options,
                           BulkUsage& usage)
    : files_(std::filesystem::path(db.FilesDir()) / "bulk", !options.in_memory),
      blobs_(db, files_),
      node_id_(NewNodeId()),
      worker_(options.bulk_threads),
      ctx_{db, records, files_, blobs_, worker_, node_id_, options, usage, classic_jobs_} {
    // One line per Bulk API.
    apis_.push_back(MakeIngestV2(ctx_));
    apis_.push_back(MakeQueryJobs(ctx_));
}

BulkServices::~BulkServices() {
    Stop();
}

void BulkServices::Add(std::unique_ptr<BulkApi> api) {
    apis_.push_back(std::move(api));
}

void BulkServices::RegisterRoutes(Router& router) {
    for (auto& api : apis_) {
        api->RegisterRoutes(router);
    }
}

void BulkServices::Start() {
    blobs_.CreateTables();
    for (auto& api : apis_) {
        api->Start();
    }
    worker_.Poll(
        [this] {
            for (auto& api : apis_) {
                api->Claim();
            }
        },
        ctx_.options.bulk_poll);
}

void BulkServices::Stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    worker_.Stop();
    for (auto& api : apis_) {
        try {
            api->Stopped();
        } catch (const std::exception& e) {
            spdlog::warn("bulk: releasing this node's job leases failed: {}", e.what());
        }
    }
}

void BulkServices::Drain() {
    worker_.Drain();
}

}  // namespace sfkit::server::bulk
