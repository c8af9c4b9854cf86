// OAuth 2.0 token requests and answers (wire reference §A.2-§A.5).
#include "sfkit/client/oauth.hpp"

#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "codec/json.hpp"

namespace sfkit::client {
namespace json = boost::json;

namespace {

std::string Base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string StringMember(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// A short, single-line excerpt of a body for error messages (never the whole page).
std::string Excerpt(std::string_view body) {
    std::string out;
    for (const char c : body.substr(0, 120)) {
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    if (body.size() > 120) {
        out += "...";
    }
    return out;
}

Result<HttpResponse> PostTokenEndpoint(Transport& transport,
                                       std::string_view login_url,
                                       std::vector<std::pair<std::string, std::string>> form,
                                       std::vector<HttpHeader> extra_headers) {
    auto base = NormalizeLoginUrl(login_url);
    if (!base) {
        return base.error();
    }
    HttpRequest req;
    req.method = "POST";
    req.url = *base + "/services/oauth2/token";
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    for (auto& h : extra_headers) {
        req.headers.push_back(std::move(h));
    }
    req.body = FormEncode(form);
    return transport.Send(req);
}

Result<Token> RequestToken(Transport& transport,
                           std::string_view login_url,
                           std::vector<std::pair<std::string, std::string>> form,
                           std::vector<HttpHeader> extra_headers,
                           std::string_view client_secret) {
    auto resp = PostTokenEndpoint(transport, login_url, std::move(form), std::move(extra_headers));
    if (!resp) {
        return resp.error();
    }
    return ParseTokenResponse(*resp, client_secret);
}

}  // namespace

Result<std::string> NormalizeLoginUrl(std::string_view url) {
    while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) {
        url.remove_prefix(1);
    }
    while (!url.empty() && (url.back() == '/' || url.back() == ' ' || url.back() == '\t')) {
        url.remove_suffix(1);
    }
    if (url.empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "INVALID_LOGIN_URL", "login URL is empty");
    }
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return "https://" + std::string(url);
    }
    const std::string_view scheme = url.substr(0, scheme_end);
    if (scheme != "https" && scheme != "http") {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_LOGIN_URL",
                         "login URL must start with https:// or http://");
    }
    return std::string(url);
}

std::string TokenSignature(std::string_view client_secret,
                           std::string_view id,
                           std::string_view issued_at) {
    const std::string message = std::string(id) + std::string(issued_at);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(),
         client_secret.data(),
         static_cast<int>(client_secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()),
         message.size(),
         mac,
         &mac_len);
    return Base64(mac, mac_len);
}

Result<Token> ParseTokenResponse(const HttpResponse& response, std::string_view client_secret) {
    const int status = response.status;
    if (status >= 300 && status < 400) {
        const std::string* location = response.Header("Location");
        return MakeError(ErrorKind::kProtocol,
                         "LOGIN_REDIRECTED",
                         "the token endpoint redirected (HTTP " + std::to_string(status) + ")" +
                             (location != nullptr ? " to " + *location : std::string()) +
                             "; use the target host as the login URL",
                         status);
    }
    auto parsed = codec::ParseJson(response.body);
    if (!parsed || !parsed->is_object()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_TOKEN_RESPONSE",
                         "the token endpoint answered HTTP " + std::to_string(status) +
                             " with a body that is not an OAuth answer: " + Excerpt(response.body),
                         status);
    }
    const auto& o = parsed->get_object();
    if (status >= 400 || o.contains("error")) {
        Error e = MakeError(ErrorKind::kAuth,
                            StringMember(o, "error"),
                            StringMember(o, "error_description"),
                            status);
        if (e.code.empty()) {
            e.code = "HTTP_" + std::to_string(status);
        }
        return e;
    }
    Token t;
    t.access_token = StringMember(o, "access_token");
    t.refresh_token = StringMember(o, "refresh_token");
    t.instance_url = StringMember(o, "instance_url");
    t.id = StringMember(o, "id");
    t.issued_at = StringMember(o, "issued_at");
    t.scope = StringMember(o, "scope");
    t.token_type = StringMember(o, "token_type");
    t.signature = StringMember(o, "signature");
    if (t.access_token.empty() || t.instance_url.empty()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_TOKEN_RESPONSE",
                         "the token answer lacks access_token or instance_url",
                         status);
    }
    while (!t.instance_url.empty() && t.instance_url.back() == '/') {
        t.instance_url.pop_back();
    }
    // Org and user ids are the last two path segments of the identity URL (§A.3, as jsforce).
    std::string_view path = t.id;
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    if (const auto last = path.rfind('/'); last != std::string_view::npos) {
        const std::string_view user = path.substr(last + 1);
        const std::string_view rest = path.substr(0, last);
        if (const auto prev = rest.rfind('/'); prev != std::string_view::npos && !user.empty()) {
            t.user_id = std::string(user);
            t.org_id = std::string(rest.substr(prev + 1));
        }
    }
    if (!client_secret.empty() && !t.signature.empty()) {
        const std::string expected = TokenSignature(client_secret, t.id, t.issued_at);
        if (expected.size() != t.signature.size() ||
            CRYPTO_memcmp(expected.data(), t.signature.data(), expected.size()) != 0) {
            return MakeError(ErrorKind::kAuth,
                             "SIGNATURE_MISMATCH",
                             "the token answer's signature does not match HMAC-SHA256(client "
                             "secret, id + issued_at); the answer may not come from this "
                             "connected app's org",
                             status);
        }
    }
    return t;
}

Result<Token> PasswordFlow::Authenticate(Transport& transport) const {
    std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "password"},
                                                             {"client_id", client_id}};
    if (!client_secret.empty()) {
        form.emplace_back("client_secret", client_secret);
    }
    form.emplace_back("username", username);
    form.emplace_back("password", password + security_token);
    return RequestToken(transport, login_url, std::move(form), {}, client_secret);
}

Result<Token> ClientCredentialsFlow::Authenticate(Transport& transport) const {
    std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "client_credentials"}};
    std::vector<HttpHeader> headers;
    if (use_basic_auth) {
        const std::string creds = client_id + ":" + client_secret;
        headers.push_back({"Authorization",
                           "Basic " + Base64(reinterpret_cast<const unsigned char*>(creds.data()),
                                             creds.size())});
    } else {
        form.emplace_back("client_id", client_id);
        form.emplace_back("client_secret", client_secret);
    }
    return RequestToken(transport, login_url, std::move(form), std::move(headers), client_secret);
}

namespace {

/// Base64url without padding (RFC 7515 §2), as JWS compact serialisation wants.
std::string Base64Url(std::string_view data) {
    std::string out = Base64(reinterpret_cast<const unsigned char*>(data.data()), data.size());
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    for (char& c : out) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// RS256 signature of `input` with the PEM private key; errors name no key material.
Result<std::string> SignRs256(std::string_view input, const std::string& key_pem) {
    const auto bad_key = [] {
        return MakeError(ErrorKind::kInvalidArgument,
                         "KEY_INVALID",
                         "the JWT key is not an RSA private key in PEM form");
    };
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
    if (!bio) {
        return bad_key();
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) {
        return bad_key();
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, data, input.size()) != 1) {
        return bad_key();
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(
            ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, input.size()) !=
        1) {
        return bad_key();
    }
    sig.resize(len);
    return sig;
}

}  // namespace

std::string DefaultJwtAudience(std::string_view login_url) {
    auto base = NormalizeLoginUrl(login_url);
    if (!base) {
        return std::string(kProductionLoginUrl);
    }
    std::string_view host = *base;
    host.remove_prefix(host.find("://") + 3);
    host = host.substr(0, host.find_first_of(":/"));
    if (*base == kSandboxLoginUrl || EndsWith(host, ".sandbox.my.salesforce.com")) {
        return std::string(kSandboxLoginUrl);
    }
    if (*base == kProductionLoginUrl || EndsWith(host, ".my.salesforce.com") ||
        EndsWith(host, ".salesforce.com")) {
        return std::string(kProductionLoginUrl);
    }
    return *base;
}

Result<std::string> JwtBearerFlow::MakeAssertion(std::int64_t now_epoch_seconds) const {
    if (client_id.empty() || username.empty()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "MISSING_ARGUMENT",
                         "the JWT bearer flow needs a client id and a username");
    }
    std::string key = private_key_pem;
    if (key.empty()) {
        std::ifstream in(private_key_file, std::ios::binary);
        if (private_key_file.empty() || !in) {
            return MakeError(ErrorKind::kIo,
                             "KEY_FILE_UNREADABLE",
                             "cannot read the JWT key file '" + private_key_file + "'");
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        key = ss.str();
    }
    json::object claims;
    claims["iss"] = client_id;
    claims["sub"] = username;
    claims["aud"] = audience.empty() ? DefaultJwtAudience(login_url) : audience;
    claims["exp"] = now_epoch_seconds + lifetime.count();
    const std::string input =
        Base64Url(R"({"alg":"RS256"})") + "." + Base64Url(json::serialize(claims));
    auto sig = SignRs256(input, key);
    if (!sig) {
        return sig.error();
    }
    return input + "." + Base64Url(*sig);
}

Result<Token> JwtBearerFlow::Authenticate(Transport& transport) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto assertion = MakeAssertion(now);
    if (!assertion) {
        return assertion.error();
    }
    std::vector<std::pair<std::string, std::string>> form = {
        {"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
        {"assertion", std::move(*assertion)}};
    // No client secret: the answer carries no signature to verify (§A.3.4).
    return RequestToken(transport, login_url, std::move(form), {}, {});
}

std::string PkceChallenge(std::string_view verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &len, EVP_sha256(), nullptr);
    std::string b64 = Base64(digest, len);
    for (char& c : b64) {
        c = c == '+' ? '-' : (c == '/' ? '_' : c);
    }
    while (!b64.empty() && b64.back() == '=') {
        b64.pop_back();
    }
    return b64;
}

Result<Pkce> GeneratePkce() {
    static constexpr std::string_view kUnreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    Pkce p;
    while (p.verifier.size() < 64) {
        unsigned char buf[64];
        if (RAND_bytes(buf, sizeof buf) != 1) {
            return MakeError(ErrorKind::kInternal, "RANDOM_FAILED", "no random bytes for PKCE");
        }
        for (const unsigned char b : buf) {
            // 66 symbols: reject bytes >= 198 (3 * 66) so that every symbol is equally likely.
            if (static_cast<std::size_t>(b) < 3 * kUnreserved.size() && p.verifier.size() < 64) {
                p.verifier.push_back(kUnreserved[b % kUnreserved.size()]);
            }
        }
    }
    p.challenge = PkceChallenge(p.verifier);
    return p;
}

Result<std::string> AuthorizationCodeFlow::AuthorizeUrl(std::string_view state) const {
    auto base = NormalizeLoginUrl(login_url);
    if (!base) {
        return base.error();
    }
    if (client_id.empty() || redirect_uri.empty()) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_ARGUMENT",
                         "the web-server flow needs a client id and a redirect URI");
    }
    std::vector<std::pair<std::string, std::string>> q = {
        {"response_type", "code"}, {"client_id", client_id}, {"redirect_uri", redirect_uri}};
    if (!scope.empty()) {
        q.emplace_back("scope", scope);
    }
    if (!state.empty()) {
        q.emplace_back("state", std::string(state));
    }
    if (!code_verifier.empty()) {
        q.emplace_back("code_challenge", PkceChallenge(code_verifier));
        q.emplace_back("code_challenge_method", "S256");
    }
    if (!login_hint.empty()) {
        q.emplace_back("login_hint", login_hint);
    }
    return *base + "/services/oauth2/authorize?" + FormEncode(q);
}

Result<Token> AuthorizationCodeFlow::ExchangeCode(Transport& transport,
                                                  std::string_view code) const {
    std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "authorization_code"},
                                                             {"code", std::string(code)},
                                                             {"client_id", client_id}};
    if (!client_secret.empty()) {
        form.emplace_back("client_secret", client_secret);
    }
    form.emplace_back("redirect_uri", redirect_uri);
    if (!code_verifier.empty()) {
        form.emplace_back("code_verifier", code_verifier);
    }
    return RequestToken(transport, login_url, std::move(form), {}, client_secret);
}

Result<Token> RefreshTokenFlow::Authenticate(Transport& transport) const {
    std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "refresh_token"},
                                                             {"refresh_token", refresh_token},
                                                             {"client_id", client_id}};
    if (!client_secret.empty()) {
        form.emplace_back("client_secret", client_secret);
    }
    auto token = RequestToken(transport, login_url, std::move(form), {}, client_secret);
    if (token && token->refresh_token.empty()) {
        token->refresh_token = refresh_token;  // no rotation (§A.3.3): the old one stays valid
    }
    return token;
}

// ---- device flow (§A.3.6) -----------------------------------------------------------------------

Result<DeviceAuthorization> DeviceFlow::Start(Transport& transport) const {
    if (client_id.empty()) {
        return MakeError(
            ErrorKind::kInvalidArgument, "INVALID_ARGUMENT", "the device flow needs a client id");
    }
    std::vector<std::pair<std::string, std::string>> form = {{"response_type", "device_code"},
                                                             {"client_id", client_id}};
    if (!client_secret.empty()) {
        form.emplace_back("client_secret", client_secret);
    }
    if (!scope.empty()) {
        form.emplace_back("scope", scope);
    }
    auto resp = PostTokenEndpoint(transport, login_url, std::move(form), {});
    if (!resp) {
        return resp.error();
    }
    auto parsed = codec::ParseJson(resp->body);
    if (resp->status >= 400 || !parsed || !parsed->is_object()) {
        // Errors have the token endpoint's shape: let its parser word them.
        auto t = ParseTokenResponse(*resp, {});
        return t ? MakeError(ErrorKind::kProtocol,
                             "INVALID_DEVICE_RESPONSE",
                             "the device authorization answer is not JSON: " + Excerpt(resp->body),
                             resp->status)
                 : t.error();
    }
    const auto& o = parsed->get_object();
    DeviceAuthorization a;
    a.device_code = StringMember(o, "device_code");
    a.user_code = StringMember(o, "user_code");
    a.verification_uri = StringMember(o, "verification_uri");
    if (const auto* iv = o.if_contains("interval");
        iv != nullptr && iv->is_int64() && iv->get_int64() > 0 && iv->get_int64() <= 3600) {
        a.interval = std::chrono::seconds(iv->get_int64());
    }
    if (a.device_code.empty() || a.user_code.empty() || a.verification_uri.empty()) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_DEVICE_RESPONSE",
                         "the device authorization answer lacks device_code, user_code or "
                         "verification_uri",
                         resp->status);
    }
    return a;
}

Result<std::optional<Token>> DeviceFlow::Poll(Transport& transport,
                                              DeviceAuthorization& auth) const {
    std::vector<std::pair<std::string, std::string>> form = {
        {"grant_type", "device"}, {"client_id", client_id}, {"code", auth.device_code}};
    if (!client_secret.empty()) {
        form.emplace_back("client_secret", client_secret);
    }
    auto token = RequestToken(transport, login_url, std::move(form), {}, client_secret);
    if (token) {
        return std::optional<Token>(*std::move(token));
    }
    const Error& e = token.error();
    if (e.kind == ErrorKind::kAuth && e.code == "authorization_pending") {
        return std::optional<Token>();
    }
    if (e.kind == ErrorKind::kAuth && e.code == "slow_down") {
        auth.interval += std::chrono::seconds(5);
        return std::optional<Token>();
    }
    return e;
}

Result<Token> DeviceFlow::Wait(Transport& transport,
                               DeviceAuthorization& auth,
                               std::chrono::seconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (std::chrono::steady_clock::now() + auth.interval > deadline) {
            return MakeError(ErrorKind::kTimeout,
                             "DEVICE_CODE_TIMEOUT",
                             "nobody approved the device code in time");
        }
        std::this_thread::sleep_for(auth.interval);
        auto polled = Poll(transport, auth);
        if (!polled) {
            return polled.error();
        }
        if (*polled) {
            return **std::move(polled);
        }
    }
}

}  // namespace sfkit::client
