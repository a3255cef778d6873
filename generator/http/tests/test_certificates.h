// Certificates for TLS tests, made when the test runs (OpenSSL API, EC P-256) in a temporary
// folder that goes away with the object: a test CA, and two server certificates it signed.
#pragma once

#include <filesystem>

namespace stampede::http::testing {

struct TestCertificates {
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  std::filesystem::path dir;
  std::filesystem::path ca;  // the test CA's certificate (what --ca-file is given)
  // For DNS "localhost" and IP 127.0.0.1 and ::1, signed by the CA.
  std::filesystem::path server_cert;
  std::filesystem::path server_key;
  // For DNS "elsewhere.test" only, signed by the CA: a host name mismatch on 127.0.0.1.
  std::filesystem::path elsewhere_cert;
  std::filesystem::path elsewhere_key;
};

}  // namespace stampede::http::testing
