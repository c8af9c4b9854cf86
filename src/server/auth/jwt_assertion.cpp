// JWT bearer assertions: compact-JWS parsing (base64url + JSON) and RS256 verification with
// OpenSSL 3 against the public key of a connected app's certificate.
#include "server/auth/jwt_assertion.hpp"

#include <cmath>
#include <limits>
#include <memory>

#include <boost/json.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "server/auth/crypto.hpp"

namespace sfkit::server::jwt {
namespace {

namespace json = boost::json;

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

/// Base64url without padding (RFC 7515 §2); nullopt for any other character.
std::optional<std::string> Base64UrlDecode(std::string_view part) {
    if (part.empty() || part.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string standard;
    standard.reserve(part.size());
    for (const char c : part) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            standard.push_back(c);
        } else if (c == '-') {
            standard.push_back('+');
        } else if (c == '_') {
            standard.push_back('/');
        } else {
            return std::nullopt;
        }
    }
    return crypto::Base64Decode(standard);
}

std::optional<json::object> DecodeObject(std::string_view part) {
    const auto bytes = Base64UrlDecode(part);
    if (!bytes) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(*bytes, ec);
    if (ec || !v.is_object()) {
        return std::nullopt;
    }
    return std::move(v.as_object());
}

std::string StringMember(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::unique_ptr<X509, X509Free> ReadCertificate(std::string_view pem) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        return nullptr;
    }
    return std::unique_ptr<X509, X509Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

std::optional<Assertion> ParseAssertion(std::string_view compact) {
    const auto dot1 = compact.find('.');
    if (dot1 == std::string_view::npos) {
        return std::nullopt;
    }
    const auto dot2 = compact.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || compact.find('.', dot2 + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    const auto header = DecodeObject(compact.substr(0, dot1));
    const auto claims = DecodeObject(compact.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!header || !claims) {
        return std::nullopt;
    }
    Assertion a;
    a.alg = StringMember(*header, "alg");
    a.iss = StringMember(*claims, "iss");
    a.sub = StringMember(*claims, "sub");
    if (const json::value* aud = claims->if_contains("aud")) {
        a.aud_present = true;
        if (aud->is_string()) {
            a.aud = std::string(aud->as_string());
        }
    }
    if (const json::value* exp = claims->if_contains("exp")) {
        if (exp->is_int64()) {
            a.exp = exp->as_int64();
        } else if (exp->is_uint64() &&
                   exp->as_uint64() <=
                       static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            a.exp = static_cast<std::int64_t>(exp->as_uint64());
        } else if (exp->is_double() && std::isfinite(exp->as_double()) &&
                   std::fabs(exp->as_double()) < 1e15) {
            // NumericDate may carry a fraction (RFC 7519 §2).
            a.exp = static_cast<std::int64_t>(std::floor(exp->as_double()));
        }
    }
    a.signing_input = std::string(compact.substr(0, dot2));
    const std::string_view sig = compact.substr(dot2 + 1);
    if (!sig.empty()) {
        auto raw = Base64UrlDecode(sig);
        if (!raw) {
            return std::nullopt;
        }
        a.signature = std::move(*raw);
    }
    return a;
}

bool VerifyRs256(std::string_view signing_input,
                 std::string_view signature,
                 std::string_view certificate_pem) {
    if (signature.empty()) {
        return false;
    }
    const auto cert = ReadCertificate(certificate_pem);
    if (!cert) {
        return false;
    }
    std::unique_ptr<EVP_PKEY, PkeyFree> key(X509_get_pubkey(cert.get()));
    if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) {
        return false;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(),
                            reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(signing_input.data()),
                            signing_input.size()) == 1;
}

std::string CertificateProblem(std::string_view pem) {
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos) {
        return "expected an X.509 certificate in PEM form (-----BEGIN CERTIFICATE-----)";
    }
    const auto cert = ReadCertificate(pem);
    if (!cert) {
        return "not a readable X.509 PEM certificate";
    }
    std::unique_ptr<EVP_PKEY, PkeyFree> key(X509_get_pubkey(cert.get()));
    if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1) {
        return "the certificate's public key is not an RSA key (JWTs are checked with RS256)";
    }
    return {};
}

}  // namespace sfkit::server::jwt
