// The public headers as a consumer sees them: <sfkit/sfkit.hpp> includes everything and no Boost
// header (the first include of this file, so nothing else can have brought Boost in), the version
// comes from project(), ErrorKind and Error print, and Result<T> behaves as documented.
#include "sfkit/sfkit.hpp"

#if defined(BOOST_CONFIG_HPP) || defined(BOOST_VERSION)
#error "<sfkit/sfkit.hpp> includes Boost headers: the public headers must need only std"
#endif

#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace sfkit {
namespace {

TEST(PublicApiTest, VersionIsTheProjectVersion) {
    const std::string v = std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor) +
                          "." + std::to_string(kVersionPatch);
    EXPECT_EQ(v, kVersionString);
    EXPECT_EQ(std::string(SFKIT_VERSION_STRING), SFKIT_TEST_PROJECT_VERSION);
    EXPECT_EQ(client::TransportOptions{}.user_agent, std::string("sfkit/") + kVersionString);
}

TEST(PublicApiTest, ErrorKindPrints) {
    EXPECT_EQ(to_string(ErrorKind::kInvalidArgument), "InvalidArgument");
    EXPECT_EQ(to_string(ErrorKind::kSession), "Session");
    EXPECT_EQ(to_string(ErrorKind::kInternal), "Internal");
    std::ostringstream os;
    os << ErrorKind::kTimeout << ' ' << MakeError(ErrorKind::kApi, "NOT_FOUND", "gone", 404);
    EXPECT_EQ(os.str(), "Timeout NOT_FOUND: gone");
}

TEST(PublicApiTest, ResultHoldsAValueOrAnError) {
    Result<std::string> ok = std::string("x");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok.has_value());
    EXPECT_FALSE(ok.has_error());
    EXPECT_EQ(*ok, "x");
    EXPECT_EQ(ok->size(), 1u);
    EXPECT_EQ(ok.value(), "x");
    EXPECT_EQ(ok.error().kind, ErrorKind::kInternal);  // a default Error, as boost's result

    Result<std::string> bad = MakeError(ErrorKind::kAuth, "invalid_grant", "no", 400);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.has_error());
    EXPECT_EQ(bad.error().code, "invalid_grant");
    try {
        (void)bad.value();
        FAIL() << "value() of an error must throw";
    } catch (const Exception& e) {
        EXPECT_EQ(e.error().http_status, 400);
        EXPECT_STREQ(e.what(), "invalid_grant: no");
    }
    bad.emplace("now a value");
    EXPECT_EQ(bad.value(), "now a value");

    Result<void> done;
    EXPECT_TRUE(done);
    EXPECT_NO_THROW(done.value());
    Result<void> failed = MakeError(ErrorKind::kIo, "", "disk full");
    EXPECT_FALSE(failed);
    EXPECT_THROW(failed.value(), Exception);
    EXPECT_EQ(failed.error().message, "disk full");
}

}  // namespace
}  // namespace sfkit
