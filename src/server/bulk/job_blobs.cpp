// Bulk job bytes in the org database, with node-local copies (see job_blobs.hpp).
#include "server/bulk/job_blobs.hpp"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "server/bulk/job_files.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server::bulk {
namespace {

/// Pieces per transaction when a file is stored (a few MiB a commit).
constexpr int kPiecesPerTransaction = 8;

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    throw std::runtime_error("bulk_blob: not hex text");
}

}  // namespace

JobBlobs::JobBlobs(Database& db, JobFiles& files) : db_(db), files_(files) {}

void JobBlobs::CreateTables() {
    Transaction tx(db_);
    // Not STRICT: SQLite keeps the bytes bound as text as they are (length in `len`, bytes).
    db_.Exec(std::string("CREATE TABLE IF NOT EXISTS bulk_blob (job_id TEXT NOT NULL, "
                         "name TEXT NOT NULL, pos INTEGER NOT NULL, len INTEGER NOT NULL, data ") +
             (db_.Dialect().Postgres() ? "BYTEA" : "BLOB") +
             " NOT NULL, PRIMARY KEY (job_id, name, pos))");
    tx.Commit();
}

std::string JobBlobs::Encode(std::string_view bytes) const {
    if (!db_.Dialect().Postgres()) {
        return std::string(bytes);
    }
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.resize(2 + 2 * bytes.size());
    out[0] = '\\';
    out[1] = 'x';
    std::size_t o = 2;
    for (unsigned char c : bytes) {
        out[o++] = kHex[c >> 4];
        out[o++] = kHex[c & 0xF];
    }
    return out;
}

std::string JobBlobs::Decode(std::string text) const {
    if (!db_.Dialect().Postgres()) {
        return text;
    }
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
        throw std::runtime_error("bulk_blob: unexpected bytea text");
    }
    std::string out((text.size() - 2) / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<char>(HexValue(text[2 + 2 * i]) * 16 + HexValue(text[3 + 2 * i]));
    }
    return out;
}

std::int64_t JobBlobs::Append(const std::string& job,
                              const std::string& name,
                              std::int64_t size,
                              std::string_view bytes) {
    if (bytes.empty()) {
        return size;
    }
    Transaction tx(db_);
    Statement& st =
        db_.Cached("INSERT INTO bulk_blob (job_id, name, pos, len, data) VALUES (?, ?, ?, ?, ?)");
    while (!bytes.empty()) {
        const std::string_view piece = bytes.substr(0, kBlobPiece);
        st.Bind(1, job);
        st.Bind(2, name);
        st.Bind(3, size);
        st.Bind(4, static_cast<std::int64_t>(piece.size()));
        st.Bind(5, Encode(piece));
        try {
            st.Run();
        } catch (...) {
            st.Reset();
            throw;
        }
        st.Reset();
        size += static_cast<std::int64_t>(piece.size());
        bytes.remove_prefix(piece.size());
    }
    tx.Commit();
    return size;
}

std::int64_t JobBlobs::StoreFile(const std::string& job,
                                 const std::string& name,
                                 const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::string buf(kBlobPiece, '\0');
    std::int64_t size = 0;
    bool more = true;
    while (more) {
        Transaction tx(db_);
        for (int i = 0; i < kPiecesPerTransaction && more; ++i) {
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got == 0) {
                more = false;
                break;
            }
            size = Append(job, name, size, std::string_view(buf.data(), got));
            more = got == buf.size();
        }
        tx.Commit();
    }
    if (in.bad()) {
        throw std::runtime_error("cannot read " + path.string());
    }
    return size;
}

std::int64_t JobBlobs::Size(const std::string& job, const std::string& name) {
    auto reader = db_.Read();
    Statement& st = reader.Cached(
        "SELECT pos + len FROM bulk_blob WHERE job_id = ? AND name = ? ORDER BY pos DESC LIMIT 1");
    st.Bind(1, job);
    st.Bind(2, name);
    std::int64_t size = 0;
    try {
        if (st.Step()) {
            size = st.Int(0);
        }
    } catch (...) {
        st.Reset();
        throw;
    }
    st.Reset();
    return size;
}

void JobBlobs::Rename(const std::string& job, const std::string& from, const std::string& to) {
    Transaction tx(db_);
    Statement st = db_.Prepare("UPDATE bulk_blob SET name = ? WHERE job_id = ? AND name = ?");
    st.Bind(1, to);
    st.Bind(2, job);
    st.Bind(3, from);
    st.Run();
    tx.Commit();
}

void JobBlobs::RemoveBlob(const std::string& job, const std::string& name) {
    Transaction tx(db_);
    Statement st = db_.Prepare("DELETE FROM bulk_blob WHERE job_id = ? AND name = ?");
    st.Bind(1, job);
    st.Bind(2, name);
    st.Run();
    tx.Commit();
}

void JobBlobs::RemoveRows(const std::string& job) {
    Transaction tx(db_);
    Statement st = db_.Prepare("DELETE FROM bulk_blob WHERE job_id = ?");
    st.Bind(1, job);
    st.Run();
    tx.Commit();
}

void JobBlobs::RemoveLocal(const std::string& job) {
    std::lock_guard lock(local_mu_);
    files_.Remove(job);
}

std::filesystem::path JobBlobs::Local(const std::string& job,
                                      const std::string& name,
                                      std::int64_t size) {
    std::lock_guard lock(local_mu_);
    const std::filesystem::path path = files_.PathOf(job, name);
    auto have = static_cast<std::int64_t>(FileSize(path));
    if (have >= size) {
        return path;
    }
    AppendFile out(path, /*durable=*/false);  // a copy: the database has the bytes
    while (have < size) {
        // A few pieces at a time: memory stays bounded whatever the blob's size.
        auto reader = db_.Read();
        Statement st = reader.Prepare(
            "SELECT pos, data FROM bulk_blob WHERE job_id = ? AND name = ? AND pos + len > ? "
            "ORDER BY pos LIMIT 4");
        st.Bind(1, job);
        st.Bind(2, name);
        st.Bind(3, have);
        bool any = false;
        while (st.Step()) {
            any = true;
            const std::int64_t pos = st.Int(0);
            if (pos > have) {
                throw std::runtime_error("bulk_blob: a gap in " + job + "/" + name);
            }
            const std::string piece = Decode(st.Text(1));
            out.Append(std::string_view(piece).substr(static_cast<std::size_t>(have - pos)));
            have = pos + static_cast<std::int64_t>(piece.size());
        }
        if (!any) {
            throw std::runtime_error("bulk_blob: " + job + "/" + name + " has fewer bytes than " +
                                     std::to_string(size));
        }
    }
    return path;
}

void JobBlobs::AdoptLocal(const std::string& job,
                          const std::string& name,
                          const std::filesystem::path& path) {
    std::lock_guard lock(local_mu_);
    const std::filesystem::path dest = files_.PathOf(job, name);
    std::error_code ec;
    std::filesystem::rename(path, dest, ec);
    if (ec) {
        std::filesystem::remove(path, ec);  // the copy is filled from the database instead
    }
}

}  // namespace sfkit::server::bulk
