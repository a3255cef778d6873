// Runs one query per shard concurrently and times each shard's part.
//
// run() hands every shard but the first to the pool's threads, runs the first on the
// calling thread, and returns when all are done: a fan-out over k shards takes about as
// long as its slowest shard, not the sum. Each part is timed with steady_clock (this is
// measurement, reported as Server-Timing, not logic).
//
// Errors: if parts throw, run() still waits for every part, then rethrows the exception of
// the lowest-numbered failing shard (typically ShardUnavailable).
// Thread-safety: run() may be called from many threads at once. The destructor joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "reference-server/store.h"

namespace stampede::server {

class FanoutPool {
 public:
  explicit FanoutPool(int threads);
  ~FanoutPool();
  FanoutPool(const FanoutPool&) = delete;
  FanoutPool& operator=(const FanoutPool&) = delete;

  // part(shard, slot): slot is the shard's position in `shards` (for writing results
  // into a pre-sized vector without locking).
  ShardTimings run(const ShardList& shards,
                   const std::function<void(int shard, std::size_t slot)>& part);

 private:
  void worker();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace stampede::server
