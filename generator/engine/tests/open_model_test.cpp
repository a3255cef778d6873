// The open model (docs/open-model.md): the schedule spread over workers, the class mix,
// and on real workers against the local test server: the achieved rate, dropped arrivals
// when no user is free, intended-time latency vs service time, and the schedule lag.
// Bounds only, nothing asserts speed.
#include "generator/engine/arrival_schedule.h"
#include "generator/engine/worker_pool.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "generator/engine/tests/worker_shared_for.h"
#include "generator/http/tests/test_http_server.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<scenarios::UserClass> classes(const std::string& json) {
  return scenarios::Scenario::parse_text(json, "classes.json").user_classes();
}

TEST(ArrivalSchedule, WorkersTogetherMakeOneEvenSchedule) {
  const int workers = 3;
  std::vector<std::int64_t> all;
  for (int w = 0; w < workers; ++w) {
    ArrivalSchedule s(100, workers, w, false, 1);
    for (int k = 0; k < 50; ++k) all.push_back(s.next().count());
  }
  std::sort(all.begin(), all.end());
  for (std::size_t k = 0; k < all.size(); ++k)
    EXPECT_NEAR(static_cast<double>(all[k]), static_cast<double>(k) * 1e7, 1.0) << "arrival " << k;
}

TEST(ArrivalSchedule, PoissonIsSeededAndKeepsItsMeanRate) {
  ArrivalSchedule a(1000, 2, 0, true, 7), b(1000, 2, 0, true, 7), c(1000, 2, 0, true, 8);
  std::int64_t last = 0;
  bool differs = false;
  for (int k = 0; k < 5000; ++k) {
    const auto x = a.next().count();
    EXPECT_EQ(x, b.next().count());
    differs = differs || x != c.next().count();
    EXPECT_GE(x, last);
    last = x;
  }
  EXPECT_TRUE(differs) << "another seed, another schedule";
  // 5000 arrivals of one worker of two at 1000/s: 10 s on average (the sd is ~0.14 s).
  EXPECT_NEAR(static_cast<double>(last) / 1e9, 10.0, 1.0);
}

TEST(ClassPicker, FollowsTheWeights) {
  auto cls = classes(R"({"stampede_scenario": 1, "name": "w", "user_classes": [
      {"name": "A", "weight": 3, "tasks": [{"request": {"method": "GET", "path": "/a"}}]},
      {"name": "B", "weight": 1, "tasks": [{"request": {"method": "GET", "path": "/b"}}]}]})");
  ClassPicker picker(cls);
  int a = 0;
  for (int k = 0; k < 400; ++k) a += picker.next() == 0 ? 1 : 0;
  EXPECT_EQ(a, 300);
}

std::shared_ptr<WorkerShared> shared_for(const std::string& base_url, const std::string& path) {
  return testing::shared_for(base_url, path, 5);
}

struct Totals {
  OpenModelInterval open;
  std::uint64_t requests = 0;
  results::Histogram latency, service;
};

void add(Totals& t, const std::vector<Interval>& intervals) {
  for (const Interval& in : intervals) {
    t.open.arrivals += in.open.arrivals;
    t.open.dropped += in.open.dropped;
    t.open.late_arrivals += in.open.late_arrivals;
    t.open.lag_max_us = std::max(t.open.lag_max_us, in.open.lag_max_us);
    for (const EndpointInterval& e : in.endpoints) {
      t.requests += e.requests;
      t.latency.merge(e.latency);
      t.service.merge(e.service);
    }
  }
}

// Runs `rate`/s over `workers` workers for about `length`, ending with a graceful stop.
Totals run_open(const std::string& url, const std::string& path, double rate, int workers, int max_users,
                std::chrono::milliseconds length, Clock::duration start_shift = {},
                double* elapsed_s = nullptr, std::optional<std::chrono::nanoseconds> until = std::nullopt) {
  WorkerPool pool(shared_for(url, path), workers);
  const Clock::time_point start = Clock::now() - start_shift;
  for (int w = 0; w < workers; ++w) {
    ArrivalPlan plan;
    plan.rate = rate;
    plan.workers = workers;
    plan.index = w;
    plan.seed = 3;
    plan.max_users = max_users / workers + (w < max_users % workers ? 1 : 0);
    plan.start = start;
    plan.until = until;
    pool[static_cast<std::size_t>(w)].start_arrivals(plan);
  }
  std::this_thread::sleep_for(length);
  pool.stop_all();
  const Clock::time_point stopped = Clock::now();
  if (elapsed_s) *elapsed_s = std::chrono::duration<double>(stopped - start).count();
  Totals t;
  for (const auto until = Clock::now() + 10s; pool.running_users() > 0 && Clock::now() < until;)
    std::this_thread::sleep_for(5ms);
  add(t, pool.end(Clock::now() + 5s).intervals);
  return t;
}

TEST(OpenModel, AchievesTheRateAgainstAFastTarget) {
  http::testing::TestHttpServer server;
  double elapsed = 0;
  const Totals t = run_open(server.url(), "/x", 200, 2, 200, 3000ms, {}, &elapsed);
  const double expected = 200 * elapsed;
  EXPECT_GE(static_cast<double>(t.open.arrivals), expected * 0.9) << elapsed << " s";
  EXPECT_LE(static_cast<double>(t.open.arrivals), expected * 1.1 + 2) << elapsed << " s";
  EXPECT_EQ(t.open.dropped, 0u);
  EXPECT_EQ(t.requests, t.open.arrivals) << "one request per iteration, each answered before the stop";
  EXPECT_EQ(t.service.count(), t.requests);
  EXPECT_EQ(server.total_requests(), t.requests);
}

// A run of T seconds at R/s starts R × T arrivals (offsets 0 .. T − 1/R), not one more at
// the very end; the pool runs on well past T so that late timers still count.
TEST(OpenModel, ARunOfTSecondsStartsRTimesTArrivals) {
  http::testing::TestHttpServer server;
  const Totals t = run_open(server.url(), "/x", 100, 2, 100, 2500ms, {}, nullptr, 500ms);
  EXPECT_EQ(t.open.arrivals, 50u);
  EXPECT_EQ(t.requests, 50u);
}

TEST(OpenModel, ArrivalsWithNoFreeUserAreDropped) {
  http::testing::TestHttpServer server;
  // One user, busy 300 ms per iteration, asked 40 times a second for ~1.5 s.
  const Totals t = run_open(server.url(), "/delay/300/x", 40, 1, 1, 1500ms);
  EXPECT_GE(t.open.arrivals, 40u);
  EXPECT_LE(t.requests, 8u) << "one user can't start more than one iteration per 300 ms";
  EXPECT_GE(t.requests, 1u);
  EXPECT_EQ(t.open.dropped + t.requests, t.open.arrivals) << "each arrival either ran (and was answered) or was dropped";
  EXPECT_GE(t.open.dropped, 30u);
}

// Arrivals due before the worker could start them (the schedule began 600 ms ago) are
// measured from their due time: latency far above the ~100 ms the target takes, which is
// what the service time shows; the lag is recorded.
TEST(OpenModel, LatencyIsFromTheIntendedStartServiceFromTheSend) {
  http::testing::TestHttpServer server;
  const Totals t = run_open(server.url(), "/delay/100/x", 10, 1, 50, 300ms, 600ms);
  ASSERT_GE(t.requests, 6u);
  EXPECT_EQ(t.latency.count(), t.service.count());
  EXPECT_GE(t.open.late_arrivals, 5u);
  EXPECT_GE(t.open.lag_max_us, 500'000u);
  EXPECT_GE(t.service.min(), 90'000u);
  EXPECT_GE(t.latency.max(), 600'000u) << "the first arrival was due 600 ms before it was sent";
  EXPECT_GE(t.latency.max(), t.service.max() + 400'000u);
}

}  // namespace
}  // namespace stampede::engine
