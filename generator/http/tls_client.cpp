#include "generator/http/tls_client.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace stampede::http {
namespace ssl = boost::asio::ssl;

namespace {

// Where an SSL object points at the TlsSession that keeps its sessions.
int session_slot() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

}  // namespace

struct TlsSessionAccess {
  // OpenSSL's new-session callback: a session the server gave (at the end of a TLS 1.2
  // handshake, or with a TLS 1.3 ticket) replaces the kept one. Returning 1 keeps the
  // reference OpenSSL passed.
  static int on_new_session(SSL* ssl, SSL_SESSION* session) {
    auto* owner = static_cast<TlsSession*>(SSL_get_ex_data(ssl, session_slot()));
    if (owner == nullptr) return 0;
    if (owner->session_ != nullptr) SSL_SESSION_free(owner->session_);
    owner->session_ = session;
    return 1;
  }
};

TlsClient::TlsClient(const TlsOptions& options)
    : context_(std::make_unique<ssl::context>(ssl::context::tls_client)), verify_(options.verify) {
  SSL_CTX* ctx = context_->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  static constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  if (SSL_CTX_set_alpn_protos(ctx, kAlpn, sizeof kAlpn) != 0)  // 0 is success here
    throw std::runtime_error("TLS: could not set ALPN");
  // Sessions are kept per connection (TlsSession), not in a cache all threads share.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, &TlsSessionAccess::on_new_session);
  if (!options.ca_file.empty()) {
    if (auto problem = check_ca_file(options.ca_file)) throw std::invalid_argument("--ca-file: " + *problem);
  }
  if (!verify_) {
    context_->set_verify_mode(ssl::verify_none);
    return;
  }
  // No system store (no ca-certificates package) is not fatal: --ca-file may be all there is.
  boost::system::error_code ignored;
  context_->set_default_verify_paths(ignored);
  if (!options.ca_file.empty()) {
    boost::system::error_code ec;
    context_->load_verify_file(options.ca_file, ec);
    if (ec) throw std::invalid_argument("--ca-file: cannot load '" + options.ca_file + "': " + ec.message());
  }
  context_->set_verify_mode(ssl::verify_peer);
}

TlsClient::~TlsClient() = default;

TlsSession::~TlsSession() { forget(); }

void TlsSession::forget() {
  if (session_ != nullptr) SSL_SESSION_free(session_);
  session_ = nullptr;
}

void TlsSession::prepare(SSL* ssl, const TlsClient& client, const std::string& host) {
  boost::system::error_code not_numeric;
  boost::asio::ip::make_address(host, not_numeric);
  if (not_numeric) SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI names hosts, not addresses
  if (client.verifies()) {
    if (not_numeric) SSL_set1_host(ssl, host.c_str());
    else X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
  SSL_set_ex_data(ssl, session_slot(), this);
  if (session_ != nullptr) SSL_set_session(ssl, session_);
}

bool TlsSession::resumed(SSL* ssl) { return SSL_session_reused(ssl) == 1; }

void TlsSession::closing(SSL* ssl) {
  if (ssl == nullptr) return;
  SSL_set_ex_data(ssl, session_slot(), nullptr);
  // Freeing an SSL that did not send a close_notify marks its session not resumable.
  SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

std::optional<std::string> verify_failure(SSL* ssl, std::string_view host) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return std::nullopt;
  std::string text = "certificate verify failed for ";
  text.append(host);
  text.append(": ");
  text.append(X509_verify_cert_error_string(result));
  return text;
}

std::optional<std::string> check_ca_file(const std::string& path) {
  std::error_code fs_error;
  if (std::filesystem::is_directory(path, fs_error)) return "'" + path + "' is a directory, not a PEM file";
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return "cannot read '" + path + "': " + std::strerror(errno);
  int certificates = 0;
  while (X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr)) {
    ++certificates;
    X509_free(certificate);
  }
  ERR_clear_error();  // the read that ended the loop left "no start line"
  std::fclose(file);
  if (certificates == 0) return "no PEM certificate in '" + path + "'";
  return std::nullopt;
}

}  // namespace stampede::http
