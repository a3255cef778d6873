// Worker: one thread with its own io_context, libcurl multi handle, statistics recorder and
// the virtual users assigned to it. The control thread talks to it only by posting
// commands; nothing is shared per request.
//
// A worker's state (users, connections, event loop) lives on its thread and is destroyed
// there, and it owns a share of what it reads (WorkerShared): a thread that does not stop
// in time can be left behind (shutdown() returns false) without anything it touches going
// away under it. The run's end never waits for a worker longer than its deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <thread>

#include "generator/engine/arrival_schedule.h"
#include "generator/engine/stats_recorder.h"
#include "generator/engine/worker_context.h"
#include "generator/http/body_limits.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

// What every worker of a run reads: the scenario, the request defaults and the response-body
// limits (the one part written to, by atomics). Shared, so it lives as long as the last
// worker thread.
struct WorkerShared {
  WorkerShared(scenarios::Scenario s, http::RequestDefaults d, std::uint64_t max_body_bytes,
               std::uint64_t max_body_memory_bytes)
      : scenario(std::move(s)), defaults(std::move(d)), bodies(max_body_bytes, max_body_memory_bytes) {}

  const scenarios::Scenario scenario;
  const http::RequestDefaults defaults;
  http::BodyLimits bodies;
};

class Worker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Worker(std::shared_ptr<WorkerShared> shared);
  ~Worker();  // shutdown() with a short deadline if still running
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();

  // --- commands (thread-safe; run later on the worker's thread) ---------------------------
  // None may be called after end().
  void spawn(std::size_t class_index, std::uint64_t seed);
  // The open model: this worker's part of the arrival schedule, until stop_all/end.
  void start_arrivals(const ArrivalPlan& plan);
  void stop_latest(int count);   // graceful stop of the most recently spawned users
  // Graceful stop of the most recently spawned users of one class (a Locust master's lower
  // count for that class).
  void stop_latest_of_class(std::size_t class_index, int count);
  void stop_all();               // no more arrivals; graceful stop of every user
  void abandon_all();            // drop in-flight requests, every user done now
  std::future<Interval> take();  // the statistics recorded since the last take()

  // Users started and not yet done (updated by the worker thread); 0 after end().
  int running_users() const;

  // Tells the thread to end: it abandons the users still running, stops its event loop
  // (after the commands posted before), destroys its users and connections and ends.
  // Returns at once; no command may follow.
  void end();
  // Waits until `deadline` for the thread told to end() to do so. true: it ended (joined).
  // false: it is still busy; it is left behind (detached) to finish on its own, holding its
  // share of WorkerShared, and the caller goes on without it.
  bool wait_ended(Clock::time_point deadline);
  // end(), then wait_ended(deadline).
  bool shutdown(Clock::time_point deadline);

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::future<void> finished_;
  std::thread thread_;
};

}  // namespace stampede::engine
