// Local-org throughput over keep-alive connections: token issuance (client credentials) and
// Account creates, each relative to a trivial static-response server on the same HTTP stack.
#include <filesystem>
#include <memory>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "bench_support.hpp"
#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "support/raw_http.hpp"

namespace {

using namespace sfkit;

std::string OrgDef() {
    return std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
}

void BM_StaticBaseline(benchmark::State& state) {
    server::HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    server::HttpServer srv(o, [](const server::Request&) {
        server::Response r;
        r.SetHeader("Content-Type", "application/json;charset=UTF-8");
        r.body = R"({"id":"001Lo000000000AAA","success":true,"errors":[]})";
        return r;
    });
    srv.Start();
    test::RawConnection c(srv.Port());
    const std::string req = bench::RawRequest("GET", "/static", {}, "");
    for (auto _ : state) {
        auto r = c.Exchange(req);
        if (r.status != 200) {
            state.SkipWithError("baseline failed");
            break;
        }
    }
    srv.Stop();
}
BENCHMARK(BM_StaticBaseline)->UseRealTime();

struct OrgFixture {
    explicit OrgFixture(bool on_disk) {
        server::LocalOrgOptions o;
        if (on_disk) {
            dir = std::filesystem::temp_directory_path() /
                  ("sfkit-bench-" + std::to_string(::getpid()));
            std::filesystem::remove_all(dir);
            o.data_dir = dir.string();
        } else {
            o.in_memory = true;
        }
        o.org_def_file = OrgDef();
        org = std::make_unique<server::LocalOrg>(o);
        server::HttpServerOptions h;
        h.port = 0;
        h.threads = 2;
        http = std::make_unique<server::HttpServer>(
            h, [this](const server::Request& r) { return org->Handle(r); });
        http->Start();
    }
    ~OrgFixture() {
        http->Stop();
        http.reset();
        org.reset();
        if (!dir.empty()) {
            std::filesystem::remove_all(dir);
        }
    }
    std::filesystem::path dir;
    std::unique_ptr<server::LocalOrg> org;
    std::unique_ptr<server::HttpServer> http;
};

const std::string kTokenBody =
    "grant_type=client_credentials&client_id=3MVG9local.key&client_secret=local-secret";

void BM_TokenClientCredentials(benchmark::State& state) {
    OrgFixture f(false);
    test::RawConnection c(f.http->Port());
    const std::string req = bench::RawRequest("POST",
                                              "/services/oauth2/token",
                                              {"Content-Type: application/x-www-form-urlencoded"},
                                              kTokenBody);
    for (auto _ : state) {
        auto r = c.Exchange(req);
        if (r.status != 200) {
            state.SkipWithError(("token failed: " + r.body).c_str());
            break;
        }
    }
}
BENCHMARK(BM_TokenClientCredentials)->UseRealTime();

void AccountCreates(benchmark::State& state, bool on_disk) {
    OrgFixture f(on_disk);
    test::RawConnection c(f.http->Port());
    auto tok = c.Exchange(bench::RawRequest("POST",
                                            "/services/oauth2/token",
                                            {"Content-Type: application/x-www-form-urlencoded"},
                                            kTokenBody));
    if (tok.status != 200) {
        state.SkipWithError(("token failed: " + tok.body).c_str());
        return;
    }
    const std::string token(boost::json::parse(tok.body).at("access_token").as_string());
    const std::string req = bench::RawRequest(
        "POST",
        "/services/data/v60.0/sobjects/Account/",
        {"Authorization: Bearer " + token, "Content-Type: application/json"},
        R"({"Name":"Bench Account","Phone":"1234567890","Website":"https://example.com","BillingCity":"New York"})");
    for (auto _ : state) {
        auto r = c.Exchange(req);
        if (r.status != 201) {
            state.SkipWithError(("create failed: " + r.body).c_str());
            break;
        }
    }
}
void BM_AccountCreateInMemory(benchmark::State& state) {
    AccountCreates(state, false);
}
void BM_AccountCreateDurable(benchmark::State& state) {
    AccountCreates(state, true);
}
BENCHMARK(BM_AccountCreateInMemory)->UseRealTime();
BENCHMARK(BM_AccountCreateDurable)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
    sfkit::bench::CompareTo("BM_TokenClientCredentials", "BM_StaticBaseline/real_time");
    sfkit::bench::CompareTo("BM_AccountCreateInMemory", "BM_StaticBaseline/real_time");
    sfkit::bench::CompareTo("BM_AccountCreateDurable", "BM_StaticBaseline/real_time");
    return sfkit::bench::RunAndReport(argc, argv);
}
