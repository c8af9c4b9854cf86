// Uses libsfkit the way an application would, through the installed umbrella header only, which
// must not bring in Boost (it comes first, so nothing else can have included Boost).
#include <sfkit/sfkit.hpp>

#if defined(BOOST_CONFIG_HPP) || defined(BOOST_VERSION)
#error "<sfkit/sfkit.hpp> includes Boost headers"
#endif

#include <cstdio>
#include <memory>
#include <sstream>

int main() {
    auto id = sfkit::Id::Parse("001xx000003DGb2");
    if (!id || id->Str18() != "001xx000003DGb2AAG") {
        std::fprintf(stderr, "Id::Parse failed\n");
        return 1;
    }
    sfkit::client::Token token;
    token.access_token = "not-used";
    token.instance_url = "http://127.0.0.1:1";
    sfkit::client::RestClient rest(token);  // builds a CurlTransport; no request is sent
    sfkit::client::Record acct("Account");
    acct.Set("Name", "Consumer").Set("NumberOfEmployees", 3);
    if (acct.ToJson(false) != R"({"Name":"Consumer","NumberOfEmployees":3})" ||
        rest.ApiVersion() != "60.0") {
        std::fprintf(stderr, "unexpected record JSON or API version\n");
        return 1;
    }
    std::ostringstream kind;
    kind << sfkit::ErrorKind::kTransport;
    if (kind.str() != "Transport") {
        std::fprintf(stderr, "ErrorKind printed as %s\n", kind.str().c_str());
        return 1;
    }
    std::printf("sfkit %s consumer ok: %s %s\n",
                sfkit::kVersionString,
                id->Str18().c_str(),
                sfkit::client::TokenSignature("k", "id", "1").c_str());
    return 0;
}
