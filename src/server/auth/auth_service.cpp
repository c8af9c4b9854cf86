// Minimal first cut of AuthService (org id only, every token refused); the full OAuth
// implementation replaces this file.
#include "server/auth/auth_service.hpp"

#include "sfkit/core/id.hpp"

#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {

struct AuthService::Impl {
    Database& db;
    const LocalOrgOptions& options;
    OrgInfo org;
};

AuthService::AuthService(Database& db, const LocalOrgOptions& options)
    : impl_(std::make_unique<Impl>(Impl{db, options, {}})) {}
AuthService::~AuthService() = default;

FirstStartCredentials AuthService::Bootstrap() {
    impl_->org.org_id = Id::Make("00D", "Lo", 1).Str18();
    impl_->org.name = "sfkit";
    return {};
}

const OrgInfo& AuthService::Org() const {
    return impl_->org;
}

Session AuthService::Authenticate(const Request&, bool) const {
    throw ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid");
}

void AuthService::RegisterRoutes(Router&) {}

}  // namespace sfkit::server
