// The HTTP/1.1 front of stampede-server (Boost.Beast, C++20 coroutines). Beast stays in
// http_server.cpp: this header is cheap to include.
//
// Threads: `threads` event-loop threads, each with its own io_context and its own
// SO_REUSEPORT acceptor on the same port (the kernel spreads connections; no locks shared
// between loops). One coroutine per connection, keep-alive.
//
// Requests that call the store (endpoint.h calls_store) run on a separate worker pool of
// `worker_threads`, so a slow shard never stalls an event loop; /health and /metrics are
// answered on the loop. At most `max_in_flight` requests may be on the worker pool: above
// that the server sheds with 503 {"error":"overloaded"} instead of queueing without bound.
//
// With a rate limiter (HttpServerOptions::rate_limiter) a request over its key's limit is
// answered 429 on the event loop before anything else (rate_limit.h).
//
// Limits (http_limits.h has the full table): a request (header + body) must be read within
// `read_timeout`: a request partly read by then gets 408, an idle keep-alive connection
// (nothing of a next request read) is closed silently. A body over `max_body_bytes` gets
// 413 (announced by Content-Length: before the body is read), a target over
// `max_target_bytes` 414, a header block over `max_header_bytes` or with more than
// `max_header_fields` fields 431, malformed framing (bad or conflicting Content-Length,
// Transfer-Encoding other than chunked, HTTP/1.1 without Host, bad syntax) 400. Each of
// these is a JSON error with Connection: close, and the connection is closed.
// `Expect: 100-continue` is answered with 100 Continue before the body is read, or with
// the refusal when the header already decides it (e.g. 413 for a too-large Content-Length).
//
// Lifecycle: start() binds and spawns threads (throws std::system_error when the address
// is taken). request_stop() may be called from anywhere (also a signal); wait() blocks
// until a stop is requested, then stops accepting, lets requests on the worker pool
// finish (up to `drain_timeout`), and joins every thread. stop() = request_stop + wait.
// With handle_signals, SIGINT/SIGTERM request a stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "reference-server/metrics.h"
#include "reference-server/router.h"

namespace stampede::server {

class RateLimiter;

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 8000;  // 0: any free port (see HttpServer::port())
  int threads = 0;            // event loops; 0: hardware concurrency
  int worker_threads = 0;     // blocking store calls; 0: max(16, 8 * threads)
  int max_in_flight = 1024;
  std::size_t max_body_bytes = 16 * 1024;
  std::size_t max_target_bytes = 8 * 1024;   // path + query
  std::size_t max_header_bytes = 16 * 1024;  // request line + header fields
  std::size_t max_header_fields = 100;
  std::chrono::milliseconds read_timeout = std::chrono::seconds(15);
  std::chrono::milliseconds drain_timeout = std::chrono::seconds(5);
  bool handle_signals = false;
  // Store endpoints that the store answers from memory without blocking (e.g. coupon_stock
  // on the sqlite store): answered on the event loop, skipping the worker-pool hop.
  std::vector<Endpoint> inline_endpoints;
  // A Server-Timing metric added to every answer (e.g. "srv-1", from --name); "" none.
  std::string server_name;
  // --rate-limit (rate_limit.h), owned by the caller and outliving the server; asked on the
  // event loop before a request reaches the worker pool. nullptr: no limit.
  RateLimiter* rate_limiter = nullptr;
};

class HttpServer {
 public:
  HttpServer(Router& router, Metrics& metrics, HttpServerOptions options);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  std::uint16_t port() const;  // the bound port (after start)
  int threads() const;
  void request_stop();
  void wait();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::server
