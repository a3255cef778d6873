// HttpConnection: how one virtual user's requests travel — the engine's transport seam.
//
// A virtual user owns one connection object and sends one request at a time on it; the
// connection tells its owner once, later, how the exchange ended. Two implementations:
//
//   native (NativeConnection): the engine's own HTTP/1.1 client on an Asio TCP socket with
//     Boost.Beast's response parser; one keep-alive socket per user, http:// and https://
//     (Asio's ssl::stream over OpenSSL). About a third of libcurl's instructions per request
//     (docs/benchmarks.md).
//   curl (CurlConnection): a libcurl easy handle on the worker's CurlTransport (curl multi
//     driven by Asio); https:// too, and connections shared among users.
//
// Thread-safety: none. A connection lives on, and is only touched from, its worker's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generator/http/body_limits.h"
#include "generator/http/response_body.h"
#include "generator/http/server_timing.h"
#include "generator/http/transport_error.h"
#include "scenarios/user_session.h"

namespace stampede::http {

struct TransportContext;

// How one request/response exchange ended. Views are valid only during on_exchange_done().
struct Exchange {
  std::string_view error;  // empty: a response arrived; else the failures-table error
  ErrorKind error_kind = ErrorKind::kNone;  // what kind of error `error` is
  long status = 0;         // HTTP status of the response (0 on error)
  std::string_view body;   // the body as kept: empty unless sent with BodyUse::kKeep
  std::uint64_t body_bytes = 0;  // body bytes received, kept or not
  const std::vector<ShardTiming>* shards = nullptr;  // Server-Timing shard entries
  // Connection set-up this exchange waited for, zero when it reused an open connection
  // (native transport; libcurl leaves both zero): the TCP connect, and the TLS handshake of
  // an https:// target (tls_resumed: it resumed the connection's previous session).
  std::chrono::microseconds connect_time{0};
  std::chrono::microseconds tls_time{0};
  bool tls_resumed = false;
  // The response's header fields (name as sent, value), both transports; null on error.
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  // This exchange opened a new connection (its TCP connect completed: connect_time is its
  // time), and completed a TLS handshake on it (tls_time). Both transports.
  bool new_connection = false;
  bool tls_handshake = false;
  // Time to first byte: from the request's send on a ready connection until the response
  // head had arrived; nullopt when no response head arrived.
  std::optional<std::chrono::microseconds> ttfb;
  // The response's Server-Timing cache and server entries (none on error).
  ServerTimingNotes server_timing;
};

class ExchangeOwner {
 public:
  // Called once per send(), never from inside send(). May call send() again.
  virtual void on_exchange_done(const Exchange& exchange) = 0;

 protected:
  ~ExchangeOwner() = default;
};

class HttpConnection {
 public:
  virtual ~HttpConnection() = default;

  // Starts sending `request` (which must stay unchanged until the owner is told) against the
  // worker's base URL. `timeout` is a deadline for the whole exchange, connect included,
  // not an idle timeout: a server that trickles its answer a byte at a time still fails
  // "request timeout" when it passes. `body` says whether the owner reads the response body
  // (BodyUse::kKeep) or only its size; either way the run's BodyLimits apply
  // (generator/http/body_limits.h).
  virtual void send(const scenarios::RenderedRequest& request, std::chrono::milliseconds timeout,
                    BodyUse body) = 0;

  // Drops the exchange in flight, if any, without telling the owner.
  virtual void abort() = 0;
};

// The connection the worker's RequestDefaults ask for (transport and sharing).
std::unique_ptr<HttpConnection> make_connection(TransportContext& ctx, ExchangeOwner& owner);

}  // namespace stampede::http
