// The password flow of the test org definition's admin (test_org.hpp), for client tests that
// log in to a TestOrg through libsfkit.
#pragma once

#include "sfkit/client/oauth.hpp"

#include "support/test_org.hpp"

namespace sfkit::test {

inline client::PasswordFlow AdminPasswordFlow(const TestOrg& org) {
    client::PasswordFlow flow;
    flow.login_url = org.BaseUrl();
    flow.client_id = kClientId;
    flow.client_secret = kClientSecret;
    flow.username = kUser;
    flow.password = kPassword;
    flow.security_token = kSecurityToken;
    return flow;
}

}  // namespace sfkit::test
