// Test-time RSA material for the JWT bearer flow: a fresh 2048-bit key with a self-signed X.509
// certificate (OpenSSL 3), and a compact-JWS signer that can also forge bad assertions.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace sfkit::test {

struct RsaTestKey {
    std::string private_key_pem;  ///< PKCS#8 "-----BEGIN PRIVATE KEY-----"
    std::string certificate_pem;  ///< self-signed, CN=sfkit-test, valid for a day
};

namespace detail {
inline std::string BioText(BIO* bio) {
    BUF_MEM* mem = nullptr;
    BIO_get_mem_ptr(bio, &mem);
    return mem == nullptr ? std::string() : std::string(mem->data, mem->length);
}
}  // namespace detail

/// Generates a new key and certificate (about 0.1 s: generate once per test suite).
inline RsaTestKey MakeRsaTestKey() {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
    if (!key || !cert) {
        throw std::runtime_error("RSA key generation failed");
    }
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sfkit-test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        throw std::runtime_error("certificate signing failed");
    }
    RsaTestKey out;
    std::unique_ptr<BIO, decltype(&BIO_free)> kb(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    out.private_key_pem = detail::BioText(kb.get());
    std::unique_ptr<BIO, decltype(&BIO_free)> cb(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(cb.get(), cert.get());
    out.certificate_pem = detail::BioText(cb.get());
    return out;
}

/// Base64url without padding (RFC 7515 §2).
inline std::string Base64Url(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (const unsigned char c : data) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
        }
    }
    if (bits > 0) {
        out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
    }
    return out;
}

/// RSASSA-PKCS1-v1_5 SHA-256 signature of `input` with a PEM private key.
inline std::string SignRs256(std::string_view input, const std::string& private_key_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())),
        &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t len = 0;
    if (!key || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(),
                       nullptr,
                       &len,
                       reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
        throw std::runtime_error("RS256 signing failed");
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(),
                       reinterpret_cast<unsigned char*>(sig.data()),
                       &len,
                       reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
        throw std::runtime_error("RS256 signing failed");
    }
    sig.resize(len);
    return sig;
}

/// `<b64url(header)>.<b64url(claims)>.<b64url(RS256 signature)>` for JSON texts as given.
inline std::string SignedJwt(const std::string& header_json,
                             const std::string& claims_json,
                             const std::string& private_key_pem) {
    const std::string input = Base64Url(header_json) + "." + Base64Url(claims_json);
    return input + "." + Base64Url(SignRs256(input, private_key_pem));
}

/// Decodes base64url (no padding) with OpenSSL; "" when malformed.
inline std::string FromBase64Url(std::string_view text) {
    std::string b64(text);
    for (char& c : b64) {
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (b64.size() % 4 != 0) {
        b64.push_back('=');
    }
    std::string out(b64.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(b64.data()),
                                  static_cast<int>(b64.size()));
    if (n < 0) {
        return {};
    }
    std::size_t pad = 0;
    for (std::size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) {
        ++pad;
    }
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

/// True when `signature` is an RS256 signature of `input` by the key of `certificate_pem`.
inline bool VerifyRs256WithCertificate(std::string_view input,
                                       std::string_view signature,
                                       const std::string& certificate_pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
        &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!cert) {
        return false;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(cert.get()),
                                                            &EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return key && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(),
                            reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(input.data()),
                            input.size()) == 1;
}

}  // namespace sfkit::test
