#include "locust/report_builder.h"

#include <gtest/gtest.h>

namespace stampede::locust {
namespace {

results::IntervalEndpoint slice(const std::string& method, const std::string& name,
                                const std::vector<std::uint64_t>& latencies_us, std::uint64_t failures) {
  results::IntervalEndpoint e;
  e.method = method;
  e.name = name;
  for (std::uint64_t v : latencies_us) e.latency.record(v);
  e.requests = latencies_us.size();
  e.failures = failures;
  e.content_bytes = 10 * latencies_us.size();
  return e;
}

results::HistoryPoint point(std::int64_t unix_ms, std::vector<results::IntervalEndpoint> endpoints) {
  results::HistoryPoint p;
  p.unix_ms = unix_ms;
  p.interval_s = 1;
  p.endpoints = std::move(endpoints);
  return p;
}

TEST(ReportBuilder, EveryRequestOnceWithExactSumMinMax) {
  ReportBuilder builder(1000.0);
  builder.add(point(1'001'400, {slice("GET", "/a", {1500, 1700, 20'000}, 0), slice("POST", "/b", {150'000}, 1)}));
  builder.add(point(1'002'400, {slice("GET", "/a", {99'000, 3'432'000}, 2)}));
  const StatsReport r = builder.take({{"Shopper", 2}, {"Admin", 1}}, 1002.5);

  ASSERT_EQ(r.stats.size(), 2u);
  const StatsEntry& a = r.stats[0];
  EXPECT_EQ(a.name, "/a");
  EXPECT_EQ(a.num_requests, 5u);
  EXPECT_EQ(a.num_failures, 2u);
  EXPECT_EQ(a.total_content_length, 50u);
  EXPECT_DOUBLE_EQ(a.total_response_time, (1500 + 1700 + 20'000 + 99'000 + 3'432'000) / 1000.0);
  EXPECT_DOUBLE_EQ(*a.min_response_time, 1.5);
  EXPECT_DOUBLE_EQ(a.max_response_time, 3432.0);
  // 1.5 ms and 1.7 ms both round to 2 (half to even); 3.432 s into the 3400 bucket.
  EXPECT_EQ(a.response_times, (std::map<std::int64_t, std::uint64_t>{{2, 2}, {20, 1}, {99, 1}, {3400, 1}}));
  // Filed under the second of each interval's middle (1000.9 and 1001.9).
  EXPECT_EQ(a.num_reqs_per_sec, (std::map<std::int64_t, std::uint64_t>{{1000, 3}, {1001, 2}}));
  EXPECT_EQ(a.num_fail_per_sec, (std::map<std::int64_t, std::uint64_t>{{1001, 2}}));
  EXPECT_DOUBLE_EQ(*a.last_request_timestamp, 1002.4);
  EXPECT_DOUBLE_EQ(a.start_time, 1000.0);

  const StatsEntry& b = r.stats[1];
  EXPECT_EQ(b.response_times, (std::map<std::int64_t, std::uint64_t>{{150, 1}}));
  EXPECT_EQ(r.total.name, "Aggregated");
  EXPECT_EQ(r.total.num_requests, 6u);
  EXPECT_EQ(r.total.num_failures, 3u);
  EXPECT_EQ(r.user_count, 3);
}

TEST(ReportBuilder, TakeStartsAFreshDelta) {
  ReportBuilder builder(1000.0);
  builder.add(point(1'001'000, {slice("GET", "/a", {5000}, 0)}));
  builder.add_failures({{"GET", "/a", "HTTP 503", 4}});
  const StatsReport first = builder.take({}, 1001.0);
  EXPECT_EQ(first.stats.size(), 1u);
  ASSERT_EQ(first.errors.size(), 1u);
  EXPECT_EQ(first.errors.begin()->first, error_key("GET", "/a", "HTTP 503"));
  EXPECT_EQ(first.errors.begin()->second.occurrences, 4u);
  const StatsReport second = builder.take({}, 1002.0);
  EXPECT_TRUE(second.stats.empty());
  EXPECT_TRUE(second.errors.empty());
  EXPECT_EQ(second.total.num_requests, 0u);
  EXPECT_DOUBLE_EQ(second.total.start_time, 1001.0);
}

}  // namespace
}  // namespace stampede::locust
