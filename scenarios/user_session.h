// UserSession: one virtual user's scenario state — variables fixed at user start,
// captured values, the task being run — and the per-request work the engine asks of it:
// what to send next, how to render it, whether the response passes the checks.
//
// Hot path: next()/render()/check() do no locking and reuse the caller's buffers. A
// session is owned by one worker thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario.h"

namespace stampede::scenarios {

// Fast, seedable PRNG used for all scenario randomness (SplitMix64-seeded xoshiro256**).
class Rng {
 public:
  using result_type = std::uint64_t;
  explicit Rng(std::uint64_t seed = 0);
  std::uint64_t operator()() noexcept;
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return ~std::uint64_t{0}; }
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) noexcept;  // inclusive
  double uniform_real(double lo, double hi) noexcept;                   // [lo, hi)

 private:
  std::uint64_t s_[4];
};

// A request ready for the transport. Buffers are reused across calls to render().
struct RenderedRequest {
  std::uint32_t endpoint_id = 0;     // index into Scenario::endpoints()
  std::string_view method;           // stable for the scenario's lifetime
  std::string target;                // path + optional "?query" (query values URL-encoded)
  std::vector<std::string> headers;  // "Name: value" lines (Content-Type added for JSON bodies)
  std::string body;                  // empty when none
  std::chrono::milliseconds timeout{0};  // 0 = the engine's default
  bool follow_redirects = true;      // the engine follows 3xx Location (up to 10)
  // After a 429 answer the user waits its Retry-After (seconds) before its next request.
  bool honour_retry_after = false;
};

// A completed response as the checks and captures read it. Views valid during the call.
struct Response {
  long status = 0;
  std::string_view body;
  // Response headers (name as sent, any case; value), or null when none were kept.
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  // The value of the user's cookie `name` after this response, if it has one.
  std::function<std::optional<std::string>(std::string_view name)> cookie;
};

// Opaque handle to the request the session chose; valid until the next call to next().
struct RequestRef {
  const void* step = nullptr;
  explicit operator bool() const { return step != nullptr; }
};

// The open model chooses an iteration's task when its arrival is due, before it looks for a
// free user (docs/open-model.md), so that an arrival dropped for want of a user still has
// an endpoint: the task a draw `u` in [0, 1) picks by the class's task weights (as next()
// does), and the endpoint of that task's first request. std::nullopt for a class without
// compiled tasks.
struct TaskChoice {
  std::size_t task = 0;             // index into the class's tasks
  std::uint32_t first_endpoint = 0;  // index into Scenario::endpoints()
};
std::optional<TaskChoice> choose_task(const UserClass& user_class, double u);

class UserSession {
 public:
  // Evaluates the class's on_start variables with `rng`.
  UserSession(const UserClass& user_class, Rng rng);

  // Chooses the next request: continues the current task sequence, or picks a new task by
  // weight (evaluating the task's own variables). A task or step whose `when` is false is
  // skipped (counted in skipped()). Returns an empty ref when the task under way has no
  // step left to send (its remaining steps were skipped: the task is over) or no task could
  // be drawn whose `when` holds (after 100 tries); task_finished() is then true.
  RequestRef next();

  // on_start requests: the next one to send (its `when` holding), or an empty ref once they
  // are all done (the user goes on to its tasks). Call while in_setup().
  bool in_setup() const;
  RequestRef next_setup();
  // An on_start request failed: the rest of on_start is dropped. true when the class stops
  // the user then (on_start_failure "stop", the default), false when it goes on to its tasks.
  bool setup_failed();
  // on_stop requests: starts them (true when the class has any); then next_teardown()
  // returns each in turn, and an empty ref when they are done.
  bool begin_teardown();
  RequestRef next_teardown();
  // Tasks and steps skipped by `when` so far.
  std::uint64_t skipped() const;
  // The endpoints of the requests skipped since clear_skipped_endpoints(), one entry per
  // skip: a skipped request's own, a skipped task's first request's (results/README.md).
  const std::vector<std::uint32_t>& skipped_endpoints() const;
  void clear_skipped_endpoints();
  // Whether the class keeps a cookie jar per user ("cookies", default true).
  bool cookies() const;
  // Starts task `task` (from choose_task) as next() starts one it picked itself: the task's
  // variables are evaluated and its first request returned. A sequence under way is left.
  RequestRef start_task(std::size_t task);

  // Renders the chosen request into `out` (templates and expressions evaluated).
  void render(RequestRef ref, RenderedRequest& out);

  // Applies the request's checks and captures to a completed HTTP response.
  // Returns std::nullopt when the response passes, else the failure message, e.g.
  // "expected status 200, got 503" or "grab_status: expected one of [0, 1], got 7".
  // Without explicit checks, status >= 400 is a failure "HTTP <status>".
  std::optional<std::string> check(RequestRef ref, long status, std::string_view body);
  // The same with headers and cookies (header checks, header and cookie captures).
  std::optional<std::string> check(RequestRef ref, const Response& response);

  // Whether check() reads the body of the request `ref` (JSON, body_contains or regex checks,
  // JSON or regex captures).
  // When it does not, check() needs only the status: the engine may drop the body's bytes
  // as they arrive, and pass an empty body.
  bool needs_body(RequestRef ref) const;

  // True when the last request returned by next() ended its task. The engine sends the
  // steps of a sequence back to back (a task is one user action, however many requests it
  // takes) and applies the wait time only after a finished task.
  bool task_finished() const;

  // How long to wait after a task, given how long the task took (for constant pacing and
  // constant throughput). Zero for no wait_time.
  std::chrono::nanoseconds wait_after(std::chrono::nanoseconds task_elapsed);

  const UserClass& user_class() const { return *class_; }

 private:
  const UserClass* class_;
  Rng rng_;
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace stampede::scenarios
