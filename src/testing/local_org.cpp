// sfkit::testing::LocalOrg: an in-memory local org on 127.0.0.1 at a free port, logged in with
// the password flow through libsfkit (see include/sfkit/testing/local_org.hpp).
#include "sfkit/testing/local_org.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "sfkit/client/http.hpp"

#include "testing/local_org_impl.hpp"

namespace sfkit::testing {
namespace {

bool IsInlineJson(const std::string& definition) {
    const auto first = definition.find_first_not_of(" \t\r\n");
    return first != std::string::npos && definition[first] == '{';
}

bool SameUsername(const std::string& a, const std::string& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

/// A fresh private directory under the system's temporary directory.
std::string MakeScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "sfkit-testing-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
        throw std::runtime_error("sfkit::testing: cannot create a directory under " +
                                 std::filesystem::temp_directory_path().string());
    }
    return templ;
}

}  // namespace

// ---- Impl ----------------------------------------------------------------------------------

LocalOrg::Impl::ScratchDir::~ScratchDir() {
    if (!path.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
}

LocalOrg::Impl::Impl(server::LocalOrgOptions options, unsigned threads, std::string scratch_dir)
    : scratch_{std::move(scratch_dir)} {
    org_ = std::make_unique<server::LocalOrg>(std::move(options));
    server::HttpServerOptions http;
    http.host = "127.0.0.1";
    http.port = 0;
    http.threads = threads == 0 ? 1 : threads;
    http.body_to_file = org_->BodyFileTargets();
    server::LocalOrg* org = org_.get();
    http_ = std::make_unique<server::HttpServer>(
        http, [org](const server::Request& r) { return org->Handle(r); });
    http_->Start();
}

LocalOrg::Impl::~Impl() {
    // The client's keep-alive connection first, then the server, then the org it calls.
    client.reset();
    http_->Stop();
    http_.reset();
    org_.reset();
}

const std::optional<server::OrgDefinition>& LocalOrg::Impl::Definition() {
    if (!definition_read_) {
        const std::string& file = org_->Options().org_def_file;
        if (!file.empty()) {
            definition_ = server::LoadOrgDefinition(file);
        }
        definition_read_ = true;
    }
    return definition_;
}

// ---- LocalOrg ------------------------------------------------------------------------------

namespace {
OrgOptions WithDefinition(std::string definition) {
    OrgOptions o;
    o.definition = std::move(definition);
    return o;
}
}  // namespace

LocalOrg::LocalOrg(std::string definition) : LocalOrg(WithDefinition(std::move(definition))) {}

LocalOrg::LocalOrg(OrgOptions options) {
    server::LocalOrgOptions server_options;
    server_options.in_memory = true;
    server_options.session_timeout = options.session_timeout;
    std::string scratch;
    if (IsInlineJson(options.definition)) {
        // The server reads definitions from files; an inline one gets a private file.
        scratch = MakeScratchDir();
        server_options.org_def_file = scratch + "/org-def.json";
        std::ofstream out(server_options.org_def_file, std::ios::binary);
        out << options.definition;
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove_all(scratch, ec);
            throw std::runtime_error("sfkit::testing: cannot write " + server_options.org_def_file);
        }
    } else {
        server_options.org_def_file = options.definition;
    }
    impl_ = std::make_unique<Impl>(std::move(server_options), options.threads, std::move(scratch));
    impl_->login_user = std::move(options.username);
    impl_->api_version = std::move(options.api_version);
    Client();  // log in now, so that a bad definition fails here and not in the first call
}

LocalOrg::LocalOrg(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LocalOrg::~LocalOrg() = default;
LocalOrg::LocalOrg(LocalOrg&&) noexcept = default;
LocalOrg& LocalOrg::operator=(LocalOrg&&) noexcept = default;

std::uint16_t LocalOrg::Port() const {
    return impl_->Port();
}

std::string LocalOrg::InstanceUrl() const {
    return "http://127.0.0.1:" + std::to_string(Port());
}

Credentials LocalOrg::CredentialsOf(const std::string& username) const {
    const std::string& who = username.empty() ? impl_->login_user : username;
    const auto& def = impl_->Definition();
    Credentials c;
    if (!def) {
        const auto& gen = impl_->Org().Credentials();
        if (!who.empty() && !SameUsername(who, gen.username)) {
            throw std::runtime_error("sfkit::testing: the default org has one user, " +
                                     gen.username + ", not " + who);
        }
        c.username = gen.username;
        c.password = gen.password;
        c.security_token = gen.security_token;
        c.client_id = gen.consumer_key;
        c.client_secret = gen.consumer_secret;
        return c;
    }
    const server::OrgDefUser* user = nullptr;
    for (const auto& u : def->users) {
        if (who.empty() || SameUsername(u.username, who)) {
            user = &u;
            break;
        }
    }
    if (user == nullptr) {
        throw std::runtime_error("sfkit::testing: no user " + who + " in the org definition");
    }
    const auto app = std::find_if(def->apps.begin(), def->apps.end(), [](const auto& a) {
        return std::find(a.flows.begin(), a.flows.end(), server::kFlowPassword) != a.flows.end();
    });
    if (app == def->apps.end()) {
        throw std::runtime_error(
            "sfkit::testing: the org definition has no connected app whose \"flows\" include "
            "\"password\"; the test org logs in with it");
    }
    c.username = user->username;
    c.password = user->password;
    c.security_token = user->security_token;
    c.client_id = app->consumer_key;
    c.client_secret = app->consumer_secret;
    return c;
}

Result<client::Token> LocalOrg::Login(const std::string& username) const {
    const Credentials c = CredentialsOf(username);
    client::PasswordFlow flow;
    flow.login_url = InstanceUrl();
    flow.client_id = c.client_id;
    flow.client_secret = c.client_secret;
    flow.username = c.username;
    flow.password = c.password;
    flow.security_token = c.security_token;
    client::CurlTransport transport;
    return flow.Authenticate(transport);
}

client::RestClient& LocalOrg::Client() {
    if (!impl_->client) {
        auto token = Login(impl_->login_user);
        if (!token) {
            throw std::runtime_error("sfkit::testing: login to the local org failed: " +
                                     token.error().ToString());
        }
        impl_->token = *token;
        impl_->client.emplace(*token, impl_->api_version);
    }
    return *impl_->client;
}

const client::Token& LocalOrg::Token() {
    Client();
    return *impl_->token;
}

}  // namespace sfkit::testing
