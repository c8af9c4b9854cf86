// Uses libsfkit the way an application would, through the installed headers only.
#include <cstdio>
#include <memory>

#include "sfkit/client/oauth.hpp"
#include "sfkit/client/record.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/core/id.hpp"

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
    std::printf("sfkit consumer ok: %s %s\n",
                id->Str18().c_str(),
                sfkit::client::TokenSignature("k", "id", "1").c_str());
    return 0;
}
