#include "generator/http/tests/test_certificates.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace stampede::http::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

Key new_key() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw std::runtime_error("test certificates: EC key generation failed");
  return key;
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (extension == nullptr) throw std::runtime_error(std::string("test certificates: bad extension ") + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// A certificate for `key` named `common_name`; self-signed when `issuer` is null.
Cert make_certificate(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                      const char* alt_names) {
  static std::atomic<long> serial{1};
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    add_extension(cert.get(), &ctx, NID_basic_constraints, "CA:FALSE");
    add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), &ctx, NID_subject_alt_name, alt_names);
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0)
    throw std::runtime_error("test certificates: signing failed");
  return cert;
}

void write_pem(const std::filesystem::path& path, X509* cert, EVP_PKEY* key) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error("test certificates: cannot write " + path.string());
  const bool ok = cert != nullptr ? PEM_write_X509(file, cert) == 1
                                  : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(file);
  if (!ok) throw std::runtime_error("test certificates: PEM write failed for " + path.string());
}

}  // namespace

TestCertificates::TestCertificates() {
  static std::atomic<int> count{0};
  dir = std::filesystem::temp_directory_path() /
        ("stampede-tls-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
  std::filesystem::create_directories(dir);
  ca = dir / "ca.pem";
  server_cert = dir / "server.pem";
  server_key = dir / "server-key.pem";
  elsewhere_cert = dir / "elsewhere.pem";
  elsewhere_key = dir / "elsewhere-key.pem";

  const Key ca_key = new_key();
  const Cert ca_cert = make_certificate(ca_key.get(), "Stampede Test CA", nullptr, nullptr, nullptr);
  write_pem(ca, ca_cert.get(), nullptr);
  const Key server = new_key();
  write_pem(server_cert,
            make_certificate(server.get(), "localhost", ca_cert.get(), ca_key.get(),
                             "DNS:localhost,IP:127.0.0.1,IP:::1")
                .get(),
            nullptr);
  write_pem(server_key, nullptr, server.get());
  const Key elsewhere = new_key();
  write_pem(elsewhere_cert,
            make_certificate(elsewhere.get(), "elsewhere.test", ca_cert.get(), ca_key.get(), "DNS:elsewhere.test")
                .get(),
            nullptr);
  write_pem(elsewhere_key, nullptr, elsewhere.get());
}

TestCertificates::~TestCertificates() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace stampede::http::testing
