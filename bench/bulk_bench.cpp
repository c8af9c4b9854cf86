// The issue-11 bulk benchmark: N Accounts (~100 bytes a row) through `sfkit bulk import` into a
// local org (`sfkit serve` on a free port, data dir in a temp dir), beside a raw SQLite bulk
// insert of the same rows into the same Account table in the same run; then `sfkit bulk export`
// of those rows. It prints rows/s, the ratio to SQLite (goal >= 0.3) and the peak RSS of the
// server (VmHWM from /proc/<pid>/status) and of each CLI run (GNU time's figure), goal < 100 MB
// whatever N. It exits 1 when a run did not load or export every row (so the smoke test checks
// the pipeline); timings are never a verdict. Run: scripts/bench.sh --bulk [--rows N].
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <unistd.h>

#include "sfkit/core/id.hpp"

#include "codec/csv.hpp"
#include "server/org/local_org.hpp"
#include "server/storage/database.hpp"
#include "support/subprocess.hpp"

namespace {

namespace fs = std::filesystem;
using namespace sfkit;
using Clock = std::chrono::steady_clock;

struct Options {
    long rows = 100'000;
    bool keep = false;
};

void Usage() {
    std::fprintf(stderr,
                 "usage: bulk_bench [--rows N] [--keep]\n"
                 "  --rows N  Accounts to load and export (default 100000; try 1000000)\n"
                 "  --keep    keep the temp dir (CSV, org, outputs) and print its path\n");
}

Options ParseArgs(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rows" && i + 1 < argc) {
            o.rows = std::atol(argv[++i]);
        } else if (a == "--keep") {
            o.keep = true;
        } else {
            Usage();
            std::exit(a == "--help" || a == "-h" ? 0 : 2);
        }
    }
    if (o.rows < 1) {
        Usage();
        std::exit(2);
    }
    return o;
}

constexpr const char* kHeader =
    "Name,AccountNumber,Phone,BillingCity,BillingState,Industry,NumberOfEmployees,Description\n";

/// ~100 bytes a row.
std::string Row(long n) {
    char buf[256];
    std::snprintf(buf,
                  sizeof buf,
                  "Bulk Bench Account %07ld,ACC-%07ld,+1 415 555 %04ld,San Francisco,CA,"
                  "Technology,%ld,Row %ld of the benchmark\n",
                  n,
                  n,
                  n % 10000,
                  n % 5000 + 1,
                  n);
    return buf;
}

std::uintmax_t WriteCsv(const std::string& path, long rows) {
    std::ofstream out(path, std::ios::binary);
    out << kHeader;
    for (long n = 1; n <= rows; ++n) {
        out << Row(n);
    }
    out.close();
    return fs::file_size(path);
}

/// Peak resident set (VmHWM) of a live process, in kB.
long VmHwmKb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return 0;
}

double Seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

/// The baseline: the same CSV parsed with the same reader and inserted with one prepared
/// statement into the Account table of a fresh org's database (same pragmas as the server:
/// WAL, synchronous=FULL), 10,000 rows per transaction as the server's bulk jobs commit.
double SqliteRowsPerSecond(const std::string& dir, const std::string& csv, long rows) {
    {
        server::LocalOrgOptions o;
        o.in_memory = false;
        o.data_dir = dir;
        o.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
        server::LocalOrg org(o);  // creates the schema, then closes
    }
    server::Database db((fs::path(dir) / "org.db").string());
    auto lock = db.Acquire();
    const auto start = Clock::now();
    server::Statement insert = db.Prepare(
        "INSERT INTO sobject_Account (Id, IsDeleted, Name, AccountNumber, Phone, BillingCity, "
        "BillingState, Industry, NumberOfEmployees, Description, OwnerId, CreatedById, "
        "LastModifiedById, CreatedDate, LastModifiedDate, SystemModstamp) VALUES (?, 0, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string user = Id::Make("005", "Bb", 1).Str18();
    const std::string now = "2026-01-01T00:00:00.000+0000";
    std::ifstream in(csv, std::ios::binary);
    codec::CsvStreamReader reader(in);
    std::vector<std::string> row;
    reader.Next(row);  // header
    long n = 0;
    db.Exec("BEGIN IMMEDIATE");
    while (reader.Next(row)) {
        ++n;
        insert.Bind(1, Id::Make("001", "Bb", static_cast<std::uint64_t>(n)).Str18());
        for (int i = 0; i < 6; ++i) {
            insert.Bind(2 + i, row[static_cast<std::size_t>(i)]);
        }
        insert.Bind(8, static_cast<std::int64_t>(std::atoll(row[6].c_str())));
        insert.Bind(9, row[7]);
        for (int i = 10; i <= 12; ++i) {
            insert.Bind(i, user);
        }
        for (int i = 13; i <= 15; ++i) {
            insert.Bind(i, now);
        }
        insert.Run();
        insert.Reset();
        if (n % 10'000 == 0) {
            db.Exec("COMMIT");
            db.Exec("BEGIN IMMEDIATE");
        }
    }
    db.Exec("COMMIT");
    const double s = Seconds(Clock::now() - start);
    if (n != rows) {
        throw std::runtime_error("baseline read " + std::to_string(n) + " rows");
    }
    return static_cast<double>(n) / s;
}

boost::json::object Result(const test::ProcessResult& r, const char* what) {
    boost::json::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    if (r.exit_code != 0 || ec || !v.is_object() || !v.as_object().contains("result")) {
        throw std::runtime_error(std::string(what) + " failed (exit " +
                                 std::to_string(r.exit_code) + "): " + r.out + r.err);
    }
    return v.as_object().at("result").as_object();
}

std::string Mb(long kb) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(kb) / 1024.0);
    return buf;
}

std::string Rate(double r) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f rows/s", r);
    return buf;
}

int Main(const Options& o) {
    const fs::path dir =
        fs::temp_directory_path() / ("sfkit-bulk-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir / "config");
    struct Cleanup {
        fs::path dir;
        bool keep;
        ~Cleanup() {
            if (keep) {
                std::fprintf(stderr, "kept %s\n", dir.c_str());
            } else {
                std::error_code ec;
                fs::remove_all(dir, ec);
            }
        }
    } cleanup{dir, o.keep};

    const std::string csv = (dir / "accounts.csv").string();
    const auto bytes = WriteCsv(csv, o.rows);
    std::fprintf(stderr, "bulk_bench: %ld Accounts, %.1f MB of CSV\n", o.rows, bytes / 1e6);

    const double sqlite_rate = SqliteRowsPerSecond((dir / "baseline").string(), csv, o.rows);
    std::error_code ec;
    fs::remove_all(dir / "baseline", ec);

    test::ServeConfig sc;
    sc.data_dir = (dir / "org").string();
    sc.org_def_file = std::string(SFKIT_SOURCE_DIR) + "/examples/org-def.json";
    test::ServeProcess serve(sc);

    test::ProcessOptions po;
    po.env["XDG_CONFIG_HOME"] = (dir / "config").string();
    po.cwd = dir.string();
    po.timeout = std::chrono::minutes(60);
    po.measure_rss = true;  // the CLI's own peak, not this process's
    Result(test::RunProcess({SFKIT_BINARY,
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

    auto start = Clock::now();
    auto imported = test::RunProcess({SFKIT_BINARY,
                                      "bulk",
                                      "import",
                                      "--sobject",
                                      "Account",
                                      "--file",
                                      csv,
                                      "--wait",
                                      "120",
                                      "--json"},
                                     po);
    const double import_s = Seconds(Clock::now() - start);
    const auto ir = Result(imported, "sfkit bulk import");
    const long server_after_import = VmHwmKb(serve.Pid());
    const auto processed = ir.at("processedRecords").to_number<long>();
    const auto failed = ir.at("failedRecords").to_number<long>();

    const double import_rate = static_cast<double>(processed) / import_s;
    // The server's own account of the job (totalProcessingTime), to tell processing from upload
    // and polling.
    const auto status = Result(test::RunProcess({SFKIT_BINARY,
                                                 "bulk",
                                                 "status",
                                                 "--job-id",
                                                 std::string(ir.at("jobId").as_string()),
                                                 "--json"},
                                                po),
                               "sfkit bulk status");
    const double processing_s =
        static_cast<double>(status.at("totalProcessingTime").to_number<long>()) / 1000.0;
    std::printf("\nBulk API 2.0 through the sfkit CLI, %ld Accounts (%.1f MB CSV)\n\n",
                o.rows,
                bytes / 1e6);
    std::printf("%-44s %16s   %s\n", "figure", "value", "goal");
    std::printf(
        "%-44s %16s\n", "raw SQLite insert, same rows and table", Rate(sqlite_rate).c_str());
    std::printf(
        "%-44s %16s\n", "sfkit bulk import (upload, process, wait)", Rate(import_rate).c_str());
    std::printf("%-44s %16.2f   >= 0.3\n", "  ratio to SQLite", import_rate / sqlite_rate);
    if (processing_s > 0) {
        std::printf("%-44s %16s\n",
                    "  server processing alone (totalProcessingTime)",
                    Rate(static_cast<double>(processed) / processing_s).c_str());
    }
    std::printf("%-44s %16s   < 100 MB\n", "  CLI peak RSS", Mb(imported.max_rss_kb).c_str());
    std::printf("%-44s %16s   < 100 MB\n",
                "  server peak RSS (VmHWM) after import",
                Mb(server_after_import).c_str());
    std::fflush(stdout);

    const std::string out = (dir / "export.csv").string();
    start = Clock::now();
    auto exported = test::RunProcess(
        {SFKIT_BINARY,
         "bulk",
         "export",
         "--query",
         "SELECT Id, Name, AccountNumber, Phone, BillingCity, BillingState, Industry, "
         "NumberOfEmployees, Description FROM Account",
         "--output-file",
         out,
         "--wait",
         "120",
         "--json"},
        po);
    const double export_s = Seconds(Clock::now() - start);
    const auto er = Result(exported, "sfkit bulk export");
    const long server_after_export = VmHwmKb(serve.Pid());
    const auto exported_rows = er.at("totalSize").to_number<long>();
    const double export_rate = static_cast<double>(exported_rows) / export_s;
    std::printf(
        "%-44s %16s\n", "sfkit bulk export (query, wait, download)", Rate(export_rate).c_str());
    std::printf("%-44s %16s   < 100 MB\n", "  CLI peak RSS", Mb(exported.max_rss_kb).c_str());
    std::printf("%-44s %16s   < 100 MB\n",
                "  server peak RSS (VmHWM) after export",
                Mb(server_after_export).c_str());
    std::printf("\nimport: %.2f s, %ld processed, %ld failed; export: %.2f s, %ld rows\n",
                import_s,
                processed,
                failed,
                export_s,
                exported_rows);
    if (processed != o.rows || failed != 0 || exported_rows < o.rows) {
        std::fprintf(stderr, "bulk_bench: not every row made it through\n");
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return Main(ParseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bulk_bench: %s\n", e.what());
        return 1;
    }
}
