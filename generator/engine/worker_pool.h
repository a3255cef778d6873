// WorkerPool: a run's worker threads as one, for the control loop — commands to one worker
// or to all, the statistics they recorded collected by a deadline, and the run's bounded
// end. The control thread never waits for a worker without a deadline: a worker that does
// not answer in time owes its interval (a later collect() merges it), and one that has not
// ended by the end's deadline is left behind (Worker::wait_ended).
//
// Thread-safety: used from the control thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <future>
#include <memory>
#include <vector>

#include "generator/engine/worker.h"

namespace stampede::engine {

class WorkerPool {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts `threads` workers reading `shared`.
  WorkerPool(const std::shared_ptr<WorkerShared>& shared, int threads);

  std::size_t size() const { return workers_.size(); }
  Worker& operator[](std::size_t i) { return *workers_[i]; }
  void stop_all();
  void abandon_all();
  int running_users() const;

  // What the workers recorded since they were last asked: the intervals handed over by
  // `deadline`. A worker owing two intervals already is not asked again (it is stuck, or far
  // behind) until it answers.
  std::vector<Interval> collect(Clock::time_point deadline);

  struct Ended {
    std::vector<Interval> intervals;  // the last ones, with what users did since the last collect
    int left_behind = 0;              // workers still busy at the deadline
  };
  // The end, all of it by `deadline`: requests still in flight are abandoned, every worker
  // is asked for its last interval (with them) and told to end, all queued before any is
  // waited for; then the intervals are merged and the threads joined. No other call may
  // follow.
  Ended end(Clock::time_point deadline);

 private:
  void ask(bool always);
  std::vector<Interval> handed_over(Clock::time_point deadline);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::vector<std::future<Interval>>> owed_;  // per worker, oldest first
};

}  // namespace stampede::engine
