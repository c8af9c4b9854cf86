// `sfkit --version` prints the version of project() (through the generated sfkit/version.hpp).
#include <string>

#include <gtest/gtest.h>

#include "sfkit/version.hpp"

#include "support/subprocess.hpp"

namespace sfkit::test {
namespace {

TEST(CliVersionTest, PrintsTheProjectVersion) {
    const ProcessResult r = RunProcess({SFKIT_BINARY, "--version"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, std::string("sfkit ") + SFKIT_VERSION_STRING + "\n");
    EXPECT_EQ(std::string(SFKIT_VERSION_STRING), SFKIT_TEST_PROJECT_VERSION);
}

}  // namespace
}  // namespace sfkit::test
