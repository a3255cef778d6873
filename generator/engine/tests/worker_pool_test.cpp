// WorkerPool: intervals collected by a deadline, and the end — the last intervals with the
// requests abandoned at it, every thread ended and joined — within its deadline.
#include "generator/engine/worker_pool.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "generator/engine/tests/worker_shared_for.h"
#include "generator/http/tests/test_http_server.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::shared_ptr<WorkerShared> shared_for(const std::string& base_url, const std::string& path) {
  return testing::shared_for(base_url, path, 0.01);
}

std::uint64_t requests(const std::vector<Interval>& intervals) {
  std::uint64_t n = 0;
  for (const Interval& in : intervals)
    for (const EndpointInterval& e : in.endpoints) n += e.requests;
  return n;
}

TEST(WorkerPool, CollectsWhatEveryWorkerRecorded) {
  http::testing::TestHttpServer server;
  WorkerPool pool(shared_for(server.url(), "/x"), 2);
  for (std::size_t i = 0; i < 4; ++i) pool[i % pool.size()].spawn(0, i + 1);
  std::this_thread::sleep_for(300ms);
  const std::vector<Interval> first = pool.collect(Clock::now() + 5s);
  EXPECT_EQ(first.size(), 2u) << "one interval per worker";
  EXPECT_GT(requests(first), 10u);
  EXPECT_EQ(pool.running_users(), 4);
  pool.stop_all();  // graceful: each user's request in flight is answered first
  for (const auto until = Clock::now() + 5s; pool.running_users() > 0 && Clock::now() < until;)
    std::this_thread::sleep_for(5ms);
  ASSERT_EQ(pool.running_users(), 0);
  WorkerPool::Ended ended = pool.end(Clock::now() + 5s);
  EXPECT_EQ(ended.left_behind, 0);
  EXPECT_EQ(ended.intervals.size(), 2u);
  EXPECT_EQ(requests(first) + requests(ended.intervals), server.total_requests())
      << "every answered request is in exactly one interval";
}

// Requests the target never answers are abandoned at the end and counted in its last
// intervals; the end does not wait for them.
TEST(WorkerPool, TheEndAbandonsWhatIsInFlightAndKeepsItsDeadline) {
  http::testing::TestHttpServer server;
  WorkerPool pool(shared_for(server.url(), "/delay/60000/x"), 2);
  for (std::size_t i = 0; i < 6; ++i) pool[i % pool.size()].spawn(0, i + 1);
  std::this_thread::sleep_for(200ms);
  const auto started = Clock::now();
  WorkerPool::Ended ended = pool.end(started + 5s);
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_EQ(ended.left_behind, 0);
  EXPECT_EQ(requests(ended.intervals), 6u) << "each user's one request, abandoned";
  std::uint64_t failures = 0;
  for (const Interval& in : ended.intervals)
    for (const EndpointInterval& e : in.endpoints) failures += e.failures;
  EXPECT_EQ(failures, 6u);
}

// Two graceful stops in a row stop two users, even while the first one stopped is still
// finishing its request in flight (a load shape's ramp-down sends them back to back).
TEST(WorkerPool, StopsInARowStopDistinctUsers) {
  http::testing::TestHttpServer server;
  WorkerPool pool(shared_for(server.url(), "/delay/400/x"), 1);
  for (std::uint64_t seed = 1; seed <= 4; ++seed) pool[0].spawn(0, seed);
  std::this_thread::sleep_for(100ms);  // every user has its request in flight
  pool[0].stop_latest(1);
  pool[0].stop_latest(1);
  // Stopped users are done when their response arrives (after ~0.4 s); the others go on.
  for (const auto until = Clock::now() + 5s; pool.running_users() > 2 && Clock::now() < until;)
    std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(pool.running_users(), 2);
  EXPECT_EQ(pool.end(Clock::now() + 5s).left_behind, 0);
}

}  // namespace
}  // namespace stampede::engine
