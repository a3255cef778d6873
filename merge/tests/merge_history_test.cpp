#include "merge/merge_history.h"

#include <gtest/gtest.h>

#include "merge/tests/merge_test_runs.h"

namespace stampede::merge {
namespace {

results::HistoryPoint point(std::int64_t unix_ms, int users, std::uint64_t requests, std::uint64_t latency_us) {
  results::HistoryPoint p;
  p.unix_ms = unix_ms;
  p.users = users;
  results::IntervalEndpoint e;
  e.method = "GET";
  e.name = "/a";
  e.requests = requests;
  for (std::uint64_t i = 0; i < requests; ++i) e.latency.record(latency_us + i);
  p.endpoints.push_back(e);
  return p;
}

TEST(MergeHistory, PointsEndingInOneSecondBecomeOne) {
  const std::vector<results::HistoryPoint> a{point(10'000'400, 3, 5, 1000), point(10'001'400, 4, 6, 2000)};
  const std::vector<results::HistoryPoint> b{point(10'000'900, 7, 2, 3000), point(10'001'900, 8, 1, 4000),
                                             point(10'002'900, 9, 1, 5000)};
  const auto merged = merge_histories({&a, &b}, 9'999'500);
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].unix_ms, 10'001'000);
  EXPECT_DOUBLE_EQ(merged[0].elapsed_s, 1.5);
  EXPECT_EQ(merged[0].endpoints.at(0).requests, 7u);
  results::Histogram expected = a[0].endpoints[0].latency;
  expected.merge(b[0].endpoints[0].latency);
  EXPECT_EQ(merged[0].endpoints.at(0).latency, expected);
  EXPECT_EQ(merged[0].users, 3 + 7);
  EXPECT_EQ(merged[1].users, 4 + 8);
  // a's last point was in the second before: it has stopped and counts no users.
  EXPECT_EQ(merged[2].users, 9);
  EXPECT_EQ(merged[2].endpoints.at(0).requests, 1u);
}

TEST(MergeHistory, APointOnAWholeSecondStaysInIt) {
  const std::vector<results::HistoryPoint> a{point(5'000, 1, 1, 10)};
  const std::vector<results::HistoryPoint> b{point(4'001, 1, 1, 10)};
  const auto merged = merge_histories({&a, &b}, 3'000);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].unix_ms, 5'000);
  EXPECT_EQ(merged[0].endpoints.at(0).requests, 2u);
}

TEST(MergeHistory, TwoPointsOfOnePartInOneSecondAreBothKept) {
  // A late snapshot and the next one can end in the same wall-clock second.
  const std::vector<results::HistoryPoint> a{point(7'100, 2, 3, 10), point(7'900, 2, 4, 10)};
  const std::vector<results::HistoryPoint> b{point(7'500, 5, 1, 10)};
  const auto merged = merge_histories({&a, &b}, 6'000);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].endpoints.at(0).requests, 8u);
  EXPECT_EQ(merged[0].users, 2 + 5);
}

TEST(MergeHistory, SumOfMergedHistoryIsSumOfParts) {
  std::mt19937_64 rng(7);
  results::Histogram all, all_a;
  const auto r1 = testing::make_run("s", "w1", 1'000'000'250, 6, 20, rng, all, all_a);
  const auto r2 = testing::make_run("s", "w2", 1'000'001'800, 4, 20, rng, all, all_a);
  const auto merged = merge_histories({&r1.history, &r2.history}, 1'000'000'250);
  results::Histogram sum;
  std::uint64_t requests = 0, shard_count = 0;
  for (const auto& p : merged) {
    for (const auto& e : p.endpoints) {
      sum.merge(e.latency);
      requests += e.requests;
    }
    for (const auto& s : p.shards) shard_count += s.count;
  }
  EXPECT_EQ(sum, all);
  EXPECT_EQ(requests, all.count());
  EXPECT_EQ(shard_count, r1.shards[0].count + r1.shards[1].count + r2.shards[0].count + r2.shards[1].count);
  // r1's points end in the seconds 1'000'002..1'000'007, r2's within them.
  ASSERT_EQ(merged.size(), 6u);
  for (std::size_t i = 1; i < merged.size(); ++i) EXPECT_EQ(merged[i].unix_ms - merged[i - 1].unix_ms, 1000);
}

}  // namespace
}  // namespace stampede::merge
