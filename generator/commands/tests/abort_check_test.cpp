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

}  // namespace
}  // namespace stampede::commands
