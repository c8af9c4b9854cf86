// The fixture of the sfkit CLI tests (cli_test.cpp, cli_rest_test.cpp): runs the sfkit binary
// with a private config dir and working dir, and parses its --json envelopes.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {

inline boost::json::object ParseEnvelope(const std::string& out) {
    boost::json::error_code ec;
    auto v = boost::json::parse(out, ec);
    EXPECT_FALSE(ec) << "not JSON: " << out;
    return ec || !v.is_object() ? boost::json::object() : v.as_object();
}

/// The string in a JSON value, or a marker that fails comparisons.
inline std::string S(const boost::json::value& v) {
    return v.is_string() ? std::string(v.get_string())
                         : "<not a string: " + boost::json::serialize(v) + ">";
}

/// Runs sfkit with a private config dir (and HOME) and working dir, and no SFKIT_* settings
/// leaking in from the developer's environment.
class CliTest : public ::testing::Test {
protected:
    ProcessResult Sfkit(std::vector<std::string> args,
                        std::map<std::string, std::optional<std::string>> env = {},
                        std::string input = {}) {
        std::vector<std::string> argv = {SFKIT_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessOptions o;
        o.cwd = work_.Path();
        o.input = std::move(input);
        o.timeout = timeout_;
        o.measure_rss = measure_rss_;
        o.env = {{"XDG_CONFIG_HOME", config_.Path()},
                 {"HOME", config_.Path()},  // no sf CLI logins (~/.sfdx) from the developer
                 {"SFKIT_CLIENT_ID", std::nullopt},
                 {"SFKIT_CLIENT_SECRET", std::nullopt},
                 {"SFKIT_USERNAME", std::nullopt},
                 {"SFKIT_PASSWORD", std::nullopt},
                 {"SFKIT_SECURITY_TOKEN", std::nullopt},
                 {"SFKIT_LOGIN_URL", std::nullopt},
                 {"SFKIT_TARGET_ORG", std::nullopt},
                 {"http_proxy", std::nullopt},
                 {"HTTP_PROXY", std::nullopt},
                 {"ALL_PROXY", std::nullopt}};
        for (auto& [k, v] : env) {
            o.env[k] = v;
        }
        return RunProcess(argv, o);
    }

    std::vector<std::string> PasswordLogin(const std::string& url) {
        return {"login",
                "password",
                "--login-url",
                url,
                "--client-id",
                kClientId,
                "--client-secret",
                kClientSecret,
                "--username",
                kUser,
                "--password",
                kPassword,
                "--security-token",
                kSecurityToken};
    }

    void WriteFile(const std::string& name, const std::string& text) {
        std::ofstream(work_.Path() + "/" + name) << text;
    }

    std::string LoginFile(const std::string& alias) const {
        return config_.Path() + "/sfkit/logins/" + alias + ".json";
    }

    TempDir config_;
    TempDir work_;
    /// How long one sfkit run may take before it is killed.
    std::chrono::milliseconds timeout_{20'000};
    /// Measure each run's own peak RSS (ProcessOptions::measure_rss).
    bool measure_rss_ = false;
};

}  // namespace sfkit::test
