// A user's password through the REST API (sobjects/User/{id}/password): who may touch it, the
// default password policy, and writing the argon2id hashes the logins check.
#include <cctype>
#include <mutex>
#include <shared_mutex>

#include "server/auth/auth_impl.hpp"
#include "server/auth/auth_service.hpp"
#include "server/auth/crypto.hpp"
#include "server/auth/tokens.hpp"
#include "server/http/api_error.hpp"

namespace sfkit::server {
namespace {

/// Salesforce's default policy: at least 8 characters, mixing letters and numbers [D].
void CheckPolicy(const std::string& password) {
    if (password.size() < 8) {
        throw ApiError(
            400, "INVALID_NEW_PASSWORD", "Your password must be at least 8 characters long.");
    }
    bool letter = false;
    bool digit = false;
    for (const char c : password) {
        letter = letter || std::isalpha(static_cast<unsigned char>(c)) != 0;
        digit = digit || std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    if (!letter || !digit) {
        throw ApiError(
            400, "INVALID_NEW_PASSWORD", "Your password must have a mix of letters and numbers.");
    }
}

}  // namespace

std::string AuthService::RequirePasswordAccess(const std::string& caller_id,
                                               const std::string& user_id) const {
    std::optional<UserRecord> user;
    if (user_id.size() == 18 || user_id.size() == 15) {
        for (const UserRecord& u : impl_->store.Users()) {
            if (u.id == user_id || u.id.compare(0, 15, user_id) == 0) {
                user = u;
                break;
            }
        }
    }
    if (!user) {
        throw NotFound();
    }
    if (user->id != caller_id) {
        std::shared_lock lock(impl_->mu);
        const auto it = impl_->users.find(caller_id);
        if (it == impl_->users.end() || !it->second.admin) {
            throw ApiError(403, "INSUFFICIENT_ACCESS", "insufficient access rights on object id");
        }
    }
    return user->id;
}

void AuthService::SetUserPassword(const std::string& user_id, const std::string& password) {
    CheckPolicy(password);
    std::optional<UserRecord> user = impl_->store.UserById(user_id);
    if (!user) {
        throw NotFound();
    }
    user->password_hash = crypto::HashSecret(password);
    user->login_hash = crypto::HashSecret(password);  // the security token is reset (empty)
    user->modified_ms = NowMs();
    impl_->store.UpdateUser(*user);
    std::unique_lock lock(impl_->mu);
    impl_->verified.erase(user->id);
}

std::string AuthService::ResetUserPassword(const std::string& user_id) {
    static constexpr std::string_view kLetters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    static constexpr std::string_view kDigits = "23456789";
    std::string password = crypto::RandomString(8, kLetters) + crypto::RandomString(2, kDigits);
    SetUserPassword(user_id, password);
    return password;
}

}  // namespace sfkit::server
