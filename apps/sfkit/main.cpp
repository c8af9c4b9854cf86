#include "server/net/http_server.hpp"
#include <cstdio>
int main() {
    sfkit::server::HttpServerOptions o; o.port = 0;
    sfkit::server::HttpServer s(o, [](const sfkit::server::Request&) { sfkit::server::Response r; r.body = "hi"; return r; });
    s.Start();
    std::printf("sfkit local org ready at http://127.0.0.1:%u\n", s.Port());
    std::fflush(stdout);
    s.RunUntilSignal();
}
