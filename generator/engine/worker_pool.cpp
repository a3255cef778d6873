#include "generator/engine/worker_pool.h"

namespace stampede::engine {

WorkerPool::WorkerPool(const std::shared_ptr<WorkerShared>& shared, int threads) {
  for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>(shared));
  owed_.resize(workers_.size());
  for (auto& w : workers_) w->start();
}

void WorkerPool::stop_all() {
  for (auto& w : workers_) w->stop_all();
}

void WorkerPool::abandon_all() {
  for (auto& w : workers_) w->abandon_all();
}

int WorkerPool::running_users() const {
  int n = 0;
  for (const auto& w : workers_) n += w->running_users();
  return n;
}

void WorkerPool::ask(bool always) {
  for (std::size_t i = 0; i < workers_.size(); ++i)
    if (always || owed_[i].size() < 2) owed_[i].push_back(workers_[i]->take());
}

std::vector<Interval> WorkerPool::handed_over(Clock::time_point deadline) {
  std::vector<Interval> intervals;
  for (auto& owed : owed_) {
    while (!owed.empty() && owed.front().wait_until(deadline) == std::future_status::ready) {
      try {
        intervals.push_back(owed.front().get());
      } catch (const std::future_error&) {  // the worker ended without answering
      }
      owed.erase(owed.begin());
    }
  }
  return intervals;
}

std::vector<Interval> WorkerPool::collect(Clock::time_point deadline) {
  ask(/*always=*/false);
  return handed_over(deadline);
}

WorkerPool::Ended WorkerPool::end(Clock::time_point deadline) {
  // Requests still in flight are abandoned (recorded as failures) before the last interval
  // is taken; what users did since the last collect is in no other: every worker is asked.
  abandon_all();
  ask(/*always=*/true);
  for (auto& w : workers_) w->end();
  Ended ended;
  ended.intervals = handed_over(deadline);
  for (auto& w : workers_)
    if (!w->wait_ended(deadline)) ++ended.left_behind;
  // Each thread closed its connections as it ended; what is left is bookkeeping.
  workers_.clear();
  owed_.clear();
  return ended;
}

}  // namespace stampede::engine
