#include "results/shard_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace stampede::results {
namespace {

ShardStats touch(std::string method, int shard, std::uint64_t count, std::uint64_t single = 0) {
  ShardStats s;
  s.method = std::move(method);
  s.name = "/x";
  s.shard = shard;
  s.count = count;
  s.single_shard_requests = single;
  for (std::uint64_t i = 0; i < count; ++i) s.shard_time.record(1000);
  return s;
}

ServerReport server_with(int shard_count, std::vector<int> listed) {
  ServerReport r;
  r.shard_count = shard_count;
  for (int k : listed) r.shards.push_back({k, true, 100u * static_cast<std::uint64_t>(k + 1), 0, 0});
  return r;
}

// ---- balance score (the worked examples of reporters/README.md "Balance score") ----------

TEST(BalanceScore, EvenSharesScore100) {
  EXPECT_DOUBLE_EQ(balance_score({250, 250, 250, 250}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({100, 100, 100, 100}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({7, 7}), 100.0);
}

TEST(BalanceScore, OneShardTakingEverythingOfFourClampsToZero) {
  // mean 0.25, population sd sqrt(0.1875) = 0.433, CV = sqrt(3) = 1.73 -> 100 × (1 − 1.73) < 0.
  EXPECT_DOUBLE_EQ(balance_score({1, 0, 0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(balance_score({0, 0, 900, 0}), 0.0);
  EXPECT_DOUBLE_EQ(balance_score({40, 0, 0, 0}), 0.0);
}

TEST(BalanceScore, HandComputedCase) {
  // 550,150,150,150: mean 250, deviations 300,-100,-100,-100, variance 30000,
  // sd 173.205, CV 0.69282 -> 30.718.
  EXPECT_NEAR(balance_score({550, 150, 150, 150}), 100.0 * (1.0 - std::sqrt(30000.0) / 250.0), 1e-9);
  EXPECT_NEAR(balance_score({550, 150, 150, 150}), 30.718, 1e-3);
  // Two shards 3:1: mean 2, sd 1, CV 0.5 -> 50.
  EXPECT_NEAR(balance_score({3, 1}), 50.0, 1e-12);
}

TEST(BalanceScore, DegenerateInputsScore100) {
  EXPECT_DOUBLE_EQ(balance_score({}), 100.0);        // no shards: nothing is uneven
  EXPECT_DOUBLE_EQ(balance_score({42}), 100.0);      // one shard
  EXPECT_DOUBLE_EQ(balance_score({7}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({0, 0, 0}), 100.0); // mean 0: no traffic at all
}

TEST(BalanceScore, NeverOutsideZeroToHundred) {
  for (const auto& v : {std::vector<double>{1, 2, 3, 4}, {0, 0, 0, 1e9}, {1e-9, 1, 1, 1}, {5, 0}}) {
    const double s = balance_score(v);
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 100.0);
    EXPECT_FALSE(std::isnan(s));
  }
}

// ---- the write rule ------------------------------------------------------------------

TEST(WriteMethod, PostPutPatchDeleteAreWritesEverythingElseIsAQuery) {
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) EXPECT_TRUE(is_write_method(m)) << m;
  for (const char* m : {"GET", "HEAD", "OPTIONS", "TRACE", "CONNECT", "", "post", "Aggregated"})
    EXPECT_FALSE(is_write_method(m)) << m;
}

// ---- the shard count -----------------------------------------------------------------

TEST(ShardCount, NoShardDataIsZero) {
  EXPECT_EQ(shard_count(RunResult{}), 0);
  EXPECT_TRUE(shard_totals(RunResult{}).empty());
}

TEST(ShardCount, LargestOfRunJsonServerJsonAndTheShardsSeen) {
  RunResult r;
  r.shards.push_back(touch("GET", 2, 5));
  EXPECT_EQ(shard_count(r), 3);  // highest seen + 1
  r.info.lab = LabRunInfo{.strategy = "hash", .shards = 4};
  EXPECT_EQ(shard_count(r), 4);  // run.json lab.shards
  r.server = server_with(6, {0, 1});
  EXPECT_EQ(shard_count(r), 6);  // server.json shard_count
  r.server = server_with(0, {0, 7});
  EXPECT_EQ(shard_count(r), 8);  // a server.json line
  r.info.lab->shards = 0;  // not recorded (a version-1 extra.shards "four" reads so)
  r.server.reset();
  EXPECT_EQ(shard_count(r), 3);
}

TEST(ShardCount, ShardsOutsideTheCountedRangeAreIgnored) {
  RunResult r;
  r.shards.push_back(touch("GET", kMaxShards, 5));
  r.shards.push_back(touch("GET", -1, 5));
  EXPECT_EQ(shard_count(r), 0);
  r.info.lab = LabRunInfo{.strategy = "hash", .shards = 1'000'000};
  EXPECT_EQ(shard_count(r), kMaxShards);  // clamped
  EXPECT_TRUE(is_counted_shard(0));
  EXPECT_TRUE(is_counted_shard(kMaxShards - 1));
  EXPECT_FALSE(is_counted_shard(kMaxShards));
  EXPECT_FALSE(is_counted_shard(-1));
}

// ---- per-shard totals ------------------------------------------------------------------

TEST(ShardTotals, SumsEndpointsPerShardSplitByTheWriteRule) {
  RunResult r;
  r.shards = {touch("POST", 0, 3, 3), touch("GET", 0, 5, 1), touch("DELETE", 2, 2), touch("GET", 5000, 9)};
  r.info.lab = LabRunInfo{.strategy = "hash", .shards = 4};
  const auto t = shard_totals(r);
  ASSERT_EQ(t.size(), 4u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(t[static_cast<std::size_t>(k)].shard, k);
  EXPECT_EQ(t[0].write_touches, 3u);
  EXPECT_EQ(t[0].query_touches, 5u);
  EXPECT_EQ(t[0].touches(), 8u);
  EXPECT_EQ(t[0].single_shard_requests, 4u);
  EXPECT_EQ(t[0].shard_time.count(), 8u);
  EXPECT_EQ(t[1].touches(), 0u);  // no traffic: still a row, as zeros
  EXPECT_EQ(t[2].write_touches, 2u);
  EXPECT_FALSE(t[0].server.has_value());
  EXPECT_FALSE(has_every_server_line(t));
}

TEST(ShardTotals, ServerLinesJoinTheirShardAndAllRowsNeedsEveryOne) {
  RunResult r;
  r.shards = {touch("GET", 1, 1)};
  r.server = server_with(2, {1, 0});
  auto t = shard_totals(r);
  ASSERT_EQ(t.size(), 2u);
  ASSERT_TRUE(t[0].server && t[1].server);
  EXPECT_EQ(t[0].server->result_rows, 100u);
  EXPECT_EQ(t[1].server->result_rows, 200u);
  EXPECT_TRUE(has_every_server_line(t));
  r.server->shard_count = 3;  // shard 2 has no line: rows per shard are not defined
  EXPECT_FALSE(has_every_server_line(shard_totals(r)));
  EXPECT_FALSE(has_every_server_line({}));
}

}  // namespace
}  // namespace stampede::results
