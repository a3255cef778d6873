// The byte stream under a NativeConnection, chosen at compile time (NativeConnection's Impl is
// a template over these two): plain TCP for http://, TLS over TCP for https://. No virtual
// call and no branch per operation; the plain path is what it was before TLS existed.
//
// Both offer: is_open(), renew() (before a connect: a fresh stream), socket() (the TCP socket
// to connect, tune and close), stream() (what requests are written to and responses read
// from), hold() (what an operation in flight keeps alive), close().
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "generator/http/tls_client.h"
#include "generator/http/transport_context.h"

namespace stampede::http::native {

// http://: one socket, reused across reconnects.
class PlainStream {
 public:
  using Stream = boost::asio::ip::tcp::socket;
  struct Hold {};  // the socket lives as long as the connection's state

  explicit PlainStream(TransportContext& ctx) : socket_(ctx.io) {}
  bool is_open() const { return socket_.is_open(); }
  void renew() {}
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  Stream& stream() { return socket_; }
  Hold hold() const { return {}; }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  Stream socket_;
};

// https://: a new ssl::stream (OpenSSL SSL object) per connection, made from the run's
// TlsClient; the session carries over to the next one (TlsSession). An operation still in
// flight when the connection is replaced (an abort, then a new send) keeps the old stream
// alive until it completes.
class TlsStream {
 public:
  using Stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;
  using Hold = std::shared_ptr<Stream>;

  explicit TlsStream(TransportContext& ctx) : ctx_(ctx) {}
  ~TlsStream() { close(); }
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  bool is_open() const { return stream_ && stream_->next_layer().is_open(); }
  void renew() {
    close();
    stream_ = std::make_shared<Stream>(ctx_.io, ctx_.defaults.native.tls->context());
  }
  boost::asio::ip::tcp::socket& socket() { return stream_->next_layer(); }
  Stream& stream() { return *stream_; }
  Hold hold() const { return stream_; }
  void close() {
    if (!stream_) return;
    TlsSession::closing(stream_->native_handle());
    boost::system::error_code ignored;
    stream_->next_layer().close(ignored);
  }
  TlsSession& session() { return session_; }

 private:
  TransportContext& ctx_;
  TlsSession session_;  // before stream_: the SSL object points at it until closing()
  Hold stream_;
};

}  // namespace stampede::http::native
