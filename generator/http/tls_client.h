// TlsClient: the OpenSSL client side of the native transport's https:// (Boost.Asio's
// ssl::stream over Debian's OpenSSL 3). One context per run, shared by every worker's
// connections (OpenSSL allows concurrent SSL objects on one SSL_CTX once it is set up; it
// is never changed after construction). Per connection: TlsSession.
//
// What the context does:
// - TLS 1.2 or 1.3, ALPN "http/1.1".
// - Verification (TlsOptions::verify, the default): the peer's chain against the system
//   CA store (OpenSSL's default paths: /etc/ssl/certs on Debian) plus --ca-file, and the
//   certificate's names against the target's host (DNS name, or IP address for a numeric
//   host). A failure ends the handshake; verify_failure() says why.
// - Session resumption: OpenSSL's own client cache is off; a connection keeps the last
//   session (TLS 1.2 ticket/id, or a TLS 1.3 ticket as it arrives after the handshake) in
//   its TlsSession and offers it on its next handshake.
//
// Errors: the constructor throws std::invalid_argument naming --ca-file when the file
// cannot be read or holds no certificate (check_ca_file() says the same up front).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "generator/http/tls_options.h"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;
struct ssl_session_st;

namespace stampede::http {

class TlsClient {
 public:
  explicit TlsClient(const TlsOptions& options);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  boost::asio::ssl::context& context() const { return *context_; }
  bool verifies() const { return verify_; }

 private:
  std::unique_ptr<boost::asio::ssl::context> context_;
  bool verify_;
};

// The session a connection resumes with, kept across its reconnects. Not thread-safe (a
// connection's worker only).
class TlsSession {
 public:
  TlsSession() = default;
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Before a handshake on `ssl`: SNI and the host checked (when `client` verifies; `host` a
  // DNS name or a numeric address), the kept session offered, and new sessions the server
  // sends kept here (this object must outlive `ssl`).
  void prepare(ssl_st* ssl, const TlsClient& client, const std::string& host);
  // After a successful handshake: whether the offered session was accepted.
  static bool resumed(ssl_st* ssl);
  // Before dropping `ssl` without a close_notify exchange: keeps its session resumable
  // (OpenSSL otherwise marks a session unusable when its connection ends unannounced).
  static void closing(ssl_st* ssl);
  bool has_session() const { return session_ != nullptr; }
  void forget();

 private:
  friend struct TlsSessionAccess;
  ssl_session_st* session_ = nullptr;
};

// Why verification failed on `ssl` after a failed handshake, as "certificate verify failed
// for <host>: <OpenSSL's reason>"; nullopt when verification was not what failed.
std::optional<std::string> verify_failure(ssl_st* ssl, std::string_view host);

// Up front, for the command line: nullopt when `path` is a readable PEM file with at least
// one certificate, else what is wrong ("cannot read '<path>': …", "no certificate in …").
std::optional<std::string> check_ca_file(const std::string& path);

}  // namespace stampede::http
