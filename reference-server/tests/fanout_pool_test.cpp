// FanoutPool runs a fan-out's shard parts at the same time, not one after another, and
// reports the lowest-numbered failing shard after every part has finished.
#include "reference-server/fanout_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace stampede::server {
namespace {
using namespace std::chrono_literals;

TEST(FanoutPool, AllShardPartsRunAtTheSameTime) {
  FanoutPool pool(3);
  const ShardList shards{0, 1, 2, 3};
  std::mutex mutex;
  std::condition_variable all_in;
  int running = 0;
  int most_at_once = 0;
  // Each part waits (up to 5 s) until every part has started: run one after another, the
  // first part would wait alone and the count would never pass 1.
  ShardTimings timings = pool.run(shards, [&](int, std::size_t) {
    std::unique_lock lock(mutex);
    ++running;
    most_at_once = std::max(most_at_once, running);
    all_in.notify_all();
    all_in.wait_for(lock, 5s, [&] { return most_at_once == static_cast<int>(shards.size()); });
  });
  EXPECT_EQ(most_at_once, 4) << "four shard parts in flight at once";
  ASSERT_EQ(timings.size(), 4u);
  for (std::size_t i = 0; i < timings.size(); ++i) EXPECT_EQ(timings[i].shard, static_cast<int>(i));
}

TEST(FanoutPool, WaitsForEveryPartThenRethrowsTheLowestFailingShard) {
  FanoutPool pool(3);
  std::atomic<int> finished{0};
  try {
    pool.run({0, 1, 2, 3}, [&](int shard, std::size_t) {
      if (shard == 3) std::this_thread::sleep_for(50ms);
      ++finished;
      if (shard == 1 || shard == 3) throw std::runtime_error("shard " + std::to_string(shard));
    });
    FAIL() << "a failing part must fail the fan-out";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "shard 1");
  }
  EXPECT_EQ(finished.load(), 4) << "every part ran to its end before run() returned";
}

}  // namespace
}  // namespace stampede::server
