// The Bulk APIs of a local org, with what they share (bulk_context.hpp). LocalOrg owns one:
// it is built after the REST API (it writes records through the same store), registers its
// routes, and Start() resumes unfinished jobs. Destroying it stops the worker first, so no
// step runs once the database goes.
#pragma once

#include <memory>
#include <vector>

#include "server/bulk/bulk_context.hpp"
#include "server/bulk/job_blobs.hpp"
#include "server/bulk/job_files.hpp"
#include "server/bulk/worker.hpp"

namespace sfkit::server::bulk {

class BulkServices {
public:
    /// The file area goes next to the database file (`<data dir>/bulk`, or the in-memory
    /// org's private directory).
    /// `usage`: the org's daily Bulk allocations, which the APIs count into (outlives this).
    BulkServices(Database& db,
                 SObjectContext records,
                 const LocalOrgOptions& options,
                 BulkUsage& usage);
    ~BulkServices();
    BulkServices(const BulkServices&) = delete;
    BulkServices& operator=(const BulkServices&) = delete;

    /// Adds an API built outside (one that needs more of the org than the context holds, such
    /// as Bulk API 1.0's session check); before RegisterRoutes and Start.
    void Add(std::unique_ptr<BulkApi> api);
    void RegisterRoutes(Router& router);
    void Start();
    /// Stops the worker (waits for running steps); also done by the destructor.
    void Stop();
    /// Waits until the worker is idle (tests).
    void Drain();
    const BulkContext& Context() const { return ctx_; }

private:
    JobFiles files_;
    JobBlobs blobs_;
    std::string node_id_;
    Worker worker_;
    ClassicJobLister classic_jobs_;
    BulkContext ctx_;
    std::vector<std::unique_ptr<BulkApi>> apis_;
    bool stopped_ = false;
};

}  // namespace sfkit::server::bulk
