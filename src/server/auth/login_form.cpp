#include "server/auth/login_form.hpp"

#include "server/auth/crypto.hpp"

namespace sfkit::server {

std::string LoginFormTokens::Issue(std::int64_t now_ms) {
    std::string token = crypto::Base64Encode(crypto::RandomBytes(32));
    // base64url without padding: safe in a cookie and a form field as it is.
    for (char& c : token) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    while (!token.empty() && token.back() == '=') {
        token.pop_back();
    }
    const std::string hash = crypto::Sha256Hex(token);
    std::lock_guard lock(mu_);
    while (!order_.empty() &&
           (order_.size() >= kMaxOutstanding || !expiry_.contains(order_.front()) ||
            expiry_[order_.front()] <= now_ms)) {
        expiry_.erase(order_.front());
        order_.pop_front();
    }
    expiry_[hash] = now_ms + kLifetimeMs;
    order_.push_back(hash);
    return token;
}

bool LoginFormTokens::Consume(std::string_view field,
                              std::string_view cookie,
                              std::int64_t now_ms) {
    if (field.empty() || !crypto::ConstantTimeEquals(field, cookie)) {
        return false;
    }
    const std::string hash = crypto::Sha256Hex(field);
    std::lock_guard lock(mu_);
    const auto it = expiry_.find(hash);
    if (it == expiry_.end()) {
        return false;
    }
    const bool live = it->second > now_ms;
    expiry_.erase(it);  // its entry in order_ goes when it reaches the front
    return live;
}

std::string CookieValue(const std::string* header, std::string_view name) {
    if (header == nullptr) {
        return {};
    }
    std::string_view rest = *header;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

}  // namespace sfkit::server
