// VirtualUser: one simulated user in the closed model. It loops: ask its scenario session
// for the next request, send it on its own HttpConnection (native or libcurl, see
// generator/http/http_connection.h), record what happened, wait the class's wait time, repeat —
// until stopped. Callback-driven on its worker's io_context (no coroutine frames, no
// locks).
//
// In the open model (docs/open-model.md) a user runs in iteration mode: start() only makes
// it a running user, idle; run_iteration() runs ONE task with no wait time, then the user
// tells its IterationPool that it is free again. Its session (state, captures, sequences)
// persists between iterations.
//
// Latency is measured from just before the request is handed to the connection to the
// moment the response is complete (or the exchange failed), with std::chrono::steady_clock.
// A redirect the user follows (up to scenarios::kMaxRedirects, same origin) belongs to its
// request: one sample under the first request's name, from its send to the final response.
//
// A user's life: its class's on_start requests (an on_start failure stops it, or not, by the
// class's on_start_failure), then its tasks, then at a graceful stop its on_stop requests
// (abandon() cuts them short). It keeps its cookies (unless the class says "cookies": false)
// in its own jar, across reconnects.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "generator/http/cookie_jar.h"
#include "generator/http/http_connection.h"
#include "generator/engine/worker_context.h"
#include "scenarios/user_session.h"

namespace stampede::engine {

class VirtualUser;

// Where an iteration-mode user goes back when its iteration ends (on the worker's thread).
class IterationPool {
 public:
  virtual void iteration_done(VirtualUser& user) = 0;

 protected:
  ~IterationPool() = default;
};

class VirtualUser final : public http::ExchangeOwner {
 public:
  using Clock = std::chrono::steady_clock;

  // `pool` non-null: iteration mode (the open model).
  VirtualUser(WorkerContext& ctx, const scenarios::UserClass& user_class, std::uint64_t seed,
              IterationPool* pool = nullptr);
  ~VirtualUser();
  VirtualUser(const VirtualUser&) = delete;
  VirtualUser& operator=(const VirtualUser&) = delete;

  void start();
  // Iteration mode, an idle user: runs one task, `task` of its class (chosen by the arrival,
  // scenarios::choose_task), or one by weight when nullopt. Its first request's latency is
  // measured from `intended` (the arrival's due time), the later ones from their send; the
  // service time of each from its send.
  void run_iteration(Clock::time_point intended, std::optional<std::size_t> task = std::nullopt);
  // Iteration mode: started, not stopping, and no iteration running.
  bool idle() const { return state_ == State::kIdle && !stopping_; }
  std::size_t class_index() const { return class_index_; }
  void set_class_index(std::size_t i) { class_index_ = i; }
  // Graceful: no new request; a waiting user is done at once, one in flight when its
  // response arrives.
  void stop();
  // Immediate: an in-flight request is dropped and recorded as a failure
  // (kAbandonedError) with the time it had waited.
  void abandon();
  bool done() const { return state_ == State::kDone; }
  // Told to stop (or abandon): done, or finishing its request in flight.
  bool stopping() const { return stopping_; }
  // Done, and no handler of its wait timer still queued: a wait that expired just before a
  // stop has its handler queued although the user is done; it must run first.
  bool destroyable() const { return done() && !wait_pending_; }

  void on_exchange_done(const http::Exchange& exchange) override;

 private:
  enum class State { kIdle, kInFlight, kWaiting, kDone };

  void begin_request();
  void send_current();
  // The task ended: wait (closed model) or go back to the pool (iteration mode).
  void after_task(bool sent_nothing);
  void store_cookies(const http::Exchange& exchange);
  // Waits `wait` (state kWaiting; stop() cancels it and goes on itself), then next().
  void wait_then(std::function<void()> next, std::chrono::nanoseconds wait);
  // The next request of the task or on_start: after retry_wait_ when one is pending.
  void next_step();
  // Records the exchange's sample (one per request, redirects included) and goes on;
  // `failure` set: the request failed before its checks (too many redirects).
  void record_outcome(const http::Exchange& exchange, std::optional<std::string> failure);
  void finish();

  WorkerContext& ctx_;
  IterationPool* pool_;
  std::size_t class_index_ = 0;
  scenarios::UserSession session_;
  std::unique_ptr<http::HttpConnection> connection_;
  struct Timer;
  std::unique_ptr<Timer> timer_;
  State state_ = State::kIdle;
  bool stopping_ = false;
  bool wait_pending_ = false;  // an async_wait of timer_ has not run its handler yet

  scenarios::RequestRef ref_;
  scenarios::RenderedRequest request_;
  http::CookieOrigin origin_;
  http::CookieJar jar_;
  int redirects_ = 0;            // redirects followed for the request in flight
  // A 429's Retry-After to honour before the next request (honour_retry_after); 0: none.
  std::chrono::nanoseconds retry_wait_{0};
  bool tearing_down_ = false;    // sending its on_stop requests
  bool teardown_allowed_ = true;  // false once on_start failed and stopped it
  std::chrono::steady_clock::time_point sent_at_;
  std::chrono::steady_clock::time_point task_started_;
  bool task_open_ = false;
  // Iteration mode: the next response is the first of its iteration, measured from here.
  std::optional<std::chrono::steady_clock::time_point> intended_;
  // Iteration mode: the task the next iteration runs (chosen by its arrival).
  std::optional<std::size_t> next_task_;
};

// HTTP 429 Too Many Requests: a rate-limited answer, its own outcome (not a failure).
inline constexpr long kTooManyRequests = 429;

// The failures-table error of a request still in flight when the run stopped for good
// (stop timeout passed, or a second Ctrl-C).
inline constexpr const char* kAbandonedError = "abandoned at stop (no response when the run ended)";

}  // namespace stampede::engine
