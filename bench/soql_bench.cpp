// SOQL engine end to end against SQLite alone: 1,000,000 Accounts with one Contact each in an
// on-disk org; for each query, sfkit's time (HTTP GET /query over a keep-alive connection, full
// JSON answer of the first page) relative to the equivalent SQL run directly on the same data
// file (prepared statement, stepping through every row and reading every column).
// Reading a whole multi-page result is also measured through libsfkit's lazy QueryCursor and
// through `sfkit query -r csv` (a fresh process writing to /dev/null), per record and against the
// same rows stepped in SQLite.
// Rows: SFKIT_BENCH_ACCOUNTS (default 1000000). Run with the release preset.
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>
#include <sqlite3.h>

#include "sfkit/client/query.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/core/id.hpp"

#include "bench_support.hpp"
#include "server/net/http_server.hpp"
#include "server/org/local_org.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"

namespace {

using namespace sfkit;

constexpr const char* kIndustries[] = {
    "Banking", "Energy", "Retail", "Media", "Insurance", "Technology", "Shipping", "Utilities"};

std::string Encode(std::string_view soql) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : soql) {
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

void Check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::abort();
    }
}

struct Org {
    Org() {
        const char* env = std::getenv("SFKIT_BENCH_ACCOUNTS");
        accounts = env != nullptr ? std::atol(env) : 1000000;
        dir = std::filesystem::temp_directory_path() /
              ("sfkit-soql-bench-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        server::LocalOrgOptions o;
        o.data_dir = dir.string();
        o.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
        o.api_daily_limit = 1LL << 40;
        org = std::make_unique<server::LocalOrg>(o);
        Load();
        server::HttpServerOptions h;
        h.port = 0;
        h.threads = 2;
        http = std::make_unique<server::HttpServer>(
            h, [this](const server::Request& r) { return org->Handle(r); });
        http->Start();
        conn = std::make_unique<test::RawConnection>(http->Port());
        const std::string body =
            "grant_type=client_credentials&client_id=3MVG9local.key&client_secret=local-secret";
        auto tok = conn->Exchange(
            "POST /services/oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
        token = std::string(boost::json::parse(tok.body).at("access_token").as_string());
        // The baseline: a second, read-only connection to the same data file.
        Check(sqlite3_open_v2((dir / "org.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr),
              raw,
              "open");
    }
    ~Org() {
        sqlite3_close(raw);
        conn.reset();
        http->Stop();
        http.reset();
        org.reset();
        std::filesystem::remove_all(dir);
    }

    /// Bulk load straight into the record tables in one transaction (a few seconds).
    void Load() {
        sqlite3* db = nullptr;
        Check(sqlite3_open((dir / "org.db").c_str(), &db), db, "open");
        Check(sqlite3_exec(db,
                           "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN",
                           nullptr,
                           nullptr,
                           nullptr),
              db,
              "begin");
        const std::string owner = Id::Make("005", "Lo", 1).Str18();
        sqlite3_stmt* acc = nullptr;
        Check(sqlite3_prepare_v2(
                  db,
                  "INSERT INTO sobject_Account (Id, IsDeleted, Name, Industry, "
                  "AnnualRevenue, NumberOfEmployees, ParentId, OwnerId, "
                  "CreatedDate) VALUES (?,0,?,?,?,?,?,?,'2024-01-01T00:00:00.000+0000')",
                  -1,
                  &acc,
                  nullptr),
              db,
              "prepare account");
        sqlite3_stmt* con = nullptr;
        Check(sqlite3_prepare_v2(db,
                                 "INSERT INTO sobject_Contact (Id, IsDeleted, FirstName, LastName, "
                                 "AccountId, Email, OwnerId) VALUES (?,0,?,?,?,?,?)",
                                 -1,
                                 &con,
                                 nullptr),
              db,
              "prepare contact");
        for (long i = 1; i <= accounts; ++i) {
            const std::string id = Id::Make("001", "Lo", static_cast<std::uint64_t>(i)).Str18();
            const std::string name = "Account " + std::to_string(i);
            sqlite3_bind_text(acc, 1, id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(acc, 2, name.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(acc, 3, kIndustries[i % 8], -1, SQLITE_STATIC);
            sqlite3_bind_double(acc, 4, static_cast<double>((i * 7919) % 1000000));
            sqlite3_bind_int64(acc, 5, i % 5000);
            if (i > 1 && i % 10 == 0) {
                const std::string parent =
                    Id::Make("001", "Lo", static_cast<std::uint64_t>(i / 10)).Str18();
                sqlite3_bind_text(acc, 6, parent.c_str(), -1, SQLITE_TRANSIENT);
            } else {
                sqlite3_bind_null(acc, 6);
            }
            sqlite3_bind_text(acc, 7, owner.c_str(), -1, SQLITE_TRANSIENT);
            Check(sqlite3_step(acc), db, "insert account");
            sqlite3_reset(acc);
            const std::string cid = Id::Make("003", "Lo", static_cast<std::uint64_t>(i)).Str18();
            const std::string last = "Smith" + std::to_string(i);
            const std::string email = "c" + std::to_string(i) + "@example.com";
            sqlite3_bind_text(con, 1, cid.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(con, 2, "Pat", -1, SQLITE_STATIC);
            sqlite3_bind_text(con, 3, last.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(con, 4, id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(con, 5, email.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(con, 6, owner.c_str(), -1, SQLITE_TRANSIENT);
            Check(sqlite3_step(con), db, "insert contact");
            sqlite3_reset(con);
        }
        sqlite3_finalize(acc);
        sqlite3_finalize(con);
        Check(sqlite3_exec(db, "COMMIT; ANALYZE", nullptr, nullptr, nullptr), db, "commit");
        sqlite3_close(db);
    }

    test::RawResponse Get(const std::string& target) {
        return conn->Exchange("GET " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                              "\r\n\r\n");
    }

    long accounts = 0;
    std::filesystem::path dir;
    std::unique_ptr<server::LocalOrg> org;
    std::unique_ptr<server::HttpServer> http;
    std::unique_ptr<test::RawConnection> conn;
    std::string token;
    sqlite3* raw = nullptr;
};

Org& TheOrg() {
    static Org org;
    return org;
}

struct Case {
    const char* name;
    std::string soql;
    std::string sql;
};

std::vector<Case>& Cases() {
    static std::vector<Case> cases = {
        {"IndexedEquality",
         "SELECT Id, Name, Industry, AnnualRevenue FROM Account WHERE Name = 'Account 500000'",
         "SELECT Id, Name, Industry, AnnualRevenue FROM sobject_Account WHERE IsDeleted = 0 AND "
         "Name = 'Account 500000' COLLATE NOCASE"},
        {"RangeOrderLimit",
         "SELECT Id, Name, AnnualRevenue FROM Account WHERE AnnualRevenue > 990000 ORDER BY "
         "AnnualRevenue DESC LIMIT 200",
         "SELECT Id, Name, AnnualRevenue FROM sobject_Account WHERE IsDeleted = 0 AND "
         "AnnualRevenue > 990000 ORDER BY AnnualRevenue DESC LIMIT 200"},
        {"ParentRelationship",
         "SELECT Id, LastName, Account.Name, Account.Industry FROM Contact WHERE LastName LIKE "
         "'Smith12%'",
         "SELECT c.Id, c.LastName, a.Id, a.Name, a.Industry FROM sobject_Contact c LEFT JOIN "
         "sobject_Account a ON a.Id = c.AccountId WHERE c.IsDeleted = 0 AND c.LastName LIKE "
         "'Smith12%'"},
        {"ChildSubquery",
         "SELECT Id, Name, (SELECT Id, LastName, Email FROM Contacts) FROM Account WHERE "
         "ParentId = '" +
             Id::Make("001", "Lo", 4242).Str18() + "'",
         "SELECT a.Id, a.Name, c.Id, c.LastName, c.Email FROM sobject_Account a LEFT JOIN "
         "sobject_Contact c ON c.AccountId = a.Id AND c.IsDeleted = 0 WHERE a.IsDeleted = 0 AND "
         "a.ParentId = '" +
             Id::Make("001", "Lo", 4242).Str18() + "'"},
        {"GroupByAggregate",
         "SELECT Industry, COUNT(Id), SUM(AnnualRevenue), MAX(NumberOfEmployees) FROM Account "
         "GROUP BY Industry",
         "SELECT Industry, COUNT(Id), SUM(AnnualRevenue), MAX(NumberOfEmployees) FROM "
         "sobject_Account WHERE IsDeleted = 0 GROUP BY Industry"},
    };
    return cases;
}

void Sfkit(benchmark::State& state, const Case& c) {
    Org& org = TheOrg();
    const std::string target = "/services/data/v60.0/query?q=" + Encode(c.soql);
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto r = org.Get(target);
        if (r.status != 200) {
            state.SkipWithError(("query failed: " + r.body).c_str());
            break;
        }
        bytes = r.body.size();
    }
    state.counters["bytes"] = static_cast<double>(bytes);
}

/// Steps through every row, reading every column, like a client of SQLite would.
std::size_t RunSql(sqlite3* db, sqlite3_stmt* st) {
    std::size_t rows = 0;
    std::size_t sink = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ++rows;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const unsigned char* t = sqlite3_column_text(st, i);
            sink += t != nullptr ? static_cast<std::size_t>(sqlite3_column_bytes(st, i)) : 0;
        }
    }
    Check(rc, db, "step");
    sqlite3_reset(st);
    benchmark::DoNotOptimize(sink);
    return rows;
}

void Sqlite(benchmark::State& state, const Case& c) {
    Org& org = TheOrg();
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v2(org.raw, c.sql.c_str(), -1, &st, nullptr), org.raw, c.sql.c_str());
    std::size_t rows = 0;
    for (auto _ : state) {
        rows = RunSql(org.raw, st);
    }
    state.counters["rows"] = static_cast<double>(rows);
    sqlite3_finalize(st);
}

const char* kAllPagesSoql =
    "SELECT Id, Name, AnnualRevenue FROM Account WHERE NumberOfEmployees < 500";
const char* kAllPagesSql =
    "SELECT Id, Name, AnnualRevenue FROM sobject_Account WHERE IsDeleted = 0 AND "
    "NumberOfEmployees < 500";

/// Every page of a larger result (10% of the accounts), following nextRecordsUrl.
void BM_Sfkit_AllPages(benchmark::State& state) {
    Org& org = TheOrg();
    long records = 0;
    for (auto _ : state) {
        records = 0;
        std::string target = "/services/data/v60.0/query?q=" + Encode(kAllPagesSoql);
        while (true) {
            const auto r = org.Get(target);
            if (r.status != 200) {
                state.SkipWithError(("page failed: " + r.body).c_str());
                return;
            }
            const auto body = boost::json::parse(r.body).as_object();
            records += static_cast<long>(body.at("records").as_array().size());
            if (body.at("done").as_bool()) {
                break;
            }
            target = std::string(body.at("nextRecordsUrl").as_string());
        }
    }
    state.counters["rows"] = static_cast<double>(records);
}

void BM_Sqlite_AllPages(benchmark::State& state) {
    Sqlite(state, Case{"AllPages", kAllPagesSoql, kAllPagesSql});
    state.counters["time_per_row"] = benchmark::Counter(
        state.counters["rows"],
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// The same rows through libsfkit: RestClient::Query's lazy cursor over every page (curl,
/// keep-alive), reading one field of each record.
void BM_Client_LazyRange(benchmark::State& state) {
    Org& org = TheOrg();
    client::Token token;
    token.access_token = org.token;
    token.instance_url = "http://127.0.0.1:" + std::to_string(org.http->Port());
    client::RestClient rest(std::make_shared<client::CurlTransport>(), token);
    long records = 0;
    for (auto _ : state) {
        records = 0;
        auto cursor = rest.Query(kAllPagesSoql);
        if (!cursor) {
            state.SkipWithError(("query failed: " + cursor.error().ToString()).c_str());
            return;
        }
        std::size_t sink = 0;
        for (auto& rec : *cursor) {
            if (!rec) {
                state.SkipWithError(("page failed: " + rec.error().ToString()).c_str());
                return;
            }
            sink += rec->Find("Name")->AsString()->size();
            ++records;
        }
        benchmark::DoNotOptimize(sink);
    }
    state.counters["rows"] = static_cast<double>(records);
    state.counters["time_per_row"] = benchmark::Counter(
        static_cast<double>(records),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// The same rows through the CLI: `sfkit query ... -r csv --output-file /dev/null`, a fresh
/// process each time (stored login, HTTP, every page, CSV formatting).
void BM_Cli_QueryCsv(benchmark::State& state) {
    Org& org = TheOrg();
    const auto config = org.dir / "cli-config";
    test::ProcessOptions options;
    options.env["XDG_CONFIG_HOME"] = config.string();
    options.timeout = std::chrono::minutes(30);
    static bool logged_in = false;
    if (!logged_in) {
        auto login = test::RunProcess({SFKIT_BINARY,
                                       "login",
                                       "client-credentials",
                                       "--login-url",
                                       "http://127.0.0.1:" + std::to_string(org.http->Port()),
                                       "--client-id",
                                       "3MVG9local.key",
                                       "--client-secret",
                                       "local-secret"},
                                      options);
        if (login.exit_code != 0) {
            state.SkipWithError(("login failed: " + login.err).c_str());
            return;
        }
        logged_in = true;
    }
    long records = 0;
    for (auto _ : state) {
        auto r = test::RunProcess(
            {SFKIT_BINARY, "query", kAllPagesSoql, "-r", "csv", "--output-file", "/dev/null"},
            options);
        if (r.exit_code != 0) {
            state.SkipWithError(("sfkit query failed: " + r.err).c_str());
            return;
        }
        // "Wrote N records to /dev/null"
        records = std::atol(r.out.c_str() + 6);
    }
    state.counters["rows"] = static_cast<double>(records);
    state.counters["time_per_row"] = benchmark::Counter(
        static_cast<double>(records),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

int main(int argc, char** argv) {
    for (const Case& c : Cases()) {
        const std::string s = std::string("BM_Sfkit_") + c.name;
        const std::string b = std::string("BM_Sqlite_") + c.name;
        benchmark::RegisterBenchmark(s.c_str(), [&c](benchmark::State& st) { Sfkit(st, c); })
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(b.c_str(), [&c](benchmark::State& st) { Sqlite(st, c); })
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
        sfkit::bench::CompareTo(s, b + "/real_time");
    }
    benchmark::RegisterBenchmark("BM_Sfkit_AllPages", BM_Sfkit_AllPages)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(2);
    benchmark::RegisterBenchmark("BM_Sqlite_AllPages", BM_Sqlite_AllPages)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    sfkit::bench::CompareTo("BM_Sfkit_AllPages", "BM_Sqlite_AllPages/real_time");
    benchmark::RegisterBenchmark("BM_Client_LazyRange", BM_Client_LazyRange)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(2);
    sfkit::bench::CompareTo("BM_Client_LazyRange", "BM_Sqlite_AllPages/real_time");
    benchmark::RegisterBenchmark("BM_Cli_QueryCsv", BM_Cli_QueryCsv)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(2);
    sfkit::bench::CompareTo("BM_Cli_QueryCsv", "BM_Sqlite_AllPages/real_time");
    return sfkit::bench::RunAndReport(argc, argv);
}
