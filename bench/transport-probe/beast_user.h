// BeastUser: one virtual user of the transport probe — the engine's per-user loop
// (UserSession next/render/check, StatsRecorder record/record_failure/record_shards, wait
// times) over ONE keep-alive HTTP/1.1 connection driven by Boost.Beast's request
// serializer and response parser on an Asio TCP socket, instead of libcurl.
//
// It answers one question (docs/benchmarks.md, "A Beast transport? The probe"): what would
// such a transport cost per request? It is a measurement tool, not the engine's transport:
// plain http:// to a numeric address only, no redirects, no TLS, no proxy.
//
// Per request: render the scenario's request, build a fresh http::request (method, target,
// Host, the scenario's headers, body with Content-Length), async_write it, async_read the
// response with a fresh http::response_parser<string_body> (Content-Length or chunked,
// body limit kBodyLimit), parse any Server-Timing headers, run the scenario's checks and
// record latency (µs, from just before the write to the parsed response) in the recorder.
// A connection the server closes (or any error) is reopened for the next request.
//
// Failures are data, named as the engine names them (generator/virtual_user.cpp's
// describe_transfer_error): "connection refused", "connect timeout", "request timeout",
// "connection reset", "connection closed by server", "empty reply from server",
// "response body truncated", "invalid HTTP response", "response body too large".
// Timeouts: the owner calls expire(now) periodically (a coarse sweep, as wrk does); an
// expired connect or request closes the socket and counts as a failure. With
// exact_timeouts, each request also arms its own steady_timer at its deadline (cancelled
// when the response arrives): what an exact per-request timeout costs.
//
// Thread-safety: none. A user lives on, and is only touched from, its io_context's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "generator/stats_recorder.h"
#include "scenarios/scenario.h"

namespace boost::asio {
class io_context;
}

namespace stampede::bench {

// What all users of one io_context share. Lives on that io_context's thread.
struct ProbeContext {
  boost::asio::io_context& io;
  generator::StatsRecorder& recorder;
  std::string address;   // numeric IPv4/IPv6 address of the target
  std::uint16_t port = 0;
  std::string host_header;  // "127.0.0.1:8080"
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};  // when the scenario sets none
  bool exact_timeouts = false;  // a timer per request in addition to the sweep
  std::uint64_t connections_opened = 0;
  int running_users = 0;
};

class BeastUser {
 public:
  using Clock = std::chrono::steady_clock;

  // Largest response body accepted; larger ones fail with "response body too large".
  static constexpr std::uint64_t kBodyLimit = std::uint64_t{16} << 20;

  BeastUser(ProbeContext& ctx, const scenarios::UserClass& user_class, std::uint64_t seed);
  ~BeastUser();
  BeastUser(const BeastUser&) = delete;
  BeastUser& operator=(const BeastUser&) = delete;

  void start();
  // Finish after the request in flight (if any); no new request is sent.
  void stop();
  // Finish now: a request in flight is dropped without being recorded.
  void abandon();
  // Times out the connect or request in flight if its deadline is before `now`.
  void expire(Clock::time_point now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::bench
