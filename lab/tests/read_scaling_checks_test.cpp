// The cache and replica checks (read_scaling_checks.h) on hand-built comparisons: the
// direction and factor judged from the p95s, the hit ratio from Server-Timing, the seed's
// number quoted beside ours, and which run each variant is compared with.
#include "lab/read_scaling_checks.h"

#include <gtest/gtest.h>

namespace stampede::lab {
namespace {

using Outcome = reporters::ComparisonCheck::Outcome;

reporters::EndpointCell cell(double p95_ms) {
  reporters::EndpointCell c;
  c.present = true;
  c.requests = 1000;
  c.p95_ms = p95_ms;
  return c;
}

// Two runs ("nocache" or "primary" first); each endpoint's p95 in run 0 and run 1.
reporters::Comparison two_runs(const std::vector<std::string>& labels,
                               const std::vector<std::tuple<std::string, std::string, double, double>>& rows) {
  reporters::Comparison c;
  for (const auto& l : labels) {
    reporters::RunHeader run;
    run.label = l;
    c.runs.push_back(run);
  }
  for (const auto& [method, name, a, b] : rows) {
    reporters::EndpointRow row;
    row.method = method;
    row.name = name;
    row.runs = {cell(a), cell(b)};
    c.endpoints.push_back(row);
  }
  return c;
}

TEST(ReadScalingChecks, CacheReadsMustBeThreeTimesFasterAndHotRoomsMostlyHits) {
  auto c = two_runs({"nocache", "cache"}, {{"GET", "/api/coupon/:id/stock [Check Stock]", 9.0, 2.0},
                                           {"GET", "/api/room/:id/stats [Hot Room Stats]", 9.0, 4.0}});
  reporters::ExchangeCell hits;
  hits.cache_hits = 95;
  hits.cache_misses = 5;
  hits.cache_hit_pct = 95.0;
  c.endpoints[1].runs[1].exchange = hits;
  const auto s = cache_checks(c, {{"nocache", {"--cache", "off"}}, {"cache", {"--cache", "redis", "--cache-ttl", "1s"}}});
  ASSERT_EQ(s.checks.size(), 3u) << s.note;
  EXPECT_EQ(s.checks[0].outcome, Outcome::met) << s.checks[0].detail;      // 9 / 2 = 4.5x
  EXPECT_NE(s.checks[0].detail.find("4.5× lower"), std::string::npos) << s.checks[0].detail;
  EXPECT_NE(s.checks[0].detail.find("100×"), std::string::npos) << "the seed's own words: " << s.checks[0].detail;
  EXPECT_EQ(s.checks[1].outcome, Outcome::not_met) << s.checks[1].detail;  // 9 / 4 = 2.25x
  EXPECT_EQ(s.checks[2].outcome, Outcome::met) << s.checks[2].detail;
  EXPECT_NE(s.checks[2].detail.find("95.0%"), std::string::npos) << s.checks[2].detail;
}

TEST(ReadScalingChecks, CacheChecksNeedARunWithoutTheCache) {
  auto c = two_runs({"a", "b"}, {});
  const auto s = cache_checks(c, {{"a", {"--cache", "memory"}}, {"b", {"--cache", "redis"}}});
  EXPECT_TRUE(s.checks.empty());
  EXPECT_FALSE(s.note.empty());
}

TEST(ReadScalingChecks, ReplicaReadsAreJudgedAgainstThePrimaryRunWithTheSeedsNumbers) {
  // The replicas run is first here: each is compared with the primary run wherever it is.
  auto c = two_runs({"replicas", "primary"}, {{"GET", "/api/user/:id/coupons [Query Own]", 3.0, 4.0},
                                              {"GET", "/api/room/:id/orders [Cross Shard]", 5.0, 4.0},
                                              {"POST", "/api/coupon/grab [Hot Room]", 10.0, 9.0}});
  const auto s = replica_checks(c, {{"replicas", {"--read-from", "replicas"}}, {"primary", {}}});
  ASSERT_EQ(s.checks.size(), 4u) << s.note;
  EXPECT_EQ(s.checks[0].outcome, Outcome::met) << s.checks[0].detail;       // 4 ms primary vs 3 ms replicas
  EXPECT_NE(s.checks[0].detail.find("50–100 ms → 20–40 ms"), std::string::npos) << s.checks[0].detail;
  EXPECT_EQ(s.checks[1].outcome, Outcome::not_met) << s.checks[1].detail;   // 4 ms primary vs 5 ms replicas
  EXPECT_EQ(s.checks[2].outcome, Outcome::not_checked) << "no global stats requests";
  EXPECT_EQ(s.checks[3].outcome, Outcome::met) << s.checks[3].detail;       // grabs 9 vs 10 ms: the same
}

}  // namespace
}  // namespace stampede::lab
