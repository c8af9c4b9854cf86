// The CLI's transport flags: `--max-retries` bounds the retries of an org answering 503 with
// Retry-After, `--verbose` traces every exchange on stderr with no secret in it.
#include <atomic>
#include <memory>

#include <gtest/gtest.h>

#include "server/net/http_server.hpp"
#include "support/cli_fixture.hpp"
#include "support/fake_org.hpp"

namespace sfkit::test {
namespace {

/// An org that is down for maintenance: every request answers 503 with `Retry-After: 0`.
class UnavailableOrg {
public:
    UnavailableOrg() {
        server::HttpServerOptions o;
        o.port = 0;
        o.threads = 1;
        http_ = std::make_unique<server::HttpServer>(o, [this](const server::Request&) {
            ++requests_;
            server::Response r;
            r.status = 503;
            r.SetHeader("Content-Type", "application/json");
            r.SetHeader("Retry-After", "0");
            r.body = R"([{"message":"down for maintenance","errorCode":"SERVER_UNAVAILABLE"}])";
            return r;
        });
        http_->Start();
    }
    ~UnavailableOrg() { http_->Stop(); }
    std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(http_->Port()); }
    int Requests() const { return requests_.load(); }

private:
    std::atomic<int> requests_{0};
    std::unique_ptr<server::HttpServer> http_;
};

class CliTransport : public CliTest {};

TEST_F(CliTransport, MaxRetriesBoundsTheAttemptsAndVerboseShowsTheWaits) {
    UnavailableOrg org;
    auto args = PasswordLogin(org.BaseUrl());
    args.insert(args.end(), {"--max-retries", "2", "--verbose"});
    auto r = Sfkit(args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(org.Requests(), 3) << "one attempt and two retries";
    EXPECT_NE(r.err.find("> POST " + org.BaseUrl() + "/services/oauth2/token"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("< HTTP/1.1 503"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("* retrying in 0 ms"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(retry 2)"), std::string::npos) << r.err;
    for (const char* secret : {kPassword, kClientSecret, kSecurityToken}) {
        EXPECT_EQ(r.err.find(secret), std::string::npos) << "the trace shows " << secret;
    }

    auto once = Sfkit([&] {
        auto a = PasswordLogin(org.BaseUrl());
        a.insert(a.end(), {"--max-retries", "0"});
        return a;
    }());
    EXPECT_NE(once.exit_code, 0);
    EXPECT_EQ(org.Requests(), 3 + 1) << "--max-retries 0: no retry";
    EXPECT_EQ(once.err.find("> POST"), std::string::npos) << "no trace without --verbose";
}

TEST_F(CliTransport, VerboseAndSfkitDebugNeverShowTheAccessToken) {
    FakeOrg org;
    auto login = Sfkit([&] {
        auto a = PasswordLogin(org.BaseUrl());
        a.push_back("--verbose");
        return a;
    }());
    ASSERT_EQ(login.exit_code, 0) << login.err;
    EXPECT_EQ(login.err.find(FakeOrg::kAccessToken), std::string::npos) << login.err;
    EXPECT_EQ(login.err.find(kPassword), std::string::npos) << login.err;
    EXPECT_NE(login.err.find("< HTTP/1.1 200"), std::string::npos) << login.err;

    auto verbose = Sfkit({"get", "Account", FakeOrg::kRecordId, "--verbose"});
    ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
    auto debug = Sfkit({"get", "Account", FakeOrg::kRecordId}, {{"SFKIT_DEBUG", "1"}});
    ASSERT_EQ(debug.exit_code, 0) << debug.err;
    for (const auto* run : {&verbose, &debug}) {
        EXPECT_NE(run->err.find("> GET " + org.BaseUrl() + "/services/data/"), std::string::npos)
            << run->err;
        EXPECT_NE(run->err.find("> Authorization: Bearer REDACTED"), std::string::npos) << run->err;
        EXPECT_EQ(run->err.find(FakeOrg::kAccessToken), std::string::npos) << run->err;
        EXPECT_EQ(run->out.find("> GET"), std::string::npos) << "the trace goes to stderr only";
    }
}

}  // namespace
}  // namespace sfkit::test
