// Reading the Salesforce CLI's logins (sf_logins.hpp). Formats, as @salesforce/core writes them:
// - ~/.sfdx/key.json: {"account":"local","key":"<hex>","service":"sfdx"}. A 32-character key is
//   "v1": the AES-256 key is those 32 characters themselves; a 64-character key is "v2": the key
//   is its hex decoding.
// - an encrypted field: "<iv><ciphertext hex>:<tag hex>" (AES-256-GCM, 16-byte tag as 32 hex
//   chars). v1: the iv is the first 12 characters taken as bytes; v2: the first 24 characters
//   hex-decoded (12 bytes). Fields that do not have this shape are stored in clear.
// - ~/.sfdx/<username>.json: username, orgId, accessToken, refreshToken, instanceUrl, loginUrl,
//   clientId, ... (URLs with a trailing slash).
// - ~/.sfdx/alias.json: {"orgs":{"<alias>":"<username>"}}.
#include "sf_logins.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTagHexChars = 32;

std::optional<fs::path> SfdxDir() {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
        return std::nullopt;
    }
    return fs::path(home) / ".sfdx";
}

std::optional<json::object> ReadJsonObject(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec || !v.is_object()) {
        return std::nullopt;
    }
    return std::move(v.as_object());
}

std::string Str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool IsHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

std::optional<std::string> HexDecode(std::string_view hex) {
    if (hex.size() % 2 != 0 || !IsHex(hex)) {
        return std::nullopt;
    }
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<char>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
    }
    return out;
}

/// The key of key.json: the AES key bytes and the iv length in characters of the token text.
struct SfKey {
    std::string key;      // 32 bytes
    bool hex_iv = false;  // v2: 24 hex characters; v1: 12 characters taken as bytes
};

std::optional<SfKey> ReadKey(const fs::path& dir) {
    const auto o = ReadJsonObject(dir / "key.json");
    if (!o) {
        return std::nullopt;
    }
    const std::string key = Str(*o, "key");
    if (key.size() == 32) {
        return SfKey{key, false};
    }
    if (key.size() == 64) {
        if (auto bytes = HexDecode(key)) {
            return SfKey{*bytes, true};
        }
    }
    return std::nullopt;
}

/// Decrypts one field; the text itself when it is not in the encrypted shape; nullopt when it
/// is but does not decrypt (another key, tampered).
std::optional<std::string> Decrypt(const SfKey& key, const std::string& text) {
    const auto colon = text.find(':');
    const std::size_t iv_chars = key.hex_iv ? 24 : 12;
    if (colon == std::string::npos || text.size() - colon - 1 != kTagHexChars || colon < iv_chars ||
        !IsHex(text.substr(0, colon)) || !IsHex(text.substr(colon + 1))) {
        return text;
    }
    std::string iv = text.substr(0, iv_chars);
    if (key.hex_iv) {
        iv = *HexDecode(iv);
    }
    const auto cipher = HexDecode(std::string_view(text).substr(iv_chars, colon - iv_chars));
    auto tag = HexDecode(std::string_view(text).substr(colon + 1));
    if (!cipher || !tag) {
        return std::nullopt;
    }
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    const auto* k = reinterpret_cast<const unsigned char*>(key.key.data());
    const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
    std::string plain(cipher->size() + 16, '\0');
    int n = 0;
    int tail = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(
            ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, k, v) != 1 ||
        EVP_DecryptUpdate(ctx.get(),
                          reinterpret_cast<unsigned char*>(plain.data()),
                          &n,
                          reinterpret_cast<const unsigned char*>(cipher->data()),
                          static_cast<int>(cipher->size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(
            ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag->size()), tag->data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + n, &tail) !=
            1) {
        return std::nullopt;
    }
    plain.resize(static_cast<std::size_t>(n + tail));
    return plain;
}

std::string NoSlash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

/// username -> its sf aliases (sorted).
std::map<std::string, std::vector<std::string>> ReadAliases(const fs::path& dir) {
    std::map<std::string, std::vector<std::string>> out;
    const auto o = ReadJsonObject(dir / "alias.json");
    if (!o) {
        return out;
    }
    const auto* orgs = o->if_contains("orgs");
    if (orgs == nullptr || !orgs->is_object()) {
        return out;
    }
    for (const auto& [alias, user] : orgs->as_object()) {
        if (user.is_string()) {
            out[std::string(user.as_string())].emplace_back(alias);
        }
    }
    for (auto& [user, aliases] : out) {
        std::sort(aliases.begin(), aliases.end());
    }
    return out;
}

/// The login in `file` (an auth file of sf: `<username>.json`), or an error.
Result<client::StoredLogin> ReadAuthFile(const fs::path& file, const SfKey& key) {
    const auto o = ReadJsonObject(file);
    const std::string username = o ? Str(*o, "username") : std::string();
    if (!o || username.empty() || file.filename() != username + ".json") {
        return MakeError(ErrorKind::kIo, "NO_SUCH_ALIAS", file.string() + " is not an sf login");
    }
    client::StoredLogin l;
    l.flow = "sf";
    l.username = username;
    l.login_url = NoSlash(Str(*o, "loginUrl"));
    l.client_id = Str(*o, "clientId");
    l.token.instance_url = NoSlash(Str(*o, "instanceUrl"));
    l.token.org_id = Str(*o, "orgId");
    l.token.user_id = Str(*o, "userId");
    l.token.token_type = "Bearer";
    const auto access = Decrypt(key, Str(*o, "accessToken"));
    const auto refresh = Decrypt(key, Str(*o, "refreshToken"));
    if (!access || !refresh || access->empty() || l.token.instance_url.empty()) {
        return MakeError(ErrorKind::kIo,
                         "SF_LOGIN_UNREADABLE",
                         "the sf login " + file.string() +
                             " cannot be decrypted with ~/.sfdx/key.json; log in with sf again");
    }
    l.token.access_token = *access;
    l.token.refresh_token = *refresh;
    return l;
}

}  // namespace

std::vector<SfLogin> ListSfLogins() {
    std::vector<SfLogin> out;
    const auto dir = SfdxDir();
    std::error_code ec;
    if (!dir || !fs::is_directory(*dir, ec)) {
        return out;
    }
    const auto key = ReadKey(*dir);
    if (!key) {
        return out;
    }
    auto aliases = ReadAliases(*dir);
    for (const auto& entry : fs::directory_iterator(*dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file(ec) || name.find('@') == std::string::npos ||
            entry.path().extension() != ".json") {
            continue;
        }
        auto login = ReadAuthFile(entry.path(), *key);
        if (!login) {
            continue;
        }
        std::vector<std::string> names = aliases[login->username];
        SfLogin s{std::move(*login), std::move(names)};
        s.login.alias = s.aliases.empty() ? s.login.username : s.aliases.front();
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const SfLogin& a, const SfLogin& b) {
        return a.login.username < b.login.username;
    });
    return out;
}

Result<client::StoredLogin> LoadSfLogin(std::string_view name) {
    const auto no_such = [&] {
        return MakeError(ErrorKind::kIo,
                         "NO_SUCH_ALIAS",
                         "no login is stored under alias '" + std::string(name) + "'");
    };
    const auto dir = SfdxDir();
    if (!dir || name.empty()) {
        return no_such();
    }
    std::string username(name);
    const auto aliases = ReadAliases(*dir);
    for (const auto& [user, names] : aliases) {
        if (std::find(names.begin(), names.end(), name) != names.end()) {
            username = user;
        }
    }
    // A username names a file in ~/.sfdx: nothing with a path separator.
    std::error_code ec;
    const fs::path file = *dir / (username + ".json");
    if (username.find('/') != std::string::npos || username.front() == '.' ||
        !fs::is_regular_file(file, ec)) {
        return no_such();
    }
    const auto key = ReadKey(*dir);
    if (!key) {
        return MakeError(ErrorKind::kIo,
                         "SF_LOGIN_UNREADABLE",
                         "the sf login of '" + std::string(name) +
                             "' is encrypted with a key in an OS keychain; sfkit reads sf logins "
                             "only with ~/.sfdx/key.json (SF_USE_GENERIC_UNIX_KEYCHAIN=true)");
    }
    auto login = ReadAuthFile(file, *key);
    if (login) {
        login->alias = std::string(name);
    }
    return login;
}

void AddSfLogins(const std::string& target, json::array& list, Table& table) {
    for (const SfLogin& s : ListSfLogins()) {
        const client::StoredLogin& l = s.login;
        const bool is_default = l.alias == target || l.username == target;
        json::array aliases;
        for (const auto& a : s.aliases) {
            aliases.emplace_back(a);
        }
        list.push_back(json::object{{"alias", l.alias},
                                    {"username", l.username},
                                    {"instanceUrl", l.token.instance_url},
                                    {"orgId", l.token.org_id},
                                    {"flow", l.flow},
                                    {"isDefault", is_default},
                                    {"sfAliases", std::move(aliases)}});
        table.AddRow({is_default ? "*" : "", l.alias, l.username, l.token.instance_url, l.flow});
    }
}

Result<client::StoredLogin> LoadLogin(const client::TokenStore& store, std::string_view alias) {
    auto own = store.Load(alias);
    // An sf username (with its '@') is no valid sfkit alias: INVALID_ALIAS from the store.
    if (own || (own.error().code != "NO_SUCH_ALIAS" && own.error().code != "INVALID_ALIAS")) {
        return own;
    }
    auto sf = LoadSfLogin(alias);
    if (sf || sf.error().code != "NO_SUCH_ALIAS") {
        return sf;
    }
    return own;
}

}  // namespace sfkit::cli
