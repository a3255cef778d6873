#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"

namespace stampede::reporters {
namespace {

using testing::LabRunOptions;
using testing::make_lab_pair;
using testing::make_lab_run;

const EndpointRow& endpoint(const Comparison& c, const std::string& method, const std::string& name) {
  const int i = find_endpoint(c, method, name);
  if (i < 0) throw std::runtime_error("no endpoint " + method + " " + name);
  return c.endpoints[static_cast<std::size_t>(i)];
}

bool reading_has(const Comparison& c, const std::string& text) {
  return std::any_of(c.reading.begin(), c.reading.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

constexpr const char* kUser = "/api/user/:id/coupons [Query Own]";
constexpr const char* kRoom = "/api/room/:id/orders [Cross Shard]";
constexpr const char* kHot = "/api/coupon/grab [Hot Room]";

TEST(DefaultRunLabel, StrategyThenLabelThenFolderName) {
  results::RunResult r;
  EXPECT_EQ(default_run_label(r, "runs/20261122-080000-x"), "20261122-080000-x");
  EXPECT_EQ(default_run_label(r, "runs/20261122-080000-x/"), "20261122-080000-x");
  r.info.label = "mine";
  EXPECT_EQ(default_run_label(r, "runs/a"), "mine");
  r.info.lab = results::LabRunInfo{.strategy = "range"};
  EXPECT_EQ(default_run_label(r, "runs/a"), "range");
}

TEST(BuildComparison, RejectsNoRunsAndDuplicateLabels) {
  EXPECT_THROW(build_comparison({}), std::invalid_argument);
  auto runs = make_lab_pair();
  runs[1].label = runs[0].label;
  EXPECT_THROW(build_comparison(std::move(runs)), std::invalid_argument);
}

TEST(BuildComparison, WriteAndQuerySharesPerShard) {
  const Comparison c = build_comparison(make_lab_pair());
  ASSERT_EQ(c.runs.size(), 2u);
  EXPECT_EQ(c.runs[0].label, "hash");
  EXPECT_EQ(c.runs[1].label, "range");
  const RunShards& hash = c.shards[0];
  const RunShards& range = c.shards[1];
  ASSERT_EQ(hash.shards.size(), 4u);
  ASSERT_EQ(range.shards.size(), 4u);
  for (const ShardCell& s : hash.shards) EXPECT_DOUBLE_EQ(s.write_pct, 25.0);
  EXPECT_EQ(range.write_touches, 1000u);
  EXPECT_EQ(range.shards[0].write_touches, 550u);
  EXPECT_DOUBLE_EQ(range.shards[0].write_pct, 55.0);
  EXPECT_DOUBLE_EQ(range.shards[3].write_pct, 15.0);
  EXPECT_DOUBLE_EQ(range.shards[2].query_pct, 25.0);  // 200 + 25 touches on every shard
  EXPECT_EQ(range.largest_write_shard, 0);
  EXPECT_DOUBLE_EQ(range.largest_write_pct, 55.0);
  EXPECT_DOUBLE_EQ(hash.write_balance, 100.0);
  EXPECT_NEAR(range.write_balance, 30.718, 1e-3);
  // shard time: hash shard 0 saw 50×0.5 ms, 150×0.75 ms, 100×1 ms, 100×2.5 ms -> p95 2.5 ms.
  ASSERT_TRUE(hash.shards[0].shard_p95_ms.has_value());
  EXPECT_DOUBLE_EQ(*hash.shards[0].shard_p95_ms, 2.5);
}

TEST(BuildComparison, ResultRowsFromServerJson) {
  const Comparison c = build_comparison(make_lab_pair());
  EXPECT_EQ(c.shards[1].shards[0].result_rows, std::optional<std::uint64_t>(2500));
  ASSERT_TRUE(c.shards[1].rows_balance.has_value());
  // 2500,500,500,500: mean 1000, sd sqrt((1500² + 3·500²)/4) = 866.03 -> 100 × (1 − 0.866) = 13.4
  EXPECT_NEAR(*c.shards[1].rows_balance, 13.397, 1e-3);
  EXPECT_EQ(c.shards[1].largest_rows_shard, std::optional<int>(0));
  EXPECT_DOUBLE_EQ(c.shards[1].largest_rows_pct, 62.5);
  EXPECT_TRUE(c.runs[1].has_server_report);
  EXPECT_EQ(c.runs[1].store, "sqlite");
}

TEST(BuildComparison, MissingServerJsonLeavesRowsUnknown) {
  const Comparison c = build_comparison(make_lab_pair({.with_server = false}, {}));
  EXPECT_FALSE(c.runs[0].has_server_report);
  for (const ShardCell& s : c.shards[0].shards) EXPECT_FALSE(s.result_rows.has_value());
  EXPECT_FALSE(c.shards[0].rows_balance.has_value());
  EXPECT_FALSE(c.shards[0].largest_rows_shard.has_value());
  // Shards still come from stats.json (and run.json lab.shards), not from server.json alone.
  EXPECT_EQ(c.shards[0].shards.size(), 4u);
  // Only range's estimates remain, all marked for run 1.
  ASSERT_FALSE(c.reshard.empty());
  for (const ReshardCell& r : c.reshard) EXPECT_EQ(r.run, 1u);
}

TEST(BuildComparison, RatiosAgainstTheFirstRun) {
  const Comparison c = build_comparison(make_lab_pair());
  const EndpointRow& user = endpoint(c, "GET", kUser);
  ASSERT_TRUE(user.runs[1].p95_ratio.has_value());
  EXPECT_DOUBLE_EQ(*user.runs[1].p95_ratio, 4.0);  // range 4 ms / hash 1 ms
  EXPECT_EQ(user.runs[0].p95_ratio, std::optional<double>(1.0));
  EXPECT_EQ(user.fastest, std::optional<std::size_t>(0));
  const EndpointRow& room = endpoint(c, "GET", kRoom);
  EXPECT_NEAR(*room.runs[1].p95_ratio, 1.3 / 5.0, 1e-12);
  EXPECT_EQ(room.fastest, std::optional<std::size_t>(1));
  // Equal p95 in both runs: no run is "fastest".
  EXPECT_FALSE(endpoint(c, "POST", kHot).fastest.has_value());
  EXPECT_NEAR(user.runs[0].rps, 200.0 / 60.0, 1e-12);
}

TEST(BuildComparison, EndpointPresentInOnlyOneRun) {
  const Comparison c = build_comparison(make_lab_pair({}, {.extra_endpoint = "/api/only/range <x>"}));
  const EndpointRow& only = endpoint(c, "GET", "/api/only/range <x>");
  EXPECT_FALSE(only.runs[0].present);
  EXPECT_TRUE(only.runs[1].present);
  EXPECT_FALSE(only.runs[1].p95_ratio.has_value());  // baseline has no requests: "—"
  EXPECT_FALSE(only.runs[1].rps_ratio.has_value());
  EXPECT_FALSE(only.fastest.has_value());
  EXPECT_EQ(only.runs[1].fan_out, "no shard data");
  for (const EndpointRow& row : c.endpoints)
    for (const EndpointCell& e : row.runs)
      for (const auto& r : {e.p95_ratio, e.p50_ratio, e.rps_ratio})
        if (r) {
          EXPECT_TRUE(std::isfinite(*r)) << row.name;
        }
}

TEST(BuildComparison, FanOutAndSingleShardShare) {
  const Comparison c = build_comparison(make_lab_pair());
  const EndpointRow& user = endpoint(c, "GET", kUser);
  EXPECT_DOUBLE_EQ(user.runs[0].avg_shards, 1.0);
  EXPECT_DOUBLE_EQ(user.runs[0].single_shard_pct, 100.0);
  EXPECT_EQ(user.runs[0].fan_out, "1 shard");
  EXPECT_DOUBLE_EQ(user.runs[1].avg_shards, 4.0);
  EXPECT_DOUBLE_EQ(user.runs[1].single_shard_pct, 0.0);
  EXPECT_EQ(user.runs[1].fan_out, "fan-out to 4");
  EXPECT_EQ(user.runs[1].shards_touched, (std::vector<int>{0, 1, 2, 3}));
}

TEST(BuildComparison, HotShardShareOfHotRoomWrites) {
  const Comparison c = build_comparison(make_lab_pair());
  const EndpointRow& hot = endpoint(c, "POST", kHot);
  EXPECT_TRUE(hot.is_write);
  EXPECT_EQ(hot.runs[1].largest_shard, 0);
  EXPECT_DOUBLE_EQ(hot.runs[1].largest_shard_pct, 100.0);
  EXPECT_EQ(hot.runs[1].shards_touched, (std::vector<int>{0}));
  EXPECT_DOUBLE_EQ(hot.runs[0].largest_shard_pct, 25.0);
  EXPECT_FALSE(endpoint(c, "GET", kUser).is_write);
}

TEST(BuildComparison, ReadingSentencesComeFromTheNumbers) {
  const Comparison c = build_comparison(make_lab_pair());
  EXPECT_TRUE(reading_has(c, "Under range, shard 0 took 55% of writes (balance 31); under hash the largest shard (0) took 25% "
                             "(balance 100)."));
  EXPECT_TRUE(reading_has(c, "GET /api/user/:id/coupons [Query Own]: p95 4.0× lower under hash than range (1.00 vs 4.00 ms; "
                             "1 shard vs fan-out to 4)."));
  EXPECT_TRUE(reading_has(c, "GET /api/room/:id/orders [Cross Shard]: p95 3.8× lower under range than hash"));
  EXPECT_TRUE(reading_has(c, "POST /api/coupon/grab [Hot Room]: under range shard 0 received 100% of its writes"));
  EXPECT_TRUE(reading_has(c, "Adding a shard would move 80% of the rows under hash (3,200 of 4,000, 4 → 5 shards)"));
  // Equal latencies and an even Random endpoint are not worth a sentence.
  EXPECT_FALSE(reading_has(c, "[Random]"));
  EXPECT_FALSE(reading_has(c, "POST /api/coupon/grab [Hot Room]: p95"));
}

TEST(BuildComparison, ReshardHeadlineIsEachRunsOwnStrategy) {
  const Comparison c = build_comparison(make_lab_pair());
  EXPECT_EQ(c.reshard_strategies, (std::vector<std::string>{"hash", "range"}));
  ASSERT_EQ(c.reshard.size(), 4u);
  EXPECT_TRUE(c.reshard[0].own);
  EXPECT_EQ(c.reshard[0].strategy, "hash");
  EXPECT_DOUBLE_EQ(c.reshard[0].moved_pct, 80.0);
  EXPECT_FALSE(c.reshard[1].own);
  // The range run's own estimate comes first among its cells.
  EXPECT_EQ(c.reshard[2].run, 1u);
  EXPECT_TRUE(c.reshard[2].own);
  EXPECT_EQ(c.reshard[2].strategy, "range");
  EXPECT_DOUBLE_EQ(c.reshard[2].moved_pct, 12.5);
}

TEST(Reading, NoLatencySentenceFromFewRequestsOrOutliers) {
  auto runs = make_lab_pair();
  // Only 10 room-order requests per run: no sentence about them (the lab's study still judges
  // them, lab/tests/study_checks_test.cpp).
  for (ComparedRun& r : runs)
    for (results::EndpointStats& e : r.run.endpoints)
      if (e.name == "/api/room/:id/orders [Cross Shard]") {
        const std::uint64_t us = e.latency.max();
        e.requests = 10;
        e.latency = results::Histogram();
        e.latency.record(us, 10);
      }
  const Comparison c = build_comparison(std::move(runs));
  EXPECT_FALSE(reading_has(c, "/api/room/:id/orders"));
}

TEST(Warnings, UnfairOrIncompleteRunsAreNamed) {
  auto runs = make_lab_pair();
  runs[1].run.info.status = "interrupted";
  runs[1].run.info.stop_reason = "interrupted (SIGINT)";
  runs[1].run.info.users = 500;
  runs[1].run.info.run_time_s = 30;
  runs[1].run.info.scenario_name = "other";
  const Comparison c = build_comparison(std::move(runs));
  auto has = [&](const std::string& text) {
    return std::any_of(c.warnings.begin(), c.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("range: status interrupted (interrupted (SIGINT))"));
  EXPECT_TRUE(has("different user counts — hash: 50, range: 500"));
  EXPECT_TRUE(has("different run times — hash: 60.0 s, range: 30.0 s"));
  EXPECT_TRUE(has("different scenarios — hash: coupon-grab, range: other"));
  EXPECT_TRUE(build_comparison(make_lab_pair()).warnings.empty());
}

TEST(BuildComparison, OneRunWithoutShardData) {
  results::RunResult r;
  r.info.status = "complete";
  r.info.duration_s = 10;
  results::EndpointStats e;
  e.method = "GET";
  e.name = "/";
  e.requests = 10;
  e.latency.record(800, 10);
  r.endpoints.push_back(e);
  const Comparison c = build_comparison({{"only", "runs/only", r}});
  ASSERT_EQ(c.endpoints.size(), 1u);
  EXPECT_TRUE(c.shards[0].shards.empty());
  EXPECT_DOUBLE_EQ(c.shards[0].write_balance, 100.0);
  EXPECT_EQ(c.runs[0].requests, 10u);  // summed from the endpoints when the aggregate is empty
  EXPECT_FALSE(c.reading.empty());
  EXPECT_TRUE(c.check_sections.empty());
}


TEST(MakeLabelsUnique, SuffixesRepeatsInOrder) {
  std::vector<ComparedRun> runs(4);
  runs[0].label = "hash";
  runs[1].label = "hash";
  runs[2].label = "hash (2)";
  runs[3].label = "hash";
  make_labels_unique(runs);
  EXPECT_EQ(runs[0].label, "hash");
  EXPECT_EQ(runs[1].label, "hash (2)");
  EXPECT_EQ(runs[2].label, "hash (2) (2)");
  EXPECT_EQ(runs[3].label, "hash (3)");
}

TEST(BuildComparison, ThreeRunsEachAgainstTheFirst) {
  auto runs = testing::make_lab_pair();
  results::RunResult time = testing::make_lab_run("time");
  for (results::EndpointStats& e : time.endpoints)
    if (e.name == "/api/user/:id/coupons [Query Own]") {
      e.latency = results::Histogram();
      e.latency.record(500, e.requests);  // the fastest of the three
    }
  runs.push_back({default_run_label(time, "runs/t"), "runs/t", std::move(time)});
  const Comparison c = build_comparison(std::move(runs));
  ASSERT_EQ(c.runs.size(), 3u);
  const int user = find_endpoint(c, "GET", "/api/user/:id/coupons [Query Own]");
  ASSERT_GE(user, 0);
  const EndpointRow& row = c.endpoints[static_cast<std::size_t>(user)];
  EXPECT_EQ(row.fastest, std::optional<std::size_t>(2));
  EXPECT_DOUBLE_EQ(*row.runs[2].p95_ratio, 0.5);  // time 0.5 ms / hash 1 ms
  EXPECT_DOUBLE_EQ(*row.runs[1].p95_ratio, 4.0);  // range 4 ms / hash 1 ms
  // The reading compares the fastest with the slowest run.
  EXPECT_TRUE(std::any_of(c.reading.begin(), c.reading.end(), [](const std::string& s) {
    return s.find("GET /api/user/:id/coupons [Query Own]: p95 8.0× lower under time than range") != std::string::npos;
  }));
}

TEST(BuildComparison, AbsurdShardNumbersAreIgnored) {
  auto runs = testing::make_lab_pair();
  results::ShardStats bad;
  bad.method = "GET";
  bad.name = "/api/user/:id/coupons [Query Own]";
  bad.shard = 2000000000;
  bad.count = 5;
  runs[0].run.shards.push_back(bad);
  bad.shard = -3;
  runs[0].run.shards.push_back(bad);
  const Comparison c = build_comparison(std::move(runs));
  EXPECT_EQ(c.shards[0].shards.size(), 4u);
}

TEST(Warnings, RunWithoutShardDataNextToRunsWithIt) {
  auto runs = testing::make_lab_pair();
  runs[1].run.shards.clear();
  runs[1].run.server.reset();
  const Comparison c = build_comparison(std::move(runs));
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings[0].find("range: no shard data"), std::string::npos) << c.warnings[0];
}

}  // namespace
}  // namespace stampede::reporters

