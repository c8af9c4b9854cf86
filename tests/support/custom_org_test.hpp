// A gtest fixture over a TestOrg started from tests/data/org-def-custom.json, logged in: raw
// HTTP calls with the bearer token, and a SOQL column reader to check what a request stored.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/client/http.hpp"

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {

class CustomOrgTest : public ::testing::Test {
protected:
    static server::LocalOrgOptions Options() {
        server::LocalOrgOptions options = TestOrg::DefaultOptions();
        options.org_def_file = TestDataPath("org-def-custom.json");
        return options;
    }
    CustomOrgTest() : org_(Options()) {}
    /// With options of the test's own (start from Options()).
    explicit CustomOrgTest(server::LocalOrgOptions options) : org_(std::move(options)) {}
    void SetUp() override { token_ = org_.Login(); }

    RawResponse Call(const std::string& method,
                     const std::string& target,
                     std::vector<std::string> headers = {},
                     const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + token_);
        return Fetch(org_.Port(), method, target, headers, body);
    }

    /// The values of `field` of the live records a SOQL query finds (v60.0), in query order;
    /// non-strings as their JSON text.
    std::vector<std::string> Column(const std::string& soql, const std::string& field) {
        auto r = Call("GET", "/services/data/v60.0/query?q=" + client::PercentEncode(soql));
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        const boost::json::value parsed = boost::json::parse(r.body);
        for (const auto& rec : parsed.at("records").as_array()) {
            const boost::json::value& v = rec.at(field);
            out.push_back(v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v));
        }
        return out;
    }

    TestOrg org_;
    std::string token_;
};

}  // namespace sfkit::test
