// The issue-13 scale benchmark: N Accounts (default 1,000,000; `--rows 10000000` for the issue's
// figure) loaded through Bulk API 2.0 (`sfkit bulk import`, in jobs of --chunk-rows, each under
// the 150 MB upload limit) into an org on PostgreSQL (`sfkit serve --database`, a durable
// throwaway cluster from scripts/pg-cluster.sh unless --database names a server), then the
// latency of queries through the REST API beside the same SQL run directly on the same server
// with pgbench (libpq, one client, as psql would send it), in the same run:
//   - an indexed lookup by Id (primary key) and by Name (the case-insensitive Name index);
//   - a 2,000-row page: `LIMIT 2000`, and the first page and the next page (nextRecordsUrl) of a
//     query that matches 10,000 rows.
// The SQL is what the server runs: the SOQL is bound and translated in this process by the same
// code (QueryService::Prepare, TranslateQuery/TranslateFetch, SqlDialect::Adapt) against the same
// database, with the parameters written in as literals. Prints the load rate (and, when fewer
// than 10,000,000 rows were loaded, a clearly labelled extrapolation) and one table of latencies
// and ratios. Timings are never a verdict. Run: scripts/bench.sh --pg-scale [--rows N].
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <unistd.h>

#include "sfkit/core/id.hpp"

#include "bench_support.hpp"
#include "server/api/org_schema.hpp"
#include "server/query/query_service.hpp"
#include "server/query/sql_translator.hpp"
#include "server/storage/database.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"

namespace {

namespace fs = std::filesystem;
using namespace sfkit;
using Clock = std::chrono::steady_clock;

constexpr const char* kApi = "/services/data/v60.0";

struct Options {
    long rows = 1'000'000;
    long chunk_rows = 1'000'000;  ///< ~100 MB of CSV: one Bulk 2.0 job each (150 MB limit)
    double load_seconds = 0;      ///< stop loading after the job that passes this (0: no limit)
    bool no_load = false;         ///< measure an org loaded before (--database, --keep)
    long copy_rows = 0;           ///< more Accounts written with psql \copy (not the API)
    std::string database;         ///< an existing server (else a new cluster)
    std::string pg_dir;
    bool keep = false;
    int reps = 200;  ///< lookups per query shape
    int page_reps = 30;
};

void Usage() {
    std::fprintf(
        stderr,
        "usage: pg_scale_bench [options]\n"
        "  --rows N           Accounts to load (default 1000000; the issue's figure: 10000000)\n"
        "  --chunk-rows N     rows per Bulk 2.0 job (default 1000000, ~100 MB of CSV)\n"
        "  --load-seconds S   stop loading after the job that passes S seconds (the rate and an\n"
        "                     extrapolation to --rows are printed); 0 = load all (default)\n"
        "  --database URI     PostgreSQL server to use (database created/used as given)\n"
        "  --pg-dir DIR       where the new cluster lives (default /tmp/sfkit-pg-scale-PID)\n"
        "  --keep             keep the cluster (and print its URI) for a later --no-load run\n"
        "  --no-load          measure the org already in --database\n"
        "  --copy-rows N      after the bulk load, N more Accounts with psql \\copy straight into\n"
        "                     the table (not through the API: for the query figures at a table\n"
        "                     size the API cannot load in the time at hand; reported apart)\n"
        "  --reps N           lookups per query (default 200); --page-reps N pages (default 30)\n");
}

Options ParseArgs(int argc, char** argv) {
    Options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) {
            Usage();
            std::exit(2);
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rows") {
            o.rows = std::atol(value(i).c_str());
        } else if (a == "--chunk-rows") {
            o.chunk_rows = std::atol(value(i).c_str());
        } else if (a == "--load-seconds") {
            o.load_seconds = std::atof(value(i).c_str());
        } else if (a == "--database") {
            o.database = value(i);
        } else if (a == "--pg-dir") {
            o.pg_dir = value(i);
        } else if (a == "--keep") {
            o.keep = true;
        } else if (a == "--copy-rows") {
            o.copy_rows = std::atol(value(i).c_str());
        } else if (a == "--no-load") {
            o.no_load = true;
        } else if (a == "--reps") {
            o.reps = std::max(1, std::atoi(value(i).c_str()));
        } else if (a == "--page-reps") {
            o.page_reps = std::max(1, std::atoi(value(i).c_str()));
        } else {
            Usage();
            std::exit(a == "--help" || a == "-h" ? 0 : 2);
        }
    }
    if (o.rows < 1 || o.chunk_rows < 1 || (o.no_load && o.database.empty())) {
        Usage();
        std::exit(2);
    }
    return o;
}

double Seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

std::string LoadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

// ---- loading ---------------------------------------------------------------------------------

constexpr const char* kHeader =
    "Name,AccountNumber,Phone,BillingCity,BillingState,Industry,NumberOfEmployees,Description\n";

/// ~100 bytes a row, as bulk_bench's; Name is unique ("Bulk Bench Account 0000042").
void WriteCsv(const std::string& path, long first, long count) {
    std::ofstream out(path, std::ios::binary);
    out << kHeader;
    char buf[256];
    for (long n = first; n < first + count; ++n) {
        std::snprintf(buf,
                      sizeof buf,
                      "Bulk Bench Account %08ld,ACC-%08ld,+1 415 555 %04ld,San Francisco,CA,"
                      "Technology,%ld,Row %ld of the benchmark\n",
                      n,
                      n,
                      n % 10000,
                      n % 5000 + 1,
                      n);
        out << buf;
    }
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

boost::json::object CliResult(const test::ProcessResult& r, const char* what) {
    boost::json::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    if (r.exit_code != 0 || ec || !v.is_object() || !v.as_object().contains("result")) {
        throw std::runtime_error(std::string(what) + " failed (exit " +
                                 std::to_string(r.exit_code) + "): " + r.out + r.err);
    }
    return v.as_object().at("result").as_object();
}

// ---- the SQL the server runs -----------------------------------------------------------------

std::string Literal(const server::SqlValue& v) {
    if (std::holds_alternative<std::monostate>(v)) {
        return "NULL";
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        return buf;
    }
    std::string out = "'";
    for (char c : std::get<std::string>(v)) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

/// `sql` (PostgreSQL spelling, `$n` placeholders) with its parameters written in as literals:
/// text of unknown type, as the server sends them (PostgreSQL types both from their context).
std::string Inline(const std::string& sql, const std::vector<server::SqlValue>& params) {
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'') {
            in_string = !in_string;
        }
        if (!in_string && c == '$' && i + 1 < sql.size() &&
            std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            std::size_t j = i + 1;
            while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
                ++j;
            }
            const auto n = static_cast<std::size_t>(std::stoul(sql.substr(i + 1, j - i - 1)));
            if (n < 1 || n > params.size()) {
                throw std::runtime_error("placeholder $" + std::to_string(n) + " out of range");
            }
            out += Literal(params[n - 1]);
            i = j - 1;
            continue;
        }
        out += c;
    }
    return out;
}

/// Binds and translates SOQL as the org's query service does, on the same database.
class Translator {
public:
    explicit Translator(const std::string& uri)
        : db_(uri), schema_(db_, server::CustomSchemaSpec{}), queries_(db_, schema_.Get()) {}

    std::shared_ptr<const server::query::BoundQuery> Bind(const std::string& soql) const {
        server::query::QueryCall call;
        call.user_id = "005000000000000AAA";
        call.api_version = "60.0";
        return queries_.Prepare(soql, call);
    }
    std::string Query(const std::string& soql) const {
        const auto t = server::query::TranslateQuery(*Bind(soql), db_.engine());
        return Inline(db_.Dialect().Adapt(t.sql), t.params);
    }
    std::string Fetch(const std::string& soql, const std::vector<std::int64_t>& rowids) const {
        const auto t = server::query::TranslateFetch(*Bind(soql), rowids, db_.engine());
        return Inline(db_.Dialect().Adapt(t.sql), t.params);
    }

private:
    server::Database db_;
    server::OrgSchema schema_;
    server::query::QueryService queries_;
};

// ---- timing ----------------------------------------------------------------------------------

struct Latency {
    double mean_ms = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    int n = 0;
};

Latency Summarise(std::vector<double> ms) {
    Latency l;
    if (ms.empty()) {
        return l;
    }
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) {
        sum += v;
    }
    l.n = static_cast<int>(ms.size());
    l.mean_ms = sum / static_cast<double>(ms.size());
    l.p50_ms = ms[ms.size() / 2];
    l.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    return l;
}

/// pgbench, one client, `reps` transactions spread over `scripts` (one statement each, picked
/// at random): the mean latency in ms as pgbench reports it. `mode`: simple (psql's protocol:
/// the text parsed and planned every time) or prepared (parsed once per connection).
double PgbenchMeanMs(const std::string& uri,
                     const fs::path& dir,
                     const std::string& tag,
                     const std::vector<std::string>& scripts,
                     int reps,
                     const std::string& mode) {
    const std::string pgbench = bench::PgProgram("pgbench");
    if (pgbench.empty()) {
        throw std::runtime_error("pgbench not found (postgresql-client)");
    }
    std::vector<std::string> argv = {
        pgbench, "-n", "-c", "1", "-t", std::to_string(reps), "-M", mode};
    for (std::size_t i = 0; i < scripts.size() && i < 100; ++i) {
        const fs::path f = dir / (tag + "-" + std::to_string(i) + ".sql");
        std::ofstream(f) << scripts[i] << ";\n";
        argv.push_back("-f");
        argv.push_back(f.string() + "@1");
    }
    argv.push_back(uri);
    test::ProcessOptions po;
    po.timeout = std::chrono::hours(1);
    const auto r = test::RunProcess(argv, po);
    const auto at = r.out.find("latency average = ");
    if (r.exit_code != 0 || at == std::string::npos) {
        throw std::runtime_error("pgbench failed: " + r.out + r.err);
    }
    return std::atof(r.out.c_str() + at + 18);
}

struct Http {
    explicit Http(std::uint16_t port) : conn(port) {}
    test::RawConnection conn;
    std::string auth;

    test::RawResponse Get(const std::string& target) {
        conn.Send(bench::RawRequest("GET", target, {auth}));
        return conn.Read();
    }
};

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

std::string QueryTarget(const std::string& soql) {
    return std::string(kApi) + "/query?q=" + PercentEncode(soql);
}

/// One REST query; checks the answer and returns (ms, records, nextRecordsUrl).
struct Answer {
    double ms = 0;
    std::size_t records = 0;
    std::string next;
};

Answer TimedGet(Http& http, const std::string& target) {
    const auto t0 = Clock::now();
    const auto r = http.Get(target);
    Answer a;
    a.ms = Seconds(Clock::now() - t0) * 1000.0;
    if (r.status != 200) {
        throw std::runtime_error("GET " + target.substr(0, 200) + ": " + std::to_string(r.status) +
                                 " " + r.body.substr(0, 300));
    }
    const auto v = boost::json::parse(r.body).as_object();
    a.records = v.at("records").as_array().size();
    if (const auto* n = v.if_contains("nextRecordsUrl")) {
        a.next = std::string(n->as_string());
    }
    return a;
}

struct ResultRow {
    std::string name;
    std::size_t rows = 0;
    Latency rest;
    double simple_ms = 0;
    double prepared_ms = 0;
};

int Main(const Options& o) {
    const fs::path dir =
        fs::temp_directory_path() / ("sfkit-pg-scale-" + std::to_string(::getpid()));
    fs::create_directories(dir / "config");
    fs::create_directories(dir / "node");
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir};
    const std::string load_before = LoadAverage();

    std::unique_ptr<bench::PgCluster> cluster;
    std::string uri = o.database;
    if (uri.empty()) {
        const std::string pg_dir =
            !o.pg_dir.empty() ? o.pg_dir : "/tmp/sfkit-pg-scale-pg-" + std::to_string(::getpid());
        // Durable (PostgreSQL's defaults); memory and checkpoints sized for a multi-GB table.
        cluster = std::make_unique<bench::PgCluster>(
            pg_dir, true, "-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min");
        uri = cluster->Uri();
        if (o.keep) {
            cluster->Keep();
        }
        std::fprintf(
            stderr, "pg_scale_bench: durable cluster at %s (%s)\n", uri.c_str(), pg_dir.c_str());
    }

    test::ServeConfig sc;
    sc.data_dir = (dir / "node").string();
    sc.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
    sc.extra_args = {"--database", uri};
    sc.ready_timeout = std::chrono::minutes(5);
    test::ServeProcess serve(sc);

    test::ProcessOptions po;
    po.env["XDG_CONFIG_HOME"] = (dir / "config").string();
    po.cwd = dir.string();
    po.timeout = std::chrono::hours(6);
    CliResult(test::RunProcess({SFKIT_BINARY,
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
                                "--json"},
                               po),
              "login");

    const auto count_rows = [&] {
        return std::atol(bench::Psql(uri, "SELECT count(*) FROM \"sobject_Account\"").c_str());
    };
    const long before = count_rows();
    long loaded = 0;
    double load_s = 0, processing_s = 0;
    std::vector<std::string> job_lines;
    if (!o.no_load) {
        const std::string csv = (dir / "chunk.csv").string();
        const auto start = Clock::now();
        for (long first = 1; first <= o.rows; first += o.chunk_rows) {
            const long count = std::min(o.chunk_rows, o.rows - first + 1);
            WriteCsv(csv, before + first, count);
            const auto t0 = Clock::now();
            const auto r = CliResult(test::RunProcess({SFKIT_BINARY,
                                                       "bulk",
                                                       "import",
                                                       "--sobject",
                                                       "Account",
                                                       "--file",
                                                       csv,
                                                       "--wait",
                                                       "360",
                                                       "--json"},
                                                      po),
                                     "sfkit bulk import");
            const double s = Seconds(Clock::now() - t0);
            const long processed = r.at("processedRecords").to_number<long>();
            const long failed = r.at("failedRecords").to_number<long>();
            const auto status = CliResult(test::RunProcess({SFKIT_BINARY,
                                                            "bulk",
                                                            "status",
                                                            "--job-id",
                                                            std::string(r.at("jobId").as_string()),
                                                            "--json"},
                                                           po),
                                          "sfkit bulk status");
            processing_s +=
                static_cast<double>(status.at("totalProcessingTime").to_number<long>()) / 1000.0;
            loaded += processed - failed;
            char line[200];
            std::snprintf(line,
                          sizeof line,
                          "job %zu: %ld rows in %.1f s (%.0f rows/s), %ld failed; %ld loaded, "
                          "load average %s",
                          job_lines.size() + 1,
                          processed,
                          s,
                          processed / s,
                          failed,
                          loaded,
                          LoadAverage().c_str());
            std::fprintf(stderr, "pg_scale_bench: %s\n", line);
            job_lines.emplace_back(line);
            if (failed != 0 || processed != count) {
                std::fprintf(stderr, "pg_scale_bench: a job lost rows\n");
                return 1;
            }
            if (o.load_seconds > 0 && Seconds(Clock::now() - start) >= o.load_seconds) {
                break;
            }
        }
        std::filesystem::remove(csv);
        load_s = Seconds(Clock::now() - start);
        bench::Psql(uri, "ANALYZE \"sobject_Account\"");
    }
    double copy_s = 0;
    long copied = 0;
    if (o.copy_rows > 0) {
        // Straight into the record table with the columns a bulk insert fills (bulk_bench's
        // baseline list), ids from another instance part ("Bc") than the org's, so the org's id
        // counter never meets them; Names continue the bulk rows' numbering.
        const std::string owner =
            Trim(bench::Psql(uri, "SELECT \"Id\" FROM \"sobject_User\" ORDER BY rowid LIMIT 1"));
        const long base = count_rows();
        const std::string csv = (dir / "copy.csv").string();
        const auto start = Clock::now();
        constexpr long kCopyChunk = 1'000'000;
        for (long first = 0; first < o.copy_rows; first += kCopyChunk) {
            const long count = std::min(kCopyChunk, o.copy_rows - first);
            {
                std::ofstream out(csv, std::ios::binary);
                char buf[512];
                for (long k = first; k < first + count; ++k) {
                    const long n = base + k + 1;
                    std::snprintf(
                        buf,
                        sizeof buf,
                        "%s,0,Bulk Bench Account %08ld,ACC-%08ld,+1 415 555 %04ld,"
                        "San Francisco,CA,Technology,%ld,Row %ld of the benchmark,%s,%s,"
                        "%s,2026-01-01T00:00:00.000+0000,2026-01-01T00:00:00.000+0000,"
                        "2026-01-01T00:00:00.000+0000\n",
                        Id::Make("001", "Bc", static_cast<std::uint64_t>(n)).Str18().c_str(),
                        n,
                        n,
                        n % 10000,
                        n % 5000 + 1,
                        n,
                        owner.c_str(),
                        owner.c_str(),
                        owner.c_str());
                    out << buf;
                }
            }
            bench::Psql(uri,
                        "\\copy \"sobject_Account\" (\"Id\", \"IsDeleted\", \"Name\", "
                        "\"AccountNumber\", \"Phone\", \"BillingCity\", \"BillingState\", "
                        "\"Industry\", \"NumberOfEmployees\", \"Description\", \"OwnerId\", "
                        "\"CreatedById\", \"LastModifiedById\", \"CreatedDate\", "
                        "\"LastModifiedDate\", \"SystemModstamp\") FROM '" +
                            csv + "' WITH (FORMAT csv)");
            copied += count;
            std::fprintf(stderr,
                         "pg_scale_bench: copied %ld rows (%.0f rows/s), load average %s\n",
                         copied,
                         copied / Seconds(Clock::now() - start),
                         LoadAverage().c_str());
            if (o.load_seconds > 0 && Seconds(Clock::now() - start) >= o.load_seconds) {
                break;  // the same time budget as the bulk load
            }
        }
        std::filesystem::remove(csv);
        copy_s = Seconds(Clock::now() - start);
        bench::Psql(uri, "ANALYZE \"sobject_Account\"");
    }
    const long total = count_rows();
    const std::string db_size =
        Trim(bench::Psql(uri, "SELECT pg_size_pretty(pg_database_size(current_database()))"));
    std::fprintf(stderr,
                 "pg_scale_bench: %ld Accounts in the org (%s); measuring\n",
                 total,
                 db_size.c_str());

    // A token for the REST calls (client credentials, as a CI pipeline would).
    Http http(serve.Port());
    {
        const auto tok = test::Fetch(serve.Port(),
                                     "POST",
                                     "/services/oauth2/token",
                                     {"Content-Type: application/x-www-form-urlencoded"},
                                     "grant_type=client_credentials&client_id=3MVG9local.key"
                                     "&client_secret=local-secret");
        if (tok.status != 200) {
            throw std::runtime_error("token: " + tok.body);
        }
        http.auth = "Authorization: Bearer " +
                    std::string(boost::json::parse(tok.body).at("access_token").as_string());
    }

    // 100 records spread over the table, by rowid.
    std::vector<std::pair<std::string, std::string>> samples;  // Id, Name
    {
        const long max_rowid =
            std::atol(bench::Psql(uri, "SELECT max(rowid) FROM \"sobject_Account\"").c_str());
        std::mt19937_64 rng(42);
        std::string list;
        for (int i = 0; i < 100; ++i) {
            list += (i ? "," : "") +
                    std::to_string(
                        1 + static_cast<long>(rng() % static_cast<unsigned long>(max_rowid)));
        }
        std::istringstream in(bench::Psql(
            uri,
            "SELECT \"Id\" || '|' || \"Name\" FROM \"sobject_Account\" WHERE rowid IN (" + list +
                ")"));
        std::string line;
        while (std::getline(in, line)) {
            const auto bar = line.find('|');
            if (bar != std::string::npos) {
                samples.emplace_back(line.substr(0, bar), line.substr(bar + 1));
            }
        }
        if (samples.empty()) {
            throw std::runtime_error("no sample rows");
        }
    }

    Translator tr(uri);
    std::vector<ResultRow> results;
    const auto measure = [&](const std::string& name,
                             const std::vector<std::string>& soqls,
                             int reps,
                             std::size_t expect_rows) {
        ResultRow row;
        row.name = name;
        std::vector<std::string> sqls;
        for (const auto& q : soqls) {
            sqls.push_back(tr.Query(q));
        }
        // Warm both paths once per distinct query, then measure.
        for (const auto& q : soqls) {
            TimedGet(http, QueryTarget(q));
        }
        std::vector<double> ms;
        for (int i = 0; i < reps; ++i) {
            const auto a =
                TimedGet(http, QueryTarget(soqls[static_cast<std::size_t>(i) % soqls.size()]));
            if (a.records != expect_rows) {
                throw std::runtime_error(name + ": " + std::to_string(a.records) + " records");
            }
            row.rows = a.records;
            ms.push_back(a.ms);
        }
        row.rest = Summarise(ms);
        row.simple_ms =
            PgbenchMeanMs(uri, dir, "q" + std::to_string(results.size()), sqls, reps, "simple");
        row.prepared_ms =
            PgbenchMeanMs(uri, dir, "p" + std::to_string(results.size()), sqls, reps, "prepared");
        std::fprintf(stderr,
                     "  %-58s REST %.3f ms, pgbench %.3f / %.3f ms\n",
                     name.c_str(),
                     row.rest.mean_ms,
                     row.simple_ms,
                     row.prepared_ms);
        std::fprintf(stderr, "    SQL: %s\n", sqls.front().substr(0, 400).c_str());
        results.push_back(row);
    };
    std::vector<std::string> by_id, by_name;
    for (const auto& [id, nm] : samples) {
        by_id.push_back("SELECT Id, Name, Phone FROM Account WHERE Id = '" + id + "'");
        by_name.push_back("SELECT Id, Name, Phone FROM Account WHERE Name = '" + nm + "'");
    }
    measure("indexed lookup: WHERE Id = (100 ids)", by_id, o.reps, 1);
    measure("indexed lookup: WHERE Name = (100 names)", by_name, o.reps, 1);
    const std::string fields =
        "SELECT Id, Name, AccountNumber, Phone, BillingCity, Industry FROM Account";
    if (total >= 2000) {
        measure("2,000-row page: LIMIT 2000", {fields + " LIMIT 2000"}, o.page_reps, 2000);
    }

    // Paging: a query matching 10,000 rows (a range of the Name index); its first page (the
    // server reads every match's rowid for the locator) and its second (fetched by rowid).
    if (total >= 20000) {
        const long from = total / 2;
        char lo[64], hi[64];
        std::snprintf(lo, sizeof lo, "Bulk Bench Account %08ld", from);
        std::snprintf(hi, sizeof hi, "Bulk Bench Account %08ld", from + 10000);
        const std::string soql =
            fields + " WHERE Name >= '" + lo + "' AND Name < '" + hi + "' ORDER BY Name";
        ResultRow first{"10,000 matches, first page (2,000 rows + locator)", 0, {}, 0, 0};
        ResultRow second{"10,000 matches, next page (nextRecordsUrl, 2,000 rows)", 0, {}, 0, 0};
        std::vector<double> ms1, ms2;
        TimedGet(http, QueryTarget(soql));
        for (int i = 0; i < o.page_reps; ++i) {
            const auto a = TimedGet(http, QueryTarget(soql));
            if (a.records != 2000 || a.next.empty()) {
                throw std::runtime_error("paging: first page had " + std::to_string(a.records));
            }
            const auto b = TimedGet(http, a.next);
            if (b.records != 2000) {
                throw std::runtime_error("paging: next page had " + std::to_string(b.records));
            }
            ms1.push_back(a.ms);
            ms2.push_back(b.ms);
        }
        first.rows = second.rows = 2000;
        first.rest = Summarise(ms1);
        second.rest = Summarise(ms2);
        const std::string sql = tr.Query(soql);
        // The second page's rowids: rows 2,001-4,000 of the query (its first column).
        std::vector<std::int64_t> rowids;
        {
            std::istringstream in(
                bench::Psql(uri, "SELECT rowid FROM (" + sql + ") AS q OFFSET 2000 LIMIT 2000"));
            std::string line;
            while (std::getline(in, line)) {
                if (!line.empty()) {
                    rowids.push_back(std::atoll(line.c_str()));
                }
            }
        }
        const std::string fetch = tr.Fetch(soql, rowids);
        first.simple_ms = PgbenchMeanMs(uri, dir, "pg1", {sql}, o.page_reps, "simple");
        first.prepared_ms = PgbenchMeanMs(uri, dir, "pp1", {sql}, o.page_reps, "prepared");
        second.simple_ms = PgbenchMeanMs(uri, dir, "pg2", {fetch}, o.page_reps, "simple");
        second.prepared_ms = PgbenchMeanMs(uri, dir, "pp2", {fetch}, o.page_reps, "prepared");
        std::fprintf(stderr, "    SQL (first page): %s\n", sql.substr(0, 400).c_str());
        std::fprintf(stderr, "    SQL (next page): %s...\n", fetch.substr(0, 300).c_str());
        results.push_back(first);
        results.push_back(second);
    }
    const std::string load_after = LoadAverage();

#ifdef NDEBUG
    const char* build = "optimised build";
#else
    const char* build = "DEBUG build: figures are not representative";
#endif
    std::printf("\n## sfkit on PostgreSQL at scale (%s)\n\n", build);
    std::printf(
        "load average before: %s, after: %s; PostgreSQL %s, fsync=%s, "
        "synchronous_commit=%s\n",
        load_before.c_str(),
        load_after.c_str(),
        Trim(bench::Psql(uri, "SHOW server_version")).c_str(),
        Trim(bench::Psql(uri, "SHOW fsync")).c_str(),
        Trim(bench::Psql(uri, "SHOW synchronous_commit")).c_str());
    if (!o.no_load) {
        std::printf(
            "\nLoad: %ld Accounts through `sfkit bulk import` (Bulk 2.0, %zu job%s of up "
            "to %ld rows) in %.1f s: %.0f rows/s end to end, %.0f rows/s server "
            "processing (totalProcessingTime)\n",
            loaded,
            job_lines.size(),
            job_lines.size() == 1 ? "" : "s",
            o.chunk_rows,
            load_s,
            loaded / load_s,
            processing_s > 0 ? loaded / processing_s : 0.0);
        for (const auto& l : job_lines) {
            std::printf("  %s\n", l.c_str());
        }
        if (loaded < 10'000'000) {
            std::printf(
                "  EXTRAPOLATED, not measured: 10,000,000 rows at this rate would take "
                "%.0f s (%.1f h)\n",
                10'000'000.0 / (loaded / load_s),
                10'000'000.0 / (loaded / load_s) / 3600);
        }
    }
    if (copied > 0) {
        std::printf(
            "\nNot through the API: %ld more Accounts with psql \\copy into the table in "
            "%.1f s (%.0f rows/s), for the query figures below\n",
            copied,
            copy_s,
            copied / copy_s);
    }
    std::printf(
        "\nQueries on %ld Accounts (database %s), one keep-alive REST connection vs "
        "pgbench -c 1 (same server, same SQL); ratio = REST mean / pgbench mean\n\n",
        total,
        db_size.c_str());
    std::printf(
        "| query | rows | REST mean ms | REST p50 | REST p99 | SQL, simple protocol (psql) "
        "ms | SQL, prepared ms | ratio to simple | ratio to prepared | n |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : results) {
        std::printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %d |\n",
                    r.name.c_str(),
                    r.rows,
                    r.rest.mean_ms,
                    r.rest.p50_ms,
                    r.rest.p99_ms,
                    r.simple_ms,
                    r.prepared_ms,
                    r.simple_ms > 0 ? r.rest.mean_ms / r.simple_ms : 0,
                    r.prepared_ms > 0 ? r.rest.mean_ms / r.prepared_ms : 0,
                    r.rest.n);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return Main(ParseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "pg_scale_bench: %s\n", e.what());
        return 1;
    }
}
