// NativeConnection: the engine's own HTTP/1.1 client for http:// and https:// targets — one
// keep-alive connection per virtual user on the worker's io_context, the request written by
// hand into a reused buffer, the response read with Boost.Beast's parser (Content-Length,
// chunked, or until close; 1xx/204/304 and HEAD without body). See http_connection.h.
//
// Why not libcurl here: libcurl 7.88 spends ~50,000 instructions per transfer (a fresh
// connection struct, URL parts re-printed, headers compared one by one); this path spends
// about a third of that, which is what brings the engine near wrk (docs/benchmarks.md).
// A socket costs one file descriptor and a few KiB per user (https: plus OpenSSL's buffers,
// some 50 KiB per connection).
//
// Behaviour:
// - Connect to the resolved addresses in order, TCP_NODELAY; the connect timeout and the
//   request timeout are exact (one steady_timer per exchange, at the earlier deadline).
// - https:// (the target's NativeTarget::tls set): a TLS handshake after the connect, within
//   the connect timeout, as generator/http/tls_client.h describes (SNI, verification unless
//   --insecure, --ca-file, ALPN http/1.1, the session resumed on the user's next connection).
//   Plain and TLS connections are two instantiations of one template (native_stream.h): the
//   choice costs nothing per request.
// - A reused keep-alive connection that turns out to be closed by the server before any
//   byte of the response arrived (reset, EOF) is reopened and the request sent once more,
//   as curl and browsers do: an idle-timeout race is not a failure of the target.
// - `Connection: close` (or HTTP/1.0 without keep-alive) closes the socket after the
//   response; the next request connects again.
// - Failures get the same names as the curl transport's: "connection refused",
//   "connect timeout", "request timeout", "connection reset", "connection closed by server",
//   "empty reply from server", "response body truncated", "invalid HTTP response",
//   "response body too large (--max-body …)", "could not resolve host"; a body over the
//   run's memory limit for bodies fails "response bodies over the memory limit (…)"
//   (generator/http/body_limits.h). TLS: "certificate verify failed for <host>: <OpenSSL's
//   reason>", "TLS handshake failed: <reason>", "TLS handshake timeout" — all of kind
//   kConnect (the connection was never usable).
//
// Thread-safety: none; lives on its worker's thread. Asynchronous operations keep the
// connection's state alive until they complete, so destroying a NativeConnection with an
// exchange in flight is safe (the exchange is dropped, the owner is not told).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "generator/http/http_connection.h"
#include "generator/http/tls_options.h"

namespace stampede::http {

struct NativeTarget;

class NativeConnection final : public HttpConnection {
 public:
  // Largest response header block accepted.
  static constexpr std::uint32_t kHeaderLimit = 64 * 1024;

  NativeConnection(TransportContext& ctx, ExchangeOwner& owner);
  ~NativeConnection() override;
  NativeConnection(const NativeConnection&) = delete;
  NativeConnection& operator=(const NativeConnection&) = delete;

  void send(const scenarios::RenderedRequest& request, std::chrono::milliseconds timeout,
            BodyUse body) override;
  void abort() override;

 private:
  template <bool kTls>
  struct Impl;
  // Exactly one is set, by the target's scheme.
  std::shared_ptr<Impl<false>> plain_;
  std::shared_ptr<Impl<true>> tls_;
};

// Resolves scheme://host[:port] for the native transport (blocking, once, before the run;
// at most `timeout`). Throws std::invalid_argument if the URL is not http:// or
// https://host[:port], or (https://) when `tls`'s --ca-file cannot be used; a host that does
// not resolve, or not within `timeout` (resolve_timed_out), gives no addresses (every
// request then fails "could not resolve host"). A lookup still running at the timeout
// finishes on a thread of its own, which nothing waits for. For https:// the target carries
// a TlsClient made from `tls`.
NativeTarget resolve_native_target(const std::string& base_url, std::chrono::milliseconds timeout,
                                   const TlsOptions& tls = {});

}  // namespace stampede::http
