// UserControl: a run whose users are set from outside while it runs, and what the run hands
// back as it goes. `stampede worker` steers its run with it: a Locust master sends user
// counts per class at every step of its ramp (and again to change them), and the worker
// reports each second's statistics to the master.
//
//   steering side   set_users (per-class counts and how fast to get there), finish (end the
//                   run gracefully, as its run time would), take_history / take_failures
//                   (what the run recorded since the last take), spawned (users started per
//                   class so far)
//   run side        targets, finish_reason, publish, set_spawned, mark_published (runner.cpp)
//
// Every history point the run appends to its result folder is published, in order, the last
// partial one (after the stop) included, so the points taken add up to the run's totals.
// all_published() turns true once that last one is (before the result folder is written:
// a Locust master waits only 0.5 s for a quitting worker's last report).
// Failures come as (method, name, error) rows with the occurrences of their interval.
//
// Thread-safety: every member may be called from any thread (one mutex; a few calls a
// second on each side).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "generator/engine/stats_recorder.h"
#include "results/run_result.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

class UserControl {
 public:
  struct Targets {
    std::vector<int> per_class;    // indexed like the scenario's user classes; missing: 0
    double spawn_rate = 0;         // users started per second; <= 0: all at once
    std::uint64_t generation = 0;  // +1 at every set_users (a new ramp starts)
  };

  // --- the steering side ---------------------------------------------------------------
  void set_users(std::vector<int> per_class, double spawn_rate);
  // Ends the run gracefully with this stop reason (run.json's stop_reason).
  void finish(std::string reason);
  std::vector<results::HistoryPoint> take_history();
  std::vector<results::FailureStats> take_failures();
  std::vector<int> spawned() const;
  bool all_published() const;

  // --- the run side --------------------------------------------------------------------
  Targets targets() const;
  std::optional<std::string> finish_reason() const;
  void publish(results::HistoryPoint point, std::vector<results::FailureStats> failures);
  void set_spawned(const std::vector<int>& per_class);
  void mark_published();

 private:
  mutable std::mutex mutex_;
  Targets targets_;
  std::optional<std::string> finish_reason_;
  std::vector<results::HistoryPoint> history_;
  std::vector<results::FailureStats> failures_;
  std::vector<int> spawned_;
  bool all_published_ = false;
};

// The failures of `intervals` as rows (method, name, error, occurrences); `endpoints` are
// the scenario's, which the intervals index.
std::vector<results::FailureStats> failure_rows(const std::vector<Interval>& intervals,
                                                const std::vector<scenarios::Endpoint>& endpoints);

}  // namespace stampede::engine
