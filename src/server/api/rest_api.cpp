// First cut of the REST API: the versions list only; the sObject resources replace this file.
#include "server/api/rest_api.hpp"

#include <boost/json.hpp>

#include "server/api/render.hpp"
#include "server/http/router.hpp"

namespace sfkit::server {

struct RestApi::Impl {};

RestApi::RestApi(Database&, AuthService&, const LocalOrgOptions&)
    : impl_(std::make_unique<Impl>()) {}
RestApi::~RestApi() = default;
void RestApi::Bootstrap() {}

void RestApi::RegisterRoutes(Router& router) {
    router.Add({{"GET"}, "/services/data", false, [](Call& call) {
                    boost::json::array a;
                    a.push_back(boost::json::object{{"label", "Winter '24"},
                                                    {"url", "/services/data/v59.0"},
                                                    {"version", "59.0"}});
                    return JsonResponse(200, a, call.pretty);
                }});
}

}  // namespace sfkit::server
