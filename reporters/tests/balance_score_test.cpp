// The comparison's balance columns and shard counts come from the shared shard metrics
// (results/shard_metrics.h, tested in results/tests/shard_metrics_test.cpp); these tests
// check that the report applies them to each run's own per-shard values.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"
#include "results/shard_metrics.h"

namespace stampede::reporters {
namespace {

// One endpoint per (method, shard, count).
results::RunResult run_touching(const std::vector<std::tuple<std::string, int, std::uint64_t>>& touches) {
  results::RunResult r;
  r.info.status = "complete";
  for (const auto& [method, shard, count] : touches) {
    results::ShardStats s;
    s.method = method;
    s.name = "/x";
    s.shard = shard;
    s.count = count;
    r.shards.push_back(s);
  }
  return r;
}

RunShards shards_of(results::RunResult r) {
  std::vector<ComparedRun> runs;
  runs.push_back({"only", "runs/only", std::move(r)});
  return build_comparison(std::move(runs)).shards.at(0);
}

std::vector<double> per_shard(const RunShards& s, std::uint64_t ShardCell::*field) {
  std::vector<double> v;
  for (const ShardCell& c : s.shards) v.push_back(static_cast<double>(c.*field));
  return v;
}

TEST(ComparisonBalance, EachRunsScoresAreTheSharedScoreOfItsPerShardValues) {
  const Comparison c = build_comparison(testing::make_lab_pair());
  for (const RunShards& s : c.shards) {
    EXPECT_DOUBLE_EQ(s.write_balance, results::balance_score(per_shard(s, &ShardCell::write_touches)));
    EXPECT_DOUBLE_EQ(s.query_balance, results::balance_score(per_shard(s, &ShardCell::query_touches)));
    std::vector<double> rows;
    for (const ShardCell& cell : s.shards) rows.push_back(static_cast<double>(cell.result_rows.value()));
    ASSERT_TRUE(s.rows_balance.has_value());
    EXPECT_DOUBLE_EQ(*s.rows_balance, results::balance_score(rows));
  }
  EXPECT_NEAR(c.shards[1].write_balance, 30.718, 1e-3);  // range: 550/150/150/150
}

TEST(ComparisonBalance, OneShardTakingEveryWriteOfFourScoresZero) {
  const RunShards s = shards_of(run_touching({{"POST", 2, 900}, {"GET", 0, 1}, {"GET", 3, 1}}));
  ASSERT_EQ(s.shards.size(), 4u);
  EXPECT_DOUBLE_EQ(s.write_balance, 0.0);
  EXPECT_EQ(s.largest_write_shard, 2);
  EXPECT_DOUBLE_EQ(s.largest_write_pct, 100.0);
}

TEST(ComparisonBalance, NoShardDataScores100AndHasNoRowsBalance) {
  const RunShards s = shards_of(run_touching({}));
  EXPECT_TRUE(s.shards.empty());
  EXPECT_DOUBLE_EQ(s.write_balance, 100.0);
  EXPECT_DOUBLE_EQ(s.query_balance, 100.0);
  EXPECT_FALSE(s.rows_balance.has_value());
  EXPECT_EQ(s.largest_write_shard, -1);
}

TEST(ComparisonBalance, SharesFollowTheSharedWriteRule) {
  const RunShards s = shards_of(run_touching({{"PUT", 0, 3}, {"PATCH", 0, 1}, {"DELETE", 1, 4}, {"HEAD", 1, 5}}));
  ASSERT_EQ(s.shards.size(), 2u);
  EXPECT_EQ(s.write_touches, 8u);
  EXPECT_EQ(s.query_touches, 5u);
  EXPECT_EQ(s.shards[0].write_touches, 4u);
  EXPECT_EQ(s.shards[1].query_touches, 5u);
  EXPECT_DOUBLE_EQ(s.write_balance, 100.0);  // 4:4
  EXPECT_DOUBLE_EQ(s.query_balance, 0.0);    // 0:5 over two shards: CV 1
}

TEST(ComparisonBalance, ShardsNobodyTouchedCountAsZeroAndHeadersShowTheSharedCount) {
  results::RunResult r = run_touching({{"POST", 0, 3}, {"POST", 1, 1}, {"POST", results::kMaxShards, 50}});
  r.info.lab = results::LabRunInfo{.strategy = "hash", .shards = 4};
  std::vector<ComparedRun> runs;
  runs.push_back({"only", "runs/only", r});
  const Comparison c = build_comparison(std::move(runs));
  EXPECT_EQ(c.runs[0].shard_count, results::shard_count(r));
  ASSERT_EQ(c.shards[0].shards.size(), 4u);
  EXPECT_EQ(c.shards[0].write_touches, 4u);  // the out-of-range shard is ignored
  EXPECT_DOUBLE_EQ(c.shards[0].write_balance, results::balance_score({3, 1, 0, 0}));
}

}  // namespace
}  // namespace stampede::reporters
