#include <gtest/gtest.h>

#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"

namespace stampede::reporters {
namespace {

TEST(ComparisonJson, SameNumbersAsTheModel) {
  const Comparison c = build_comparison(testing::make_lab_pair({.with_server = false}, {.extra_endpoint = "/only"}));
  const nlohmann::json j = comparison_json(c);
  EXPECT_EQ(j["baseline"], "hash");
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["runs"][1]["shards"]["largest_write_pct"].get<double>(), 55.0);
  EXPECT_NEAR(j["runs"][1]["shards"]["write_balance"].get<double>(), 30.718, 1e-3);
  EXPECT_TRUE(j["runs"][0]["shards"]["shards"][0]["result_rows"].is_null());  // no server.json: null, not 0
  EXPECT_EQ(j["runs"][1]["shards"]["shards"][0]["result_rows"], 2500);
  bool found = false;
  for (const auto& e : j["endpoints"]) {
    if (e["name"] != "/only") continue;
    found = true;
    EXPECT_FALSE(e["runs"][0]["present"].get<bool>());
    EXPECT_TRUE(e["runs"][1]["p95_ratio"].is_null());
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(j.contains("seed_checks")) << "checks only when a caller adds them";
  EXPECT_FALSE(j["definitions"].empty());
  // Round-trips through text (no NaN/inf, which JSON cannot hold).
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

}  // namespace
}  // namespace stampede::reporters
