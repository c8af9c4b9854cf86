// Leases on Bulk jobs (see job_leases.hpp).
#include "server/bulk/job_leases.hpp"

#include <random>
#include <stdexcept>

#include "server/storage/database.hpp"

namespace sfkit::server::bulk {

JobLeases::JobLeases(Database& db,
                     std::string table,
                     std::string node_id,
                     std::chrono::milliseconds lease)
    : db_(db), table_(std::move(table)), node_(std::move(node_id)), lease_(lease) {
    if (table_.empty() ||
        table_.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        throw std::invalid_argument("not a table name: " + table_);
    }
}

std::int64_t JobLeases::NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void JobLeases::AddColumns() {
    Transaction tx(db_);
    bool has_node = false;
    bool has_until = false;
    {
        Statement st = db_.Prepare(db_.Dialect().TableColumns(table_));
        while (st.Step()) {
            const std::string name = st.Text(0);
            has_node = has_node || name == "lease_node";
            has_until = has_until || name == "lease_until";
        }
    }
    if (!has_node) {
        db_.Exec("ALTER TABLE " + table_ + " ADD COLUMN lease_node TEXT NOT NULL DEFAULT ''");
    }
    if (!has_until) {
        db_.Exec("ALTER TABLE " + table_ + " ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0");
    }
    tx.Commit();
}

std::optional<std::string> JobLeases::ClaimNext(std::string_view claimable) {
    const std::int64_t now = NowMs();
    const std::string where = "(" + std::string(claimable) + ") AND lease_until < ?";
    {
        auto reader = db_.Read();
        Statement st = reader.Prepare("SELECT id FROM " + table_ + " WHERE " + where + " LIMIT 1");
        st.Bind(1, now);
        if (!st.Step()) {
            return std::nullopt;
        }
    }
    // PostgreSQL: rows another node is claiming right now are skipped, not waited for. SQLite
    // has one writer, so the subquery's row cannot change before the UPDATE.
    const char* skip = db_.Dialect().Postgres() ? " FOR UPDATE SKIP LOCKED" : "";
    Transaction tx(db_);
    Statement st = db_.Prepare("UPDATE " + table_ +
                               " SET lease_node = ?, lease_until = ? WHERE id = (SELECT id FROM " +
                               table_ + " WHERE " + where + " ORDER BY id LIMIT 1" + skip +
                               ") AND lease_until < ? RETURNING id");
    st.Bind(1, node_);
    st.Bind(2, now + lease_.count());
    st.Bind(3, now);
    st.Bind(4, now);
    std::optional<std::string> id;
    if (st.Step()) {
        id = st.Text(0);
        while (st.Step()) {
        }
    }
    tx.Commit();
    return id;
}

void JobLeases::ClaimWhileFree(std::string_view claimable,
                               std::size_t most,
                               std::atomic<std::size_t>& active,
                               const std::function<bool()>& stopping,
                               const std::function<void(const std::string&)>& start) {
    while (active.load() < most && !stopping()) {
        const auto id = ClaimNext(claimable);
        if (!id) {
            return;
        }
        ++active;
        start(*id);
    }
}

bool JobLeases::Renew(const std::string& id) {
    Transaction tx(db_);  // joins the caller's
    Statement st =
        db_.Prepare("UPDATE " + table_ + " SET lease_until = ? WHERE id = ? AND lease_node = ?");
    st.Bind(1, NowMs() + lease_.count());
    st.Bind(2, id);
    st.Bind(3, node_);
    st.Run();
    const bool mine = db_.Changes() > 0;
    tx.Commit();
    return mine;
}

void JobLeases::Release(const std::string& id) {
    Transaction tx(db_);
    Statement st =
        db_.Prepare("UPDATE " + table_ + " SET lease_until = 0 WHERE id = ? AND lease_node = ?");
    st.Bind(1, id);
    st.Bind(2, node_);
    st.Run();
    tx.Commit();
}

void JobLeases::ReleaseMine() {
    Transaction tx(db_);
    Statement st = db_.Prepare("UPDATE " + table_ +
                               " SET lease_until = 0 WHERE lease_node = ? AND lease_until > 0");
    st.Bind(1, node_);
    st.Run();
    tx.Commit();
}

void JobLeases::ForgetAll() {
    Transaction tx(db_);
    db_.Exec("UPDATE " + table_ + " SET lease_until = 0 WHERE lease_until > 0");
    tx.Commit();
}

std::string NewNodeId() {
    std::random_device rd;
    std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
    const std::uint64_t v = gen();
    static const char* kHex = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i) {
        out[static_cast<std::size_t>(i)] = kHex[(v >> (4 * (15 - i))) & 0xF];
    }
    return out;
}

}  // namespace sfkit::server::bulk
