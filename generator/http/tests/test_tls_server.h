// A small HTTPS/1.1 server for TLS tests: listens on 127.0.0.1 on an ephemeral port, runs on
// its own thread, serves the certificate chain and key it is given (PEM files), and counts
// what happens: handshakes, and how many of them resumed a session (OpenSSL's
// SSL_session_reused on the server's side), requests; it remembers the SNI name and the
// ALPN protocol of the last handshake.
//
// Routes (any method):
//   /close/...        reply with "Connection: close", then close (no close_notify)
//   /drop/...         reply as if keeping the connection alive, then close it anyway
//   /until-close/...  a body delimited by the end of the connection (no length), then close
//                     without a close_notify
//   anything else     200 "ok", keep-alive
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace stampede::http::testing {

class TestTlsServer {
 public:
  TestTlsServer(const std::filesystem::path& cert_chain, const std::filesystem::path& key);
  ~TestTlsServer();

  std::uint16_t port() const;
  std::string url() const;  // "https://127.0.0.1:<port>"

  std::uint64_t handshakes() const;         // completed
  std::uint64_t resumed_handshakes() const; // ... that resumed a session
  std::uint64_t failed_handshakes() const;
  std::uint64_t requests() const;
  std::string last_server_name() const;     // SNI; empty when none was sent
  std::string last_alpn() const;            // the protocol chosen; empty when none was offered

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::http::testing
