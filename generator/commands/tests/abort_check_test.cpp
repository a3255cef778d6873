// `abort` thresholds during a run: the warm-up is left out exactly as in the final gate,
// however long the run (the engine hands the check only its last few history points).
#include <gtest/gtest.h>

#include "gate/threshold.h"
#include "generator/commands/gate_commands.h"

namespace stampede::commands {
namespace {
using namespace std::chrono_literals;

// One history point: `requests` GETs of "/x" taking `latency_us` each, ending at `end_s`.
results::HistoryPoint point(double end_s, std::uint64_t requests, std::uint64_t latency_us) {
  results::HistoryPoint p;
  p.elapsed_s = end_s;
  p.interval_s = 1;
  p.users = 10;
  results::IntervalEndpoint e;
  e.method = "GET";
  e.name = "/x";
  e.requests = requests;
  e.latency.record(latency_us, requests);
  p.endpoints.push_back(std::move(e));
  return p;
}

// What the engine hands the check at `end_s`: cumulative endpoint totals and the last
// `kept` history points.
results::RunResult so_far(const std::vector<results::HistoryPoint>& all, std::size_t kept) {
  results::RunResult r;
  r.info.duration_s = all.back().elapsed_s;
  results::EndpointStats total;
  total.method = "GET";
  total.name = "/x";
  for (const auto& p : all) {
    total.requests += p.endpoints[0].requests;
    total.latency.merge(p.endpoints[0].latency);
    total.service.merge(p.endpoints[0].service);
    total.dropped += p.endpoints[0].dropped;
  }
  r.aggregated = total;
  r.aggregated.method = "";
  r.aggregated.name = "Aggregated";
  r.endpoints.push_back(std::move(total));
  const std::size_t from = all.size() > kept ? all.size() - kept : 0;
  r.history.assign(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
  return r;
}

GateOptions options(const std::string& threshold, std::chrono::milliseconds warmup) {
  GateOptions o;
  o.thresholds.push_back(gate::parse_threshold(threshold));
  o.evaluate.warmup = warmup;
  return o;
}

TEST(AbortCheck, ASlowWarmupDoesNotStopARunThatIsFastAfterIt) {
  auto aborted = std::make_shared<bool>(false);
  auto check = make_abort_check(options("p50 < 20ms abort", 3s), aborted);
  std::vector<results::HistoryPoint> all;
  // 3 s of warm-up at 500 ms, then 60 s at 1 ms with fewer requests each second: the
  // whole run's median stays at 500 ms for a long time, the post-warm-up median is 1 ms.
  for (int s = 1; s <= 3; ++s) all.push_back(point(s, 1000, 500'000));
  for (int s = 4; s <= 63; ++s) {
    all.push_back(point(s, 20, 1'000));
    EXPECT_EQ(check(so_far(all, 30)), std::nullopt) << "at " << s << " s";
  }
  EXPECT_FALSE(*aborted);
}

TEST(AbortCheck, EverySecondSinceTheWarmupCountsNotOnlyTheKeptHistory) {
  auto aborted = std::make_shared<bool>(false);
  auto check = make_abort_check(options("p50 < 20ms abort", 2s), aborted);
  std::vector<results::HistoryPoint> all;
  for (int s = 1; s <= 2; ++s) {
    all.push_back(point(s, 10, 900'000));
    EXPECT_EQ(check(so_far(all, 30)), std::nullopt) << "inside the warm-up";
  }
  // 40 fast seconds (1,000 requests each), then 35 slow ones (100 each): since the warm-up
  // the median stays fast; the last 30 s alone are all slow.
  for (int s = 3; s <= 77; ++s) {
    all.push_back(s <= 42 ? point(s, 1000, 1'000) : point(s, 100, 50'000));
    EXPECT_EQ(check(so_far(all, 30)), std::nullopt) << "at " << s << " s";
  }
  EXPECT_FALSE(*aborted);
  // ... until the slow requests outnumber the fast ones: then it stops.
  std::optional<std::string> reason;
  for (int s = 78; s <= 500 && !reason; ++s) {
    all.push_back(point(s, 100, 50'000));
    reason = check(so_far(all, 30));
    if (reason) {
      EXPECT_GT(s, 440) << "stopped only once 40,000 slow requests were in";
    }
  }
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("p50 < 20ms"), std::string::npos) << *reason;
  EXPECT_TRUE(*aborted);
}

// An open-model second: latency from the intended start 300 ms (the schedule ran behind),
// service time 2 ms, `dropped` arrivals not sent.
results::HistoryPoint open_point(double end_s, std::uint64_t dropped) {
  results::HistoryPoint p = point(end_s, 50, 300'000);
  p.endpoints[0].service.record(2'000, 50);
  p.endpoints[0].dropped = dropped;
  return p;
}

TEST(AbortCheck, ServiceTimeIsJudgedOnItsOwnHistogramSinceTheWarmup) {
  for (const auto warmup : {0ms, 2000ms}) {
    auto aborted = std::make_shared<bool>(false);
    auto service = make_abort_check(options("service.p99 < 20ms abort", warmup), aborted);
    auto latency = make_abort_check(options("p99 < 100ms abort", warmup), std::make_shared<bool>(false));
    std::vector<results::HistoryPoint> all;
    std::optional<std::string> latency_reason;
    for (int s = 1; s <= 40; ++s) {
      all.push_back(open_point(s, 0));
      EXPECT_EQ(service(so_far(all, 12)), std::nullopt) << "at " << s << " s";
      if (!latency_reason) latency_reason = latency(so_far(all, 12));
    }
    EXPECT_FALSE(*aborted);
    ASSERT_TRUE(latency_reason) << "the intended-start latency is over its limit";
    EXPECT_NE(latency_reason->find("latency from intended start"), std::string::npos) << *latency_reason;
  }
}

TEST(AbortCheck, DroppedArrivalsSinceTheWarmupAndInAWindow) {
  auto aborted = std::make_shared<bool>(false);
  auto total = make_abort_check(options("dropped < 5 abort", 3s), aborted);
  std::vector<results::HistoryPoint> all;
  // 10 drops in each warm-up second are left out; then one a second: the 5th stops the run.
  std::optional<std::string> reason;
  int stopped_at = 0;
  for (int s = 1; s <= 30 && !reason; ++s) {
    all.push_back(open_point(s, s <= 3 ? 10 : 1));
    reason = total(so_far(all, 12));
    stopped_at = s;
  }
  ASSERT_TRUE(reason);
  EXPECT_EQ(stopped_at, 8) << *reason;
  EXPECT_NE(reason->find("dropped = 5"), std::string::npos) << *reason;
  EXPECT_TRUE(*aborted);
  // A window: 2 drops a second never reach 5 in 2 s; a burst of 3 + 2 does.
  auto window = make_abort_check(options("dropped < 5 over 2s abort", 0s), std::make_shared<bool>(false));
  all.clear();
  reason.reset();
  for (int s = 1; s <= 20; ++s) {
    all.push_back(open_point(s, s == 15 ? 3 : 2));
    reason = window(so_far(all, 12));
    if (reason) {
      EXPECT_EQ(s, 15);
      break;
    }
  }
  ASSERT_TRUE(reason);
}

}  // namespace
}  // namespace stampede::commands
