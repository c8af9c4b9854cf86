// What a browser keeps from the local org's login page (the web-server flow's authorize page and
// the device flow's verification page): the anti-forgery field and its cookie.
#pragma once

#include <string>

#include "support/raw_http.hpp"

namespace sfkit::test {

struct LoginForm {
    std::string token;   ///< value of the hidden sfkit_csrf field
    std::string cookie;  ///< "name=value" of the Set-Cookie
};

inline LoginForm FormOf(const RawResponse& page) {
    LoginForm f;
    const std::string marker = "name=\"sfkit_csrf\" value=\"";
    if (auto p = page.body.find(marker); p != std::string::npos) {
        p += marker.size();
        f.token = page.body.substr(p, page.body.find('"', p) - p);
    }
    const std::string set_cookie = page.Header("Set-Cookie");
    f.cookie = set_cookie.substr(0, set_cookie.find(';'));
    return f;
}

}  // namespace sfkit::test
