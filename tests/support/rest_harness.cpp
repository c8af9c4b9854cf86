// RestHarness: the dispatcher's steps (suffix, negotiation, routing, errors) minus auth.
#include "support/rest_harness.hpp"

#include "server/api/render.hpp"
#include "server/api/rest_api.hpp"
#include "server/auth/auth_service.hpp"
#include "server/http/api_error.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/database.hpp"
#include "server/storage/migrations.hpp"
#include "support/pg_scratch.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {

RestHarness::RestHarness(const std::function<void(server::Schema&)>& extend) {
    options_.in_memory = true;
    options_.org_def_file = TestDataPath("org-def.json");
    if (TestOrgsOnPostgres()) {
        pg_ = std::make_unique<PgScratch>(*PgTestServer());
        db_ = std::make_unique<server::Database>(pg_->Target());
        server::PrepareEngine(*db_);
    } else {
        db_ = std::make_unique<server::Database>(":memory:");
    }
    auth_ = std::make_unique<server::AuthService>(*db_, options_);
    rest_ = std::make_unique<server::RestApi>(*db_, *auth_, options_);
    if (extend) {
        extend(rest_->MutableSchema());
    }
    rest_->Bootstrap();
    auth_->SetDirectorySink(&rest_->Directory());
    auth_->Bootstrap();
    rest_->SetIdPod("Lo");  // record ids known in advance: Id::Make(prefix, "Lo", n)
    rest_->RegisterRoutes(router_);
    session_.org_id = auth_->Org().org_id;
    // The org's admin, who is also a User record (so OwnerId and the audit fields name a real
    // user, as they do behind a login).
    session_.user_id = auth_->Org().admin_user_id;
    session_.username = kUser;
}

RestHarness::~RestHarness() = default;

server::Response RestHarness::Send(const std::string& method,
                                   const std::string& target,
                                   const std::vector<std::string>& headers,
                                   const std::string& body) {
    server::Request req;
    req.method = method;
    req.target = target;
    const auto q = target.find('?');
    req.path = server::PercentDecode(target.substr(0, q), false).value_or(target.substr(0, q));
    req.query = q == std::string::npos ? std::string() : target.substr(q + 1);
    req.headers.push_back({"Host", std::string(kBaseUrl).substr(7)});
    for (const auto& h : headers) {
        const auto colon = h.find(':');
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.erase(0, 1);
        }
        req.headers.push_back({h.substr(0, colon), value});
    }
    req.body = body;

    // Same suffix rule as LocalOrg: .json / .xml on the last segment.
    std::string path = req.path;
    std::string_view suffix;
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
        const std::string ext = path.substr(dot + 1);
        if (ext == "json" || ext == "xml") {
            suffix = ext == "json" ? "json" : "xml";
            path.resize(dot);
        }
    }
    const server::Format format = server::NegotiateFormat(req, suffix);
    const std::string* pp = req.Header("X-PrettyPrint");
    const bool pretty = pp != nullptr && *pp == "1";
    try {
        server::RouteMatch m = router_.Match(req.method, path);
        if (m.route == nullptr) {
            if (m.allowed.empty()) {
                throw server::NotFound();
            }
            std::string allowed;
            for (const auto& meth : m.allowed) {
                allowed += (allowed.empty() ? "" : ",") + meth;
            }
            // Same answer as LocalOrg's dispatcher (§B.15 METHOD_NOT_ALLOWED, errorCode first).
            server::ApiError e(
                405,
                "METHOD_NOT_ALLOWED",
                "HTTP Method '" + req.method + "' not allowed. Allowed are " + allowed,
                true);
            e.headers.emplace_back("Allow", allowed);
            throw e;
        }
        server::Call call{req, std::move(m.params), &session_, format, pretty, {}, {}};
        call.api_version = call.Param("version");
        call.base_url = req.BaseUrl("http://127.0.0.1");
        return m.route->handler(call);
    } catch (const server::ApiError& e) {
        return server::RenderError(e, format, pretty);
    }
}

}  // namespace sfkit::test
