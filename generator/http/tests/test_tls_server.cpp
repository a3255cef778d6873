#include "generator/http/tests/test_tls_server.h"

#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>

namespace stampede::http::testing {
namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

int select_http11(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* offered,
                  unsigned offered_length, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kHttp11, sizeof kHttp11, offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

struct TestTlsServer::Impl {
  asio::io_context io{1};
  ssl::context context{ssl::context::tls_server};
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;
  mutable std::mutex mutex;
  std::uint64_t handshakes = 0;
  std::uint64_t resumed = 0;
  std::uint64_t failed = 0;
  std::uint64_t requests = 0;
  std::string server_name;
  std::string alpn;

  asio::awaitable<void> serve(tcp::socket socket) {
    ssl::stream<tcp::socket> stream(std::move(socket), context);
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    {
      std::lock_guard lock(mutex);
      if (hec) {
        ++failed;
        co_return;
      }
      SSL* handle = stream.native_handle();
      ++handshakes;
      if (SSL_session_reused(handle) == 1) ++resumed;
      const char* name = SSL_get_servername(handle, TLSEXT_NAMETYPE_host_name);
      server_name = name != nullptr ? name : "";
      const unsigned char* protocol = nullptr;
      unsigned length = 0;
      SSL_get0_alpn_selected(handle, &protocol, &length);
      alpn.assign(reinterpret_cast<const char*>(protocol), protocol != nullptr ? length : 0);
    }
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        ++requests;
      }
      const std::string path(req.target().substr(0, req.target().find('?')));
      boost::system::error_code ignored;
      if (path.starts_with("/until-close/")) {
        static const std::string kReply = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-close";
        co_await asio::async_write(stream, asio::buffer(kReply), asio::as_tuple(asio::use_awaitable));
        stream.next_layer().close(ignored);
        co_return;
      }
      const bool close = path.starts_with("/close/");
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.body() = "ok";
      res.keep_alive(req.keep_alive() && !close);
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      if (wec || close || path.starts_with("/drop/")) {
        stream.next_layer().close(ignored);
        co_return;
      }
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }
};

TestTlsServer::TestTlsServer(const std::filesystem::path& cert_chain, const std::filesystem::path& key)
    : impl_(std::make_unique<Impl>()) {
  impl_->context.use_certificate_chain_file(cert_chain.string());
  impl_->context.use_private_key_file(key.string(), ssl::context::pem);
  SSL_CTX_set_alpn_select_cb(impl_->context.native_handle(), &select_http11, nullptr);
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

TestTlsServer::~TestTlsServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t TestTlsServer::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string TestTlsServer::url() const { return "https://127.0.0.1:" + std::to_string(port()); }

std::uint64_t TestTlsServer::handshakes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->handshakes;
}
std::uint64_t TestTlsServer::resumed_handshakes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->resumed;
}
std::uint64_t TestTlsServer::failed_handshakes() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->failed;
}
std::uint64_t TestTlsServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}
std::string TestTlsServer::last_server_name() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->server_name;
}
std::string TestTlsServer::last_alpn() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->alpn;
}

}  // namespace stampede::http::testing
