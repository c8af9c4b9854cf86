// LocalOrg's Bulk API 1.0 wiring: the org pieces AsyncApi uses, kept out of local_org.cpp.
#include "sfkit/core/id.hpp"

#include "server/api/rest_api.hpp"
#include "server/bulk/async_api.hpp"
#include "server/http/router.hpp"
#include "server/org/local_org.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

void LocalOrg::RegisterBulk1() {
    Database* db = db_.get();
    AuthService* auth = auth_.get();
    bulk1::AsyncDeps deps{*db_, *auth_, rest_->MutableSchema(), &usage_, {}, {}, {}, {}};
    deps.pod = [auth] { return auth->Org().pod; };
    // TEMPORARY until bulk2's job id allocation is merged.
    deps.new_job_id = [db, auth] {
        auto rd = db->Read();
        auto s = rd.Prepare("SELECT COUNT(*) FROM bulk1_job");
        s.Step();
        return Id::Make("750", auth->Org().pod,
                        62ULL * 62 * 62 * 62 + static_cast<std::uint64_t>(s.Int(0)) + 1)
            .Str18();
    };
    bulk1_ = std::make_unique<bulk1::AsyncApi>(std::move(deps));
    bulk1_->RegisterRoutes(*router_);
}

}  // namespace sfkit::server
