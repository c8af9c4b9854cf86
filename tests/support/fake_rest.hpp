// A RestClient over a FakeTransport with a made-up token, for the client's unit tests.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sfkit/client/rest_client.hpp"

#include "support/fake_transport.hpp"

namespace sfkit::test {

inline constexpr const char* kFakeInstance = "https://acme.my.salesforce.com";

inline client::Token FakeToken(std::string instance_url = kFakeInstance) {
    client::Token t;
    t.access_token = "00Dxx!secret";
    t.instance_url = std::move(instance_url);
    return t;
}

struct RestFixture {
    explicit RestFixture(std::string instance_url = kFakeInstance)
        : rest{fake, FakeToken(std::move(instance_url))} {}

    std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
    client::RestClient rest;  // after `fake`, which it is built from

    std::size_t Sent() const { return fake->requests.size(); }
    const client::HttpRequest& Last() const { return fake->requests.back(); }
};

}  // namespace sfkit::test
