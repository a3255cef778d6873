#include "reference-server/fanout_pool.h"

#include <chrono>
#include <exception>

namespace stampede::server {

FanoutPool::FanoutPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { worker(); });
}

FanoutPool::~FanoutPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void FanoutPool::worker() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

ShardTimings FanoutPool::run(const ShardList& shards,
                             const std::function<void(int shard, std::size_t slot)>& part) {
  const std::size_t n = shards.size();
  ShardTimings timings(n);
  std::vector<std::exception_ptr> errors(n);

  // Completion tracking local to this call.
  std::mutex done_mutex;
  std::condition_variable done_cv;
  std::size_t remaining = n;

  auto run_part = [&](std::size_t slot) {
    const int shard = shards[slot];
    const auto start = std::chrono::steady_clock::now();
    try {
      part(shard, slot);
    } catch (...) {
      errors[slot] = std::current_exception();
    }
    timings[slot] = ShardTiming{shard, std::chrono::steady_clock::now() - start, std::nullopt};
    std::lock_guard lock(done_mutex);
    if (--remaining == 0) done_cv.notify_one();
  };

  if (n > 1 && !threads_.empty()) {
    {
      std::lock_guard lock(mutex_);
      for (std::size_t slot = 1; slot < n; ++slot) queue_.emplace_back([&run_part, slot] { run_part(slot); });
    }
    if (n == 2) {
      wake_.notify_one();
    } else {
      wake_.notify_all();
    }
    run_part(0);
  } else {
    for (std::size_t slot = 0; slot < n; ++slot) run_part(slot);
  }
  {
    std::unique_lock lock(done_mutex);
    done_cv.wait(lock, [&] { return remaining == 0; });
  }
  for (auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return timings;
}

}  // namespace stampede::server
