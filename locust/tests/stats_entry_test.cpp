#include "locust/stats_entry.h"

#include <gtest/gtest.h>

namespace stampede::locust {
namespace {

TEST(LocustBucket, RoundsAsLocustDoes) {
  // Whole ms below 100, halves to even (Python's round).
  EXPECT_EQ(locust_bucket_ms(0.4), 0);
  EXPECT_EQ(locust_bucket_ms(2.5), 2);
  EXPECT_EQ(locust_bucket_ms(3.5), 4);
  EXPECT_EQ(locust_bucket_ms(99.4), 99);
  EXPECT_EQ(locust_bucket_ms(99.6), 100);
  // 10 ms steps below 1 s: "147 becomes 150".
  EXPECT_EQ(locust_bucket_ms(147), 150);
  EXPECT_EQ(locust_bucket_ms(125), 120);
  EXPECT_EQ(locust_bucket_ms(135), 140);
  EXPECT_EQ(locust_bucket_ms(999), 1000);
  // 100 ms steps below 10 s: "3432 becomes 3400"; whole seconds above: "58760 becomes 59000".
  EXPECT_EQ(locust_bucket_ms(3432), 3400);
  EXPECT_EQ(locust_bucket_ms(3450), 3400);
  EXPECT_EQ(locust_bucket_ms(58760), 59000);
}

TEST(LocustStatsEntry, LogCountsPerSecondAndBucket) {
  StatsEntry e;
  e.log(12.3, 100, 1000.2);
  e.log(147.0, 50, 1000.9, 3);
  e.log_error(1001.1);
  e.log(3.0, 0, 1001.1);
  EXPECT_EQ(e.num_requests, 5u);
  EXPECT_EQ(e.num_failures, 1u);
  EXPECT_EQ(e.total_content_length, 150u);  // bytes of all `count` requests together
  EXPECT_DOUBLE_EQ(e.total_response_time, 12.3 + 3 * 147.0 + 3.0);
  EXPECT_DOUBLE_EQ(*e.min_response_time, 3.0);
  EXPECT_DOUBLE_EQ(e.max_response_time, 147.0);
  EXPECT_DOUBLE_EQ(*e.last_request_timestamp, 1001.1);
  EXPECT_EQ(e.response_times, (std::map<std::int64_t, std::uint64_t>{{3, 1}, {12, 1}, {150, 3}}));
  EXPECT_EQ(e.num_reqs_per_sec, (std::map<std::int64_t, std::uint64_t>{{1000, 4}, {1001, 1}}));
  EXPECT_EQ(e.num_fail_per_sec, (std::map<std::int64_t, std::uint64_t>{{1001, 1}}));
}

TEST(LocustStatsEntry, ExtendAddsAndKeepsExtremes) {
  StatsEntry a, b;
  a.start_time = 10;
  b.start_time = 5;
  a.log(20, 1, 100.5);
  b.log(4, 2, 101.5);
  b.log(500, 2, 100.7);
  a.extend(b);
  EXPECT_EQ(a.num_requests, 3u);
  EXPECT_DOUBLE_EQ(a.start_time, 5);
  EXPECT_DOUBLE_EQ(*a.min_response_time, 4);
  EXPECT_DOUBLE_EQ(a.max_response_time, 500);
  EXPECT_DOUBLE_EQ(*a.last_request_timestamp, 101.5);
  EXPECT_EQ(a.num_reqs_per_sec.at(100), 2u);
}

TEST(LocustErrorKey, StablePerMethodNameAndError) {
  const std::string k = error_key("GET", "/a", "HTTP 503");
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k, error_key("GET", "/a", "HTTP 503"));
  EXPECT_NE(k, error_key("POST", "/a", "HTTP 503"));
  EXPECT_NE(k, error_key("GET", "/b", "HTTP 503"));
  EXPECT_NE(k, error_key("GET", "/a", "HTTP 502"));
  // sha256("GET./a.HTTP 503"), as `printf %s 'GET./a.HTTP 503' | sha256sum` prints it.
  EXPECT_EQ(k, "5710e75fb140b3e05dc7ba1c07f865dc41ad69512b0df4a377c50ce1fad78a0d");
}

}  // namespace
}  // namespace stampede::locust
