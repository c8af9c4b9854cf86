// What sfkit::testing::LocalOrg holds: the server objects behind the public pimpl. Internal:
// sfkit's own tests (tests/support/test_org.hpp) start their orgs through this, with full server
// options.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sfkit/testing/local_org.hpp"

#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "server/org/org_def.hpp"

namespace sfkit::testing {

class LocalOrg::Impl {
public:
    /// Starts `options` (an org) behind an HTTP server on 127.0.0.1 at a free port. Nobody is
    /// logged in yet. `scratch_dir`, when not empty, is removed with the org.
    Impl(server::LocalOrgOptions options, unsigned threads, std::string scratch_dir = {});
    ~Impl();
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    server::LocalOrg& Org() { return *org_; }
    server::HttpServer& Http() { return *http_; }
    std::uint16_t Port() const { return http_->Port(); }

    /// The parsed org definition (read once, on first use); nullopt for a default org.
    const std::optional<server::OrgDefinition>& Definition();

    std::string login_user;  ///< Client()'s user; empty = the first one
    std::string api_version = std::string(client::kDefaultApiVersion);
    std::optional<client::Token> token;
    std::optional<client::RestClient> client;

private:
    struct ScratchDir {
        std::string path;
        ~ScratchDir();
    } scratch_;
    std::unique_ptr<server::LocalOrg> org_;
    std::unique_ptr<server::HttpServer> http_;
    bool definition_read_ = false;
    std::optional<server::OrgDefinition> definition_;
};

}  // namespace sfkit::testing
