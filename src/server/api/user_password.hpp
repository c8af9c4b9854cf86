// GET/POST/DELETE /services/data/vNN.N/sobjects/User/{id}/password (REST API Developer Guide,
// "sObject User Password" [D]): whether the password has expired, set it, reset it.
#pragma once

namespace sfkit::server {

class AuthService;
class Router;

void RegisterUserPasswordRoutes(Router& router, AuthService& auth);

}  // namespace sfkit::server
