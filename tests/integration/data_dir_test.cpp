// The data directory of a local org: created owner-only when it does not exist, left alone when
// it does (a shared 1777 directory must stay 1777), and the files the org keeps in it (the
// database, its -wal/-shm and the first-start credentials) are owner-only either way.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "server/org/local_org.hpp"
#include "support/subprocess.hpp"

namespace sfkit::test {
namespace {

namespace fs = std::filesystem;

unsigned Mode(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        ADD_FAILURE() << "cannot stat " << p;
        return 0;
    }
    return st.st_mode & 07777;
}

server::LocalOrgOptions OnDisk(const fs::path& dir) {
    server::LocalOrgOptions o;
    o.in_memory = false;
    o.data_dir = dir.string();
    return o;  // no org definition: the first start creates and saves credentials
}

/// Every file the org keeps in `dir` is 0600 while the org is open.
void ExpectOwnerOnlyFiles(const fs::path& dir) {
    for (const char* name : {"org.db", "org.db-wal", "org.db-shm", "credentials.json"}) {
        ASSERT_TRUE(fs::exists(dir / name)) << name;
        EXPECT_EQ(Mode(dir / name), 0600u) << name;
    }
}

TEST(DataDirTest, ExistingSharedDirectoryKeepsItsMode) {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.Path()) / "shared";
    fs::create_directory(dir);
    ASSERT_EQ(::chmod(dir.c_str(), 01777), 0);
    {
        server::LocalOrg org(OnDisk(dir));
        EXPECT_EQ(Mode(dir), 01777u);
        ExpectOwnerOnlyFiles(dir);
    }
    EXPECT_EQ(Mode(dir), 01777u);
}

TEST(DataDirTest, MissingDirectoryIsCreatedOwnerOnly) {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.Path()) / "a" / "org";
    server::LocalOrg org(OnDisk(dir));
    EXPECT_EQ(Mode(dir), 0700u);
    ExpectOwnerOnlyFiles(dir);
}

TEST(DataDirTest, FilesLeftReadableByAnOlderVersionAreTightened) {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.Path()) / "org";
    { server::LocalOrg org(OnDisk(dir)); }
    for (const auto& entry : fs::directory_iterator(dir)) {
        ASSERT_EQ(::chmod(entry.path().c_str(), 0644), 0);
    }
    ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
    server::LocalOrg org(OnDisk(dir));
    EXPECT_EQ(Mode(dir), 0755u);
    ExpectOwnerOnlyFiles(dir);
}

}  // namespace
}  // namespace sfkit::test
