// The dispatcher: suffix and format negotiation, routing, authentication, API usage counting,
// and the single place where handler exceptions become Salesforce-shaped answers.
#include "server/org/local_org.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec/utf8.hpp"
#include "server/api/render.hpp"
#include "server/api/rest_api.hpp"
#include "server/bulk/bulk_services.hpp"
#include "server/http/api_error.hpp"
#include "server/http/router.hpp"
#include "server/storage/database.hpp"
#include "server/storage/migrations.hpp"

namespace sfkit::server {
namespace {

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Splits a `.json` / `.xml` suffix off the last path segment.
std::string_view SplitSuffix(std::string& path) {
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return {};
    }
    const std::string_view ext = std::string_view(path).substr(dot + 1);
    if (ext == "json" || ext == "xml") {
        const std::string_view out = ext == "json" ? "json" : "xml";
        path.resize(dot);
        return out;
    }
    return {};
}

/// Makes `path` owner-only (0600) if it exists as a regular file. Opened without following
/// symbolic links, so a link planted in a shared directory is refused, not followed.
void MakeOwnerOnly(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) {
            return;
        }
        throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    struct stat st {};
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                    ((st.st_mode & 07777) == 0600 || ::fchmod(fd, 0600) == 0);
    const int err = errno;
    ::close(fd);
    if (!ok) {
        throw std::runtime_error("cannot make " + path.string() +
                                 " owner-only: " + std::strerror(err));
    }
}

/// Creates the data directory when missing: 0700, its parents with the default mode.
std::filesystem::path EnsureDataDir(const std::string& dir_name) {
    const std::filesystem::path dir(dir_name);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        if (dir.has_parent_path()) {
            std::filesystem::create_directories(dir.parent_path(), ec);
        }
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
            throw std::runtime_error("cannot create data directory " + dir_name + ": " +
                                     std::strerror(errno));
        }
        if (!std::filesystem::is_directory(dir, ec)) {
            throw std::runtime_error("data directory " + dir_name + " is not a directory");
        }
    }
    return dir;
}

/// Readies the data directory and returns the database path. A missing directory is created
/// 0700 (its parents with the default mode); an existing one keeps its mode (it may be shared,
/// such as /tmp). Either way every file the org keeps there is owner-only: the database is
/// created 0600 before SQLite opens it, and SQLite gives its -wal, -shm and -journal files the
/// mode of the database file; files left wider by an older version are narrowed.
std::string PrepareDataDir(const std::string& dir_name) {
    const std::filesystem::path dir = EnsureDataDir(dir_name);
    const std::filesystem::path db = dir / "org.db";
    const int fd = ::open(db.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);  // an empty file is an empty database to SQLite
    } else if (errno != EEXIST) {
        throw std::runtime_error("cannot create " + db.string() + ": " + std::strerror(errno));
    }
    for (const char* name :
         {"org.db", "org.db-wal", "org.db-shm", "org.db-journal", "credentials.json"}) {
        MakeOwnerOnly(dir / name);
    }
    return db.string();
}

/// The directory of a PostgreSQL node's own files (bulk results, streamed bodies,
/// credentials.json): data_dir, created 0700 when missing; a private temporary directory for an
/// in-memory node. (The org's records live in PostgreSQL; these files are this node's.)
std::string PrepareNodeFilesDir(const LocalOrgOptions& options) {
    if (options.in_memory) {
        std::string templ = (std::filesystem::temp_directory_path() / "sfkit-node-XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr) {
            throw std::runtime_error("cannot create a node directory: " +
                                     std::string(std::strerror(errno)));
        }
        return templ;
    }
    return EnsureDataDir(options.data_dir).string();
}

/// Creates `<dir>/bulk-upload` (0700) for streamed request bodies and removes what a previous
/// run left there (bodies of uploads cut short by a crash).
std::string PrepareBodyFileDir(const std::filesystem::path& dir) {
    const std::filesystem::path up = dir / "bulk-upload";
    if (::mkdir(up.c_str(), 0700) != 0 && errno != EEXIST) {
        throw std::runtime_error("cannot create " + up.string() + ": " + std::strerror(errno));
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(up, ec)) {
        if (entry.path().filename().string().rfind("body-", 0) == 0) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
    return up.string();
}

}  // namespace

ApiUsage::~ApiUsage() {
    if (flusher_.joinable()) {
        {
            std::lock_guard lock(stop_mu_);
            stop_ = true;
        }
        stop_cv_.notify_all();
        flusher_.join();
        Flush();  // this node's last calls
    }
}

void ApiUsage::Attach(Database& db) {
    {
        Transaction tx(db);
        db.Exec(
            "CREATE TABLE IF NOT EXISTS api_usage (id INTEGER PRIMARY KEY, used INTEGER NOT NULL, "
            "window_start_ms INTEGER NOT NULL)");
        db.Prepare("INSERT OR IGNORE INTO api_usage (id, used, window_start_ms) VALUES (1, 0, ?)")
            .Bind(1, std::int64_t{NowMs()})
            .Run();
        tx.Commit();
    }
    db_ = &db;
    Flush();  // reads the stored count
    flusher_ = std::thread([this] { FlushLoop(); });
}

void ApiUsage::FlushLoop() {
    std::unique_lock lock(stop_mu_);
    while (!stop_cv_.wait_for(lock, kFlushInterval, [this] { return stop_; })) {
        lock.unlock();
        bool any = false;
        {
            std::lock_guard guard(mu_);
            any = pending_ != 0;
        }
        if (any) {
            Flush();
        }
        lock.lock();
    }
}

bool ApiUsage::Flush() const {
    std::lock_guard flushing(flush_mu_);
    long long add = 0;
    {
        std::lock_guard lock(mu_);
        add = pending_;
    }
    try {
        Transaction tx(*db_);
        // One statement, so that the write-backs of concurrent nodes add up; the window starts
        // again (with the calls being added) once it is 24 h old.
        Statement st = db_->Prepare(
            "UPDATE api_usage SET used = CASE WHEN ? - window_start_ms > ? THEN ? ELSE used + ? "
            "END, window_start_ms = CASE WHEN ? - window_start_ms > ? THEN ? ELSE "
            "window_start_ms END WHERE id = 1 RETURNING used");
        const std::int64_t now = NowMs();
        st.Bind(1, now).Bind(2, std::int64_t{kWindowMs}).Bind(3, std::int64_t{add});
        st.Bind(4, std::int64_t{add}).Bind(5, now).Bind(6, std::int64_t{kWindowMs}).Bind(7, now);
        const long long used = st.Step() ? st.Int(0) : 0;
        st.Reset();
        tx.Commit();
        // The calls written back leave the pending count as the stored one takes them in, so
        // that what this node reports never dips while a write-back runs.
        std::lock_guard lock(mu_);
        stored_ = used;
        pending_ -= add;
        return true;
    } catch (const StorageError& e) {
        spdlog::warn("api usage not written back (kept for the next attempt): {}", e.what());
        return false;
    }
}

long long ApiUsage::Count() {
    std::lock_guard lock(mu_);
    if (db_ == nullptr) {
        const auto now = NowMs();
        if (now - window_start_ms_ > kWindowMs) {
            window_start_ms_ = now;
            pending_ = 0;
        }
    }
    return stored_ + ++pending_;
}

long long ApiUsage::Used() const {
    std::lock_guard lock(mu_);
    return stored_ + pending_;
}

long long ApiUsage::Current() const {
    if (db_ != nullptr) {
        Flush();
    }
    return Used();
}

LocalOrg::LocalOrg(LocalOrgOptions options)
    : options_(std::move(options)), bulk_usage_(options_.clock), usage_(options_.api_daily_limit) {
    std::string db_path = ":memory:";
    if (!options_.database.empty()) {
        db_path = options_.database;
    } else if (!options_.in_memory) {
        db_path = PrepareDataDir(options_.data_dir);
    }
    db_ = std::make_unique<Database>(db_path);
    if (db_->Dialect().Postgres()) {
        db_->SetFilesDir(PrepareNodeFilesDir(options_), options_.in_memory);
    }
    // Nodes sharing a PostgreSQL org start one at a time: the first creates the schema and
    // loads the org definition, the next ones find them (and check their definition matches).
    PrepareEngine(*db_);
    std::optional<BootstrapLock> bootstrap;
    bootstrap.emplace(*db_);
    auth_ = std::make_unique<AuthService>(*db_, options_);
    // The data model first: a bad custom object in the org definition stops the start before
    // anything is written, and the record tables must exist before auth publishes the users
    // into them (User/Profile/Organization records).
    rest_ = std::make_unique<RestApi>(*db_, *auth_, options_);
    usage_.Attach(*db_);
    bulk_usage_.Attach(*db_);  // the daily Bulk allocations, shared by the org's nodes
    rest_->SetApiUsage(&usage_);
    rest_->SetBulkUsage(&bulk_usage_);
    rest_->Bootstrap();
    auth_->SetDirectorySink(&rest_->Directory());
    credentials_ = auth_->Bootstrap();
    router_ = std::make_unique<Router>();
    auth_->RegisterRoutes(*router_);
    rest_->RegisterRoutes(*router_);
    bulk_ = std::make_unique<bulk::BulkServices>(*db_, rest_->Records(), options_, bulk_usage_);
    AddBulk1();  // Bulk API 1.0 (src/server/bulk/async_org.cpp)
    bulk_->RegisterRoutes(*router_);
    // Under the bootstrap lock too: the Bulk APIs create and widen their tables (job leases).
    bulk_->Start();
    bootstrap.reset();
    body_file_dir_ = PrepareBodyFileDir(db_->FilesDir());
}

BodyFileRoute LocalOrg::BodyFileTargets() const {
    return [this](const Request& head) -> std::optional<BodyFileTarget> {
        std::string path = head.path;
        SplitSuffix(path);
        const RouteMatch m = router_->Match(head.method, path);
        if (m.route == nullptr || m.route->body_file_limit == 0) {
            return std::nullopt;
        }
        return BodyFileTarget{body_file_dir_, m.route->body_file_limit};
    };
}

LocalOrg::~LocalOrg() = default;

RecordStore::WriteStats LocalOrg::RecordWrites() const {
    return rest_->Writes();
}

const OrgInfo& LocalOrg::Org() const {
    return auth_->Org();
}

namespace {

/// Every text body the org writes is UTF-8 (each such Content-Type says `charset=UTF-8`). The
/// JSON and XML writers already write malformed text they echo as U+FFFD (codec/utf8.hpp); this
/// is the same repair for text bodies assembled by hand (HTML pages, plain-text and form
/// answers, pugixml documents), so no answer can carry bytes that are not UTF-8. A body of any
/// other media type (binary content, should a resource ever serve some) is left alone.
void EnsureUtf8Body(Response& resp) {
    const std::string* type = resp.Header("Content-Type");
    const bool text = type == nullptr || type->rfind("text/", 0) == 0 ||
                      type->rfind("application/json", 0) == 0 ||
                      type->rfind("application/xml", 0) == 0 ||
                      type->rfind("application/x-www-form-urlencoded", 0) == 0;
    if (text && !codec::IsValidUtf8(resp.body)) {
        resp.body = codec::ToValidUtf8(resp.body);
    }
}

}  // namespace

Response LocalOrg::Handle(const Request& req) {
    // Every method that may change state (a record write, a login writing its session) waits
    // for a commit: it runs on the server's write pool, where many writes wait together and
    // share one group commit, instead of holding an I/O thread. Reads stay here.
    const std::string& m = req.method;
    if (m != "GET" && m != "HEAD" && m != "OPTIONS") {
        Response resp;
        resp.waits_for_commit = [this](const Request& r) { return Dispatch(r); };
        return resp;
    }
    return Dispatch(req);
}

Response LocalOrg::Dispatch(const Request& req) {
    std::string path = req.path;
    const std::string_view suffix = SplitSuffix(path);
    const Format format = NegotiateFormat(req, suffix);
    const std::string* pp = req.Header("X-PrettyPrint");
    const bool pretty = pp != nullptr && *pp == "1";
    const bool under_versioned_api = path.rfind("/services/data/v", 0) == 0;

    bool counted = false;
    Response resp;
    try {
        RouteMatch m = router_->Match(req.method, path);
        Session session;
        const bool needs_auth = m.route ? m.route->requires_auth : under_versioned_api;
        if (needs_auth) {
            session = auth_->Authenticate(req);
            usage_.Count();
            counted = true;
        }
        if (m.route == nullptr) {
            throw NoRoute(req.method, m.allowed);
        }
        Call call{req, std::move(m.params), nullptr, format, pretty, {}, {}};
        call.session = needs_auth ? &session : nullptr;
        call.format = format;
        call.pretty = pretty;
        call.api_version = call.Param("version");
        call.base_url =
            options_.public_url.empty() ? req.BaseUrl("http://127.0.0.1") : options_.public_url;
        resp = m.route->handler(call);
    } catch (const ApiError& e) {
        resp = RenderError(e, format, pretty);
    } catch (const StorageError& e) {
        spdlog::error("storage error on {} {}: {}", req.method, path, LogExcerpt(e.what()));
        resp = RenderError(ApiError(500,
                                    "UNKNOWN_EXCEPTION",
                                    "An unexpected error occurred. Please include this ErrorId if "
                                    "you contact support: sfkit-storage"),
                           format,
                           pretty);
    } catch (const std::exception& e) {
        spdlog::error("unexpected error on {} {}: {}", req.method, path, LogExcerpt(e.what()));
        resp = RenderError(
            ApiError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred."), format, pretty);
    }
    if (counted) {
        resp.SetHeader(
            "Sforce-Limit-Info",
            "api-usage=" + std::to_string(usage_.Used()) + "/" + std::to_string(usage_.Max()));
    }
    if (resp.deferred) {
        // Finished on the server's blocking pool (password checks): checked and logged when done.
        resp.deferred = [inner = std::move(resp.deferred), method = req.method, path] {
            Response done = inner();
            EnsureUtf8Body(done);
            spdlog::debug("{} {} -> {}", method, path, done.status);
            return done;
        };
        return resp;
    }
    EnsureUtf8Body(resp);
    spdlog::debug(
        "{} {} -> {}", req.method, path, resp.status);  // never the query: it may hold tokens
    return resp;
}

}  // namespace sfkit::server
