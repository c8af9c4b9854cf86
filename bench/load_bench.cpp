// The issue-10 load benchmark: the local org under wrk, beside two static baselines measured in the
// same run (nginx answering a fixed JSON body, and a static handler on sfkit's own HTTP stack).
//
// It starts, in this process, a durable on-disk org (synchronous=FULL, as `sfkit serve` runs it),
// an in-memory org (to show what the disk costs) and the same-stack static server, each on a free
// 127.0.0.1 port; and, when installed, nginx as a child process with a generated config. For
// every figure it runs wrk (1 thread, keep-alive connections, a generated Lua script for bodies,
// auth headers and the latency percentiles) and prints one table in the shape of issue 10's, with
// the goals beside each row, the group-commit curve and the RSS at the end. Run:
// scripts/bench.sh (or build/release/bench/load_bench --help). Timings are never test verdicts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_support.hpp"
#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"

extern char** environ;

namespace {

using namespace sfkit;
using bench::RawRequest;
namespace fs = std::filesystem;

constexpr const char* kStaticBody = R"({"id":"001Lo000000000AAA","success":true,"errors":[]})";
constexpr const char* kApi = "/services/data/v60.0";
constexpr const char* kTokenBody =
    "grant_type=client_credentials&client_id=3MVG9local.key&client_secret=local-secret";
constexpr int kPreloadedAccounts = 100;

// ---- options ---------------------------------------------------------------------------------

struct Options {
    int duration_s = 5;
    int connections = 32;
    int mixed_connections = 64;
    unsigned server_threads = std::max(1U, std::thread::hardware_concurrency());
    unsigned write_threads = 0;  ///< the org's write pool; 0: the server's default (64)
    std::string nginx_workers = "auto";
    bool nginx = true;
    bool curve = true;
    bool in_memory = true;
    std::string only;  ///< one row (static|token|get|create|soql|mixed) alone, for profiling
    /// --engines: the mixed row on SQLite, PostgreSQL one node, two nodes behind nginx.
    bool engines = false;
    int rounds = 1;        ///< --engines: the configurations measured in turn, this many times
    std::string database;  ///< --engines: a PostgreSQL server to use instead of a new cluster
    std::string pg_dir;    ///< --engines: where the new cluster lives
    bool pg_fast = true;   ///< --engines: also PostgreSQL without fsync (for scale)
    bool Want(const std::string& row) const { return only.empty() || only == row; }
};

void Usage() {
    std::printf(
        "load_bench: the local org under wrk beside nginx and a same-stack static server.\n"
        "  --duration N[s]        seconds per figure (default 5; wrk takes whole seconds)\n"
        "  --connections N        keep-alive connections per figure (default 32)\n"
        "  --mixed-connections N  connections for the mixed row (default 64)\n"
        "  --threads N            server I/O threads (default: this machine's cores)\n"
        "  --write-threads N      the org's write pool (default 0: the server's, 64)\n"
        "  --nginx-workers W      nginx worker_processes: a number or auto (default auto)\n"
        "  --no-nginx             skip the nginx baseline\n"
        "  --quick                skip the group-commit curve and the in-memory org\n"
        "  --only ROW             static|token|get|create|soql|mixed alone (profiling)\n"
        "  --engines              the mixed row on SQLite, PostgreSQL (one node, one node\n"
        "                         behind nginx, two nodes behind a round-robin nginx), with\n"
        "                         ratios to SQLite; starts a durable cluster (pg-cluster.sh)\n"
        "  --rounds N             --engines: measure every configuration N times in turn\n"
        "                         and print medians (default 1)\n"
        "  --database URI         --engines: use this PostgreSQL server (databases\n"
        "                         sfkit_bench_pg1/pg2 are created there and dropped)\n"
        "  --pg-dir DIR           --engines: where to put the new cluster (default /tmp)\n"
        "  --no-pg-fast           --engines: skip the extra run with fsync off\n");
}

Options ParseArgs(int argc, char** argv) {
    Options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) {
            throw std::runtime_error(std::string("missing value for ") + argv[i]);
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--duration") {
            std::string v = value(i);
            if (!v.empty() && v.back() == 's') {
                v.pop_back();
            }
            o.duration_s = std::max(1, static_cast<int>(std::stod(v) + 0.5));
        } else if (a == "--connections") {
            o.connections = std::stoi(value(i));
        } else if (a == "--mixed-connections") {
            o.mixed_connections = std::stoi(value(i));
        } else if (a == "--threads") {
            o.server_threads = static_cast<unsigned>(std::stoul(value(i)));
        } else if (a == "--write-threads") {
            o.write_threads = static_cast<unsigned>(std::stoul(value(i)));
        } else if (a == "--nginx-workers") {
            o.nginx_workers = value(i);
        } else if (a == "--no-nginx") {
            o.nginx = false;
        } else if (a == "--quick") {
            o.curve = false;
            o.in_memory = false;
        } else if (a == "--only") {
            o.only = value(i);
            o.curve = false;
            o.in_memory = false;
            o.nginx = false;
        } else if (a == "--engines") {
            o.engines = true;
        } else if (a == "--rounds") {
            o.rounds = std::max(1, std::stoi(value(i)));
        } else if (a == "--database") {
            o.database = value(i);
        } else if (a == "--pg-dir") {
            o.pg_dir = value(i);
        } else if (a == "--no-pg-fast") {
            o.pg_fast = false;
        } else if (a == "--help" || a == "-h") {
            Usage();
            std::exit(0);
        } else {
            throw std::runtime_error("unknown argument " + a + " (see --help)");
        }
    }
    return o;
}

// ---- small helpers ---------------------------------------------------------------------------

std::string FindProgram(const std::string& name) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/sbin:/sbin";
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        if (dir.empty()) {
            continue;
        }
        const fs::path p = fs::path(dir) / name;
        if (::access(p.c_str(), X_OK) == 0) {
            return p.string();
        }
    }
    return "";
}

std::uint16_t FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

bool CanConnect(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (fd >= 0) {
        ::close(fd);
    }
    return ok;
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

std::string LoadAverage() {
    std::string s = ReadFile("/proc/loadavg");
    std::istringstream in(s);
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

/// A /proc/self/status field such as VmRSS, in kB.
long StatusKb(const std::string& field) {
    std::istringstream in(ReadFile("/proc/self/status"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::atol(line.c_str() + field.size() + 1);
        }
    }
    return -1;
}

std::string PercentEncode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// ---- wrk Lua scripts -------------------------------------------------------------------------

/// A Lua string literal for arbitrary bytes (long brackets would turn CRLF into LF).
std::string LuaQuote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[8];  // three digits, so a following digit cannot extend the escape
            std::snprintf(esc, sizeof esc, "\\%03u", static_cast<unsigned>(c));
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

/// What a wrk connection sends: groups of ready-made raw requests, and a schedule of group
/// numbers (0-based) repeated forever; each group hands out its requests round-robin.
struct Workload {
    std::vector<std::vector<std::string>> groups;
    std::vector<int> schedule;
};

/// The wrk script for `w`: requests are pre-built (no Lua string work per request) and done()
/// prints one machine-readable SFKIT_RESULT line with the latency percentiles in microseconds.
std::string WrkScript(const Workload& w) {
    std::string lua = "-- generated by load_bench\nlocal groups = {\n";
    for (const auto& g : w.groups) {
        lua += "  {\n";
        for (const auto& r : g) {
            lua += "    " + LuaQuote(r) + ",\n";
        }
        lua += "  },\n";
    }
    lua += "}\nlocal schedule = {";
    for (std::size_t i = 0; i < w.schedule.size(); ++i) {
        lua += (i ? "," : "") + std::to_string(w.schedule[i] + 1);
    }
    lua += R"(}
local next_in_group = {}
for i = 1, #groups do next_in_group[i] = 0 end
local n = 0
request = function()
  n = n % #schedule + 1
  local g = schedule[n]
  local k = next_in_group[g] % #groups[g] + 1
  next_in_group[g] = k
  return groups[g][k]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SFKIT_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
)";
    return lua;
}

// ---- running wrk -----------------------------------------------------------------------------

struct Figure {
    double rps = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    long long requests = 0;
    long long status_errors = 0;
    long long socket_errors = 0;
    std::optional<double> commits_per_fsync;
    bool ok = false;
};

class Wrk {
public:
    Wrk(std::string binary, fs::path dir, int duration_s)
        : binary_(std::move(binary)), dir_(std::move(dir)), duration_s_(duration_s) {}

    Figure Run(const std::string& label, std::uint16_t port, const Workload& w, int connections) {
        const fs::path script = dir_ / ("wrk-" + std::to_string(scripts_++) + ".lua");
        WriteFile(script, WrkScript(w));
        test::ProcessOptions po;
        po.timeout = std::chrono::seconds(duration_s_ + 60);
        const auto res = test::RunProcess({binary_,
                                           "-t1",
                                           "-c" + std::to_string(connections),
                                           "-d" + std::to_string(duration_s_) + "s",
                                           "--timeout",
                                           "10s",
                                           "-s",
                                           script.string(),
                                           "http://127.0.0.1:" + std::to_string(port) + "/"},
                                          po);
        Figure f;
        const auto at = res.out.find("SFKIT_RESULT ");
        if (res.exit_code != 0 || at == std::string::npos) {
            std::fprintf(stderr,
                         "load_bench: wrk failed for %s (exit %d): %s%s\n",
                         label.c_str(),
                         res.exit_code,
                         res.out.c_str(),
                         res.err.c_str());
            return f;
        }
        std::map<std::string, long long> kv;
        std::istringstream in(res.out.substr(at + 13));
        std::string tok;
        while (in >> tok) {
            const auto eq = tok.find('=');
            if (eq == std::string::npos) {
                break;
            }
            kv[tok.substr(0, eq)] = std::atoll(tok.c_str() + eq + 1);
        }
        f.requests = kv["requests"];
        f.status_errors = kv["status_errors"];
        f.socket_errors = kv["socket_errors"];
        f.rps = kv["duration_us"] > 0 ? f.requests * 1e6 / kv["duration_us"] : 0;
        f.p50_ms = kv["p50_us"] / 1000.0;
        f.p99_ms = kv["p99_us"] / 1000.0;
        f.ok = f.requests > 0 && f.status_errors == 0;
        if (f.status_errors > 0 || f.socket_errors > 0) {
            std::fprintf(stderr,
                         "load_bench: %s: %lld non-2xx/3xx answers, %lld socket errors of %lld\n",
                         label.c_str(),
                         f.status_errors,
                         f.socket_errors,
                         f.requests);
        }
        std::fprintf(stderr,
                     "  %-40s %5d conns %10.0f req/s  p50 %7.2f ms  p99 %7.2f ms\n",
                     label.c_str(),
                     connections,
                     f.rps,
                     f.p50_ms,
                     f.p99_ms);
        return f;
    }

private:
    std::string binary_;
    fs::path dir_;
    int duration_s_;
    int scripts_ = 0;
};

// ---- the servers -----------------------------------------------------------------------------

/// nginx as a child process with a config generated into `dir`/`name`; stopped by the
/// destructor. With no `upstreams` it answers every request with kStaticBody (the baseline);
/// with upstreams it is a round-robin reverse proxy to them (keep-alive connections to the
/// upstreams; nginx picks the next upstream for every request, not every connection).
class Nginx {
public:
    Nginx(const std::string& binary,
          const fs::path& dir,
          const std::string& workers,
          const std::string& name = "nginx",
          const std::vector<std::uint16_t>& upstreams = {}) {
        port_ = FreePort();
        const fs::path home = dir / name;
        const std::string d = home.string();
        fs::create_directories(home);
        std::string location;
        std::string upstream;
        if (upstreams.empty()) {
            location =
                "      default_type \"application/json;charset=UTF-8\";\n"
                "      return 200 '" +
                std::string(kStaticBody) + "';\n";
        } else {
            upstream = "  upstream sfkit_nodes {\n";
            for (const auto p : upstreams) {
                upstream += "    server 127.0.0.1:" + std::to_string(p) + ";\n";
            }
            upstream += "    keepalive 256;\n    keepalive_requests 100000000;\n  }\n";
            location =
                "      proxy_pass http://sfkit_nodes;\n"
                "      proxy_http_version 1.1;\n"
                "      proxy_set_header Connection \"\";\n"
                "      proxy_set_header Host $http_host;\n"
                "      proxy_buffering off;\n"
                "      proxy_request_buffering off;\n"
                "      client_max_body_size 0;\n";
        }
        const std::string conf = "worker_processes " + workers + ";\n" + "daemon off;\n" + "pid " +
                                 d + "/nginx.pid;\n" + "error_log " + d + "/error.log warn;\n" +
                                 "events { worker_connections 4096; }\n"
                                 "http {\n"
                                 "  access_log off;\n"
                                 "  client_body_temp_path " +
                                 d + "/body;\n" + "  proxy_temp_path " + d + "/proxy;\n" +
                                 "  keepalive_requests 100000000;\n"
                                 "  keepalive_timeout 120s;\n" +
                                 upstream +
                                 "  server {\n"
                                 "    listen 127.0.0.1:" +
                                 std::to_string(port_) +
                                 ";\n"
                                 "    location / {\n" +
                                 location +
                                 "    }\n"
                                 "  }\n"
                                 "}\n";
        WriteFile(home / "nginx.conf", conf);
        const std::string prefix = d + "/";
        const std::string conf_path = prefix + "nginx.conf";
        const std::string err_path = prefix + "error.log";
        std::vector<std::string> args = {binary, "-p", prefix, "-c", conf_path, "-e", err_path};
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        if (posix_spawn(&pid_, binary.c_str(), &fa, nullptr, argv.data(), environ) != 0) {
            pid_ = -1;
        }
        posix_spawn_file_actions_destroy(&fa);
        for (int i = 0; i < 100 && pid_ > 0 && !CanConnect(port_); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (pid_ <= 0 || !CanConnect(port_)) {
            Stop();
            throw std::runtime_error("nginx did not start: " + ReadFile(err_path));
        }
    }
    ~Nginx() { Stop(); }
    std::uint16_t Port() const { return port_; }

private:
    void Stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);  // the master stops its workers
            int st = 0;
            ::waitpid(pid_, &st, 0);
            pid_ = -1;
        }
    }
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

std::unique_ptr<server::HttpServer> StaticServer(unsigned threads) {
    server::HttpServerOptions o;
    o.port = 0;
    o.threads = threads;
    auto s = std::make_unique<server::HttpServer>(o, [](const server::Request&) {
        server::Response r;
        r.SetHeader("Content-Type", "application/json;charset=UTF-8");
        r.body = kStaticBody;
        return r;
    });
    s->Start();
    return s;
}

// ---- commits per fsync -----------------------------------------------------------------------

struct WriteCounters {
    long long transactions = 0;  ///< write transactions committed (each one fsync)
    long long commits = 0;       ///< acknowledged writes they carried
};

/// The record store's counters: every Atomically() unit is one acknowledged write, every
/// COMMIT one fsync (synchronous=FULL), so writes per fsync shows how well group commit groups.
std::optional<WriteCounters> ReadWriteCounters(server::LocalOrg& org) {
    const auto w = org.RecordWrites();
    return WriteCounters{static_cast<long long>(w.commits), static_cast<long long>(w.transactions)};
}

/// Runs `run` and fills in its commits per fsync from the write counters around it.
template <typename F>
Figure WithWriteStats(server::LocalOrg& org, F run) {
    const auto before = ReadWriteCounters(org);
    Figure f = run();
    const auto after = ReadWriteCounters(org);
    if (before && after && after->transactions > before->transactions) {
        f.commits_per_fsync = static_cast<double>(after->commits - before->commits) /
                              static_cast<double>(after->transactions - before->transactions);
    }
    return f;
}

// ---- an org under test -----------------------------------------------------------------------

/// One org node: a LocalOrg and its HTTP server, in this process.
struct Node {
    std::unique_ptr<server::LocalOrg> org;
    std::unique_ptr<server::HttpServer> http;
};

Node StartNode(const std::optional<fs::path>& dir,
               const std::string& database,
               unsigned threads,
               unsigned write_threads) {
    server::LocalOrgOptions o;
    if (dir) {
        o.data_dir = dir->string();
    } else {
        o.in_memory = true;
    }
    o.database = database;  // PostgreSQL: data_dir only holds the node's files
    o.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
    o.api_daily_limit = 1LL << 50;  // far more calls than a day allows
    Node n;
    n.org = std::make_unique<server::LocalOrg>(o);
    server::HttpServerOptions h;
    h.port = 0;
    h.threads = threads;
    h.write_threads = write_threads;
    server::LocalOrg* org = n.org.get();
    n.http = std::make_unique<server::HttpServer>(
        h, [org](const server::Request& r) { return org->Handle(r); });
    n.http->Start();
    return n;
}

void StopNode(Node& n) {
    if (n.http) {
        n.http->Stop();
        n.http.reset();
    }
    n.org.reset();
}

struct OrgUnderTest {
    /// `database` empty: SQLite in `dir` (in memory without one); else the PostgreSQL target.
    OrgUnderTest(const std::optional<fs::path>& dir,
                 unsigned threads,
                 unsigned write_threads,
                 const std::string& database = "")
        : threads_(threads), write_threads_(write_threads), database_(database) {
        Node n = StartNode(dir, database, threads, write_threads);
        org = std::move(n.org);
        http = std::move(n.http);

        test::RawConnection c(http->Port());
        auto tok = c.Exchange(TokenRequest());
        if (tok.status != 200) {
            throw std::runtime_error("token failed: " + tok.body);
        }
        auth = "Authorization: Bearer " +
               std::string(boost::json::parse(tok.body).at("access_token").as_string());
        for (int i = 0; i < kPreloadedAccounts; ++i) {
            auto r = c.Exchange(Create("Preloaded " + std::to_string(i)));
            if (r.status != 201) {
                throw std::runtime_error("preload failed: " + r.body);
            }
            ids.emplace_back(boost::json::parse(r.body).at("id").as_string());
        }
    }
    ~OrgUnderTest() {
        for (auto& n : more) {
            StopNode(n);
        }
        http->Stop();
        http.reset();
        org.reset();
    }
    /// Another node of the same PostgreSQL org (its own data dir for its files), as a second
    /// `sfkit serve --database` would be; its port is Ports()[1], ...
    void AddNode(const fs::path& dir) {
        more.push_back(StartNode(dir, database_, threads_, write_threads_));
    }
    std::vector<std::uint16_t> Ports() const {
        std::vector<std::uint16_t> out = {http->Port()};
        for (const auto& n : more) {
            out.push_back(n.http->Port());
        }
        return out;
    }
    std::vector<server::LocalOrg*> Orgs() const {
        std::vector<server::LocalOrg*> out = {org.get()};
        for (const auto& n : more) {
            out.push_back(n.org.get());
        }
        return out;
    }
    static std::string TokenRequest() {
        return RawRequest("POST",
                          "/services/oauth2/token",
                          {"Content-Type: application/x-www-form-urlencoded"},
                          kTokenBody);
    }
    std::string Create(const std::string& name) const {
        return RawRequest("POST",
                          std::string(kApi) + "/sobjects/Account/",
                          {auth, "Content-Type: application/json"},
                          R"({"Name":")" + name +
                              R"(","Phone":"1234567890","Website":"https://example.com",)"
                              R"("BillingCity":"New York"})");
    }
    std::vector<std::string> Gets() const {
        std::vector<std::string> out;
        for (const auto& id : ids) {
            out.push_back(RawRequest("GET", std::string(kApi) + "/sobjects/Account/" + id, {auth}));
        }
        return out;
    }
    std::vector<std::string> Queries() const {
        std::vector<std::string> out;
        for (const auto& id : ids) {
            const std::string q = "SELECT Id, Name, Phone FROM Account WHERE Id = '" + id + "'";
            out.push_back(
                RawRequest("GET", std::string(kApi) + "/query?q=" + PercentEncode(q), {auth}));
        }
        return out;
    }
    std::uint16_t Port() const { return http->Port(); }

    std::unique_ptr<server::LocalOrg> org;
    std::unique_ptr<server::HttpServer> http;
    std::vector<Node> more;  ///< further nodes of a PostgreSQL org
    std::string auth;
    std::vector<std::string> ids;

private:
    unsigned threads_;
    unsigned write_threads_;
    std::string database_;
};

// ---- the table -------------------------------------------------------------------------------

struct Row {
    std::string operation;
    int connections = 0;
    Figure f;
    std::string goal;  ///< e.g. ">= 0.40" (ratio to nginx) or "p99 <= 10 ms"
    std::optional<double> min_ratio;
    std::optional<double> max_p99_ms;
};

std::string Fmt(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

void PrintTable(const std::vector<Row>& rows,
                const Figure& nginx,
                const Figure& same_stack,
                bool have_nginx) {
    std::printf(
        "\n| operation | conns | req/s | / nginx | / same-stack static | p50 ms | p99 ms | "
        "commits/fsync | goal | met |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows) {
        const double vs_nginx = have_nginx && nginx.rps > 0 ? r.f.rps / nginx.rps : 0;
        const double vs_static = same_stack.rps > 0 ? r.f.rps / same_stack.rps : 0;
        std::string met = "";
        if (!r.f.ok) {
            met = "FAILED";
        } else if (r.min_ratio) {
            met = !have_nginx ? "(no nginx)" : vs_nginx >= *r.min_ratio ? "yes" : "no";
        } else if (r.max_p99_ms) {
            met = r.f.p99_ms <= *r.max_p99_ms ? "yes" : "no";
        }
        std::string cpf = "n/a";
        if (r.f.commits_per_fsync) {
            cpf = Fmt("%.1f", *r.f.commits_per_fsync);
        }
        std::printf("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    r.operation.c_str(),
                    r.connections,
                    Fmt("%.0f", r.f.rps).c_str(),
                    have_nginx ? Fmt("%.3f", vs_nginx).c_str() : "n/a",
                    Fmt("%.3f", vs_static).c_str(),
                    Fmt("%.2f", r.f.p50_ms).c_str(),
                    Fmt("%.2f", r.f.p99_ms).c_str(),
                    cpf.c_str(),
                    r.goal.c_str(),
                    met.c_str());
    }
}

// ---- --engines: SQLite vs PostgreSQL, one node and two ----------------------------------------

/// Writes and commits summed over `orgs` around `run` (two nodes: both nodes' writes).
template <typename F>
Figure WithWriteStats(const std::vector<server::LocalOrg*>& orgs, F run) {
    WriteCounters before, after;
    for (auto* o : orgs) {
        const auto c = ReadWriteCounters(*o);
        before.transactions += c ? c->transactions : 0;
        before.commits += c ? c->commits : 0;
    }
    Figure f = run();
    for (auto* o : orgs) {
        const auto c = ReadWriteCounters(*o);
        after.transactions += c ? c->transactions : 0;
        after.commits += c ? c->commits : 0;
    }
    if (after.transactions > before.transactions) {
        f.commits_per_fsync = static_cast<double>(after.commits - before.commits) /
                              static_cast<double>(after.transactions - before.transactions);
    }
    return f;
}

double Median(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// 60% GET, 20% create, 20% query, interleaved (the mixed row's workload).
Workload Mixed(const OrgUnderTest& org) {
    return Workload{{org.Gets(), {org.Create("Mixed Account")}, org.Queries()},
                    {0, 1, 0, 2, 0, 0, 1, 0, 2, 0}};
}

struct EngineConfig {
    std::string name;
    std::uint16_t port = 0;
    std::vector<server::LocalOrg*> orgs;
    Workload load;
    std::vector<Figure> figs;
    bool scale_only = false;  ///< not durable: shown for scale, not compared
};

int EnginesMain(const Options& opt,
                const std::string& wrk,
                const std::string& nginx_bin,
                const fs::path& dir) {
    if (nginx_bin.empty()) {
        std::fprintf(stderr,
                     "load_bench --engines: the two-node row needs nginx as the round-robin "
                     "proxy (apt-get install nginx-light)\n");
        return 77;
    }
    const std::string load_before = LoadAverage();
    Wrk driver(wrk, dir, opt.duration_s);
    const int c = opt.mixed_connections;

    // The PostgreSQL server: a new durable cluster unless one was given.
    std::unique_ptr<bench::PgCluster> cluster;
    std::string server_uri = opt.database;
    if (server_uri.empty()) {
        const std::string pg_dir = !opt.pg_dir.empty()
                                       ? opt.pg_dir
                                       : "/tmp/sfkit-load-bench-pg-" + std::to_string(::getpid());
        std::fprintf(
            stderr, "load_bench: starting a durable PostgreSQL cluster in %s\n", pg_dir.c_str());
        cluster = std::make_unique<bench::PgCluster>(pg_dir, /*durable=*/true);
        server_uri = cluster->Uri();
    }
    const std::vector<std::string> dbs = {"sfkit_bench_pg1", "sfkit_bench_pg2"};
    for (const auto& db : dbs) {
        bench::Psql(server_uri, "DROP DATABASE IF EXISTS " + db);
        bench::Psql(server_uri, "CREATE DATABASE " + db);
    }
    struct DropDbs {
        std::string uri;
        std::vector<std::string> dbs;
        bool owned;
        ~DropDbs() {
            if (owned) {
                return;  // the cluster goes away whole
            }
            for (const auto& db : dbs) {
                try {
                    bench::Psql(uri, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "load_bench: %s\n", e.what());
                }
            }
        }
    };
    auto setting = [&](const std::string& name) {
        std::string v = bench::Psql(server_uri, "SHOW " + name);
        while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) {
            v.pop_back();
        }
        return v;
    };
    const std::string pg_version = setting("server_version");
    const std::string durability = "fsync=" + setting("fsync") +
                                   ", synchronous_commit=" + setting("synchronous_commit") +
                                   ", full_page_writes=" + setting("full_page_writes");

    Figure nginx_fig;
    {
        Nginx nginx(nginx_bin, dir, opt.nginx_workers);
        nginx_fig = driver.Run("nginx static (baseline)",
                               nginx.Port(),
                               Workload{{{RawRequest("GET", "/static", {})}}, {0}},
                               opt.connections);
    }

    std::vector<EngineConfig> configs;
    {
        OrgUnderTest sqlite(dir / "sqlite", opt.server_threads, opt.write_threads);
        OrgUnderTest pg1(dir / "pg1",
                         opt.server_threads,
                         opt.write_threads,
                         bench::WithDatabase(server_uri, dbs[0]));
        OrgUnderTest pg2(dir / "pg2-a",
                         opt.server_threads,
                         opt.write_threads,
                         bench::WithDatabase(server_uri, dbs[1]));
        pg2.AddNode(dir / "pg2-b");
        DropDbs drop{server_uri, dbs, cluster != nullptr};
        // The same proxy in front of one node separates the proxy's cost from the second
        // node's.
        std::unique_ptr<Nginx> proxy1;
        if (opt.curve) {
            proxy1 = std::make_unique<Nginx>(
                nginx_bin, dir, opt.nginx_workers, "proxy-pg1", pg1.Ports());
        }
        Nginx proxy2(nginx_bin, dir, opt.nginx_workers, "proxy-pg2", pg2.Ports());

        configs.push_back(
            {"SQLite, one node", sqlite.Port(), sqlite.Orgs(), Mixed(sqlite), {}, false});
        configs.push_back({"PostgreSQL, one node", pg1.Port(), pg1.Orgs(), Mixed(pg1), {}, false});
        if (proxy1) {
            configs.push_back({"PostgreSQL, one node behind nginx",
                               proxy1->Port(),
                               pg1.Orgs(),
                               Mixed(pg1),
                               {},
                               false});
        }
        configs.push_back({"PostgreSQL, two nodes behind round-robin nginx",
                           proxy2.Port(),
                           pg2.Orgs(),
                           Mixed(pg2),
                           {},
                           false});
        std::vector<long long> node_writes_before;
        for (auto* o : pg2.Orgs()) {
            node_writes_before.push_back(static_cast<long long>(o->RecordWrites().transactions));
        }
        for (int r = 0; r < opt.rounds; ++r) {
            for (auto& cfg : configs) {
                cfg.figs.push_back(WithWriteStats(cfg.orgs, [&] {
                    return driver.Run(
                        cfg.name + " (round " + std::to_string(r + 1) + ")", cfg.port, cfg.load, c);
                }));
            }
        }
        std::string spread;
        for (std::size_t i = 0; i < pg2.Orgs().size(); ++i) {
            const long long w = static_cast<long long>(pg2.Orgs()[i]->RecordWrites().transactions) -
                                node_writes_before[i];
            spread += (i ? ", node " : "node ") + std::string(1, static_cast<char>('A' + i)) + " " +
                      std::to_string(w);
        }
        std::fprintf(stderr, "load_bench: two-node writes per node: %s\n", spread.c_str());
        configs.back().name += " (writes: " + spread + ")";

        // For scale: the same PostgreSQL without fsync (the test suite's setting), on the
        // cluster this run owns; a reload applies it to open connections.
        if (opt.pg_fast && cluster && opt.curve) {
            for (const char* set : {"ALTER SYSTEM SET fsync = off",
                                    "ALTER SYSTEM SET synchronous_commit = off",
                                    "SELECT pg_reload_conf()"}) {
                bench::Psql(server_uri, set);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            EngineConfig fast{"PostgreSQL, one node, fsync off (not durable, for scale)",
                              pg1.Port(),
                              pg1.Orgs(),
                              Mixed(pg1),
                              {},
                              true};
            for (int r = 0; r < opt.rounds; ++r) {
                fast.figs.push_back(WithWriteStats(
                    fast.orgs, [&] { return driver.Run(fast.name, fast.port, fast.load, c); }));
            }
            configs.push_back(std::move(fast));
            for (const char* set : {"ALTER SYSTEM RESET fsync",
                                    "ALTER SYSTEM RESET synchronous_commit",
                                    "SELECT pg_reload_conf()"}) {
                bench::Psql(server_uri, set);
            }
        }
    }
    const std::string load_after = LoadAverage();

#ifdef NDEBUG
    const char* build = "optimised build";
#else
    const char* build = "DEBUG build: figures are not representative";
#endif
    std::printf(
        "\n## sfkit load benchmark, engines (wrk 1 thread, %d s per figure, %d round%s, %s)\n\n",
        opt.duration_s,
        opt.rounds,
        opt.rounds == 1 ? "" : "s",
        build);
    std::printf(
        "server I/O threads per node: %u; machine cores: %u; load average before: %s, "
        "after: %s\n",
        opt.server_threads,
        std::thread::hardware_concurrency(),
        load_before.c_str(),
        load_after.c_str());
    std::printf("PostgreSQL %s (%s); SQLite WAL, synchronous=FULL\n",
                pg_version.c_str(),
                durability.c_str());
    std::printf("nginx static (worker_processes %s, %d connections): %.0f req/s\n",
                opt.nginx_workers.c_str(),
                opt.connections,
                nginx_fig.rps);
    std::printf(
        "\nMixed load, 60%% GET / 20%% create / 20%% SOQL by Id, %d connections; medians of "
        "%d round%s; ratios to SQLite one node (goal for PostgreSQL one node >= 0.5)\n\n"
        "| configuration | req/s | / SQLite | p50 ms | p99 ms | writes/commit | req/s per round "
        "|\n|---|---|---|---|---|---|---|\n",
        c,
        opt.rounds,
        opt.rounds == 1 ? "" : "s");
    const auto rps_of = [](const EngineConfig& cfg) {
        std::vector<double> v;
        for (const auto& f : cfg.figs) {
            v.push_back(f.rps);
        }
        return v;
    };
    const double sqlite_rps = Median(rps_of(configs.front()));
    bool all_ok = nginx_fig.ok;
    for (const auto& cfg : configs) {
        std::vector<double> p50, p99, wpc;
        std::string per_round;
        for (const auto& f : cfg.figs) {
            all_ok = all_ok && f.ok;
            p50.push_back(f.p50_ms);
            p99.push_back(f.p99_ms);
            if (f.commits_per_fsync) {
                wpc.push_back(*f.commits_per_fsync);
            }
            per_round += (per_round.empty() ? "" : ", ") + Fmt("%.0f", f.rps);
            if (!f.ok) {
                per_round += " FAILED";
            }
        }
        const double rps = Median(rps_of(cfg));
        std::printf("| %s | %.0f | %s | %.2f | %.2f | %s | %s |\n",
                    cfg.name.c_str(),
                    rps,
                    sqlite_rps > 0 ? Fmt("%.3f", rps / sqlite_rps).c_str() : "n/a",
                    Median(p50),
                    Median(p99),
                    wpc.empty() ? "n/a" : Fmt("%.1f", Median(wpc)).c_str(),
                    per_round.c_str());
    }
    if (opt.rounds > 1) {
        std::printf("\nPer-round ratios to SQLite (same round):\n");
        for (std::size_t i = 1; i < configs.size(); ++i) {
            if (configs[i].scale_only) {
                continue;
            }
            std::string line;
            for (int r = 0; r < opt.rounds; ++r) {
                const double base = configs.front().figs[static_cast<std::size_t>(r)].rps;
                line += (r ? ", " : "") +
                        Fmt("%.3f",
                            base > 0 ? configs[i].figs[static_cast<std::size_t>(r)].rps / base : 0);
            }
            std::printf("  %s: %s\n", configs[i].name.c_str(), line.c_str());
        }
    }
    std::printf(
        "\nNodes are LocalOrg + HTTP server in this process (as the other rows), each with its "
        "own PostgreSQL connections; the two-node row's nodes share one database and one "
        "token, and nginx (worker_processes %s) picks the next node for every request.\n",
        opt.nginx_workers.c_str());
    return all_ok ? 0 : 1;
}

int Main(const Options& opt) {
    const std::string wrk = FindProgram("wrk");
    if (wrk.empty()) {
        std::fprintf(stderr, "load_bench: wrk is not installed (apt-get install wrk)\n");
        return 77;  // CTest's skip code
    }
    std::string nginx_bin = opt.nginx ? FindProgram("nginx") : "";
    if (opt.nginx && nginx_bin.empty()) {
        std::fprintf(stderr,
                     "load_bench: nginx is not installed (apt-get install nginx-light); "
                     "ratios to nginx are n/a\n");
    }

    char tmpl[] = "/tmp/sfkit-load-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    const fs::path dir = tmpl;
    struct Cleanup {
        fs::path d;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(d, ec);
        }
    } cleanup{dir};

    if (opt.engines) {
        return EnginesMain(opt, wrk, FindProgram("nginx"), dir);
    }
    const std::string load_before = LoadAverage();
    std::fprintf(stderr,
                 "load_bench: %d s per figure, wrk 1 thread, %u server threads, temp dir %s\n",
                 opt.duration_s,
                 opt.server_threads,
                 dir.c_str());
    Wrk driver(wrk, dir, opt.duration_s);
    const int c = opt.connections;

    // Baselines.
    Figure nginx_fig;
    std::unique_ptr<Nginx> nginx;
    if (!nginx_bin.empty()) {
        nginx = std::make_unique<Nginx>(nginx_bin, dir, opt.nginx_workers);
        nginx_fig = driver.Run("nginx static (baseline)",
                               nginx->Port(),
                               Workload{{{RawRequest("GET", "/static", {})}}, {0}},
                               c);
        nginx.reset();
    }
    const bool have_nginx = nginx_fig.ok;
    Figure static_fig;
    if (opt.only.empty() || opt.only == "static") {
        auto s = StaticServer(opt.server_threads);
        static_fig = driver.Run("same-stack static (baseline)",
                                s->Port(),
                                Workload{{{RawRequest("GET", "/static", {})}}, {0}},
                                c);
        s->Stop();
    }

    std::vector<Row> rows;
    std::vector<std::pair<int, Figure>> curve;
    Figure mixed_in_memory;
    if (opt.only != "static") {
        OrgUnderTest org(dir / "org", opt.server_threads, opt.write_threads);
        server::LocalOrg& o = *org.org;
        if (opt.Want("token")) {
            // A login is a durable write (its session and User.LastLoginDate share one group
            // commit), so it has writes per fsync too.
            const auto token = WithWriteStats(o, [&] {
                return driver.Run(
                    "token, client credentials", org.Port(), {{{org.TokenRequest()}}, {0}}, c);
            });
            rows.push_back({"token, client credentials", c, token, ">= 0.40", 0.40, {}});
        }
        if (opt.Want("get")) {
            const auto get = driver.Run("GET one record", org.Port(), {{org.Gets()}, {0}}, c);
            rows.push_back({"GET one record", c, get, ">= 0.50", 0.50, {}});
        }
        const Workload creates{{{org.Create("Bench Account")}}, {0}};
        Figure create;
        if (opt.Want("create")) {
            create = WithWriteStats(o, [&] {
                return driver.Run("create one Account (durable)", org.Port(), creates, c);
            });
            rows.push_back({"create one Account (durable)", c, create, ">= 0.30", 0.30, {}});
        }
        if (opt.Want("soql")) {
            const auto soql =
                driver.Run("SOQL, one indexed row", org.Port(), {{org.Queries()}, {0}}, c);
            rows.push_back({"SOQL, one indexed row", c, soql, ">= 0.30", 0.30, {}});
        }
        if (opt.Want("mixed")) {
            // 60% GET, 20% create, 20% query, interleaved.
            const Workload mixed{{org.Gets(), {org.Create("Mixed Account")}, org.Queries()},
                                 {0, 1, 0, 2, 0, 0, 1, 0, 2, 0}};
            const auto mix = WithWriteStats(o, [&] {
                return driver.Run(
                    "mixed 60/20/20 (durable)", org.Port(), mixed, opt.mixed_connections);
            });
            rows.push_back({"mixed 60% GET / 20% create / 20% query",
                            opt.mixed_connections,
                            mix,
                            "p99 <= 10 ms",
                            {},
                            10.0});
        }
        if (opt.curve) {
            for (int n : {1, 8, 32, 128}) {
                if (n == c) {
                    curve.emplace_back(n, create);
                    continue;
                }
                curve.emplace_back(
                    n, WithWriteStats(o, [&] {
                        return driver.Run(
                            "create (durable), group-commit curve", org.Port(), creates, n);
                    }));
            }
        }
    }
    if (opt.in_memory) {
        OrgUnderTest mem(std::nullopt, opt.server_threads, opt.write_threads);
        const auto create = driver.Run("create one Account (in memory)",
                                       mem.Port(),
                                       {{{mem.Create("Bench Account")}}, {0}},
                                       c);
        rows.push_back({"create one Account (in memory, for scale)", c, create, "", {}, {}});
    }

    const long rss = StatusKb("VmRSS");
    const long hwm = StatusKb("VmHWM");
    const std::string load_after = LoadAverage();

#ifdef NDEBUG
    const char* build = "optimised build";
#else
    const char* build = "DEBUG build: figures are not representative";
#endif
    std::printf(
        "\n## sfkit load benchmark (wrk 1 thread, %d s per figure, %s)\n\n", opt.duration_s, build);
    std::printf("server I/O threads: %u; machine cores: %u; load average before: %s, after: %s\n",
                opt.server_threads,
                std::thread::hardware_concurrency(),
                load_before.c_str(),
                load_after.c_str());
    if (have_nginx) {
        std::printf("nginx static (worker_processes %s): %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
                    opt.nginx_workers.c_str(),
                    nginx_fig.rps,
                    nginx_fig.p50_ms,
                    nginx_fig.p99_ms);
    } else {
        std::printf("nginx static: not measured (ratios to nginx are n/a)\n");
    }
    std::printf("same-stack static: %.0f req/s, p50 %.2f ms, p99 %.2f ms (%d connections)\n",
                static_fig.rps,
                static_fig.p50_ms,
                static_fig.p99_ms,
                c);
    PrintTable(rows, nginx_fig, static_fig, have_nginx);
    if (!curve.empty()) {
        std::printf(
            "\nGroup-commit curve, create one Account (durable); ratios to the %d-connection "
            "baselines above\n\n| conns | req/s | / nginx | / same-stack static | p50 ms | p99 ms "
            "| "
            "commits/fsync |\n|---|---|---|---|---|---|---|\n",
            c);
        for (const auto& [n, f] : curve) {
            std::printf("| %d | %.0f | %s | %.3f | %.2f | %.2f | %s |\n",
                        n,
                        f.rps,
                        have_nginx ? Fmt("%.3f", f.rps / nginx_fig.rps).c_str() : "n/a",
                        static_fig.rps > 0 ? f.rps / static_fig.rps : 0,
                        f.p50_ms,
                        f.p99_ms,
                        f.commits_per_fsync ? Fmt("%.1f", *f.commits_per_fsync).c_str() : "n/a");
        }
    }
    std::printf(
        "\nRSS of the benchmark process (orgs + static server, in process) at the end: "
        "%ld kB (peak %ld kB)\n",
        rss,
        hwm);
    bool all_ok = (static_fig.ok || !opt.only.empty()) && (nginx_bin.empty() || nginx_fig.ok);
    for (const auto& r : rows) {
        all_ok = all_ok && r.f.ok;
    }
    return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        ::signal(SIGPIPE, SIG_IGN);
        return Main(ParseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "load_bench: %s\n", e.what());
        return 2;
    }
}
