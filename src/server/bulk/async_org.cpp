// LocalOrg's Bulk API 1.0 wiring: the org pieces AsyncApi uses, kept out of local_org.cpp.
#include <memory>

#include "server/api/rest_api.hpp"
#include "server/bulk/async_api.hpp"
#include "server/bulk/bulk_services.hpp"
#include "server/org/local_org.hpp"

namespace sfkit::server {

void LocalOrg::AddBulk1() {
    bulk1::AsyncDeps deps{*auth_, rest_->Queries(), &usage_};
    bulk_->Add(std::make_unique<bulk1::AsyncApi>(bulk_->Context(), std::move(deps)));
}

}  // namespace sfkit::server
