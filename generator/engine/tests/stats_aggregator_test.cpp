#include "generator/engine/stats_aggregator.h"

#include <gtest/gtest.h>

namespace stampede::engine {
namespace {

std::vector<scenarios::Endpoint> endpoints() {
  return {{"POST", "/grab"}, {"GET", "/stock"}, {"GET", "/unused"}};
}

TEST(StatsAggregator, MergesWorkersIntoHistoryAndTotals) {
  StatsAggregator agg(endpoints());
  StatsRecorder a(3), b(3);
  a.record(0, 1000, 10, false);
  a.record(0, 3000, 10, true);
  a.record_failure(0, "HTTP 503");
  b.record(1, 2000, 5, false);
  b.record(0, 5000, 10, true);
  b.record_failure(0, "HTTP 503");
  std::vector<http::ShardTiming> two = {{0, 400}, {2, 600}};
  std::vector<http::ShardTiming> one = {{2, 700}};
  a.record_shards(0, two, 1000);
  b.record_shards(1, one, 2000);

  std::vector<Interval> intervals;
  intervals.push_back(a.take());
  intervals.push_back(b.take());
  results::HistoryPoint p = agg.add(std::move(intervals), 1.0, 1.0, 1234, 7);
  EXPECT_EQ(p.users, 7);
  ASSERT_EQ(p.endpoints.size(), 2u) << "idle endpoints are left out of the history";
  EXPECT_EQ(p.endpoints[0].name, "/grab");
  EXPECT_EQ(p.endpoints[0].requests, 3u);
  EXPECT_EQ(p.endpoints[0].failures, 2u);
  EXPECT_EQ(p.endpoints[0].latency.max(), 5000u);
  ASSERT_EQ(p.shards.size(), 3u) << "the interval's (endpoint, shard) slices";
  EXPECT_EQ(p.shards[0].shard, 0);
  EXPECT_EQ(p.shards[0].name, "/grab");
  EXPECT_EQ(p.shards[0].shard_time.max(), 400u);
  EXPECT_EQ(p.shards[2].name, "/stock");
  EXPECT_EQ(p.shards[2].shard, 2);
  EXPECT_EQ(p.shards[2].count, 1u);

  results::RunResult r;
  agg.fill(r);
  ASSERT_EQ(r.endpoints.size(), 2u);
  EXPECT_EQ(r.endpoints[0].name, "/grab") << "sorted by name";
  EXPECT_EQ(r.aggregated.requests, 4u);
  EXPECT_EQ(r.aggregated.failures, 2u);
  EXPECT_EQ(r.aggregated.content_bytes, 35u);
  EXPECT_EQ(r.aggregated.latency.count(), 4u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].occurrences, 2u);
  EXPECT_EQ(r.failures[0].method, "POST");

  ASSERT_EQ(r.shards.size(), 3u);  // (grab,0) (grab,2) (stock,2)
  EXPECT_EQ(r.shards[0].shard, 0);
  EXPECT_EQ(r.shards[0].single_shard_requests, 0u) << "a fan-out is not single-shard";
  EXPECT_EQ(r.shards[2].name, "/stock");
  EXPECT_EQ(r.shards[2].single_shard_requests, 1u);
  EXPECT_EQ(r.shards[2].single_shard_latency.max(), 2000u);
  EXPECT_EQ(r.shards[2].shard_time.max(), 700u);
}

TEST(StatsAggregator, AccumulatesAcrossSnapshots) {
  StatsAggregator agg(endpoints());
  for (int s = 1; s <= 3; ++s) {
    StatsRecorder rec(3);
    for (int i = 0; i < 10; ++i) rec.record(1, 100 * s, 1, false);
    std::vector<Interval> in;
    in.push_back(rec.take());
    auto p = agg.add(std::move(in), s, 1.0, 0, 1);
    EXPECT_EQ(p.endpoints.at(0).requests, 10u);
  }
  EXPECT_EQ(agg.total_requests(), 30u);
  results::RunResult r;
  agg.fill(r);
  EXPECT_EQ(r.endpoints.at(0).latency.min(), 100u);
  EXPECT_EQ(r.endpoints.at(0).latency.max(), 300u);
  EXPECT_DOUBLE_EQ(r.endpoints.at(0).first_request_s, 0.0);
  EXPECT_DOUBLE_EQ(r.endpoints.at(0).last_request_s, 3.0);
}

}  // namespace
}  // namespace stampede::engine
