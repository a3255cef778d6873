// Worker: one thread with its own io_context, libcurl multi handle, statistics recorder and
// the virtual users assigned to it. The control thread talks to it only by posting
// commands; nothing is shared per request.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <thread>

#include "generator/engine/stats_recorder.h"
#include "generator/engine/worker_context.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

class Worker {
 public:
  Worker(const scenarios::Scenario& scenario, const http::RequestDefaults& defaults);
  ~Worker();  // stops and joins if still running
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();

  // --- commands (thread-safe; run later on the worker's thread) ---------------------------
  void spawn(std::size_t class_index, std::uint64_t seed);
  void stop_latest(int count);   // graceful stop of the most recently spawned users
  void stop_all();               // graceful stop of every user
  void abandon_all();            // drop in-flight requests, every user done now
  std::future<Interval> take();  // the statistics recorded since the last take()

  // Users started and not yet done (updated by the worker thread).
  int running_users() const;

  // Stops the event loop and joins the thread. Users still running are abandoned.
  void shutdown();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::thread thread_;
};

}  // namespace stampede::engine
