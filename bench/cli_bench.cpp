// `sfkit get` end to end (process start, stored login, HTTP, output) against `curl` doing the
// same GET with the same token, both as fresh processes against one local org.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include "bench_support.hpp"
#include "support/subprocess.hpp"

namespace {

using namespace sfkit::test;

struct Env {
    Env() : serve(std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json") {
        config = std::filesystem::temp_directory_path() /
                 ("sfkit-cli-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(config);
        options.env["XDG_CONFIG_HOME"] = config.string();
        auto login = RunProcess({SFKIT_BINARY,
                                 "login",
                                 "password",
                                 "--login-url",
                                 serve.BaseUrl(),
                                 "--client-id",
                                 "3MVG9local.key",
                                 "--client-secret",
                                 "local-secret",
                                 "--username",
                                 "admin@acme.test",
                                 "--password",
                                 "Passw0rd!",
                                 "--security-token",
                                 "TOKEN123",
                                 "--alias",
                                 "bench",
                                 "--json"},
                                options);
        ok = login.exit_code == 0;
        auto created = RunProcess({SFKIT_BINARY,
                                   "create",
                                   "Account",
                                   "-o",
                                   "bench",
                                   "--json",
                                   "--data",
                                   R"({"Name":"Bench","Phone":"1234567890"})"},
                                  options);
        ok = ok && created.exit_code == 0;
        if (ok) {
            id = std::string(boost::json::parse(created.out).at("result").at("id").as_string());
        }
        // The token curl uses: the one the CLI stored (so both send the same session).
        for (const auto& entry : std::filesystem::recursive_directory_iterator(config)) {
            if (entry.path().filename() == "bench.json") {
                std::ifstream in(entry.path());
                std::stringstream ss;
                ss << in.rdbuf();
                token = std::string(boost::json::parse(ss.str()).at("accessToken").as_string());
            }
        }
        ok = ok && !token.empty();
    }
    ~Env() { std::filesystem::remove_all(config); }
    ServeProcess serve;
    std::filesystem::path config;
    ProcessOptions options;
    std::string id;
    std::string token;
    bool ok = false;
};

Env& TheEnv() {
    static Env env;
    return env;
}

void BM_CurlGet(benchmark::State& state) {
    Env& env = TheEnv();
    if (!env.ok) {
        state.SkipWithError("setup failed");
        return;
    }
    const std::string url = env.serve.BaseUrl() + "/services/data/v60.0/sobjects/Account/" + env.id;
    for (auto _ : state) {
        auto r = RunProcess(
            {"/usr/bin/curl", "-s", "-f", "-H", "Authorization: Bearer " + env.token, url});
        if (r.exit_code != 0) {
            state.SkipWithError("curl failed");
            break;
        }
    }
}
BENCHMARK(BM_CurlGet)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_SfkitGet(benchmark::State& state) {
    Env& env = TheEnv();
    if (!env.ok) {
        state.SkipWithError("setup failed");
        return;
    }
    for (auto _ : state) {
        auto r = RunProcess({SFKIT_BINARY, "get", "Account", env.id, "-o", "bench", "--json"},
                            env.options);
        if (r.exit_code != 0) {
            state.SkipWithError(("sfkit get failed: " + r.err).c_str());
            break;
        }
    }
}
BENCHMARK(BM_SfkitGet)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    sfkit::bench::CompareTo("BM_SfkitGet", "BM_CurlGet/real_time");
    return sfkit::bench::RunAndReport(argc, argv);
}
