// LoadShape::at for both forms ("stages" and "step").
#include <gtest/gtest.h>

#include "scenarios/scenario.h"

namespace stampede::scenarios {
namespace {

Scenario with_shape(const nlohmann::json& shape) {
  return Scenario::parse({{"stampede_scenario", 1},
                          {"load_shape", shape},
                          {"user_classes", {{{"name", "U"}, {"tasks", {{{"request", {{"path", "/"}}}}}}}}}},
                         "inline.json");
}

TEST(LoadShape, StagesAccumulateDurations) {
  const Scenario s = with_shape({{"stages",
                                  {{{"duration", "1m"}, {"users", 10}, {"spawn_rate", 2}},
                                   {{"duration", 30}, {"users", 50}, {"spawn_rate", 5.5}},
                                   {{"duration", "500ms"}, {"users", 0}, {"spawn_rate", 100}}}}});
  ASSERT_TRUE(s.load_shape());
  const LoadShape& shape = *s.load_shape();
  ASSERT_EQ(shape.stages.size(), 3u);
  EXPECT_EQ(shape.at(0), std::make_pair(10, 2.0));
  EXPECT_EQ(shape.at(59.999), std::make_pair(10, 2.0));
  EXPECT_EQ(shape.at(60), std::make_pair(50, 5.5));
  EXPECT_EQ(shape.at(89.9), std::make_pair(50, 5.5));
  EXPECT_EQ(shape.at(90.2), std::make_pair(0, 100.0));
  EXPECT_EQ(shape.at(90.5), std::nullopt);
  EXPECT_EQ(shape.at(1e9), std::nullopt);
}

TEST(LoadShape, StepAddsUsersEveryStepUpToTheMaximum) {
  const Scenario s = Scenario::load("scenarios/coupon-step.json");
  ASSERT_TRUE(s.load_shape());
  const LoadShape& shape = *s.load_shape();
  EXPECT_EQ(shape.at(0), std::make_pair(100, 100.0));
  EXPECT_EQ(shape.at(59.9), std::make_pair(100, 100.0));
  EXPECT_EQ(shape.at(60), std::make_pair(200, 100.0));
  EXPECT_EQ(shape.at(10 * 60 + 1), std::make_pair(1100, 100.0));
  EXPECT_EQ(shape.at(19 * 60), std::make_pair(2000, 100.0));  // 20th step reaches max_users
  EXPECT_EQ(shape.at(24 * 60 + 59), std::make_pair(2000, 100.0));
  EXPECT_EQ(shape.at(25 * 60), std::nullopt);  // time_limit
  EXPECT_EQ(shape.stages.size(), 20u);        // the plateau is one stage
  EXPECT_DOUBLE_EQ(shape.stages.back().until_s, 25 * 60);
}

TEST(LoadShape, StepWithoutMaximumEndsMidStep) {
  const Scenario s = with_shape({{"step",
                                  {{"users_per_step", 5}, {"step_duration", "10s"}, {"spawn_rate", 1},
                                   {"time_limit", "25s"}}}});
  const LoadShape& shape = *s.load_shape();
  ASSERT_EQ(shape.stages.size(), 3u);
  EXPECT_EQ(shape.at(24.9), std::make_pair(15, 1.0));
  EXPECT_EQ(shape.at(25), std::nullopt);
}

TEST(LoadShape, AbsentMeansNoShape) {
  EXPECT_FALSE(Scenario::load("scenarios/coupon.json").load_shape().has_value());
}

}  // namespace
}  // namespace stampede::scenarios
