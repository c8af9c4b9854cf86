// Single-record REST throughput of the local org over keep-alive connections: create (POST),
// read (GET) and update (PATCH) of Accounts, at 1 connection and at 32 connections (one client
// thread and one keep-alive connection each). Every figure is a ratio to a static-response
// server on the same HTTP stack, measured the same way (same connection count, same batch
// sizes) in the same run. The org is on disk with synchronous=FULL, as `sfkit serve` runs it;
// the in-memory variants show what the disk costs.
#include <atomic>
#include <barrier>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "bench_support.hpp"
#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "support/raw_http.hpp"

namespace {

using namespace sfkit;
using Clock = std::chrono::steady_clock;

constexpr unsigned kServerThreads = 4;      // `sfkit serve` default
constexpr int kRequestsPerConnection = 25;  // per connection per benchmark iteration
constexpr int kPreloadedAccounts = 200;

/// Builds the request a connection sends for its `n`-th call.
using RequestMaker = std::function<std::string(int connection, int n)>;

/// `connections` client threads, each with its own keep-alive connection, kept for the whole
/// benchmark. Each Round() has every thread send `kRequestsPerConnection` requests back to back
/// and returns the wall time from the common start until the last answer.
class ClientPool {
public:
    ClientPool(std::uint16_t port, int connections, RequestMaker make, int expected_status)
        : make_(std::move(make)),
          expected_(expected_status),
          start_(connections + 1),
          done_(connections + 1) {
        for (int c = 0; c < connections; ++c) {
            conns_.push_back(std::make_unique<test::RawConnection>(port));
        }
        for (int c = 0; c < connections; ++c) {
            threads_.emplace_back([this, c] { Work(c); });
        }
    }
    ~ClientPool() {
        stop_ = true;
        start_.arrive_and_wait();
        for (auto& t : threads_) {
            t.join();
        }
    }
    double Round() {
        const auto t0 = Clock::now();
        start_.arrive_and_wait();
        done_.arrive_and_wait();
        return std::chrono::duration<double>(Clock::now() - t0).count();
    }
    int Connections() const { return static_cast<int>(conns_.size()); }
    bool Failed() const { return failures_.load() > 0; }
    std::string FirstFailure() const { return first_failure_; }

private:
    void Work(int c) {
        int n = 0;
        for (;;) {
            start_.arrive_and_wait();
            if (stop_) {
                return;
            }
            for (int i = 0; i < kRequestsPerConnection; ++i) {
                auto r = conns_[c]->Exchange(make_(c, n++));
                if (r.status != expected_ && failures_.fetch_add(1) == 0) {
                    first_failure_ = std::to_string(r.status) + " " + r.body;
                }
            }
            done_.arrive_and_wait();
        }
    }
    RequestMaker make_;
    int expected_;
    std::vector<std::unique_ptr<test::RawConnection>> conns_;
    std::vector<std::thread> threads_;
    std::barrier<> start_;
    std::barrier<> done_;
    std::atomic<bool> stop_{false};
    std::atomic<int> failures_{0};
    std::string first_failure_;
};

void Drive(benchmark::State& state, ClientPool& pool) {
    for (auto _ : state) {
        state.SetIterationTime(pool.Round());
        if (pool.Failed()) {
            state.SkipWithError(("request failed: " + pool.FirstFailure()).c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * pool.Connections() * kRequestsPerConnection);
}

// ---- baseline --------------------------------------------------------------------------------

void BM_StaticBaseline(benchmark::State& state) {
    server::HttpServerOptions o;
    o.port = 0;
    o.threads = kServerThreads;
    server::HttpServer srv(o, [](const server::Request&) {
        server::Response r;
        r.SetHeader("Content-Type", "application/json;charset=UTF-8");
        r.body = R"({"id":"001Lo000000000AAA","success":true,"errors":[]})";
        return r;
    });
    srv.Start();
    const std::string req = bench::RawRequest("GET", "/static", {}, "");
    {
        ClientPool pool(
            srv.Port(), static_cast<int>(state.range(0)), [&](int, int) { return req; }, 200);
        Drive(state, pool);
    }
    srv.Stop();
}

// ---- the org ---------------------------------------------------------------------------------

struct Org {
    explicit Org(bool on_disk) {
        server::LocalOrgOptions o;
        if (on_disk) {
            dir = std::filesystem::temp_directory_path() /
                  ("sfkit-rest-bench-" + std::to_string(::getpid()));
            std::filesystem::remove_all(dir);
            o.data_dir = dir.string();
        } else {
            o.in_memory = true;
        }
        o.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
        o.api_daily_limit = 1LL << 40;  // the bench makes far more calls than a day allows
        org = std::make_unique<server::LocalOrg>(o);
        server::HttpServerOptions h;
        h.port = 0;
        h.threads = kServerThreads;
        http = std::make_unique<server::HttpServer>(
            h, [this](const server::Request& r) { return org->Handle(r); });
        http->Start();

        test::RawConnection c(http->Port());
        auto tok = c.Exchange(bench::RawRequest(
            "POST",
            "/services/oauth2/token",
            {"Content-Type: application/x-www-form-urlencoded"},
            "grant_type=client_credentials&client_id=3MVG9local.key&client_secret=local-secret"));
        if (tok.status != 200) {
            throw std::runtime_error("token failed: " + tok.body);
        }
        auth = "Authorization: Bearer " +
               std::string(boost::json::parse(tok.body).at("access_token").as_string());
        for (int i = 0; i < kPreloadedAccounts; ++i) {
            auto r = c.Exchange(Create(i));
            if (r.status != 201) {
                throw std::runtime_error("preload failed: " + r.body);
            }
            ids.emplace_back(boost::json::parse(r.body).at("id").as_string());
        }
    }
    ~Org() {
        http->Stop();
        http.reset();
        org.reset();
        if (!dir.empty()) {
            std::filesystem::remove_all(dir);
        }
    }
    std::string Create(int n) const {
        return bench::RawRequest("POST",
                                 "/services/data/v60.0/sobjects/Account/",
                                 {auth, "Content-Type: application/json"},
                                 R"({"Name":"Bench Account )" + std::to_string(n) +
                                     R"(","Phone":"1234567890","Website":"https://example.com",)"
                                     R"("BillingCity":"New York"})");
    }
    /// Connections touch different records: connection c uses ids c, c+32, c+64, ...
    const std::string& IdFor(int connection, int n) const {
        return ids[static_cast<std::size_t>(connection + 32 * n) % ids.size()];
    }
    std::filesystem::path dir;
    std::unique_ptr<server::LocalOrg> org;
    std::unique_ptr<server::HttpServer> http;
    std::string auth;
    std::vector<std::string> ids;
};

void Creates(benchmark::State& state, bool on_disk) {
    Org org(on_disk);
    ClientPool pool(
        org.http->Port(),
        static_cast<int>(state.range(0)),
        [&](int c, int n) { return org.Create(c * 1000000 + n); },
        201);
    Drive(state, pool);
}

void Reads(benchmark::State& state, bool on_disk) {
    Org org(on_disk);
    ClientPool pool(
        org.http->Port(),
        static_cast<int>(state.range(0)),
        [&](int c, int n) {
            return bench::RawRequest(
                "GET", "/services/data/v60.0/sobjects/Account/" + org.IdFor(c, n), {org.auth}, "");
        },
        200);
    Drive(state, pool);
}

void Updates(benchmark::State& state, bool on_disk) {
    Org org(on_disk);
    ClientPool pool(
        org.http->Port(),
        static_cast<int>(state.range(0)),
        [&](int c, int n) {
            return bench::RawRequest("PATCH",
                                     "/services/data/v60.0/sobjects/Account/" + org.IdFor(c, n),
                                     {org.auth, "Content-Type: application/json"},
                                     R"({"Phone":")" + std::to_string(n) + R"(","Rating":"Hot"})");
        },
        204);
    Drive(state, pool);
}

void BM_Create(benchmark::State& state) {
    Creates(state, true);
}
void BM_Read(benchmark::State& state) {
    Reads(state, true);
}
void BM_Update(benchmark::State& state) {
    Updates(state, true);
}
void BM_CreateInMemory(benchmark::State& state) {
    Creates(state, false);
}
void BM_UpdateInMemory(benchmark::State& state) {
    Updates(state, false);
}

void Configure(benchmark::internal::Benchmark* b) {
    b->ArgName("conns")->Arg(1)->Arg(32)->UseManualTime();
}

BENCHMARK(BM_StaticBaseline)->Apply(Configure);
BENCHMARK(BM_Create)->Apply(Configure);
BENCHMARK(BM_Read)->Apply(Configure);
BENCHMARK(BM_Update)->Apply(Configure);
BENCHMARK(BM_CreateInMemory)->Apply(Configure);
BENCHMARK(BM_UpdateInMemory)->Apply(Configure);

}  // namespace

int main(int argc, char** argv) {
    for (const char* conns : {"1", "32"}) {
        const std::string suffix = std::string("/conns:") + conns + "/";
        const std::string base = "BM_StaticBaseline" + suffix + "manual_time";
        for (const char* name :
             {"BM_Create", "BM_Read", "BM_Update", "BM_CreateInMemory", "BM_UpdateInMemory"}) {
            sfkit::bench::CompareTo(name + suffix, base);
        }
    }
    return sfkit::bench::RunAndReport(argc, argv);
}
